//! The built site served by a real web server under a path: nginx (Debian's package) on a
//! loopback port serves the output at `/blog/`, with `base_url: https://example.org/blog/`, and a
//! crawl from the listing must reach every page without one broken link, asset, feed or sitemap
//! URL, and without a link that leaves `/blog/`.

use crate::common;
use crate::common::nginx;

use common::TestSite;
use nginx::Nginx;
use std::collections::{BTreeSet, VecDeque};
use std::path::Path;
use std::time::Duration;
use url::Url;

const ORIGIN: &str = "https://example.org";
const PREFIX: &str = "/blog/";
/// A crawl of these sites fetches a few hundred URLs; this bounds a runaway one.
const MAX_FETCHES: usize = 5000;

struct Crawl {
    /// Every URL path fetched (decoded, below the server root), HTML or not.
    fetched: BTreeSet<String>,
    /// Problems: a status other than 200, a link leaving /blog/, an unreadable page.
    broken: Vec<String>,
}

/// Where a link found on `page` leads on our server, or None for another site. A link to
/// base_url's origin is ours (feeds and canonical links are absolute).
fn resolve(server: &Url, page: &Url, link: &str) -> Option<Url> {
    let mut u = page.join(link.trim()).ok()?;
    u.set_fragment(None);
    let ours_by_origin = u.origin() == Url::parse(ORIGIN).unwrap().origin();
    if ours_by_origin {
        u.set_scheme("http").ok()?;
        u.set_host(Some("127.0.0.1")).ok()?;
        u.set_port(server.port()).ok()?;
    }
    (u.origin() == server.origin()).then_some(u)
}

fn decoded_path(u: &Url) -> String {
    percent_encoding::percent_decode_str(u.path())
        .decode_utf8_lossy()
        .into_owned()
}

/// Fetch from the listing (and `starts`: old links from elsewhere) outwards, following every
/// link, asset, stylesheet, script, meta refresh, feed and sitemap entry.
fn crawl(nginx: &Nginx, starts: &[&str]) -> Crawl {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    let server = nginx.base(PREFIX);
    let mut queue: VecDeque<(Url, String)> = VecDeque::new();
    for start in ["", "sitemap.xml", "atom.xml", "rss.xml", "robots.txt"]
        .iter()
        .chain(starts)
    {
        queue.push_back((server.join(start).unwrap(), "(start)".into()));
    }
    let mut seen: BTreeSet<Url> = queue.iter().map(|(u, _)| u.clone()).collect();
    let mut crawl = Crawl {
        fetched: BTreeSet::new(),
        broken: Vec::new(),
    };
    while let Some((url, from)) = queue.pop_front() {
        assert!(crawl.fetched.len() < MAX_FETCHES, "the crawl does not end");
        let path = decoded_path(&url);
        if !path.starts_with(PREFIX) {
            crawl
                .broken
                .push(format!("{from} links to {url}, outside {PREFIX}"));
            continue;
        }
        let mut resp = match agent.get(url.as_str()).call() {
            Ok(r) => r,
            Err(e) => {
                crawl.broken.push(format!("{url} (from {from}): {e}"));
                continue;
            }
        };
        crawl.fetched.insert(path.clone());
        let status = resp.status().as_u16();
        if status != 200 {
            crawl
                .broken
                .push(format!("{url} (linked from {from}): HTTP {status}"));
            continue;
        }
        let ctype = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let body = resp.body_mut().read_to_string().unwrap_or_default();
        let links: Vec<String> = if ctype.starts_with("text/html") {
            let doc = scraper::Html::parse_document(&body);
            let mut links: Vec<String> = common::select(&doc, "a[href], link[href]")
                .iter()
                .filter_map(|e| e.attr("href").map(String::from))
                .chain(
                    common::select(&doc, "script[src], img[src]")
                        .iter()
                        .filter_map(|e| e.attr("src").map(String::from)),
                )
                .collect();
            for e in common::select(&doc, "meta[http-equiv=refresh]") {
                let content = e.attr("content").unwrap_or("");
                match content.split_once("url=") {
                    Some((_, to)) => links.push(to.to_string()),
                    None => crawl.broken.push(format!("{url}: refresh without url")),
                }
            }
            links
        } else if path.ends_with(".xml") {
            xml_links(&body).unwrap_or_else(|e| {
                crawl.broken.push(format!("{url}: not XML: {e}"));
                Vec::new()
            })
        } else if path.ends_with("robots.txt") {
            body.lines()
                .filter_map(|l| l.strip_prefix("Sitemap:"))
                .map(|s| s.trim().to_string())
                .collect()
        } else {
            Vec::new()
        };
        for link in links {
            if link.starts_with("mailto:") {
                continue;
            }
            if let Some(next) = resolve(&server, &url, &link)
                && seen.insert(next.clone())
            {
                queue.push_back((next, url.to_string()));
            }
        }
    }
    crawl
}

