//! Client-side search: the index `boke build` writes to `search/`, kept equal to a clean
//! build's by incremental rebuilds, and the search box in a real browser (headless Chromium,
//! Debian's `chromium`) finding Chinese words, identifiers, and nothing.
//!
//! Outside CI, a machine without Chromium skips the browser tests and says so; under
//! `CI=true` a missing Chromium is a failure.

use crate::common;
use crate::common::chromium;
use crate::common::server;
use chromium::{chromium, open};
use common::*;
use headless_chrome::Tab;
use server::Server;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Three posts. 僵尸 is only in the body of the first, udp_sendmsg only in the second's, and
/// the third's title is markup that must show as text.
fn fixture(config: &str) -> TestSite {
    let site = TestSite::new(config);
    site.post(
        "2014-12-30-exit-code",
        "title: \"进程退出码分析\"\ndate: 2014-12-30 16:51:55\n",
        "进程退出时会留下退出码，父进程调用wait()回收之前\n子进程处于僵尸状态。\n\n\
         <!-- more -->\n\n## 退出码的含义\n\n正常退出时退出码为0。\n",
    );
    site.post(
        "2014-09-12-udp-sendmsg",
        "title: \"UDP发包流程\"\ndate: 2014-09-12 17:02:34\n",
        "用户态的 `sendto()` 最终调到 `udp_sendmsg()`，再由 `ip_make_skb()` 构造报文。\n",
    );
    site.post(
        "2014-08-08-markup",
        "title: \"标题<b>加粗</b>与&amp;\"\ndate: 2014-08-08 10:00:00\n",
        "这篇文章讲内存管理。\n",
    );
    site
}

/// Key → (post, weight), from every shard of a built site.
fn postings(site: &TestSite) -> BTreeMap<String, Vec<(u64, u64)>> {
    let mut all = BTreeMap::new();
    for entry in std::fs::read_dir(site.out().join("search")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("shard-") {
            continue;
        }
        let shard: BTreeMap<String, Vec<u64>> =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        for (key, list) in shard {
            // Each number: the post (after the one before) × 4 + the weight.
            let mut post = 0;
            let decoded = list
                .iter()
                .map(|n| {
                    post += n >> 2;
                    (post, n & 3)
                })
                .collect();
            assert!(all.insert(key.clone(), decoded).is_none(), "{key} twice");
        }
    }
    all
}

fn index_json(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("search/index.json")).unwrap()).unwrap()
}

#[test]
fn the_index_names_every_post_and_finds_its_words() {
    let site = fixture("base_url: https://example.org/blog/\n");
    site.build(&[]).assert_ok();
    let index = index_json(&site.out());
    assert_eq!(index["version"], 1);
    let docs: Vec<Vec<String>> = serde_json::from_value(index["docs"].clone()).unwrap();
    assert_eq!(
        docs,
        [
            [
                "进程退出码分析",
                "/blog/posts/exit-code/",
                "2014-12-30 16:51:55"
            ],
            [
                "UDP发包流程",
                "/blog/posts/udp-sendmsg/",
                "2014-09-12 17:02:34"
            ],
            [
                "标题<b>加粗</b>与&amp;",
                "/blog/posts/markup/",
                "2014-08-08 10:00:00"
            ],
        ]
    );
    let postings = postings(&site);
    let (once, twice_or_thrice, in_title) = (0, 1, 3);
    // Pairs from the body, also across a line break inside the paragraph (之前 | 子进程).
    assert_eq!(postings["僵尸"], [(0, once)]);
    assert_eq!(postings["前子"], [(0, once)]);
    assert_eq!(postings["出时"], [(0, twice_or_thrice)]);
    assert_eq!(postings["管理"], [(2, once)]);
    // In a title.
    assert_eq!(postings["退出"][0], (0, in_title));
    // Identifiers whole and by their parts, in lower case.
    assert_eq!(postings["udp_sendmsg"], [(1, once)]);
    assert_eq!(postings["sendmsg"], [(1, once)]);
    assert_eq!(postings["udp"], [(1, in_title)]);
    // The excerpt marker is no word of the post.
    assert!(!postings.contains_key("more"));

    // Every page has the search box, its index and script found relative to the page.
    for (page, root) in [
        ("index.html", ""),
        ("posts/exit-code/index.html", "../../"),
        ("404.html", ""),
    ] {
        let doc = site.html(page);
        let form = select(&doc, "header form.search");
        assert_eq!(form.len(), 1, "{page}");
        assert_eq!(
            form[0].value().attr("data-index"),
            Some(format!("{root}search/").as_str()),
            "{page}"
        );
        assert_eq!(
            select(&doc, "header form.search input[type=search]").len(),
            1
        );
        let script = select(&doc, "script[src$='search.js']");
        assert_eq!(
            script[0].value().attr("src"),
            Some(format!("{root}search.js").as_str())
        );
    }
    assert_eq!(
        std::fs::read(site.out().join("search.js")).unwrap(),
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("static/search.js")).unwrap()
    );
}

