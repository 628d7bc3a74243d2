//! `boke new`: a new post file with YAML-safe front matter, under a slug made from its title.
//!
//! Making the slug and the text is pure ([`make_slug`], [`front_matter`], [`plan`]); [`create`]
//! is the thin disk edge, and it never replaces a file: the post is opened with `create_new`.

use crate::config::{Config, SlugStyle};
use crate::content;
use crate::datetime;
use crate::error::{Diagnostic, Error, Result};
use crate::frontmatter::{
    self,
    write::{Meta, front_matter},
};
use crate::layout::{self, SiteDir};
use crate::newfile;
use crate::slug::Slug;
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};

/// Longest slug made from a title, in characters. Long enough for a readable title, short
/// enough that `date-slug.md` stays far below file-name limits (255 bytes) even in Chinese.
pub const MAX_SLUG_CHARS: usize = 60;

/// The body of a new post: nothing yet, but the marker that ends its excerpt is in place, with
/// a blank line above it for the excerpt and one below for the rest.
pub const BODY: &str = "\n<!-- more -->\n\n";

/// What `boke new` was asked for, as typed.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub title: String,
    pub category: Option<String>,
    /// Each entry may hold several tags separated by `,`, `，` or `、`.
    pub tags: Vec<String>,
    pub slug: Option<String>,
    pub draft: bool,
    /// In any form front matter accepts; the site's time zone if it has no offset.
    pub date: Option<String>,
    /// The post's `id:`; when the permalink pattern uses `{id}` and none is given, [`create`]
    /// takes the next after the highest id in the site.
    pub id: Option<u64>,
}

/// A post ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub slug: Slug,
    /// Relative to the site root: `content/posts/<date>-<slug>.md`.
    pub path: PathBuf,
    pub text: String,
}

/// Work out the file name and text of a new post. `now` is used when no date is given.
pub fn plan(req: &Request, config: &Config, now: DateTime<Utc>) -> Result<Planned, Diagnostic> {
    let title = req.title.trim();
    if title.is_empty() {
        return Err(Diagnostic::new(
            "TITLE",
            "the title is empty",
            "give the post a title: boke new \"标题\"",
        ));
    }
    let tz = config.offset();
    let date = match &req.date {
        Some(given) => datetime::parse(given, tz)
            .map_err(|e| Diagnostic::new("--date", e.0, datetime::ACCEPTED))?
            .with_timezone(&tz),
        None => now.with_timezone(&tz),
    };
    let slug = match &req.slug {
        Some(given) => Slug::parse(given).map_err(|why| {
            Diagnostic::new(
                "--slug",
                why,
                "a slug is one URL segment: letters, digits, `-`, no `/`, `\\` or `..`",
            )
        })?,
        None => make_slug(title, config.slug_style).ok_or_else(|| {
            Diagnostic::new(
                "TITLE",
                format!(
                    "the title `{}` has no letter or digit to make a slug from",
                    title.escape_debug()
                ),
                "give the slug yourself, e.g. --slug notes",
            )
        })?,
    };
    let tags = split_tags(&req.tags);
    let category = req
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let meta = Meta {
        title,
        date,
        category,
        tags: &tags,
        draft: req.draft,
        id: req.id,
    };
    let path = layout::rel_posts_dir().join(format!("{}-{slug}.md", date.format("%Y-%m-%d")));
    Ok(Planned {
        slug,
        path,
        text: format!("{}{BODY}", front_matter(&meta)),
    })
}

