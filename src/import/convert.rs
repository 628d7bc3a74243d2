//! HTML → Markdown for imported bodies. The page's HTML is first written out again with only
//! what Markdown can say (no styles, scripts or widgets), links and images rewritten by the
//! source, then handed to htmd.

use scraper::{ElementRef, Node};
use std::sync::LazyLock;

/// What a source changes while a body is cleaned.
pub trait Rewrite {
    /// HTML to put in place of a whole element (a code widget as `<pre><code>`), or None to
    /// keep it.
    fn replace(&self, _el: ElementRef<'_>) -> Option<String> {
        None
    }
    /// The address a link should have in the imported post.
    fn link(&self, href: &str) -> String {
        href.to_string()
    }
    /// The address an image should have in the imported post.
    fn image(&self, src: &str) -> String {
        src.to_string()
    }
}

/// Rewrites nothing.
pub struct Keep;
impl Rewrite for Keep {}

/// Elements whose content is not text to keep.
const DROPPED: &[&str] = &[
    "script", "style", "iframe", "object", "embed", "form", "input", "button", "select",
    "textarea", "noscript", "head", "title", "meta", "link",
];

const VOID: &[&str] = &["br", "img", "hr", "wbr"];

/// The children of `root` as clean HTML.
pub fn clean_html(root: ElementRef<'_>, rw: &dyn Rewrite) -> String {
    let mut out = String::new();
    for child in root.children() {
        write_node(child, rw, &mut out);
    }
    out
}

/// One node (and what is below it) as clean HTML.
pub fn write_node(node: ego_tree::NodeRef<'_, Node>, rw: &dyn Rewrite, out: &mut String) {
    write_at(node, rw, out, 0);
}

fn write_at(node: ego_tree::NodeRef<'_, Node>, rw: &dyn Rewrite, out: &mut String, depth: usize) {
    // Hostile pages may nest without end; what lies that deep is not prose.
    if depth > 200 {
        return;
    }
    match node.value() {
        Node::Text(t) => escape_text(t, out),
        Node::Element(_) => {
            let el = ElementRef::wrap(node).expect("an element node");
            if let Some(html) = rw.replace(el) {
                out.push_str(&html);
                return;
            }
            let name = el.value().name();
            if DROPPED.contains(&name) {
                return;
            }
            // Whatever markup a `<pre>` holds, it is code: its text, exactly.
            if name == "pre" {
                let mut text = String::new();
                pre_text(node, &mut text);
                let text = text.strip_suffix('\n').unwrap_or(&text);
                let lines: Vec<String> = text.split('\n').map(str::to_string).collect();
                let lang = std::iter::once(el)
                    .chain(el.children().filter_map(ElementRef::wrap))
                    .flat_map(|e| e.value().classes())
                    .find_map(|c| c.strip_prefix("language-"));
                out.push_str(&code_block(&lines, lang));
                return;
            }
            let keep_tag = !matches!(name, "span" | "font" | "center" | "u" | "o:p");
            if keep_tag {
                out.push('<');
                out.push_str(name);
                for (k, v) in el.value().attrs() {
                    let v = match (name, k) {
                        ("a", "href") => rw.link(v),
                        ("img", "src") => rw.image(v),
                        ("a", "title") | ("img", "alt") | ("img", "title") => v.to_string(),
                        ("ol", "start") | ("td" | "th", "colspan" | "rowspan") => v.to_string(),
                        ("code" | "pre", "class") => v.to_string(),
                        _ => continue,
                    };
                    out.push(' ');
                    out.push_str(k);
                    out.push_str("=\"");
                    escape_attr(&v, out);
                    out.push('"');
                }
                out.push('>');
            }
            if VOID.contains(&name) {
                return;
            }
            for child in node.children() {
                write_at(child, rw, out, depth + 1);
            }
            if keep_tag {
                out.push_str("</");
                out.push_str(name);
                out.push('>');
            }
        }
        _ => {}
    }
}

fn pre_text(node: ego_tree::NodeRef<'_, Node>, out: &mut String) {
    for child in node.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) if e.name() == "br" => out.push('\n'),
            Node::Element(_) => pre_text(child, out),
            _ => {}
        }
    }
}

