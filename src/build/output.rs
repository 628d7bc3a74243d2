//! Writing the built site. A build writes into a staging directory beside the output and swaps
//! it in only when everything succeeded, so a failed or killed build leaves the previous output
//! as it was. boke deletes only directories it wrote itself (they carry a marker file).

use crate::error::{Diagnostic, Error, Result};
use rustix::fs::{Mode, OFlags};
use rustix::io::Errno;
use std::collections::HashSet;
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};

/// The file that marks a directory as boke's output.
pub const MARKER: &str = ".boke-output";
const MARKER_TEXT: &str =
    "This directory is written by `boke build` and replaced by every build.\n";

/// Refuse output directories whose replacement would destroy something that is not boke's.
pub fn check_target(root: &Path, out: &Path) -> Result<()> {
    let refuse = |why: &str| -> Result<()> {
        Err(Diagnostic::new(
            out,
            format!("refusing to use this as the output directory: {why}"),
            "pass --output with a new or boke-built directory, e.g. --output public",
        )
        .into())
    };
    let abs = absolute(out);
    let root = absolute(root);
    if abs.parent().is_none() {
        return refuse("it is the file system root");
    }
    if std::env::var_os("HOME").is_some_and(|h| absolute(Path::new(&h)) == abs) {
        return refuse("it is your home directory");
    }
    if root.starts_with(&abs) {
        return refuse("it contains the site itself");
    }
    if crate::layout::SiteDir::looks_like_site(&abs) {
        return refuse("it looks like a site (it has content/ or site.yaml)");
    }
    match std::fs::read_dir(&abs) {
        Ok(mut entries) => {
            if entries.next().is_some() && !abs.join(MARKER).is_file() {
                return refuse(&format!(
                    "it is not empty and was not written by boke (no {MARKER} file in it)"
                ));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => return refuse("it is a file"),
        Err(e) => return Err(Error::io("read", &abs, e)),
    }
    Ok(())
}

/// Make a path absolute and clean of `.`/`..` without requiring it to exist.
fn absolute(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut clean = PathBuf::new();
    for c in joined.components() {
        match c {
            std::path::Component::ParentDir => {
                clean.pop();
            }
            std::path::Component::CurDir => {}
            other => clean.push(other),
        }
    }
    // The parent may exist under another name (a symlink); resolve what exists.
    match (
        clean.parent().and_then(|d| d.canonicalize().ok()),
        clean.file_name(),
    ) {
        (Some(dir), Some(name)) => dir.join(name),
        _ => clean,
    }
}

/// A build's output in progress.
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    /// `dir`, open: pages are made relative to it, so the system walks only their own path
    /// (two or three names) rather than the whole one from `/` twice per page.
    root: OwnedFd,
    committed: bool,
}

impl Staging {
    /// Check the target and create an empty staging directory next to it.
    pub fn begin(root: &Path, target: &Path) -> Result<Staging> {
        check_target(root, target)?;
        let target = absolute(target);
        let parent = target.parent().unwrap_or(Path::new("/")).to_path_buf();
        std::fs::create_dir_all(&parent).map_err(|e| Error::io("create", &parent, e))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let dir = parent.join(format!(".{name}.boke-staging-{}", std::process::id()));
        sweep_stale(&parent, &name);
        std::fs::create_dir(&dir).map_err(|e| Error::io("create", &dir, e))?;
        let root = rustix::fs::open(
            &dir,
            OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(|e| Error::io("open", &dir, e.into()))?;
        Ok(Staging {
            target,
            dir,
            root,
            committed: false,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The output directory this build will replace.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Write one file (path relative to the output, `/`-separated).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.write_page(rel, bytes).map(drop)
    }

    /// As [`Staging::write`], returning the file's modification time as the system keeps it,
    /// asked of the open file (for the manifest: a path lookup per page cost more).
    pub fn write_page(&self, rel: &str, bytes: &[u8]) -> Result<std::time::SystemTime> {
        use std::io::Write;
        if let Some((parent, _)) = rel.rsplit_once('/') {
            make_dirs(&self.root, parent)
                .map_err(|e| Error::io("create", &self.dir.join(parent), e))?;
        }
        let written = rustix::fs::openat(
            &self.root,
            rel,
            OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC,
            Mode::from_raw_mode(0o666),
        )
        .map_err(std::io::Error::from)
        .and_then(|fd| {
            let mut file = std::fs::File::from(fd);
            file.write_all(bytes)?;
            file.metadata()?.modified()
        });
        written.map_err(|e| Error::io("write", &self.dir.join(rel), e))
    }

    /// Hard-link `rel` of another output (`from`, open) to the same place in this one.
    pub fn link(&self, from: &OwnedFd, rel: &str) -> std::io::Result<()> {
        if let Some((parent, _)) = rel.rsplit_once('/') {
            make_dirs(&self.root, parent)?;
        }
        rustix::fs::linkat(from, rel, &self.root, rel, rustix::fs::AtFlags::empty())
            .map_err(Into::into)
    }

    /// Copy a site's static files. A static file at the path of a generated page is an error
    /// naming both, because one would silently hide the other.
    pub fn copy_static(
        &self,
        root: &Path,
        src: &Path,
        generated: &HashSet<String>,
    ) -> Result<usize> {
        if !src.is_dir() {
            return Ok(0);
        }
        let site = root
            .canonicalize()
            .map_err(|e| Error::io("open", root, e))?;
        let mut n = 0;
        let mut clashes = Vec::new();
        for entry in walkdir::WalkDir::new(src)
            .follow_links(true)
            .sort_by_file_name()
        {
            let entry = entry.map_err(|e| {
                Diagnostic::new(
                    e.path().unwrap_or(src),
                    format!("cannot read static file: {e}"),
                    "check its permissions, or remove a symbolic link loop",
                )
            })?;
            if !entry.file_type().is_file() {
                continue;
            }
            if entry.path_is_symlink() && !crate::content::inside(&site, entry.path()) {
                clashes.push(outside_link(entry.path()));
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(src)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            if generated.contains(&rel) {
                clashes.push(Diagnostic::new(
                    entry.path(),
                    format!("this static file would replace the generated page {rel}"),
                    "rename or move the static file",
                ));
                continue;
            }
            let to = self.dir.join(&rel);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
            }
            std::fs::copy(entry.path(), &to).map_err(|e| Error::io("copy", entry.path(), e))?;
            n += 1;
        }
        if clashes.is_empty() {
            Ok(n)
        } else {
            Err(Error::Invalid(clashes))
        }
    }

    /// Put the new output in place of the old one.
    pub fn commit(mut self) -> Result<PathBuf> {
        self.write(MARKER, MARKER_TEXT.as_bytes())?;
        let old = self.dir.with_file_name(format!(
            ".{}.boke-old-{}",
            self.target
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
        let had_old = self.target.exists();
        // Swap both directories in one step where the system can, so that a server reading
        // the output never finds it missing; otherwise move the old one aside first.
        let swapped = had_old
            && rustix::fs::renameat_with(
                rustix::fs::CWD,
                &self.dir,
                rustix::fs::CWD,
                &self.target,
                rustix::fs::RenameFlags::EXCHANGE,
            )
            .is_ok();
        if swapped {
            self.committed = true;
            remove_tree(&self.dir);
            return Ok(self.target.clone());
        }
        if had_old {
            std::fs::rename(&self.target, &old)
                .map_err(|e| Error::io("move aside", &self.target, e))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(Error::io("move into place", &self.target, e));
        }
        self.committed = true;
        if had_old {
            remove_tree(&old);
        }
        Ok(self.target.clone())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            remove_tree(&self.dir);
        }
    }
}

/// Remove a built site, its folders and their folders on every core: a 10,000-post site is
/// 11,000 folders, and removing the replaced output on one thread was a sixth of a warm build.
/// What cannot be removed stays, as `remove_dir_all`'s errors were ignored before: no page is
/// in it any more.
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    let entries = |d: &Path| -> Vec<(PathBuf, bool)> {
        std::fs::read_dir(d)
            .map(|r| {
                r.flatten()
                    .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir())))
                    .collect()
            })
            .unwrap_or_default()
    };
    // A link is removed, never followed (`file_type` does not follow it, nor does
    // `remove_dir_all`).
    let remove = |path: &Path, is_dir: bool| {
        let _ = if is_dir {
            std::fs::remove_dir_all(path)
        } else {
            std::fs::remove_file(path)
        };
    };
    entries(dir).par_iter().for_each(|(path, is_dir)| {
        if *is_dir {
            entries(path)
                .par_iter()
                .for_each(|(inner, is_dir)| remove(inner, *is_dir));
        }
        remove(path, *is_dir);
    });
    let _ = std::fs::remove_dir_all(dir);
}

fn outside_link(path: &Path) -> Diagnostic {
    Diagnostic::new(
        path,
        "this symbolic link points outside the site",
        "copy the file into the site instead of linking to it, so nothing outside the site is published by accident",
    )
}

/// Replace one page of a live output directory. The page is written beside its place and
/// renamed over it, so a reader gets the whole old page or the whole new one, never a part.
pub fn replace_file(out: &Path, rel: &str, bytes: &[u8]) -> Result<()> {
    let path = out.join(rel);
    let parent = path.parent().unwrap_or(out);
    std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = parent.join(format!(".{name}.boke-tmp"));
    std::fs::write(&tmp, bytes).map_err(|e| Error::io("write", &tmp, e))?;
    std::fs::rename(&tmp, &path).map_err(|e| Error::io("replace", &path, e))
}

/// Remove one page of a live output directory, and its folders if that leaves them empty.
pub fn remove_file(out: &Path, rel: &str) -> Result<()> {
    let path = out.join(rel);
    match std::fs::remove_file(&path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io("remove", &path, e)),
    }
    let mut dir = path.parent();
    while let Some(d) = dir.filter(|d| d.starts_with(out) && *d != out) {
        if std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
    Ok(())
}

/// `create_dir_all` below the open directory `root`: one call when the parent folder exists
/// (as for a post's own folder), one more for each that is missing.
fn make_dirs(root: &OwnedFd, rel: &str) -> std::io::Result<()> {
    let mkdir = || rustix::fs::mkdirat(root, rel, Mode::from_raw_mode(0o777));
    match mkdir() {
        Ok(()) | Err(Errno::EXIST) => Ok(()),
        Err(Errno::NOENT) => {
            if let Some((parent, _)) = rel.rsplit_once('/') {
                make_dirs(root, parent)?;
            }
            match mkdir() {
                Ok(()) | Err(Errno::EXIST) => Ok(()),
                Err(e) => Err(e.into()),
            }
        }
        Err(e) => Err(e.into()),
    }
}

/// Remove staging and old directories left by builds that were killed.
fn sweep_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        let ours = [
            format!(".{name}.boke-staging-"),
            format!(".{name}.boke-old-"),
        ]
        .iter()
        .any(|p| n.starts_with(p.as_str()));
        let pid = n.rsplit('-').next().and_then(|p| p.parse::<u32>().ok());
        let alive = pid
            .is_some_and(|p| p != std::process::id() && Path::new(&format!("/proc/{p}")).exists());
        if ours && !alive {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_it_did_not_write() {
        let t = tempfile::tempdir().unwrap();
        let site = t.path().join("site");
        std::fs::create_dir_all(site.join("content")).unwrap();
        assert!(check_target(&site, &site).is_err());
        assert!(check_target(&site, t.path()).is_err());
        assert!(check_target(&site, Path::new("/")).is_err());
        let other = t.path().join("docs");
        std::fs::create_dir(&other).unwrap();
        std::fs::write(other.join("thesis.txt"), "years of work").unwrap();
        let e = check_target(&site, &other).unwrap_err().to_string();
        assert!(e.contains("not written by boke"), "{e}");
        std::fs::write(other.join(MARKER), "").unwrap();
        assert!(check_target(&site, &other).is_ok());
        assert!(check_target(&site, &t.path().join("new")).is_ok());
    }

    #[test]
    fn a_removed_tree_is_gone_and_what_its_links_point_to_stays() {
        let t = tempfile::tempdir().unwrap();
        let kept = t.path().join("elsewhere");
        std::fs::create_dir(&kept).unwrap();
        std::fs::write(kept.join("notes.txt"), "mine").unwrap();
        let tree = t.path().join("old");
        for dir in ["posts/a/deep/er", "posts/b", "page/2"] {
            std::fs::create_dir_all(tree.join(dir)).unwrap();
        }
        for file in [
            "index.html",
            "posts/a/index.html",
            "posts/a/deep/er/x.png",
            "page/2/index.html",
        ] {
            std::fs::write(tree.join(file), file).unwrap();
        }
        std::os::unix::fs::symlink(&kept, tree.join("link")).unwrap();
        std::os::unix::fs::symlink(&kept, tree.join("posts/b/link")).unwrap();
        remove_tree(&tree);
        assert!(!tree.exists());
        assert_eq!(std::fs::read(kept.join("notes.txt")).unwrap(), b"mine");
    }

    #[test]
    fn commit_swaps_and_drop_discards() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("public");
        let s = Staging::begin(t.path().join("site").as_path(), &out).unwrap();
        s.write("a/index.html", b"one").unwrap();
        s.commit().unwrap();
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"one");
        let s = Staging::begin(t.path().join("site").as_path(), &out).unwrap();
        s.write("a/index.html", b"two").unwrap();
        drop(s);
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"one");
        let left: Vec<_> = std::fs::read_dir(t.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["public"]);
    }
}
