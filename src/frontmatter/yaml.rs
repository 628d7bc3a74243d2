//! The front matter's YAML as the blogs it comes from read it: Hexo's leading tabs, the plain
//! `key: value` form most posts have read without the parser, and the parser's errors said
//! as a person fixes them.

use serde_yaml::{Mapping, Value};
use std::borrow::Cow;

/// Front matter as Hexo reads it: a tab at the start of a line (after other leading tabs) is
/// two spaces, as hexo-front-matter's `escape` makes it, so tab-indented lists are lists.
/// YAML itself refuses tabs there. Lines keep their numbers.
pub(super) fn hexo_tabs(yaml: &str) -> Cow<'_, str> {
    if !yaml.starts_with('\t') && !yaml.contains("\n\t") {
        return Cow::Borrowed(yaml);
    }
    let mut out = String::with_capacity(yaml.len() + 16);
    for line in yaml.split_inclusive('\n') {
        let tabs = line.bytes().take_while(|b| *b == b'\t').count();
        for _ in 0..tabs {
            out.push_str("  ");
        }
        out.push_str(&line[tabs..]);
    }
    Cow::Owned(out)
}

/// The front matter almost every post has, read without the YAML parser (which took a tenth
/// of a large site's build): `key: value` lines whose values are a double-quoted string
/// without escapes, a whole number, a date, plain text or a `[a, b]` list of those. None for
/// anything else, which then goes to the parser; a test checks both read the same.
pub(super) fn plain_mapping(yaml: &str) -> Option<Mapping> {
    let mut map = Mapping::new();
    for line in yaml.lines() {
        let (key, value) = line.split_once(": ")?;
        let key_ok = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        let value = match value.strip_prefix('[') {
            Some(list) => Value::Sequence(
                list.strip_suffix(']')?
                    .split(',')
                    .map(|item| plain_scalar(item.trim()))
                    .collect::<Option<Vec<_>>>()
                    .filter(|items| !items.is_empty())?,
            ),
            None => plain_scalar(value)?,
        };
        if !key_ok || map.insert(Value::String(key.to_string()), value).is_some() {
            return None;
        }
    }
    Some(map)
}

/// One value of [`plain_mapping`]: only forms whose reading is beyond doubt.
fn plain_scalar(v: &str) -> Option<Value> {
    if let Some(inner) = v.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        return (!inner.contains(['"', '\\'])).then(|| Value::String(inner.to_string()));
    }
    let b = v.as_bytes();
    let digits = (1..=18).contains(&b.len()) && b.iter().all(u8::is_ascii_digit);
    if digits && (b.len() == 1 || b[0] != b'0') {
        return v.parse::<u64>().ok().map(Value::from);
    }
    // 2014-12-30, 2014-12-30 16:51 or 2014-12-30 16:51:55: text, as YAML 1.2 reads them.
    let shape = b.iter().map(|c| if c.is_ascii_digit() { b'9' } else { *c });
    if [
        &b"9999-99-99"[..],
        b"9999-99-99 99:99",
        b"9999-99-99 99:99:99",
    ]
    .iter()
    .any(|s| shape.clone().eq(s.iter().copied()))
    {
        return Some(Value::String(v.to_string()));
    }
    // Plain text: no character YAML gives a meaning to, nothing it could take for a number, a
    // boolean or null, no space at either end.
    let first_ok = v.starts_with(|c: char| !c.is_ascii() || c.is_ascii_alphabetic() || c == '_');
    let chars_ok = !v.contains([
        ':', '#', '"', '\'', '[', ']', '{', '}', ',', '&', '*', '!', '|', '>', '%', '@', '`', '\\',
        '\t',
    ]);
    let word = v.to_ascii_lowercase();
    let special = matches!(
        word.as_str(),
        "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
    ) || word.starts_with(".");
    (first_ok && chars_ok && !special && v.trim() == v).then(|| Value::String(v.to_string()))
}

/// The YAML parser reports a duplicate key where its mapping starts; the line to fix is the
/// key's second appearance in that mapping (lines and column 1-based, counted in the block).
pub(super) fn duplicate_key_line(
    yaml: &str,
    msg: &str,
    line: usize,
    column: usize,
) -> Option<usize> {
    let key = msg
        .split("duplicate entry with key \"")
        .nth(1)?
        .split('"')
        .next()?;
    crate::yaml_lines::second(yaml, key, line, column)
}

pub(super) fn yaml_message(e: &serde_yaml::Error) -> String {
    // The location is reported separately, counted in the file rather than in the block.
    let msg = e.to_string();
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    }
}

pub(super) fn yaml_help(yaml: &str, e: &serde_yaml::Error) -> String {
    let msg = e.to_string();
    if yaml.lines().any(|l| l.starts_with('\t')) || msg.contains("tab") {
        "YAML does not allow tabs for indentation; indent with spaces".into()
    } else if msg.contains("duplicate") {
        "each key may appear once; remove one of them".into()
    } else if msg.contains("repetition limit") || msg.contains("recursion limit") {
        "the front matter nests or repeats too deeply (YAML aliases `*name` expand each time they are used): write the values out plainly".into()
    } else if msg.contains("u128") || msg.contains("i128") {
        "that number is too large; write it in quotes if it is meant as text".into()
    } else {
        "check the quoting on that line: a value containing `: ` or starting with `[`, `{`, `*`, `&`, `!`, `|`, `>`, `@` or `%` must be in quotes".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_front_matter_reads_as_yaml_does() {
        let plain = [
            "title: \"kernel 3.10内核源码分析--slab原理及相关代码\"\ndate: 2014-11-19 16:06:19\nviews: 7234\ncomments: 0\ncategory: 内存管理\ntags: [slab, 内存管理, kmalloc]\n",
            "title: plain words here\ndate: 2014-11-19\nupdated: 2014-11-19 16:06\n",
            "title: \"\"\ntags: [\"a b\", c]\nslug: udp_sendmsg-flow\n",
            "draft_: x\nViews2: 123456789012345678\n",
        ];
        for yaml in plain {
            let fast = plain_mapping(yaml).unwrap_or_else(|| panic!("not plain: {yaml}"));
            assert_eq!(
                Value::Mapping(fast),
                serde_yaml::from_str::<Value>(yaml).unwrap()
            );
        }
        // Left to the parser: anything whose reading is not beyond doubt.
        for yaml in [
            "title: a: b\n",
            "title: \"a\\\"b\"\n",
            "title: 'single'\n",
            "draft: true\n",
            "draft: yes\n",
            "summary: null\n",
            "views: 007\n",
            "views: -1\n",
            "views: 1.5\n",
            "views: 1234567890123456789\n",
            "title: .inf\n",
            "title: ~\n",
            "title: x # comment\n",
            "title: trailing \n",
            "tags: []\n",
            "tags: [a, [b]]\n",
            "tags:\n  - a\n",
            "title: a\ntitle: b\n",
            "title: a\n\n",
            "# comment\n",
            "date: 2014-1-19\n",
            "\"title\": x\n",
            "title: *alias\n",
            "title: 1st\n",
        ] {
            assert_eq!(plain_mapping(yaml), None, "{yaml}");
        }
    }
}
