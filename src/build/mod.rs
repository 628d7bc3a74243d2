//! `boke build`: content → site model → rendered pages → output, in that order, stopping before
//! the output is touched if anything is wrong. `output` stages the written site, `rebuild`
//! redoes only what a change needs under `boke serve`.

pub mod manifest;
pub mod output;
pub mod rebuild;

use crate::config::{BaseUrl, Config};
use crate::content;
use crate::error::{Diagnostic, Error, Result};
use crate::layout::{self, SiteDir};
use crate::progress::Progress;
use crate::render::{self, Templates};
use crate::search::{self, Runs};
use crate::site::{self, Site};
use output::Staging;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Static files compiled into boke; a site's `static/` files override them.
pub const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("avatar.svg", include_bytes!("../../static/avatar.svg")),
    ("search.js", include_bytes!("../../static/search.js")),
    ("theme.js", include_bytes!("../../static/theme.js")),
    ("code.js", include_bytes!("../../static/code.js")),
    ("comments.js", include_bytes!("../../static/comments.js")),
];

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Show a progress bar on a terminal when the build takes a while (off for `-q`, serve).
    pub progress: bool,
    /// Include posts dated after the build (scheduled posts).
    pub future: bool,
}

impl Options {
    pub fn site(&self) -> SiteDir {
        SiteDir::new(&self.root)
    }

    /// `--output`, else the site's default output folder.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.site().default_output())
    }
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct Report {
    pub posts: usize,
    pub pages: usize,
    /// Pages kept from the previous build into the same output, unchanged ([`manifest`]).
    pub reused: usize,
    pub static_files: usize,
    pub output: PathBuf,
    pub elapsed: Duration,
    pub stages: Stages,
    /// What was skipped without stopping the build (a FIFO named like a post …).
    pub warnings: Vec<Diagnostic>,
}

/// How long each stage of a build took, for `-v`. Pages are rendered and written by the same
/// workers, page by page, and the search index is made beside them, so `render` and `write`
/// are summed over the workers and the stages add up to more than the build's time.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stages {
    /// Settings, posts, data and templates.
    pub load: Duration,
    pub render: Duration,
    /// Pages, the built-in and the site's static files, and the swap into place.
    pub write: Duration,
    /// Counting the posts and writing the index.
    pub search: Duration,
}

/// Each written file with its manifest entry.
type Entries = Vec<(String, manifest::Entry)>;

/// Each written file's key, by its path in the output: what a rebuild under `boke serve`
/// compares every page's new key with. Hashed with FxHash, not SipHash: a rebuild looks up
/// and stores all 11,000 files' paths of a 10,000-post site.
type Keys = rustc_hash::FxHashMap<String, u64>;

/// What a build wrote, for [`rebuild`] to start from: each file's fingerprint, and the search
/// index's counted runs when asked to keep them.
struct Written {
    report: Report,
    /// What the renderer made, for the caller to free ([`render::Renderer::take_values`]).
    values: render::Values,
    keys: Keys,
    search: Runs,
    /// Each post's related posts, for a rebuild whose site finds the same.
    related: Vec<Vec<usize>>,
}

/// Read a site's config, posts and data into the site model; also returns what was skipped,
/// as warnings.
pub fn load_site(opts: &Options) -> Result<(Site, Vec<Diagnostic>)> {
    let dir = opts.site();
    let mut config = Config::load(&dir)?;
    if let Some(url) = &opts.base_url {
        let url =
            BaseUrl::parse(url).map_err(|why| Diagnostic::new("--base-url", why, BaseUrl::HELP))?;
        config.set_base_url(url);
    }
    crate::diagram::use_cache_dir(&dir.cache_dir().join(crate::diagram::CACHE_DIR));
    crate::images::use_site(&dir);
    let (posts, mut warnings) = content::load_posts(&dir, &config)?;
    let (pages, page_warnings) = content::load(&dir, &config, content::Kind::Page)?;
    warnings.extend(page_warnings);
    let parts = Parts {
        config,
        pages,
        guestbook: load_guestbook(&dir)?,
        redirects: load_redirects(&dir)?,
        static_stamp: static_stamp(&dir),
    };
    let site = assemble(opts, parts, posts)?;
    let missing = crate::images::missing(&dir, site.posts.iter().chain(&site.pages));
    if !missing.is_empty() {
        return Err(Error::Invalid(missing));
    }
    Ok((site, warnings))
}

