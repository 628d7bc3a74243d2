//! Output safety: every string from the settings, the front matter and the guestbook reaches
//! the pages as text, never as markup, in the built-in templates and in a site's own. Only the
//! Markdown body (and `summary`, which is Markdown) is trusted to carry HTML.

use crate::common;
use common::*;

const SCRIPT: &str = "<script>alert(1)</script>";
/// Closes an attribute and opens an event handler if quotes are not escaped.
const BREAKOUT: &str = "x\" onmouseover=\"alert(1)";
const SINGLE: &str = "x' onmouseover='alert(1)";

/// Every string a reader of the site could be attacked with, in every place it can go.
fn hostile_site() -> TestSite {
    let q = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let site = TestSite::new("");
    site.write(
        "site.yaml",
        &format!(
            "title: {t}\nsubtitle: {b}\ndescription: {b}\nauthor: {s}\nlanguage: zh\n\
             labels:\n  read_more: {t}\n  search_none: {b}\n  visits: {v}\n\
             date_format: {df}\nnav:\n  - name: {t}\n    url: {b}\n\
             profile:\n  name: {b}\n  avatar: {b}\n  level: {t}\n  group: {s}\n  registered: {t}\n\
             extra:\n  motto: {t}\n",
            t = q(SCRIPT),
            b = q(BREAKOUT),
            s = q(SINGLE),
            df = q("%Y-%m-%d <b>%H</b>"),
            v = q(&format!("{SINGLE} {{n}}")),
        ),
    );
    site.post(
        "a",
        &format!(
            "title: {t}\ndate: 2014-01-01\ncategory: {b}\ntags: [{t}, {s}]\nmood: {t}\n",
            t = q(SCRIPT),
            b = q(BREAKOUT),
            s = q(SINGLE),
        ),
        "正文 <em>trusted</em>\n",
    );
    // No title: the page and its neighbour's link are named by the excerpt's text, which here
    // decodes to a tag.
    site.post(
        "b",
        "date: 2014-01-02\n",
        "&lt;script&gt;alert(2)&lt;/script&gt; 无题\n",
    );
    // Imported comments: every field from a page of the old blog.
    site.write(
        "content/posts/a.comments.yaml",
        &format!(
            "- author: {t}\n  url: \"javascript:alert(1)\"\n  date: \"2014-01-01 10:00\"\n  text: |-\n    {SCRIPT}\n    {{{{ site.title }}}} {{% raw %}}\n  replies:\n    - author: {s}\n      url: {bu}\n      text: {b}\n",
            t = q(SCRIPT),
            s = q(SINGLE),
            bu = q("http://e.org/\"onmouseover=\"alert(1)"),
            b = q(BREAKOUT),
        ),
    );
    site.write(
        "data/guestbook.yaml",
        &format!(
            "- author: {t}\n  time: {b}\n  text: {s}\n",
            t = q(SCRIPT),
            b = q(BREAKOUT),
            s = q(SINGLE),
        ),
    );
    site
}

fn pages(site: &TestSite) -> Vec<(String, String)> {
    snapshot(&site.out())
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
        .map(|(p, b)| (p.display().to_string(), String::from_utf8(b).unwrap()))
        .collect()
}

/// No page has a script of the input's or an event-handler attribute, nor the raw strings.
#[track_caller]
fn assert_inert(site: &TestSite) {
    let all = pages(site);
    assert!(all.len() > 5, "{} pages", all.len());
    for (file, html) in &all {
        for raw in [SCRIPT, "<script>alert(2)", BREAKOUT, SINGLE, "<b>"] {
            assert!(!html.contains(raw), "{file} holds {raw:?} unescaped");
        }
        let doc = scraper::Html::parse_document(html);
        // The post's JSON-LD is data, not code: it must read back as JSON, holding the title.
        for data in select(&doc, "script[type=\"application/ld+json\"]") {
            let json: serde_json::Value = serde_json::from_str(&text(&data))
                .unwrap_or_else(|e| panic!("{file}: JSON-LD does not parse: {e}"));
            assert_eq!(json["@type"], "BlogPosting", "{file}");
        }
        // boke's own scripts are files it ships; none may be inline or come from the input.
        for script in select(&doc, "script:not([type=\"application/ld+json\"])") {
            let src = script.value().attr("src").unwrap_or_default();
            assert!(
                text(&script).trim().is_empty() && src.ends_with(".js") && !src.contains(':'),
                "{file} has a script not of boke's: {}",
                script.html()
            );
        }
        for el in select(&doc, "*") {
            for (name, _) in el.value().attrs() {
                assert!(
                    !name.starts_with("on"),
                    "{file}: <{} {name}>",
                    el.value().name()
                );
            }
        }
    }
}