/// A slug from a title. ASCII letters and digits are kept, lower-cased. With
/// [`SlugStyle::Pinyin`] every Chinese character becomes its most common pinyin reading and
/// other scripts are transliterated; with [`SlugStyle::Unicode`] all letters are kept as they
/// are. Anything else separates words with one `-`. `None` if the title has no letter or digit.
pub fn make_slug(title: &str, style: SlugStyle) -> Option<Slug> {
    let mut b = SlugBuilder::default();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            b.push(c);
        } else if matches!(c, '\'' | '\u{2018}' | '\u{2019}') {
            // An apostrophe joins its word: "it's" reads better as `its` than as `it-s`.
        } else if !c.is_alphanumeric() {
            b.separate();
        } else if style == SlugStyle::Unicode {
            b.push(c);
        } else if is_han(c) {
            // Each Chinese character is one syllable, so it is a word of its own.
            b.separate();
            match pinyin_of(c) {
                Some(syllable) => b.push_ascii(&syllable),
                None => b.push_ascii(deunicode::deunicode_char(c).unwrap_or_default()),
            }
            b.separate();
        } else {
            // Other letters are transliterated inside their word: café → cafe.
            b.push_ascii(deunicode::deunicode_char(c).unwrap_or_default());
        }
    }
    let slug = bound(&b.out, MAX_SLUG_CHARS).trim_matches('-');
    if slug.is_empty() {
        None
    } else {
        Slug::parse(slug).ok()
    }
}

#[derive(Default)]
struct SlugBuilder {
    out: String,
    dash: bool,
}

impl SlugBuilder {
    fn push(&mut self, c: char) {
        if self.dash && !self.out.is_empty() {
            self.out.push('-');
        }
        self.dash = false;
        self.out.extend(c.to_lowercase());
    }

    /// Transliterated text: its letters and digits join the word, anything else separates.
    fn push_ascii(&mut self, text: &str) {
        if text.is_empty() {
            self.separate();
        }
        for a in text.chars() {
            if a.is_ascii_alphanumeric() {
                self.push(a);
            } else {
                self.separate();
            }
        }
    }

    fn separate(&mut self) {
        self.dash = true;
    }
}

/// The toneless pinyin of a Chinese character, with ü written `v` as pinyin keyboards do.
/// The `pinyin` crate is used rather than `deunicode`'s table because that table has wrong
/// readings for common words of technical titles (帧 zheng, 触 hong, 适 gua, 坏 pi).
fn pinyin_of(c: char) -> Option<String> {
    use pinyin::ToPinyin;
    let p = c.to_pinyin()?;
    Some(p.plain().replace('ü', "v"))
}

/// CJK ideographs: the unified blocks and their extensions, the compatibility blocks, and 〇.
fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3007 | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// At most `max` characters, cut at a `-` when one is in the second half, so no word is cut.
fn bound(s: &str, max: usize) -> &str {
    let Some((cut, _)) = s.char_indices().nth(max) else {
        return s;
    };
    let head = &s[..cut];
    if s[cut..].starts_with('-') {
        return head;
    }
    match head.rfind('-') {
        Some(i) if head[..i].chars().count() >= max / 2 => &head[..i],
        _ => head,
    }
}

/// Tags as typed after `--tags`: separated by ASCII or Chinese commas, trimmed, without
/// empties or repeats, in the order given.
pub fn split_tags(raw: &[String]) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for part in raw.iter().flat_map(|r| r.split([',', '，', '、'])) {
        let t = part.trim();
        if !t.is_empty() && !tags.iter().any(|x| x == t) {
            tags.push(t.to_string());
        }
    }
    tags
}

/// Write the new post into the site at `root`; returns its path relative to `root`.
pub fn create(root: &Path, req: &Request) -> Result<PathBuf> {
    let config = Config::load(&SiteDir::new(root))?;
    // One time for both plans, so the second cannot fall on another day (another file name).
    let now = Utc::now();
    let mut planned = plan(req, &config, now)?;
    // The slug to look for comes from the plan, the id the plan needs from the same look.
    let found = survey(root, &planned.slug)?;
    if req.id.is_none() && config.post_permalink().uses_id() {
        let next = Request {
            id: Some(found.max_id.map_or(1, |m| m.saturating_add(1))),
            ..req.clone()
        };
        planned = plan(&next, &config, now)?;
    }
    // A file of the same name is left to `create_new` below, which says so more plainly.
    if let Some(other) = found.slug_owner.filter(|o| *o != planned.path) {
        return Err(Diagnostic::new(
            &other,
            format!(
                "this post already has the slug `{}`, so {} would replace its page",
                planned.slug,
                planned.path.display()
            ),
            "nothing was written; give the new post another slug with --slug, or another title",
        )
        .into());
    }
    let full = root.join(&planned.path);
    if let Some(dir) = full.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
    }
    if !newfile::create(&full, planned.text.as_bytes())? {
        return Err(Diagnostic::new(
            &planned.path,
            "a file of this name already exists; boke new never overwrites",
            "nothing was written; choose another slug with --slug, or another title",
        )
        .into());
    }
    Ok(planned.path)
}

