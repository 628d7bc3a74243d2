//! Markdown to HTML with pulldown-cmark (CommonMark + tables, footnotes, strikethrough, task
//! lists, heading ids), and the excerpt shown in lists.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::collections::VecDeque;

mod blocks;
mod excerpt;
mod images;
mod words;

pub use blocks::{BlockError, check_blocks};
pub use excerpt::{Excerpt, excerpt, excerpt_in, more_marker};
use images::SIZES;
pub use images::{LARGE_WIDTH, SMALLER_WIDTHS, copy_name, has_smaller_copies, local_images};
pub use words::count_words;

pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_MATH
}

/// How code blocks are written: the site's settings that reach the Markdown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    pub highlight: bool,
    /// Numbered lines in every code block (else only in blocks whose info says `linenos`).
    pub line_numbers: bool,
}

impl From<&crate::config::Config> for Style {
    fn from(c: &crate::config::Config) -> Style {
        Style {
            highlight: c.highlight,
            line_numbers: c.line_numbers,
        }
    }
}

fn is_mermaid(info: &str) -> bool {
    info.split([' ', ',', '{']).next() == Some("mermaid")
}

/// `linenos` in a fence's info (```` ```c linenos ```` or ```` ```c {linenos} ````).
fn wants_line_numbers(info: &str) -> bool {
    info.split([' ', ',', '{', '}'])
        .any(|w| w == "linenos" || w == "linenums")
}

/// A code block with its line numbers in a gutter of their own (so copying takes only code).
fn numbered(class: &str, lang: &str, code_html: &str, lines: usize) -> String {
    let mut gutter = String::with_capacity(lines * 4);
    for n in 1..=lines.max(1) {
        gutter.push_str(&n.to_string());
        gutter.push('\n');
    }
    let lang_class = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", escape_attr(lang))
    };
    format!(
        "<pre class=\"{class}linenos\"><span class=\"gutter\" aria-hidden=\"true\">{gutter}</span><code{lang_class}>{code_html}</code></pre>\n"
    )
}

/// A post body rendered: its HTML, its table of contents and its length.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// Words as readers count them: each CJK character is one, a run of other letters or
    /// digits is one; code is not counted.
    pub words: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// Render a whole post body. Headings get an `id` (kept if given as `{#id}`), unique in the
/// page, and an anchor link; fenced code is highlighted when `highlight` is on.
pub fn render(md: &str, style: Style, links: &dyn Fn(&str) -> Option<String>) -> Rendered {
    render_in(md, style, links, &|_| None, &|_| None)
}

/// An image's width and height in CSS pixels, as the page should reserve room for it.
pub type Size = (u32, u32);

/// As [`render`], for a post with files of its own: `local` turns a relative link to one of
/// them into its path below content/ ([`crate::assets::Assets::internal`]), which `links`
/// then resolves like any `@/` link. `sizes` gives the size of the file an image names (an
/// `@/` path below content/ or a path from the site's root), if it is a file of the site.
pub fn render_in(
    md: &str,
    style: Style,
    links: &dyn Fn(&str) -> Option<String>,
    local: &dyn Fn(&str) -> Option<String>,
    sizes: &dyn Fn(&str) -> Option<Size>,
) -> Rendered {
    let mut html = String::with_capacity(md.len() * 3 / 2);
    let mut body = Body {
        inner: Parser::new_ext(md, options()),
        pending: VecDeque::new(),
        used: FxHashMap::default(),
        style,
        links,
        local,
        sizes,
        in_link: 0,
        in_code: false,
        toc: Vec::new(),
        words: 0,
    };
    html::push_html(&mut html, &mut body);
    Rendered {
        html,
        toc: body.toc,
        words: body.words,
    }
}

