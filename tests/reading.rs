//! What readers see around and inside a post, through the real binary and real clients:
//! scheduled posts (every output file searched), pinned posts, series, related posts, the
//! outdated notice, the copyright box and 备案 line, Open Graph / Twitter / JSON-LD read back
//! with html5ever, MathML and SVG parsed with roxmltree, the comments widget, and the dark
//! page in headless Chromium.

use crate::common;
use crate::common::chromium;
use crate::common::server;

use common::*;
use std::path::Path;

/// 2026-12-01 00:00 UTC, so that "now" is the same on every run.
const NOW: &str = "1796083200";

fn build_at(site: &TestSite, now: &str, args: &[&str]) -> Run {
    let root = site.path().to_str().unwrap().to_string();
    let mut all = vec!["build", "--root", root.as_str()];
    all.extend_from_slice(args);
    boke_in(site.path(), &all, &[("SOURCE_DATE_EPOCH", Some(now))])
}

/// Every output file that holds `needle`, search index and feeds included.
fn files_holding(out: &Path, needle: &str) -> Vec<String> {
    snapshot(out)
        .into_iter()
        .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains(needle))
        .map(|(p, _)| p.display().to_string())
        .collect()
}

#[test]
fn a_scheduled_post_waits_for_its_time() {
    let site = TestSite::new("");
    site.post(
        "2014-01-01-old",
        "title: 旧文章\ndate: 2014-01-01 10:00\ncategory: mm\n",
        "旧的正文。\n",
    );
    site.post(
        "2027-01-01-later",
        "title: 定时文章标题\ndate: 2027-01-01 08:00\ncategory: mm\ntags: [未来]\n",
        "将来才发布的正文 scheduledword。\n",
    );
    build_at(&site, NOW, &[]).assert_ok();
    let out = site.out();
    for needle in ["定时文章标题", "scheduledword", "posts/later", "未来"] {
        assert_eq!(
            files_holding(&out, needle),
            Vec::<String>::new(),
            "{needle}"
        );
    }
    let feed =
        feed_rs::parser::parse(std::fs::read(out.join("atom.xml")).unwrap().as_slice()).unwrap();
    assert_eq!(feed.entries.len(), 1);

    // --future publishes it now, marked as scheduled; so does a build after its time.
    build_at(&site, NOW, &["--future"]).assert_ok();
    let doc = site.html("posts/later/index.html");
    assert!(text(&select(&doc, ".future-mark")[0]).contains("2027-01-01"));
    assert!(!files_holding(&out, "scheduledword").is_empty());
    // So does the setting, as Hugo's buildFuture.
    build_at(&site, NOW, &[]).assert_ok();
    assert!(files_holding(&out, "scheduledword").is_empty());
    let config = site.path().join("site.yaml");
    let yaml = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{yaml}\nbuild_future: true\n")).unwrap();
    build_at(&site, NOW, &[]).assert_ok();
    assert!(!files_holding(&out, "scheduledword").is_empty());
    std::fs::write(&config, yaml).unwrap();
    let after = "1830297600"; // 2028-01-01
    build_at(&site, after, &[]).assert_ok();
    assert!(site.out().join("posts/later/index.html").is_file());
    assert!(select(&site.html("posts/later/index.html"), ".future-mark").is_empty());
}

#[test]
fn serve_shows_a_scheduled_post_marked() {
    let site = TestSite::new("");
    site.post(
        "2014-01-01-old",
        "title: 旧文章\ndate: 2014-01-01 10:00\n",
        "旧的。\n",
    );
    site.post(
        "2999-01-01-later",
        "title: 以后再发\ndate: 2999-01-01 08:00\n",
        "以后。\n",
    );
    let server = server::Server::start(site.path());
    let (status, _, page) = server.get("/posts/later/");
    assert_eq!(status, 200);
    let doc = scraper::Html::parse_document(&page);
    assert!(text(&select(&doc, ".future-mark")[0]).contains("2999-01-01"));
    let (_, _, home) = server.get("/");
    assert!(home.contains("以后再发") && home.contains("future-mark"));
}

