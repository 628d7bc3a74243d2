//! Posts: parsing one post from its bytes (pure), and finding and reading all of a site's posts
//! (the disk edge).

use crate::assets::Assets;
use crate::comment::Comment;
use crate::config::Config;
use crate::error::{Diagnostic, Error, Result};
use crate::frontmatter::{self, FrontMatter};
use crate::layout::{self, SiteDir};
use crate::markdown::{self, Excerpt};
use crate::slug::Slug;
use rayon::prelude::*;
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use xxhash_rust::xxh3::{Xxh3, xxh3_64_with_seed};

/// What a Markdown file of the content is: a post needs a `date`; a standalone page
/// (关于我, 友情链接, in `content/pages/`) does not, and is in no list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Post,
    Page,
}

impl Kind {
    fn dir(self, site: &SiteDir) -> PathBuf {
        match self {
            Kind::Post => site.posts_dir(),
            Kind::Page => site.pages_dir(),
        }
    }

    fn rel_dir(self) -> PathBuf {
        match self {
            Kind::Post => layout::rel_posts_dir(),
            Kind::Page => layout::rel_pages_dir(),
        }
    }
}

/// One post, ready for the site model. The body is kept as Markdown and rendered when its page
/// is written, so a build holds one copy of each post's text, not two.
#[derive(Debug, Clone)]
pub struct Post {
    /// Path relative to the site root, for messages and stable ordering.
    pub source: PathBuf,
    pub slug: Slug,
    pub meta: FrontMatter,
    pub body: String,
    /// File line where the Markdown body starts.
    pub body_line: usize,
    /// The body's `@/` links to other posts ([`markdown::internal_links`]), found once here:
    /// every rebuild checks them and fingerprints the pages that show them.
    pub links: Vec<(String, usize)>,
    /// The body's images that should name a file of the site ([`markdown::local_images`]),
    /// found here while the text is fresh in the cache, for [`crate::images::missing`].
    pub images: Vec<(String, usize)>,
    pub excerpt: Excerpt,
    /// The publish time as the site shows it (`date_format`) and in RFC 3339, made once here
    /// rather than on every page that lists the post.
    pub date_text: String,
    pub date_iso: String,
    /// A fingerprint of what the post was made from (its path, its file's bytes, its asset
    /// folder's file names and its comments file): the same in every run for the same inputs,
    /// so that a build can tell a changed post from one the previous build already rendered.
    pub version: u64,
    /// The files of its asset folder ([`crate::assets`]), if it has one.
    pub assets: Option<Assets>,
    /// Its comments ([`crate::comment`]), oldest first. The counts line still shows the front
    /// matter's `comments:`, which the old blog counted.
    pub comments: Vec<Comment>,
}

impl Post {
    /// Parse a post from the bytes of its file. `source` names the post and is part of its
    /// version.
    pub fn parse(source: &Path, bytes: &[u8], config: &Config) -> Result<Post, Vec<Diagnostic>> {
        Post::parse_with(source, bytes, config, None, Kind::Post)
    }

