//! `permalinks.posts` patterns and `aliases:`: where posts land, what links to them, and the
//! errors when a pattern cannot place a post or two pages would be one file.

use crate::common;

use common::{TestSite, boke, select};
use std::path::Path;

const UID: &str =
    "permalinks:\n  posts: /uid-29599891-id-{id}.html\nbase_url: https://example.org/\n";

fn chinaunix_site() -> TestSite {
    let site = TestSite::new(UID);
    site.post(
        "2014-12-30-exit-code",
        "title: 进程退出exit_code\ndate: 2014-12-30 16:51:55\nid: 4636263\ncategory: 进程管理\naliases:\n  - /2014/12/old-name/\n  - /old/%E5%86%85%E6%A0%B8.html\n",
        "进程退出时,有相应的exit_code。\n",
    );
    site.post(
        "2014-11-19-slab",
        "title: slab原理\ndate: 2014-11-19 16:06:19\nid: 4627574\ncategory: 内存管理\n",
        "slab 是内核的对象缓存。\n",
    );
    site
}

/// Every relative `href`/`src` of a built page names a file that exists, resolved as a
/// browser would from the page's own folder.
fn assert_relative_links_resolve(out: &Path, page: &str) {
    let html = std::fs::read_to_string(out.join(page)).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let dir = Path::new(page).parent().unwrap_or(Path::new(""));
    let mut seen = 0;
    for e in select(&doc, "[href], [src]") {
        let link = e.attr("href").or(e.attr("src")).unwrap();
        if link.starts_with('/') || link.contains(':') || link.starts_with('#') {
            continue;
        }
        let mut at = out.join(dir);
        for part in link.split('/') {
            match part {
                ".." => assert!(
                    at.pop() && at.starts_with(out),
                    "{page}: {link} leaves the site"
                ),
                "" | "." => {}
                p => at.push(p),
            }
        }
        assert!(at.is_file(), "{page}: {link} → {} is missing", at.display());
        seen += 1;
    }
    assert!(seen > 0, "{page} has no relative links to check");
}

#[test]
fn posts_land_where_the_pattern_says_and_every_link_follows() {
    let site = chinaunix_site();
    site.build(&[]).assert_ok();
    let out = site.out();
    let page = site.html("uid-29599891-id-4636263.html");
    let title = select(&page, "h1, h2")
        .iter()
        .map(common::text)
        .collect::<Vec<_>>();
    assert!(
        title.iter().any(|t| t.contains("进程退出exit_code")),
        "{title:?}"
    );
    assert!(out.join("uid-29599891-id-4627574.html").is_file());
    assert!(
        !out.join("posts").exists(),
        "nothing is left at the default place"
    );

    let listing = site.html("index.html");
    let links: Vec<&str> = select(&listing, ".entry-title a")
        .iter()
        .map(|a| a.attr("href").unwrap())
        .collect();
    assert_eq!(
        links,
        [
            "/uid-29599891-id-4636263.html",
            "/uid-29599891-id-4627574.html"
        ]
    );
    // The older post's 下一篇 leads to the newer one.
    let older = site.html("uid-29599891-id-4627574.html");
    assert!(
        select(&older, "a")
            .iter()
            .any(|a| a.attr("href") == Some("/uid-29599891-id-4636263.html"))
    );

    let sitemap = site.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.contains(&"https://example.org/uid-29599891-id-4636263.html"));
    assert!(
        !locs.iter().any(|l| l.contains("old")),
        "aliases are not in the sitemap"
    );

    let feed = feed_rs::parser::parse(site.read("atom.xml").as_bytes()).unwrap();
    assert_eq!(
        feed.entries[0].links[0].href,
        "https://example.org/uid-29599891-id-4636263.html"
    );

    assert_relative_links_resolve(&out, "uid-29599891-id-4636263.html");
    let root = site.path().to_str().unwrap().to_string();
    let check = boke(&["check", "--root", &root]);
    assert!(
        check.ok(),
        "boke check: {}{}",
        check.stdout(),
        check.stderr()
    );
}

#[test]
fn aliases_redirect_to_the_post() {
    let site = chinaunix_site();
    site.build(&[]).assert_ok();
    for alias in ["2014/12/old-name/index.html", "old/内核.html"] {
        let doc = site.html(alias);
        let refresh = select(&doc, "meta[http-equiv=refresh]")[0]
            .attr("content")
            .unwrap()
            .to_string();
        assert_eq!(refresh, "0; url=/uid-29599891-id-4636263.html", "{alias}");
        let canonical = select(&doc, "link[rel=canonical]")[0].attr("href").unwrap();
        assert_eq!(
            canonical,
            "https://example.org/uid-29599891-id-4636263.html"
        );
        assert_eq!(
            select(&doc, "body a")[0].attr("href"),
            Some("/uid-29599891-id-4636263.html")
        );
    }
}

