//! `boke build` over small fixture sites: listing, pagination, archives, excerpts, front matter
//! conventions, templates, determinism and output safety.

use crate::common;
use common::*;

fn post_front(title: &str, date: &str) -> String {
    format!("title: \"{title}\"\ndate: {date}\n")
}

fn entries(site: &TestSite, page: &str) -> Vec<String> {
    let doc = site.html(page);
    select(&doc, "article.entry .entry-time time")
        .iter()
        .map(text)
        .collect()
}

#[test]
fn listing_pagination_edges() {
    for (n, pages) in [(0usize, 1usize), (1, 1), (3, 1), (4, 2), (7, 3)] {
        let site = TestSite::new("paginate: 3\n");
        for i in 0..n {
            site.post(
                &format!("p{i}"),
                &post_front(
                    &format!("第{i}篇"),
                    &format!("2014-01-{:02} 10:00:00", i + 1),
                ),
                "正文。\n",
            );
        }
        let run = site.build(&[]);
        run.assert_ok();
        assert!(
            run.stdout().contains(&format!("built {n} posts")),
            "{}",
            run.stdout()
        );
        let mut seen = 0;
        for p in 1..=pages {
            let file = if p == 1 {
                "index.html".to_string()
            } else {
                format!("page/{p}/index.html")
            };
            let got = entries(&site, &file);
            assert!(
                got.len() <= 3 && (n == 0 || !got.is_empty()),
                "{n} posts, page {p}: {got:?}"
            );
            seen += got.len();
        }
        assert_eq!(seen, n, "{n} posts");
        assert!(
            !site
                .out()
                .join(format!("page/{}/index.html", pages + 1))
                .exists(),
            "{n} posts: extra page"
        );
        if pages > 1 {
            let doc = site.html("index.html");
            let next = select(&doc, "nav.pager a[rel=next]");
            assert_eq!(next[0].value().attr("href"), Some("/page/2/"));
        }
    }
}

#[test]
fn newest_first_with_path_tiebreak() {
    let site = TestSite::new("");
    site.post("b", &post_front("B", "2014-05-01 10:00"), "x\n");
    site.post("a", &post_front("A", "2014-05-01 10:00"), "x\n");
    site.post("c", &post_front("C", "2015-01-01"), "x\n");
    site.build(&[]).assert_ok();
    let doc = site.html("index.html");
    let titles: Vec<_> = select(&doc, ".entry-title a").iter().map(text).collect();
    assert_eq!(titles, ["C", "A", "B"]);
}

#[test]
fn year_boundary_in_site_timezone() {
    let site = TestSite::new("timezone: \"+08:00\"\n");
    site.post("late", &post_front("除夕", "2014-12-31 23:30"), "x\n");
    site.post("utc", &post_front("UTC", "2014-12-31T16:30:00Z"), "x\n");
    site.build(&[]).assert_ok();
    let doc = site.html("index.html");
    let years: Vec<_> = select(&doc, ".archives li a").iter().map(text).collect();
    assert_eq!(years, ["2015年(1)", "2014年(1)"]);
    assert!(site.read("archives/2014/index.html").contains("除夕"));
    assert!(
        site.read("archives/2015/index.html")
            .contains("2015-01-01 00:30:00")
    );
}

#[test]
fn year_and_category_pages_paginate() {
    let site = TestSite::new("paginate: 2\n");
    for i in 0..5 {
        site.post(
            &format!("p{i}"),
            &format!(
                "{}category: 网络\n",
                post_front(&format!("t{i}"), &format!("2014-03-0{} 08:00", i + 1))
            ),
            "x\n",
        );
    }
    site.build(&[]).assert_ok();
    for base in ["archives/2014", "categories/网络"] {
        assert_eq!(entries(&site, &format!("{base}/index.html")).len(), 2);
        assert_eq!(
            entries(&site, &format!("{base}/page/3/index.html")).len(),
            1
        );
    }
    let doc = site.html("index.html");
    let cats: Vec<_> = select(&doc, ".categories li a")
        .iter()
        .map(|a| (text(a), a.value().attr("href").unwrap().to_string()))
        .collect();
    assert_eq!(
        cats,
        [(
            "网络(5)".to_string(),
            "/categories/%E7%BD%91%E7%BB%9C/".to_string()
        )]
    );
}

#[test]
fn titleless_posts_show_their_excerpt() {
    let site = TestSite::new("");
    site.post(
        "notitle",
        "date: 2014-08-29 11:21:00\n",
        "X86架构中，HLT指令用于使CPU进入HALT状态。\n\n<!-- more -->\n\n正文\n",
    );
    site.build(&[]).assert_ok();
    let doc = site.html("index.html");
    assert!(select(&doc, ".entry-title").is_empty());
    assert_eq!(
        text(&select(&doc, ".entry-excerpt p")[0]),
        "X86架构中，HLT指令用于使CPU进入HALT状态。"
    );
    let post = site.html("posts/notitle/index.html");
    assert!(text(&select(&post, "h2.post-title")[0]).starts_with("X86架构中"));
}