fn reading_site() -> TestSite {
    let site = TestSite::new(
        "base_url: https://blog.example.org/\nauthor: 张三\noutdated_days: 365\nrelated_posts: 2\n\
         copyright:\n  license: CC BY-NC-SA 4.0\n  license_url: https://creativecommons.org/licenses/by-nc-sa/4.0/\n\
         beian:\n  icp: 京ICP备12345678号-1\n  police: 京公网安备 11010502030000号\n",
    );
    let posts = [
        (
            "2014-01-01-s1",
            "title: 系列一\ndate: 2014-01-01 10:00\nseries: 源码分析\ntags: [mm]\ncategory: 内存",
        ),
        (
            "2014-02-01-s2",
            "title: 系列二\ndate: 2014-02-01 10:00\nseries: 源码分析\ntags: [mm, slab]\ncategory: 内存",
        ),
        (
            "2014-03-01-other",
            "title: 网络收包\ndate: 2014-03-01 10:00\ntags: [net]\ncategory: 网络",
        ),
        (
            "2014-04-01-s3",
            "title: 系列三\ndate: 2014-04-01 10:00\nseries: 源码分析\ntags: [slab]\ncategory: 内存",
        ),
        (
            "2014-05-01-pin",
            "title: 置顶公告\ndate: 2014-05-01 10:00\nsticky: 10\ncategory: 公告",
        ),
        (
            "2026-11-01-new",
            "title: 最近的文章\ndate: 2026-11-01 10:00\ntags: [net]\ncategory: 网络",
        ),
    ];
    for (name, front) in posts {
        site.post(
            name,
            &format!("{front}\n"),
            "正文第一段。\n\n![图](https://img.example.org/a.png)\n",
        );
    }
    site
}

