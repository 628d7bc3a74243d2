//! Writing front matter: the block `boke new` and `boke init` put at the top of a post, beside
//! the reader in this module so that what is written is what is read back.

use chrono::{DateTime, FixedOffset};
use std::fmt::Write as _;

/// The front matter fields boke writes for a new post.
#[derive(Debug, Clone)]
pub struct Meta<'a> {
    pub title: &'a str,
    pub date: DateTime<FixedOffset>,
    pub category: Option<&'a str>,
    pub tags: &'a [String],
    pub draft: bool,
    pub id: Option<u64>,
}

/// A YAML double-quoted scalar that reads back as exactly `s`. Quoting every value, rather
/// than only those that look like they need it, is what keeps a title such as `a: b`, `#1`,
/// `- x`, `* x`, `[x]`, `null` or `123` from changing meaning or breaking the front matter.
pub fn yaml_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            // Not printable in YAML, or a line break to YAML 1.1 readers, or a stray BOM.
            c if c.is_control()
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                ) =>
            {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The front matter block, fences included. Every key is written, empty ones too, so the
/// file shows what can be set.
pub fn front_matter(m: &Meta<'_>) -> String {
    let mut s = String::from("---\n");
    let _ = writeln!(s, "title: {}", yaml_quote(m.title));
    let _ = writeln!(s, "date: {}", m.date.format("%Y-%m-%d %H:%M:%S"));
    if let Some(id) = m.id {
        let _ = writeln!(s, "id: {id}");
    }
    match m.category {
        Some(c) => {
            let _ = writeln!(s, "category: {}", yaml_quote(c));
        }
        None => s.push_str("category:\n"),
    }
    let tags: Vec<String> = m.tags.iter().map(|t| yaml_quote(t)).collect();
    let _ = writeln!(s, "tags: [{}]", tags.join(", "));
    s.push_str("views: 0\ncomments: 0\nshares: 0\n");
    let _ = writeln!(s, "draft: {}", m.draft);
    s.push_str("---\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_read_back_exactly() {
        for s in [
            "a: b",
            "#include <linux/slab.h>",
            "- 列表开头",
            "-x",
            "* 星号",
            "[x] 方括号",
            "{x} 花括号",
            "\"双引号\" and 'single'",
            "back\\slash \\n not a newline",
            "null",
            "true",
            "123",
            "~",
            "&anchor *alias !tag |pipe >fold @at %pct `tick`",
            "line\nbreak\ttab\r\u{7}bell\u{85}\u{2028}\u{feff}",
            "内核: 源码 # 分析",
        ] {
            let yaml = format!("v: {}", yaml_quote(s));
            let v: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap();
            assert_eq!(v["v"].as_str(), Some(s), "{yaml}");
            assert_eq!(yaml.lines().count(), 1, "{yaml}");
        }
    }
}
