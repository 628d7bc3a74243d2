//! Highlighted blocks by content: in memory for the run (a block that appears in many posts is
//! highlighted once), and kept in the site's `.boke/cache/` so that the next build, or
//! `boke serve` starting, highlights only the blocks that are new.
//!
//! A block's key hashes boke's version, the highlighter's, the language and the code, so a
//! changed block, a new boke or new grammars never meet old markup; nothing else goes into the
//! markup. The file is safe to delete at any time, and one that is damaged or from another
//! version is ignored: the cost is highlighting again, never a different page.

use std::collections::HashMap;
use std::io::{self, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock, Mutex, RwLock};
use xxhash_rust::xxh3::Xxh3;

/// The cache file inside the cache folder.
pub const FILE: &str = "highlight.bin";

/// Marks the file's format; its version line follows.
const MAGIC: &[u8; 8] = b"BOKEHL1\n";

/// Set to any text to make boke behave, for its caches, as a boke of another version (how the
/// tests check that an upgrade invalidates what an older boke wrote).
pub const FAKE_VERSION_ENV: &str = "BOKE_FAKE_VERSION";

/// What made the markup: boke and its highlighter. Part of every key and of the file's header,
/// and of every page's key in a build's manifest ([`crate::build`]). The program's size and
/// time are in it too, so that a boke compiled again with the same version number (by whoever
/// works on boke) trusts nothing the old one kept.
pub fn maker() -> &'static str {
    static MAKER: LazyLock<String> = LazyLock::new(|| {
        let version = std::env::var(FAKE_VERSION_ENV)
            .unwrap_or_else(|_| env!("CARGO_PKG_VERSION").to_string());
        let program = std::env::current_exe()
            .and_then(std::fs::metadata)
            .map(|m| {
                let time = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .unwrap_or_default();
                format!("{} {}", m.len(), time.as_nanos())
            })
            .unwrap_or_default();
        format!("boke {version} {} {program}", super::ENGINE)
    });
    &MAKER
}

/// A block's identity: its language and code, and what highlights them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key(u128);

impl Key {
    pub fn of(lang: &str, code: &str) -> Key {
        Key::with_maker(maker(), lang, code)
    }

    fn with_maker(maker: &str, lang: &str, code: &str) -> Key {
        let mut h = Xxh3::new();
        // Lengths first, so that no two different (maker, lang, code) run together the same.
        for part in [maker, lang, code] {
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        Key(h.digest128())
    }
}

/// Markup made in this run, or a slice of the file loaded: not copied out of it, since a large
/// blog's file is tens of megabytes.
struct Entry {
    bytes: Arc<Vec<u8>>,
    range: Range<usize>,
    /// Asked for since the last save: what the next save keeps.
    used: AtomicBool,
}

/// A set of highlighted blocks and the file they persist in.
#[derive(Default)]
pub struct Store {
    blocks: RwLock<HashMap<Key, Entry>>,
    /// Blocks were added since the last load or save.
    added: AtomicBool,
    /// The cache folder last loaded, so that a second build in the same process (serve) does
    /// not read the file again.
    loaded: Mutex<Option<PathBuf>>,
}

impl Entry {
    /// The markup. Its bytes were checked to be UTF-8 when the file was read, so None (then
    /// the block is highlighted again) would be a bug.
    fn html(&self) -> Option<&str> {
        simdutf8::basic::from_utf8(self.bytes.get(self.range.clone())?).ok()
    }
}

impl Store {
    pub fn get(&self, key: Key) -> Option<String> {
        let blocks = self.blocks.read().unwrap_or_else(|e| e.into_inner());
        let entry = blocks.get(&key)?;
        entry.used.store(true, Ordering::Relaxed);
        Some(entry.html()?.to_string())
    }

