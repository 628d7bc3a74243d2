//! A post's comments: `<stem>.comments.yaml` beside the post, imported from the old blog and
//! read-only. Reading is strict (every problem at its file line); what the page shows is a flat
//! list with each comment's depth, so a template can lay threads out without recursion.

use crate::config::Config;
use crate::datetime;
use crate::error::Diagnostic;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// How the name of a comments file ends.
pub const SUFFIX: &str = ".comments.yaml";

/// The file of a post's comments: `content/posts/x.md` → `content/posts/x.comments.yaml`.
pub fn file_of(post: &Path) -> PathBuf {
    let stem = post.file_stem().unwrap_or_default().to_string_lossy();
    post.with_file_name(format!("{stem}{SUFFIX}"))
}

/// One comment and the replies to it, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// Plain text, never markup.
    pub author: String,
    /// The author's site, if it is an http(s) URL: anything else is not linked.
    pub url: Option<String>,
    pub date: Option<DateTime<FixedOffset>>,
    /// Plain text with its newlines.
    pub text: String,
    pub replies: Vec<Comment>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    author: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    date: Option<RawDate>,
    text: String,
    #[serde(default)]
    replies: Vec<Raw>,
}

/// A date checked while the YAML is read, so that a bad one is reported at its line; it is
/// placed in the site's time zone afterwards (a fixed offset cannot make a valid date invalid).
struct RawDate(String);

const BAD_DATE: &str = "bad date: ";

impl<'de> Deserialize<'de> for RawDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let utc = FixedOffset::east_opt(0).expect("zero is a valid offset");
        datetime::parse(&s, utc)
            .map_err(|e| serde::de::Error::custom(format!("{BAD_DATE}{}", e.0)))?;
        Ok(RawDate(s))
    }
}

/// Read a comments file. `path` names it in messages; `tz` is the site's time zone, for dates
/// without an offset.
pub fn parse(path: &Path, text: &str, tz: FixedOffset) -> Result<Vec<Comment>, Diagnostic> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let raw: Vec<Raw> = serde_yaml::from_str(text).map_err(|e| {
        let d = Diagnostic::new(
            path,
            format!("invalid comments file: {e}"),
            "write a list of comments, each with `author:` and `text:`, and optionally `url:`, `date:` and `replies:` (a list of the same)",
        );
        match e.location() {
            // A bad date is reported at the start of its comment: point at the date itself.
            Some(l) if e.to_string().contains(BAD_DATE) => {
                let line = text
                    .lines()
                    .enumerate()
                    .skip(l.line() - 1)
                    .find(|(_, t)| t.trim_start_matches([' ', '-']).starts_with("date:"))
                    .map_or(l.line(), |(i, _)| i + 1);
                d.at(line, None)
            }
            Some(l) => d.at(l.line(), Some(l.column())),
            None => d,
        }
    })?;
    Ok(raw.into_iter().map(|r| convert(r, tz)).collect())
}

fn convert(r: Raw, tz: FixedOffset) -> Comment {
    Comment {
        author: r.author,
        url: r.url.filter(|u| is_web_url(u)),
        date: r
            .date
            .and_then(|d| datetime::parse(&d.0, tz).ok())
            .map(|d| d.with_timezone(&tz)),
        text: r.text,
        replies: r.replies.into_iter().map(|r| convert(r, tz)).collect(),
    }
}

/// Whether a link may be an `href`: only http(s), so `javascript:` and `data:` stay text.
fn is_web_url(u: &str) -> bool {
    let u = u.trim();
    let lower = u.get(..8).unwrap_or(u).to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && !u.chars().any(|c| c.is_control() || c.is_whitespace())
}

/// What a template sees of one comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommentView {
    pub author: String,
    pub url: Option<String>,
    pub date: Option<String>,
    pub date_iso: Option<String>,
    /// The text's lines, to be joined by `<br>` once each is escaped.
    pub lines: Vec<String>,
    /// 0 for a comment, 1 for a reply to it, and so on.
    pub depth: usize,
}

