//! Splitting a post into YAML front matter and Markdown, and reading the front matter into typed
//! fields. Pure: text in, values or diagnostics out.
//!
//! The front matter is first read as a YAML mapping, then each known key is converted by hand.
//! That way a wrong value (`views: "many"`) is reported with the line of its key, the keys we do
//! not know are kept for templates, and Hexo's and Jekyll's conventions can be accepted.

use crate::datetime;
use crate::error::Diagnostic;
use crate::route::Route;
use chrono::{DateTime, FixedOffset, TimeZone};
use serde_yaml::{Mapping, Value};
use std::collections::BTreeMap;
use std::path::Path;

pub mod write;
mod yaml;

use yaml::{duplicate_key_line, hexo_tabs, plain_mapping, yaml_help, yaml_message};

/// A post source split at its front matter fences.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// File line of the first YAML line.
    pub yaml_line: usize,
    pub body: &'a str,
    /// File line of the first body line.
    pub body_line: usize,
}

/// Split `---\nyaml\n---\nbody`. `text` must already have LF line endings and no BOM.
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let open = |rest: &'a str| -> Option<&'a str> {
        let first_end = rest.find('\n').unwrap_or(rest.len());
        (rest[..first_end].trim_end() == "---").then(|| &rest[(first_end + 1).min(rest.len())..])
    };
    let Some(after_open) = open(text) else {
        let help = "start the file with a line `---`, then `title:` and `date:` lines, then a closing `---`";
        let msg = if text.trim().is_empty() {
            "the file is empty"
        } else {
            "the file has no front matter"
        };
        return Err(Diagnostic::new(path, msg, help).at(1, None));
    };
    let mut offset = 0;
    for (i, line) in after_open.split_inclusive('\n').enumerate() {
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            return Ok(Split {
                yaml: &after_open[..offset],
                yaml_line: 2,
                body: &after_open[offset + line.len()..],
                body_line: i + 3,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::new(
        path,
        "the front matter opened here is never closed",
        "add a line `---` after the last front matter line",
    )
    .at(1, None))
}

/// The front matter of one post, typed.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub date: DateTime<FixedOffset>,
    pub updated: Option<DateTime<FixedOffset>>,
    pub views: u64,
    pub comments: u64,
    pub shares: u64,
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub slug: Option<String>,
    /// The post's number on the blog it came from, for `{id}` in permalink patterns.
    pub id: Option<String>,
    /// Old paths that redirect to the post.
    pub aliases: Vec<Alias>,
    pub summary: Option<String>,
    pub draft: bool,
    /// Hexo's 置顶: posts with a higher number come first on the home listing; 0 is not pinned.
    pub sticky: u64,
    /// The series the post belongs to (`series: kernel-3.10-source`), shown in date order.
    pub series: Option<String>,
    /// Keys boke does not know, for templates (`post.extra.x`).
    pub extra: BTreeMap<String, Value>,
}

/// An old path of a post (`aliases:`), where boke writes a page that redirects to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    pub route: Route,
    /// The file line the path is written on.
    pub line: Option<usize>,
}

/// Parse the YAML of a split post. All problems are returned together.
pub fn parse(
    path: &Path,
    split: &Split<'_>,
    tz: FixedOffset,
) -> Result<FrontMatter, Vec<Diagnostic>> {
    parse_as(path, split, tz, true)
}

/// As [`parse`], for a standalone page, which needs no `date` (it is then the earliest time).
pub fn parse_page(
    path: &Path,
    split: &Split<'_>,
    tz: FixedOffset,
) -> Result<FrontMatter, Vec<Diagnostic>> {
    parse_as(path, split, tz, false)
}