#[test]
fn a_static_file_may_not_hide_the_index() {
    let site = fixture("");
    site.write("static/search/index.json", "{}");
    site.build(&[])
        .assert_error(&["static/search/index.json", "search/index.json"]);
}

/// Every file of the index, by name.
fn index_files(out: &Path) -> BTreeMap<String, Vec<u8>> {
    snapshot(&out.join("search"))
        .into_iter()
        .map(|(p, b)| (p.to_string_lossy().into_owned(), b))
        .collect()
}

#[test]
fn incremental_rebuilds_keep_the_index_equal_to_a_clean_build() {
    // Enough text for two shards (one per 256 KB of Markdown), so that removing posts also
    // removes a shard.
    let site = TestSite::new("");
    let long = "内核源码分析，调度器与内存分配器。".repeat(2000);
    for i in 0..3 {
        site.post(
            &format!("2014-01-0{}-long{i}", i + 1),
            &format!("title: \"长文{i}\"\ndate: 2014-01-0{} 10:00\n", i + 1),
            &format!("{long}\n第{i}篇。\n"),
        );
    }
    let served = site.path().join("served");
    let mut rebuilder = boke::build::rebuild::Rebuilder::new(boke::build::Options {
        root: site.path().to_path_buf(),
        output: Some(served.clone()),
        ..Default::default()
    });
    rebuilder.full().unwrap();
    assert_eq!(index_json(&served)["shards"], 2);

    let clean = |label: &str| {
        let out = site.path().join(format!("clean-{label}"));
        boke::build::build(&boke::build::Options {
            root: site.path().to_path_buf(),
            output: Some(out.clone()),
            ..Default::default()
        })
        .unwrap();
        index_files(&out)
    };
    let posts = site.path().join("content/posts");
    let long_post = |i: usize| posts.join(format!("2014-01-0{}-long{i}.md", i + 1));
    let every_post: Vec<PathBuf> = (0..3)
        .map(long_post)
        .chain([posts.join("2014-02-01-short.md")])
        .collect();
    let mut rebuild_and_compare = |label: &str| {
        let outcome = rebuilder.changed(&every_post).unwrap();
        assert!(
            matches!(outcome, boke::build::rebuild::Outcome::Partial { .. }),
            "{label}: {outcome:?}"
        );
        // The pages come first; the index follows when the rebuild is finished.
        assert!(
            rebuilder.finish().unwrap().is_some(),
            "{label}: nothing to finish"
        );
        assert_eq!(index_files(&served), clean(label), "after {label}");
    };

    site.post(
        "2014-01-01-long0",
        "title: \"长文0\"\ndate: 2014-01-01 10:00\n",
        &format!("{long}\n新加的僵尸进程。\n"),
    );
    rebuild_and_compare("edit");
    site.post(
        "2014-02-01-short",
        "title: \"短文\"\ndate: 2014-02-01 10:00\n",
        "短短的正文。\n",
    );
    rebuild_and_compare("add");
    for i in 1..3 {
        std::fs::remove_file(long_post(i)).unwrap();
    }
    rebuild_and_compare("remove");
    assert_eq!(index_json(&served)["shards"], 1);
    assert!(!served.join("search/shard-1.json").exists());
    assert!(postings_in(&served).contains_key("僵尸"));
}