#[test]
fn cjk_excerpt_is_cut_by_characters() {
    let site = TestSite::new("excerpt_length: 30\n");
    let sentence = "内核中物理内存使用伙伴系统进行管理。"; // 18 characters
    site.post(
        "cjk",
        &post_front("伙伴系统", "2014-01-01"),
        &format!("{}\n", sentence.repeat(10)),
    );
    site.build(&[]).assert_ok();
    let doc = site.html("index.html");
    let ex = text(&select(&doc, ".entry-excerpt p")[0]);
    assert_eq!(
        ex,
        sentence.repeat(2),
        "cut after the sentence end nearest 30 characters"
    );
}

#[test]
fn hexo_and_jekyll_posts_build_unchanged() {
    let site = TestSite::new("");
    site.post(
        "2014-12-30-hexo",
        "title: Hexo 文章\ndate: 2014-12-30 16:51:55\ncategories:\n- Linux\n- 内核\ntags:\n- slab\n- mm\ncomments: true\nlayout: post\nupdated: 2015-01-02 10:00:00\n",
        "摘要\n<!--more-->\n正文\n",
    );
    site.post("2014-12-29-jekyll", "layout: post\ntitle:  \"Jekyll: 文章\"\ndate:   2014-12-29 10:00:00 +0800\ncategories: 调试\npublished: true\n", "正文\n");
    site.build(&[]).assert_ok();
    let doc = site.html("posts/hexo/index.html");
    assert_eq!(text(&select(&doc, "h2.post-title")[0]), "Hexo 文章");
    assert!(text(&select(&doc, ".post-meta")[0]).contains("Linux"));
    let doc = site.html("posts/jekyll/index.html");
    assert_eq!(text(&select(&doc, "h2.post-title")[0]), "Jekyll: 文章");
}

#[test]
fn drafts_only_with_flag() {
    let site = TestSite::new("");
    site.post(
        "d",
        &format!("{}draft: true\n", post_front("草稿", "2014-01-01")),
        "x\n",
    );
    site.post("p", &post_front("发布", "2014-01-02"), "x\n");
    site.build(&[]).assert_ok();
    assert!(!site.out().join("posts/d/index.html").exists());
    site.build(&["--drafts"]).assert_ok();
    assert!(site.read("posts/d/index.html").contains("草稿"));
}

#[test]
fn markdown_extensions_render() {
    let site = TestSite::new("");
    site.post(
        "md",
        &post_front("md", "2014-01-01"),
        "## 基本原理\n\n|a|b|\n|-|-|\n|1|2|\n\n~~旧~~\n\n- [x] 完成\n\n脚注[^1]\n\n[^1]: 注释\n\n```c\nint x;\n```\n",
    );
    site.build(&[]).assert_ok();
    let doc = site.html("posts/md/index.html");
    for css in [
        "h2#基本原理",
        "table",
        "del",
        "input[type=checkbox]",
        "pre code.language-c",
        ".footnote-definition",
    ] {
        assert_eq!(select(&doc, &format!(".post-body {css}")).len(), 1, "{css}");
    }
}

#[test]
fn user_text_is_escaped_but_markdown_html_is_trusted() {
    let site = TestSite::new("");
    site.post(
        "x",
        "title: \"<script>alert(1)</script>\"\ndate: 2014-01-01\ncategory: \"<b>分类</b>\"\n",
        "<em>raw</em>\n",
    );
    site.write(
        "data/guestbook.yaml",
        "- author: \"<img src=x onerror=alert(1)>\"\n  time: 2014-02-21 11:08\n",
    );
    site.build(&[]).assert_ok();
    let html = site.read("index.html");
    assert!(!html.contains("<script>alert"), "title not escaped");
    assert!(html.contains("&lt;script&gt;"));
    assert!(!html.contains("<img src=x"));
    assert!(!html.contains("<b>分类</b>"));
    assert!(site.read("posts/x/index.html").contains("<em>raw</em>"));
}

#[test]
fn chinese_slugs_are_files_and_encoded_links() {
    let site = TestSite::new("");
    site.post("2014-01-01-内核", &post_front("内核", "2014-01-01"), "x\n");
    site.build(&[]).assert_ok();
    assert!(site.out().join("posts/内核/index.html").is_file());
    let doc = site.html("index.html");
    assert_eq!(
        select(&doc, ".entry-title a")[0].value().attr("href"),
        Some("/posts/%E5%86%85%E6%A0%B8/")
    );
}

