//! The images posts show: each must name a file of the site (a file of the post's own folder,
//! or one below `static/` by its path from the root), and its size is read from the file's
//! header so the page can reserve room for it before it loads.

use crate::error::Diagnostic;
use crate::layout::SiteDir;
use crate::markdown::{INTERNAL, Size};
use crate::site::Site;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex};

/// The site root the sizes are read below, and the sizes read so far this build: a post
/// page and the feeds show the same image, and most posts share none.
#[derive(Default)]
struct Cache {
    root: Option<PathBuf>,
    sizes: HashMap<PathBuf, Option<Size>>,
}

static CACHE: LazyLock<Mutex<Cache>> = LazyLock::new(Mutex::default);

fn cache() -> std::sync::MutexGuard<'static, Cache> {
    CACHE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Read images below `dir` from now on, forgetting the sizes read before (the files may have
/// changed since the last build).
pub fn use_site(dir: &SiteDir) {
    let mut c = cache();
    c.root = Some(dir.root().to_path_buf());
    c.sizes.clear();
}

/// The size of the file an image names, as the Markdown adapter asks for it: `posts/x/fig.png`
/// (an `@/` path below content/) or `/img/a.png` (below static/). None if it is no file or
/// not an image whose header can be read.
pub fn size(dest: &str) -> Option<Size> {
    let rel = file_of(dest)?;
    let root = {
        let c = cache();
        if let Some(s) = c.sizes.get(&rel) {
            return *s;
        }
        c.root.clone()?
    };
    let s = read_size(&root.join(&rel));
    cache().sizes.insert(rel, s);
    s
}

/// The file, relative to the site root, that an image's destination names.
fn file_of(dest: &str) -> Option<PathBuf> {
    let path = dest.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let (dir, rest) = match decoded.strip_prefix('/') {
        Some(rest) => (crate::layout::rel_static_dir(), rest),
        None => (crate::layout::rel_content_dir(), decoded.as_ref()),
    };
    let mut out = dir.to_path_buf();
    for seg in rest.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s => out.push(s),
        }
    }
    Some(out)
}

/// Width and height as shown: a JPEG whose EXIF orientation turns it a quarter turn (5–8)
/// is shown with its sides swapped.
fn read_size(path: &Path) -> Option<Size> {
    let s = imagesize::size(path).ok()?;
    let (w, h) = (u32::try_from(s.width).ok()?, u32::try_from(s.height).ok()?);
    if matches!(orientation(path), Some(5..=8)) {
        Some((h, w))
    } else {
        Some((w, h))
    }
}

fn orientation(path: &Path) -> Option<u32> {
    let file = std::fs::File::open(path).ok()?;
    let exif = exif::Reader::new()
        .read_from_container(&mut std::io::BufReader::new(file))
        .ok()?;
    exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY)?
        .value
        .get_uint(0)
}

/// Every image of the site's posts and pages that names no file, at its file and line. `@/`
/// images are checked with the other `@/` links; remote ones are the reader's browser's
/// business.
pub fn missing(dir: &SiteDir, site: &Site) -> Vec<Diagnostic> {
    site.posts
        .par_iter()
        .chain(site.pages.par_iter())
        .flat_map_iter(|p| {
            crate::markdown::local_images(&p.body)
                .into_iter()
                .filter_map(|(dest, offset)| {
                    if dest.starts_with(INTERNAL) {
                        return None;
                    }
                    let found = if dest.starts_with('/') {
                        file_of(&dest).is_some_and(|f| dir.root().join(f).is_file())
                    } else {
                        p.assets.as_ref().and_then(|a| a.internal(&dest)).is_some()
                    };
                    if found {
                        return None;
                    }
                    let line = p.body_line + p.body[..offset].matches('\n').count();
                    let (message, help) = if dest.starts_with('/') {
                        (
                            format!("the image {dest} names no file: there is no {}", file_of(&dest).map(|f| f.display().to_string()).unwrap_or_else(|| dest.clone())),
                            "put the file below static/ (`/img/a.png` is static/img/a.png), or fix the path",
                        )
                    } else {
                        (
                            format!("the image {dest} names no file of the post's own folder ({})", crate::assets::folder_of(&p.source).display()),
                            "put the file in the folder beside the post named like it (content/posts/x.md → content/posts/x/), or fix the name",
                        )
                    };
                    Some(Diagnostic::new(&p.source, message, help).at(line, None))
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_of_images() {
        assert_eq!(
            file_of("/img/a%20b.png?v=1"),
            Some(PathBuf::from("static/img/a b.png"))
        );
        assert_eq!(
            file_of("posts/x/fig.png#top"),
            Some(PathBuf::from("content/posts/x/fig.png"))
        );
        assert_eq!(file_of("/../secret.png"), None);
    }
}