    /// As [`Post::parse`], for a post (or page) with an asset folder: links to its files are
    /// made `@/` links to them, in the excerpt too.
    pub fn parse_with(
        source: &Path,
        bytes: &[u8],
        config: &Config,
        assets: Option<Assets>,
        kind: Kind,
    ) -> Result<Post, Vec<Diagnostic>> {
        let text = decode(source, bytes).map_err(|d| vec![d])?;
        let split = frontmatter::split(source, &text).map_err(|d| vec![d])?;
        let meta = match kind {
            Kind::Post => frontmatter::parse(source, &split, config.offset()),
            Kind::Page => frontmatter::parse_page(source, &split, config.offset()),
        };
        let given = meta.as_ref().ok().and_then(|m| m.slug.as_deref());
        let slug = slug_for(source, given).map_err(|why| match given {
            Some(_) => {
                let line = crate::yaml_lines::top_level(split.yaml, "slug")
                    .map(|l| l - 1 + split.yaml_line);
                Diagnostic::new(
                    source,
                    format!("bad slug: {why}"),
                    "a slug is one URL segment: letters, digits, `-`, no `/`, `\\` or `..`",
                )
                .at_line(line)
            }
            None => Diagnostic::new(
                source,
                format!("the file name gives a bad slug: {why}"),
                "rename the file, or set `slug:` in its front matter",
            ),
        });
        let (mut meta, slug) = match (meta, slug) {
            (Ok(m), Ok(s)) => (m, s),
            (Err(mut errs), Err(d)) => {
                errs.push(d);
                return Err(errs);
            }
            (Err(errs), _) => return Err(errs),
            (_, Err(d)) => return Err(vec![d]),
        };
        // Shown, grouped into years and compared in the site's time zone.
        meta.date = meta.date.with_timezone(&config.offset());
        meta.updated = meta.updated.map(|u| u.with_timezone(&config.offset()));
        let blocks: Vec<Diagnostic> = markdown::check_blocks(split.body)
            .into_iter()
            .map(|b| {
                let line = split.body_line + split.body[..b.offset].matches('\n').count();
                Diagnostic::new(source, b.message, b.help).at(line, None)
            })
            .collect();
        if !blocks.is_empty() {
            return Err(blocks);
        }
        let excerpt = markdown::excerpt_in(
            split.body,
            meta.summary.as_deref(),
            config.excerpt_length,
            &|dest| assets.as_ref()?.internal(dest),
        );
        let date_text = config.show_date(&meta.date);
        let date_iso = meta.date.to_rfc3339();
        Ok(Post {
            source: source.to_path_buf(),
            slug,
            body: split.body.to_string(),
            body_line: split.body_line,
            links: markdown::internal_links(split.body),
            images: markdown::local_images(split.body),
            excerpt,
            meta,
            date_text,
            date_iso,
            version: fingerprint(source, bytes, assets.as_ref()),
            assets,
            comments: Vec::new(),
        })
    }

    /// The body rendered to HTML, with its table of contents and word count.
    /// `links` resolves `@/` links to other posts (paths below content/).
    pub fn render_body(
        &self,
        style: markdown::Style,
        links: &dyn Fn(&str) -> Option<String>,
    ) -> markdown::Rendered {
        markdown::render_in(
            &self.body,
            style,
            links,
            &|dest| self.assets.as_ref()?.internal(dest),
            &crate::images::size,
        )
    }

    /// The title, or for a post without one (as on the mirrored blog) the start of its
    /// excerpt: what lists, links, feeds and the search index call it.
    pub fn display_title(&self) -> Cow<'_, str> {
        match &self.meta.title {
            Some(t) => Cow::Borrowed(t),
            None => Cow::Owned(crate::text::prefix(&self.excerpt.text, 40).to_string()),
        }
    }

    pub fn year(&self) -> i32 {
        chrono::Datelike::year(&self.meta.date)
    }

    pub fn month(&self) -> u32 {
        chrono::Datelike::month(&self.meta.date)
    }
}

/// The slug a post is built under: its front matter's `slug:` if given, else its file name
/// without the extension and date prefix. The one rule, for building and for `boke new`.
pub fn slug_for(source: &Path, given: Option<&str>) -> Result<Slug, String> {
    match given {
        Some(given) => Slug::parse(given),
        None => {
            let stem = source
                .file_stem()
                .map(|s| s.to_string_lossy())
                .unwrap_or_default();
            Slug::from_file_stem(&stem)
        }
    }
}

/// UTF-8 text with LF line endings and no byte order mark. Anything else is refused with a
/// guess at what it is, because old Chinese blogs are often saved as GBK.
fn decode<'a>(source: &Path, bytes: &'a [u8]) -> Result<Cow<'a, str>, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // simdutf8 checks Chinese text several times faster than std; std's error says where.
    let text = match simdutf8::basic::from_utf8(bytes).or_else(|_| std::str::from_utf8(bytes)) {
        Ok(t) => t,
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            let (what, help) = if bytes.contains(&0) {
                (
                    "a binary file, not text",
                    "move it out of content/posts; only Markdown posts belong there",
                )
            } else if looks_like_gbk(bytes) {
                (
                    "not UTF-8; it looks like GBK/GB18030 (common for old Chinese blogs)",
                    "convert it: iconv -f GBK -t UTF-8 FILE > FILE.utf8 && mv FILE.utf8 FILE",
                )
            } else {
                (
                    "not UTF-8; it looks like Latin-1 or another single-byte encoding",
                    "convert it: iconv -f LATIN1 -t UTF-8 FILE > FILE.utf8 && mv FILE.utf8 FILE",
                )
            };
            return Err(Diagnostic::new(source, format!("the file is {what}"), help).at(line, None));
        }
    };
    if memchr::memchr(0, text.as_bytes()).is_some() {
        return Err(Diagnostic::new(
            source,
            "the file is a binary file, not text",
            "move it out of content/posts; only Markdown posts belong there",
        ));
    }
    Ok(if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    })
}