#[test]
fn base_url_path_prefixes_every_link() {
    let site = TestSite::new("base_url: https://example.org/blog/\n");
    site.post("a", &post_front("A", "2014-01-01"), "x\n");
    site.build(&[]).assert_ok();
    let doc = site.html("index.html");
    for a in select(&doc, "a[href^='/']") {
        assert!(
            a.value().attr("href").unwrap().starts_with("/blog/"),
            "{:?}",
            a.value()
        );
    }
    let run = site.build(&["--base-url", "/other"]);
    run.assert_ok();
    assert!(site.read("index.html").contains("href=\"/other/posts/a/\""));
}

#[test]
fn site_templates_override_embedded_ones() {
    let site = TestSite::new("");
    site.post("a", &post_front("A", "2014-01-01"), "x\n");
    site.write(
        "templates/partials/entry.html",
        "<p class=\"mine\">{{ entry.title }}|{{ entry.views }}</p>",
    );
    site.build(&[]).assert_ok();
    let doc = site.html("index.html");
    assert_eq!(text(&select(&doc, "p.mine")[0]), "A|0");
}

#[test]
fn template_errors_name_file_and_line() {
    let site = TestSite::new("");
    site.post("a", &post_front("A", "2014-01-01"), "x\n");
    site.write(
        "templates/index.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{% for x in %}\n{% endblock %}\n",
    );
    site.build(&[]).assert_error(&["templates/index.html:3"]);
    site.write(
        "templates/index.html",
        "{% extends \"base.html\" %}\n{% block main %}\n\n{{ nothing_here.x }}\n{% endblock %}\n",
    );
    site.build(&[])
        .assert_error(&["templates/index.html:4", "missing"]);
}

#[test]
fn two_builds_are_byte_identical() {
    let site = TestSite::new("paginate: 2\n");
    for i in 0..9 {
        site.post(
            &format!("p{i}"),
            &format!(
                "{}category: c{}\n",
                post_front(&format!("t{i}"), "2014-01-01 10:00"),
                i % 3
            ),
            "段落。\n",
        );
    }
    site.build(&[]).assert_ok();
    let first = snapshot(&site.out());
    site.build(&[]).assert_ok();
    assert_eq!(first, snapshot(&site.out()));
    let other = site.path().join("other");
    site.build(&["--output", other.to_str().unwrap()])
        .assert_ok();
    assert_eq!(first, snapshot(&other));
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let site = TestSite::new("");
    site.post("a", &post_front("A", "2014-01-01"), "x\n");
    site.build(&[]).assert_ok();
    let before = snapshot(&site.out());
    site.post("b", "title: B\ndate: 2014-02-30\n", "x\n");
    site.build(&[])
        .assert_error(&["content/posts/b.md:3", "not a real calendar date"]);
    assert_eq!(before, snapshot(&site.out()));
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains("boke-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn bad_input_is_reported_together_with_file_and_line() {
    let site = TestSite::new("");
    site.post("unclosed", "title: t\ndate: 2014-01-01\n", "");
    std::fs::write(
        site.path().join("content/posts/unclosed.md"),
        "---\ntitle: t\ndate: 2014-01-01\nbody\n",
    )
    .unwrap();
    site.post("yaml", "title: t\ndate: 2014-01-01\nbad: [oops\n", "");
    site.post("nodate", "title: t\n", "");
    site.post("views", "title: t\ndate: 2014-01-01\nviews: -1\n", "");
    site.post("many", "title: t\ndate: 2014-01-01\nviews: \"many\"\n", "");
    site.post("tab", "title: t\n\tdate: 2014-01-01\n", "");
    site.post("slug", "title: t\ndate: 2014-01-01\nslug: ../../etc\n", "");
    site.post("list", "title: [a, b]\ndate: 2014-01-01\n", "");
    let run = site.build(&[]);
    run.assert_error(&[
        "content/posts/unclosed.md:1: the front matter opened here is never closed",
        "content/posts/yaml.md:4",
        "content/posts/nodate.md: the front matter has no `date`",
        "content/posts/views.md:4: `views` must be a whole number of 0 or more, not -1",
        "content/posts/many.md:4",
        "tabs",
        "content/posts/slug.md:4: bad slug",
        "content/posts/list.md:2: `title` must be text",
        "help:",
        "8 errors",
    ]);
    assert!(!site.out().exists());
}

#[test]
fn duplicate_slugs_name_both_files() {
    let site = TestSite::new("");
    site.post("2014-01-01-same", &post_front("A", "2014-01-01"), "x\n");
    site.post("2015-01-01-same", &post_front("B", "2015-01-01"), "x\n");
    site.build(&[]).assert_error(&[
        "content/posts/2014-01-01-same.md",
        "content/posts/2015-01-01-same.md",
        "slug `same`",
    ]);
}

#[test]
fn bom_and_crlf_build() {
    let site = TestSite::new("");
    site.write_bytes("content/posts/win.md", b"\xEF\xBB\xBF---\r\ntitle: Windows\r\ndate: 2014-01-01\r\n---\r\n# \xE6\xA0\x87\xE9\xA2\x98\r\n\r\ntext\r\n");
    site.build(&[]).assert_ok();
    assert!(
        site.read("posts/win/index.html")
            .contains("<h1 id=\"标题\">标题<a class=\"anchor\" href=\"#标题\"")
    );
}

#[test]
fn config_errors() {
    let site = TestSite::new("paginate: lots\n");
    site.build(&[]).assert_error(&["site.yaml:2", "paginate"]);
    std::fs::remove_file(site.path().join("site.yaml")).unwrap();
    site.build(&[])
        .assert_error(&["site.yaml", "not a boke site"]);
}

#[test]
fn refuses_output_dirs_it_must_not_replace() {
    let site = TestSite::new("");
    site.post("a", &post_front("A", "2014-01-01"), "x\n");
    let root = site.path().to_str().unwrap().to_string();
    site.build(&["--output", &root])
        .assert_error(&["refusing", "contains the site itself"]);
    let mine = site.path().join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("notes.txt"), "keep me").unwrap();
    site.build(&["--output", mine.to_str().unwrap()])
        .assert_error(&["not written by boke"]);
    assert_eq!(
        std::fs::read_to_string(mine.join("notes.txt")).unwrap(),
        "keep me"
    );
    site.build(&["--output", "/"])
        .assert_error(&["file system root"]);
    assert!(site.path().join("content/posts/a.md").exists());
}