/// The post file (relative to `root`) that already has `slug`, drafts included.
pub fn find_slug(root: &Path, slug: &Slug) -> Result<Option<PathBuf>> {
    Ok(survey(root, slug)?.slug_owner)
}

/// What a new post must not collide with, from one read of the site's posts.
struct Survey {
    /// The post file (relative to the root) that already has the slug.
    slug_owner: Option<PathBuf>,
    /// The highest numeric `id:`.
    max_id: Option<u64>,
}

fn survey(root: &Path, slug: &Slug) -> Result<Survey> {
    let mut found = Survey {
        slug_owner: None,
        max_id: None,
    };
    for rel in content::find_posts(&SiteDir::new(root))? {
        let full = root.join(&rel);
        let bytes = std::fs::read(&full).map_err(|e| Error::io("read", &full, e))?;
        let (post_slug, id) = slug_and_id(&rel, &bytes);
        if found.slug_owner.is_none() && post_slug.as_ref() == Some(slug) {
            found.slug_owner = Some(rel);
        }
        found.max_id = found.max_id.max(id);
    }
    Ok(found)
}

/// The slug a post file is built under, found the way `Post::parse` finds it (front matter
/// `slug:`, else the file name), and its numeric `id:`, without requiring the rest of the
/// post to be valid: a broken post elsewhere in the site must not stop a new one from being
/// added.
fn slug_and_id(rel: &Path, bytes: &[u8]) -> (Option<Slug>, Option<u64>) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let yaml = std::str::from_utf8(bytes).ok().and_then(|text| {
        let text = text.replace("\r\n", "\n");
        let split = frontmatter::split(rel, &text).ok()?;
        serde_yaml::from_str::<serde_yaml::Value>(split.yaml).ok()
    });
    let field = |key: &str| match yaml.as_ref()?.get(key)? {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let slug = content::slug_for(rel, field("slug").as_deref()).ok();
    (slug, field("id").and_then(|id| id.trim().parse().ok()))
}

/// The editor command for `--edit`: `$EDITOR`, else `$VISUAL`, split at white space so that
/// `code --wait` works.
pub fn editor_from_env() -> Result<Vec<String>> {
    editor_command(std::env::var("EDITOR").ok(), std::env::var("VISUAL").ok()).ok_or_else(|| {
        Diagnostic::new(
            "--edit",
            "neither $EDITOR nor $VISUAL is set",
            "set one, e.g. export EDITOR=vim, or leave out --edit and open the printed path",
        )
        .into()
    })
}

fn editor_command(editor: Option<String>, visual: Option<String>) -> Option<Vec<String>> {
    [editor, visual]
        .into_iter()
        .flatten()
        .map(|v| v.split_whitespace().map(String::from).collect::<Vec<_>>())
        .find(|words| !words.is_empty())
}