fn postings_in(out: &Path) -> BTreeMap<String, serde_json::Value> {
    serde_json::from_slice(&std::fs::read(out.join("search/shard-0.json")).unwrap()).unwrap()
}

// --- in a browser ---------------------------------------------------------------------------

/// What the results panel shows.
#[derive(Debug, Default, serde::Deserialize)]
struct Shown {
    /// The query the results are for.
    query: String,
    hidden: bool,
    status: String,
    hits: Vec<Hit>,
}

#[derive(Debug, Default, serde::Deserialize)]
struct Hit {
    title: String,
    href: String,
    time: String,
    snippet: String,
    marks: Vec<String>,
    /// Elements inside the title link: none, whatever the title's text.
    title_elements: usize,
}

const READ_RESULTS: &str = r#"JSON.stringify((() => {
  const panel = document.querySelector('.search-results');
  const status = panel.querySelector('.search-status');
  return {
    query: panel.getAttribute('data-query') || '',
    hidden: panel.hidden,
    status: status ? status.textContent : '',
    hits: [...panel.querySelectorAll('.search-hit')].map(li => ({
      title: li.querySelector('.search-title').textContent,
      href: li.querySelector('.search-title').getAttribute('href'),
      time: li.querySelector('.search-time').textContent,
      snippet: li.querySelector('.search-snippet').textContent,
      marks: [...li.querySelectorAll('.search-snippet mark')].map(m => m.textContent),
      title_elements: li.querySelector('.search-title').children.length,
    })),
  };
})())"#;

fn shown(tab: &Tab) -> Shown {
    tab.evaluate(READ_RESULTS, false)
        .ok()
        .and_then(|r| r.value)
        .and_then(|v| v.as_str().map(String::from))
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default()
}