#[test]
fn series_pins_related_posts_notices_footers_and_cards() {
    let site = reading_site();
    build_at(&site, NOW, &[]).assert_ok();

    // Pinned first on the listing, newest first after it.
    let home = site.html("index.html");
    let titles: Vec<String> = select(&home, ".entry-title a").iter().map(text).collect();
    assert_eq!(titles[0], "置顶公告");
    assert_eq!(titles[1], "最近的文章");
    assert_eq!(select(&home, ".sticky-mark").len(), 1);
    // The year archive keeps date order.
    let year = site.html("archives/2014/index.html");
    let titles: Vec<String> = select(&year, ".entry-title a").iter().map(text).collect();
    assert_eq!(titles[0], "置顶公告");

    // The series box lists the series oldest first with this post marked; 上一篇/下一篇
    // within the series skip the post between them that is not in it.
    let s2 = site.html("posts/s2/index.html");
    let listed: Vec<String> = select(&s2, ".series li").iter().map(text).collect();
    assert_eq!(listed, ["系列一", "系列二", "系列三"]);
    assert_eq!(text(&select(&s2, ".series li.current")[0]), "系列二");
    let nav: Vec<String> = select(&s2, ".series-nav a").iter().map(text).collect();
    assert_eq!(nav, ["系列一", "系列三"]);
    assert!(select(&site.html("posts/other/index.html"), ".series").is_empty());

    // Related: shared tags first (s1 shares mm, s3 shares slab), at most two.
    let related: Vec<String> = select(&s2, ".related a").iter().map(text).collect();
    assert_eq!(related.len(), 2, "{related:?}");
    assert!(related.contains(&"系列一".to_string()) && related.contains(&"系列三".to_string()));

    // Outdated notice on old posts, with the days counted at build time; none on a new one.
    let notice = text(&select(&s2, ".outdated")[0]);
    assert!(notice.contains("天前"), "{notice}");
    assert!(select(&site.html("posts/new/index.html"), ".outdated").is_empty());

    // 版权声明 on posts, 备案 on every page.
    let copyright = text(&select(&s2, ".copyright")[0]);
    assert!(copyright.contains("张三") && copyright.contains("CC BY-NC-SA 4.0"));
    assert!(
        copyright.contains("https://blog.example.org/posts/s2/"),
        "{copyright}"
    );
    for page in [
        "index.html",
        "posts/s2/index.html",
        "archives/2014/index.html",
        "404.html",
    ] {
        let doc = site.html(page);
        let beian = text(&select(&doc, ".beian")[0]);
        assert!(
            beian.contains("京ICP备12345678号-1") && beian.contains("京公网安备"),
            "{page}"
        );
        assert_eq!(
            select(&doc, ".beian a")[0].value().attr("href"),
            Some("https://beian.miit.gov.cn/")
        );
    }

    // The card a shared link shows, read back as a crawler reads it.
    let meta = |doc: &scraper::Html, attr: &str, name: &str| -> String {
        select(doc, &format!("meta[{attr}=\"{name}\"]"))
            .first()
            .and_then(|m| m.value().attr("content"))
            .unwrap_or_else(|| panic!("no {name}"))
            .to_string()
    };
    assert_eq!(meta(&s2, "property", "og:title"), "系列二");
    assert_eq!(meta(&s2, "property", "og:type"), "article");
    assert_eq!(
        meta(&s2, "property", "og:url"),
        "https://blog.example.org/posts/s2/"
    );
    assert_eq!(
        meta(&s2, "property", "og:image"),
        "https://img.example.org/a.png"
    );
    assert!(meta(&s2, "property", "og:description").starts_with("正文第一段"));
    assert_eq!(meta(&s2, "name", "twitter:card"), "summary_large_image");
    assert_eq!(
        meta(&s2, "property", "article:published_time"),
        "2014-02-01T10:00:00+08:00"
    );
    assert_eq!(
        select(&s2, "link[rel=canonical]")[0].value().attr("href"),
        Some("https://blog.example.org/posts/s2/")
    );
    let ld: serde_json::Value = serde_json::from_str(&text(
        &select(&s2, "script[type=\"application/ld+json\"]")[0],
    ))
    .unwrap();
    assert_eq!(ld["@type"], "BlogPosting");
    assert_eq!(ld["headline"], "系列二");
    assert_eq!(ld["author"]["name"], "张三");
    assert_eq!(ld["datePublished"], "2014-02-01T10:00:00+08:00");
    assert_eq!(ld["image"], "https://img.example.org/a.png");

    // The same sources at the same time build the same bytes: related posts included.
    let first = snapshot(&site.out());
    build_at(&site, NOW, &[]).assert_ok();
    assert_eq!(snapshot(&site.out()), first);
}