/// The event stream between the parser and the HTML writer: it gives every heading an id made
/// from its text (as Zola and Hugo do) and an anchor, highlights fenced code, and counts
/// words. Events pass straight through; only a heading's or a code block's own events are
/// held until they are complete.
struct Body<'a, 'l, I> {
    inner: I,
    pending: VecDeque<Event<'a>>,
    /// Heading ids given so far, and how many times.
    used: FxHashMap<String, usize>,
    style: Style,
    /// Resolves `@/posts/x.md` links (paths below content/) to URLs.
    links: &'l dyn Fn(&str) -> Option<String>,
    /// Makes a link to one of the post's own files an `@/` link ([`localize`]). Applied in
    /// the arms for links and images, not as a step before them all: a step of its own moved
    /// every event once more, which took 40% of this filter's time (0.96x the 10,000-post
    /// build's wall without it).
    local: &'l dyn Fn(&str) -> Option<String>,
    /// The size of an image's file (see [`render_in`]).
    sizes: &'l dyn Fn(&str) -> Option<Size>,
    /// How many links the events are inside: an image in a link is not made a link again.
    in_link: usize,
    /// Inside a code block passed through as it is: its text is not counted as words.
    in_code: bool,
    toc: Vec<TocEntry>,
    words: usize,
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for &mut Body<'a, '_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(e) = self.pending.pop_front() {
            return Some(e);
        }
        match self.inner.next()? {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let mut inner = Vec::new();
                let local = self.local;
                for e in self.inner.by_ref() {
                    if matches!(e, Event::End(TagEnd::Heading(_))) {
                        break;
                    }
                    inner.push(localize(e, local));
                }
                let base = match id {
                    Some(id) => id.to_string(),
                    None => heading_id(&inner),
                };
                let unique = match self.used.get_mut(&base) {
                    Some(n) => {
                        *n += 1;
                        format!("{base}-{}", *n - 1)
                    }
                    None => {
                        self.used.insert(base.clone(), 1);
                        base
                    }
                };
                let title: String = inner
                    .iter()
                    .filter_map(|e| {
                        if let Event::Text(t) | Event::Code(t) = e {
                            Some(t.as_ref())
                        } else {
                            None
                        }
                    })
                    .collect();
                self.words += count_words(&title);
                self.toc.push(TocEntry {
                    level: level as u8,
                    id: unique.clone(),
                    title,
                });
                self.pending.extend(inner.into_iter().map(with_math));
                let mut anchor = String::with_capacity(unique.len() + 48);
                anchor.push_str(r##"<a class="anchor" href="#"##);
                push_attr(&mut anchor, &unique);
                anchor.push_str(r##"" aria-hidden="true">#</a>"##);
                self.pending.push_back(Event::Html(CowStr::from(anchor)));
                self.pending.push_back(Event::End(TagEnd::Heading(level)));
                Some(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(unique)),
                    classes,
                    attrs,
                }))
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let (lang, numbers) = match &kind {
                    CodeBlockKind::Fenced(info) => (
                        info.split([' ', ',', '{']).next().unwrap_or(""),
                        self.style.line_numbers || wants_line_numbers(info),
                    ),
                    CodeBlockKind::Indented => ("", self.style.line_numbers),
                };
                // A block shown as it is passes through event by event: gathering its text
                // first copied a third of every body once more.
                let whole = numbers
                    || lang == "mermaid"
                    || (self.style.highlight && crate::highlight::canonical(lang).is_some());
                if !whole {
                    self.in_code = true;
                    return Some(Event::Start(Tag::CodeBlock(kind)));
                }
                let lang = lang.to_string();
                let mut code = String::new();
                for e in self.inner.by_ref() {
                    match e {
                        Event::End(TagEnd::CodeBlock) => break,
                        Event::Text(t) => code.push_str(&t),
                        _ => {}
                    }
                }
                if lang == "mermaid" {
                    // Checked when the post was read, so this is the cached drawing.
                    if let Ok(svg) = crate::diagram::to_svg(&code) {
                        return Some(Event::Html(CowStr::from(format!(
                            "<figure class=\"diagram\">{svg}</figure>\n"
                        ))));
                    }
                }
                let highlighted = if self.style.highlight {
                    crate::highlight::highlight(&lang, &code)
                } else {
                    None
                };
                // Counted only for a numbered block: this runs for every block of every post.
                let lines = || code.lines().count();
                match highlighted {
                    Some(h) if numbers => Some(Event::Html(CowStr::from(numbered(
                        "hl ",
                        &lang,
                        &h,
                        lines(),
                    )))),
                    Some(h) => Some(Event::Html(CowStr::from(format!(
                        "<pre class=\"hl\"><code class=\"language-{}\">{h}</code></pre>\n",
                        escape_attr(&lang)
                    )))),
                    None if numbers => Some(Event::Html(CowStr::from(numbered(
                        "",
                        &lang,
                        &escape_attr(&code),
                        lines(),
                    )))),
                    None => {
                        self.pending.push_back(Event::Text(CowStr::from(code)));
                        self.pending.push_back(Event::End(TagEnd::CodeBlock));
                        Some(Event::Start(Tag::CodeBlock(kind)))
                    }
                }
            }
            Event::Text(t) => {
                if !self.in_code {
                    self.words += count_words(&t);
                }
                Some(Event::Text(t))
            }
            Event::End(TagEnd::CodeBlock) => {
                self.in_code = false;
                Some(Event::End(TagEnd::CodeBlock))
            }
            e @ (Event::InlineMath(_) | Event::DisplayMath(_)) => Some(with_math(e)),
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let dest = local_dest(dest_url, self.local);
                Some(self.image(dest, title))
            }
            Event::End(TagEnd::Link) => {
                self.in_link = self.in_link.saturating_sub(1);
                Some(Event::End(TagEnd::Link))
            }
            Event::Start(tag @ Tag::Link { .. }) => {
                self.in_link += 1;
                Some(Event::Start(map_dest(tag, |dest| {
                    let dest = local_dest(dest, self.local);
                    if dest.starts_with(INTERNAL) {
                        self.resolve(dest)
                    } else {
                        dest
                    }
                })))
            }
            other => Some(other),
        }
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Body<'a, '_, I> {
    /// An image as HTML, its events up to its end taken: loaded lazily and decoded off the
    /// main thread, with room reserved when its file's size is known, and (unless it is
    /// already in a link) a link to the full image.
    fn image(&mut self, dest: CowStr<'a>, title: CowStr<'a>) -> Event<'a> {
        let mut alt = String::new();
        let mut depth = 0usize;
        for e in self.inner.by_ref() {
            match e {
                Event::Start(Tag::Image { .. }) => depth += 1,
                Event::End(TagEnd::Image) if depth == 0 => break,
                Event::End(TagEnd::Image) => depth -= 1,
                Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                    alt.push_str(&t)
                }
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
        }
        let size = match dest.strip_prefix(INTERNAL) {
            Some(path) => (self.sizes)(split_fragment(path).0),
            None if dest.starts_with('/') && !dest.starts_with("//") => (self.sizes)(&dest),
            None => None,
        };
        let dest_is_own = dest.starts_with(INTERNAL);
        let src = if dest.starts_with(INTERNAL) {
            self.resolve(dest)
        } else {
            dest
        };
        let mut src_attr = String::new();
        pulldown_cmark_escape::escape_href(&mut src_attr, &src)
            .expect("writing to a String cannot fail");
        let mut img = format!("<img src=\"{src_attr}\" alt=\"{}\"", escape_attr(&alt));
        let large = size.filter(|&(w, _)| {
            dest_is_own && has_smaller_copies(&src, w) && !src.contains(['?', '#'])
        });
        let mut source = String::new();
        if let Some((w, _)) = large {
            let set = |webp: bool| {
                let mut set: Vec<String> = SMALLER_WIDTHS
                    .iter()
                    .map(|&n| format!("{} {n}w", copy_name(&src_attr, Some(n), webp)))
                    .collect();
                set.push(format!("{} {w}w", copy_name(&src_attr, None, webp)));
                set.join(", ")
            };
            source = format!(
                "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{SIZES}\">",
                set(true)
            );
            img.push_str(&format!(" srcset=\"{}\" sizes=\"{SIZES}\"", set(false)));
        }
        if !title.is_empty() {
            img.push_str(&format!(" title=\"{}\"", escape_attr(&title)));
        }
        if let Some((w, h)) = size {
            img.push_str(&format!(" width=\"{w}\" height=\"{h}\""));
        }
        img.push_str(" loading=\"lazy\" decoding=\"async\">");
        if large.is_some() {
            img = format!("{source}{img}</picture>");
        }
        if self.in_link == 0 {
            img = format!("<a class=\"image\" href=\"{src_attr}\">{img}</a>");
        }
        Event::InlineHtml(CowStr::from(img))
    }
}

