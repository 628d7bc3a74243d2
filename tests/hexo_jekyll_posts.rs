//! `boke build` over posts written for Hexo and Jekyll, as they are: dates only in file names,
//! tab-indented front matter, padded keys, sub-folders, Jekyll's `categories: a b` and its
//! Markdown extensions; and what neither reads is still reported, every file at once.

use crate::common;
use common::{TestSite, select, text};

fn site() -> TestSite {
    let site = TestSite::new("timezone: \"+08:00\"\n");
    // Hexo: tab-indented lists, a padded key, in a sub-folder.
    site.write(
        "content/posts/linux/2014-11-19-slab.md",
        "---\ntitle   : Slab 分配器\ndate: 2014-11-19 10:00:00\ntags:\n\t- 内存\n\t- mm\ncategories:\n\t- 内核\n---\n正文\n",
    );
    // Jekyll: the date in the file name only, one-digit month and day, `.markdown`.
    site.write(
        "content/posts/2013-1-5-hello-jekyll.markdown",
        "---\ntitle: Hello Jekyll\ncategories: notes misc\n---\nhello\n",
    );
    site.write(
        "content/posts/2012-06-30-old.mkdn",
        "---\ntitle: Old one\n---\nold\n",
    );
    // `c++` and trailing dots are names like others.
    site.write(
        "content/posts/2015-02-03-c++.md",
        "---\ntitle: C++\n---\ncpp\n",
    );
    site
}

#[test]
fn hexo_and_jekyll_posts_build_as_those_tools_build_them() {
    let site = site();
    site.build(&[]).assert_ok();
    let slab = site.html("posts/slab/index.html");
    assert!(
        select(&slab, "a")
            .iter()
            .any(|a| text(a) == "内核" || text(a).starts_with("内核")),
        "the category from a tab-indented list is shown"
    );
    let page = site.read("posts/slab/index.html");
    assert!(
        page.contains("Slab 分配器"),
        "the padded `title   :` is read"
    );
    assert!(page.contains("mm"), "the tab-indented tags are read");
    let hello = site.read("posts/hello-jekyll/index.html");
    assert!(
        hello.contains("2013-01-05"),
        "the date comes from the file name"
    );
    assert!(site.out().join("categories/notes/index.html").exists());
    assert!(site.read("posts/old/index.html").contains("2012-06-30"));
    assert!(site.read("posts/c++/index.html").contains("cpp"));
}

#[test]
fn what_neither_reads_is_reported_for_every_file_with_its_line() {
    let site = site();
    site.write("content/posts/nodate.md", "---\ntitle: t\n---\n");
    site.write(
        "content/posts/2014-02-30-impossible.md",
        "---\ntitle: t\n---\n",
    );
    site.write(
        "content/posts/2014-01-01-broken.md",
        "---\ntitle: t\ntags:\n\t- a\n\t  b: [\n---\n",
    );
    site.build(&[]).assert_error(&[
        "content/posts/nodate.md: the front matter has no `date`",
        "content/posts/2014-02-30-impossible.md: the front matter has no `date`",
        "content/posts/2014-01-01-broken.md:",
        "3 errors",
    ]);
    assert!(!site.out().exists());
}