pub fn escape_text(t: &str, out: &mut String) {
    for c in t.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

fn escape_attr(t: &str, out: &mut String) {
    for c in t.chars() {
        match c {
            '"' => out.push_str("&quot;"),
            c => escape_text(c.encode_utf8(&mut [0; 4]), out),
        }
    }
}

/// A fenced code block as HTML, for `Rewrite::replace`: htmd makes it a fence, with the
/// language when there is one.
pub fn code_block(lines: &[String], language: Option<&str>) -> String {
    let mut out = String::from("<pre><code");
    if let Some(l) = language {
        out.push_str(" class=\"language-");
        escape_attr(l, &mut out);
        out.push('"');
    }
    out.push('>');
    escape_text(&lines.join("\n"), &mut out);
    out.push_str("</code></pre>");
    out
}

static HTMD: LazyLock<htmd::HtmlToMarkdown> = LazyLock::new(|| {
    // A `<br>` as a backslash, not two trailing spaces, so trimming lines cannot lose it.
    let options = htmd::options::Options {
        br_style: htmd::options::BrStyle::Backslash,
        ..Default::default()
    };
    htmd::HtmlToMarkdown::builder()
        .options(options)
        .skip_tags(DROPPED.to_vec())
        .build()
});

/// Clean HTML → Markdown. Indentation made of `&nbsp;` or full-width spaces, which old
/// editors used for paragraphs, is dropped; code is left exactly as it is.
pub fn to_markdown(html: &str) -> String {
    let md = HTMD.convert(html).unwrap_or_default();
    let mut out = String::with_capacity(md.len());
    let mut fence: Option<String> = None;
    let mut blank_run = 0;
    for line in md.lines() {
        let t = line.trim_start();
        if let Some(f) = &fence {
            if t.starts_with(f.as_str())
                && t.trim_start_matches(f.chars().next().unwrap_or('`'))
                    .trim()
                    .is_empty()
            {
                fence = None;
            }
            out.push_str(line);
            out.push('\n');
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            let c = t.chars().next().unwrap_or('`');
            fence = Some(t.chars().take_while(|&x| x == c).collect());
            blank_run = 0;
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let line = if line.starts_with(['\u{a0}', '\u{3000}']) {
            line.trim_start_matches(['\u{a0}', '\u{3000}', ' '])
        } else {
            line
        };
        let line = line.replace('\u{a0}', " ");
        let line = line.trim_end_matches([' ', '\u{3000}']);
        if line.is_empty() {
            blank_run += 1;
            if blank_run > 1 {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    let trimmed = out.trim_matches('\n');
    let mut s = trimmed.to_string();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(html: &str) -> String {
        let doc = scraper::Html::parse_fragment(html);
        to_markdown(&clean_html(doc.root_element(), &Keep))
    }

    #[test]
    fn old_editor_markup_becomes_paragraphs() {
        let out = md(
            "<DIV>第一段</DIV><DIV>&nbsp;&nbsp;&nbsp;&nbsp;第二段<BR>　　第三行</DIV><P>末段 <B>粗</B> <A href=\"http://x/\">链接</A></P>",
        );
        assert!(out.contains("第一段"), "{out}");
        assert!(out.contains("\n第二段"), "{out}");
        assert!(out.contains("\n第三行"), "{out}");
        assert!(out.contains("**粗**"), "{out}");
        assert!(out.contains("[链接](http://x/)"), "{out}");
        assert!(
            !out.contains('\u{a0}') && !out.contains('\u{3000}'),
            "{out:?}"
        );
    }

    #[test]
    fn scripts_styles_and_attributes_are_dropped() {
        let out = md(
            "<div style=\"x\" onclick=\"evil()\">a<script>alert(1)</script><style>p{}</style>b</div>",
        );
        assert_eq!(out, "ab\n");
    }

    #[test]
    fn pre_stays_code_and_tables_lists_stay() {
        let out = md(
            "<pre>int  x = 1;\n  return x;</pre><ul><li>一</li><li>二</li></ul><table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>",
        );
        assert!(out.contains("```\nint  x = 1;\n  return x;\n```"), "{out}");
        assert!(out.contains("*   一") || out.contains("* 一"), "{out}");
        assert!(out.contains("| a | b |"), "{out}");
    }

    #[test]
    fn code_blocks_carry_their_language() {
        let html = code_block(&["a < b".into(), "  c".into()], Some("c"));
        let doc = scraper::Html::parse_fragment(&html);
        let out = to_markdown(&clean_html(doc.root_element(), &Keep));
        assert_eq!(out, "```c\na < b\n  c\n```\n");
    }
}
