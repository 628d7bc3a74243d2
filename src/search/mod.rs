//! The index behind the search box (`static/search.js`): built from the site model, written
//! next to the static files as `search/*.json`.
//!
//! Chinese is written without spaces, and a word segmenter in the browser cuts a query
//! differently from whichever one cut the posts at build time, so a word-based index misses
//! words the two disagree on. The keys here are what CJK search engines index instead: every
//! pair of adjacent CJK characters, plus the last character of each run (so that a
//! one-character query also finds it where no pair starts with it), and whole words for other
//! scripts, with identifiers like `udp_sendmsg` also indexed by their `_`-separated parts. A
//! query is cut the same way and a post must have all its keys.
//!
//! The client then checks the exact phrase in the text of the post's page, which it fetches
//! for the results it shows (the page a reader opens next anyway) to cut the snippet from. So
//! the index holds no copy of the posts' text, which would add as much output again as their
//! Markdown. For the same reason the keys are taken from the Markdown as written rather than
//! from a second Markdown parse (the page's render is the first): markup characters are not
//! key characters, and the few words markup adds (a link's address, a tag's name) only bring
//! candidates that the check on the page's text drops.
//!
//! Files, all under [`DIR`]:
//! - `index.json`: `{"version":1,"shards":S,"docs":[[title,url,date],…]}`, the posts in the
//!   site's order; a post is named by its position in `docs`.
//! - `shard-K.json`: `{"key":[n,n,…],…}` for the keys [`Key::shard`] puts in shard K of S, so
//!   that a query's key or prefix is looked up in one shard. Each number is a post that has
//!   the key, times 4, plus how much the key counts there ([`Weight`], 0–3). The post is the
//!   difference to the one before, so most numbers are one or two digits.
//!
//! A query fetches the index, the shards of its keys and the pages of the results it shows: a
//! few requests whatever the size of the site.

use crate::site::Site;
use crate::text::is_cjk;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::sync::Arc;

/// Where the index is written, relative to the output root.
pub const DIR: &str = "search";
/// Whether an output file (relative to the output root) is one of the index's.
pub fn is_index_file(file: &str) -> bool {
    file.strip_prefix(DIR)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// The first file a client reads.
pub const INDEX: &str = "search/index.json";
/// Changes when the files change shape, so an old `search.js` cannot misread them.
pub const VERSION: u32 = 1;

/// How much a key counts in a post, in the two bits a posting has for it: a title match
/// ranks first, then posts that use the key often.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Weight {
    Once = 0,
    TwiceOrThrice = 1,
    Often = 2,
    InTitle = 3,
}

impl Weight {
    fn of(count: u8, in_title: bool) -> Weight {
        match (in_title, count) {
            (true, _) => Weight::InTitle,
            (false, 0..=1) => Weight::Once,
            (false, 2..=3) => Weight::TwiceOrThrice,
            _ => Weight::Often,
        }
    }
}
/// Words are indexed by at most this many characters; longer queries match by this prefix.
pub const MAX_WORD: usize = 32;
/// About this many bytes of postings per shard: small enough to fetch for one query.
const SHARD_BYTES: usize = 128 * 1024;
const MAX_SHARDS: usize = 1024;

/// The search index of a site, ready to be written. Its files are made one at a time
/// ([`Index::file`]), so that a large site's index is never in memory as JSON all at once.
pub struct Index {
    /// Each shard's keys, sorted, with their postings as [`Postings`] bytes.
    shards: Vec<Arc<Shard>>,
    /// Which shards may differ from those of the [`Runs`] the index was made with.
    changed: Vec<bool>,
    head: Vec<u8>,
}

type Shard = Vec<(String, Vec<u8>)>;

/// A run's keys and postings for one shard.
type Part = [(Owned, Postings)];

impl Index {
    /// The number of files: the shards, then `index.json`.
    pub fn file_count(&self) -> usize {
        self.shards.len() + 1
    }

