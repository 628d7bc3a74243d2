//! Rules about characters that several stages must agree on.

/// Han, kana and Hangul: scripts written without spaces between words, so the word count
/// counts them one by one and the search index pairs them. One rule for both, so that a post's
/// word count and what search finds in it never disagree on a character.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

#[cfg(test)]
mod tests {
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