/// The comments in reading order (each followed by its replies), dates as the site shows them.
pub fn flatten(comments: &[Comment], config: &Config) -> Vec<CommentView> {
    fn walk(cs: &[Comment], depth: usize, config: &Config, out: &mut Vec<CommentView>) {
        for c in cs {
            out.push(CommentView {
                author: c.author.clone(),
                url: c.url.clone(),
                date: c.date.map(|d| config.show_date(&d)),
                date_iso: c.date.map(|d| d.to_rfc3339()),
                lines: c.text.trim_end().lines().map(str::to_string).collect(),
                depth,
            });
            walk(&c.replies, depth + 1, config, out);
        }
    }
    let mut out = Vec::new();
    walk(comments, 0, config, &mut out);
    out
}

/// Comments and replies together.
pub fn count(comments: &[Comment]) -> usize {
    comments.iter().map(|c| 1 + count(&c.replies)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cst() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).unwrap()
    }

    fn read(text: &str) -> Result<Vec<Comment>, Diagnostic> {
        parse(Path::new("content/posts/a.comments.yaml"), text, cst())
    }

    #[test]
    fn threads_dates_and_links() {
        let cs = read(
            "- author: 张三\n  url: \"http://example.org/\"\n  date: \"2014-11-20 10:00:00\"\n  text: \"第一行\\n第二行\"\n  replies:\n    - author: 博主\n      date: \"2014-11-20T03:00:00Z\"\n      text: 谢谢\n      url: \"javascript:alert(1)\"\n- author: 李四\n  text: 好\n",
        )
        .unwrap();
        assert_eq!(cs.len(), 2);
        assert_eq!(count(&cs), 3);
        assert_eq!(cs[0].url.as_deref(), Some("http://example.org/"));
        assert_eq!(
            cs[0].date.unwrap().to_rfc3339(),
            "2014-11-20T10:00:00+08:00"
        );
        let reply = &cs[0].replies[0];
        // An offset is kept as the time it names, shown in the site's zone.
        assert_eq!(
            reply.date.unwrap().to_rfc3339(),
            "2014-11-20T11:00:00+08:00"
        );
        assert_eq!(reply.url, None, "a javascript: URL is never linked");
        assert_eq!(cs[1].date, None);

        let config = Config::parse("title: t\ndate_format: \"%Y-%m-%d %H:%M\"\n").unwrap();
        let flat = flatten(&cs, &config);
        let shape: Vec<_> = flat.iter().map(|v| (v.author.as_str(), v.depth)).collect();
        assert_eq!(shape, [("张三", 0), ("博主", 1), ("李四", 0)]);
        assert_eq!(flat[0].lines, ["第一行", "第二行"]);
        assert_eq!(flat[1].date.as_deref(), Some("2014-11-20 11:00"));
    }

    #[test]
    fn problems_are_placed_at_their_line() {
        let e = read("- author: a\n  text: t\n- author: b\n").unwrap_err();
        assert!(e.message.contains("text"), "{e}");
        assert_eq!(e.path, Path::new("content/posts/a.comments.yaml"));
        assert!(e.line.is_some(), "{e}");

        let e = read("- author: a\n  text: t\n- author: b\n  text: u\n  date: \"2014-02-30\"\n")
            .unwrap_err();
        assert!(e.message.contains("not a real calendar date"), "{e}");
        assert_eq!(e.line, Some(5), "{e}");

        let e = read("- author: a\n  text: t\n  athor: typo\n").unwrap_err();
        assert!(e.message.contains("athor"), "{e}");
        assert_eq!(e.line, Some(3), "{e}");

        assert!(read("author: a\n").is_err(), "a mapping is not a list");
        assert_eq!(read("\n"), Ok(Vec::new()));
    }

    #[test]
    fn only_web_urls_are_links() {
        assert!(is_web_url("https://a.org/x"));
        assert!(is_web_url("HTTP://A.ORG"));
        assert!(!is_web_url("javascript:alert(1)"));
        assert!(!is_web_url("data:text/html,x"));
        assert!(!is_web_url("http://a.org/\" onmouseover=\"x"));
        assert!(!is_web_url("//a.org"));
    }

    #[test]
    fn the_file_sits_beside_the_post() {
        assert_eq!(
            file_of(Path::new("content/posts/2014-11-19-slab.md")),
            Path::new("content/posts/2014-11-19-slab.comments.yaml")
        );
    }
}
