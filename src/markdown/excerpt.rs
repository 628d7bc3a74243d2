//! The excerpt shown in lists: up to `<!-- more -->`, else `summary`, else the start of the
//! text cut near a length at a sentence end, never inside a code block.

use super::*;

/// What a list page shows of a post.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Excerpt {
    pub html: String,
    /// The excerpt's text without markup (for pages of posts that have no title).
    pub text: String,
}

impl Excerpt {
    /// The HTML with its `@/` links to other posts resolved by `links`. An excerpt is rendered
    /// when its post is read, before the site knows where other posts live; only the rare
    /// excerpt holding such a link pays for this.
    pub fn html_resolved(&self, links: &dyn Fn(&str) -> Option<String>) -> Cow<'_, str> {
        // Every list entry on every page comes here: the common case costs one search.
        if !self.html.contains(INTERNAL) {
            return Cow::Borrowed(&self.html);
        }
        // Links and images (a post's own pictures) alike.
        let marks = [format!("href=\"{INTERNAL}"), format!("src=\"{INTERNAL}")];
        let mut out = String::with_capacity(self.html.len());
        let mut rest = self.html.as_str();
        while let Some((at, attr)) = marks
            .iter()
            .filter_map(|m| {
                rest.find(m.as_str())
                    .map(|at| (at, m.len() - INTERNAL.len()))
            })
            .min()
        {
            let (before, after) = rest.split_at(at + attr);
            out.push_str(before);
            let end = after.find('"').unwrap_or(after.len());
            let (href, tail) = after.split_at(end);
            // The href is as the HTML writer escaped it: percent-encoded, fragment kept as is.
            let (path, fragment) = split_fragment(&href[INTERNAL.len()..]);
            let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
            match links(&path) {
                Some(url) => {
                    out.push_str(&url);
                    out.push_str(fragment);
                }
                None => out.push_str(href),
            }
            rest = tail;
        }
        out.push_str(rest);
        Cow::Owned(out)
    }
}

/// The excerpt of a body: the part before `<!-- more -->`; else the `summary`; else the start
/// of the text, cut near `limit` characters.
pub fn excerpt(md: &str, summary: Option<&str>, limit: usize) -> Excerpt {
    excerpt_in(md, summary, limit, &|_| None)
}

/// As [`excerpt`], with the post's own files linked as `@/` links (see [`render_in`]), for
/// [`Excerpt::html_resolved`] to place once the site knows where the post's page is.
pub fn excerpt_in(
    md: &str,
    summary: Option<&str>,
    limit: usize,
    local: &dyn Fn(&str) -> Option<String>,
) -> Excerpt {
    let parse = |text| Parser::new_ext(text, options()).map(|e| localize(e, local));
    if let Some(at) = more_marker(md) {
        return excerpt_of(parse(&md[..at]), usize::MAX);
    }
    if let Some(s) = summary {
        return excerpt_of(parse(s), usize::MAX);
    }
    excerpt_of(parse(md), limit)
}

/// Byte offset of a `<!-- more -->` line outside fenced code, cheaply: this runs on every post.
pub fn more_marker(md: &str) -> Option<usize> {
    if !md.contains("<!--") {
        return None;
    }
    let mut fence: Option<&str> = None;
    let mut offset = 0;
    for line in md.split_inclusive('\n') {
        let t = line.trim();
        let ticks = if t.starts_with("```") {
            Some("```")
        } else if t.starts_with("~~~") {
            Some("~~~")
        } else {
            None
        };
        match (fence, ticks) {
            (None, Some(f)) => fence = Some(f),
            (Some(f), Some(g)) if f == g && t.trim_start_matches(['`', '~']).is_empty() => {
                fence = None
            }
            (None, None) => {
                let inner = t
                    .strip_prefix("<!--")
                    .and_then(|r| r.strip_suffix("-->"))
                    .map(str::trim);
                if inner == Some("more") {
                    return Some(offset);
                }
            }
            _ => {}
        }
        offset += line.len();
    }
    None
}