    /// File `i` of [`Index::file_count`]: (path relative to the output root, bytes). `index.json` is
    /// the last, so that writing them in order never leaves a live output naming a shard that
    /// is not written yet.
    pub fn file(&self, i: usize) -> (String, Vec<u8>) {
        let bytes = match self.shards.get(i) {
            Some(keys) => shard_json(keys),
            None => self.head.clone(),
        };
        (self.name(i), bytes)
    }

    /// Every file at once, for tests: builds write them one at a time.
    #[cfg(test)]
    pub fn files(&self) -> impl Iterator<Item = (String, Vec<u8>)> + '_ {
        (0..self.file_count()).map(|i| self.file(i))
    }

    /// The path of file `i`, without making it.
    pub fn name(&self, i: usize) -> String {
        if i < self.shards.len() {
            format!("{DIR}/shard-{i}.json")
        } else {
            INDEX.to_string()
        }
    }

    /// Whether file `i` can differ from the one made from the same [`Runs`] before: false
    /// only for shards no recounted run brought anything new to.
    pub fn changed(&self, i: usize) -> bool {
        self.changed.get(i).copied().unwrap_or(true)
    }
}

/// Build the index of a site.
pub fn index(site: &Site) -> Index {
    make(site, &mut Runs::default(), false)
}

/// The counted runs of posts behind an index, kept by `boke serve` between rebuilds: counting
/// is most of the work, and an edit to one post's body changes the counts of one run only.
#[derive(Debug, Clone, Default)]
pub struct Runs {
    /// The base path the runs' links were made for.
    base: String,
    runs: Vec<Run>,
    /// The merged shards the runs made.
    shards: Vec<Arc<Shard>>,
}

#[derive(Debug, Clone)]
struct Run {
    /// Where the run starts in the site's post order, and the versions of its posts: a run
    /// is reused only for the same posts in the same places and the same number of shards.
    start: usize,
    versions: Vec<u64>,
    /// A fingerprint of the posts' routes: a post can move without being edited (another
    /// post's category taking its category's slug), and `docs` holds its URL.
    routes: u64,
    shards: usize,
    parts: Vec<Vec<(Owned, Postings)>>,
    /// The run's entries of `docs` in `index.json`, comma-separated.
    docs: Vec<u8>,
}

/// Build the index of a site, recounting only the runs of posts not in `runs` as they are,
/// and leave the runs of this site in `runs`.
pub fn index_with(site: &Site, runs: &mut Runs) -> Index {
    make(site, runs, true)
}

