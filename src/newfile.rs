//! Creating a file that must not exist yet: what `boke new` and `boke init` do, since neither
//! may ever replace a file the user has.

use crate::error::{Error, Result};
use std::io::Write as _;
use std::path::Path;

/// Create `path` holding `bytes`. Returns false, writing nothing, when something is already
/// there. A write that fails removes the file it created, and only that one.
pub fn create(path: &Path, bytes: &[u8]) -> Result<bool> {
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => return Err(Error::io("create", path, e)),
    };
    if let Err(e) = file.write_all(bytes) {
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(Error::io("write", path, e));
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_existing_file_is_left_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        assert!(super::create(&path, b"first").unwrap());
        assert!(!super::create(&path, b"second").unwrap());
        assert_eq!(std::fs::read(&path).unwrap(), b"first");
        assert!(super::create(&dir.path().join("no/such/dir"), b"x").is_err());
    }
}
