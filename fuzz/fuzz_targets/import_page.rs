//! Any bytes as a Chinaunix page: decoding, the page parsers and the body's HTML → Markdown
//! never panic; text never turns into a script once the Markdown is rendered; a body always
//! ends in one newline.
#![no_main]

use boke::import::chinaunix::{parse_home, parse_list, parse_post, standalone_body};
use boke::import::fetch::{Fetched, decode};
use libfuzzer_sys::fuzz_target;

fn rendered(md: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(md));
    html
}

fuzz_target!(|input: (&str, &[u8])| {
    let (excerpt, bytes) = input;
    let page = Fetched {
        bytes: bytes.to_vec(),
        content_type: None,
    };
    let text = decode(&page).unwrap_or_else(|_| String::from_utf8_lossy(bytes).into_owned());
    let _ = parse_home(&text);
    let _ = parse_list(&text);
    let body = match parse_post(&text) {
        Some(post) => post.body,
        None => text,
    };
    let md = standalone_body(&body, excerpt);
    assert!(md.ends_with('\n') && !md.ends_with("\n\n"), "{md:?}");
    // Scripts of the page are dropped and text that looks like a tag is escaped, so the
    // rendered Markdown has no script element the page did not show as text.
    let html = rendered(&md);
    assert!(!html.to_ascii_lowercase().contains("<script"), "{body:?} -> {md:?} -> {html}");
});