/// [`index_with`]; unless `keep`, the runs' counts are moved into the shards rather than
/// copied, which at 100,000 posts is 130 MB less at the peak.
fn make(site: &Site, runs: &mut Runs, keep: bool) -> Index {
    let posts = &site.posts;
    let bytes: usize = posts.iter().map(|p| p.body.len()).sum();
    // Postings come to about half the Markdown's size (more for short posts).
    let shards = (bytes / (2 * SHARD_BYTES) + 1)
        .next_power_of_two()
        .min(MAX_SHARDS);

    // Map-reduce: runs of posts are counted in parallel, each run's tallies split by shard at
    // its end; then each shard merges the runs' parts in post order, so every posting list
    // comes out sorted without a sort. Kept runs are of at most 128 posts: an edit under
    // `boke serve` recounts its post's run (13 ms for 256 posts, 7 ms for 128 on this
    // machine). Otherwise fewer, longer runs: each run has its own copy of its keys, which at
    // 100,000 posts in runs of 128 took 60 MB more and made the merge slower.
    let run = (posts.len() / (rayon::current_num_threads() * 4)).max(64);
    let run = if keep { run.min(128) } else { run };
    let base = site.config.base_path();
    let mut kept = std::mem::take(&mut runs.runs);
    let mut kept_shards = std::mem::take(&mut runs.shards);
    if runs.base != base {
        (kept, kept_shards) = (Vec::new(), Vec::new());
        runs.base = base.to_string();
    }
    runs.runs = posts
        .par_chunks(run)
        .enumerate()
        .map(|(r, chunk)| {
            let versions: Vec<u64> = chunk.iter().map(|p| p.version).collect();
            let routes = {
                let mut h = std::hash::DefaultHasher::new();
                (r * run..r * run + chunk.len()).for_each(|i| site.post_route(i).hash(&mut h));
                h.finish()
            };
            let same = |k: &&Run| {
                k.start == r * run
                    && k.shards == shards
                    && k.versions == versions
                    && k.routes == routes
            };
            if let Some(k) = kept.get(r).filter(same) {
                return k.clone();
            }
            let mut tallies = Tallies::default();
            for (j, p) in chunk.iter().enumerate() {
                let post = (r * run + j) as u32;
                keys(&index_text(&p.body), |k| tallies.count(k, post, false));
                if let Some(title) = &p.meta.title {
                    keys(&fold_str(title), |k| tallies.count(k, post, true));
                }
            }
            Run {
                start: r * run,
                versions,
                shards,
                parts: tallies.by_shard(shards),
                docs: docs(site, r * run, chunk, base),
                routes,
            }
        })
        .collect();
    // A shard is merged again only if a run brought something new to it: a run counted anew
    // (its posts changed) whose part of the shard differs from the part it had.
    let mut changed = vec![kept_shards.len() != shards || kept.len() != runs.runs.len(); shards];
    for (r, new) in runs.runs.iter().enumerate() {
        match kept.get(r) {
            Some(old) if old.versions == new.versions => {}
            Some(old) if old.start == new.start && old.shards == new.shards => {
                for (s, flag) in changed.iter_mut().enumerate() {
                    *flag = *flag || !same_part(&old.parts[s], &new.parts[s]);
                }
            }
            _ => changed.iter_mut().for_each(|c| *c = true),
        }
    }
    // Shard by shard, each taking its part of every run.
    let mut by_shard: Vec<Vec<Cow<'_, Part>>> = (0..shards)
        .map(|_| Vec::with_capacity(runs.runs.len()))
        .collect();
    if keep {
        for part in &runs.runs {
            for (s, keys) in part.parts.iter().enumerate() {
                by_shard[s].push(Cow::Borrowed(keys));
            }
        }
    } else {
        for part in &mut runs.runs {
            for (s, keys) in std::mem::take(&mut part.parts).into_iter().enumerate() {
                by_shard[s].push(Cow::Owned(keys));
            }
        }
    }
    let shards: Vec<Arc<Shard>> = by_shard
        .into_par_iter()
        .enumerate()
        .map(|(s, runs)| {
            if !changed[s] {
                return kept_shards[s].clone();
            }
            let mut merged: Vec<(Owned, Postings)> = Vec::new();
            let mut at: FastMap<Owned, usize> = FastMap::default();
            let mut add = |key: Cow<'_, Owned>, list: Cow<'_, Postings>| match at.get(&*key) {
                Some(&i) => merged[i].1.append(&list),
                None => {
                    let key = key.into_owned();
                    at.insert(key.clone(), merged.len());
                    merged.push((key, list.into_owned()));
                }
            };
            for keys in runs {
                match keys {
                    Cow::Borrowed(keys) => keys
                        .iter()
                        .for_each(|(k, l)| add(Cow::Borrowed(k), Cow::Borrowed(l))),
                    Cow::Owned(keys) => keys
                        .into_iter()
                        .for_each(|(k, l)| add(Cow::Owned(k), Cow::Owned(l))),
                }
            }
            let mut named: Vec<(String, Vec<u8>)> = merged
                .into_iter()
                .map(|(key, list)| (key.to_string(), list.bytes))
                .collect();
            named.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            Arc::new(named)
        })
        .collect();
    runs.shards = shards.clone();

    let mut head = format!(
        "{{\"version\":{VERSION},\"shards\":{},\"docs\":[",
        shards.len()
    )
    .into_bytes();
    for (i, r) in runs.runs.iter().enumerate() {
        if i > 0 {
            head.push(b',');
        }
        head.extend_from_slice(&r.docs);
    }
    head.extend_from_slice(b"]}");
    if !keep {
        runs.runs.clear();
    }
    Index {
        shards,
        changed,
        head,
    }
}

