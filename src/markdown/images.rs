//! Which images of a body are files of the site, and the names of a large picture's copies.

use super::*;

/// The widths of the smaller copies made of a large picture of a post's own; they and a WebP
/// version of each size are written beside it by the build ([`crate::images::write_copies`]).
pub const SMALLER_WIDTHS: [u32; 2] = [480, 960];

/// A PNG or JPEG wider than this gets smaller copies.
pub const LARGE_WIDTH: u32 = 1200;

/// How wide the page shows a picture: the whole width on a phone, at most the text's width.
pub(super) const SIZES: &str = "(max-width: 960px) 100vw, 960px";

/// Whether the picture at `path` (a URL or a file name), `width` pixels wide, gets copies.
pub fn has_smaller_copies(path: &str, width: u32) -> bool {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    width > LARGE_WIDTH && matches!(ext.as_deref(), Some("png" | "jpg" | "jpeg"))
}

/// The name of a copy of `path`: `fig.png` → `fig-480w.png`, `fig-480w.webp`, `fig.webp`.
pub fn copy_name(path: &str, width: Option<u32>, webp: bool) -> String {
    let (stem, ext) = path.rsplit_once('.').unwrap_or((path, ""));
    let ext = if webp { "webp" } else { ext };
    match width {
        Some(w) => format!("{stem}-{w}w.{ext}"),
        None => format!("{stem}.{ext}"),
    }
}

/// Every image of a body that should name a file of the site, as written (the post's own
/// files still relative, not yet `@/` links), with the byte offset where the image starts;
/// remote (`https:`, `//host`) and `data:` images are left out.
pub fn local_images(md: &str) -> Vec<(String, usize)> {
    // Runs over every post when the site is loaded, and most posts have no image.
    let bytes = md.as_bytes();
    if !memchr::memchr_iter(b'!', bytes).any(|i| bytes.get(i + 1) == Some(&b'[')) {
        return Vec::new();
    }
    Parser::new_ext(md, options())
        .into_offset_iter()
        .filter_map(|(e, range)| match e {
            Event::Start(Tag::Image { dest_url, .. }) if is_local(&dest_url) => {
                Some((dest_url.to_string(), range.start))
            }
            _ => None,
        })
        .collect()
}

/// A link that names no other host and is not inline data.
fn is_local(dest: &str) -> bool {
    let scheme = dest
        .find(':')
        .is_some_and(|i| !dest[..i].contains(['/', '?', '#']));
    !(dest.is_empty() || scheme || dest.starts_with("//"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_images_skip_remote_and_data() {
        let md = "![a](x.png) ![b](https://e.org/y.png) ![c](//e.org/z.png) ![d](data:image/png;base64,AA)\n\n![e](/img/f.png)";
        let found: Vec<String> = local_images(md).into_iter().map(|(d, _)| d).collect();
        assert_eq!(found, ["x.png", "/img/f.png"]);
        assert!(local_images("no pictures").is_empty());
    }
}
