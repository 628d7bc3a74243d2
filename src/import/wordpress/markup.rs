//! A WordPress body as the site showed it, in plain HTML: Gutenberg's block comments taken
//! out, shortcodes (`[caption]`, `[code]`, `[sourcecode]`, `[gallery]`, `[embed]`) made into
//! HTML, and the classic editor's blank-line paragraphs made into `<p>`s as WordPress's
//! `wpautop` does when it shows a post. The `<!--more-->` split is the caller's, since the
//! HTML → Markdown step would drop the comment.

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// What a `[gallery]` may show: the post's own attachments and any named by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attachment {
    pub url: String,
    pub title: String,
    pub parent: u64,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Cleaned {
    pub html: String,
    /// Shortcodes left as written, by name, for the report.
    pub unknown: Vec<String>,
}

/// Clean a post's `content:encoded`.
pub fn clean(content: &str, post_id: u64, attachments: &BTreeMap<u64, Attachment>) -> Cleaned {
    let blocks = content.contains("<!-- wp:");
    let without = strip_block_comments(content);
    let mut out = Cleaned::default();
    let html = shortcodes(&without, post_id, attachments, &mut out.unknown);
    out.html = if blocks { html } else { autop(&html) };
    out
}

/// `<!--more-->` (or `<!--more Read on…-->`): the body before it and after it.
pub fn split_more(html: &str) -> (&str, Option<&str>) {
    let Some(at) = html.find("<!--more") else {
        return (html, None);
    };
    match html[at..].find("-->") {
        Some(end) => (&html[..at], Some(&html[at + end + 3..])),
        None => (html, None),
    }
}

fn strip_block_comments(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find("<!--") {
        let after = &rest[at + 4..];
        let t = after.trim_start();
        let is_block = t.starts_with("wp:") || t.starts_with("/wp:");
        match after.find("-->") {
            Some(end) if is_block => {
                out.push_str(&rest[..at]);
                rest = &after[end + 3..];
            }
            _ => {
                out.push_str(&rest[..at + 4]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// One `[name attrs]` opening: its name, attributes, and where it ends.
struct Open<'a> {
    name: &'a str,
    attrs: BTreeMap<String, String>,
    end: usize,
}

fn open_at(s: &str, at: usize) -> Option<Open<'_>> {
    let rest = &s[at + 1..];
    let name_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    let name = &rest[..name_len];
    if name.is_empty() || !name.as_bytes()[0].is_ascii_alphabetic() {
        return None;
    }
    let close = rest[name_len..].find(']')? + name_len;
    let inner = &rest[name_len..close];
    if !(inner.is_empty() || inner.starts_with(' ') || inner == "/" || inner.ends_with('/')) {
        return None;
    }
    Some(Open {
        name,
        attrs: attributes(inner.trim_end_matches('/')),
        end: at + 1 + close + 1,
    })
}

/// `id="x" align='y' width=300`, as WordPress's shortcode parser reads them.
fn attributes(s: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut rest = s.trim();
    while !rest.is_empty() {
        let Some(eq) = rest.find('=') else { break };
        let key = rest[..eq].trim().to_ascii_lowercase();
        let v = rest[eq + 1..].trim_start();
        let (value, next) = match v.chars().next() {
            Some(q @ ('"' | '\'')) => match v[1..].find(q) {
                Some(end) => (&v[1..1 + end], &v[end + 2..]),
                None => (&v[1..], ""),
            },
            _ => {
                let end = v.find(char::is_whitespace).unwrap_or(v.len());
                (&v[..end], &v[end..])
            }
        };
        // A word without `=` before this key (`[gallery link file]`) is not an attribute.
        let key = key
            .rsplit(char::is_whitespace)
            .next()
            .unwrap_or("")
            .to_string();
        out.insert(key, value.to_string());
        rest = next.trim_start();
    }
    out
}

fn shortcodes(
    s: &str,
    post_id: u64,
    attachments: &BTreeMap<u64, Attachment>,
    unknown: &mut Vec<String>,
) -> String {
    let mut out = String::with_capacity(s.len());
    let mut at = 0;
    while let Some(rel) = s[at..].find('[') {
        let start = at + rel;
        // `[[caption]]` is WordPress's way to write the shortcode's text itself.
        if s[start..].starts_with("[[")
            && let Some(open) = open_at(s, start + 1)
            && s[open.end..].starts_with(']')
        {
            out.push_str(&s[at..start]);
            out.push_str(&s[start + 1..open.end]);
            at = open.end + 1;
            continue;
        }
        let Some(open) = open_at(s, start) else {
            out.push_str(&s[at..=start]);
            at = start + 1;
            continue;
        };
        let closing = format!("[/{}]", open.name);
        let body = s[open.end..]
            .find(&closing)
            .map(|i| (&s[open.end..open.end + i], open.end + i + closing.len()));
        out.push_str(&s[at..start]);
        let (inner, next) = body.unwrap_or(("", open.end));
        match open.name {
            "caption" | "wp_caption" => {
                let (media, text) = split_caption(inner);
                let text = open
                    .attrs
                    .get("caption")
                    .map(String::as_str)
                    .filter(|c| !c.is_empty())
                    .unwrap_or(text);
                let _ = write!(out, "<p>{}</p>", media.trim());
                if !text.trim().is_empty() {
                    let _ = write!(out, "\n<p><em>{}</em></p>", text.trim());
                }
            }
            "code" | "sourcecode" => {
                let lang = open
                    .attrs
                    .get("lang")
                    .or(open.attrs.get("language"))
                    .map(String::as_str)
                    .unwrap_or("");
                code(&mut out, lang, inner);
            }
            "gallery" => gallery(&mut out, &open.attrs, post_id, attachments),
            "embed" if body.is_some() => {
                let url = escape(inner.trim());
                let _ = write!(out, "<p><a href=\"{url}\">{url}</a></p>");
            }
            name if body.is_some() || !open.attrs.is_empty() => {
                unknown.push(name.to_string());
                out.push_str(&s[start..next]);
            }
            _ => out.push_str(&s[start..next]),
        }
        at = next;
    }
    out.push_str(&s[at..]);
    out
}

/// A caption's media (`<img>`, maybe inside `<a>`) and the text after it.
fn split_caption(inner: &str) -> (&str, &str) {
    let t = inner.trim_start();
    let end = if t.starts_with("<a") {
        t.find("</a>").map(|i| i + 4)
    } else if t.starts_with("<img") {
        t.find('>').map(|i| i + 1)
    } else {
        None
    };
    match end {
        Some(e) => (&t[..e], &t[e..]),
        None => ("", t),
    }
}

fn code(out: &mut String, lang: &str, inner: &str) {
    // The code was stored as typed or with `&lt;`-style escapes, depending on the plugin and
    // the editor; reading the escapes first and escaping once gives the typed code either way.
    let code = crate::text::unescape_html(inner.trim_matches('\n'));
    let lang: String = lang
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '#' | '-' | '_'))
        .collect();
    if lang.is_empty() {
        let _ = write!(out, "<pre><code>{}</code></pre>", escape(&code));
    } else {
        let _ = write!(
            out,
            "<pre><code class=\"language-{lang}\">{}</code></pre>",
            escape(&code)
        );
    }
}

fn gallery(
    out: &mut String,
    attrs: &BTreeMap<String, String>,
    post_id: u64,
    attachments: &BTreeMap<u64, Attachment>,
) {
    let chosen: Vec<&Attachment> = match attrs.get("ids").or(attrs.get("include")) {
        Some(ids) => ids
            .split(',')
            .filter_map(|id| attachments.get(&id.trim().parse().ok()?))
            .collect(),
        None => attachments
            .values()
            .filter(|a| a.parent == post_id)
            .collect(),
    };
    for a in chosen {
        let _ = writeln!(
            out,
            "<p><img src=\"{}\" alt=\"{}\"></p>",
            escape(&a.url),
            escape(&a.title)
        );
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, s);
    out
}

const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "pre",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "figure",
    "hr",
    "dl",
    "dt",
    "dd",
    "address",
    "form",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "nav",
    "iframe",
    "object",
];