impl<'a, I> Body<'a, '_, I> {
    /// An `@/` link's URL, or the link as written if it leads to no post or file.
    fn resolve(&self, dest_url: CowStr<'a>) -> CowStr<'a> {
        let (path, fragment) = split_fragment(&dest_url[INTERNAL.len()..]);
        match (self.links)(path) {
            Some(url) => CowStr::from(format!("{url}{fragment}")),
            None => dest_url,
        }
    }
}

/// A link or image naming one of the post's own files as an `@/` link to it (see `render_in`).
// Runs on every event of an excerpt and of a heading: inlined, an event that is no link is
// not moved twice.
#[inline(always)]
fn localize<'a>(e: Event<'a>, local: &dyn Fn(&str) -> Option<String>) -> Event<'a> {
    match e {
        Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
            Event::Start(map_dest(tag, |dest| local_dest(dest, local)))
        }
        other => other,
    }
}

/// A link's or image's destination, as [`localize`] makes it.
fn local_dest<'a>(dest: CowStr<'a>, local: &dyn Fn(&str) -> Option<String>) -> CowStr<'a> {
    local(&dest).map_or(dest, |p| CowStr::from(format!("{INTERNAL}{p}")))
}

/// A link's or image's tag with its destination passed through `f`; other tags as they are.
fn map_dest<'a>(tag: Tag<'a>, f: impl FnOnce(CowStr<'a>) -> CowStr<'a>) -> Tag<'a> {
    match tag {
        Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Link {
            link_type,
            dest_url: f(dest_url),
            title,
            id,
        },
        Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Image {
            link_type,
            dest_url: f(dest_url),
            title,
            id,
        },
        other => other,
    }
}