    pub fn put(&self, key: Key, html: &str) {
        let mut blocks = self.blocks.write().unwrap_or_else(|e| e.into_inner());
        blocks.insert(
            key,
            Entry {
                range: 0..html.len(),
                bytes: Arc::new(html.as_bytes().to_vec()),
                used: AtomicBool::new(true),
            },
        );
        self.added.store(true, Ordering::Relaxed);
    }

    /// Add the blocks kept in `dir`, once per folder and process. A missing file is an empty
    /// cache; so is one that cannot be read or is not this boke's.
    pub fn load(&self, dir: &Path) {
        let mut loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        if loaded.as_deref() == Some(dir) {
            return;
        }
        *loaded = Some(dir.to_path_buf());
        let Ok(bytes) = std::fs::read(dir.join(FILE)) else {
            return;
        };
        let Some(read) = decode(&bytes, maker()) else {
            return;
        };
        let bytes = Arc::new(bytes);
        let mut blocks = self.blocks.write().unwrap_or_else(|e| e.into_inner());
        for (key, range) in read {
            blocks.entry(key).or_insert(Entry {
                bytes: bytes.clone(),
                range,
                used: AtomicBool::new(false),
            });
        }
    }

    /// Keep the blocks asked for since the last save in `dir`; with `prune`, forget the others
    /// (they belong to code that was edited or removed), so the cache does not grow without
    /// end. A build that rendered only some pages cannot tell, so it keeps them all. Writes
    /// nothing when that set is what the file already holds.
    pub fn save(&self, dir: &Path, prune: bool) -> io::Result<()> {
        let mut blocks = self.blocks.write().unwrap_or_else(|e| e.into_inner());
        let before = blocks.len();
        blocks.retain(|_, e| e.used.swap(false, Ordering::Relaxed) || !prune);
        let added = self.added.swap(false, Ordering::Relaxed);
        if !added && blocks.len() == before {
            return Ok(());
        }
        if blocks.is_empty() {
            return match std::fs::remove_file(dir.join(FILE)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            };
        }
        // Sorted so that the same blocks make the same file.
        let mut sorted: Vec<(&Key, &Entry)> = blocks.iter().collect();
        sorted.sort_unstable_by_key(|(k, _)| **k);
        std::fs::create_dir_all(dir)?;
        // Whole or not at all: a build stopped halfway leaves the old file. Streamed, not
        // made in memory first: the markup of a large blog is tens of megabytes.
        let tmp = tempfile::NamedTempFile::new_in(dir)?;
        let mut out = io::BufWriter::new(tmp);
        encode(
            &mut out,
            sorted.iter().filter_map(|(k, e)| Some((**k, e.html()?))),
            maker(),
        )?;
        let tmp = out.into_inner().map_err(|e| e.into_error())?;
        tmp.persist(dir.join(FILE)).map_err(|e| e.error)?;
        Ok(())
    }
}

/// The file: MAGIC, the maker's length (u32 LE) and text, then per block its key (u128 LE),
/// the markup's length (u32 LE) and the markup.
fn encode<'a>(
    out: &mut impl Write,
    blocks: impl Iterator<Item = (Key, &'a str)>,
    maker: &str,
) -> io::Result<()> {
    out.write_all(MAGIC)?;
    out.write_all(&(maker.len() as u32).to_le_bytes())?;
    out.write_all(maker.as_bytes())?;
    for (key, html) in blocks {
        out.write_all(&key.0.to_le_bytes())?;
        out.write_all(&(html.len() as u32).to_le_bytes())?;
        out.write_all(html.as_bytes())?;
    }
    Ok(())
}

/// Where the blocks of a file written by `maker` are in it, or None if it is damaged or
/// another maker's.
fn decode(bytes: &[u8], maker: &str) -> Option<Vec<(Key, Range<usize>)>> {
    fn take<'b>(bytes: &mut &'b [u8], n: usize) -> Option<&'b [u8]> {
        let (head, rest) = bytes.split_at_checked(n)?;
        *bytes = rest;
        Some(head)
    }
    fn len(bytes: &mut &[u8]) -> Option<usize> {
        Some(u32::from_le_bytes(take(bytes, 4)?.try_into().ok()?) as usize)
    }
    let mut rest = bytes;
    if take(&mut rest, MAGIC.len())? != MAGIC {
        return None;
    }
    let n = len(&mut rest)?;
    if take(&mut rest, n)? != maker.as_bytes() {
        return None;
    }
    let mut blocks = Vec::new();
    while !rest.is_empty() {
        let key = Key(u128::from_le_bytes(take(&mut rest, 16)?.try_into().ok()?));
        let n = len(&mut rest)?;
        let start = bytes.len() - rest.len();
        simdutf8::basic::from_utf8(take(&mut rest, n)?).ok()?;
        blocks.push((key, start..start + n));
    }
    Some(blocks)
}