/// Most high bytes pair up as GBK lead (0x81–0xFE) and trail (0x40–0xFE) bytes.
fn looks_like_gbk(bytes: &[u8]) -> bool {
    let (mut pairs, mut high) = (0usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b >= 0x80 {
            high += 1;
            if (0x81..=0xFE).contains(&b)
                && bytes
                    .get(i + 1)
                    .is_some_and(|t| (0x40..=0xFE).contains(t) && *t != 0x7F)
            {
                pairs += 1;
                high += 1;
                i += 2;
                continue;
            }
        }
        i += 1;
    }
    high > 0 && pairs * 2 * 10 >= high * 9
}

/// The extensions of Markdown files, as Jekyll reads them (Hexo reads the first two).
pub const MARKDOWN_EXTENSIONS: &[&str] = &["md", "markdown", "mkdn", "mkd", "mkdown"];

/// A file under content/posts that is a post: Markdown, not hidden, not an editor's backup.
pub fn is_post_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let ext_ok = path
        .extension()
        .is_some_and(|e| MARKDOWN_EXTENSIONS.iter().any(|m| e == *m));
    ext_ok && !name.starts_with('.') && !name.starts_with('#') && !name.ends_with('~')
}

/// The post files of a site, sorted by path.
pub fn find_posts(site: &SiteDir) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    walk(site, Kind::Post, |f, _| files.push(f))?;
    Ok(files)
}

/// Give each post file to `found` as the walk comes to it, in path order; the problems found
/// on the way are returned at the end, and the entries skipped (see [`not_a_file`]) as
/// warnings.
fn walk(
    site_dir: &SiteDir,
    kind: Kind,
    mut found: impl FnMut(PathBuf, Beside),
) -> Result<Vec<Diagnostic>> {
    let root = site_dir.root();
    let dir = kind.dir(site_dir);
    let mut warnings = Vec::new();
    if !dir.is_dir() {
        return Ok(warnings);
    }
    let mut problems = Vec::new();
    // Links are followed, but only within the site: a link out of it would publish whatever it
    // points at, as static/ refuses to.
    let site = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut walk = walkdir::WalkDir::new(&dir)
        .follow_links(true)
        // By the whole path, which within a folder orders as the names do: walkdir's own
        // sort_by_file_name finds each name again on every comparison, 2% of a large build.
        .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
        .into_iter();
    // Folders and comments files, which sort before the post they belong to (`x/`,
    // `x.comments.yaml`, `x.md`): noting them here saves two look-ups a post.
    let mut seen = std::collections::HashSet::new();
    while let Some(entry) = walk.next() {
        let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
        if let Ok(e) = &entry
            && (e.file_type().is_dir()
                || e.file_name()
                    .to_string_lossy()
                    .ends_with(crate::comment::SUFFIX))
        {
            seen.insert(e.path().to_path_buf());
        }
        match entry {
            Ok(e) if e.path_is_symlink() && !inside(&site, e.path()) => {
                problems.push(Diagnostic::new(
                    rel(e.path()),
                    "this symbolic link points outside the site",
                    "copy the file into the site instead of linking to it, so nothing outside the site is published by accident",
                ));
                if e.file_type().is_dir() {
                    walk.skip_current_dir();
                }
            }
            // A post's own folder holds its files, not posts, even a `notes.md`.
            Ok(e) if e.file_type().is_dir() && e.depth() > 0 && has_post_beside(e.path()) => {
                walk.skip_current_dir();
            }
            Ok(e) if e.file_type().is_file() && is_post_file(e.path()) => {
                let beside = Beside {
                    folder: seen.contains(&crate::assets::folder_of(e.path())),
                    comments: seen.contains(&crate::comment::file_of(e.path())),
                };
                found(rel(e.path()), beside);
            }
            // Only named: reading a FIFO would wait for a writer for ever. A directory is
            // still walked, so the posts in it are not lost.
            Ok(e) if is_post_file(e.path()) => {
                warnings.extend(not_a_file(&rel(e.path()), e.file_type()));
            }
            Ok(e) if e.file_type().is_file() && e.file_name().to_str().is_none() => {
                // Silently skipping it would drop a post: old GBK archives have such names.
                let name = e.file_name().as_encoded_bytes();
                let markdown = MARKDOWN_EXTENSIONS.iter().any(|m| {
                    name.strip_suffix(m.as_bytes())
                        .is_some_and(|n| n.ends_with(b"."))
                });
                if markdown {
                    problems.push(Diagnostic::new(
                        rel(e.path()),
                        "the file name is not UTF-8 (an old GBK name?), so the post cannot be named in a URL",
                        "rename it, e.g. convmv -f GBK -t UTF-8 --notest FILE, or give it an ASCII name",
                    ));
                }
            }
            Ok(_) => {}
            Err(e) => {
                let path = e.path().map(rel).unwrap_or_else(|| kind.rel_dir());
                let why = e
                    .io_error()
                    .map_or_else(|| e.to_string(), |io| io.to_string());
                let is_link = e
                    .path()
                    .and_then(|p| p.symlink_metadata().ok())
                    .is_some_and(|m| m.file_type().is_symlink());
                let (msg, help) = if e.loop_ancestor().is_some() {
                    (
                        "this symbolic link makes a loop".to_string(),
                        "remove the link or point it elsewhere",
                    )
                } else if is_link {
                    // Dangling, or a chain of links that never reaches a file.
                    (
                        format!("this symbolic link leads to no file: {why}"),
                        "remove the link, or point it at a file in the site",
                    )
                } else {
                    (
                        format!("cannot read: {why}"),
                        "check the file's permissions",
                    )
                };
                problems.push(Diagnostic::new(path, msg, help));
            }
        }
    }
    if problems.is_empty() {
        Ok(warnings)
    } else {
        Err(Error::Invalid(problems))
    }
}

