//! Index keys: text folded (case, width), cut into CJK pairs and words, and the text of a post
//! that is indexed at all.

use super::MAX_WORD;
use crate::text::is_cjk;
use std::borrow::Cow;
use std::hash::{Hash, Hasher};

/// A key that owns its word, to outlive the post it was cut from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Owned {
    /// A CJK pair or character, as [`cjk_code`] packs it.
    Cjk(u64),
    Word(Box<str>),
}

pub(super) fn cjk_code(a: char, b: Option<char>) -> u64 {
    (a as u64) << 32 | b.map_or(0, u64::from)
}

impl Owned {
    pub(super) fn as_key(&self) -> Key<'_> {
        match self {
            Owned::Cjk(code) => {
                let a = char::from_u32((code >> 32) as u32).unwrap_or(char::REPLACEMENT_CHARACTER);
                Key::Cjk(a, char::from_u32(*code as u32).filter(|&b| b != '\0'))
            }
            Owned::Word(w) => Key::Word(w),
        }
    }
}

impl std::fmt::Display for Owned {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_key().fmt(f)
    }
}

/// One key's postings, by post, as the numbers the shard files hold (the post as the
/// difference to the one before, times 4, plus the weight) written as LEB128, so that most
/// postings take one byte: a large site's index is tens of millions of them.
/// An index key: a pair of CJK characters or one, or a word.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Key<'a> {
    Cjk(char, Option<char>),
    Word(&'a str),
}

/// A pair is hashed as one number: this runs for almost every character of every post.
impl std::hash::Hash for Key<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match *self {
            Key::Cjk(a, b) => state.write_u64((a as u64) << 32 | b.map_or(0, u64::from)),
            Key::Word(w) => w.hash(state),
        }
    }
}

impl Key<'_> {
    /// The shard holding the key, chosen so that every key a query's prefix can match is in
    /// one shard: a key starting with a CJK character by that character (a one-character
    /// query matches every pair it starts), a word by its first two characters, since a few
    /// Latin letters start most words (a one-letter word is looked up whole).
    pub fn shard(&self, shards: usize) -> usize {
        let code = match *self {
            Key::Cjk(c, _) => c as usize,
            Key::Word(w) => {
                let mut chars = w.chars().map(|c| c as usize);
                let first = chars.next().unwrap_or(0);
                chars.next().map_or(first, |second| first * 31 + second)
            }
        };
        code % shards
    }
}

impl std::fmt::Display for Key<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Key::Cjk(a, Some(b)) => write!(f, "{a}{b}"),
            Key::Cjk(a, None) => write!(f, "{a}"),
            Key::Word(w) => f.write_str(w),
        }
    }
}

/// What a search compares: full-width ASCII (ｕｄｐ) as ASCII, and lower case where that is one
/// character. One character in, one out; `search.js` folds queries and page text the same way.
pub fn fold(c: char) -> char {
    match c as u32 {
        0..=0x7F => c.to_ascii_lowercase(),
        // CJK, kana, Hangul and their punctuation have no case: most characters of a Chinese
        // post, so no table lookup for them.
        0x2E80..=0x9FFF | 0xAC00..=0xD7AF => c,
        0xFF01..=0xFF5E => char::from((c as u32 - 0xFEE0) as u8).to_ascii_lowercase(),
        _ => {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) => l,
                _ => c,
            }
        }
    }
}

pub(super) fn fold_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_folded(&mut out, s);
    out
}

/// Most characters fold to themselves: copy runs of those whole.
fn push_folded(out: &mut String, s: &str) {
    let mut kept = 0;
    for (i, c) in s.char_indices() {
        let f = fold(c);
        if f != c {
            out.push_str(&s[kept..i]);
            out.push(f);
            kept = i + c.len_utf8();
        }
    }
    out.push_str(&s[kept..]);
}

fn is_word(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_alphanumeric() || c == '_',
        // The commonest CJK punctuation (、。〈〉《》「」『』【】), without a table lookup.
        0x3001 | 0x3002 | 0x3008..=0x3011 => false,
        _ => c.is_alphanumeric(),
    }
}

/// The keys of folded text, in order, repeats included: each pair of adjacent characters
/// and the last character of a CJK run; each word (cut to [`MAX_WORD`] characters) and the
/// parts of a word joined by `_`.
pub fn keys<'a>(text: &'a str, mut emit: impl FnMut(Key<'a>)) {
    let word = |w: &'a str, emit: &mut dyn FnMut(Key<'a>)| {
        emit(Key::Word(cut(w)));
        if w.contains('_') {
            for part in w.split('_') {
                if part.chars().nth(1).is_some() && part.len() < w.len() {
                    emit(Key::Word(cut(part)));
                }
            }
        }
    };
    let mut cjk: Option<char> = None;
    let mut word_start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if is_cjk(c) {
            if let Some(s) = word_start.take() {
                word(&text[s..i], &mut emit);
            }
            if let Some(before) = cjk {
                emit(Key::Cjk(before, Some(c)));
            }
            cjk = Some(c);
            continue;
        }
        if let Some(last) = cjk.take() {
            emit(Key::Cjk(last, None));
        }
        if is_word(c) {
            word_start.get_or_insert(i);
        } else if let Some(s) = word_start.take() {
            word(&text[s..i], &mut emit);
        }
    }
    if let Some(last) = cjk {
        emit(Key::Cjk(last, None));
    }
    if let Some(s) = word_start {
        word(&text[s..], &mut emit);
    }
}

