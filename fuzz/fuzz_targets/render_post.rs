//! Any bytes as the only post of a site, rendered into every page with the built-in
//! templates: a post that parses must render, and its title must reach the page escaped.
#![no_main]

use boke::config::Config;
use boke::content::Post;
use boke::render::{self, Renderer};
use boke::site::Site;
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::{Arc, OnceLock};

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| Config::parse("title: fuzz\n").expect("a valid config"))
}

fn templates() -> &'static tera::Tera {
    static TERA: OnceLock<tera::Tera> = OnceLock::new();
    // A directory without templates/: the built-in ones only.
    TERA.get_or_init(|| render::load_templates(Path::new("/nonexistent")).expect("built-ins"))
}

/// What Tera's autoescape makes of text.
fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Characters XML 1.0 allows; a feed holding any other is rejected by feed readers.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Whether every element of generated XML is closed, in order (declarations and CDATA skipped).
fn balanced_xml(xml: &str) -> Result<(), String> {
    let mut open: Vec<&str> = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find('<') {
        rest = &rest[start..];
        if let Some(after) = rest.strip_prefix("<![CDATA[") {
            let end = after.find("]]>").ok_or("unterminated CDATA")?;
            rest = &after[end + 3..];
            continue;
        }
        let end = rest.find('>').ok_or("unterminated tag")?;
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('?') || tag.starts_with('!') || tag.ends_with('/') {
            continue;
        }
        match tag.strip_prefix('/') {
            Some(name) => match open.pop() {
                Some(o) if o == name => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            },
            None => open.push(tag.split([' ', '\n', '\t']).next().unwrap_or_default()),
        }
    }
    if open.is_empty() {
        Ok(())
    } else {
        Err(format!("left open: {open:?}"))
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(post) = Post::parse(Path::new("content/posts/fuzz.md"), data, config()) else {
        return;
    };
    let title = post.meta.title.clone();
    let site = match Site::new(config().clone(), vec![Arc::new(post)], true, Vec::new()) {
        Ok(site) => site,
        Err(d) => panic!("one post cannot clash with itself: {d:?}"),
    };
    let renderer = Renderer::new(&site, templates().clone()).expect("the sidebar renders");
    // An alias may name the post's own page: that is an error to report, not a crash.
    let Ok(jobs) = renderer.jobs() else { return };
    for job in jobs.into_iter().map(|p| p.job) {
        let (file, html) = renderer
            .render(&job)
            .unwrap_or_else(|e| panic!("{job:?} failed: {e}"));
        assert!(!file.starts_with('/') && !file.split('/').any(|s| s == ".." || s.is_empty()));
        let html = String::from_utf8(html).expect("pages are UTF-8");
        if file.ends_with(".xml") {
            assert!(
                html.chars().all(xml_char),
                "{file} holds a character XML forbids"
            );
            if let Err(why) = balanced_xml(&html) {
                panic!("{file} is not well-formed: {why}\n{html}");
            }
            continue;
        }
        if !file.ends_with(".html") {
            continue;
        }
        assert!(html.trim_end().ends_with("</html>"), "{file} is cut short");
        if let (Some(t), boke::render::Job::Post(_)) = (&title, &job) {
            let shown = format!("<title>{} - fuzz</title>", escaped(t));
            assert!(html.contains(&shown), "{file} lacks {shown:?}");
        }
    }
});
