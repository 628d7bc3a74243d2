//! What the last `boke build` wrote, kept in the site's `.boke/cache/` so that the next build
//! into the same output renders only the pages whose keys changed and hard-links the others
//! from the previous output into its staging directory.
//!
//! Nothing here is trusted lightly, since a stale page would be a wrong page: the manifest names
//! the output directory and the identity of the marker file the build wrote into it (its inode
//! and time: every build writes a new one, and the marker's text stays the same so that outputs
//! stay byte-identical), so a manifest of another output, or an output written since by another
//! build, is ignored; and
//! each file's size and modification time (so a file changed by hand is rendered again). The
//! file is safe to delete; the cost is a full build.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The manifest's file inside the cache folder.
pub const FILE: &str = "output.manifest";
const MAGIC: &str = "BOKEMF1";

/// One written file as the manifest keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub key: u64,
    pub size: u64,
    /// Modification time in nanoseconds since the epoch.
    pub mtime: u128,
}

impl Entry {
    /// The entry for the file at `path` as it is now, with `key`.
    pub fn of(path: &Path, key: u64) -> Option<Entry> {
        let meta = std::fs::symlink_metadata(path).ok()?;
        let mtime = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_nanos();
        meta.is_file().then_some(Entry {
            key,
            size: meta.len(),
            mtime,
        })
    }
}

/// The previous build's output, when it can be trusted.
#[derive(Debug, Default)]
pub struct Previous {
    output: PathBuf,
    files: HashMap<String, Entry>,
}

impl Previous {
    /// The manifest in `cache` if it describes `output` as it is: the same directory, and the
    /// same marker file in it.
    pub fn load(cache: &Path, output: &Path) -> Option<Previous> {
        let text = std::fs::read_to_string(cache.join(FILE)).ok()?;
        let (id, dir, files) = parse(&text)?;
        if Path::new(dir) != output || build_id(output).as_deref() != Some(id) {
            return None;
        }
        Some(Previous {
            output: output.to_path_buf(),
            files,
        })
    }

    /// Put the previous build's `file` at `to` if its key is `key` and it is as that build
    /// left it; false if it must be made again.
    pub fn reuse(&self, file: &str, key: u64, to: &Path) -> bool {
        let Some(kept) = self.files.get(file).filter(|e| e.key == key) else {
            return false;
        };
        let from = self.output.join(file);
        if Entry::of(&from, key) != Some(*kept) {
            return false;
        }
        if let Some(parent) = to.parent()
            && std::fs::create_dir_all(parent).is_err()
        {
            return false;
        }
        // A copy keeps the time of the original, or the next build would not trust it.
        std::fs::hard_link(&from, to).is_ok()
            || (std::fs::copy(&from, to).is_ok()
                && std::fs::File::options()
                    .write(true)
                    .open(to)
                    .and_then(|f| f.set_modified(std::fs::metadata(&from)?.modified()?))
                    .is_ok())
    }
}

/// The identity of the build that wrote `output`: its marker file's inode and time.
pub fn build_id(output: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let marker = output.join(super::output::MARKER);
    let meta = std::fs::symlink_metadata(marker).ok()?;
    Some(format!(
        "{}:{} {}.{}",
        meta.dev(),
        meta.ino(),
        meta.mtime(),
        meta.mtime_nsec()
    ))
}

fn parse(text: &str) -> Option<(&str, &str, HashMap<String, Entry>)> {
    let mut lines = text.lines();
    (lines.next()? == MAGIC).then_some(())?;
    let id = lines.next()?;
    let dir = lines.next()?;
    let mut files = HashMap::new();
    for line in lines {
        let mut parts = line.splitn(4, ' ');
        let key = u64::from_str_radix(parts.next()?, 16).ok()?;
        let size = parts.next()?.parse().ok()?;
        let mtime = parts.next()?.parse().ok()?;
        files.insert(parts.next()?.to_string(), Entry { key, size, mtime });
    }
    Some((id, dir, files))
}

/// Keep what a build wrote into `output` (`id` from [`build_id`]). Written beside and renamed
/// into place, so a killed build leaves the old manifest or the new one.
pub fn save(
    cache: &Path,
    id: &str,
    output: &Path,
    files: &[(String, Entry)],
) -> std::io::Result<()> {
    let mut text = Vec::with_capacity(64 * files.len() + 256);
    writeln!(text, "{MAGIC}\n{id}\n{}", output.display())?;
    for (file, e) in files {
        writeln!(text, "{:016x} {} {} {file}", e.key, e.size, e.mtime)?;
    }
    std::fs::create_dir_all(cache)?;
    let tmp = cache.join(format!("{FILE}.tmp-{}", std::process::id()));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, cache.join(FILE))
}

/// Forget the manifest (before a build that will not keep one replaces the output it names).
pub fn remove(cache: &Path) {
    let _ = std::fs::remove_file(cache.join(FILE));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_other_outputs_and_changed_files() {
        let t = tempfile::tempdir().unwrap();
        let (cache, out) = (t.path().join("cache"), t.path().join("out"));
        std::fs::create_dir_all(out.join("a")).unwrap();
        std::fs::write(out.join("a/index.html"), "page").unwrap();
        let marker = out.join(super::super::output::MARKER);
        std::fs::write(&marker, "x").unwrap();
        let entry = Entry::of(&out.join("a/index.html"), 42).unwrap();
        let id = build_id(&out).unwrap();
        save(&cache, &id, &out, &[("a/index.html".into(), entry)]).unwrap();

        let prev = Previous::load(&cache, &out).expect("its own output");
        let to = t.path().join("staging/a/index.html");
        assert!(!prev.reuse("a/index.html", 41, &to), "another key");
        assert!(!prev.reuse("b/index.html", 42, &to), "an unknown file");
        assert!(prev.reuse("a/index.html", 42, &to));
        assert_eq!(std::fs::read(&to).unwrap(), b"page");

        assert!(Previous::load(&cache, &t.path().join("other")).is_none());
        std::fs::write(out.join("a/index.html"), "edited by hand").unwrap();
        let prev = Previous::load(&cache, &out).unwrap();
        assert!(!prev.reuse("a/index.html", 42, &t.path().join("s2/a/index.html")));
        // Another build's marker (a new file, as every build writes), a clock tick later.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::remove_file(&marker).unwrap();
        std::fs::write(&marker, "x").unwrap();
        assert!(
            Previous::load(&cache, &out).is_none(),
            "another build's output"
        );
    }
}
