//! Permalink patterns: where a post's page lives, as `permalinks.posts` in site.yaml says
//! (`/posts/{slug}/`, `/{year}/{month}/{slug}/`, Chinaunix's `/uid-29599891-id-{id}.html`).
//! Pure: a pattern and a post's facts in, a [`Route`] out.

use crate::route::Route;
use crate::slug::Slug;
use chrono::{DateTime, Datelike, FixedOffset};
use std::fmt::Write as _;

pub const DEFAULT_POSTS: &str = "/posts/{slug}/";

/// A parsed pattern: its path segments, each literal text and placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permalink {
    pattern: String,
    segments: Vec<Vec<Part>>,
    /// The pattern ends with `/`: its last segment is a folder whatever it holds.
    folder: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Slug,
    Id,
    Year,
    Month,
    Day,
    Category,
}

/// What a pattern can ask of a post.
pub struct Facts<'a> {
    pub slug: &'a Slug,
    pub id: Option<&'a str>,
    pub date: DateTime<FixedOffset>,
    /// The slug of the post's category page, if it has a category.
    pub category: Option<&'a Slug>,
}

/// Why a post has no route under a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// The pattern has `{id}` and the post no `id:`.
    Id,
    /// The pattern has `{category}` and the post no category.
    Category,
    /// The path is not valid: the post's `id:` is not one segment, or a segment made of
    /// literal text and a value is not one.
    BadPath(String),
}

const PLACEHOLDERS: &str = "{slug}, {id}, {year}, {month}, {day}, {category}";

impl Permalink {
    pub fn parse(pattern: &str) -> Result<Permalink, String> {
        if let Some(c) = pattern.chars().find(|c| matches!(c, '?' | '#' | '\\')) {
            return Err(format!(
                "`{pattern}` contains `{c}`, which a file path cannot hold"
            ));
        }
        let mut parts = Vec::new();
        let mut rest = pattern;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_string()));
            }
            let Some(close) = rest[open..].find('}') else {
                return Err(format!("`{pattern}` opens a `{{` that is never closed"));
            };
            parts.push(match &rest[open + 1..open + close] {
                "slug" => Part::Slug,
                "id" => Part::Id,
                "year" => Part::Year,
                "month" => Part::Month,
                "day" => Part::Day,
                "category" => Part::Category,
                other => {
                    return Err(format!(
                        "`{{{other}}}` in `{pattern}` is not a placeholder boke knows; it knows {PLACEHOLDERS}"
                    ));
                }
            });
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        if !parts.iter().any(|p| matches!(p, Part::Slug | Part::Id)) {
            return Err(format!(
                "`{pattern}` has neither {{slug}} nor {{id}}, so posts would share one path"
            ));
        }
        if !matches!(parts.first(), Some(Part::Text(first)) if first.starts_with('/')) {
            return Err(format!(
                "`{pattern}` is not a path from the site's root: start it with `/`"
            ));
        }
        // Placeholders never hold `/`, so the segments are cut at the literal ones.
        let mut segments: Vec<Vec<Part>> = vec![Vec::new()];
        for part in parts {
            match part {
                Part::Text(t) => {
                    for (i, piece) in t.split('/').enumerate() {
                        if i > 0 {
                            segments.push(Vec::new());
                        }
                        if !piece.is_empty() {
                            segments
                                .last_mut()
                                .expect("one at least")
                                .push(Part::Text(piece.into()));
                        }
                    }
                }
                other => segments.last_mut().expect("one at least").push(other),
            }
        }
        // The empty text before the leading `/`, and after a trailing one.
        segments.remove(0);
        let folder = segments.last().is_some_and(Vec::is_empty);
        if folder {
            segments.pop();
        }
        let permalink = Permalink {
            pattern: pattern.to_string(),
            segments,
            folder,
        };
        // The literal parts must make a valid path whatever the post: try it with plain values.
        let slug = Slug::parse("slug").expect("a valid slug");
        let date = DateTime::parse_from_rfc3339("2014-12-30T16:51:55+08:00").expect("a date");
        permalink
            .route(&Facts {
                slug: &slug,
                id: Some("1"),
                date,
                category: Some(&slug),
            })
            .map_err(|m| match m {
                Missing::BadPath(why) => why,
                _ => unreachable!("every fact was given"),
            })?;
        Ok(permalink)
    }

    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// Whether the pattern uses a post's `id:`.
    pub fn uses_id(&self) -> bool {
        self.segments.iter().flatten().any(|p| *p == Part::Id)
    }

    /// The route of a post under this pattern. It is made segment by segment, not by writing
    /// a path and reading it back: every post of a site goes through here on every rebuild.
    pub fn route(&self, post: &Facts<'_>) -> Result<Route, Missing> {
        let mut segs = Vec::with_capacity(self.segments.len());
        for parts in &self.segments {
            if parts.is_empty() {
                return Err(Missing::BadPath(format!(
                    "`{}` has an empty segment (`//`)",
                    self.pattern
                )));
            }
            let mut seg = String::new();
            for part in parts {
                match part {
                    Part::Text(t) => seg.push_str(t),
                    Part::Slug => seg.push_str(post.slug.as_str()),
                    Part::Id => {
                        let id = post.id.ok_or(Missing::Id)?;
                        // One segment, like a slug: `x/y` would quietly make a folder.
                        if Slug::parse(id).ok().is_none_or(|s| s.as_str() != id) {
                            return Err(Missing::BadPath(format!(
                                "its id `{}` is not one path segment (no `/`, `..` or spaces)",
                                id.escape_debug()
                            )));
                        }
                        seg.push_str(id);
                    }
                    Part::Year => {
                        let _ = write!(seg, "{:04}", post.date.year());
                    }
                    Part::Month => {
                        let _ = write!(seg, "{:02}", post.date.month());
                    }
                    Part::Day => {
                        let _ = write!(seg, "{:02}", post.date.day());
                    }
                    Part::Category => {
                        seg.push_str(post.category.ok_or(Missing::Category)?.as_str())
                    }
                }
            }
            // A slug or placeholder next to literal text can make what neither is alone
            // (`a.` and `.b` make `a..b`); a segment of one placeholder is valid as it is.
            if parts.len() > 1 || matches!(parts[0], Part::Text(_)) {
                Route::check_segment(&self.pattern, &seg).map_err(Missing::BadPath)?;
            }
            segs.push(seg);
        }
        Ok(Route::from_segments(segs, self.folder))
    }
}