/// Type `query` into the emptied search box and wait for its results.
fn search(tab: &Tab, query: &str, loading: &str) -> Shown {
    tab.evaluate(
        "document.querySelector('form.search input').value = ''; \
         document.querySelector('.search-results').replaceChildren()",
        false,
    )
    .unwrap();
    tab.find_element("form.search input")
        .unwrap()
        .click()
        .unwrap();
    tab.type_str(query).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let now = shown(tab);
        let done = now.query == query && !now.hidden && now.status != loading;
        if done || Instant::now() >= deadline {
            return now;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn label(tab: &Tab, name: &str) -> String {
    tab.evaluate(
        &format!("document.querySelector('form.search').getAttribute('data-{name}')"),
        false,
    )
    .ok()
    .and_then(|r| r.value)
    .and_then(|v| v.as_str().map(String::from))
    .unwrap_or_else(|| panic!("no data-{name} label"))
}

/// Search the fixture site open in `tab`, whose post URLs start with `base`.
fn check_searches(tab: &Tab, base: &str) {
    let loading = label(tab, "loading");

    // A Chinese word from a post's body, not its title.
    let found = search(tab, "僵尸", &loading);
    assert_eq!(found.hits.len(), 1, "{found:?}");
    let hit = &found.hits[0];
    assert_eq!(hit.title, "进程退出码分析");
    assert_eq!(hit.href, format!("{base}posts/exit-code/"));
    assert_eq!(hit.time, "2014-12-30 16:51:55");
    assert!(hit.snippet.contains("子进程处于僵尸状态"), "{hit:?}");
    assert_eq!(hit.marks, ["僵尸"]);
    assert_eq!(
        found.status,
        label(tab, "found").replace("{n}", "1"),
        "{found:?}"
    );

    // Across the paragraph's line break: Chinese puts no space there.
    let found = search(tab, "之前子进程", &loading);
    assert_eq!(found.hits.len(), 1, "{found:?}");
    assert_eq!(found.hits[0].marks, ["之前子进程"]);

    // An identifier, typed in another case; its parts find it too.
    for query in ["UDP_SendMsg", "sendmsg"] {
        let found = search(tab, query, &loading);
        assert_eq!(found.hits.len(), 1, "{query}: {found:?}");
        assert_eq!(found.hits[0].title, "UDP发包流程");
        assert_eq!(found.hits[0].time, "2014-09-12 17:02:34");
        assert!(
            found.hits[0].snippet.contains("udp_sendmsg()"),
            "{query}: {found:?}"
        );
        assert_eq!(found.hits[0].marks.len(), 1, "{query}: {found:?}");
        assert_eq!(found.hits[0].marks[0].to_lowercase(), query.to_lowercase());
    }

    // A title with markup in it is shown as the text it is.
    let found = search(tab, "内存管理", &loading);
    assert_eq!(found.hits.len(), 1, "{found:?}");
    assert_eq!(found.hits[0].title, "标题<b>加粗</b>与&amp;");
    assert_eq!(found.hits[0].title_elements, 0);

    // A word no post has, and one whose pairs are all in a post but never together (子进,
    // 进程, 程退, 退出 are all in the first).
    for query in ["不存在的词", "子进程退出"] {
        let none = search(tab, query, &loading);
        assert!(none.hits.is_empty(), "{query}: {none:?}");
        assert_eq!(none.status, label(tab, "none").replace("{q}", query));
        assert!(none.status.contains("没有找到"), "{none:?}");
    }
}

#[test]
fn the_search_box_finds_chinese_words_identifiers_and_nothing() {
    let Some(path) = chromium() else { return };
    let site = fixture("");
    let server = Server::start(site.path());
    // From a post page, two levels below the root: the index is found relative to it.
    let (_browser, tab) = open(path, &format!("{}posts/udp-sendmsg/", server.url));
    check_searches(&tab, "/");
}

#[test]
fn the_search_box_speaks_the_sites_language() {
    let Some(path) = chromium() else { return };
    let site = fixture("language: en\n");
    let server = Server::start(site.path());
    let (_browser, tab) = open(path, &server.url);
    let loading = label(&tab, "loading");
    assert_eq!(loading, "Searching…");
    let found = search(&tab, "僵尸", &loading);
    assert_eq!(found.status, "Posts found: 1", "{found:?}");
    assert_eq!(found.hits[0].time, "December 30, 2014 16:51");
    let none = search(&tab, "xyzzy", &loading);
    assert_eq!(none.status, "No posts found for “xyzzy”", "{none:?}");
}

/// The built output served under `/blog/`, as a site with a path in its `base_url` is
/// deployed. Stops when dropped.
struct SubdirServer {
    url: String,
    stop: Arc<AtomicBool>,
}

impl SubdirServer {
    fn start(out: PathBuf) -> SubdirServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}/blog/", listener.local_addr().unwrap());
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        std::thread::spawn(move || {
            while !stopped.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        stream.set_nonblocking(false).unwrap();
                        let out = out.clone();
                        std::thread::spawn(move || serve_one(stream, &out));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        SubdirServer { url, stop }
    }
}

impl Drop for SubdirServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn serve_one(mut stream: std::net::TcpStream, out: &Path) {
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut request = String::new();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/").to_string();
    // The rest of the request head.
    let mut line = String::new();
    for _ in 0..100 {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
    }
    let path = percent_encoding::percent_decode_str(target.split('?').next().unwrap())
        .decode_utf8_lossy()
        .into_owned();
    let file = path.strip_prefix("/blog/").map(|rel| {
        let f = out.join(rel);
        if rel.is_empty() || rel.ends_with('/') {
            f.join("index.html")
        } else {
            f
        }
    });
    let (status, body, ctype) = match file.and_then(|f| std::fs::read(&f).ok().map(|b| (f, b))) {
        Some((f, body)) => {
            let ctype = match f.extension().and_then(|e| e.to_str()) {
                Some("html") => "text/html; charset=utf-8",
                Some("css") => "text/css",
                Some("js") => "text/javascript",
                Some("json") => "application/json",
                _ => "application/octet-stream",
            };
            ("200 OK", body, ctype)
        }
        None => ("404 Not Found", b"not found".to_vec(), "text/plain"),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

#[test]
fn search_works_on_a_site_under_a_path() {
    let Some(path) = chromium() else { return };
    let site = fixture("");
    let out = site.path().join("out");
    let server = SubdirServer::start(out.clone());
    site.build(&["--output", out.to_str().unwrap(), "--base-url", &server.url])
        .assert_ok();
    let (_browser, tab) = open(path, &server.url);
    check_searches(&tab, "/blog/");
}
