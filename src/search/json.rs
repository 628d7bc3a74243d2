//! The index files' JSON, written by hand: the shards are lists of numbers and a few escaped
//! strings, and a serializer's generic path cost more than the counting.

use super::postings::Postings;

pub(super) fn shard_json(keys: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(keys.iter().map(|(k, l)| k.len() + l.len() * 2).sum());
    out.push(b'{');
    for (i, (key, list)) in keys.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        json_str(&mut out, key);
        out.extend_from_slice(b":[");
        for (j, n) in Postings::numbers(list).enumerate() {
            if j > 0 {
                out.push(b',');
            }
            push_num(&mut out, n);
        }
        out.push(b']');
    }
    out.push(b'}');
    out
}

pub(super) fn push_num(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

/// A JSON string. Control characters are escaped; everything else is written as UTF-8.
pub(super) fn json_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut from = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\t' => b"\\t",
            b'\r' => b"\\r",
            0..=0x1F => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[from..i]);
        if esc.is_empty() {
            out.extend_from_slice(format!("\\u{b:04x}").as_bytes());
        } else {
            out.extend_from_slice(esc);
        }
        from = i + 1;
    }
    out.extend_from_slice(&bytes[from..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_are_escaped() {
        let mut out = Vec::new();
        json_str(&mut out, "a\"b\\c\nd\u{1}é内");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\"a\\\"b\\\\c\\nd\\u0001é内\""
        );
        let mut n = Vec::new();
        for x in [0, 7, 10, u64::MAX] {
            push_num(&mut n, x);
            n.push(b' ');
        }
        assert_eq!(n, b"0 7 10 18446744073709551615 ");
    }
}
