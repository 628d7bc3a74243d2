//! Feeds, sitemap and robots.txt, read back by real parsers (feed-rs for Atom and RSS,
//! roxmltree for the sitemap's XML).

use crate::common;
use common::*;

fn site_with_posts(config: &str, n: usize) -> TestSite {
    let site = TestSite::new(&format!("base_url: https://example.org/blog/\n{config}"));
    for i in 0..n {
        site.post(
            &format!("p{i:02}"),
            &format!(
                "title: \"第{i}篇 <b>&</b>\"\ndate: 2014-03-{:02} 10:00:00\ncategory: {}\n",
                i + 1,
                if i % 2 == 0 { "网络" } else { "内存" }
            ),
            &format!("摘要{i}。\n\n<!-- more -->\n\n正文{i} with `code` & <em>html</em>。\n"),
        );
    }
    site
}

fn parse(site: &TestSite, file: &str) -> feed_rs::model::Feed {
    let bytes = std::fs::read(site.out().join(file)).unwrap();
    feed_rs::parser::parse(&bytes[..]).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn atom_and_rss_list_the_newest_posts_with_absolute_links() {
    let site = site_with_posts("feed_limit: 5\n", 8);
    site.build(&[]).assert_ok();
    for file in ["atom.xml", "rss.xml"] {
        let feed = parse(&site, file);
        assert_eq!(feed.entries.len(), 5, "{file}: feed_limit");
        let first = &feed.entries[0];
        assert_eq!(
            first.title.as_ref().unwrap().content,
            "第7篇 <b>&</b>",
            "{file}: titles are escaped once"
        );
        assert_eq!(
            first.links[0].href, "https://example.org/blog/posts/p07/",
            "{file}"
        );
        let published = first.published.unwrap();
        assert_eq!(
            published.to_rfc3339(),
            "2014-03-08T02:00:00+00:00",
            "{file}: 10:00 at +08:00"
        );
        let titles: Vec<_> = feed
            .entries
            .iter()
            .map(|e| e.title.as_ref().unwrap().content.clone())
            .collect();
        assert_eq!(titles[4], "第3篇 <b>&</b>", "{file}: newest first");
    }
    let atom = parse(&site, "atom.xml");
    let summary = atom.entries[0].summary.as_ref().unwrap().content.clone();
    assert!(
        summary.contains("摘要7") && !summary.contains("正文7"),
        "summaries by default: {summary}"
    );
}

#[test]
fn full_content_and_per_category_feeds() {
    let site = site_with_posts("feed_content: full\n", 6);
    site.build(&[]).assert_ok();
    let atom = parse(&site, "atom.xml");
    let content = atom.entries[0]
        .content
        .as_ref()
        .unwrap()
        .body
        .clone()
        .unwrap();
    assert!(
        content.contains("正文5") && content.contains("<em>html</em>"),
        "{content}"
    );
    for (file, want) in [
        ("categories/网络/atom.xml", 3),
        ("categories/内存/rss.xml", 3),
    ] {
        let feed = parse(&site, file);
        assert_eq!(feed.entries.len(), want, "{file}");
        assert!(
            feed.title
                .unwrap()
                .content
                .ends_with(if file.contains("网络") {
                    "网络"
                } else {
                    "内存"
                })
        );
    }
}

#[test]
fn sitemap_is_well_formed_and_lists_every_post() {
    let site = site_with_posts("", 4);
    site.build(&[]).assert_ok();
    let xml = site.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    for i in 0..4 {
        assert!(
            locs.contains(&format!("https://example.org/blog/posts/p{i:02}/").as_str()),
            "{locs:?}"
        );
    }
    assert!(locs.contains(&"https://example.org/blog/"));
    assert!(locs.contains(&"https://example.org/blog/archives/2014/"));
    let robots = site.read("robots.txt");
    assert!(
        robots.contains("Sitemap: https://example.org/blog/sitemap.xml"),
        "{robots}"
    );
}

#[test]
fn tags_pages_and_hot_posts() {
    let site = TestSite::new("hot_posts: 2\n");
    site.post(
        "a",
        "title: A\ndate: 2014-01-01\nviews: 10\ntags: [slab, mm]\n",
        "x\n",
    );
    site.post(
        "b",
        "title: B\ndate: 2014-01-02\nviews: 300\ntags: [slab]\n",
        "x\n",
    );
    site.post("c", "title: C\ndate: 2014-01-03\nviews: 20\n", "x\n");
    site.build(&[]).assert_ok();
    let doc = site.html("index.html");
    let hot: Vec<_> = select(&doc, ".hot li a").iter().map(text).collect();
    assert_eq!(hot, ["B", "C"]);
    let tags: Vec<_> = select(&doc, ".tags a").iter().map(text).collect();
    assert_eq!(tags, ["slab(2)", "mm(1)"]);
    assert_eq!(
        select(&doc, ".tags a")[0].value().attr("href"),
        Some("/tags/slab/")
    );
    let page = site.html("tags/slab/index.html");
    let titles: Vec<_> = select(&page, ".entry-title a").iter().map(text).collect();
    assert_eq!(titles, ["B", "A"]);
}

#[test]
fn control_characters_do_not_break_feeds() {
    let site = TestSite::new("base_url: https://example.org/\nfeed_content: full\n");
    site.write_bytes(
        "content/posts/ctl.md",
        b"---\ntitle: \"a\\x01b\"\ndate: 2014-01-01\n---\nterminal \x1b[31mred\x1b[0m \x02 text\n",
    );
    site.build(&[]).assert_ok();
    for file in ["atom.xml", "rss.xml", "sitemap.xml"] {
        let xml = site.read(file);
        roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{file}: {e}"));
    }
    let feed = parse(&site, "atom.xml");
    assert_eq!(feed.entries[0].title.as_ref().unwrap().content, "ab");
}
