//! `boke import wordpress` over a fixture export whose images are served on loopback (one
//! of them on a host that is gone): posts, pages, drafts, nested categories, comment threads
//! without spam or pingbacks, images in the posts' folders, old addresses that still land.

use crate::common;
use crate::common::chromium;
use crate::common::http;
use crate::common::nginx;

use common::{Run, boke, select, snapshot, text};
use http::{Fault, FixtureServer, Resource};
use std::collections::BTreeMap;
use std::path::Path;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\nslab picture";
const JPG: &[u8] = b"\xFF\xD8\xFFmountain picture";

fn images() -> FixtureServer {
    let mut pages = BTreeMap::new();
    for (path, ty, body) in [
        ("/wp-content/uploads/2014/11/slab.png", "image/png", PNG),
        (
            "/wp-content/uploads/2015/01/mountain.jpg",
            "image/jpeg",
            JPG,
        ),
    ] {
        pages.insert(
            path.to_string(),
            Resource {
                content_type: ty.into(),
                body: body.to_vec(),
            },
        );
    }
    FixtureServer::start(pages)
}

/// The fixture export with the test's servers in it; a host that is gone is a port nothing
/// listens on.
fn export(dir: &Path, s: &FixtureServer) -> std::path::PathBuf {
    let gone = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().to_string()
    };
    let origin = s.url("").trim_start_matches("http://").to_string();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import_wordpress/export.xml"),
    )
    .unwrap()
    .replace("ORIGIN", &origin)
    .replace("GONE", &gone);
    let p = dir.join("export.xml");
    std::fs::write(&p, text).unwrap();
    p
}

fn import(export: &Path, root: &Path) -> Run {
    boke(&[
        "import",
        "wordpress",
        export.to_str().unwrap(),
        "--root",
        root.to_str().unwrap(),
        "--delay",
        "0",
        "--timeout",
        "2",
        "--retries",
        "1",
    ])
}

fn has(text: &str, needle: &str) {
    assert!(text.contains(needle), "{needle:?} not in:\n{text}");
}

#[test]
fn a_wordpress_blog_moves_in_with_its_comments_images_and_addresses() {
    let s = images();
    // The first answer for the picture is a server error: the import asks again.
    s.fault(
        "/wp-content/uploads/2014/11/slab.png",
        vec![Fault::Status(500)],
    );
    let tmp = tempfile::tempdir().unwrap();
    let xml = export(tmp.path(), &s);
    let xml_before = std::fs::read(&xml).unwrap();
    let root = tmp.path().join("site");
    let said = import(&xml, &root).assert_ok().stdout();
    has(&said, "no broken links");
    // Two posts and the draft (the page is not counted); the approved comments only (2 of
    // the thread and the hostile one); the pictures that could be fetched (the gallery shows
    // the first post's too).
    has(&said, "imported 3 posts, 3 comments and 3 images");
    has(&said, "old-photo.jpg (in post 42)");
    has(&said, "its link is left at that address");
    assert_eq!(std::fs::read(&xml).unwrap(), xml_before);

    let yaml = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    has(&yaml, "title: \"老李的小站\"");
    has(&yaml, "timezone: \"+08:00\"");
    has(&yaml, "base_url: \"http://blog.example.org/\"");

    let post = std::fs::read_to_string(root.join("content/posts/2014-11-19-内存.md")).unwrap();
    has(&post, "category: \"内核\"");
    has(&post, "category_parents: [\"技术\"]");
    has(&post, "tags: [\"内存\"]");
    has(&post, "\"/2014/11/内存/\"");
    has(&post, "<!-- more -->");
    has(&post, "2014-11-19-内存/slab.png");
    has(&post, "http://127.0.0.1:");
    assert!(!post.contains("wp:paragraph"), "{post}");
    assert_eq!(
        std::fs::read(root.join("content/posts/2014-11-19-内存/slab.png")).unwrap(),
        PNG
    );
    let draft =
        std::fs::read_to_string(root.join("content/posts/2015-03-04-xie-le-yi-ban.md")).unwrap();
    has(&draft, "draft: true");
    has(&draft, "date: 2015-03-04 05:06:07 +08:00");
    assert!(root.join("content/pages/about.md").is_file());

    let out = tmp.path().join("public");
    common::build_into(&root, &out);
    let page = std::fs::read_to_string(out.join("posts/内存/index.html")).unwrap();
    let doc = scraper::Html::parse_document(&page);
    let comments: Vec<String> = select(&doc, "section.comments li.comment")
        .iter()
        .map(text)
        .collect();
    assert_eq!(comments.len(), 3, "{comments:?}");
    has(&comments[0], "张三");
    has(&comments[0], "讲得清楚");
    has(&comments[1], "不客气");
    assert!(select(&doc, "li.comment.reply").len() == 1);
    assert!(!page.contains("cheap pills") && !page.contains("pinged you"));
    // Hostile text stays text.
    assert!(select(&doc, "section.comments script, section.comments img").is_empty());
    assert!(!page.contains("javascript:alert"));
    has(&comments[2], "{{ site.title }}");
    assert_eq!(std::fs::read(out.join("posts/内存/slab.png")).unwrap(), PNG);
    has(&page, "language-c");
    let weekend = std::fs::read_to_string(out.join("posts/weekend/index.html")).unwrap();
    has(&weekend, "mountain.jpg");
    assert!(out.join("posts/weekend/mountain.jpg").is_file());
    assert!(
        !out.join("posts/xie-le-yi-ban").exists(),
        "the draft was published"
    );

    let server = nginx::Nginx::serve(&out, "/");
    let base = server.base("/");
    for (old, want) in [
        ("/2014/11/内存/", "/posts/内存/"),
        ("/2015/01/02/weekend/", "/posts/weekend/"),
        ("/about/", "/about/"),
    ] {
        let (path, _) = nginx::follow(&base, old);
        assert_eq!(path, want, "{old}");
    }

    // `?p=ID` cannot be redirected by a static host: the script the pages load sends it on.
    let ids = std::fs::read_to_string(out.join("wordpress-ids.js")).unwrap();
    has(&ids, "\"42\":\"/2014/11/内存/\"");
    assert!(!ids.contains("\"44\""), "the draft's id is listed: {ids}");
    has(&page, "wordpress-ids.js");
    if let Some(chrome) = chromium::chromium() {
        let (_browser, tab) = chromium::open(chrome, base.join("?p=42").unwrap().as_str());
        let landed = (0..100).any(|_| {
            std::thread::sleep(std::time::Duration::from_millis(100));
            percent_encoding::percent_decode_str(&tab.get_url())
                .decode_utf8_lossy()
                .ends_with("/posts/内存/")
        });
        assert!(landed, "?p=42 stayed at {}", tab.get_url());
    }

    let before = snapshot(&root);
    let again = import(&xml, &root).assert_ok().stdout();
    has(&again, "0 files written");
    assert_eq!(snapshot(&root), before);
}

#[test]
fn a_broken_export_is_refused_with_its_line_and_nothing_written() {
    let tmp = tempfile::tempdir().unwrap();
    let xml = tmp.path().join("export.xml");
    std::fs::write(
        &xml,
        "<?xml version=\"1.0\"?>\n<rss>\n<channel>\n<item><title>a &nbsp; b</title></item>\n",
    )
    .unwrap();
    let root = tmp.path().join("site");
    import(&xml, &root).assert_error(&["export.xml:4", "&nbsp;"]);
    assert!(!root.join("content").exists());
}
