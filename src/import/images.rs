//! Names for downloaded images and attachments in a post's asset folder.

use std::collections::BTreeSet;
use url::Url;

/// Longest file name written, in bytes: well under every file system's limit, and short
/// enough to read.
const MAX_NAME: usize = 80;

/// A safe file name for what `url` points at: its last path segment, decoded, with nothing
/// but letters, digits, `.`, `-` and `_`; never empty, never hidden, never `..`, bounded.
pub fn safe_name(url: &Url) -> String {
    let last = url
        .path_segments()
        .and_then(|mut s| s.next_back())
        .unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(last).decode_utf8_lossy();
    let mut name: String = decoded
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect();
    name = name.trim_start_matches(['.', '-']).to_string();
    while name.contains("..") {
        name = name.replace("..", ".");
    }
    if name.is_empty() || name == "." {
        name = "file".into();
    }
    bound(&name, MAX_NAME)
}

/// Cut `name` to at most `max` bytes on a character boundary, keeping its extension.
fn bound(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_string();
    }
    let (stem, ext) = match name.rfind('.') {
        Some(i) if name.len() - i <= 10 => (&name[..i], &name[i..]),
        _ => (name, ""),
    };
    let mut cut = max - ext.len();
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{ext}", &stem[..cut])
}

/// Names given out within one folder, so two images never share one.
#[derive(Default)]
pub struct Names(BTreeSet<String>);

impl Names {
    pub fn claim(&mut self, wanted: &str) -> String {
        if self.0.insert(wanted.to_string()) {
            return wanted.to_string();
        }
        let (stem, ext) = match wanted.rfind('.') {
            Some(i) if i > 0 => (&wanted[..i], &wanted[i..]),
            _ => (wanted, ""),
        };
        (2..)
            .map(|n| format!("{}-{n}{ext}", bound(stem, MAX_NAME - 12)))
            .find(|n| self.0.insert(n.clone()))
            .expect("some number is free")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> String {
        safe_name(&Url::parse(s).unwrap())
    }

    #[test]
    fn names_are_safe() {
        assert_eq!(
            name("http://blog.chinaunix.net/attachment/201401/2/1_1388620000aB3d.png"),
            "1_1388620000aB3d.png"
        );
        assert_eq!(name("http://h/a/..%2F..%2Fetc%2Fpasswd"), "etc-passwd");
        assert_eq!(name("http://h/a/.htaccess"), "htaccess");
        assert_eq!(name("http://h/"), "file");
        assert_eq!(name("http://h/%E5%9B%BE%20%E4%B8%80.jpg"), "图-一.jpg");
        let long = name(&format!("http://h/{}.jpg", "长".repeat(100)));
        assert!(long.len() <= MAX_NAME && long.ends_with(".jpg"), "{long}");
    }

    #[test]
    fn names_in_a_folder_are_unique() {
        let mut n = Names::default();
        assert_eq!(n.claim("a.png"), "a.png");
        assert_eq!(n.claim("a.png"), "a-2.png");
        assert_eq!(n.claim("a.png"), "a-3.png");
    }
}
