//! What the last `boke build` wrote, kept in the site's `.boke/cache/` so that the next build
//! into the same output renders only the pages whose keys changed and hard-links the others
//! from the previous output into its staging directory.
//!
//! Nothing here is trusted lightly, since a stale page would be a wrong page: the manifest names
//! the output directory and the identity of the marker file the build wrote into it (its inode
//! and time: every build writes a new one, and the marker's text stays the same so that outputs
//! stay byte-identical), so a manifest of another output, or an output written since by another
//! build, is ignored; and each file's size and modification time (so a file changed by hand is
//! rendered again). The time is asked of the file just written, while it is open. The file is
//! safe to delete; the cost is a full build.

use super::output::Staging;
use rustix::fs::{AtFlags, FileType, Mode, OFlags};
use std::collections::HashMap;
use std::io::Write;
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The manifest's file inside the cache folder.
pub const FILE: &str = "output.manifest";
const MAGIC: &str = "BOKEMF3";

/// One written file as the manifest keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub key: u64,
    pub size: u64,
    pub mtime: SystemTime,
}

/// The previous build's output, when it can be trusted.
#[derive(Debug)]
pub struct Previous {
    output: PathBuf,
    /// `output`, open: its files are asked and linked relative to it, as pages are written
    /// ([`super::output::Staging`]), not by their whole path from `/`.
    dir: OwnedFd,
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
        let dir = rustix::fs::open(
            output,
            OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .ok()?;
        Some(Previous {
            output: output.to_path_buf(),
            dir,
            files,
        })
    }

    /// The previous build's entry for `file` if its key is `key` and the file is as that build
    /// left it.
    pub fn unchanged(&self, file: &str, key: u64) -> Option<Entry> {
        let kept = self.files.get(file).filter(|e| e.key == key)?;
        let meta = rustix::fs::statat(&self.dir, file, AtFlags::SYMLINK_NOFOLLOW).ok()?;
        let mtime = SystemTime::UNIX_EPOCH.checked_add(std::time::Duration::new(
            u64::try_from(meta.st_mtime).ok()?,
            u32::try_from(meta.st_mtime_nsec).ok()?,
        ))?;
        let is_file = FileType::from_raw_mode(meta.st_mode) == FileType::RegularFile;
        (is_file && meta.st_size as u64 == kept.size && mtime == kept.mtime).then_some(*kept)
    }

    /// Put the previous build's `file` in `staging` if its key is `key` and it is as that
    /// build left it; its entry, or None if it must be made again.
    pub fn reuse(&self, file: &str, key: u64, staging: &Staging) -> Option<Entry> {
        let kept = self.unchanged(file, key)?;
        if staging.link(&self.dir, file).is_ok() {
            return Some(kept);
        }
        // Another file system (no hard links): a copy, which keeps the time of the original so
        // that the next build trusts it too.
        let (from, to) = (self.output.join(file), staging.dir().join(file));
        let copied = std::fs::copy(&from, &to).is_ok()
            && std::fs::File::options()
                .write(true)
                .open(&to)
                .and_then(|f| f.set_modified(std::fs::metadata(&from)?.modified()?))
                .is_ok();
        copied.then_some(kept)
    }
}

/// The identity of the build that wrote `output`: its marker file's inode and time.
pub fn build_id(output: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::symlink_metadata(output.join(super::output::MARKER)).ok()?;
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
        let nanos: u64 = parts.next()?.parse().ok()?;
        let mtime = std::time::UNIX_EPOCH + std::time::Duration::from_nanos(nanos);
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
        let nanos = e
            .mtime
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        writeln!(
            text,
            "{:016x} {} {} {file}",
            e.key,
            e.size,
            nanos.as_nanos()
        )?;
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
        let mtime = std::fs::metadata(out.join("a/index.html"))
            .unwrap()
            .modified()
            .unwrap();
        let entry = Entry {
            key: 42,
            size: 4,
            mtime,
        };
        let id = build_id(&out).unwrap();
        save(&cache, &id, &out, &[("a/index.html".into(), entry)]).unwrap();

        let prev = Previous::load(&cache, &out).expect("its own output");
        let staging = Staging::begin(&t.path().join("site"), &t.path().join("next")).unwrap();
        let reuse = |file: &str, key: u64| prev.reuse(file, key, &staging);
        assert!(reuse("a/index.html", 41).is_none(), "another key");
        assert!(reuse("b/index.html", 42).is_none(), "an unknown file");
        assert!(!staging.dir().join("a").exists());
        assert_eq!(reuse("a/index.html", 42), Some(entry));
        assert_eq!(
            std::fs::read(staging.dir().join("a/index.html")).unwrap(),
            b"page"
        );

        assert!(Previous::load(&cache, &t.path().join("other")).is_none());
        // Edited by hand after the build, the same size, a clock tick later.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(out.join("a/index.html"), "PAGE").unwrap();
        let prev = Previous::load(&cache, &out).unwrap();
        assert!(prev.unchanged("a/index.html", 42).is_none());
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
