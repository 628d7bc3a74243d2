//! Excerpts of any Markdown at any length: no panic, tags balanced when the author wrote no raw
//! HTML, and a cut excerpt's text is the start of the whole text.
#![no_main]

use boke::markdown::{excerpt, more_marker};
use libfuzzer_sys::fuzz_target;

/// Elements that never have a closing tag in pulldown-cmark's output.
const VOID: &[&str] = &["br", "hr", "img", "input"];

/// Whether every opened tag is closed, in order. Only sound for HTML that pulldown-cmark
/// generated itself: its attribute values never contain a raw `>`.
fn balanced(html: &str) -> Result<(), String> {
    let mut open: Vec<&str> = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let end = after
            .find('>')
            .ok_or_else(|| format!("unterminated tag in {html:?}"))?;
        let tag = &after[..end];
        rest = &after[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            match open.pop() {
                Some(o) if o == name => {}
                other => return Err(format!("</{name}> closes {other:?} in {html:?}")),
            }
        } else {
            let name = tag.split([' ', '/']).next().unwrap_or_default();
            if !VOID.contains(&name) && !tag.ends_with('/') {
                open.push(name);
            }
        }
    }
    if open.is_empty() {
        Ok(())
    } else {
        Err(format!("left open {open:?} in {html:?}"))
    }
}

fuzz_target!(|input: (u16, Option<&str>, &str)| {
    let (limit, summary, md) = input;
    let limit = usize::from(limit);
    let e = excerpt(md, summary, limit);
    assert_eq!(e.text.trim(), e.text);
    let raw_html = md.contains('<') || summary.is_some_and(|s| s.contains('<'));
    if !raw_html && let Err(why) = balanced(&e.html) {
        panic!("{why}");
    }
    if summary.is_none() && more_marker(md).is_none() {
        let whole = excerpt(md, None, usize::MAX);
        assert!(
            whole.text.starts_with(&e.text),
            "{:?} is not the start of {:?}",
            e.text,
            whole.text
        );
    }
});
