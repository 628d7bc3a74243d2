//! The images posts show: each must name a file of the site (a file of the post's own folder,
//! or one below `static/` by its path from the root), and its size is read from the file's
//! header so the page can reserve room for it before it loads.

use crate::error::Diagnostic;
use crate::layout::SiteDir;
use crate::markdown::{INTERNAL, Size};
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

/// Every image of these posts and pages that names no file, at its file and line. `@/`
/// images are checked with the other `@/` links; remote ones are the reader's browser's
/// business.
pub fn missing<'a>(
    dir: &SiteDir,
    posts: impl IntoIterator<Item = &'a std::sync::Arc<crate::content::Post>>,
) -> Vec<Diagnostic> {
    let posts: Vec<&crate::content::Post> = posts.into_iter().map(|p| p.as_ref()).collect();
    posts
        .par_iter()
        .flat_map_iter(|p| {
            p.images
                .iter()
                .filter_map(|(dest, offset)| {
                    let (dest, offset) = (dest.as_str(), *offset);
                    if dest.starts_with(INTERNAL) {
                        return None;
                    }
                    let found = if dest.starts_with('/') {
                        file_of(dest).is_some_and(|f| dir.root().join(f).is_file())
                    } else {
                        p.assets.as_ref().and_then(|a| a.internal(dest)).is_some()
                    };
                    if found {
                        return None;
                    }
                    let line = p.body_line + p.body[..offset].matches('\n').count();
                    let (message, help) = if dest.starts_with('/') {
                        (
                            format!("the image {dest} names no file: there is no {}", file_of(dest).map(|f| f.display().to_string()).unwrap_or_else(|| dest.to_string())),
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

/// The cache of smaller copies below the build cache: `images/<hash of the file>-<width>.<ext>`.
pub const CACHE_DIR: &str = "images";

/// For a large PNG or JPEG of a post's own, `bytes` read from `from` and published as `to`
/// (a path below the output), write its smaller copies and WebP versions beside it through
/// `write` (see [`crate::markdown::copy_name`]). Each copy is kept in `cache` under the hash
/// of the file's bytes, so a rebuild reads it instead of resizing again. `own` says which of
/// the site's own files, if any, is published at a path: a copy is never written over one (the
/// build would keep whichever was written last). Returns the copies' paths.
pub fn write_copies(
    cache: &Path,
    from: &Path,
    bytes: &[u8],
    to: &str,
    own: &dyn Fn(&str) -> Option<PathBuf>,
    write: &dyn Fn(&str, &[u8]) -> crate::error::Result<()>,
) -> crate::error::Result<Vec<String>> {
    use crate::markdown::{SMALLER_WIDTHS, copy_name, has_smaller_copies};
    let Some((width, _)) = read_size(from) else {
        return Ok(Vec::new());
    };
    if !has_smaller_copies(to, width) {
        return Ok(Vec::new());
    }
    let sizes = SMALLER_WIDTHS.iter().map(|&w| Some(w)).chain([None]);
    // Every size in both formats, but the file itself (full size in its own format).
    let copies: Vec<(Option<u32>, bool, String)> = sizes
        .flat_map(|w| [(w, false), (w, true)])
        .filter(|&(w, webp)| w.is_some() || webp)
        .map(|(w, webp)| (w, webp, copy_name(to, w, webp)))
        .collect();
    let clashes: Vec<Diagnostic> = copies
        .iter()
        .filter_map(|(_, _, name)| {
            let mine = own(name)?;
            Some(Diagnostic::new(
                mine,
                format!(
                    "this file would be published as {name}, where boke puts a smaller copy of {}",
                    from.display()
                ),
                "rename the file (and its links in the post)",
            ))
        })
        .collect();
    if !clashes.is_empty() {
        return Err(crate::error::Error::Invalid(clashes));
    }
    let key = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes));
    let ext = to
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    let mut picture: Option<image::DynamicImage> = None;
    for &(w, webp, ref name) in &copies {
        let kind = if webp { "webp" } else { ext.as_str() };
        let cached = cache.join(format!(
            "{key}-{}.{kind}",
            w.map_or("full".to_string(), |w| w.to_string())
        ));
        if let Ok(done) = std::fs::read(&cached) {
            write(name, &done)?;
            continue;
        }
        if picture.is_none() {
            picture = Some(decode(bytes).map_err(|why| {
                Diagnostic::new(
                    from,
                    format!("cannot read the picture: {why}"),
                    "save it again as a PNG or JPEG, or make it at most 1200 pixels wide",
                )
            })?);
        }
        let full = picture.as_ref().expect("decoded above");
        let scaled = match w {
            Some(w) => {
                let h = (u64::from(full.height()) * u64::from(w) / u64::from(full.width().max(1)))
                    .max(1) as u32;
                full.resize_exact(w, h, image::imageops::FilterType::Triangle)
            }
            None => full.clone(),
        };
        let format = match kind {
            "webp" => image::ImageFormat::WebP,
            "png" => image::ImageFormat::Png,
            _ => image::ImageFormat::Jpeg,
        };
        // JPEG and lossless WebP have no alpha or need 8-bit colour: keep what they hold.
        let scaled = match format {
            image::ImageFormat::Jpeg => image::DynamicImage::ImageRgb8(scaled.to_rgb8()),
            _ => image::DynamicImage::ImageRgba8(scaled.to_rgba8()),
        };
        let mut out = std::io::Cursor::new(Vec::new());
        scaled.write_to(&mut out, format).map_err(|e| {
            Diagnostic::new(
                from,
                format!("cannot make a smaller copy: {e}"),
                "save the picture again as a PNG or JPEG",
            )
        })?;
        let out = out.into_inner();
        // The cache is only an aid: a copy that cannot be kept is made again next time.
        if std::fs::create_dir_all(cache).is_ok() {
            let tmp = cached.with_extension("tmp");
            if std::fs::write(&tmp, &out).is_ok() {
                let _ = std::fs::rename(&tmp, &cached);
            }
        }
        write(name, &out)?;
    }
    Ok(copies.into_iter().map(|(_, _, name)| name).collect())
}

/// A picture's pixels as it is shown: turned as its EXIF orientation says.
fn decode(bytes: &[u8]) -> Result<image::DynamicImage, image::ImageError> {
    use image::ImageDecoder;
    let mut decoder = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()?
        .into_decoder()?;
    let orientation = decoder.orientation()?;
    let mut picture = image::DynamicImage::from_decoder(decoder)?;
    picture.apply_orientation(orientation);
    Ok(picture)
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