/// The process's store, which [`super::highlight`] consults.
static STORE: LazyLock<Store> = LazyLock::new(Store::default);

pub fn get(key: Key) -> Option<String> {
    STORE.get(key)
}

pub fn put(key: Key, html: &str) {
    STORE.put(key, html)
}

/// Before a full build: add the blocks kept in the site's cache folder.
pub fn load(dir: &Path) {
    STORE.load(dir)
}

/// After a build: keep the blocks it used in the site's cache folder (see [`Store::save`]).
pub fn save(dir: &Path, prune: bool) -> io::Result<()> {
    STORE.save(dir, prune)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_tell_apart_languages_code_and_versions() {
        let k = Key::with_maker("boke 1", "c", "int x;");
        assert_eq!(k, Key::with_maker("boke 1", "c", "int x;"));
        assert_ne!(k, Key::with_maker("boke 2", "c", "int x;"));
        assert_ne!(k, Key::with_maker("boke 1", "cpp", "int x;"));
        assert_ne!(k, Key::with_maker("boke 1", "c", "int y;"));
        // Parts do not run into each other.
        assert_ne!(
            Key::with_maker("m", "ab", "c"),
            Key::with_maker("m", "a", "bc")
        );
    }

    #[test]
    fn the_file_round_trips_and_rejects_damage_and_other_versions() {
        let blocks = [(Key(1), "<span>a</span>"), (Key(2), "b\u{4e2d}")];
        let mut bytes = Vec::new();
        encode(&mut bytes, blocks.iter().copied(), "boke 1").unwrap();
        let read: Vec<(Key, &str)> = decode(&bytes, "boke 1")
            .unwrap()
            .into_iter()
            .map(|(k, r)| (k, std::str::from_utf8(&bytes[r]).unwrap()))
            .collect();
        assert_eq!(read, blocks);
        assert_eq!(decode(&bytes, "boke 2"), None);
        assert_eq!(decode(&bytes[..bytes.len() - 1], "boke 1"), None);
        assert_eq!(decode(b"not a cache", "boke 1"), None);
        let mut bad_utf8 = bytes.clone();
        *bad_utf8.last_mut().unwrap() = 0xff;
        assert_eq!(decode(&bad_utf8, "boke 1"), None);
    }

    #[test]
    fn a_save_keeps_what_was_used_and_a_load_brings_it_back() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::default();
        store.put(Key(1), "one");
        store.put(Key(2), "two");
        store.save(dir.path(), true).unwrap();

        let next = Store::default();
        next.load(dir.path());
        assert_eq!(next.get(Key(1)).as_deref(), Some("one"));
        // Key 2 was not asked for in this run: the next save drops it.
        next.save(dir.path(), true).unwrap();
        let last = Store::default();
        last.load(dir.path());
        assert_eq!(last.get(Key(1)).as_deref(), Some("one"));
        assert_eq!(last.get(Key(2)), None);

        // A damaged file is an empty cache, not an error.
        std::fs::write(dir.path().join(FILE), b"BOKEHL1\n\xff\xff").unwrap();
        let damaged = Store::default();
        damaged.load(dir.path());
        assert_eq!(damaged.get(Key(1)), None);
    }
}