/// The warning for something named like a post that is not a regular file (a FIFO, a socket,
/// a device, a directory named `*.md`), which is skipped; None for a regular file.
pub fn not_a_file(rel: &Path, kind: std::fs::FileType) -> Option<Diagnostic> {
    use std::os::unix::fs::FileTypeExt;
    let what = if kind.is_file() {
        return None;
    } else if kind.is_dir() {
        "a directory (the posts in it are still read)"
    } else if kind.is_fifo() {
        "a named pipe (FIFO)"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_block_device() || kind.is_char_device() {
        "a device"
    } else {
        "not a regular file"
    };
    Some(Diagnostic::new(
        rel,
        format!("named like a post, but this is {what}: skipped"),
        "posts are regular files; rename it so that it does not end in .md, or move it elsewhere",
    ))
}

/// Whether the file at `rel` (below `root`) is one of a post's own files, in a folder of the
/// post's name or below one, rather than a post.
pub fn in_post_folder(root: &Path, rel: &Path) -> bool {
    rel.ancestors()
        .skip(1)
        .take_while(|a| a.starts_with(layout::rel_content_dir()) && a.components().count() > 2)
        .any(|a| has_post_beside(&root.join(a)))
}

/// Whether a folder is a post's asset folder: a Markdown file of its name sits beside it.
fn has_post_beside(dir: &Path) -> bool {
    ["md", "markdown"].iter().any(|ext| {
        let mut file = dir.as_os_str().to_owned();
        file.push(".");
        file.push(ext);
        Path::new(&file).is_file()
    })
}

/// Whether `path`, links resolved, is inside the (canonical) site directory.
pub fn inside(site: &Path, path: &Path) -> bool {
    path.canonicalize().is_ok_and(|p| p.starts_with(site))
}

/// Find, read and parse a site's posts, in path order. The files found are parsed while the
/// walk goes on (it stats every file, which took a tenth of a 10,000-post build when it came
/// first). Problems with the files are reported before problems in them; all of them
/// together, in path order. Also returns the entries skipped, as warnings.
pub fn load_posts(site: &SiteDir, config: &Config) -> Result<(Vec<Arc<Post>>, Vec<Diagnostic>)> {
    load(site, config, Kind::Post)
}

/// As [`load_posts`], for the posts or the standalone pages.
pub fn load(
    site: &SiteDir,
    config: &Config,
    kind: Kind,
) -> Result<(Vec<Arc<Post>>, Vec<Diagnostic>)> {
    let (tx, rx) = std::sync::mpsc::channel::<(usize, PathBuf, Beside)>();
    let (walked, results) = rayon::join(
        move || {
            let mut n = 0;
            walk(site, kind, |rel, beside| {
                // The receiver lives until the walk ends: it drains the channel.
                let _ = tx.send((n, rel, beside));
                n += 1;
            })
        },
        || {
            rx.into_iter()
                .par_bridge()
                .map(|(n, rel, beside)| (n, read(site, &rel, config, kind, Some(beside))))
                .collect::<Vec<_>>()
        },
    );
    let mut warnings = walked?;
    // Each reading put in its place rather than sorted: a sort moved every post (hundreds of
    // bytes) a dozen times, in the one thread between loading and rendering.
    let mut slots: Vec<Option<Reading>> = (0..results.len()).map(|_| None).collect();
    for (n, r) in results {
        slots[n] = Some(r);
    }
    let mut posts = Vec::with_capacity(slots.len());
    let mut problems = Vec::new();
    for r in slots.into_iter().flatten() {
        match r {
            Reading::Read(Ok(p)) => posts.push(p),
            Reading::Read(Err(mut e)) => problems.append(&mut e),
            // Changed since the walk saw a file there.
            Reading::Gone => {}
            Reading::Skipped(d) => warnings.push(d),
        }
    }
    if problems.is_empty() {
        Ok((posts, warnings))
    } else {
        Err(Error::Invalid(problems))
    }
}

/// A post file read (again), shared from the start: made into an `Arc` on the worker that read
/// it, so that what travels back to the loader is a pointer, not the whole post.
#[derive(Debug)]
pub enum Reading {
    Read(Result<Arc<Post>, Vec<Diagnostic>>),
    /// There is no such file (any more).
    Gone,
    /// Something named like a post that is no regular file ([`not_a_file`]).
    Skipped(Diagnostic),
}

/// Read and parse the post at `rel` (relative to the site). The one way a post is read, for a
/// build and for a rebuild alike. Never waits: a FIFO put where a post was is opened without
/// blocking and skipped.
pub fn read_post(site: &SiteDir, rel: &Path, config: &Config) -> Reading {
    read(site, rel, config, Kind::Post, None)
}

/// What sits beside a post file, as the walk saw it.
#[derive(Debug, Clone, Copy)]
struct Beside {
    folder: bool,
    comments: bool,
}

/// As [`read_post`], for a post or a page: with its asset folder and its comments.
fn read(
    site: &SiteDir,
    rel: &Path,
    config: &Config,
    kind: Kind,
    beside: Option<Beside>,
) -> Reading {
    let path = site.root().join(rel);
    let bytes = match read_regular(&path) {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(kind)) => return not_a_file(rel, kind).map_or(Reading::Gone, Reading::Skipped),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Reading::Gone,
        Err(e) => {
            // A socket cannot be opened at all; say what it is rather than why open failed.
            if let Some(d) = std::fs::metadata(&path)
                .ok()
                .and_then(|m| not_a_file(rel, m.file_type()))
            {
                return Reading::Skipped(d);
            }
            return Reading::Read(Err(vec![Diagnostic::new(
                rel,
                format!("cannot read: {e}"),
                "check the file's permissions",
            )]));
        }
    };
    // Unless the walk saw there are none, look.
    let assets = match beside {
        Some(Beside { folder: false, .. }) => Ok(None),
        _ => crate::assets::list(site.root(), rel),
    };
    let comments = match beside {
        Some(Beside {
            comments: false, ..
        }) => Ok((Vec::new(), None)),
        _ => read_comments(site, rel, config),
    };
    let post = Post::parse_with(
        rel,
        &bytes,
        config,
        assets.clone().unwrap_or_default(),
        kind,
    );
    Reading::Read(match (post, assets, comments) {
        (Ok(mut p), Ok(_), Ok((c, bytes))) => {
            if let Some(bytes) = bytes {
                p.version = xxh3_64_with_seed(&bytes, p.version);
            }
            p.comments = c;
            Ok(Arc::new(p))
        }
        (p, a, c) => Err(p
            .err()
            .into_iter()
            .chain(a.err())
            .chain(c.err().map(|d| vec![d]))
            .flatten()
            .collect()),
    })
}