#[test]
fn built_in_templates_show_hostile_strings_as_text() {
    let site = hostile_site();
    site.build(&[]).assert_ok();
    assert_inert(&site);

    let doc = site.html("posts/a/index.html");
    assert_eq!(text(&select(&doc, "h2.post-title")[0]), SCRIPT);
    assert!(text(&select(&doc, "title")[0]).starts_with(SCRIPT));
    let meta = text(&select(&doc, ".post-meta")[0]);
    assert!(
        meta.contains(BREAKOUT) && meta.contains(SCRIPT) && meta.contains(SINGLE),
        "{meta}"
    );
    assert!(
        meta.contains("<b>"),
        "date_format text shown as text: {meta}"
    );
    // The trusted body keeps its HTML.
    assert_eq!(select(&doc, ".post-body em").len(), 1);
    assert_eq!(
        text(&select(&doc, "a[rel=next]")[0]),
        "<script>alert(2)</script> 无题"
    );

    let comments = select(&doc, ".comment");
    assert_eq!(comments.len(), 2, "a comment and its reply");
    assert_eq!(text(&select(&doc, ".comment .message-author")[0]), SCRIPT);
    assert!(
        select(&doc, ".comment a[href^=javascript]").is_empty(),
        "a javascript: URL is not a link"
    );
    let said = text(&select(&doc, ".comment .message-text")[0]);
    assert_eq!(said, format!("{SCRIPT}{{{{ site.title }}}} {{% raw %}}"));
    assert_eq!(
        select(&doc, ".comment .message-text br").len(),
        1,
        "its line break"
    );
    let reply_link = select(&doc, ".comment.reply a")[0].value();
    assert_eq!(
        reply_link.attr("href"),
        Some("http://e.org/\"onmouseover=\"alert(1)")
    );
    assert_eq!(reply_link.attr("rel"), Some("nofollow ugc"));
    assert_eq!(
        text(&select(&doc, ".comment.reply .message-text")[0]),
        BREAKOUT
    );

    let doc = site.html("posts/b/index.html");
    assert!(text(&select(&doc, "h2.post-title")[0]).starts_with("<script>alert(2)"));

    let doc = site.html("index.html");
    assert_eq!(text(&select(&doc, ".site-title")[0]), SCRIPT);
    assert_eq!(text(&select(&doc, ".site-subtitle")[0]), BREAKOUT);
    assert_eq!(text(&select(&doc, ".topnav a")[0]), SCRIPT);
    assert_eq!(
        select(&doc, ".topnav a")[0].value().attr("href"),
        Some(BREAKOUT)
    );
    assert_eq!(
        select(&doc, "meta[name=description]")[0]
            .value()
            .attr("content"),
        Some(BREAKOUT)
    );
    // Labels the site rewords are text too, in attributes as in elements.
    assert_eq!(text(&select(&doc, ".more a")[0]), SCRIPT);
    assert_eq!(
        select(&doc, "form.search")[0].value().attr("data-none"),
        Some(BREAKOUT)
    );
    assert_eq!(text(&select(&doc, ".stats li")[0]), format!("{SINGLE} 0"));
    let avatar = select(&doc, "img.avatar")[0].value();
    assert_eq!(avatar.attr("alt"), Some(BREAKOUT));
    assert_eq!(avatar.attr("src"), Some(BREAKOUT));
    assert_eq!(text(&select(&doc, ".profile-name")[0]), BREAKOUT);
    let stats = text(&select(&doc, ".stats")[0]);
    assert!(stats.contains(SCRIPT) && stats.contains(SINGLE), "{stats}");
    assert_eq!(
        text(&select(&doc, ".categories li a")[0]),
        format!("{BREAKOUT}(1)")
    );
    assert_eq!(text(&select(&doc, ".message-author")[0]), SCRIPT);
    assert_eq!(text(&select(&doc, ".message-time")[0]), BREAKOUT);
    assert_eq!(text(&select(&doc, ".message-text")[0]), SINGLE);
    assert!(text(&select(&doc, "footer")[0]).contains(SINGLE));
}