fn cut(word: &str) -> &str {
    if word.len() <= MAX_WORD {
        return word;
    }
    word.char_indices()
        .nth(MAX_WORD)
        .map_or(word, |(i, _)| &word[..i])
}

/// A post's Markdown, folded, as the keys are cut from it: HTML comments (`<!-- more -->`)
/// dropped, and a line break between two CJK characters removed, since a paragraph's lines
/// are one text and Chinese has no space to put there.
pub fn index_text(md: &str) -> String {
    let md: Cow<str> = if md.contains("<!--") {
        let mut kept = String::with_capacity(md.len());
        let mut rest = md;
        while let Some(at) = rest.find("<!--") {
            kept.push_str(&rest[..at]);
            kept.push(' ');
            rest = rest[at..]
                .find("-->")
                .map_or("", |end| &rest[at + end + 3..]);
        }
        kept.push_str(rest);
        Cow::Owned(kept)
    } else {
        Cow::Borrowed(md)
    };
    let mut out = String::with_capacity(md.len());
    for (n, line) in md.split('\n').enumerate() {
        let mut line = line;
        if n > 0 {
            let kept = out.trim_end_matches([' ', '\t']);
            let next = line.trim_start_matches([' ', '\t']);
            let joined = kept.chars().next_back().is_some_and(is_cjk)
                && next.chars().next().is_some_and(is_cjk);
            if joined {
                out.truncate(kept.len());
                line = next;
            } else {
                out.push('\n');
            }
        }
        push_folded(&mut out, line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_keys(text: &str) -> Vec<String> {
        let folded = fold_str(text);
        let mut out = Vec::new();
        keys(&folded, |k| out.push(k.to_string()));
        out
    }

    #[test]
    fn cjk_runs_give_pairs_and_their_last_character() {
        assert_eq!(all_keys("进程退出"), ["进程", "程退", "退出", "出"]);
        assert_eq!(all_keys("锁"), ["锁"]);
        // Punctuation and Latin letters end a run.
        assert_eq!(
            all_keys("内核，slab原理"),
            ["内核", "核", "slab", "原理", "理"]
        );
    }

    #[test]
    fn words_are_folded_and_identifiers_split_on_underscores() {
        assert_eq!(
            all_keys("UDP_SendMsg() ｕｄｐ"),
            ["udp_sendmsg", "udp", "sendmsg", "udp"]
        );
        assert_eq!(all_keys("3.10 __init__"), ["3", "10", "__init__", "init"]);
        let long = "a".repeat(40);
        assert_eq!(all_keys(&long), ["a".repeat(MAX_WORD)]);
    }

    #[test]
    fn marks_that_are_letters_stay_words() {
        // 々 repeats the character before it; search.js calls it a letter too.
        assert_eq!(all_keys("人々。〇"), ["人", "々", "〇"]);
    }

    #[test]
    fn folding_keeps_one_character_for_one() {
        assert_eq!(fold('Ａ'), 'a');
        assert_eq!(fold('Σ'), 'σ');
        // 'İ' lower-cases to two characters: kept as it is.
        assert_eq!(fold('İ'), 'İ');
        assert_eq!(fold('内'), '内');
    }

    #[test]
    fn index_text_joins_chinese_lines_and_drops_comments() {
        let md = "进程**退出**时\n  有退出码。<!-- more -->\n\nSee `UDP_sendmsg()`\nand others\n\n\
                  ```c\nint  x; /* 中文\n中文 */\n```\n<!-- never closed";
        let text = index_text(md);
        assert_eq!(
            text,
            "进程**退出**时有退出码。 \n\nsee `udp_sendmsg()`\nand others\n\n```c\nint  x; /* 中文中文 */\n```\n "
        );
        let mut found = Vec::new();
        keys(&text, |k| found.push(k.to_string()));
        for key in [
            "时有",
            "退出",
            "udp_sendmsg",
            "sendmsg",
            "others",
            "int",
            "文中",
        ] {
            assert!(found.iter().any(|k| k == key), "{key} not in {found:?}");
        }
        assert!(
            !found.iter().any(|k| k == "more" || k == "never"),
            "{found:?}"
        );
    }
}