/// The bytes of a regular file, or the type of what stands there instead. O_NONBLOCK makes
/// opening a FIFO return at once (it changes nothing for a regular file), and the type is
/// asked of the opened file, so nothing can be swapped in between.
fn read_regular(path: &Path) -> std::io::Result<Result<Vec<u8>, std::fs::FileType>> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Ok(Err(meta.file_type()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // Through `take`: `File`'s own read_to_end asks the system for the size and position again,
    // two more calls per post that a 10,000-post build paid 20,000 times. Taking no more than
    // the size just asked spares the read that would find the end (10,000 more): the file is
    // read as it was when opened, as an editor saving it a moment later is seen by the next
    // build.
    file.take(meta.len()).read_to_end(&mut bytes)?;
    Ok(Ok(bytes))
}

/// A post's comments, with the bytes of their file (for the post's version) if it has one.
fn read_comments(
    site: &SiteDir,
    rel: &Path,
    config: &Config,
) -> Result<(Vec<Comment>, Option<Vec<u8>>), Diagnostic> {
    let file = crate::comment::file_of(rel);
    match read_regular(&site.root().join(&file)) {
        Ok(Ok(bytes)) => {
            let text = decode(&file, &bytes)?;
            let comments = crate::comment::parse(&file, &text, config.offset())?;
            Ok((comments, Some(bytes)))
        }
        // Its post is read, so this one is an error rather than a warning: its comments
        // would be lost without a word.
        Ok(Err(_)) => Err(Diagnostic::new(
            file,
            "this is not a regular file (a FIFO, a socket, a folder?), so its comments cannot be read",
            "make it a YAML file, or remove it",
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((Vec::new(), None)),
        Err(e) => Err(Diagnostic::new(
            file,
            format!("cannot read: {e}"),
            "check the file's permissions",
        )),
    }
}

/// [`Post::version`] of a post file: lengths go first, so no two inputs run together alike.
fn fingerprint(source: &Path, bytes: &[u8], assets: Option<&Assets>) -> u64 {
    let mut h = Xxh3::new();
    let path = source.as_os_str().as_encoded_bytes();
    for part in [path, bytes] {
        h.update(&(part.len() as u64).to_le_bytes());
        h.update(part);
    }
    for file in assets.iter().flat_map(|a| &a.files) {
        h.update(&(file.len() as u64).to_le_bytes());
        h.update(file.as_bytes());
    }
    if let Some(a) = assets {
        h.update(&a.stamp.to_le_bytes());
    }
    h.digest()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &[u8]) -> Result<Post, Vec<Diagnostic>> {
        Post::parse(
            Path::new("content/posts/2014-12-30-x.md"),
            text,
            &Config::default(),
        )
    }

    #[test]
    fn bom_and_crlf_build() {
        let p =
            parse(b"\xEF\xBB\xBF---\r\ntitle: t\r\ndate: 2014-12-30\r\n---\r\nbody\r\n").unwrap();
        assert_eq!(p.meta.title.as_deref(), Some("t"));
        assert_eq!(p.body, "body\n");
        assert_eq!(p.slug.as_str(), "x");
    }

    #[test]
    fn encodings_are_named() {
        // "内核" in GBK
        let e = parse(b"---\ntitle: \xC4\xDA\xBA\xCB\ndate: 2014-12-30\n---\n").unwrap_err();
        assert!(e[0].message.contains("GBK"), "{e:?}");
        assert_eq!(e[0].line, Some(2));
        let e = parse(b"---\ntitle: caf\xE9 au lait\ndate: 2014-12-30\n---\n").unwrap_err();
        assert!(e[0].message.contains("Latin-1"), "{e:?}");
        let e = parse(b"\x00\x01\x02binary").unwrap_err();
        assert!(e[0].message.contains("binary"), "{e:?}");
    }

    #[test]
    fn bad_slug_is_reported_with_front_matter_errors() {
        let e = parse(b"---\nslug: ../x\nviews: -1\ndate: 2014-12-30\n---\n").unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        let e = parse(b"---\nslug: ../x\ndate: 2014-12-30\n---\n").unwrap_err();
        assert_eq!(e[0].line, Some(2), "{e:?}");
    }
}