#[test]
fn a_sites_own_templates_escape_too() {
    let site = hostile_site();
    site.write(
        "templates/partials/entry.html",
        "{% if entry.title %}<p class=\"mine\" title=\"{{ entry.extra.mood }}\">{{ entry.title }}|{{ entry.extra.mood }}|{{ site.extra.motto }}|{{ entry.tags | join(sep=\",\") }}</p>{% endif %}",
    );
    site.build(&[]).assert_ok();
    assert_inert(&site);
    let doc = site.html("index.html");
    let p = select(&doc, "p.mine")
        .into_iter()
        .find(|p| text(p).starts_with(SCRIPT))
        .expect("the titled entry");
    assert_eq!(
        text(&p),
        format!("{SCRIPT}|{SCRIPT}|{SCRIPT}|{SCRIPT},{SINGLE}")
    );
    assert_eq!(p.value().attr("title"), Some(SCRIPT));
}

#[test]
fn urls_that_run_script_are_refused_before_anything_is_written() {
    for (config, line) in [
        (
            "nav:\n  - name: x\n    url: \"javascript:alert(1)\"\n",
            "site.yaml:4",
        ),
        (
            "nav:\n  - name: x\n    url: \"\\tjavascript:alert(1)\"\n",
            "site.yaml:4",
        ),
        (
            "profile:\n  avatar: \"data:text/html,<script>alert(1)</script>\"\n",
            "site.yaml:3",
        ),
        (
            "profile:\n  avatar: \"vbscript:msgbox(1)\"\n",
            "site.yaml:3",
        ),
    ] {
        let site = TestSite::new(config);
        site.post("a", "title: t\ndate: 2014-01-01\n", "x\n");
        site.build(&[])
            .assert_error(&[line, "help: links must be http(s)://"]);
        assert!(!site.out().exists(), "{config}: output written");
    }
    let site = TestSite::new(
        "nav:\n  - name: 首页\n    url: /\n  - name: CU\n    url: http://www.chinaunix.net/\n  - name: 信\n    url: mailto:me@example.org\nprofile:\n  avatar: img/me.png\n",
    );
    site.post("a", "title: t\ndate: 2014-01-01\n", "x\n");
    site.build(&[]).assert_ok();
    let doc = site.html("index.html");
    let hrefs: Vec<_> = select(&doc, ".topnav a")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        hrefs,
        ["/", "http://www.chinaunix.net/", "mailto:me@example.org"]
    );
}

/// Matches XML elements by local name.
fn is(name: &str) -> impl Fn(&roxmltree::Node) -> bool + '_ {
    move |n| n.tag_name().name() == name
}

#[test]
fn feeds_carry_hostile_strings_as_text() {
    let site = hostile_site();
    site.build(&[]).assert_ok();
    let feeds: Vec<_> = snapshot(&site.out())
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    assert!(feeds.len() >= 3, "{feeds:?}");
    for (file, bytes) in &feeds {
        let xml = String::from_utf8(bytes.clone()).unwrap();
        let doc = roxmltree::Document::parse(&xml)
            .unwrap_or_else(|e| panic!("{}: not well-formed: {e}", file.display()));
        for raw in [SCRIPT, BREAKOUT, SINGLE] {
            assert!(
                !xml.contains(raw),
                "{} holds {raw:?} unescaped",
                file.display()
            );
        }
        if file.ends_with("atom.xml") {
            let entry = doc.descendants().find(is("entry")).expect("an entry");
            let titles: Vec<_> = doc
                .descendants()
                .filter(is("entry"))
                .filter_map(|e| e.children().find(is("title")))
                .filter_map(|t| t.text())
                .collect();
            assert!(titles.contains(&SCRIPT), "{titles:?}");
            let terms: Vec<_> = doc
                .descendants()
                .filter(is("category"))
                .filter_map(|c| c.attribute("term"))
                .collect();
            assert!(terms.contains(&BREAKOUT), "{terms:?}");
            assert!(entry.children().any(|n| n.tag_name().name() == "summary"));
        }
    }
}
