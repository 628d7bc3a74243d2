//! Which line of a YAML text a key is on, for messages. The YAML parser reports where it failed
//! to parse, not where a value that parsed but is wrong stands, so this finds the key again in
//! the text. Lines are counted from 1; keys may be quoted (`"title":`).

/// The line of a top-level `key:` (not indented).
pub fn top_level(text: &str, key: &str) -> Option<usize> {
    text.lines().position(|l| names(l, key)).map(|i| i + 1)
}

/// The line of `key:` anywhere (nested, or as a list item `- key:`) whose value holds `value`.
pub fn with_value(text: &str, key: &str, value: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim_start().trim_start_matches("- ").trim_start();
            names(l, key) && l.contains(value.trim())
        })
        .map(|i| i + 1)
}

/// The line of `key:` in the block under the top-level `section:`, else the section's own line
/// (a flow mapping such as `labels: {toc: x}` is all on it).
pub fn under(text: &str, section: &str, key: &str) -> Option<usize> {
    let start = top_level(text, section)?;
    text.lines()
        .enumerate()
        .skip(start)
        .take_while(|(_, l)| l.trim().is_empty() || l.starts_with([' ', '\t', '#']))
        .find(|(_, l)| names(l.trim_start(), key))
        .map(|(i, _)| i + 1)
        .or(Some(start))
}

/// The line where `key` appears a second time in the mapping whose first key is at `line` and
/// `column` (1-based): where the YAML parser places a duplicate key, and where it is to fix.
pub fn second(text: &str, key: &str, line: usize, column: usize) -> Option<usize> {
    let indent = column.checked_sub(1)?;
    let mut seen = 0;
    for (i, l) in text.lines().enumerate().skip(line.checked_sub(1)?) {
        let body = l.trim_start();
        let here = l.len() - body.len();
        if body.is_empty() || body.starts_with('#') || here > indent {
            continue;
        }
        if here < indent {
            break;
        }
        if names(body, key) {
            seen += 1;
            if seen == 2 {
                return Some(i + 1);
            }
        }
    }
    None
}

/// Whether the line starts with `key` (bare or quoted) followed by `:`.
pub fn names(line: &str, key: &str) -> bool {
    let line = line.strip_prefix(['"', '\'']).unwrap_or(line);
    line.strip_prefix(key).is_some_and(|rest| {
        rest.trim_start_matches(['"', '\''])
            .trim_start()
            .starts_with(':')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_whole_and_at_their_level() {
        let text = "slugs: x\nslug: a\n\"title\": t\nprofile:\n  level: x\nlabels:\n  level: y\n";
        assert_eq!(top_level(text, "slug"), Some(2));
        assert_eq!(top_level(text, "title"), Some(3));
        assert_eq!(top_level(text, "level"), None);
        assert_eq!(under(text, "labels", "level"), Some(7));
        assert_eq!(under(text, "labels", "toc"), Some(6));
        assert_eq!(under("labels: {toc: x}\n", "labels", "toc"), Some(1));
        assert_eq!(with_value(text, "level", "y"), Some(7));
        assert_eq!(with_value("nav:\n  - url: /a\n", "url", "/a"), Some(2));
        let dup = "a: 1\nm:\n  k: 1\n  j: 2\n  k: 3\nk: 4\n";
        assert_eq!(second(dup, "k", 3, 3), Some(5));
    }
}