/// What a site is made of besides its posts, as read from its files: what a rebuild keeps, so
/// that it makes the site model as a build does.
#[derive(Debug, Clone)]
pub(crate) struct Parts {
    pub config: Config,
    pub pages: Vec<std::sync::Arc<content::Post>>,
    pub guestbook: Vec<site::Message>,
    pub redirects: Vec<crate::redirect::Redirect>,
    /// See [`Site::static_stamp`].
    pub static_stamp: u64,
}

impl Parts {
    /// The parts a site was [`assemble`]d from.
    pub(crate) fn of(site: &Site) -> Parts {
        Parts {
            config: site.config.clone(),
            pages: site.pages.clone(),
            guestbook: site.guestbook.clone(),
            redirects: site.redirects.clone(),
            static_stamp: site.static_stamp,
        }
    }
}

/// The site model of `parts` and `posts`: the one place a build and a rebuild make it.
pub(crate) fn assemble(
    opts: &Options,
    parts: Parts,
    mut posts: Vec<std::sync::Arc<content::Post>>,
) -> Result<Site> {
    // Posts dated after the build wait for their time, unless `--future` or `build_future`.
    if !opts.future && !parts.config.build_future {
        site::leave_out_scheduled(&mut posts, crate::datetime::build_time());
    }
    let mut site = Site::new(parts.config, posts, opts.drafts, parts.guestbook)
        .and_then(|s| s.with_pages(parts.pages, opts.drafts))
        .map_err(Error::Invalid)?;
    site.redirects = parts.redirects;
    site.static_stamp = parts.static_stamp;
    Ok(site)
}

/// See [`Site::static_stamp`]. A site's static/ is a few files; walking it costs little.
fn static_stamp(dir: &SiteDir) -> u64 {
    let mut seen: Vec<(PathBuf, u64, u128)> = walkdir::WalkDir::new(dir.static_dir())
        .into_iter()
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let m = e.metadata().ok()?;
            let t = m
                .modified()
                .ok()?
                .duration_since(std::time::UNIX_EPOCH)
                .ok()?;
            Some((e.into_path(), m.len(), t.as_nanos()))
        })
        .collect();
    seen.sort();
    xxhash_rust::xxh3::xxh3_64(format!("{seen:?}").as_bytes())
}

fn load_redirects(dir: &SiteDir) -> Result<Vec<crate::redirect::Redirect>> {
    let path = dir.redirects_file();
    match std::fs::read_to_string(&path) {
        Ok(text) => crate::redirect::parse(&text).map_err(Error::Invalid),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(Error::io("read", &path, e)),
    }
}