fn starts_with_block(chunk: &str) -> bool {
    let t = chunk.trim_start();
    if t.starts_with("<!--") {
        return true;
    }
    let Some(tag) = t.strip_prefix('<').map(|r| r.trim_start_matches('/')) else {
        return false;
    };
    let name: String = tag
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    BLOCK_TAGS.contains(&name.as_str())
}

/// The classic editor's text as WordPress shows it: a blank line ends a paragraph, a single
/// newline is a `<br />`; `<pre>` blocks and chunks that are already blocks are left alone.
fn autop(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let mut rest = s;
    loop {
        let (text, pre) = match find_ci(rest, "<pre") {
            Some(at) => {
                let end = find_ci(&rest[at..], "</pre>").map_or(rest.len(), |e| at + e + 6);
                (&rest[..at], Some(&rest[at..end]))
            }
            None => (rest, None),
        };
        paragraphs(&mut out, text);
        match pre {
            Some(p) => {
                out.push_str(p);
                out.push('\n');
                rest = &rest[text.len() + p.len()..];
            }
            None => break,
        }
    }
    out
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    hay.to_ascii_lowercase().find(needle)
}

/// A blank line before each block element's start and after its end, as `wpautop` puts
/// them, so text between blocks becomes paragraphs of its own.
fn separate_blocks(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 64);
    let mut rest = s;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let tag = &rest[at..];
        let closing = tag.starts_with("</");
        let end = tag.find('>').map_or(tag.len(), |e| e + 1);
        if starts_with_block(tag) && !tag.starts_with("<!--") {
            if closing {
                out.push_str(&tag[..end]);
                out.push_str("\n\n");
            } else {
                out.push_str("\n\n");
                out.push_str(&tag[..end]);
            }
        } else {
            out.push_str(&tag[..end]);
        }
        rest = &tag[end..];
    }
    out.push_str(rest);
    out
}

