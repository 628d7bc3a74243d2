//! A real browser: headless Chromium (Debian's `chromium`) opens the served listing, a post is
//! edited on disk, and the open page shows the new title by itself (live reload).
//!
//! Outside CI, a machine without Chromium skips this test and says so; under `CI=true` a
//! missing Chromium is a failure.

use crate::common;
use crate::common::chromium;
use crate::common::server;
use chromium::{chromium, open};
use common::*;
use server::Server;
use std::time::{Duration, Instant};

#[test]
fn an_open_page_shows_an_edited_title_without_navigation() {
    let Some(path) = chromium() else { return };
    let site = TestSite::new("");
    site.post(
        "2014-12-30-exit",
        "title: 进程退出\ndate: 2014-12-30 16:51:55\n",
        "正文。\n",
    );
    let server = Server::start(site.path());

    let (_browser, tab) = open(path, &server.url);
    let title = || -> String {
        tab.evaluate(
            "document.querySelector('.entry-title a').textContent",
            false,
        )
        .ok()
        .and_then(|r| r.value)
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
    };
    assert_eq!(title(), "进程退出");
    // Let the page's EventSource connect before the edit.
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        let state = tab.evaluate("performance.getEntriesByType('resource').some(e => e.name.includes('/__boke/events'))", false).ok().and_then(|r| r.value);
        if state.and_then(|v| v.as_bool()) == Some(true) {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));

    site.post(
        "2014-12-30-exit",
        "title: 新标题：实时刷新\ndate: 2014-12-30 16:51:55\n",
        "正文。\n",
    );
    let saved = Instant::now();
    let deadline = saved + Duration::from_secs(10);
    let mut seen = title();
    while seen != "新标题：实时刷新" && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
        seen = title();
    }
    let state = tab
        .evaluate("String(window.__boke && window.__boke.readyState)", false)
        .ok()
        .and_then(|r| r.value);
    assert_eq!(
        seen,
        "新标题：实时刷新",
        "the open page did not update within 10 s (EventSource state {state:?}, server said {:?})",
        server.output.try_iter().collect::<Vec<_>>()
    );
    eprintln!(
        "save → new title visible in Chromium: {} ms",
        saved.elapsed().as_millis()
    );

    // A broken post shows an overlay naming the file and line; fixing it recovers.
    site.post("2014-12-30-exit", "title: 坏了\ndate: [2014\n", "正文。\n");
    let overlay = || -> String {
        tab.evaluate(
            "(document.getElementById('__boke_overlay') || {}).textContent || ''",
            false,
        )
        .ok()
        .and_then(|r| r.value)
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    while !overlay().contains("content/posts/2014-12-30-exit.md:3") && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        overlay().contains("content/posts/2014-12-30-exit.md:3"),
        "overlay: {:?}",
        overlay()
    );
    assert_eq!(title(), "新标题：实时刷新", "the last good page stays");
    site.post(
        "2014-12-30-exit",
        "title: 修好了\ndate: 2014-12-30 16:51:55\n",
        "正文。\n",
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while (title() != "修好了" || !overlay().is_empty()) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!((title().as_str(), overlay().as_str()), ("修好了", ""));
}

/// An imported post as a reader sees it: the picture from its folder loads (at a file
/// permalink, so the folder is named after the old page), and its comments are shown.
#[test]
fn an_imported_post_shows_its_picture_and_comments() {
    let Some(path) = chromium() else { return };
    let site = TestSite::new("permalinks:\n  posts: \"/uid-1-id-{id}.html\"\n");
    site.post(
        "2014-11-19-slab",
        "title: slab 分配器\ndate: 2014-11-19 16:06\nid: 42\ncomments: 2\n",
        "slab 把对象缓存起来。\n\n![slab 的结构](2014-11-19-slab/slab.svg)\n",
    );
    site.write(
        "content/posts/2014-11-19-slab/slab.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"320\" height=\"90\"><rect x=\"4\" y=\"4\" width=\"312\" height=\"82\" fill=\"#dbe9f7\" stroke=\"#3a6ea5\" stroke-width=\"3\"/><text x=\"20\" y=\"54\" font-size=\"26\" fill=\"#3a6ea5\">kmem_cache → slab</text></svg>",
    );
    site.write(
        "content/posts/2014-11-19-slab.comments.yaml",
        "- author: 读者甲\n  url: \"http://reader.example.org/\"\n  date: \"2014-11-20 10:00:00\"\n  text: |-\n    写得清楚。\n    <script>alert(1)</script> 是文字。\n  replies:\n    - author: 博主\n      date: \"2014-11-20 11:00:00\"\n      text: 谢谢。\n",
    );
    let server = Server::start(site.path());
    let (_browser, tab) = open(path, &format!("{}uid-1-id-42.html", server.url));
    let eval = |js: &str| {
        tab.evaluate(js, true)
            .ok()
            .and_then(|r| r.value)
            .unwrap_or_default()
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut width = eval("document.querySelector('.post-body img').naturalWidth");
    while width.as_u64() != Some(320) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
        width = eval("document.querySelector('.post-body img').naturalWidth");
    }
    assert_eq!(
        width.as_u64(),
        Some(320),
        "the picture from the post's folder loaded"
    );
    assert_eq!(
        eval("[...document.querySelectorAll('.comment .message-author')].map(e => e.textContent).join('|')")
            .as_str(),
        Some("读者甲|博主")
    );
    assert_eq!(
        eval("document.querySelectorAll('.comment script').length").as_u64(),
        Some(0)
    );
    if let Ok(out) = std::env::var("BOKE_SCREENSHOT") {
        let png = tab
            .capture_screenshot(
                headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption::Png,
                None,
                None,
                true,
            )
            .unwrap();
        std::fs::write(out, png).unwrap();
    }
}