impl Default for Permalink {
    fn default() -> Self {
        Permalink::parse(DEFAULT_POSTS).expect("the default pattern is valid")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts<'a>(slug: &'a Slug, id: Option<&'a str>, category: Option<&'a Slug>) -> Facts<'a> {
        Facts {
            slug,
            id,
            date: DateTime::parse_from_rfc3339("2014-08-08T09:05:00+08:00").unwrap(),
            category,
        }
    }

    #[test]
    fn placeholders_fill_in() {
        let slug = Slug::parse("hung-task").unwrap();
        let cat = Slug::parse("内核调试").unwrap();
        let f = facts(&slug, Some("4385128"), Some(&cat));
        let file = |p: &str| Permalink::parse(p).unwrap().route(&f).unwrap().file();
        assert_eq!(file(DEFAULT_POSTS), "posts/hung-task/index.html");
        assert_eq!(
            file("/uid-29599891-id-{id}.html"),
            "uid-29599891-id-4385128.html"
        );
        assert_eq!(
            file("/{year}/{month}/{day}/{slug}/"),
            "2014/08/08/hung-task/index.html"
        );
        assert_eq!(file("/{category}/{slug}.html"), "内核调试/hung-task.html");
    }

    #[test]
    fn a_post_without_what_the_pattern_needs() {
        let slug = Slug::parse("x").unwrap();
        let by_id = Permalink::parse("/id-{id}.html").unwrap();
        assert!(by_id.uses_id());
        assert_eq!(by_id.route(&facts(&slug, None, None)), Err(Missing::Id));
        assert!(matches!(
            by_id.route(&facts(&slug, Some("../x"), None)),
            Err(Missing::BadPath(_))
        ));
        let by_cat = Permalink::parse("/{category}/{slug}/").unwrap();
        assert_eq!(
            by_cat.route(&facts(&slug, None, None)),
            Err(Missing::Category)
        );
        // A slug holding `%` is text, not an escape.
        let pct = Slug::parse("100%25").unwrap();
        let r = Permalink::default()
            .route(&facts(&pct, None, None))
            .unwrap();
        assert_eq!(r.file(), "posts/100%25/index.html");
    }

    #[test]
    fn bad_patterns_say_why() {
        for (bad, says) in [
            ("/posts/{title}/", "{title}"),
            ("/posts/{slug", "never closed"),
            ("/{year}/{month}/", "neither"),
            ("posts/{slug}/", "start it with `/`"),
            ("/../{slug}/", ".."),
            ("/a?b={slug}", "`?`"),
            ("/a//{slug}/", "empty segment"),
            ("/a./.{slug}", "starts with `.`"),
            ("/a b/{slug}/", "white space"),
        ] {
            let err = Permalink::parse(bad).unwrap_err();
            assert!(err.contains(says), "{bad}: {err}");
        }
    }
}
