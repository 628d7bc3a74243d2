//! A post's own files (Hexo's `post_asset_folder`, Hugo's page bundles, Zola's colocated
//! assets): the folder beside `content/posts/x.md` named `x/` is published in the post page's
//! folder, and the post's links to those files are pointed there.
//!
//! A link names such a file relative to the post (`x/fig1.png`, which previews in editors) or
//! by its bare name (`fig1.png`, Hexo's habit). Either is turned into an `@/` link to the file
//! (`@/posts/x/fig1.png`) while the post is read, so the body, its excerpt and `@/` links
//! written by hand all resolve the same way, once the site knows where the post's page is.

use crate::error::{Diagnostic, Error, Result};
use crate::route::Route;
use std::path::{Path, PathBuf};

/// The files of one post's asset folder.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Assets {
    /// The folder below content/, `/`-separated: `posts/2014-11-19-slab`.
    pub dir: String,
    /// The files below it, `/`-separated, sorted. Every segment is one safe path segment.
    pub files: Vec<String>,
    /// The files' sizes and modification times, hashed: a page shows what it reads of them
    /// (an image's width and height), so a changed file must change the post's fingerprint.
    pub stamp: u64,
}

/// The asset folder of a post: `content/posts/x.md` → `content/posts/x`.
pub fn folder_of(post: &Path) -> PathBuf {
    post.with_extension("")
}

impl Assets {
    /// The path below content/ (for an `@/` link) of the asset a link in the post's Markdown
    /// names, keeping its `#fragment`; None if the link is not to one of the post's files.
    pub fn internal(&self, dest: &str) -> Option<String> {
        if self.files.is_empty() || !is_relative(dest) {
            return None;
        }
        let (path, fragment) = match dest.find('#') {
            Some(i) => (&dest[..i], &dest[i..]),
            None => (dest, ""),
        };
        let path = path.split('?').next().unwrap_or("");
        let decoded = percent_encoding::percent_decode_str(path)
            .decode_utf8()
            .ok()?;
        let mut name: &str = &decoded;
        while let Some(rest) = name.strip_prefix("./") {
            name = rest;
        }
        let stem = self.dir.rsplit('/').next().unwrap_or(&self.dir);
        let below = name
            .strip_prefix(stem)
            .and_then(|r| r.strip_prefix('/'))
            .filter(|r| self.has(r));
        let file = below.or_else(|| self.has(name).then_some(name))?;
        Some(format!("{}/{file}{fragment}", self.dir))
    }

    fn has(&self, name: &str) -> bool {
        self.files
            .binary_search_by(|f| f.as_str().cmp(name))
            .is_ok()
    }
}

/// A link that a browser would resolve against the page: no scheme, not from the root, not a
/// fragment or query of the page itself, not an `@/` link.
fn is_relative(dest: &str) -> bool {
    let scheme = dest
        .find(':')
        .is_some_and(|i| !dest[..i].contains(['/', '?', '#']));
    !(dest.is_empty()
        || scheme
        || dest.starts_with(['/', '#', '?', '\\'])
        || dest.starts_with(crate::markdown::INTERNAL))
}

/// Why a file name in an asset folder cannot be published as it is, if it cannot.
fn bad_segment(seg: &str) -> Option<&'static str> {
    if seg.is_empty() || seg == "." || seg == ".." {
        Some("is not a file name")
    } else if seg.contains(['/', '\\']) {
        Some("contains a path separator")
    } else if seg.chars().any(char::is_control) {
        Some("contains a control character")
    } else if seg.len() > 255 {
        Some("is longer than 255 bytes")
    } else {
        None
    }
}

