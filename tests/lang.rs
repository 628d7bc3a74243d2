//! Labels follow `language:`: the same site built in English and in Chinese shows each
//! language's labels (and nothing of the other), a site rewords single labels under `labels:`,
//! and an unknown language or label stops the build at its line in site.yaml.

use crate::common;
use common::*;

fn texts(doc: &scraper::Html, css: &str) -> Vec<String> {
    select(doc, css).iter().map(text).collect()
}

fn one(doc: &scraper::Html, css: &str) -> String {
    let all = texts(doc, css);
    assert_eq!(all.len(), 1, "{css}: {all:?}");
    all[0].trim().to_string()
}

fn attr(doc: &scraper::Html, css: &str, name: &str) -> String {
    select(doc, css)[0]
        .value()
        .attr(name)
        .unwrap_or_default()
        .to_string()
}

/// Every CJK character in a page's text and attributes.
fn cjk(doc: &scraper::Html) -> String {
    let attrs = doc
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
        .flat_map(|e| {
            e.value()
                .attrs()
                .map(|(_, v)| v.to_string())
                .collect::<Vec<_>>()
        });
    doc.root_element()
        .text()
        .map(str::to_string)
        .chain(attrs)
        .flat_map(|s| s.chars().collect::<Vec<_>>())
        .filter(|c| ('\u{3000}'..='\u{9fff}').contains(c) || ('\u{ff00}'..='\u{ffef}').contains(c))
        .collect()
}

const PAGES: [&str; 6] = [
    "index.html",
    "page/2/index.html",
    "posts/p1/index.html",
    "archives/2014/index.html",
    "categories/mm/index.html",
    "404.html",
];

#[test]
fn english_site_shows_english_labels_and_no_chinese() {
    let site = ascii_site("language: en\n");
    for page in PAGES {
        let doc = site.html(page);
        assert_eq!(attr(&doc, "html", "lang"), "en", "{page}");
        assert_eq!(cjk(&doc), "", "{page} shows Chinese");
    }

    let home = site.html("index.html");
    assert_eq!(one(&home, ".entry-time"), "Published: March 4, 2015 12:00");
    assert_eq!(one(&home, ".entry-excerpt .more a"), "Read more");
    assert_eq!(
        one(&home, ".entry-counts"),
        "Views (3) | Comments (0) | Shares (0)"
    );
    assert_eq!(one(&home, ".pager-now"), "Page 1 of 3");
    assert_eq!(texts(&home, ".pager a"), ["Next", "Last"]);
    assert_eq!(
        texts(&home, ".sidebar h2"),
        ["Categories", "Most read", "Archives", "Tags"]
    );
    assert_eq!(
        texts(&home, ".stats li"),
        [
            "Visits: 12",
            "Posts: 3",
            "Points: 0",
            "Level: private",
            "Tech points: 0",
            "Group: users",
            "Joined: 2014-02-20 08:27"
        ]
    );
    assert_eq!(texts(&home, ".archives a"), ["2015 (1)", "2014 (2)"]);
    assert_eq!(texts(&home, ".categories a"), ["mm (3)"]);
    assert_eq!(one(&home, ".guestbook h2"), "Leave a message");
    assert_eq!(attr(&home, "form.search input", "placeholder"), "Search");
    assert_eq!(
        attr(&home, "form.search", "data-none"),
        "No posts found for “{q}”"
    );
    assert_eq!(
        one(&site.html("page/2/index.html"), "title"),
        "Kernel notes - Page 2"
    );

    let post = site.html("posts/p1/index.html");
    let meta = one(&post, ".post-meta");
    for part in [
        "Published: January 2, 2014 10:00",
        "| Category: mm",
        "| Tags: slab, vm",
        "| Words: 6",
        "| Reading time: 1 min",
    ] {
        assert!(meta.contains(part), "{part:?} not in {meta:?}");
    }
    assert_eq!(one(&post, ".toc-title"), "Contents");
    assert_eq!(
        texts(&post, ".post-nav p"),
        ["Previous: none", "Next: Post 2"]
    );

    let year = site.html("archives/2014/index.html");
    assert_eq!(one(&year, "title"), "Posts from 2014 - Kernel notes");
    assert_eq!(one(&year, ".list-title"), "Archive: 2014 (2)");
    assert_eq!(
        one(&site.html("categories/mm/index.html"), ".list-title"),
        "Category: mm (3)"
    );
    assert_eq!(
        one(&site.html("404.html"), ".notfound h2"),
        "404 Page not found"
    );
}

#[test]
fn the_same_site_in_chinese_shows_chinese_labels() {
    for settings in ["language: zh\n", ""] {
        let site = ascii_site(settings);
        let home = site.html("index.html");
        assert_eq!(attr(&home, "html", "lang"), "zh");
        assert_eq!(one(&home, ".entry-time"), "发布时间:2015-03-04 12:00:00");
        assert_eq!(one(&home, ".entry-excerpt .more"), "......【阅读全文】");
        assert_eq!(one(&home, ".entry-counts"), "阅读(3) | 评论(0) | 转发(0)");
        assert_eq!(one(&home, ".pager-now"), "第 1 页 / 共 3 页");
        assert_eq!(
            texts(&home, ".sidebar h2"),
            ["文章分类", "热门文章", "文章存档", "标签"]
        );
        assert_eq!(texts(&home, ".archives a"), ["2015年(1)", "2014年(2)"]);
        assert_eq!(one(&home, ".guestbook h2"), "给主人留下些什么吧!~~");
        assert!(!home.root_element().html().contains("Read more"));
        let post = site.html("posts/p1/index.html");
        assert!(one(&post, ".post-meta").contains("| 阅读时长: 1 分钟"));
        assert_eq!(
            texts(&post, ".post-nav p"),
            ["上一篇: 没有了", "下一篇: Post 2"]
        );
    }
}

#[test]
fn a_site_rewords_single_labels_and_keeps_its_date_format() {
    let site = ascii_site(
        "language: en\ndate_format: \"%Y-%m-%d\"\nlabels:\n  read_more: Continue reading\n  page_of: \"{n}/{total}\"\n",
    );
    let home = site.html("index.html");
    assert_eq!(one(&home, ".entry-excerpt .more a"), "Continue reading");
    assert_eq!(one(&home, ".pager-now"), "1/3");
    assert_eq!(one(&home, ".entry-time"), "Published: 2015-03-04");
    assert_eq!(texts(&home, ".pager a"), ["Next", "Last"]);
}

#[test]
fn unknown_language_stops_the_build_at_its_line() {
    let site = TestSite::new("language: fr\n");
    site.build(&[])
        .assert_error(&["site.yaml:2", "language `fr`", "zh, en"]);
}

#[test]
fn unknown_label_stops_the_build_at_its_line() {
    let site = TestSite::new("labels:\n  read_more: 继续阅读\n  raed_more: x\n");
    site.build(&[])
        .assert_error(&["site.yaml:4", "raed_more", "did you mean `read_more`"]);
    let site = TestSite::new("labels:\n  page_of: \"{page}\"\n");
    site.build(&[])
        .assert_error(&["site.yaml:3", "{page}", "{n}, {total}"]);
}
