//! Rules about characters that several stages must agree on.

/// Han, kana and Hangul: scripts written without spaces between words, so the word count
/// counts them one by one and the search index pairs them. One rule for both, so that a post's
/// word count and what search finds in it never disagree on a character.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// Undo the basic HTML escapes (`&lt; &gt; &quot; &#39; &#039; &amp;`), `&amp;` last so that
/// `&amp;lt;` stays `&lt;`: for text taken back out of HTML that boke or an old blog escaped.
pub fn unescape_html(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#039;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The first `n` characters of `text`: what a card's description, a shortened title and an
/// untitled post's name are cut to.
pub fn prefix(text: &str, n: usize) -> &str {
    // Every post page asks, and every link to an untitled post: counting the bytes that
    // start a character is several times as fast as `char_indices` on Chinese text.
    let mut chars = 0;
    for (k, &b) in text.as_bytes().iter().enumerate() {
        // Not a continuation byte (0b10xx_xxxx): a character starts here.
        if (b as i8) >= -0x40 {
            if chars == n {
                return &text[..k];
            }
            chars += 1;
        }
    }
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn prefix_counts_characters_not_bytes() {
        for text in [
            "",
            "abc",
            "一二三四",
            "aé一😀b",
            "😀😀",
            "Linux 内核 3.10 源码",
        ] {
            for n in 0..8 {
                let plain = text.char_indices().nth(n).map_or(text, |(k, _)| &text[..k]);
                assert_eq!(super::prefix(text, n), plain, "{text:?} {n}");
            }
        }
    }

    #[test]
    fn basic_escapes_are_undone_once() {
        assert_eq!(
            super::unescape_html("a &lt;b&gt; &quot;c&quot; &#39;d&#039; &amp;lt;"),
            "a <b> \"c\" 'd' &lt;"
        );
    }

    #[test]
    fn cjk_covers_han_kana_hangul_and_the_extension_planes() {
        for c in ['内', 'の', 'カ', '한', '𠀀', '𰀀'] {
            assert!(super::is_cjk(c), "{c}");
        }
        for c in ['a', '1', '。', 'é', ' '] {
            assert!(!super::is_cjk(c), "{c}");
        }
    }
}