fn parse_as(
    path: &Path,
    split: &Split<'_>,
    tz: FixedOffset,
    needs_date: bool,
) -> Result<FrontMatter, Vec<Diagnostic>> {
    let hexo = hexo_tabs(split.yaml);
    let yaml: &str = &hexo;
    // A parser notices an unclosed bracket only at the end of the block; point at the last
    // line of YAML rather than at the closing fence.
    let last_line = split.yaml_line + yaml.lines().count().max(1) - 1;
    let to_file_line = |l: usize| (split.yaml_line + l.max(1) - 1).min(last_line);
    let map: Mapping = if yaml.trim().is_empty() {
        Mapping::new()
    } else if let Some(m) = plain_mapping(yaml) {
        m
    } else {
        match serde_yaml::from_str::<Value>(yaml) {
            Ok(Value::Mapping(m)) => m,
            Ok(Value::Null) => Mapping::new(),
            Ok(_) => {
                return Err(vec![
                    Diagnostic::new(
                        path,
                        "the front matter is not a list of `key: value` lines",
                        "write it as `title: ...`, `date: ...` lines",
                    )
                    .at(split.yaml_line, None),
                ]);
            }
            Err(e) => {
                let mut d = Diagnostic::new(
                    path,
                    format!("invalid YAML in front matter: {}", yaml_message(&e)),
                    yaml_help(split.yaml, &e),
                );
                if let Some(l) = e.location() {
                    let line = duplicate_key_line(yaml, &e.to_string(), l.line(), l.column())
                        .unwrap_or(l.line());
                    d = d.at(to_file_line(line), Some(l.column()));
                }
                return Err(vec![d]);
            }
        }
    };

    let mut r = Reader {
        path,
        yaml,
        yaml_line: split.yaml_line,
        errors: Vec::new(),
    };
    let mut extra = BTreeMap::new();
    let mut fm = FrontMatter {
        title: None,
        date: DateTime::<FixedOffset>::MIN_UTC.fixed_offset(),
        updated: None,
        views: 0,
        comments: 0,
        shares: 0,
        category: None,
        tags: Vec::new(),
        slug: None,
        id: None,
        aliases: Vec::new(),
        summary: None,
        draft: false,
        sticky: 0,
        series: None,
        extra: BTreeMap::new(),
    };
    let mut date = None;
    let mut categories = None;
    for (k, v) in &map {
        let Some(key) = k.as_str() else {
            r.error(
                None,
                format!("front matter key {k:?} is not text"),
                "keys are words like `title`",
            );
            continue;
        };
        match key {
            "title" => fm.title = r.text(key, v).filter(|t| !t.trim().is_empty()),
            "date" => date = r.date(key, v, tz),
            "updated" => fm.updated = r.date(key, v, tz),
            "views" => fm.views = r.count(key, v),
            // Hexo uses `comments: true|false` to switch comments on; that is not a count.
            "comments" if v.is_bool() => {}
            "comments" => fm.comments = r.count(key, v),
            "shares" => fm.shares = r.count(key, v),
            "category" => fm.category = r.text(key, v),
            // Jekyll's `categories: a b` is a space-separated list.
            "categories" => {
                categories = match v {
                    Value::String(s) => Some(s.split_whitespace().map(String::from).collect()),
                    _ => r.list(key, v),
                }
            }
            "tags" => fm.tags = r.list(key, v).unwrap_or_default(),
            "slug" => fm.slug = r.text(key, v),
            "id" => fm.id = r.text(key, v),
            // Jekyll's redirect plugin calls them `redirect_from`.
            "aliases" | "redirect_from" => fm.aliases = r.aliases(key, v),
            "summary" | "description" => fm.summary = r.text(key, v),
            "draft" => fm.draft = r.flag(key, v),
            // Hexo themes also write `top: true`, and `sticky: true` for the lowest rank.
            "sticky" | "top" if v.is_bool() => fm.sticky = u64::from(r.flag(key, v)),
            "sticky" | "top" => fm.sticky = r.count(key, v),
            "series" => fm.series = r.text(key, v).filter(|s| !s.trim().is_empty()),
            // Jekyll's way to hide a post.
            "published" => fm.draft = !r.flag(key, v),
            _ => {
                extra.insert(key.to_string(), v.clone());
            }
        }
    }
    if fm.category.is_none() {
        // Hexo reads `categories: [a, b]` as a hierarchy; its first element is the category.
        fm.category = categories.and_then(|c| c.into_iter().next());
    }
    // Jekyll's posts, and Hexo's named `:year-:month-:day-:title.md`, carry the day in the
    // file name only.
    let named_date = || {
        let stem = path.file_stem()?.to_str()?;
        let (day, _) = crate::datetime::from_file_stem(stem)?;
        tz.from_local_datetime(&day.and_hms_opt(0, 0, 0)?).single()
    };
    match date {
        Some(d) => fm.date = d,
        None if needs_date && !map.contains_key("date") => match named_date() {
            Some(d) => fm.date = d,
            None => r.error(
                None,
                "the front matter has no `date` and the file name does not start with one".into(),
                "add a line like `date: 2014-12-30 16:51:55`, or name the file `2014-12-30-name.md`",
            ),
        },
        None => {}
    }
    fm.extra = extra;
    if r.errors.is_empty() {
        Ok(fm)
    } else {
        Err(r.errors)
    }
}

