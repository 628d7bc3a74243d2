//! The repository's own site mirrors the seed page: same entries, times, counts and profile,
//! and every internal link of the built site resolves to a file.

use crate::common;
use common::*;
use std::path::Path;

struct SeedEntry {
    time: String,
    lines: Vec<String>,
    counts: (u64, u64, u64),
}

/// The entries of the seed page (tests/fixtures/seed.txt is a copy of shared/seed/).
fn seed_entries() -> Vec<SeedEntry> {
    let seed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed.txt"),
    )
    .unwrap();
    let mut out = Vec::new();
    let mut current: Option<SeedEntry> = None;
    for line in seed.lines() {
        let line = line.trim().trim_start_matches('?').trim();
        if let Some(t) = line.strip_prefix("发布时间:") {
            current = Some(SeedEntry {
                time: t.to_string(),
                lines: Vec::new(),
                counts: (0, 0, 0),
            });
        } else if let Some(rest) = line.strip_prefix("阅读(") {
            let nums: Vec<u64> = rest
                .split(|c: char| !c.is_ascii_digit())
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().unwrap())
                .collect();
            let mut e = current.take().expect("counts after a time");
            e.counts = (nums[0], nums[1], nums[2]);
            out.push(e);
        } else if let Some(e) = current.as_mut() {
            let l = line.replace("......【阅读全文】", "");
            if !l.is_empty() {
                e.lines.push(l);
            }
        }
    }
    out
}

fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '?')
        .collect()
}

#[test]
fn listing_mirrors_the_seed_page() {
    let seed = seed_entries();
    assert_eq!(seed.len(), 20);
    let (_tmp, out) = build_default_site();
    let doc =
        scraper::Html::parse_document(&std::fs::read_to_string(out.join("index.html")).unwrap());
    let entries = select(&doc, "article.entry");
    assert_eq!(entries.len(), 20, "the seed shows 20 a page");
    for (e, s) in entries.iter().zip(&seed) {
        let doc = scraper::Html::parse_fragment(&e.html());
        let time = text(&select(&doc, ".entry-time")[0]);
        assert_eq!(time, format!("发布时间:{}", s.time));
        let counts = text(&select(&doc, ".entry-counts")[0]);
        assert_eq!(
            counts,
            format!(
                "阅读({}) | 评论({}) | 转发({})",
                s.counts.0, s.counts.1, s.counts.2
            )
        );
        let more = select(&doc, ".entry-excerpt .more");
        assert_eq!(text(&more[0]), "......【阅读全文】");
        let title = select(&doc, ".entry-title").first().map(text);
        let excerpt: String = select(&doc, ".entry-excerpt > :not(.more)")
            .iter()
            .map(text)
            .collect();
        match &title {
            Some(t) => assert_eq!(squash(t), squash(&s.lines[0]), "{}", s.time),
            None if s.lines.is_empty() => assert_eq!(squash(&excerpt), "", "{}", s.time),
            None => assert!(
                squash(&excerpt).starts_with(&squash(&s.lines[0])),
                "{}: {excerpt}",
                s.time
            ),
        }
    }
}

#[test]
fn profile_sidebar_and_guestbook_mirror_the_seed() {
    let (_tmp, out) = build_default_site();
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let stats: Vec<_> = select(&doc, ".stats li").iter().map(text).collect();
    assert_eq!(
        stats,
        [
            "博客访问: 1248249",
            "博文数量: 20",
            "博客积分: 0",
            "博客等级: 民兵",
            "技术积分: 4004",
            "用 户 组: 普通用户",
            "注册时间: 2014-02-20 08:27"
        ]
    );
    let years: Vec<_> = select(&doc, ".archives li").iter().map(text).collect();
    assert_eq!(years, ["2014年(20)"]);
    let nav: Vec<_> = select(&doc, ".topnav a").iter().map(text).collect();
    assert_eq!(nav, ["Chinaunix首页", "论坛", "博客"]);
    for label in [
        "文章分类",
        "文章存档",
        "给主人留下些什么吧!~~",
        "啦哆A梦",
        "2014-02-21 11:08",
        "回复",
        "举报",
        "留言热议",
        "请登录后留言。",
    ] {
        assert!(html.contains(label), "{label}");
    }
    let categories: u64 = select(&doc, ".categories li")
        .iter()
        .map(|li| {
            text(li)
                .rsplit('(')
                .next()
                .unwrap()
                .trim_end_matches(')')
                .parse::<u64>()
                .unwrap()
        })
        .sum();
    assert_eq!(categories, 20, "every post has a category");
}

#[test]
fn every_internal_link_resolves() {
    let (_tmp, out) = build_default_site();
    let sel = scraper::Selector::parse("a[href], link[href], img[src], script[src]").unwrap();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let doc = scraper::Html::parse_document(&std::fs::read_to_string(entry.path()).unwrap());
        for el in doc.select(&sel) {
            let url = el.value().attr("href").or(el.value().attr("src")).unwrap();
            if !url.starts_with('/') {
                continue;
            }
            let path = url.split(['#', '?']).next().unwrap();
            let decoded = percent_encoding::percent_decode_str(path)
                .decode_utf8()
                .unwrap();
            let mut file = out.join(decoded.trim_start_matches('/'));
            if decoded.ends_with('/') {
                file = file.join("index.html");
            }
            assert!(
                file.is_file(),
                "{}: {url} -> {} missing",
                entry.path().display(),
                file.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 300, "only {checked} links checked");
}

#[test]
fn every_post_has_a_page_with_neighbours() {
    let (_tmp, out) = build_default_site();
    let posts: Vec<_> = std::fs::read_dir(out.join("posts")).unwrap().collect();
    assert_eq!(posts.len(), 20);
    let doc = scraper::Html::parse_document(
        &std::fs::read_to_string(out.join("posts/slab/index.html")).unwrap(),
    );
    assert_eq!(
        text(&select(&doc, "h2.post-title")[0]),
        "kernel 3.10内核源码分析--slab原理及相关代码"
    );
    let nav = text(&select(&doc, ".post-nav")[0]);
    assert!(nav.contains("上一篇") && nav.contains("下一篇"), "{nav}");
    assert!(
        !select(&doc, ".post-body pre code").is_empty(),
        "the slab post has code"
    );
    assert_eq!(
        select(&doc, ".sidebar .stats li").len(),
        7,
        "the sidebar is on post pages too"
    );
}

#[test]
fn every_page_parses_as_html5_without_errors() {
    // The parser does report errors: a stray end tag is one.
    assert!(
        !scraper::Html::parse_document("<!DOCTYPE html><p></div>")
            .errors
            .is_empty()
    );
    let (_tmp, out) = build_default_site();
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let doc = scraper::Html::parse_document(&std::fs::read_to_string(entry.path()).unwrap());
        assert!(
            doc.errors.is_empty(),
            "{}: {:?}",
            entry.path().display(),
            doc.errors
        );
        pages += 1;
    }
    assert!(pages >= 60, "{pages} pages");
}
