//! `boke import chinaunix` against a fixture blog served on loopback (or saved as a mirror).

use crate::common;
use crate::common::chinaunix as fixture;
use crate::common::http;
use crate::common::nginx;

use common::{Run, boke, snapshot};
use fixture::{FixturePost, UID};
use http::{Fault, FixtureServer};
use nginx::follow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn server() -> FixtureServer {
    FixtureServer::start(fixture::site())
}

fn home(s: &FixtureServer) -> String {
    s.url(&format!("/uid/{UID}.html"))
}

fn import(source: &str, root: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "import",
        "chinaunix",
        source,
        "--root",
        root.to_str().unwrap(),
        "--delay",
        "0",
        "--timeout",
        "1",
    ];
    args.extend_from_slice(extra);
    boke(&args)
}

/// What an import wrote into the site, its own work folder left out.
fn site_files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    snapshot(root)
        .into_iter()
        .filter(|(p, _)| !p.starts_with(".boke"))
        .collect()
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn post_file(root: &Path, p: &FixturePost) -> String {
    read(root, &format!("content/posts/{}.md", p.stem()))
}

#[track_caller]
fn has(text: &str, needle: &str) {
    assert!(text.contains(needle), "{needle:?} not in:\n{text}");
}

#[test]
fn an_import_over_http_brings_every_post_comment_and_image_despite_faults() {
    let s = server();
    let posts = fixture::posts();
    s.fault(&format!("/uid/{UID}/list/2.html"), vec![Fault::Status(500)]);
    s.fault(&posts[0].path(), vec![Fault::Drop]);
    s.fault(
        &posts[1].path(),
        vec![Fault::Slow(Duration::from_millis(2500))],
    );
    s.fault(&posts[4].path(), vec![Fault::TooMany(1)]);
    s.fault(
        &posts[6].path(),
        vec![Fault::Status(503), Fault::Status(502)],
    );
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let run = import(&home(&s), &root, &[]);
    run.assert_ok();
    let out = run.stdout();
    has(&out, "imported 33 posts, 6 comments and 2 images");
    assert!(!run.stderr().contains("panicked"), "{}", run.stderr());

    // Polite: named, never more than two at a time.
    assert!(
        s.log().iter().all(|l| l.contains(" boke/")),
        "{:?}",
        s.log()
    );
    assert!(s.most_at_once() <= 2, "{} at once", s.most_at_once());

    let files: Vec<String> = std::fs::read_dir(root.join("content/posts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".md"))
        .collect();
    assert_eq!(files.len(), fixture::COUNT, "{files:?}");
    for p in &posts {
        let md = post_file(&root, p);
        has(&md, &format!("date: {} +08:00\n", p.time));
        has(&md, &format!("id: \"{}\"\n", p.id));
        has(&md, &format!("category: \"{}\"\n", p.category));
        has(
            &md,
            &format!(
                "views: {}\ncomments: {}\nshares: {}\n",
                p.views, p.comments, p.shares
            ),
        );
        match &p.title {
            Some(t) => has(&md, &format!("title: \"{}\"\n", t.replace('"', "\\\""))),
            None => assert!(!md.contains("title:"), "{md}"),
        }
        // The excerpt the list pages show ends after the first paragraph.
        let i: usize = p.id.parse::<usize>().unwrap() - 4_000_001;
        has(
            &md,
            &format!(
                "---\n这是第{}篇的开头，讲一件小事。\n\n<!-- more -->\n",
                i + 1
            ),
        );
        has(&md, "第二段写得长一些，说明缘由。\\\n接着换行，再补一句。");
        has(&md, "要点是 **耐心** 与 细心。");
        assert!(!md.contains('\u{a0}') && !md.contains("<span"), "{md}");
    }
    let new_year = &posts[fixture::NEW_YEAR];
    assert!(new_year.stem().starts_with("2015-01-01-"));

    let code = post_file(&root, &posts[fixture::CODE]);
    has(
        &code,
        "```c\n#include <stdio.h>\nint main(void)\n{\n    printf(\"a & b\\n\");\n}\n```",
    );
    has(&code, "```\nmake -j2\n```");
    has(&code, "```\n  $ uname -r\n  3.10.0\n```");
    assert!(!code.contains("折叠"), "{code}");

    let table = post_file(&root, &posts[fixture::TABLE]);
    has(&table, "| 参数 | 含义 |");
    has(&table, "| -n | 次数 |");

    let img = &posts[fixture::IMAGES];
    let md = post_file(&root, img);
    let stem = img.stem();
    has(&md, &format!("![示意图]({stem}/{UID}_1401780000aB3d.png)"));
    has(&md, &format!("![]({stem}/{UID}_1401780001Xy9z.jpg)"));
    has(
        &md,
        &format!("![](http://blog.chinaunix.net/attachment/201406/3/{UID}_1401780002gone.gif)"),
    );
    has(&md, "![](http://example.org/outside.png)");
    has(&out, &format!("{UID}_1401780002gone.gif"));
    assert_eq!(
        std::fs::read(root.join(format!("content/posts/{stem}/{UID}_1401780000aB3d.png"))).unwrap(),
        b"\x89PNG fixture one"
    );

    let links = post_file(&root, &posts[fixture::LINKS]);
    has(
        &links,
        &format!("[上一篇](@/posts/{}.md)", posts[fixture::LINKS - 1].stem()),
    );
    has(
        &links,
        &format!("[旧文](@/posts/{}.md)", posts[fixture::OLD_ADDRESS].stem()),
    );
    has(&links, "[官网](http://www.kernel.org/)");
    has(
        &post_file(&root, &posts[fixture::OLD_ADDRESS]),
        &format!(
            "aliases:\n  - \"/u/{UID}/showart_{}.html\"\n",
            posts[fixture::OLD_ADDRESS].id
        ),
    );

    // Comments, every page of them, as data.
    let c = &posts[fixture::COMMENTS];
    let yaml: serde_yaml::Value = serde_yaml::from_str(&read(
        &root,
        &format!("content/posts/{}.comments.yaml", c.stem()),
    ))
    .unwrap();
    let list = yaml.as_sequence().unwrap();
    assert_eq!(list.len(), 3, "{yaml:?}");
    assert_eq!(list[0]["author"], "路人甲");
    assert_eq!(list[0]["url"], "http://blog.chinaunix.net/uid/555.html");
    assert_eq!(list[0]["date"], "2014-07-20 10:00:00");
    assert_eq!(list[0]["text"], "写得好！\n第二行 <b>不粗</b>");
    assert_eq!(list[0]["replies"][0]["text"], "谢谢。");
    assert_eq!(list[1]["author"], "<img src=x onerror=alert(1)>");
    assert!(list[1].get("url").is_none(), "{yaml:?}");
    assert_eq!(
        list[1]["text"],
        "<script>alert('c')</script> {{ site.title }} {% if x %}"
    );
    assert_eq!(list[2]["text"], "点我 看 http://example.org/");
    assert_eq!(list[2]["url"], "http://example.org/~b/");

    let guest: serde_yaml::Value =
        serde_yaml::from_str(&read(&root, "data/guestbook.yaml")).unwrap();
    assert_eq!(guest[0]["author"], "访客一");
    assert_eq!(guest[1]["text"], "<script>alert('g')</script> {{ x }}");

    let redirects: BTreeMap<String, String> =
        serde_yaml::from_str(&read(&root, "data/redirects.yaml")).unwrap();
    let r = |k: &str| {
        redirects
            .get(k)
            .map(String::as_str)
            .unwrap_or("(none)")
            .to_string()
    };
    assert_eq!(r(&format!("/uid/{UID}.html")), "/");
    assert_eq!(r(&format!("/uid/{UID}/list/1.html")), "/");
    assert_eq!(r(&format!("/uid/{UID}/list/4.html")), "/page/4/");
    assert_eq!(
        r(&format!("/uid/{UID}/cid-101-list-1.html")),
        "/categories/内核/"
    );
    assert_eq!(
        r(&format!("/uid/{UID}/cid-102-list-2.html")),
        "/categories/网络协议/page/2/"
    );
    assert_eq!(
        r(&format!("/uid/{UID}/year-2014-list-2.html")),
        "/archives/2014/page/2/"
    );
    assert_eq!(
        r(&format!("/uid/{UID}/year-2016-list-1.html")),
        "/archives/2016/"
    );

    let site = read(&root, "site.yaml");
    has(&site, "title: \"山间小站\"\n");
    has(&site, "subtitle: \"记录 Linux 与网络的点滴\"\n");
    has(&site, "paginate: 10\n");
    has(
        &site,
        &format!("permalinks:\n  posts: \"/uid-{UID}-id-{{id}}.html\"\n"),
    );
    has(&site, "  visits: 4321\n");
    has(&site, "  level: \"上尉\"\n");
    has(&site, "  registered: \"2013-10-02 18:20\"\n");
    has(&site, "  avatar: \"avatar.jpg\"\n");
    assert_eq!(
        std::fs::read(root.join("static/avatar.jpg")).unwrap(),
        b"\xff\xd8 avatar"
    );
    assert!(!root.join("content/posts/welcome.md").exists());
    assert_eq!(read(&root, ".boke/.gitignore"), "*\n");

    // A finished import run again asks for nothing and changes nothing.
    let before = site_files(&root);
    let asked = s.requests();
    let again = import(&home(&s), &root, &[]);
    has(&again.stdout(), "imported 33 posts");
    assert_eq!(s.requests(), asked, "a second run fetched again");
    assert_eq!(site_files(&root), before);
}

#[test]
fn a_wget_mirror_imports_to_the_same_files_as_the_blog_over_http() {
    let s = server();
    let tmp = tempfile::tempdir().unwrap();
    let over_http = tmp.path().join("a");
    import(&home(&s), &over_http, &[]);
    let mirror = fixture::write_mirror(&tmp.path().join("mirror"));
    let from_dir = tmp.path().join("b");
    let run = import(mirror.to_str().unwrap(), &from_dir, &[]);
    has(&run.assert_ok().stdout(), "imported 33 posts");
    let (a, b) = (site_files(&over_http), site_files(&from_dir));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(b[k] == *v, "{} differs", k.display());
    }
    // The mirror itself is never written to.
    let before = snapshot(&mirror);
    import(mirror.to_str().unwrap(), &from_dir, &[]);
    assert_eq!(snapshot(&mirror), before);
    import(mirror.to_str().unwrap(), &mirror.join("site"), &[]).assert_error(&["overlap"]);
}

#[test]
fn a_killed_import_run_again_ends_with_the_same_files() {
    let s = server();
    let tmp = tempfile::tempdir().unwrap();
    let whole = tmp.path().join("whole");
    import(&home(&s), &whole, &[]).assert_ok();
    let every = s.requests();

    s.pace(Duration::from_millis(40));
    let root = tmp.path().join("killed");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_boke"))
        .args([
            "import",
            "chinaunix",
            &home(&s),
            "--root",
            root.to_str().unwrap(),
            "--delay",
            "0",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = s.requests();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while s.requests() < start + 20 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(
        !root.join("content/posts").exists() || site_files(&root).len() < site_files(&whole).len()
    );
    s.pace(Duration::ZERO);
    let asked = s.requests();
    import(&home(&s), &root, &[]).assert_ok();
    // What the killed run had fetched (20 answers, a few more in flight) is not asked again.
    let again = s.requests() - asked;
    assert!(again <= every - 15, "{again} requests of {every}");
    let (a, b) = (site_files(&whole), site_files(&root));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(b[k] == *v, "{} differs", k.display());
    }
}

#[test]
fn a_post_edited_after_the_import_survives_the_next_import() {
    let s = server();
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    import(&home(&s), &root, &[]);
    let posts = fixture::posts();
    let rel = format!("content/posts/{}.md", posts[9].stem());
    let edited = read(&root, &rel) + "\n我后来补充的一段。\n";
    std::fs::write(root.join(&rel), &edited).unwrap();
    let other = read(&root, &format!("content/posts/{}.md", posts[10].stem()));
    let deleted = format!("content/posts/{}.md", posts[11].stem());
    std::fs::remove_file(root.join(&deleted)).unwrap();
    let run = import(&home(&s), &root, &["--refresh"]);
    has(
        &run.stdout(),
        &format!("{deleted}: deleted since the last import, not written again"),
    );
    assert!(!root.join(&deleted).exists());
    has(
        &run.stdout(),
        &format!("{rel}: changed since the last import, left as it is"),
    );
    assert_eq!(read(&root, &rel), edited);
    assert_eq!(
        read(&root, &format!("content/posts/{}.md", posts[10].stem())),
        other
    );
}

#[test]
fn an_unreachable_home_is_an_error_and_writes_nothing() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let run = import(
        &format!("http://127.0.0.1:{port}/uid/{UID}.html"),
        &root,
        &[],
    );
    run.assert_error(&["cannot read the blog's home page", "nothing was written"]);
    assert!(!root.exists());

    let s = server();
    s.remove(&format!("/uid/{UID}.html"));
    import(&home(&s), &root, &[]).assert_error(&["not found"]);
    assert!(!root.exists());
    import("ftp://x/", &root, &[]).assert_error(&["not a Chinaunix blog"]);
}

#[test]
fn a_post_that_answers_404_is_listed_and_the_rest_imported() {
    let s = server();
    let posts = fixture::posts();
    s.remove(&posts[30].path());
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let run = import(&home(&s), &root, &[]);
    has(&run.assert_ok().stdout(), "imported 32 posts");
    has(
        &run.stdout(),
        &format!("{}: not found (404)", s.url(&posts[30].path())),
    );
}

#[test]
fn an_existing_site_yaml_is_left_as_it_is() {
    let s = server();
    let site = common::TestSite::new("");
    let before = std::fs::read(site.path().join("site.yaml")).unwrap();
    let run = import(&home(&s), site.path(), &[]);
    has(
        &run.stdout(),
        "was kept as it is; to show the blog as it was, set there:",
    );
    has(
        &run.stdout(),
        &format!("  posts: \"/uid-{UID}-id-{{id}}.html\""),
    );
    assert_eq!(
        std::fs::read(site.path().join("site.yaml")).unwrap(),
        before
    );
    has(&run.stdout(), "imported 33 posts");
}

/// An import of the fixture over HTTP, then a build: (temp dir, site root, output).
fn import_and_build(s: &FixtureServer) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    // The import ends with the check: every link of the imported site leads somewhere.
    has(
        &import(&home(s), &root, &[]).assert_ok().stdout(),
        "no broken links",
    );
    let out = tmp.path().join("public");
    common::build_into(&root, &out);
    (tmp, root, out)
}