struct Reader<'a> {
    path: &'a Path,
    yaml: &'a str,
    yaml_line: usize,
    errors: Vec<Diagnostic>,
}

impl Reader<'_> {
    /// The file line of a top-level key.
    fn line_of(&self, key: &str) -> Option<usize> {
        crate::yaml_lines::top_level(self.yaml, key).map(|l| self.yaml_line + l - 1)
    }

    fn error(&mut self, key: Option<&str>, message: String, help: &str) {
        let line = key.and_then(|k| self.line_of(k));
        self.errors
            .push(Diagnostic::new(self.path, message, help).at_line(line));
    }

    fn text(&mut self, key: &str, v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null => None,
            other => {
                self.error(
                    Some(key),
                    format!("`{key}` must be text, not {}", kind(other)),
                    &format!("write `{key}: \"...\"` on one line"),
                );
                None
            }
        }
    }

    fn count(&mut self, key: &str, v: &Value) -> u64 {
        match v {
            Value::Null => 0,
            Value::Number(n) if n.as_u64().is_some() => n.as_u64().unwrap_or(0),
            other => {
                let shown = match other {
                    Value::Number(n) => n.to_string(),
                    other => kind(other).to_string(),
                };
                self.error(
                    Some(key),
                    format!("`{key}` must be a whole number of 0 or more, not {shown}"),
                    &format!("write e.g. `{key}: 42`, or remove the line for 0"),
                );
                0
            }
        }
    }

    fn flag(&mut self, key: &str, v: &Value) -> bool {
        match v {
            Value::Bool(b) => *b,
            Value::Null => false,
            other => {
                self.error(
                    Some(key),
                    format!("`{key}` must be true or false, not {}", kind(other)),
                    &format!("write `{key}: true`"),
                );
                false
            }
        }
    }

    fn list(&mut self, key: &str, v: &Value) -> Option<Vec<String>> {
        match v {
            Value::Null => None,
            Value::Sequence(items) => {
                let mut out = Vec::new();
                for item in items {
                    match item {
                        Value::String(s) => out.push(s.clone()),
                        Value::Number(n) => out.push(n.to_string()),
                        // Hexo allows a nested list for a category hierarchy: take its first.
                        Value::Sequence(inner) => out.extend(
                            inner
                                .iter()
                                .filter_map(|i| i.as_str().map(String::from))
                                .take(1),
                        ),
                        other => self.error(
                            Some(key),
                            format!("`{key}` entries must be text, not {}", kind(other)),
                            &format!("write `{key}: [a, b]`"),
                        ),
                    }
                }
                Some(out)
            }
            other => self.text(key, other).map(|s| vec![s]),
        }
    }

    fn aliases(&mut self, key: &str, v: &Value) -> Vec<Alias> {
        let key_line = self.line_of(key);
        let mut out = Vec::new();
        for path in self.list(key, v).unwrap_or_default() {
            // The first line from the key on that holds the path: the key's own line for
            // `aliases: [/a/]`, an item's line for a block list.
            let line = key_line.and_then(|k| {
                self.yaml
                    .lines()
                    .skip(k - self.yaml_line)
                    .position(|l| l.contains(path.as_str()))
                    .map(|i| k + i)
            });
            match Route::from_path(&path) {
                Ok(route) => out.push(Alias { route, line }),
                Err(why) => {
                    self.errors.push(
                        Diagnostic::new(
                            self.path,
                            format!("alias {why}"),
                            "an alias is the old path of this post below the site root, like `/uid-29599891-id-4636263.html` or `/2014/12/old-name/`",
                        )
                        .at_line(line.or(key_line)),
                    );
                }
            }
        }
        out
    }

    fn date(&mut self, key: &str, v: &Value, tz: FixedOffset) -> Option<DateTime<FixedOffset>> {
        let s = match v {
            Value::String(s) => s.clone(),
            Value::Null => {
                self.error(Some(key), format!("`{key}` is empty"), datetime::ACCEPTED);
                return None;
            }
            other => {
                self.error(
                    Some(key),
                    format!("`{key}` must be a date, not {}", kind(other)),
                    datetime::ACCEPTED,
                );
                return None;
            }
        };
        match datetime::parse(&s, tz) {
            Ok(d) => Some(d),
            Err(e) => {
                self.error(Some(key), format!("`{key}`: {}", e.0), datetime::ACCEPTED);
                None
            }
        }
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tz() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).unwrap()
    }

    fn fm(text: &str) -> Result<FrontMatter, Vec<Diagnostic>> {
        let p = Path::new("p.md");
        let s = split(p, text).map_err(|d| vec![d])?;
        parse(p, &s, tz())
    }

    fn fm_at(name: &str, text: &str) -> Result<FrontMatter, Vec<Diagnostic>> {
        let p = Path::new(name);
        let s = split(p, text).map_err(|d| vec![d])?;
        parse(p, &s, tz())
    }

    #[test]
    fn hexo_tab_indented_lists_are_lists() {
        let f = fm("---\ntitle: t\ndate: 2014-12-30\ntags:\n\t- 内核\n\t- mm\ncategories:\n\t- Linux\n---\n")
            .unwrap();
        assert_eq!(f.tags, vec!["内核".to_string(), "mm".to_string()]);
        assert_eq!(f.category.as_deref(), Some("Linux"));
        // A tab is two spaces: nested lists by two tabs still nest.
        let f = fm("---\ndate: 2014-12-30\ncategories:\n\t-\n\t\t- a\n\t\t- b\n---\n").unwrap();
        assert_eq!(f.category.as_deref(), Some("a"));
        // Errors still name the file line.
        let e = fm("---\ndate: 2014-12-30\ntags:\n\t- a\n\t  b: [\n---\n").unwrap_err();
        assert!(e[0].line.is_some_and(|l| (4..=6).contains(&l)), "{e:?}");
    }

    #[test]
    fn padded_keys_are_keys() {
        let f = fm("---\ntitle   : 对齐\ndate    : 2014-12-30 10:00\n---\n").unwrap();
        assert_eq!(f.title.as_deref(), Some("对齐"));
        assert_eq!(f.date.to_rfc3339(), "2014-12-30T10:00:00+08:00");
    }

    #[test]
    fn jekyll_categories_string_is_a_list() {
        let f = fm("---\ndate: 2014-12-30\ncategories: linux kernel\n---\n").unwrap();
        assert_eq!(f.category.as_deref(), Some("linux"));
        let f = fm("---\ndate: 2014-12-30\ncategory: 内核 源码\n---\n").unwrap();
        assert_eq!(f.category.as_deref(), Some("内核 源码"));
    }

    #[test]
    fn the_file_name_gives_the_date_when_front_matter_has_none() {
        let f = fm_at("content/posts/2014-1-5-hello.md", "---\ntitle: t\n---\n").unwrap();
        assert_eq!(f.date.to_rfc3339(), "2014-01-05T00:00:00+08:00");
        let f = fm_at(
            "content/posts/2014-12-30-x.markdown",
            "---\ndate: 2015-01-01\n---\n",
        )
        .unwrap();
        assert_eq!(f.date.to_rfc3339(), "2015-01-01T00:00:00+08:00");
        let e = fm_at("content/posts/hello.md", "---\ntitle: t\n---\n").unwrap_err();
        assert!(e[0].message.contains("no `date`"), "{e:?}");
        let e = fm_at("content/posts/2014-02-30-x.md", "---\ntitle: t\n---\n").unwrap_err();
        assert!(e[0].message.contains("no `date`"), "{e:?}");
    }

    #[test]
    fn split_finds_body_and_lines() {
        let s = split(Path::new("p.md"), "---\ntitle: a\n---\nbody\n").unwrap();
        assert_eq!(s.yaml, "title: a\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
        let e = split(Path::new("p.md"), "---\ntitle: a\nbody\n").unwrap_err();
        assert!(e.message.contains("never closed"));
        let e = split(Path::new("p.md"), "").unwrap_err();
        assert!(e.message.contains("empty"));
    }

    #[test]
    fn ids_and_aliases() {
        let f = fm("---\ndate: 2014-12-30\nid: 4636263\naliases:\n  - /uid-1-id-4636263.html\n  - /old/%E5%86%85/\n---\n").unwrap();
        assert_eq!(f.id.as_deref(), Some("4636263"));
        let files: Vec<(String, Option<usize>)> =
            f.aliases.iter().map(|a| (a.route.file(), a.line)).collect();
        assert_eq!(
            files,
            [
                ("uid-1-id-4636263.html".to_string(), Some(5)),
                ("old/内/index.html".to_string(), Some(6))
            ]
        );
        let f = fm("---\ndate: 2014-12-30\nredirect_from: /a/\n---\n").unwrap();
        assert_eq!(f.aliases[0].route.file(), "a/index.html");
        let e = fm("---\ndate: 2014-12-30\naliases: [/ok/, ../up]\n---\n").unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].line, Some(3));
        assert!(
            e[0].message.contains("start it with `/`"),
            "{}",
            e[0].message
        );
    }

    #[test]
    fn full_front_matter() {
        let f = fm("---\ntitle: \"a: b\"\ndate: 2014-12-30 16:51:55\nviews: 4283\ncomments: 1\nshares: 2\ncategory: 内核\ntags: [x, y]\nlayout: post\n---\n").unwrap();
        assert_eq!(f.title.as_deref(), Some("a: b"));
        assert_eq!(f.date.to_rfc3339(), "2014-12-30T16:51:55+08:00");
        assert_eq!((f.views, f.comments, f.shares), (4283, 1, 2));
        assert_eq!(f.category.as_deref(), Some("内核"));
        assert_eq!(f.tags, ["x", "y"]);
        assert_eq!(f.extra["layout"], Value::String("post".into()));
    }

    #[test]
    fn hexo_and_jekyll_conventions() {
        let f = fm("---\ntitle: t\ndate: 2014-12-30 16:51:55\ncategories:\n- Linux\n- 内核\ncomments: true\ntags: one\n---\n").unwrap();
        assert_eq!(f.category.as_deref(), Some("Linux"));
        assert_eq!(f.comments, 0);
        assert_eq!(f.tags, ["one"]);
        let f = fm("---\ndate: 2014-12-30 16:51:55 +0800\npublished: false\n---\n").unwrap();
        assert!(f.draft);
        assert_eq!(f.title, None);
    }

    #[test]
    fn bad_values_are_reported_at_their_line_together() {
        let errs = fm(
            "---\ntitle: t\ndate: 2014-02-30\nviews: -1\nshares: \"many\"\ncomments: 1e99\n---\n",
        )
        .unwrap_err();
        let lines: Vec<_> = errs.iter().map(|e| e.line).collect();
        assert_eq!(lines, [Some(3), Some(4), Some(5), Some(6)], "{errs:?}");
        assert!(errs[0].message.contains("not a real calendar date"));
    }

    #[test]
    fn duplicate_keys_point_at_the_second_one() {
        let errs = fm("---\ntitle: a\ndate: 2014-12-30\n\"title\": b\n---\n").unwrap_err();
        assert_eq!(errs[0].line, Some(4), "{errs:?}");
        assert!(errs[0].message.contains("duplicate"), "{errs:?}");
        let errs =
            fm("---\ndate: 2014-12-30\nx:\n  a: 1\n  b:\n    a: 3\n  a: 2\n---\n").unwrap_err();
        assert_eq!(errs[0].line, Some(7), "{errs:?}");
    }

    #[test]
    fn yaml_errors_are_counted_in_the_file() {
        let errs = fm("---\ntitle: t\ndate: 2014-12-30\nbad: [unclosed\n---\n").unwrap_err();
        assert_eq!(errs[0].line, Some(4), "{errs:?}");
        let errs = fm("---\ntitle: t\nbad: x: y\ndate: 2014-12-30\n---\n").unwrap_err();
        assert_eq!(errs[0].line, Some(3), "{errs:?}");
        let errs = fm("---\ntitle: t\n\tdate: 2014-12-30\n---\n").unwrap_err();
        assert!(errs[0].help.contains("tabs"), "{errs:?}");
        let errs = fm("---\ntitle: a\ntitle: b\ndate: 2014-12-30\n---\n").unwrap_err();
        assert!(errs[0].message.contains("duplicate"), "{errs:?}");
    }

    #[test]
    fn missing_date_and_wrong_title_type() {
        let errs = fm("---\ntitle: [a, b]\n---\n").unwrap_err();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert!(errs[0].message.contains("`title` must be text"));
        assert!(errs[1].message.contains("no `date`"));
    }
}