fn load_guestbook(dir: &SiteDir) -> Result<Vec<site::Message>> {
    let path = dir.guestbook_file();
    match std::fs::read_to_string(&path) {
        Ok(text) => site::parse_guestbook(&text).map_err(|d| {
            Diagnostic {
                path: layout::rel_guestbook_file(),
                ..d
            }
            .into()
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(Error::io("read", &path, e)),
    }
}

/// Build the site into its output directory.
pub fn build(opts: &Options) -> Result<Report> {
    let start = Instant::now();
    // The templates are read and compiled beside the posts, on the core the walk of a large
    // content folder leaves idle.
    let (loaded, templates) = std::thread::scope(|s| {
        let templates = s.spawn(|| Templates::load(&opts.site()));
        let loaded = load_site(opts);
        (loaded, templates.join())
    });
    let (site, warnings) = loaded?;
    let templates = templates.unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
    let load = start.elapsed();
    let Written {
        mut report, values, ..
    } = write_site(opts, &site, &templates, Mode::Build)?;
    // Drawings no post uses any more are removed, so the cache does not grow without end.
    crate::diagram::sweep();
    report.elapsed = start.elapsed();
    report.stages.load = load;
    report.warnings = warnings;
    // Freeing every post took a 10,000-post build's last 12 ms on one core, which `boke build`
    // then exits without waiting for.
    std::thread::spawn(move || drop((site, templates, values)));
    Ok(report)
}

/// Who writes the site, which decides what is kept for the next time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `boke build`: a manifest of the output ([`manifest`]) in the cache, so that the next
    /// build into the same directory renders only the pages that changed.
    Build,
    /// `boke serve`: the manifest beside the output, and the search index's counts, for a
    /// rebuild to start from (they cost memory, so `boke build` keeps none).
    Serve,
}

/// Render a loaded site into its output directory.
fn write_site(opts: &Options, site: &Site, templates: &Templates, mode: Mode) -> Result<Written> {
    let keep_runs = mode == Mode::Serve;
    let start = Instant::now();
    let (mut renderer, jobs) = render::plan(site, templates)?;
    renderer.prepare_related();
    let dir = opts.site();
    let staging = Staging::begin(dir.root(), &opts.output_dir())?;
    let cache_dir = dir.cache_dir();
    // `boke serve` keeps the list of what it wrote beside its own output, so that it and
    // `boke build` do not forget each other's.
    let manifest_dir = match mode {
        Mode::Build => cache_dir.clone(),
        Mode::Serve => staging
            .target()
            .parent()
            .map_or_else(|| cache_dir.clone(), PathBuf::from),
    };
    let previous = manifest::Previous::load(&manifest_dir, staging.target());
    let reused = std::sync::atomic::AtomicUsize::new(0);
    if site.config.highlight {
        crate::highlight::cache::load(&cache_dir);
    }
    let progress = Progress::new(opts.progress, jobs.len(), "pages");
    // Nanoseconds summed over the workers (see [`Stages`]).
    let (rendering, writing) = (AtomicU64::new(0), AtomicU64::new(0));
    let add = |sum: &AtomicU64, since: Instant| {
        sum.fetch_add(since.elapsed().as_nanos() as u64, Ordering::Relaxed);
    };

    let t = Instant::now();
    for (name, bytes) in DEFAULT_STATIC {
        staging.write(name, bytes)?;
    }
    let copies = crate::assets::plan(site, jobs.iter().map(|p| p.file.as_str()))?;
    let images = cache_dir.join(crate::images::CACHE_DIR);
    let own: HashMap<&str, &std::path::Path> = copies
        .iter()
        .map(|c| (c.to.as_str(), c.from.as_path()))
        .collect();
    let made: Vec<Vec<String>> = copies
        .par_iter()
        .map(|c| {
            let from = dir.root().join(&c.from);
            let bytes = std::fs::read(&from).map_err(|e| Error::io("read", &from, e))?;
            staging.write(&c.to, &bytes)?;
            crate::images::write_copies(
                &images,
                &from,
                &bytes,
                &c.to,
                &|name| own.get(name).map(|p| p.to_path_buf()),
                &|name, b| staging.write(name, b),
            )
        })
        // In order, so that the error shown is the same on every run.
        .collect::<Vec<Result<_>>>()
        .into_iter()
        .collect::<Result<_>>()?;
    add(&writing, t);
    // The search index is made beside the pages rather than after them, so that its serial
    // parts fill the gaps of the parallel rendering.
    let (keys, search) = rayon::join(
        || {
            // One page a piece for the work stealing: left to itself, rayon renders a small
            // site's posts (next to each other, each with its code to highlight) on one thread.
            // Last planned first: the sitemap, feeds and archives, each as long as a few dozen
            // posts, then start the build rather than end it on one thread.
            jobs.par_iter()
                .rev()
                .with_max_len(1)
                .map(|p| {
                    let key = renderer.key(&p.job);
                    let kept = previous
                        .as_ref()
                        .and_then(|v| v.reuse(&p.file, key, &staging));
                    if let Some(kept) = kept {
                        reused.fetch_add(1, Ordering::Relaxed);
                        progress.step();
                        return Ok((p.file.clone(), kept));
                    }
                    let t = Instant::now();
                    let (file, html) = renderer.render(&p.job)?;
                    add(&rendering, t);
                    let t = Instant::now();
                    let mtime = staging.write_page(&file, &html)?;
                    add(&writing, t);
                    progress.step();
                    let size = html.len() as u64;
                    Ok((file, manifest::Entry { key, size, mtime }))
                })
                .collect::<Result<Entries>>()
                .map(|mut entries| {
                    entries.reverse();
                    entries
                })
        },
        || -> Result<(Keys, Runs, Duration)> {
            let t = Instant::now();
            let mut kept = Runs::default();
            if !site.config.search {
                return Ok((Keys::default(), kept, Duration::ZERO));
            }
            let index = if keep_runs {
                search::index_with(site, &mut kept)
            } else {
                search::index(site)
            };
            let (files, _) = write_index(&index, &Keys::default(), |f, b| staging.write(f, b))?;
            Ok((files, kept, t.elapsed()))
        },
    );
    progress.finish();
    // The manifest lists the pages, the only files a build takes from the last one (the search
    // index is written whole); a rebuild under serve compares the index files' keys too.
    let entries = keys?;
    let pages = entries.len();
    let (search, kept, searching) = search?;
    let own_files = copies.len();
    let t = Instant::now();
    // Every file written, for the check that static/ shadows none; only if there is one.
    let static_dir = dir.static_dir();
    let generated: HashSet<String> = if static_dir.is_dir() {
        let pages = entries.iter().map(|(f, _)| f.clone());
        let index = search.keys().cloned();
        let copies = copies.into_iter().map(|c| c.to);
        pages
            .chain(index)
            .chain(copies)
            .chain(made.into_iter().flatten())
            .collect()
    } else {
        HashSet::new()
    };
    let static_files = DEFAULT_STATIC.len()
        + own_files
        + staging.copy_static(dir.root(), &static_dir, &generated)?;
    // Only a rebuild under serve compares the files' keys; `boke build` keeps them in its
    // manifest.
    let keys: Keys = if keep_runs {
        let pages = entries.iter().map(|(f, e)| (f.clone(), e.key));
        pages.chain(search).collect()
    } else {
        Keys::default()
    };
    let output = staging.commit()?;
    let reused = reused.into_inner();
    keep_manifest(&manifest_dir, &output, &entries);
    if site.config.highlight {
        // The pages are written: a cache that cannot be kept only costs the next build time.
        if let Err(e) = crate::highlight::cache::save(&cache_dir, reused == 0) {
            eprintln!(
                "warning: cannot keep the highlighted code in {}: {e}",
                cache_dir.display()
            );
        }
    }
    add(&writing, t);
    let nanos = |sum: AtomicU64| Duration::from_nanos(sum.into_inner());
    let related = if keep_runs {
        renderer.related_lists()
    } else {
        Vec::new()
    };
    Ok(Written {
        values: renderer.take_values(),
        report: Report {
            posts: site.posts.len(),
            pages,
            reused,
            static_files,
            output,
            elapsed: start.elapsed(),
            stages: Stages {
                load: Duration::ZERO,
                render: nanos(rendering),
                write: nanos(writing),
                search: searching,
            },
            warnings: Vec::new(),
        },
        keys,
        search: kept,
        related,
    })
}

/// Note what was written into `output`, for the next build: every page with its key and size.
/// Failing to keep it costs the next build time, never a wrong page.
fn keep_manifest(
    cache: &std::path::Path,
    output: &std::path::Path,
    entries: &[(String, manifest::Entry)],
) {
    let saved = match manifest::build_id(output) {
        Some(id) => manifest::save(cache, &id, output, entries),
        None => Err(std::io::Error::other("the output has no marker file")),
    };
    if let Err(e) = saved {
        manifest::remove(cache);
        eprintln!(
            "warning: cannot keep the list of written pages in {}: {e}",
            cache.display()
        );
    }
}

/// The one way the search index is written: every file whose fingerprint differs from
/// `previous` (all of them for a fresh output) goes to `write`. Returns every index file's
/// fingerprint and how many were written.
fn write_index(
    index: &search::Index,
    previous: &Keys,
    write: impl Fn(&str, &[u8]) -> Result<()> + Sync,
) -> Result<(Keys, usize)> {
    let done: Vec<(String, u64, bool)> = (0..index.file_count())
        .into_par_iter()
        .map(|i| {
            let name = index.name(i);
            if let Some(&key) = previous.get(&name).filter(|_| !index.changed(i)) {
                return Ok((name, key, false));
            }
            let (file, bytes) = index.file(i);
            let key = search::fingerprint(&bytes);
            let stale = previous.get(&file) != Some(&key);
            if stale {
                write(&file, &bytes)?;
            }
            Ok((file, key, stale))
        })
        .collect::<Result<_>>()?;
    let written = done.iter().filter(|(_, _, w)| *w).count();
    Ok((done.into_iter().map(|(f, k, _)| (f, k)).collect(), written))
}