/// Open `path` in the editor and wait for it to close.
pub fn edit(editor: &[String], path: &Path) -> Result<()> {
    let (program, args) = editor.split_first().expect("editor_command gives a word");
    let status = std::process::Command::new(program)
        .args(args)
        .arg(path)
        .status()
        .map_err(|e| Error::io("run the editor", Path::new(program), e))?;
    if status.success() {
        Ok(())
    } else {
        Err(Diagnostic::new(
            path,
            format!("the editor `{}` ended with {status}", editor.join(" ")),
            "the post is written; open it yourself",
        )
        .into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, TimeZone};

    fn slug(title: &str) -> String {
        make_slug(title, SlugStyle::Pinyin)
            .map(|s| s.to_string())
            .unwrap_or_default()
    }

    fn now() -> DateTime<Utc> {
        // 2026-11-25 01:30 UTC is already 09:30 on the 25th in +08:00, but 2026-11-24 in -05:00.
        Utc.with_ymd_and_hms(2026, 11, 25, 1, 30, 0).unwrap()
    }

    fn req(title: &str) -> Request {
        Request {
            title: title.into(),
            ..Request::default()
        }
    }

    #[test]
    fn pinyin_slugs_are_readable_ascii() {
        assert_eq!(
            slug("kernel 3.10内核源码分析--slab原理"),
            "kernel-3-10-nei-he-yuan-ma-fen-xi-slab-yuan-li"
        );
        assert_eq!(slug("内核源码分析"), "nei-he-yuan-ma-fen-xi");
        assert_eq!(
            slug("Linux's KVM：创建虚拟机"),
            "linuxs-kvm-chuang-jian-xu-ni-ji"
        );
        assert_eq!(slug("Café 😀 C++"), "cafe-c");
        assert_eq!(slug("ＵＤＰ发送"), "udp-fa-song");
        assert_eq!(slug("触发帧过滤"), "chu-fa-zhen-guo-lv");
    }

    #[test]
    fn unicode_slugs_keep_the_characters() {
        let s = make_slug("kernel 3.10内核源码分析--slab原理", SlugStyle::Unicode).unwrap();
        assert_eq!(s.as_str(), "kernel-3-10内核源码分析-slab原理");
        let s = make_slug("《深入理解》Linux 内核", SlugStyle::Unicode).unwrap();
        assert_eq!(s.as_str(), "深入理解-linux-内核");
    }

    #[test]
    fn punctuation_only_titles_give_no_slug() {
        for t in ["", "   ", "!!!", "——……", "《》", "😀", "- * #"] {
            assert_eq!(make_slug(t, SlugStyle::Pinyin), None, "{t:?}");
            assert_eq!(make_slug(t, SlugStyle::Unicode), None, "{t:?}");
        }
    }

    #[test]
    fn long_titles_are_cut_between_words() {
        let s = slug(&"内核源码分析".repeat(10));
        assert!(
            s.len() <= MAX_SLUG_CHARS && s.len() > MAX_SLUG_CHARS / 2,
            "{s}"
        );
        // Every word left is a whole syllable.
        assert!(
            s.split('-')
                .all(|w| ["nei", "he", "yuan", "ma", "fen", "xi"].contains(&w))
        );
        let long = make_slug(&"内".repeat(100), SlugStyle::Unicode).unwrap();
        assert_eq!(long.as_str().chars().count(), MAX_SLUG_CHARS);
        let word = "a".repeat(100);
        assert_eq!(slug(&word).len(), MAX_SLUG_CHARS);
    }

    #[test]
    fn front_matter_reads_back_through_the_post_parser() {
        let tags = vec!["a: b".to_string(), "网络".to_string()];
        let text = front_matter(&Meta {
            title: "a: \"b\" # c",
            date: FixedOffset::east_opt(8 * 3600)
                .unwrap()
                .with_ymd_and_hms(2026, 11, 25, 10, 0, 0)
                .unwrap(),
            category: Some("[内核]"),
            tags: &tags,
            draft: true,
            id: Some(4636263),
        }) + BODY;
        let post = content::Post::parse(
            Path::new("content/posts/2026-11-25-x.md"),
            text.as_bytes(),
            &Config::default(),
        )
        .unwrap();
        assert_eq!(post.meta.title.as_deref(), Some("a: \"b\" # c"));
        assert_eq!(post.meta.date.to_rfc3339(), "2026-11-25T10:00:00+08:00");
        assert_eq!(post.meta.category.as_deref(), Some("[内核]"));
        assert_eq!(post.meta.tags, tags);
        assert!(post.meta.draft);
        assert_eq!(post.meta.id.as_deref(), Some("4636263"));
        assert_eq!(
            (post.meta.views, post.meta.comments, post.meta.shares),
            (0, 0, 0)
        );
        assert_eq!(post.excerpt.text, "");
        assert!(markdown_has_more(&post.body), "{:?}", post.body);
    }

    fn markdown_has_more(body: &str) -> bool {
        crate::markdown::more_marker(body).is_some()
    }

    #[test]
    fn plan_names_the_file_by_the_date_in_the_site_zone() {
        let cst = Config::default();
        let p = plan(&req("内核源码分析"), &cst, now()).unwrap();
        assert_eq!(
            p.path,
            Path::new("content/posts/2026-11-25-nei-he-yuan-ma-fen-xi.md")
        );
        assert!(
            p.text.contains("\ndate: 2026-11-25 09:30:00\n"),
            "{}",
            p.text
        );

        let est = Config::parse("title: t\ntimezone: \"-05:00\"\n").unwrap();
        let p = plan(&req("x"), &est, now()).unwrap();
        assert_eq!(p.path, Path::new("content/posts/2026-11-24-x.md"));

        let given = Request {
            date: Some("2026-11-25T23:30:00Z".into()),
            ..req("x")
        };
        let p = plan(&given, &cst, now()).unwrap();
        assert_eq!(p.path, Path::new("content/posts/2026-11-26-x.md"));
        assert!(
            p.text.contains("\ndate: 2026-11-26 07:30:00\n"),
            "{}",
            p.text
        );
    }

    #[test]
    fn plan_uses_the_site_slug_style_and_the_given_slug() {
        let unicode = Config::parse("title: t\nslug_style: unicode\n").unwrap();
        let p = plan(&req("内核 源码"), &unicode, now()).unwrap();
        assert_eq!(p.slug.as_str(), "内核-源码");
        let given = Request {
            slug: Some("my post".into()),
            ..req("!!!")
        };
        let p = plan(&given, &unicode, now()).unwrap();
        assert_eq!(p.path, Path::new("content/posts/2026-11-25-my-post.md"));
    }

    #[test]
    fn plan_refuses_what_cannot_make_a_post() {
        let c = Config::default();
        let e = plan(&req("  "), &c, now()).unwrap_err();
        assert!(e.message.contains("empty"), "{e}");
        let e = plan(&req("？！"), &c, now()).unwrap_err();
        assert!(e.help.contains("--slug"), "{e}");
        for bad in ["../x", "a/b", ".hidden", ""] {
            let r = Request {
                slug: Some(bad.into()),
                ..req("t")
            };
            let e = plan(&r, &c, now()).unwrap_err();
            assert_eq!(e.path, Path::new("--slug"), "{bad}: {e}");
        }
        let r = Request {
            date: Some("tomorrow".into()),
            ..req("t")
        };
        let e = plan(&r, &c, now()).unwrap_err();
        assert_eq!(e.path, Path::new("--date"), "{e}");
    }

    #[test]
    fn tags_split_at_ascii_and_chinese_commas() {
        let raw = vec!["slab, mm，内存、".to_string(), "mm".to_string()];
        assert_eq!(split_tags(&raw), ["slab", "mm", "内存"]);
        assert!(split_tags(&[]).is_empty());
    }

    #[test]
    fn slug_and_id_follow_front_matter_then_file_name() {
        let rel = Path::new("content/posts/2014-01-01-name.md");
        let slug = |bytes: &[u8]| slug_and_id(rel, bytes).0.unwrap().as_str().to_string();
        assert_eq!(slug(b"---\nslug: given\n---\n"), "given");
        // The date is broken, but the slug is still known.
        assert_eq!(slug(b"---\ndate: 2014-02-30\n---\n"), "name");
        assert_eq!(slug(b"no front matter"), "name");
        assert_eq!(slug(b"\xEF\xBB\xBF---\r\nslug: 42\r\n---\r\n"), "42");
        assert_eq!(
            slug_and_id(rel, b"---\nid: 4636263\n---\n").1,
            Some(4636263)
        );
        assert_eq!(slug_and_id(rel, b"---\nid: \"17\"\n---\n").1, Some(17));
        assert_eq!(slug_and_id(rel, b"---\nid: old-7\n---\n").1, None);
    }

    #[test]
    fn editor_prefers_editor_and_splits_arguments() {
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            editor_command(some("code --wait"), some("vim")).unwrap(),
            ["code", "--wait"]
        );
        assert_eq!(editor_command(some("  "), some("vim")).unwrap(), ["vim"]);
        assert_eq!(editor_command(None, None), None);
    }
}