/// The entries of `index.json`'s `docs` for the posts from `first` on: title (or the start of
/// the excerpt), URL and time.
fn docs(site: &Site, first: usize, posts: &[Arc<crate::content::Post>], base: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, p) in posts.iter().enumerate() {
        out.extend_from_slice(if i > 0 { b",[" } else { b"[" });
        json_str(&mut out, &p.display_title());
        out.push(b',');
        json_str(&mut out, &site.post_route(first + i).url(base));
        out.push(b',');
        json_str(&mut out, &p.date_text);
        out.push(b']');
    }
    out
}

/// Whether two counts of one run give a shard the same keys and postings, in any order.
fn same_part(old: &[(Owned, Postings)], new: &[(Owned, Postings)]) -> bool {
    if old.len() != new.len() {
        return false;
    }
    let old: FastMap<&Owned, &[u8]> = old.iter().map(|(k, p)| (k, &p.bytes[..])).collect();
    new.iter()
        .all(|(k, p)| old.get(k).is_some_and(|b| *b == &p.bytes[..]))
}

/// A fingerprint of an index file, so a rebuild rewrites only the files that changed.
pub fn fingerprint(bytes: &[u8]) -> u64 {
    let mut h = FastHasher::default();
    h.write(bytes);
    h.write_usize(bytes.len());
    h.finish()
}

/// A key that owns its word, to outlive the post it was cut from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Owned {
    /// A CJK pair or character, as [`cjk_code`] packs it.
    Cjk(u64),
    Word(Box<str>),
}

fn cjk_code(a: char, b: Option<char>) -> u64 {
    (a as u64) << 32 | b.map_or(0, u64::from)
}

impl Owned {
    fn as_key(&self) -> Key<'_> {
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
#[derive(Debug, Clone, Default)]
struct Postings {
    bytes: Vec<u8>,
    /// The last post in the list.
    last: u32,
}

impl Postings {
    fn push(&mut self, post: u32, weight: Weight) {
        push_leb128(
            &mut self.bytes,
            u64::from(post - self.last) << 2 | weight as u64,
        );
        self.last = post;
    }