/// The links of a feed or sitemap: Atom `<link href>`, RSS `<link>`, sitemap `<loc>`, and
/// each feed's `<id>`/`<guid>` when it is a URL.
fn xml_links(text: &str) -> Result<Vec<String>, roxmltree::Error> {
    let doc = roxmltree::Document::parse(text)?;
    Ok(doc
        .descendants()
        .filter_map(|n| match n.tag_name().name() {
            "link" => n
                .attribute("href")
                .or(n.text())
                .map(|s| s.trim().to_string()),
            "loc" => n.text().map(|s| s.trim().to_string()),
            _ => None,
        })
        .filter(|l| !l.is_empty())
        .collect())
}

/// The pages a reader must be able to reach: every HTML file boke wrote but the 404 page.
fn html_pages(out: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let url = match rel.strip_suffix("index.html") {
                Some(dir) => format!("{PREFIX}{dir}"),
                None if rel.ends_with(".html") && rel != "404.html" => format!("{PREFIX}{rel}"),
                None => return None,
            };
            Some(url)
        })
        .collect()
}

fn assert_served_whole(out: &Path, starts: &[&str], must_reach: &[&str]) -> Crawl {
    let nginx = Nginx::serve(out, PREFIX);
    let crawl = crawl(&nginx, starts);
    assert!(
        crawl.broken.is_empty(),
        "{} broken:\n{}",
        crawl.broken.len(),
        crawl.broken.join("\n")
    );
    let pages = html_pages(out);
    let missed: Vec<&String> = pages.difference(&crawl.fetched).collect();
    assert!(missed.is_empty(), "never reached: {missed:?}");
    for path in must_reach {
        assert!(
            crawl.fetched.contains(&format!("{PREFIX}{path}")),
            "{path} not reached"
        );
    }
    crawl
}

#[test]
fn the_default_site_under_blog_has_no_broken_link() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let run = common::boke(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--base-url",
        "https://example.org/blog/",
    ]);
    run.assert_ok();
    let posts = std::fs::read_dir(root.join("content/posts"))
        .unwrap()
        .count();
    let crawl = assert_served_whole(
        &out,
        &[],
        &[
            "style.css",
            "avatar.svg",
            "search.js",
            "archives/2014/",
            "categories/内存管理/",
            "posts/slab/",
            "sitemap.xml",
            "atom.xml",
        ],
    );
    let reached_posts = crawl
        .fetched
        .iter()
        .filter(|p| p.starts_with("/blog/posts/"))
        .count();
    assert_eq!(reached_posts, posts, "every post page is reached");
}

#[test]
fn chinese_paths_permalinks_and_aliases_under_blog() {
    let site = TestSite::new(
        "base_url: https://example.org/blog/\npermalinks:\n  posts: /uid-29599891-id-{id}.html\npaginate: 1\n",
    );
    site.post(
        "2014-12-30-exit-code",
        "title: 进程退出exit_code\ndate: 2014-12-30 16:51:55\nid: 4636263\ncategory: 进程管理\ntags: [退出, exit]\naliases: [/posts/exit-code/, /旧/退出.html]\n",
        "进程退出时,有相应的exit_code。见 [slab](@/posts/2014-11-19-slab.md)。\n",
    );
    site.post(
        "2014-11-19-slab",
        "title: slab原理\ndate: 2014-11-19 16:06:19\nid: 4627574\ncategory: 内存 管理\n",
        "slab 是内核的对象缓存。\n",
    );
    site.post(
        "2013-05-01-old",
        "date: 2013-05-01 08:00:00\nid: 1\ncategory: 进程管理\n",
        "一篇没有标题的旧文。\n",
    );
    site.build(&[]).assert_ok();
    assert_served_whole(
        &site.out(),
        &["posts/exit-code/", "旧/退出.html"],
        &[
            "uid-29599891-id-4636263.html",
            "uid-29599891-id-1.html",
            "posts/exit-code/",
            "旧/退出.html",
            "categories/进程管理/",
            "categories/内存-管理/",
            "tags/退出/",
            "archives/2013/",
            "page/3/",
        ],
    );
}