/// An event with its formula, if it is one, as MathML: for the events that do not pass
/// through [`Body`] (a heading's, an excerpt's).
fn with_math(e: Event<'_>) -> Event<'_> {
    match e {
        Event::InlineMath(tex) => math(tex, crate::math::Mode::Inline),
        Event::DisplayMath(tex) => math(tex, crate::math::Mode::Display),
        e => e,
    }
}

/// A formula as MathML. It was checked when its post was read; should it fail anyway, its
/// source is shown as code rather than lost.
fn math(tex: CowStr<'_>, mode: crate::math::Mode) -> Event<'_> {
    match crate::math::to_mathml(&tex, mode) {
        Ok(m) => Event::InlineHtml(CowStr::from(m)),
        Err(_) => Event::Code(tex),
    }
}

/// Links to other posts by file, as Zola writes them: `[text](@/posts/2014-11-19-slab.md)`;
/// also to a post's own files: `@/posts/2014-11-19-slab/fig1.png`.
pub const INTERNAL: &str = "@/";

fn split_fragment(link: &str) -> (&str, &str) {
    match link.find('#') {
        Some(i) => (&link[..i], &link[i..]),
        None => (link, ""),
    }
}

/// Every `@/` link of a body: its target path (below content/, without `#fragment`) and the
/// byte offset where the link starts.
pub fn internal_links(md: &str) -> Vec<(String, usize)> {
    // Runs over every post when the site is loaded: memchr's search is several times std's.
    if memchr::memmem::find(md.as_bytes(), INTERNAL.as_bytes()).is_none() {
        return Vec::new();
    }
    Parser::new_ext(md, options())
        .into_offset_iter()
        .filter_map(|(e, range)| match e {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if dest_url.starts_with(INTERNAL) =>
            {
                Some((
                    split_fragment(&dest_url[INTERNAL.len()..]).0.to_string(),
                    range.start,
                ))
            }
            _ => None,
        })
        .collect()
}

fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_attr(&mut out, s);
    out
}

/// `s` escaped for an attribute, onto `out`.
fn push_attr(out: &mut String, s: &str) {
    pulldown_cmark_escape::escape_html(out, s).expect("writing to a String cannot fail");
}

/// Lower-case ASCII letters and digits and every non-ASCII letter (Chinese) are kept; runs of
/// anything else become one `-`.
fn heading_id(events: &[Event<'_>]) -> String {
    let text = |e: &Event<'_>| match e {
        Event::Text(t) | Event::Code(t) => t.len() + 1,
        _ => 0,
    };
    let mut id = String::with_capacity(events.iter().map(text).sum());
    for e in events {
        if let Event::Text(t) | Event::Code(t) = e {
            for c in t.chars() {
                // ASCII and CJK first: the Unicode tables of `is_alphanumeric` and
                // `to_lowercase` made this a percent of a large build.
                if c.is_ascii_alphanumeric() || c == '_' {
                    id.push(c.to_ascii_lowercase());
                } else if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
                    // The common ideographs: letters, each its own lower case.
                    id.push(c);
                } else if !c.is_ascii() && c.is_alphanumeric() {
                    id.extend(c.to_lowercase());
                } else if !id.ends_with('-') && !id.is_empty() {
                    id.push('-');
                }
            }
            if !id.ends_with('-') && !id.is_empty() {
                id.push('-');
            }
        }
    }
    let id = id.trim_matches('-').to_string();
    if id.is_empty() { "section".into() } else { id }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_html(md: &str) -> String {
        render(md, Style::default(), &|_| None).html
    }

    #[test]
    fn images_get_their_size_lazy_loading_and_a_link() {
        let links = |p: &str| (p == "posts/x/a.png").then(|| "/p/x/a.png".to_string());
        let sizes = |p: &str| match p {
            "posts/x/a.png" => Some((640, 200)),
            "/img/b.png" => Some((32, 48)),
            _ => None,
        };
        let html = |md: &str| render_in(md, Style::default(), &links, &|_| None, &sizes).html;
        assert_eq!(
            html("![A *b* `c`](@/posts/x/a.png \"t<\")"),
            "<p><a class=\"image\" href=\"/p/x/a.png\"><img src=\"/p/x/a.png\" alt=\"A b c\" \
             title=\"t&lt;\" width=\"640\" height=\"200\" loading=\"lazy\" decoding=\"async\"></a></p>\n"
        );
        assert_eq!(
            html("[![B](/img/b.png)](https://e.org/)"),
            "<p><a href=\"https://e.org/\"><img src=\"/img/b.png\" alt=\"B\" width=\"32\" height=\"48\" \
             loading=\"lazy\" decoding=\"async\"></a></p>\n"
        );
        // A remote image is never looked up.
        let remote = html("![R](//e.org/b.png)");
        assert!(remote.contains("src=\"//e.org/b.png\"") && !remote.contains("width"));
    }

    #[test]
    fn internal_links_resolve() {
        let md = "see [slab](@/posts/slab.md#基本原理) and [x](https://e.org/@/x)\n";
        let html = render(md, Style::default(), &|p| {
            (p == "posts/slab.md").then(|| "/posts/slab/".to_string())
        })
        .html;
        assert!(
            html.contains(r#"href="/posts/slab/#%E5%9F%BA%E6%9C%AC%E5%8E%9F%E7%90%86""#),
            "{html}"
        );
        assert_eq!(internal_links(md), [("posts/slab.md".to_string(), 4)]);
        assert!(internal_links("```\n[x](@/posts/a.md)\n```\n").is_empty());
    }

    #[test]
    fn code_shown_as_it_is_is_not_counted_and_ends() {
        // Highlighting off, a language none is known for, no language: each block's text
        // passes through as it is, and the count picks up again after it.
        for style in [
            Style::default(),
            Style {
                highlight: true,
                line_numbers: false,
            },
        ] {
            let r = render(
                "两个字\n\n```c\nint a;\n```\n\n```klingon\nqapla\n```\n\n    indented code\n\n再三个\n",
                style,
                &|_| None,
            );
            assert_eq!(r.words, 6, "{style:?}: {}", r.html);
            assert!(
                r.html.contains("<pre><code>indented code\n</code></pre>"),
                "{}",
                r.html
            );
            assert!(
                r.html
                    .contains("<code class=\"language-klingon\">qapla\n</code>"),
                "{}",
                r.html
            );
        }
    }

    #[test]
    fn toc_anchors_and_words() {
        let r = render(
            "# 基本原理\n\n段落有五字。\n\n## udp_sendmsg flow\n\n```c\nint not_counted;\n```\n",
            Style {
                highlight: true,
                line_numbers: false,
            },
            &|_| None,
        );
        let toc: Vec<_> = r
            .toc
            .iter()
            .map(|t| (t.level, t.id.as_str(), t.title.as_str()))
            .collect();
        assert_eq!(
            toc,
            [
                (1, "基本原理", "基本原理"),
                (2, "udp_sendmsg-flow", "udp_sendmsg flow")
            ]
        );
        assert!(
            r.html.contains(r##"<a class="anchor" href="#基本原理""##),
            "{}",
            r.html
        );
        // 基本原理 4 + 段落有五字 5 + udp_sendmsg flow 2; the code is not counted.
        assert_eq!(r.words, 11);
        assert!(
            r.html
                .contains(r#"<pre class="hl"><code class="language-c">"#),
            "{}",
            r.html
        );
        let plain = render(
            "```nosuchlang\n<b>x</b>\n```\n",
            Style {
                highlight: true,
                line_numbers: false,
            },
            &|_| None,
        )
        .html;
        assert_eq!(
            plain,
            "<pre><code class=\"language-nosuchlang\">&lt;b&gt;x&lt;/b&gt;\n</code></pre>\n"
        );
    }

    #[test]
    fn heading_ids_follow_the_plain_rule() {
        // The rule as first written, for the fast paths to agree with.
        fn plain(text: &str) -> String {
            let mut id = String::new();
            for c in text.chars() {
                if c.is_alphanumeric() || c == '_' {
                    id.extend(c.to_lowercase());
                } else if !id.ends_with('-') && !id.is_empty() {
                    id.push('-');
                }
            }
            let id = id.trim_matches('-').to_string();
            if id.is_empty() { "section".into() } else { id }
        }
        for text in [
            "Kernel 3.10 内核源码分析--slab原理",
            "ÉCOLE Straße ΣΑΣ Ǆ",
            "udp_sendmsg() 的流程",
            "ｆｕｌｌ ＷＩＤＴＨ ２０１４",
            "한국어 カタカナ 𠀀x ゠・\u{3099}ゞ \u{9FFF}\u{A000}",
            "!!!",
        ] {
            let events = [Event::Text(CowStr::from(text))];
            assert_eq!(heading_id(&events), plain(text), "{text}");
        }
    }

    #[test]
    fn extensions_and_heading_ids() {
        let h = render_html(
            "# 基本原理\n\n## Hello World\n\n## Hello World\n\n|a|b|\n|-|-|\n|1|2|\n\n~~x~~ - [x] y\n\ntext[^1]\n\n[^1]: note\n",
        );
        assert!(h.contains(r#"<h1 id="基本原理">"#), "{h}");
        assert!(h.contains(r#"<h2 id="hello-world">"#), "{h}");
        assert!(h.contains(r#"<h2 id="hello-world-1">"#), "{h}");
        assert!(
            h.contains("<table>") && h.contains("<del>") && h.contains("footnote"),
            "{h}"
        );
        assert!(render_html("## x {#given}\n").contains(r#"id="given""#));
    }

    #[test]
    fn line_numbers_by_setting_or_by_block_sit_outside_the_code() {
        let on = Style {
            highlight: false,
            line_numbers: true,
        };
        let html = render("```c\nint a;\nint b;\n```\n", on, &|_| None).html;
        assert!(html.contains("<pre class=\"linenos\"><span class=\"gutter\" aria-hidden=\"true\">1\n2\n</span><code class=\"language-c\">int a;\nint b;\n</code></pre>"), "{html}");
        let one = render(
            "```c linenos\nx\n```\n\n```c\ny\n```\n",
            Style::default(),
            &|_| None,
        )
        .html;
        assert_eq!(one.matches("gutter").count(), 1, "{one}");
        let hl = render(
            "```c {linenos}\nint x = 1;\n```\n",
            Style {
                highlight: true,
                line_numbers: false,
            },
            &|_| None,
        )
        .html;
        assert!(hl.contains("<pre class=\"hl linenos\">"), "{hl}");
    }
}
