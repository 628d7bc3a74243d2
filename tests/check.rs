//! `@/` links between posts, and `boke check`.

use crate::common;
use common::*;

#[test]
fn internal_links_between_posts_resolve_at_build_time() {
    let site = TestSite::new("");
    site.post(
        "2014-11-19-slab",
        "title: slab\ndate: 2014-11-19\n",
        "## 基本原理\n\n正文\n",
    );
    site.post(
        "2014-12-01-kmalloc",
        "title: kmalloc\ndate: 2014-12-01\n",
        "见 [slab](@/posts/2014-11-19-slab.md#基本原理)。\n",
    );
    site.build(&[]).assert_ok();
    let doc = site.html("posts/kmalloc/index.html");
    let href = select(&doc, ".post-body a")[0]
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    // pulldown-cmark percent-encodes the fragment, as browsers do.
    assert_eq!(href, "/posts/slab/#%E5%9F%BA%E6%9C%AC%E5%8E%9F%E7%90%86");
}

#[test]
fn a_missing_target_names_both_files() {
    let site = TestSite::new("");
    site.post(
        "a",
        "title: a\ndate: 2014-11-19\n",
        "first line\n\nsee [b](@/posts/nope.md)\n",
    );
    site.build(&[]).assert_error(&[
        "content/posts/a.md:7",
        "@/posts/nope.md",
        "content/posts/nope.md",
    ]);
}

#[test]
fn check_finds_planted_broken_links_and_anchors() {
    let site = TestSite::new("");
    site.post(
        "a",
        "title: a\ndate: 2014-11-19\n",
        "摘要。\n\n<!-- more -->\n\n## 有的\n\n[ok](#有的) [bad anchor](#没有) [bad page](/posts/nothing/)\n",
    );
    let run = boke(&["check", "--root", site.path().to_str().unwrap()]);
    run.assert_error(&["posts/a/index.html", "#没有", "/posts/nothing/", "no page"]);
    assert!(!run.stderr().contains("#有的"), "{}", run.stderr());
    assert!(!site.out().exists(), "check writes nothing");
}

#[test]
fn the_default_site_has_no_broken_links() {
    let run = boke(&["check", "--root", env!("CARGO_MANIFEST_DIR")]);
    run.assert_ok();
    assert!(run.stdout().contains("no broken links"));
}