#[test]
fn deep_and_category_patterns() {
    let site = TestSite::new("permalinks:\n  posts: /a/{category}/{year}/{month}/{day}/{slug}/\n");
    site.post(
        "2014-08-08-hung-task",
        "title: hung task\ndate: 2014-08-08 09:05:00\ncategory: 内核调试\n",
        "hung task 检测。\n",
    );
    site.build(&[]).assert_ok();
    let page = "a/内核调试/2014/08/08/hung-task/index.html";
    assert!(site.out().join(page).is_file());
    // Six folders down: the header, sidebar and footer (rendered once per depth) and the
    // page's own relative links still resolve.
    assert_relative_links_resolve(&site.out(), page);
    let listing = site.html("index.html");
    assert_eq!(
        select(&listing, ".entry-title a")[0].attr("href"),
        Some("/a/%E5%86%85%E6%A0%B8%E8%B0%83%E8%AF%95/2014/08/08/hung-task/")
    );
}

#[test]
fn a_post_the_pattern_cannot_place_is_an_error_naming_it() {
    let site = TestSite::new(UID);
    site.post("2014-01-01-a", "date: 2014-01-01\nid: 1\n", "a\n");
    site.post("2014-01-02-b", "date: 2014-01-02\n", "b\n");
    site.post("2014-01-03-c", "date: 2014-01-03\nid: x/y\n", "c\n");
    let run = site.build(&[]);
    run.assert_error(&[
        "content/posts/2014-01-02-b.md",
        "has no `id:`",
        "id: 4636263",
        "content/posts/2014-01-03-c.md",
        "`/`",
    ]);
    assert!(!run.stderr().contains("2014-01-01-a"), "{}", run.stderr());
    assert!(!site.out().exists(), "nothing is written");
}

#[test]
fn a_bad_pattern_names_its_line_in_site_yaml() {
    let site = TestSite::new("base_url: /\npermalinks:\n  posts: /{year}/{title}/\n");
    site.post("2014-01-01-a", "date: 2014-01-01\n", "a\n");
    site.build(&[])
        .assert_error(&["site.yaml:4", "{title}", "{slug}, {id}"]);
    let site = TestSite::new("permalinks:\n  post: /{slug}/\n");
    site.build(&[]).assert_error(&["site.yaml", "post"]);
}

#[test]
fn two_pages_in_one_file_are_errors_at_the_post() {
    /// site.yaml, posts as (file name, front matter), and what the error must say.
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a [&'a str]);
    let cases: [Case; 4] = [
        // An alias landing on another post's page, at the alias's line.
        (
            "",
            &[
                ("2014-01-01-a", "date: 2014-01-01\n"),
                (
                    "2014-01-02-b",
                    "date: 2014-01-02\naliases:\n  - /fine/\n  - /posts/a/\n",
                ),
            ],
            &[
                "content/posts/2014-01-02-b.md:5",
                "posts/a/index.html",
                "content/posts/2014-01-01-a.md",
            ],
        ),
        // A post whose permalink is one of boke's own pages.
        (
            "permalinks:\n  posts: /archives/{slug}/\n",
            &[("2014-01-01-a", "date: 2014-01-01\nslug: \"2014\"\n")],
            &[
                "content/posts/2014-01-01-a.md",
                "archives/2014/index.html",
                "boke's page /archives/2014/",
            ],
        ),
        // Two posts under one permalink.
        (
            "permalinks:\n  posts: /{year}/{id}.html\n",
            &[
                ("2014-01-01-a", "date: 2014-01-01\nid: 7\n"),
                ("2014-05-01-b", "date: 2014-05-01\nid: 7\n"),
            ],
            &[
                "2014/7.html",
                "content/posts/2014-01-01-a.md",
                "content/posts/2014-05-01-b.md",
            ],
        ),
        // A path that cannot be a file.
        (
            "",
            &[(
                "2014-01-01-a",
                "date: 2014-01-01\naliases: [\"/../../etc/x\"]\n",
            )],
            &["content/posts/2014-01-01-a.md:3", "alias", ".."],
        ),
    ];
    for (config, posts, needles) in cases {
        let site = TestSite::new(config);
        for (name, front) in posts {
            site.post(name, front, "x\n");
        }
        site.build(&[]).assert_error(needles);
    }
}