    /// Append the postings of a later run of posts: only its first number, whose post is a
    /// difference to 0, changes.
    fn append(&mut self, later: &Postings) {
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
    fn numbers(bytes: &[u8]) -> impl Iterator<Item = u64> + '_ {
        let mut at = 0;
        std::iter::from_fn(move || {
            let (n, used) = read_leb128(bytes.get(at..).filter(|b| !b.is_empty())?);
            at += used;
            Some(n)
        })
    }
}

fn push_leb128(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push(n as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// A number and the bytes it took; 0 and 0 at the end of the bytes.
fn read_leb128(bytes: &[u8]) -> (u64, usize) {
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
struct Tally {
    post: u32,
    /// The count in the body of `post`, which is counted while `counting`.
    count: u8,
    in_title: bool,
    counting: bool,
    list: Postings,
}

impl Tally {
    fn count(&mut self, post: u32, in_title: bool) {
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

    fn flush(&mut self) {
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
struct Tallies {
    cjk: FastMap<u64, Tally>,
    words: FastMap<Box<str>, Tally>,
}

impl Tallies {
    fn count(&mut self, key: Key<'_>, post: u32, in_title: bool) {
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

    fn by_shard(self, shards: usize) -> Vec<Vec<(Owned, Postings)>> {
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

fn fold_str(s: &str) -> String {
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

fn shard_json(keys: &[(String, Vec<u8>)]) -> Vec<u8> {
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

fn push_num(out: &mut Vec<u8>, mut n: u64) {
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
fn json_str(out: &mut Vec<u8>, s: &str) {
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

/// Hash maps keyed by index keys are most of the index build; the standard SipHash, built to
/// resist keys chosen by an attacker over a network, costs several times more than needed for
/// keys from the site's own posts.
type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

#[derive(Default)]
struct FastHasher(u64);

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let mut tail = [0u8; 8];
        tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
        self.add(u64::from_le_bytes(tail));
    }

    fn write_u8(&mut self, n: u8) {
        self.add(n.into());
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    /// The multiply only carries low bits upwards and hash tables pick buckets by the low
    /// bits, so fold the well-mixed high half down.
    fn finish(&self) -> u64 {
        let h = self.0 ^ (self.0 >> 32);
        h.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (h >> 29)
    }
}

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::content::Post;
    use std::collections::BTreeMap;
    use std::path::Path;
    use std::sync::Arc;

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

    fn post(file: &str, front: &str, body: &str) -> Arc<Post> {
        let text = format!("---\n{front}---\n{body}");
        Arc::new(Post::parse(Path::new(file), text.as_bytes(), &Config::default()).unwrap())
    }

    /// Files by name, as text.
    fn built(site: &Site) -> BTreeMap<String, String> {
        index(site)
            .files()
            .map(|(n, b)| (n, String::from_utf8(b).unwrap()))
            .collect()
    }

    #[test]
    fn a_site_index_names_each_post_and_weights_titles() {
        let posts = vec![
            post(
                "a.md",
                "title: \"进程退出码\"\ndate: 2014-12-30 16:51:55\n",
                "退出码的含义。\n",
            ),
            post(
                "b.md",
                "title: slab\ndate: 2014-11-19 16:06:19\n",
                "slab 分配器 \"引号\"退出\n",
            ),
            post("c.md", "date: 2014-01-01\n", "没有标题的文章，退出。\n"),
        ];
        let mut config = Config::default();
        config.set_base_url(crate::config::BaseUrl::parse("/blog/").unwrap());
        let site = Site::new(config, posts, false, vec![]).unwrap();
        let files = built(&site);
        let names: Vec<&str> = files.keys().map(String::as_str).collect();
        assert_eq!(names, ["search/index.json", "search/shard-0.json"]);
        assert_eq!(
            files["search/index.json"],
            "{\"version\":1,\"shards\":1,\"docs\":[\
             [\"进程退出码\",\"/blog/posts/a/\",\"2014-12-30 16:51:55\"],\
             [\"slab\",\"/blog/posts/b/\",\"2014-11-19 16:06:19\"],\
             [\"没有标题的文章，退出。\",\"/blog/posts/c/\",\"2014-01-01 00:00:00\"]]}"
        );
        let shard = &files["search/shard-0.json"];
        // 退出 is in post 0's title (post 0 × 4 + InTitle), then once in the bodies of posts 1
        // and 2, each one after the one before (1 × 4 + Once).
        assert!(shard.contains("\"退出\":[3,4,4]"), "{shard}");
        // slab: post 1, title and body.
        assert!(shard.contains("\"slab\":[7]"), "{shard}");
        // 文章 only in post 2's body; 章 ends a run there.
        assert!(shard.contains("\"文章\":[8]"), "{shard}");
        assert!(shard.contains("\"章\":[8]"), "{shard}");
        assert!(shard.contains("\"含义\":[0]"), "{shard}");
        assert!(!shard.contains('。'), "punctuation is no key: {shard}");
    }

    /// Key → (post, weight), from every shard.
    fn postings(files: &BTreeMap<String, String>) -> BTreeMap<String, Vec<(u64, u64)>> {
        let mut all = BTreeMap::new();
        for (name, text) in files {
            if name.starts_with("search/shard-") {
                let shard: BTreeMap<String, Vec<u64>> = serde_json::from_str(text).unwrap();
                for (key, list) in shard {
                    let mut post = 0;
                    let decoded = list
                        .iter()
                        .map(|n| {
                            post += n >> 2;
                            (post, n & 3)
                        })
                        .collect();
                    all.insert(key, decoded);
                }
            }
        }
        all
    }

    #[test]
    fn a_rebuild_recounts_only_the_runs_it_must() {
        // 1,100 posts make several runs, kept ones (at most 128 posts) shorter than those of a
        // clean index on two cores; the edit is in the last one.
        let site_with = |edited: &str| {
            let posts: Vec<Arc<Post>> = (0..1100)
                .map(|i| {
                    let body = if i == 0 { edited } else { "调度器与内存" };
                    post(
                        &format!("p{i:03}.md"),
                        &format!(
                            "date: 2014-01-01 {:02}:{:02}:00
",
                            i / 60,
                            i % 60
                        ),
                        &format!("{body} post{i}x\n"),
                    )
                })
                .collect();
            Site::new(Config::default(), posts, false, vec![]).unwrap()
        };
        let files = |index: Index| -> BTreeMap<String, Vec<u8>> { index.files().collect() };
        let before = site_with("僵尸进程");
        let mut runs = Runs::default();
        index_with(&before, &mut runs);
        assert!(runs.runs.len() > 1);
        // A post keeps its version when kept; only p000 (the oldest, last in order) is new.
        let mut posts = before.posts.clone();
        let edited = site_with("孤儿进程");
        let at = posts
            .iter()
            .position(|p| p.source.ends_with("p000.md"))
            .unwrap();
        posts[at] = edited.posts[at].clone();
        let after = Site::new(Config::default(), posts, false, vec![]).unwrap();

        // Runs are reused: blank a kept run that the edit does not touch and it stays blank.
        let mut blanked = runs.clone();
        blanked.runs[0].parts.iter_mut().for_each(Vec::clear);
        let partial = files(index_with(&after, &mut blanked));
        assert_ne!(
            partial,
            files(index(&after)),
            "the first run was counted again"
        );

        // A post read again unchanged changes no shard; an edit changes its shard. Either way
        // the incremental index equals a clean one.
        let mut again = before.posts.clone();
        again[at] = site_with("僵尸进程").posts[at].clone();
        let again = Site::new(Config::default(), again, false, vec![]).unwrap();
        let unchanged = index_with(&again, &mut runs);
        assert!(!unchanged.changed(0) && unchanged.changed(unchanged.file_count() - 1));
        assert_eq!(files(unchanged), files(index(&again)));
        let incremental = index_with(&after, &mut runs);
        assert!(incremental.changed(0));
        assert_eq!(files(incremental), files(index(&after)));
        let words = postings(&built(&after));
        assert!(words.contains_key("孤儿") && !words.contains_key("僵尸"));
    }

    #[test]
    fn big_sites_are_sharded_by_first_characters() {
        let body: String =
            (0..400).map(|i| format!("词{i}号 ")).collect::<String>() + &"汉字".repeat(2000);
        let posts: Vec<Arc<Post>> = (0..120)
            .map(|i| {
                post(
                    &format!("p{i:03}.md"),
                    &format!("date: 2014-01-01 00:{:02}:{:02}\n", i / 60, i % 60),
                    &format!("{body} post{i}x\n"),
                )
            })
            .collect();
        let site = Site::new(Config::default(), posts, false, vec![]).unwrap();
        let files = built(&site);
        let index: serde_json::Value = serde_json::from_str(&files["search/index.json"]).unwrap();
        let shards = index["shards"].as_u64().unwrap() as usize;
        assert!(shards > 1 && shards.is_power_of_two(), "{shards}");
        assert_eq!(files.len(), shards + 1);
        for (name, text) in &files {
            if let Some(k) = name.strip_prefix("search/shard-") {
                let k: usize = k.trim_end_matches(".json").parse().unwrap();
                for key in text.split('"').skip(1).step_by(2) {
                    let mut all = Vec::new();
                    keys(key, |key| all.push(key));
                    assert_eq!(all[0].to_string(), key);
                    assert_eq!(all[0].shard(shards), k, "{key} in {name}");
                }
            }
        }
        let postings = postings(&files);
        let docs = index["docs"].as_array().unwrap();
        assert_eq!(docs.len(), 120);
        for (i, doc) in docs.iter().enumerate() {
            // Newest first: post p119 is the first.
            let n: usize = doc[1].as_str().unwrap()["/posts/p".len()..][..3]
                .parse()
                .unwrap();
            assert_eq!(n, 119 - i);
            assert_eq!(
                postings[&format!("post{n}x")],
                [(i as u64, Weight::Once as u64)]
            );
        }
        // In every post, 2000 times.
        let everywhere: Vec<(u64, u64)> = (0..120).map(|i| (i, Weight::Often as u64)).collect();
        assert_eq!(postings["汉字"], everywhere);
        // The same site gives the same bytes.
        assert_eq!(built(&site), files);
    }
}