/// Render events until about `limit` characters of text have been shown. The cut is at a whole
/// character, preferably after a sentence end; open tags are closed; a code block is either
/// shown whole or not at all.
fn excerpt_of<'a>(parser: impl Iterator<Item = Event<'a>>, limit: usize) -> Excerpt {
    // Sized for a paragraph or two: grown from nothing, the list was copied four or five times.
    let mut events: Vec<Event<'a>> = Vec::with_capacity(64);
    let mut open: Vec<TagEnd> = Vec::new();
    let mut shown = 0usize;
    let mut text = String::new();
    let mut in_code = false;
    for event in parser {
        match &event {
            Event::Start(tag) => {
                if matches!(tag, Tag::CodeBlock(_)) {
                    if shown > 0 {
                        break;
                    }
                    in_code = true;
                }
                if matches!(tag, Tag::FootnoteDefinition(_)) {
                    break;
                }
                open.push(tag.to_end());
            }
            Event::End(end) => {
                open.pop();
                if *end == TagEnd::CodeBlock {
                    in_code = false;
                    events.push(event);
                    if shown >= limit / 2 {
                        break;
                    }
                    continue;
                }
                let is_block = !matches!(
                    end,
                    TagEnd::Emphasis
                        | TagEnd::Strong
                        | TagEnd::Strikethrough
                        | TagEnd::Link
                        | TagEnd::Image
                );
                if is_block && open.is_empty() && shown >= limit {
                    events.push(event);
                    break;
                }
            }
            Event::Text(t) | Event::Code(t) if !in_code => {
                let n = t.chars().count();
                if shown + n > limit {
                    let keep = cut_point(t, limit - shown);
                    let kept = &t[..keep];
                    text.push_str(kept);
                    events.push(match &event {
                        Event::Code(_) => Event::Code(CowStr::from(kept.to_string())),
                        _ => Event::Text(CowStr::from(kept.to_string())),
                    });
                    while let Some(end) = open.pop() {
                        events.push(Event::End(end));
                    }
                    break;
                }
                shown += n;
                text.push_str(t);
            }
            Event::Text(t) => {
                // Code is shown whole; it counts towards the length but is never cut.
                shown += t.chars().count();
                text.push_str(t);
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::FootnoteReference(_) => continue,
            _ => {}
        }
        events.push(event);
    }
    while let Some(end) = open.pop() {
        events.push(Event::End(end));
    }
    let mut out = String::with_capacity(text.len() * 2 + 64);
    html::push_html(&mut out, events.into_iter().map(with_math));
    Excerpt {
        html: out,
        text: text.trim().to_string(),
    }
}

/// Where to cut `t` so that about `room` more characters are shown: after the sentence end
/// nearest to `room` (from half of it to a fifth past it), else at exactly `room` characters.
fn cut_point(t: &str, room: usize) -> usize {
    let chars: Vec<(usize, char)> = t.char_indices().collect();
    let is_end = |i: usize| {
        let c = chars[i].1;
        matches!(c, '。' | '！' | '？' | '!' | '?' | '；')
            || (c == '.' && chars.get(i + 1).is_none_or(|(_, n)| n.is_whitespace()))
    };
    let byte_at = |n: usize| chars.get(n).map_or(t.len(), |(b, _)| *b);
    let stretch = (room + room / 5).min(chars.len());
    let best = (room / 2..stretch)
        .filter(|&i| is_end(i))
        .min_by_key(|&i| (i + 1).abs_diff(room));
    match best {
        Some(i) => byte_at(i + 1),
        None => byte_at(room.min(chars.len())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_links_resolve() {
        let e = excerpt(
            "see [slab](@/posts/内核.md#基本原理) and [a](@/posts/a.md)\n\n<!-- more -->\n",
            None,
            200,
        );
        let links = |p: &str| (p == "posts/内核.md").then(|| "/s/%E5%86%85/".to_string());
        let html = e.html_resolved(&links);
        assert!(
            html.contains("href=\"/s/%E5%86%85/#%E5%9F%BA%E6%9C%AC%E5%8E%9F%E7%90%86\""),
            "{html}"
        );
        // An unknown target stays as written, for `boke check` to report.
        assert!(html.contains("href=\"@/posts/a.md\""), "{html}");
        let plain = excerpt("no links\n", None, 200);
        assert!(matches!(plain.html_resolved(&links), Cow::Borrowed(_)));
    }

    #[test]
    fn more_marker_wins_and_ignores_code() {
        let e = excerpt("intro\n\n<!-- more -->\n\nrest", Some("s"), 3);
        assert_eq!(e.html, "<p>intro</p>\n");
        assert_eq!(more_marker("```\n<!-- more -->\n```\nx\n"), None);
        assert_eq!(more_marker("a\n<!--more-->\n"), Some(2));
    }

    #[test]
    fn summary_before_cutting() {
        assert_eq!(
            excerpt("long body", Some("短摘要"), 2).html,
            "<p>短摘要</p>\n"
        );
    }

    #[test]
    fn cjk_is_cut_by_characters_at_a_sentence_end() {
        let body =
            "进程退出时，有相应的退出码。可用于判断进程退出的原因。这是第三句话，很长很长很长。";
        let e = excerpt(body, None, 20);
        assert_eq!(e.text, "进程退出时，有相应的退出码。");
        let e = excerpt(body, None, 27);
        assert_eq!(
            e.text,
            "进程退出时，有相应的退出码。可用于判断进程退出的原因。"
        );
        // No sentence end near the length: cut at exactly that many characters.
        assert_eq!(excerpt("一二三四五六七八九十", None, 4).text, "一二三四");
        assert!(e.html.ends_with("</p>\n"), "{}", e.html);
    }

    #[test]
    fn cut_never_leaves_open_tags_or_half_code_blocks() {
        let e = excerpt("**粗体文字很长很长很长很长很长很长很长很长**", None, 5);
        assert_eq!(e.html, "<p><strong>粗体文字很</strong></p>\n");
        let e = excerpt("一段文字。\n\n```c\nint x;\n```\n\n后面", None, 8);
        assert!(!e.html.contains("<pre>"), "{}", e.html);
        let e = excerpt("```c\nint x = 1;\n```\n\n后面很长很长的文字", None, 4);
        assert!(e.html.contains("</code></pre>"), "{}", e.html);
        assert!(!e.html.contains("后面"), "{}", e.html);
    }

    #[test]
    fn ascii_dots_inside_words_are_not_sentence_ends() {
        let e = excerpt(
            "kernel 3.10 is old. It has slab and more words here",
            None,
            24,
        );
        assert_eq!(e.text, "kernel 3.10 is old.");
    }
}
