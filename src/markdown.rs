//! Markdown to HTML with pulldown-cmark (CommonMark + tables, footnotes, strikethrough, task
//! lists, heading ids), and the excerpt shown in lists.

use crate::text::is_cjk;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};
use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};

fn options() -> Options {
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

/// A block that cannot be rendered: where it starts in the body (a byte offset), what is
/// wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockError {
    pub offset: usize,
    pub message: String,
    pub help: String,
}

/// Check the formulas and diagrams of a body, which render at build time and must not fail
/// later on a page; drawing a diagram here also caches it for the page. Bodies without a `$`
/// or a `mermaid` fence are not parsed at all.
pub fn check_blocks(md: &str) -> Vec<BlockError> {
    if !may_have_blocks(md) {
        return Vec::new();
    }
    let mut errors = Vec::new();
    let mut in_mermaid: Option<(usize, String)> = None;
    for (e, range) in Parser::new_ext(md, options()).into_offset_iter() {
        match e {
            Event::InlineMath(tex) | Event::DisplayMath(tex) => {
                if let Err(e) = crate::math::to_mathml(&tex, crate::math::Mode::Inline) {
                    errors.push(BlockError {
                        offset: range.start,
                        message: format!("the formula `{tex}` does not parse: {}", e.reason),
                        help: "fix the LaTeX; a `$` meant as a dollar sign is written \\$".into(),
                    });
                }
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if is_mermaid(&info) => {
                in_mermaid = Some((range.start, String::new()));
            }
            Event::Text(t) => {
                if let Some((_, src)) = &mut in_mermaid {
                    src.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((offset, src)) = in_mermaid.take() {
                    if let Err(why) = crate::diagram::to_svg(&src) {
                        errors.push(BlockError {
                            offset,
                            message: format!("the mermaid diagram cannot be drawn: {why}"),
                            help: "fix the diagram (the syntax is mermaid's: flowchart, sequenceDiagram, classDiagram …), or fence it as ```text to show it as code".into(),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    errors
}

/// Whether a body may hold a formula or a diagram, without parsing it: a `mermaid` fence, or
/// outside fenced code a line with two `$` (a formula opens and closes on one line; `$$`
/// blocks start with a line of their own). Most dollars are in shell code, which this skips:
/// parsing every such body again cost a tenth of a large build.
fn may_have_blocks(md: &str) -> bool {
    let bytes = md.as_bytes();
    if memchr::memchr(b'$', bytes).is_none() {
        return memchr::memmem::find(bytes, b"mermaid").is_some();
    }
    let mut fence: Option<(u8, usize)> = None;
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len())) {
        let line = &bytes[start..end];
        start = end + 1;
        let indent = line
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        let trimmed = &line[indent..];
        if let Some(&m @ (b'`' | b'~')) = trimmed.first() {
            let run = trimmed.iter().take_while(|&&b| b == m).count();
            if run >= 3 {
                match fence {
                    None if trimmed[run..].trim_ascii_start().starts_with(b"mermaid") => {
                        return true;
                    }
                    None => fence = Some((m, run)),
                    Some((open, len)) if open == m && run >= len => fence = None,
                    Some(_) => {}
                }
                continue;
            }
        }
        if fence.is_none() && memchr::memchr_iter(b'$', line).nth(1).is_some() {
            return true;
        }
    }
    false
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
        inner: Parser::new_ext(md, options()).map(|e| localize(e, local)),
        pending: VecDeque::new(),
        used: HashMap::new(),
        style,
        links,
        sizes,
        in_link: 0,
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
    used: HashMap<String, usize>,
    style: Style,
    /// Resolves `@/posts/x.md` links (paths below content/) to URLs.
    links: &'l dyn Fn(&str) -> Option<String>,
    /// The size of an image's file (see [`render_in`]).
    sizes: &'l dyn Fn(&str) -> Option<Size>,
    /// How many links the events are inside: an image in a link is not made a link again.
    in_link: usize,
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
                for e in self.inner.by_ref() {
                    if matches!(e, Event::End(TagEnd::Heading(_))) {
                        break;
                    }
                    inner.push(e);
                }
                let base = match id {
                    Some(id) => id.to_string(),
                    None => heading_id(&inner),
                };
                let n = self.used.entry(base.clone()).or_insert(0);
                let unique = if *n == 0 { base } else { format!("{base}-{n}") };
                *n += 1;
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
                self.pending.push_back(Event::Html(CowStr::from(format!(
                    r##"<a class="anchor" href="#{}" aria-hidden="true">#</a>"##,
                    escape_attr(&unique)
                ))));
                self.pending.push_back(Event::End(TagEnd::Heading(level)));
                Some(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(unique)),
                    classes,
                    attrs,
                }))
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let mut code = String::new();
                for e in self.inner.by_ref() {
                    match e {
                        Event::End(TagEnd::CodeBlock) => break,
                        Event::Text(t) => code.push_str(&t),
                        _ => {}
                    }
                }
                let (lang, numbers) = match &kind {
                    CodeBlockKind::Fenced(info) => (
                        info.split([' ', ',', '{']).next().unwrap_or("").to_string(),
                        self.style.line_numbers || wants_line_numbers(info),
                    ),
                    CodeBlockKind::Indented => (String::new(), self.style.line_numbers),
                };
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
                let lines = code.lines().count();
                match highlighted {
                    Some(h) if numbers => {
                        Some(Event::Html(CowStr::from(numbered("hl ", &lang, &h, lines))))
                    }
                    Some(h) => Some(Event::Html(CowStr::from(format!(
                        "<pre class=\"hl\"><code class=\"language-{}\">{h}</code></pre>\n",
                        escape_attr(&lang)
                    )))),
                    None if numbers => Some(Event::Html(CowStr::from(numbered(
                        "",
                        &lang,
                        &escape_attr(&code),
                        lines,
                    )))),
                    None => {
                        self.pending.push_back(Event::Text(CowStr::from(code)));
                        self.pending.push_back(Event::End(TagEnd::CodeBlock));
                        Some(Event::Start(Tag::CodeBlock(kind)))
                    }
                }
            }
            Event::Text(t) => {
                self.words += count_words(&t);
                Some(Event::Text(t))
            }
            e @ (Event::InlineMath(_) | Event::DisplayMath(_)) => Some(with_math(e)),
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => Some(self.image(dest_url, title)),
            Event::End(TagEnd::Link) => {
                self.in_link = self.in_link.saturating_sub(1);
                Some(Event::End(TagEnd::Link))
            }
            Event::Start(tag @ Tag::Link { .. }) => {
                self.in_link += 1;
                Some(Event::Start(map_dest(tag, |dest| {
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
fn localize<'a>(e: Event<'a>, local: &dyn Fn(&str) -> Option<String>) -> Event<'a> {
    match e {
        Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
            Event::Start(map_dest(tag, |dest| {
                local(&dest).map_or(dest, |p| CowStr::from(format!("{INTERNAL}{p}")))
            }))
        }
        other => other,
    }
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

/// The widths of the smaller copies made of a large picture of a post's own; they and a WebP
/// version of each size are written beside it by the build ([`crate::images::write_copies`]).
pub const SMALLER_WIDTHS: [u32; 2] = [480, 960];

/// A PNG or JPEG wider than this gets smaller copies.
pub const LARGE_WIDTH: u32 = 1200;

/// How wide the page shows a picture: the whole width on a phone, at most the text's width.
const SIZES: &str = "(max-width: 960px) 100vw, 960px";

/// Whether the picture at `path` (a URL or a file name), `width` pixels wide, gets copies.
pub fn has_smaller_copies(path: &str, width: u32) -> bool {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    width > LARGE_WIDTH && matches!(ext.as_deref(), Some("png" | "jpg" | "jpeg"))
}

/// The name of a copy of `path`: `fig.png` → `fig-480w.png`, `fig-480w.webp`, `fig.webp`.
pub fn copy_name(path: &str, width: Option<u32>, webp: bool) -> String {
    let (stem, ext) = path.rsplit_once('.').unwrap_or((path, ""));
    let ext = if webp { "webp" } else { ext };
    match width {
        Some(w) => format!("{stem}-{w}w.{ext}"),
        None => format!("{stem}.{ext}"),
    }
}

/// Every image of a body that should name a file of the site, as written (the post's own
/// files still relative, not yet `@/` links), with the byte offset where the image starts;
/// remote (`https:`, `//host`) and `data:` images are left out.
pub fn local_images(md: &str) -> Vec<(String, usize)> {
    // Runs over every post when the site is loaded, and most posts have no image.
    if memchr::memmem::find(md.as_bytes(), b"![").is_none() {
        return Vec::new();
    }
    Parser::new_ext(md, options())
        .into_offset_iter()
        .filter_map(|(e, range)| match e {
            Event::Start(Tag::Image { dest_url, .. }) if is_local(&dest_url) => {
                Some((dest_url.to_string(), range.start))
            }
            _ => None,
        })
        .collect()
}

/// A link that names no other host and is not inline data.
fn is_local(dest: &str) -> bool {
    let scheme = dest
        .find(':')
        .is_some_and(|i| !dest[..i].contains(['/', '?', '#']));
    !(dest.is_empty() || scheme || dest.starts_with("//"))
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
    pulldown_cmark_escape::escape_html(&mut out, s).expect("writing to a String cannot fail");
    out
}

/// Each CJK character is a word; so is each run of other letters or digits.
pub fn count_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut words, mut in_word, mut i) = (0, false, 0);
    // Runs on every text of every post: the common characters (ASCII, and the CJK ideographs
    // U+5000..U+9FFF, whose UTF-8 starts with E5..E9) are told apart by their first byte.
    while i < bytes.len() {
        let b = bytes[i];
        let (alphanumeric, joiner) = if b < 0x80 {
            i += 1;
            (b.is_ascii_alphanumeric(), matches!(b, b'\'' | b'_' | b'-'))
        } else if (0xE5..=0xE9).contains(&b) {
            i += 3;
            words += 1;
            in_word = false;
            continue;
        } else {
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            i += c.len_utf8();
            if is_cjk(c) {
                words += 1;
                in_word = false;
                continue;
            }
            (is_alphanumeric(c), false)
        };
        if alphanumeric {
            words += usize::from(!in_word);
            in_word = true;
        } else {
            in_word = in_word && joiner;
        }
    }
    words
}

/// `char::is_alphanumeric`, with the punctuation of Chinese text (，。、：“”（）) answered from
/// a table made from it: the standard function searches its Unicode tables for every
/// character outside ASCII, which made word counting a tenth of a build's instructions.
fn is_alphanumeric(c: char) -> bool {
    /// Blocks of punctuation Chinese text is full of: general punctuation, CJK symbols and
    /// punctuation, full-width forms.
    const BLOCKS: [std::ops::Range<u32>; 3] = [0x2000..0x2070, 0x3000..0x3040, 0xFF00..0xFFF0];
    static TABLE: std::sync::LazyLock<Vec<Vec<bool>>> = std::sync::LazyLock::new(|| {
        BLOCKS
            .iter()
            .map(|b| {
                b.clone()
                    .map(|u| char::from_u32(u).is_some_and(char::is_alphanumeric))
                    .collect()
            })
            .collect()
    });
    let u = c as u32;
    if u < 0x80 {
        return c.is_ascii_alphanumeric();
    }
    match BLOCKS.iter().position(|b| b.contains(&u)) {
        Some(i) => TABLE[i][(u - BLOCKS[i].start) as usize],
        None => c.is_alphanumeric(),
    }
}

/// Lower-case ASCII letters and digits and every non-ASCII letter (Chinese) are kept; runs of
/// anything else become one `-`.
fn heading_id(events: &[Event<'_>]) -> String {
    let mut id = String::new();
    for e in events {
        if let Event::Text(t) | Event::Code(t) = e {
            for c in t.chars() {
                if c.is_alphanumeric() || c == '_' {
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
    let mut events: Vec<Event<'a>> = Vec::new();
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
    let mut out = String::new();
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
    fn local_images_skip_remote_and_data() {
        let md = "![a](x.png) ![b](https://e.org/y.png) ![c](//e.org/z.png) ![d](data:image/png;base64,AA)\n\n![e](/img/f.png)";
        let found: Vec<String> = local_images(md).into_iter().map(|(d, _)| d).collect();
        assert_eq!(found, ["x.png", "/img/f.png"]);
        assert!(local_images("no pictures").is_empty());
    }

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
    fn word_counting() {
        assert_eq!(
            count_words("内核 slab 分配器 don't per-cpu udp_sendmsg 3.10"),
            2 + 1 + 3 + 1 + 1 + 1 + 2
        );
        assert_eq!(count_words(""), 0);
        // Full-width punctuation separates words; full-width letters and digits are words.
        assert_eq!(count_words("ａｂ，ｃ１。x、y〇"), 4);
        // The edges of the CJK blocks: U+4DC0 (a hexagram) is no letter; U+A000 (Yi) is a
        // letter that joins the next one into a word.
        assert_eq!(
            count_words("\u{3400}\u{4DBF}\u{4DC0}\u{4E00}\u{9FFF}\u{A000}a"),
            5
        );
        assert_eq!(count_words("a\u{4E00}b\u{20000}c"), 5);
    }

    #[test]
    fn alphanumeric_table_agrees_with_the_standard_library() {
        for u in (0..0x11000).chain(0x20000..0x20010) {
            if let Some(c) = char::from_u32(u) {
                assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "U+{u:04X}");
            }
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

    #[test]
    fn formulas_become_mathml_and_bad_ones_are_found_with_their_place() {
        let html = render(
            "质能 $E = mc^2$。\n\n$$\\sum_{i=1}^n i$$\n",
            Style::default(),
            &|_| None,
        )
        .html;
        assert!(html.contains("<math display=\"inline\">"), "{html}");
        assert!(html.contains("<math display=\"block\">"), "{html}");
        assert!(!html.contains('$'), "{html}");
        // In a heading and in an excerpt too.
        let heading = render("## 复杂度 $O(n)$\n", Style::default(), &|_| None).html;
        assert!(heading.contains("<math"), "{heading}");
        assert!(
            excerpt("摘要 $x^2$ 在此\n\n<!-- more -->\n正文\n", None, 200)
                .html
                .contains("<msup>")
        );
        // Code keeps its dollars.
        let code = render(
            "`$PATH` and\n\n```sh\necho $HOME $USER\n```\n",
            Style::default(),
            &|_| None,
        )
        .html;
        assert!(
            code.contains("$PATH") && code.contains("$HOME $USER"),
            "{code}"
        );
        assert!(check_blocks("no math, $5 here and $ there").is_empty());
        let md = "一行\n\n坏公式 $\\nosuchcmd{x}$ 在这里\n";
        let errors = check_blocks(md);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(&md[..errors[0].offset].matches('\n').count(), &2);
        assert!(errors[0].message.contains("\\nosuchcmd{x}"), "{errors:?}");
    }

    #[test]
    fn mermaid_blocks_become_svg_and_bad_ones_are_errors() {
        let md = "前文\n\n```mermaid\nflowchart LR\n  A[用户态] --> B[内核态]\n```\n";
        assert!(check_blocks(md).is_empty());
        let html = render(md, Style::default(), &|_| None).html;
        assert!(html.contains("<figure class=\"diagram\"><svg"), "{html}");
        assert!(html.contains(">用户态<"), "{html}");
        let bad = "x\n\n```mermaid\nnot a diagram at all\n```\n";
        let errors = check_blocks(bad);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].offset, 3);
        assert!(errors[0].message.contains("mermaid"), "{errors:?}");
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

    #[test]
    fn bodies_without_formulas_or_diagrams_are_not_parsed_again() {
        assert!(!may_have_blocks(
            "```sh\n$ echo $HOME $USER\n```\n正文 $5\n"
        ));
        assert!(!may_have_blocks("~~~\n$a $b\n~~~\n"));
        assert!(may_have_blocks("正文 $x$ 公式\n"));
        assert!(may_have_blocks("$$\nx\n$$\n"));
        assert!(may_have_blocks("```mermaid\ngraph TD\n```\n"));
        assert!(may_have_blocks("````\n```\n$a$\n````\n$b$\n"));
        assert!(!may_have_blocks("````\n```\n$a$\n````\n"));
    }
}