fn paragraphs(out: &mut String, text: &str) {
    let text = separate_blocks(&text.replace("\r\n", "\n"));
    for chunk in text.split("\n\n") {
        let chunk = chunk.trim_matches(|c| c == '\n' || c == ' ');
        if chunk.trim().is_empty() {
            continue;
        }
        if starts_with_block(chunk) {
            out.push_str(chunk);
        } else {
            out.push_str("<p>");
            out.push_str(&chunk.replace('\n', "<br />\n"));
            out.push_str("</p>");
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(s: &str) -> String {
        clean(s, 1, &BTreeMap::new()).html
    }

    #[test]
    fn block_comments_go_and_other_comments_stay() {
        assert_eq!(
            html(
                "<!-- wp:paragraph -->\n<p>a</p>\n<!-- /wp:paragraph --><!-- wp:image {\"id\":3} /--><!-- note -->"
            ),
            "\n<p>a</p>\n<!-- note -->"
        );
    }

    #[test]
    fn classic_text_gets_paragraphs_but_pre_is_kept() {
        assert_eq!(
            html("第一段\n第二行\n\n第二段\n\n<pre>a\n\nb</pre>\n\n<ul><li>x</li></ul>"),
            "<p>第一段<br />\n第二行</p>\n<p>第二段</p>\n<pre>a\n\nb</pre>\n<ul>\n<li>x</li>\n</ul>\n"
        );
    }

    #[test]
    fn more_splits_the_body() {
        assert_eq!(split_more("a<!--more-->b"), ("a", Some("b")));
        assert_eq!(split_more("a<!--more 继续阅读-->b"), ("a", Some("b")));
        assert_eq!(split_more("ab"), ("ab", None));
    }

    #[test]
    fn captions_become_an_image_and_its_text() {
        let out = html(
            "<!-- wp:x -->[caption id=\"attachment_9\" align=\"alignnone\" width=\"300\"]<a href=\"/big.png\"><img src=\"/s.png\" /></a> 机房 &amp; 机柜[/caption]",
        );
        assert_eq!(
            out,
            "<p><a href=\"/big.png\"><img src=\"/s.png\" /></a></p>\n<p><em>机房 &amp; 机柜</em></p>"
        );
        let out = html("<!-- wp:x -->[caption caption=\"图一\"]<img src=\"a.png\">[/caption]");
        assert_eq!(out, "<p><img src=\"a.png\"></p>\n<p><em>图一</em></p>");
    }

    #[test]
    fn code_shortcodes_become_escaped_pre() {
        assert_eq!(
            html("[sourcecode language=\"cpp\"]\nif (a < b && c) {}\n[/sourcecode]"),
            "<pre><code class=\"language-cpp\">if (a &lt; b &amp;&amp; c) {}</code></pre>\n"
        );
        assert_eq!(
            html("[code lang='php']&lt;?php echo 1;[/code]"),
            "<pre><code class=\"language-php\">&lt;?php echo 1;</code></pre>\n"
        );
        assert_eq!(
            html("[code lang=\"x\\\"><script>\"]a[/code]"),
            "<pre><code class=\"language-x\">a</code></pre>\n"
        );
    }

    #[test]
    fn galleries_show_their_images() {
        let mut a = BTreeMap::new();
        for (id, parent) in [(5, 1), (6, 1), (7, 2)] {
            a.insert(
                id,
                Attachment {
                    url: format!("http://x.org/{id}.jpg"),
                    title: format!("图{id}"),
                    parent,
                },
            );
        }
        let c = clean("<!-- wp:x -->[gallery]", 1, &a);
        assert_eq!(
            c.html,
            "<p><img src=\"http://x.org/5.jpg\" alt=\"图5\"></p>\n<p><img src=\"http://x.org/6.jpg\" alt=\"图6\"></p>\n"
        );
        let c = clean("<!-- wp:x -->[gallery ids=\"7,99\" columns=\"2\"]", 1, &a);
        assert_eq!(
            c.html,
            "<p><img src=\"http://x.org/7.jpg\" alt=\"图7\"></p>\n"
        );
    }

    #[test]
    fn other_shortcodes_stay_and_are_listed() {
        let c = clean(
            "<!-- wp:x -->[audio src=\"a.mp3\"] [footnote]x[/footnote] [1] [see this] [[caption]]",
            1,
            &BTreeMap::new(),
        );
        assert_eq!(
            c.html,
            "[audio src=\"a.mp3\"] [footnote]x[/footnote] [1] [see this] [caption]"
        );
        assert_eq!(c.unknown, vec!["audio".to_string(), "footnote".to_string()]);
    }

    #[test]
    fn embeds_become_links() {
        assert_eq!(
            html("<!-- wp:x -->[embed]https://v.example/1[/embed]"),
            "<p><a href=\"https://v.example/1\">https://v.example/1</a></p>"
        );
    }
}
