//! A [`Slug`] is the last segment of a page's URL and of its directory on disk. It is checked
//! once, when made, so later code can join it to paths without fear of `..` or `/`.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    /// Check a slug given by the user. Runs of white space become one `-`, as Hugo and Zola do.
    pub fn parse(raw: &str) -> Result<Slug, String> {
        let s = raw.split_whitespace().collect::<Vec<_>>().join("-");
        if s.is_empty() {
            return Err("the slug is empty".into());
        }
        if s.contains('/') || s.contains('\\') {
            return Err(format!(
                "the slug `{}` contains a path separator",
                raw.escape_debug()
            ));
        }
        if s.chars().any(char::is_control) {
            return Err(format!(
                "the slug `{}` contains a control character",
                raw.escape_debug()
            ));
        }
        // Only `.` and `..` themselves move in a path; `c++`, `v1..2` or `trailing-dots..`
        // are names like any other (Hexo and Jekyll build them).
        if s == "." || s == ".." {
            return Err(format!(
                "the slug `{}` names a folder, not a page",
                raw.escape_debug()
            ));
        }
        if s.starts_with('.') {
            return Err(format!(
                "the slug `{}` starts with `.`, which makes a hidden file",
                raw.escape_debug()
            ));
        }
        Ok(Slug(s))
    }

    /// A slug from a post's file name: `2014-12-30-exit-code.md` → `exit-code`, as Jekyll does.
    pub fn from_file_stem(stem: &str) -> Result<Slug, String> {
        Slug::parse(strip_date_prefix(stem))
    }

    /// Make a valid slug out of any label (a category name), replacing what a slug may not hold.
    pub fn sanitize(label: &str) -> Slug {
        let cleaned: String = label
            .chars()
            .map(|c| {
                if c == '/' || c == '\\' || c.is_control() {
                    '-'
                } else {
                    c
                }
            })
            .collect();
        let cleaned = cleaned.replace("..", "-");
        let cleaned = cleaned.trim_start_matches('.');
        Slug::parse(cleaned).unwrap_or_else(|_| Slug("-".into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The name after a `YYYY-MM-DD-` (or `YYYY-M-D-`) prefix, as Jekyll and Hexo name posts.
fn strip_date_prefix(stem: &str) -> &str {
    match crate::datetime::from_file_stem(stem) {
        Some((_, rest)) if !rest.is_empty() => rest,
        _ => stem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_their_date() {
        assert_eq!(
            Slug::from_file_stem("2014-12-30-exit-code")
                .unwrap()
                .as_str(),
            "exit-code"
        );
        assert_eq!(
            Slug::from_file_stem("exit-code").unwrap().as_str(),
            "exit-code"
        );
        assert_eq!(
            Slug::from_file_stem("2014-12-30").unwrap().as_str(),
            "2014-12-30"
        );
    }

    #[test]
    fn chinese_is_kept() {
        assert_eq!(Slug::parse("内核 源码").unwrap().as_str(), "内核-源码");
    }

    #[test]
    fn dangerous_slugs_are_refused() {
        for bad in [
            "a/b", "..", ".", "../etc", "a\\b", "a\0b", "a\u{7f}b", "", "   ", ".hidden",
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn dots_inside_a_name_are_fine() {
        for good in ["trailing-dots..", "c++", "v1..2", "a.b"] {
            assert_eq!(Slug::parse(good).unwrap().as_str(), good);
        }
        assert_eq!(
            Slug::from_file_stem("2014-1-5-c++").unwrap().as_str(),
            "c++"
        );
    }

    #[test]
    fn sanitize_always_gives_a_valid_slug() {
        assert_eq!(Slug::sanitize("网络/协议栈").as_str(), "网络-协议栈");
        assert_eq!(Slug::sanitize("..").as_str(), "-");
        assert_eq!(Slug::sanitize("C++ 编程").as_str(), "C++-编程");
    }
}