/// List a post's asset folder, if it has one. `post` is relative to `root`. Hidden files
/// (`.DS_Store`) stay behind; a link out of the site, a name that is not UTF-8 or not one
/// safe segment is an error naming the file.
pub fn list(root: &Path, post: &Path) -> Result<Option<Assets>, Vec<Diagnostic>> {
    let folder = folder_of(post);
    let abs = root.join(&folder);
    if !abs.is_dir() {
        return Ok(None);
    }
    let site = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut files = Vec::new();
    let mut stamp = Vec::new();
    let mut problems = Vec::new();
    let mut walk = walkdir::WalkDir::new(&abs)
        .follow_links(true)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walk.next() {
        let e = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map_or(folder.clone(), |p| rel(root, p));
                problems.push(Diagnostic::new(
                    path,
                    format!("cannot read this file of the post's asset folder: {e}"),
                    "check its permissions, or remove a broken or looping symbolic link",
                ));
                continue;
            }
        };
        let hidden = e.file_name().to_str().is_some_and(|n| n.starts_with('.'));
        if hidden {
            if e.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        if e.path_is_symlink() && !crate::content::inside(&site, e.path()) {
            problems.push(Diagnostic::new(
                rel(root, e.path()),
                "this symbolic link points outside the site",
                "copy the file into the site instead of linking to it, so nothing outside the site is published by accident",
            ));
            if e.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        if !e.file_type().is_file() {
            continue;
        }
        let below = e.path().strip_prefix(&abs).unwrap_or(e.path());
        let segs: Option<Vec<&str>> = below.iter().map(|s| s.to_str()).collect();
        let Some(segs) = segs else {
            problems.push(Diagnostic::new(
                rel(root, e.path()),
                "the file name is not UTF-8, so it cannot be named in a URL",
                "rename it, e.g. convmv -f GBK -t UTF-8 --notest FILE, or give it an ASCII name",
            ));
            continue;
        };
        if let Some(why) = segs.iter().find_map(|s| bad_segment(s)) {
            problems.push(Diagnostic::new(
                rel(root, e.path()),
                format!("this file name {why}, so it cannot be published"),
                "rename the file, and its links in the post",
            ));
            continue;
        }
        if let Ok(m) = e.metadata() {
            let mtime = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            stamp.push((segs.join("/"), m.len(), mtime));
        }
        files.push(segs.join("/"));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    files.sort();
    let dir = folder
        .strip_prefix(crate::layout::rel_content_dir())
        .unwrap_or(&folder)
        .iter()
        .map(|s| s.to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    stamp.sort();
    let stamp = xxhash_rust::xxh3::xxh3_64(format!("{stamp:?}").as_bytes());
    Ok(Some(Assets { dir, files, stamp }))
}

fn rel(root: &Path, p: &Path) -> PathBuf {
    p.strip_prefix(root).unwrap_or(p).to_path_buf()
}

/// One asset to publish: its source (relative to the site root) and its output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copy {
    pub from: PathBuf,
    pub to: String,
}

/// Where a post's asset lands: below its page's own folder ([`Route::own_folder`]).
pub fn route_of(page: &Route, file: &str) -> Route {
    page.own_folder().below(file)
}

/// Every asset of the site with its output file. An asset that would land on a page or on
/// another post's asset is an error at the post, naming both; `pages` are the output files of
/// the pages, gathered only if some post has a folder (most sites have none).
pub fn plan<'p>(
    site: &crate::site::Site,
    pages: impl IntoIterator<Item = &'p str>,
) -> Result<Vec<Copy>> {
    let mut pages = Some(pages);
    let mut page_files: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut copies = Vec::new();
    let mut taken: std::collections::HashMap<String, &Path> = std::collections::HashMap::new();
    let mut problems = Vec::new();
    for (post, route) in site.placed() {
        let Some(assets) = &post.assets else { continue };
        for f in &assets.files {
            let to = route_of(route, f).file();
            let from = Path::new(crate::layout::rel_content_dir())
                .join(&assets.dir)
                .join(f);
            if let Some(pages) = pages.take() {
                page_files.extend(pages);
            }
            if page_files.contains(to.as_str()) {
                problems.push(Diagnostic::new(
                    &from,
                    format!("this file of the post's asset folder would be published as {to}, which is a page"),
                    "rename the file (and its links in the post)",
                ));
            } else if let Some(&other) = taken.get(&to) {
                problems.push(Diagnostic::new(
                    &from,
                    format!(
                        "this file would be published as {to}, as a file of {} is",
                        other.display()
                    ),
                    "rename one of the files, or give one of the posts another `slug:`",
                ));
            } else {
                taken.insert(to.clone(), &post.source);
                copies.push(Copy { from, to });
            }
        }
    }
    if problems.is_empty() {
        Ok(copies)
    } else {
        Err(Error::Invalid(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slab() -> Assets {
        Assets {
            dir: "posts/2014-11-19-slab".into(),
            files: vec![
                "a b.png".into(),
                "fig1.png".into(),
                "img/2.gif".into(),
                "内存.png".into(),
            ],
            stamp: 0,
        }
    }

    #[test]
    fn links_relative_to_the_post_or_bare_names() {
        let a = slab();
        let at = |d: &str| a.internal(d);
        assert_eq!(
            at("2014-11-19-slab/fig1.png").as_deref(),
            Some("posts/2014-11-19-slab/fig1.png")
        );
        assert_eq!(
            at("./2014-11-19-slab/fig1.png").as_deref(),
            Some("posts/2014-11-19-slab/fig1.png")
        );
        assert_eq!(
            at("fig1.png").as_deref(),
            Some("posts/2014-11-19-slab/fig1.png")
        );
        assert_eq!(
            at("img/2.gif#x").as_deref(),
            Some("posts/2014-11-19-slab/img/2.gif#x")
        );
        assert_eq!(
            at("a%20b.png").as_deref(),
            Some("posts/2014-11-19-slab/a b.png")
        );
        assert_eq!(
            at("%E5%86%85%E5%AD%98.png").as_deref(),
            Some("posts/2014-11-19-slab/内存.png")
        );
        assert_eq!(
            at("内存.png").as_deref(),
            Some("posts/2014-11-19-slab/内存.png")
        );
        for not_mine in [
            "missing.png",
            "/fig1.png",
            "http://e.org/fig1.png",
            "javascript:fig1.png",
            "#fig1.png",
            "@/posts/fig1.png",
            "../fig1.png",
            "other/fig1.png",
            "",
        ] {
            assert_eq!(at(not_mine), None, "{not_mine}");
        }
        assert_eq!(Assets::default().internal("fig1.png"), None);
    }

    #[test]
    fn names_must_be_one_safe_segment() {
        assert_eq!(bad_segment("fig 1.png"), None);
        assert_eq!(bad_segment("c++.txt"), None);
        assert!(bad_segment("..").is_some());
        assert!(bad_segment("a\u{7}b").is_some());
        assert!(bad_segment(&"x".repeat(256)).is_some());
    }

    #[test]
    fn assets_land_in_the_page_folder() {
        let folder = Route::from_path("/posts/slab/").unwrap();
        assert_eq!(route_of(&folder, "fig1.png").file(), "posts/slab/fig1.png");
        assert_eq!(
            route_of(&folder, "fig1.png").url("/blog/"),
            "/blog/posts/slab/fig1.png"
        );
        let file = Route::from_path("/uid-1-id-2.html").unwrap();
        assert_eq!(
            route_of(&file, "img/内存.png").file(),
            "uid-1-id-2/img/内存.png"
        );
        assert_eq!(route_of(&file, "a b.png").url("/"), "/uid-1-id-2/a%20b.png");
    }

    #[test]
    fn the_folder_sits_beside_the_post() {
        assert_eq!(
            folder_of(Path::new("content/posts/2014-11-19-slab.md")),
            Path::new("content/posts/2014-11-19-slab")
        );
    }
}
