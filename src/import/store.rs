//! Writing an import's files into a site without ever overwriting what the user wrote.
//!
//! The manifest (`.boke/import/<source>/manifest.tsv`) records each file the import wrote,
//! with a hash of its bytes. On a later run a file is replaced only when it still has the
//! bytes the import wrote; a file the user changed, or one the import never wrote, is left as
//! it is and listed. Every file is written whole: a temporary file beside it, then a rename.

use crate::error::{Error, Result};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// What happened to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
    /// The import wrote it once, and someone has changed it since.
    KeptEdited,
    /// The file was there before and the import did not write it.
    KeptForeign,
}

impl Outcome {
    pub fn kept(self) -> bool {
        matches!(self, Outcome::KeptEdited | Outcome::KeptForeign)
    }
}

pub struct Store {
    root: PathBuf,
    manifest_path: PathBuf,
    /// Site-relative path (with `/`) → hex SHA-256 of what the import wrote there.
    manifest: BTreeMap<String, String>,
    unsaved: usize,
}

/// The SHA-256 of `bytes` in hex.
pub fn hash(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

impl Store {
    /// Open the store of a site; `work` is the importer's folder under `.boke/import/`.
    pub fn open(root: &Path, work: &Path) -> Result<Store> {
        let manifest_path = work.join("manifest.tsv");
        let manifest = match std::fs::read_to_string(&manifest_path) {
            Ok(text) => text
                .lines()
                .filter_map(|l| l.split_once('\t'))
                .map(|(h, p)| (p.to_string(), h.to_string()))
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => return Err(Error::io("read", &manifest_path, e)),
        };
        Ok(Store {
            root: root.to_path_buf(),
            manifest_path,
            manifest,
            unsaved: 0,
        })
    }

    /// Write `bytes` to `rel` (a site-relative path with `/`) unless the rule forbids it.
    pub fn write(&mut self, rel: &str, bytes: &[u8]) -> Result<Outcome> {
        let path = self.root.join(rel);
        let new_hash = hash(bytes);
        let outcome = match std::fs::read(&path) {
            Ok(old) => {
                let old_hash = hash(&old);
                match self.manifest.get(rel) {
                    Some(h) if *h == old_hash && old_hash == new_hash => Outcome::Unchanged,
                    Some(h) if *h == old_hash => Outcome::Updated,
                    Some(_) => return Ok(Outcome::KeptEdited),
                    // A run killed between writing a file and saving the manifest left
                    // exactly these bytes: they are the import's own.
                    None if old_hash == new_hash => Outcome::Unchanged,
                    None => return Ok(Outcome::KeptForeign),
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Outcome::Created,
            Err(e) => return Err(Error::io("read", &path, e)),
        };
        if outcome != Outcome::Unchanged {
            write_whole(&path, bytes).map_err(|e| Error::io("write", &path, e))?;
        }
        if self.manifest.get(rel) != Some(&new_hash) {
            self.manifest.insert(rel.to_string(), new_hash);
            self.unsaved += 1;
            // Saved now and then, so a killed run loses little of its record.
            if self.unsaved >= 64 {
                self.save()?;
            }
        }
        Ok(outcome)
    }

    /// Write the manifest (whole).
    pub fn save(&mut self) -> Result<()> {
        let mut text = String::new();
        for (p, h) in &self.manifest {
            text.push_str(h);
            text.push('\t');
            text.push_str(p);
            text.push('\n');
        }
        write_whole(&self.manifest_path, text.as_bytes())
            .map_err(|e| Error::io("write", &self.manifest_path, e))?;
        self.unsaved = 0;
        Ok(())
    }
}

/// Write a file whole: a temporary file in the same folder, flushed, then renamed over the
/// target, so a reader (or a crash) sees the old bytes or the new ones, never half.
pub fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_data()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edited_and_foreign_files_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let work = root.join(".boke/import/t");
        let mut s = Store::open(root, &work).unwrap();
        assert_eq!(s.write("a.md", b"one").unwrap(), Outcome::Created);
        assert_eq!(s.write("a.md", b"one").unwrap(), Outcome::Unchanged);
        assert_eq!(s.write("a.md", b"two").unwrap(), Outcome::Updated);
        std::fs::write(root.join("a.md"), b"mine").unwrap();
        assert_eq!(s.write("a.md", b"three").unwrap(), Outcome::KeptEdited);
        assert_eq!(std::fs::read(root.join("a.md")).unwrap(), b"mine");
        std::fs::write(root.join("b.md"), b"theirs").unwrap();
        assert_eq!(s.write("b.md", b"ours").unwrap(), Outcome::KeptForeign);
        assert_eq!(std::fs::read(root.join("b.md")).unwrap(), b"theirs");
        // The record survives a reopen.
        s.save().unwrap();
        let mut s = Store::open(root, &work).unwrap();
        assert_eq!(s.write("a.md", b"three").unwrap(), Outcome::KeptEdited);
        // Identical bytes left by a run that died before saving its manifest are adopted.
        std::fs::write(root.join("c.md"), b"same").unwrap();
        assert_eq!(s.write("c.md", b"same").unwrap(), Outcome::Unchanged);
        assert_eq!(s.write("c.md", b"newer").unwrap(), Outcome::Updated);
    }
}
