//! `boke import hexo` and `boke import jekyll` over the fixture sites in tests/fixtures: every
//! post, page and image arrives, each old address reaches its post when nginx serves the
//! result, `boke check` passes, a second import changes nothing, the old site is untouched.

use crate::common;
use crate::common::nginx;

use common::{Run, boke, snapshot};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn import(kind: &str, dir: &Path, root: &Path) -> Run {
    boke(&[
        "import",
        kind,
        dir.to_str().unwrap(),
        "--root",
        root.to_str().unwrap(),
    ])
}

fn has(text: &str, needle: &str) {
    assert!(text.contains(needle), "{needle:?} not in:\n{text}");
}

/// The post's (or page's) heading, else the document's title.
fn title(doc: &scraper::Html) -> String {
    ["h2.post-title", "title"]
        .iter()
        .find_map(|css| common::select(doc, css).first().map(common::text))
        .unwrap_or_default()
}

/// What a user runs, and what they see: every post at its old address and everything the
/// posts showed.
#[test]
fn a_hexo_blog_moves_in_whole() {
    let src = fixture("import_hexo");
    let before = snapshot(&src);
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let run = import("hexo", &src, &root);
    let said = run.assert_ok().stdout();
    // The check at the end passed, and every fix is listed.
    has(&said, "no broken links");
    has(&said, "imported 5 posts");
    has(
        &said,
        "`2015-03-01 18:51:79` had the time 18:51:79 rolled over",
    );
    has(&said, "`2022-01-027` had a padded month or day");
    has(&said, "no front matter; the title `没有头信息的文章`");
    has(&said, "{% youtube %} has no Markdown form");
    assert_eq!(snapshot(&src), before, "the old site was written to");

    // Settings from _config.yml.
    let yaml = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    for want in [
        "title: \"旧博客\"",
        "subtitle: \"notes: kernel and more\"",
        "timezone: \"+08:00\"",
        "base_url: \"http://old.example.org/\"",
        "language: \"zh\"",
        "paginate: 5",
        "posts: \"/{year}/{month}/{day}/{slug}/\"",
    ] {
        has(&yaml, want);
    }
    // Posts keep their folders; the asset folder and source/images come along; the draft
    // stays a draft; the about page is a page.
    for f in [
        "content/posts/2014-11-19-slab.md",
        "content/posts/2014-11-19-slab/diagram.png",
        "content/posts/linux/调度器.md",
        "content/posts/padded.md",
        "content/posts/2016-05-07-no-front.md",
        "content/pages/about.md",
        "static/images/sched.png",
    ] {
        assert!(root.join(f).is_file(), "{f} missing");
    }
    has(
        &std::fs::read_to_string(root.join("content/posts/idea.md")).unwrap(),
        "draft: true",
    );

    let out = tmp.path().join("public");
    common::build_into(&root, &out);
    assert!(!out.join("2023").exists(), "the draft was published");
    assert_eq!(
        std::fs::read(out.join("2014/11/19/slab/diagram.png")).unwrap(),
        std::fs::read(src.join("source/_posts/2014-11-19-slab/diagram.png")).unwrap()
    );
    let slab = std::fs::read_to_string(out.join("2014/11/19/slab/index.html")).unwrap();
    has(&slab, "diagram.png");
    has(&slab, "language-c");
    has(&slab, "kmem_cache_create");
    let sched = std::fs::read_to_string(out.join("2015/03/01/调度器/index.html")).unwrap();
    has(&sched, "<blockquote>");
    has(&sched, "/images/sched.png");
    has(&sched, "{{ 不是模板 }}");

    // Served by nginx, every old address reaches its post.
    let server = nginx::Nginx::serve(&out, "/");
    let base = server.base("/");
    for (old, want_path, want_title) in [
        ("/2014/11/19/slab/", "/2014/11/19/slab/", "Slab 分配器入门"),
        (
            "/2015/03/01/linux/调度器/",
            "/2015/03/01/调度器/",
            "调度器笔记",
        ),
        ("/2022/01/27/padded/", "/2022/01/27/padded/", "补零的日期"),
        (
            "/2016/05/07/no-front/",
            "/2016/05/07/no-front/",
            "没有头信息的文章",
        ),
        ("/about/", "/about/", "关于我"),
    ] {
        let (path, doc) = nginx::follow(&base, old);
        assert_eq!(path, want_path, "{old}");
        has(&title(&doc), want_title);
    }
    boke(&["check", "--root", root.to_str().unwrap()]).assert_ok();

    // Again: nothing changes.
    let site_before = snapshot(&root);
    let again = import("hexo", &src, &root);
    has(&again.assert_ok().stdout(), "0 files written");
    assert_eq!(snapshot(&root), site_before);
    assert_eq!(snapshot(&src), before);
}

#[test]
fn a_jekyll_blog_moves_in_whole() {
    let src = fixture("import_jekyll");
    let before = snapshot(&src);
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let said = import("jekyll", &src, &root).assert_ok().stdout();
    has(&said, "no broken links");
    has(&said, "imported 3 posts");
    has(&said, "America/New_York` has summer time");
    has(&said, "index.html: a template of the old generator");
    assert_eq!(snapshot(&src), before, "the old site was written to");
    assert!(!root.join("static/index.html").exists());
    assert!(!root.join("static/Gemfile").exists());
    let yaml = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    has(&yaml, "author: \"Jane Roe\"");
    has(&yaml, "posts: \"/blog/{year}/{month}/{day}/{slug}/\"");

    let out = tmp.path().join("public");
    common::build_into(&root, &out);
    let hello =
        std::fs::read_to_string(out.join("blog/2013/01/05/hello-jekyll/index.html")).unwrap();
    has(&hello, "/assets/cat.png");
    has(&hello, "a sleeping cat");
    has(&hello, "language-ruby");
    assert!(out.join("assets/cat.png").is_file());
    assert!(out.join("categories/notes/index.html").is_file());
    let second = std::fs::read_to_string(out.join("blog/2013/02/10/second/index.html")).unwrap();
    has(&second, "/blog/2013/01/05/hello-jekyll/");

    let server = nginx::Nginx::serve(&out, "/");
    let base = server.base("/");
    for (old, want) in [
        ("/blog/2013/01/05/hello-jekyll/", "Hello, Jekyll"),
        ("/blog/2013/02/10/second/", "Second"),
        ("/about/", "About"),
    ] {
        let (path, doc) = nginx::follow(&base, old);
        assert_eq!(path, old);
        has(&title(&doc), want);
    }

    let site_before = snapshot(&root);
    has(
        &import("jekyll", &src, &root).assert_ok().stdout(),
        "0 files written",
    );
    assert_eq!(snapshot(&root), site_before);
}

#[test]
fn an_import_never_writes_into_the_old_site() {
    // A copy, so that a failure of this test cannot leave files in the fixture.
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("old");
    for e in walkdir::WalkDir::new(fixture("import_hexo")) {
        let e = e.unwrap();
        let to = src.join(e.path().strip_prefix(fixture("import_hexo")).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    let before = snapshot(&src);
    let inside = src.join("new-site");
    import("hexo", &src, &inside).assert_error(&["inside the old one"]);
    assert!(!inside.exists());
    assert_eq!(snapshot(&src), before);
}