fn page(out: &Path, p: &FixturePost) -> scraper::Html {
    scraper::Html::parse_document(&read(out, &p.path()[1..]))
}

fn texts(doc: &scraper::Html, css: &str) -> Vec<String> {
    common::select(doc, css)
        .iter()
        .map(|e| {
            common::text(e)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
fn an_imported_blog_builds_with_every_post_at_its_old_address() {
    let s = server();
    let (_tmp, _root, out) = import_and_build(&s);
    let posts = fixture::posts();
    for p in &posts {
        let doc = page(&out, p);
        if let Some(t) = &p.title {
            assert_eq!(texts(&doc, "h2.post-title"), [t.as_str()], "{}", p.path());
        }
        assert_eq!(texts(&doc, ".post-meta time"), [p.time.as_str()]);
        assert_eq!(
            texts(&doc, "p.entry-counts"),
            [format!(
                "阅读({}) | 评论({}) | 转发({})",
                p.views, p.comments, p.shares
            )]
        );
        assert_eq!(texts(&doc, ".post-meta a")[0], p.category);
    }
    // A hostile title is text on the page, not markup.
    let doc = page(&out, &posts[fixture::HOSTILE_TITLE]);
    assert!(common::select(&doc, "article script").is_empty());
    assert!(
        texts(&doc, "h2.post-title")[0].starts_with("<script>alert('t')</script> {{ site.title }}")
    );

    // The sidebar counts what the blog's sidebar counted.
    let doc = page(&out, &posts[0]);
    assert_eq!(
        texts(&doc, "section.archives li"),
        ["2016年(3)", "2015年(10)", "2014年(20)"]
    );
    let mut cats = texts(&doc, "section.categories li");
    cats.sort();
    let mut want: Vec<String> = fixture::CATEGORIES
        .iter()
        .map(|(name, _)| {
            format!(
                "{name}({})",
                posts.iter().filter(|p| p.category == *name).count()
            )
        })
        .collect();
    want.sort();
    assert_eq!(cats, want);

    // Served by nginx, every post's old address is its page, and the showart form leads to it.
    let nginx = nginx::Nginx::serve(&out, "/");
    let base = nginx.base("/");
    for p in &posts {
        let (path, _) = follow(&base, &p.path());
        assert_eq!(path, p.path());
    }
    let old = &posts[fixture::OLD_ADDRESS];
    let (path, doc) = follow(&base, &format!("/u/{UID}/showart_{}.html", old.id));
    assert_eq!(path, old.path());
    assert_eq!(texts(&doc, "h2.post-title"), [old.title.clone().unwrap()]);
}

#[test]
fn an_imported_blog_shows_comments_and_images_and_redirects_its_old_lists() {
    let s = server();
    let (_tmp, _root, out) = import_and_build(&s);
    let posts = fixture::posts();

    let c = &posts[fixture::COMMENTS];
    let doc = page(&out, c);
    let comments = texts(&doc, "section.comments li.comment");
    assert_eq!(comments.len(), 4, "{comments:?}");
    has(&comments[0], "路人甲");
    has(&comments[0], "写得好！");
    has(&comments[2], "<img src=x onerror=alert(1)>");
    has(
        &comments[2],
        "<script>alert('c')</script> {{ site.title }} {% if x %}",
    );
    assert!(common::select(&doc, "section.comments script, section.comments img").is_empty());
    for a in common::select(&doc, "section.comments a") {
        assert_eq!(a.value().attr("rel"), Some("nofollow ugc"));
        assert!(
            a.value().attr("href").unwrap().starts_with("http"),
            "{:?}",
            a.value().attr("href")
        );
    }

    let img = &posts[fixture::IMAGES];
    let doc = page(&out, img);
    let srcs: Vec<String> = common::select(&doc, ".post-body img")
        .iter()
        .map(|i| i.value().attr("src").unwrap().to_string())
        .collect();
    let dir = img.path().trim_end_matches(".html").to_string();
    assert_eq!(
        std::fs::read(out.join(format!("{}/{UID}_1401780000aB3d.png", &dir[1..]))).unwrap(),
        b"\x89PNG fixture one"
    );
    assert!(
        srcs.iter()
            .any(|s| s.ends_with(&format!("{dir}/{UID}_1401780000aB3d.png"))),
        "{srcs:?}"
    );
    assert!(
        srcs.iter()
            .any(|s| s.ends_with("gone.gif") && s.starts_with("http://blog.chinaunix.net/"))
    );

    let nginx = nginx::Nginx::serve(&out, "/");
    let base = nginx.base("/");
    for (old, new) in [
        (format!("/uid/{UID}.html"), "/".to_string()),
        (format!("/uid/{UID}/list/3.html"), "/page/3/".to_string()),
        (
            format!("/uid/{UID}/year-2015-list-1.html"),
            "/archives/2015/".to_string(),
        ),
        (
            format!("/uid/{UID}/cid-102-list-1.html"),
            "/categories/网络协议/".to_string(),
        ),
    ] {
        let (path, _) = follow(&base, &old);
        let decoded = percent_encoding::percent_decode_str(&path)
            .decode_utf8()
            .unwrap();
        assert_eq!(decoded, new, "{old}");
    }
}

#[test]
fn a_post_the_list_pages_miss_is_named_and_found_on_its_year_page() {
    let mut site = fixture::site();
    let posts = fixture::posts();
    let hidden = &posts[fixture::TABLE];
    // List page 3 (2014's newest posts) loses one entry, as a shifted page would.
    let list = format!("/uid/{UID}/list/3.html");
    let text = encoding_rs::GBK.decode(&site[&list].body).0.into_owned();
    let start = text.find(&format!("<div class=\"Blog_right1_2\"><div class=\"Blog_tit4\"><b class=\"Blog_b1\"></b><a href=\"{}\"", hidden.path())).expect("the entry");
    let end = start + text[start..].find("</p></div>").unwrap() + "</p></div>".len();
    let text = format!("{}{}", &text[..start], &text[end..]);
    site.get_mut(&list).unwrap().body = encoding_rs::GBK.encode(&text).0.into_owned();
    let s = FixtureServer::start(site);
    let tmp = tempfile::tempdir().unwrap();
    let run = import(&home(&s), &tmp.path().join("site"), &[]);
    let out = run.assert_ok().stdout();
    has(
        &out,
        "the sidebar counts 33 posts (2016年（3） 2015年（10） 2014年（20）), the list pages show 32",
    );
    has(
        &out,
        &format!("found on the year pages and imported: {}", hidden.id),
    );
    has(&out, "imported 33 posts");
}

#[test]
fn a_page_that_does_not_decode_is_named_and_the_rest_imported() {
    let mut site = fixture::site();
    let posts = fixture::posts();
    // GBK bytes sent as UTF-8.
    site.get_mut(&posts[9].path()).unwrap().content_type = "text/html; charset=utf-8".into();
    let s = FixtureServer::start(site);
    let tmp = tempfile::tempdir().unwrap();
    let run = import(&home(&s), &tmp.path().join("site"), &[]);
    let out = run.assert_ok().stdout();
    has(&out, "imported 32 posts");
    has(
        &out,
        &format!("{}: the page is not valid UTF-8", s.url(&posts[9].path())),
    );
}
