//! Postings: for each key, the posts that have it and how much it counts there, as LEB128
//! differences, counted per run of posts and merged.

use super::Weight;
use super::hash::FastMap;
use super::keys::{Key, Owned, cjk_code};

#[derive(Debug, Clone, Default)]
pub(super) struct Postings {
    pub(super) bytes: Vec<u8>,
    /// The last post in the list.
    last: u32,
}

impl Postings {
    pub(super) fn push(&mut self, post: u32, weight: Weight) {
        push_leb128(
            &mut self.bytes,
            u64::from(post - self.last) << 2 | weight as u64,
        );
        self.last = post;
    }

    /// Append the postings of a later run of posts: only its first number, whose post is a
    /// difference to 0, changes.
    pub(super) fn append(&mut self, later: &Postings) {
        let (first, used) = read_leb128(&later.bytes);
        let post = (first >> 2) as u32;
        push_leb128(
            &mut self.bytes,
            u64::from(post - self.last) << 2 | first & 3,
        );
        self.bytes.extend_from_slice(&later.bytes[used..]);
        self.last = later.last;
    }

    /// The numbers of the shard file.
    pub(super) fn numbers(bytes: &[u8]) -> impl Iterator<Item = u64> + '_ {
        let mut at = 0;
        std::iter::from_fn(move || {
            let (n, used) = read_leb128(bytes.get(at..).filter(|b| !b.is_empty())?);
            at += used;
            Some(n)
        })
    }
}

pub(super) fn push_leb128(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push(n as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// A number and the bytes it took; 0 and 0 at the end of the bytes.
pub(super) fn read_leb128(bytes: &[u8]) -> (u64, usize) {
    let mut n = 0u64;
    for (i, &b) in bytes.iter().enumerate().take(10) {
        n |= u64::from(b & 0x7F) << (7 * i);
        if b < 0x80 {
            return (n, i + 1);
        }
    }
    (n, bytes.len().min(10))
}

/// A key's count for the post being read, kept apart from its list until another post has
/// the key: counting touches only the map's entry.
#[derive(Default)]
pub(super) struct Tally {
    post: u32,
    /// The count in the body of `post`, which is counted while `counting`.
    count: u8,
    in_title: bool,
    counting: bool,
    list: Postings,
}

impl Tally {
    pub(super) fn count(&mut self, post: u32, in_title: bool) {
        if !self.counting || self.post != post {
            self.flush();
            (self.post, self.counting) = (post, true);
        }
        if in_title {
            self.in_title = true;
        } else {
            self.count = self.count.saturating_add(1);
        }
    }

    pub(super) fn flush(&mut self) {
        if self.counting {
            let weight = Weight::of(self.count, self.in_title);
            self.list.push(self.post, weight);
            (self.count, self.in_title, self.counting) = (0, false, false);
        }
    }
}

/// The tallies of a run of posts. CJK keys, nearly one per character, are numbers; a word is
/// copied only the first time the run meets it.
#[derive(Default)]
pub(super) struct Tallies {
    cjk: FastMap<u64, Tally>,
    words: FastMap<Box<str>, Tally>,
}

impl Tallies {
    pub(super) fn count(&mut self, key: Key<'_>, post: u32, in_title: bool) {
        let tally = match key {
            Key::Cjk(a, b) => self.cjk.entry(cjk_code(a, b)).or_default(),
            Key::Word(w) => {
                if let Some(t) = self.words.get_mut(w) {
                    t.count(post, in_title);
                    return;
                }
                self.words.entry(w.into()).or_default()
            }
        };
        tally.count(post, in_title);
    }

    pub(super) fn by_shard(self, shards: usize) -> Vec<Vec<(Owned, Postings)>> {
        let mut out: Vec<Vec<(Owned, Postings)>> = (0..shards).map(|_| Vec::new()).collect();
        let cjk = self.cjk.into_iter().map(|(c, t)| (Owned::Cjk(c), t));
        let words = self.words.into_iter().map(|(w, t)| (Owned::Word(w), t));
        for (key, mut tally) in cjk.chain(words) {
            tally.flush();
            tally.list.bytes.shrink_to_fit();
            out[key.as_key().shard(shards)].push((key, tally.list));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_of_later_runs_append_as_differences() {
        use Weight::*;
        let mut first = Postings::default();
        for (post, weight) in [(0, Once), (5, InTitle), (300, Often)] {
            first.push(post, weight);
        }
        let mut later = Postings::default();
        for (post, weight) in [(70_000, TwiceOrThrice), (4_000_000_000, Once)] {
            later.push(post, weight);
        }
        first.append(&later);
        let numbers: Vec<u64> = Postings::numbers(&first.bytes).collect();
        assert_eq!(
            numbers,
            [0, 5 * 4 + 3, 295 * 4 + 2, 69_700 * 4 + 1, 3_999_930_000 * 4]
        );
        // A difference below 32 takes one byte.
        assert_eq!(first.bytes.len(), 1 + 1 + 2 + 3 + 5);
    }
}