#[test]
fn static_files_are_copied_and_clashes_refused() {
    let site = TestSite::new("");
    site.post("a", &post_front("A", "2014-01-01"), "x\n");
    site.write("static/img/logo.png", "png");
    site.write("static/style.css", "body{}");
    site.build(&[]).assert_ok();
    assert_eq!(site.read("img/logo.png"), "png");
    assert_eq!(
        site.read("style.css"),
        "body{}",
        "a site's static file overrides the embedded one"
    );
    site.write("static/posts/a/index.html", "shadow");
    site.build(&[]).assert_error(&[
        "static/posts/a/index.html",
        "would replace the generated page",
    ]);
}

#[test]
fn search_can_be_switched_off() {
    let site = TestSite::new("search: false\n");
    site.post("a", &post_front("A", "2014-01-01"), "正文\n");
    site.build(&[]).assert_ok();
    assert!(!site.out().join("search").exists());
    assert!(select(&site.html("index.html"), "form.search").is_empty());
    let on = TestSite::new("");
    on.post("a", &post_front("A", "2014-01-01"), "正文\n");
    on.build(&[]).assert_ok();
    assert!(on.out().join("search/index.json").is_file());
    assert_eq!(select(&on.html("index.html"), "form.search").len(), 1);
}

/// The benchmark's site (bench/site, copied over a generated corpus to be measured beside the
/// peers) builds, and its pages show what the peers' pages show.
#[test]
fn the_benchmark_site_builds_the_peers_pages() {
    let site = TestSite::new("");
    let bench = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/site");
    for (rel, bytes) in snapshot(&bench) {
        site.write_bytes(rel.to_str().unwrap(), &bytes);
    }
    site.post(
        "2014-03-05-slab",
        "title: slab分配器\ndate: 2014-03-05 10:00\ncategory: 内存管理\nviews: 321\ncomments: 4\nshares: 5\ntags: [mm]\n",
        "开头。\n\n<!-- more -->\n\n```c\nint x;\n```\n",
    );
    site.post(
        "2015-01-01-net",
        "title: 网络\ndate: 2015-01-01 10:00\ncategory: 网络\ntags: [mm]\n",
        "收包。\n",
    );
    site.build(&[]).assert_ok();
    let post = site.html("posts/slab/index.html");
    assert_eq!(text(&select(&post, ".post-title")[0]), "slab分配器");
    let meta = text(&select(&post, ".post-meta")[0]);
    for shown in ["2014-03-05", "内存管理", "阅读(321)", "评论(4)", "转发(5)"] {
        assert!(meta.contains(shown), "{shown}: {meta}");
    }
    assert!(!select(&post, ".post-body code").is_empty());
    // The sidebar the peers show on every page; no extras they do not have.
    assert!(!select(&post, ".sidebar .categories a").is_empty());
    assert!(select(&post, ".related, .post-nav, meta[property]").is_empty());
    let year = site.html("archives/2014/index.html");
    assert_eq!(select(&year, ".compact li").len(), 1);
}