#[test]
fn formulas_and_diagrams_are_in_the_page_and_bad_ones_stop_the_build() {
    let site = TestSite::new("");
    site.post(
        "2014-01-01-m",
        "title: 公式与图\ndate: 2014-01-01 10:00\n",
        "行内 $\\frac{a}{b} < c$ 与\n\n$$\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}$$\n\n```mermaid\nflowchart LR\n  A[用户态] --> B[内核态]\n```\n\n```mermaid\nsequenceDiagram\n  进程->>内核: 系统调用\n```\n",
    );
    site.build(&[]).assert_ok();
    let html = site.read("posts/m/index.html");
    let doc = scraper::Html::parse_document(&html);
    let maths = select(&doc, "math");
    assert_eq!(maths.len(), 2);
    for m in &maths {
        let xml = m.html();
        let parsed = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}: {xml}"));
        assert_eq!(parsed.root_element().tag_name().name(), "math");
    }
    assert!(maths[0].html().contains("<mfrac>"));
    assert_eq!(maths[1].value().attr("display"), Some("block"));
    let svgs = select(&doc, "figure.diagram > svg");
    assert_eq!(svgs.len(), 2);
    let mut ids = std::collections::HashSet::new();
    for svg in &svgs {
        let xml = svg.html();
        let parsed = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}: {xml}"));
        let texts: String = parsed
            .descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect();
        assert!(texts.contains("内核"), "{texts}");
        for n in parsed.descendants().filter_map(|n| n.attribute("id")) {
            assert!(ids.insert(n.to_string()), "id {n} twice on the page");
        }
    }

    // Drawn once: the next build takes each diagram from the cache.
    let cache = site.path().join(".boke/cache/diagrams");
    let kept: Vec<_> = std::fs::read_dir(&cache).unwrap().flatten().collect();
    assert_eq!(kept.len(), 2);
    let marked = "<svg><!-- from the cache --></svg>";
    for k in &kept {
        std::fs::write(k.path(), marked).unwrap();
    }
    // Without the output manifest the page is rendered again rather than kept from the last
    // build, so what it shows comes from the diagram cache.
    std::fs::remove_file(site.path().join(".boke/cache/output.manifest")).unwrap();
    site.build(&[]).assert_ok();
    assert_eq!(site.read("posts/m/index.html").matches(marked).count(), 2);
    // A diagram no post has any more leaves the cache.
    site.post(
        "2014-01-01-m",
        "title: 公式与图\ndate: 2014-01-01 10:00\n",
        "无图。\n",
    );
    site.build(&[]).assert_ok();
    assert_eq!(std::fs::read_dir(&cache).unwrap().count(), 0);

    // A formula or a diagram that cannot be rendered stops the build at its line, and the
    // site built before is left as it was.
    let before = snapshot(&site.out());
    site.post(
        "2014-01-01-m",
        "title: 公式与图\ndate: 2014-01-01 10:00\n",
        "第一行\n\n坏公式 $\\nosuchcommand{x}$\n",
    );
    site.build(&[]).assert_error(&[
        "content/posts/2014-01-01-m.md:7",
        "\\nosuchcommand",
        "LaTeX",
    ]);
    site.post(
        "2014-01-01-m",
        "title: 公式与图\ndate: 2014-01-01 10:00\n",
        "```mermaid\nflowchart LR\n  A -->\n```\n",
    );
    site.build(&[])
        .assert_error(&["content/posts/2014-01-01-m.md:5", "mermaid"]);
    assert_eq!(snapshot(&site.out()), before);
}

#[test]
fn the_comments_widget_is_off_unless_set_and_then_waits_for_the_reader() {
    let site = TestSite::new("");
    site.post(
        "2014-01-01-a",
        "title: a\ndate: 2014-01-01 10:00\n",
        "正文\n",
    );
    site.build(&[]).assert_ok();
    // Nothing from elsewhere: every script is boke's own file.
    for (file, bytes) in snapshot(&site.out()) {
        if file.extension().is_some_and(|e| e == "html") {
            let doc = scraper::Html::parse_document(&String::from_utf8(bytes).unwrap());
            assert!(select(&doc, ".comments-widget").is_empty());
            for s in select(&doc, "script[src]") {
                assert!(!s.value().attr("src").unwrap().contains(':'), "{file:?}");
            }
        }
    }
    site.write(
        "site.yaml",
        "title: t\ncomments:\n  provider: giscus\n  options: {repo: me/blog, repo-id: R_1, category: Comments, category-id: DIC_1}\n",
    );
    site.build(&[]).assert_ok();
    let doc = site.html("posts/a/index.html");
    let widget = select(&doc, ".comments-widget")[0].value().clone();
    assert_eq!(widget.attr("data-provider"), Some("giscus"));
    assert_eq!(
        widget.attr("data-script"),
        Some("https://giscus.app/client.js")
    );
    assert_eq!(widget.attr("data-option-repo-id"), Some("R_1"));
    // The widget's own script is not on the page: comments.js fetches it on scroll.
    assert!(
        !site
            .read("posts/a/index.html")
            .contains("<script src=\"https://")
    );
    assert_eq!(select(&doc, "script[src$=\"comments.js\"]").len(), 1);

    site.write("site.yaml", "title: t\ncomments:\n  provider: waline\n");
    site.build(&[]).assert_error(&["site.yaml:2", "server-url"]);
    site.write("site.yaml", "title: t\ncomments:\n  provider: disqus\n");
    site.build(&[]).assert_error(&["site.yaml", "disqus"]);
}

