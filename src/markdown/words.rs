//! Counting words: each CJK character one, each run of other letters or digits one.

use crate::text::is_cjk;

/// What an ASCII byte is to a word: part of one, a joiner inside one (`don't`, `per-cpu`,
/// `udp_sendmsg`), or neither.
const LETTER: u8 = 2;
const JOINER: u8 = 1;
static ASCII: [u8; 128] = {
    let mut t = [0; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphanumeric() {
            LETTER
        } else if matches!(c, b'\'' | b'_' | b'-') {
            JOINER
        } else {
            0
        };
        b += 1;
    }
    t
};

/// Each CJK character is a word; so is each run of other letters or digits.
pub fn count_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut words, mut in_word, mut i) = (0, false, 0);
    // Runs on every text of every post: ASCII goes through a table, and the CJK ideographs
    // U+5000..U+9FFF (UTF-8 starting E5..E9) are told by their first byte.
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            let class = ASCII[b as usize];
            i += 1;
            if class == LETTER {
                words += usize::from(!in_word);
                in_word = true;
                // The rest of the word in one tight loop: inside a word, letters and joiners
                // alike keep it going.
                while i < bytes.len() && bytes[i] < 0x80 && ASCII[bytes[i] as usize] != 0 {
                    i += 1;
                }
            } else {
                in_word = in_word && class == JOINER;
            }
            continue;
        }
        if (0xE5..=0xE9).contains(&b) || (b == 0xE4 && bytes.get(i + 1) != Some(&0xB7)) {
            // E4 starts U+4000..U+4FFF, ideographs but for the hexagrams (U+4DC0.., E4 B7 ..).
            i += 3;
            words += 1;
            // A run of ideographs in one tight loop.
            while i < bytes.len() && (0xE5..=0xE9).contains(&bytes[i]) {
                i += 3;
                words += 1;
            }
            in_word = false;
            continue;
        }
        // Chinese punctuation (，。、) comes here: decoded from the bytes, which are UTF-8, rather
        // than through `str::chars`.
        let (c, len) = decode_at(bytes, i);
        i += len;
        if is_cjk(c) {
            words += 1;
            in_word = false;
        } else if is_alphanumeric(c) {
            words += usize::from(!in_word);
            in_word = true;
        } else {
            in_word = false;
        }
    }
    words
}

/// The character starting at `bytes[i]`, a lead byte of valid UTF-8 (not ASCII), and its length.
fn decode_at(bytes: &[u8], i: usize) -> (char, usize) {
    let b = u32::from(bytes[i]);
    let cont = |k: usize| u32::from(bytes.get(i + k).copied().unwrap_or(0x80) & 0x3F);
    let (u, len) = match b {
        0xC0..=0xDF => (((b & 0x1F) << 6) | cont(1), 2),
        0xE0..=0xEF => (((b & 0x0F) << 12) | (cont(1) << 6) | cont(2), 3),
        _ => (
            ((b & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3),
            4,
        ),
    };
    (
        char::from_u32(u).unwrap_or(char::REPLACEMENT_CHARACTER),
        len,
    )
}

/// `char::is_alphanumeric`, with the punctuation of Chinese text (，。、：“”（）) answered from
/// a table made from it: the standard function searches its Unicode tables for every
/// character outside ASCII, which made word counting a tenth of a build's instructions.
fn is_alphanumeric(c: char) -> bool {
    /// Blocks of punctuation Chinese text is full of: general punctuation, CJK symbols and
    /// punctuation, full-width forms.
    const BLOCKS: [std::ops::Range<u32>; 3] = [0x2000..0x2070, 0x3000..0x3040, 0xFF00..0xFFF0];
    static TABLE: std::sync::LazyLock<Vec<Vec<bool>>> = std::sync::LazyLock::new(|| {
        BLOCKS
            .iter()
            .map(|b| {
                b.clone()
                    .map(|u| char::from_u32(u).is_some_and(char::is_alphanumeric))
                    .collect()
            })
            .collect()
    });
    let u = c as u32;
    if u < 0x80 {
        return c.is_ascii_alphanumeric();
    }
    match BLOCKS.iter().position(|b| b.contains(&u)) {
        Some(i) => TABLE[i][(u - BLOCKS[i].start) as usize],
        None => c.is_alphanumeric(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_counting() {
        assert_eq!(
            count_words("内核 slab 分配器 don't per-cpu udp_sendmsg 3.10"),
            2 + 1 + 3 + 1 + 1 + 1 + 2
        );
        assert_eq!(count_words(""), 0);
        // Full-width punctuation separates words; full-width letters and digits are words.
        assert_eq!(count_words("ａｂ，ｃ１。x、y〇"), 4);
        // The edges of the CJK blocks: U+4DC0 (a hexagram) is no letter; U+A000 (Yi) is a
        // letter that joins the next one into a word.
        assert_eq!(
            count_words("\u{3400}\u{4DBF}\u{4DC0}\u{4E00}\u{9FFF}\u{A000}a"),
            5
        );
        assert_eq!(count_words("a\u{4E00}b\u{20000}c"), 5);
    }

    /// The rule as plainly as it can be written, for the fast version to agree with.
    fn plain_count(text: &str) -> usize {
        let (mut words, mut in_word) = (0, false);
        for c in text.chars() {
            if is_cjk(c) {
                words += 1;
                in_word = false;
            } else if c.is_alphanumeric() {
                words += usize::from(!in_word);
                in_word = true;
            } else {
                in_word = in_word && matches!(c, '\'' | '_' | '-');
            }
        }
        words
    }

    #[test]
    fn the_fast_count_agrees_with_the_plain_rule() {
        // Every seventh two- and three-byte character and the first four-byte ones, between two
        // letters and in mixed text.
        for u in (0x80..0x10000).step_by(7).chain(0x10000..0x10400) {
            let Some(c) = char::from_u32(u) else { continue };
            for text in [
                format!("a{c}b"),
                format!("x-{c}-y 内核{c}'s"),
                c.to_string(),
            ] {
                assert_eq!(count_words(&text), plain_count(&text), "{text:?}");
            }
        }
        let text = "Linux 内核（3.10）的 slab：per-cpu 缓存，「对象」— don't ｕｄｐ１ é 𠀀x";
        assert_eq!(count_words(text), plain_count(text));
    }

    #[test]
    fn the_fast_count_agrees_on_mixed_runs() {
        // Short strings over letters, joiners, separators and wide characters, every order
        // alike (a fixed linear congruential sequence), where a run's end is easy to miss.
        const PIECES: [&str; 13] = [
            "a", "Z", "9", "-", "_", "'", " ", ".", "内", "，", "é", "𠀀", "ｕ",
        ];
        let mut seed: u32 = 1;
        let mut next = move || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 16) as usize
        };
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..next() % 12 {
                text.push_str(PIECES[next() % PIECES.len()]);
            }
            assert_eq!(count_words(&text), plain_count(&text), "{text:?}");
        }
    }

    #[test]
    fn alphanumeric_table_agrees_with_the_standard_library() {
        for u in (0..0x11000).chain(0x20000..0x20010) {
            if let Some(c) = char::from_u32(u) {
                assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "U+{u:04X}");
            }
        }
    }
}
