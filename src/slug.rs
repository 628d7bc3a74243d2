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
        if s == "." || s.contains("..") {
            return Err(format!("the slug `{}` contains `..`", raw.escape_debug()));
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

fn strip_date_prefix(stem: &str) -> &str {
    let b = stem.as_bytes();
    let is_date = b.len() > 11
        && b[..10].iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
        && b[10] == b'-';
    if is_date { &stem[11..] } else { stem }
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
            "a/b", "..", "../etc", "a\\b", "a\0b", "", "   ", ".hidden", "a..b",
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn sanitize_always_gives_a_valid_slug() {
        assert_eq!(Slug::sanitize("网络/协议栈").as_str(), "网络-协议栈");
        assert_eq!(Slug::sanitize("..").as_str(), "-");
        assert_eq!(Slug::sanitize("C++ 编程").as_str(), "C++-编程");
    }
}