#[test]
fn dark_mode_follows_the_system_and_the_switch_is_remembered() {
    use headless_chrome::protocol::cdp::Emulation;
    use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
    let Some(path) = chromium::chromium() else {
        return;
    };
    let (_tmp, out) = build_default_site();
    let url = format!("file://{}/posts/slab/index.html", out.display());
    let (_browser, tab) = chromium::open(path, &url);
    let eval = |js: &str| -> String {
        tab.evaluate(js, false)
            .ok()
            .and_then(|r| r.value)
            .map(|v| {
                v.as_str()
                    .map(String::from)
                    .unwrap_or_else(|| v.to_string())
            })
            .unwrap_or_default()
    };
    let background = || eval("getComputedStyle(document.body).backgroundColor");
    let dark = |rgb: &str| {
        let n: Vec<u32> = rgb
            .trim_start_matches("rgb(")
            .trim_end_matches(')')
            .split(',')
            .filter_map(|x| x.trim().parse().ok())
            .collect();
        n.len() == 3 && n.iter().sum::<u32>() < 150
    };
    let scheme = |value: &str| {
        tab.call_method(Emulation::SetEmulatedMedia {
            media: None,
            features: Some(vec![Emulation::MediaFeature {
                name: "prefers-color-scheme".into(),
                value: value.into(),
            }]),
        })
        .unwrap();
    };
    // Each screenshot shows the diagram, then the formula, scrolled into view.
    let shot = |name: &str| {
        for (part, sel) in [
            ("diagram", "figure.diagram"),
            ("math", "math[display=block]"),
        ] {
            eval(&format!(
                "document.querySelector('{sel}').scrollIntoView({{block: 'center'}}); 'ok'"
            ));
            let png = tab
                .capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true)
                .unwrap();
            let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
            std::fs::write(dir.join(format!("{part}-{name}")), png).unwrap();
        }
    };
    scheme("light");
    assert!(!dark(&background()), "light page: {}", background());
    // The formula and the diagram are drawn: they take room on the page.
    let height = |sel: &str| {
        eval(&format!(
            "String(document.querySelector('{sel}').getBoundingClientRect().height)"
        ))
    };
    assert!(height("math[display=block]").parse::<f64>().unwrap() > 10.0);
    assert!(height("figure.diagram svg").parse::<f64>().unwrap() > 40.0);
    shot("slab-light.png");

    scheme("dark");
    assert!(dark(&background()), "dark page: {}", background());
    let code = eval("getComputedStyle(document.querySelector('pre')).backgroundColor");
    assert!(dark(&code), "code block in the dark: {code}");
    shot("slab-dark.png");

    // The switch overrides the system and is remembered on the next page.
    assert_eq!(
        eval("document.querySelector('.theme-switch').hidden"),
        "false"
    );
    eval("document.querySelector('.theme-switch').click(); 'clicked'");
    assert_eq!(eval("document.documentElement.dataset.theme"), "light");
    assert!(!dark(&background()));
    tab.navigate_to(&format!("file://{}/index.html", out.display()))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    assert_eq!(eval("document.documentElement.dataset.theme"), "light");
    assert!(!dark(&background()), "the choice was not remembered");

    // Every code block of a post has a copy button.
    tab.navigate_to(&url)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    assert_eq!(
        eval(
            "String(document.querySelectorAll('.post-body pre').length === document.querySelectorAll('.code-block .copy').length)"
        ),
        "true"
    );
    eprintln!("screenshots in {}", env!("CARGO_TARGET_TMPDIR"));
}
