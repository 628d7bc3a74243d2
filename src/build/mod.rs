//! `boke build`: content → site model → rendered pages → output, in that order, stopping before
//! the output is touched if anything is wrong. `output` stages the written site, `rebuild`
//! redoes only what a change needs under `boke serve`.

pub mod output;
pub mod rebuild;

use crate::config::{BaseUrl, Config};
use crate::content;
use crate::error::{Diagnostic, Error, Result};
use crate::layout::{self, SiteDir};
use crate::render::{self, Templates};
use crate::search::{self, Runs};
use crate::site::{self, Site};
use output::Staging;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
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
    pub static_files: usize,
    pub output: PathBuf,
    pub elapsed: Duration,
}

/// What a build wrote, for [`rebuild`] to start from: each file's fingerprint, and the search
/// index's counted runs when asked to keep them.
struct Written {
    report: Report,
    keys: HashMap<String, u64>,
    search: Runs,
}

/// Read a site's config, posts and data into the site model.
pub fn load_site(opts: &Options) -> Result<Site> {
    let dir = opts.site();
    let mut config = Config::load(&dir)?;
    if let Some(url) = &opts.base_url {
        let url =
            BaseUrl::parse(url).map_err(|why| Diagnostic::new("--base-url", why, BaseUrl::HELP))?;
        config.set_base_url(url);
    }
    crate::diagram::use_cache_dir(&dir.cache_dir().join(crate::diagram::CACHE_DIR));
    let mut posts = content::load_posts(&dir, &config)?;
    if !opts.future {
        site::leave_out_scheduled(&mut posts, crate::datetime::build_time());
    }
    let guestbook = load_guestbook(&dir)?;
    Site::new(config, posts, opts.drafts, guestbook).map_err(Error::Invalid)
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
    let site = load_site(opts)?;
    let templates = Templates::load(&opts.site())?;
    let mut written = write_site(opts, &site, &templates, false)?;
    // Drawings no post uses any more are removed, so the cache does not grow without end.
    crate::diagram::sweep();
    written.report.elapsed = start.elapsed();
    Ok(written.report)
}

/// Render a loaded site into its output directory. With `keep_runs`, the search index's counts
/// are kept for a rebuild to start from (they cost memory, so `boke build` keeps none).
fn write_site(
    opts: &Options,
    site: &Site,
    templates: &Templates,
    keep_runs: bool,
) -> Result<Written> {
    let start = Instant::now();
    let (renderer, jobs) = render::plan(site, templates)?;
    let dir = opts.site();
    let staging = Staging::begin(dir.root(), &opts.output_dir())?;

    for (name, bytes) in DEFAULT_STATIC {
        staging.write(name, bytes)?;
    }
    // The search index is made beside the pages rather than after them, so that its serial
    // parts fill the gaps of the parallel rendering.
    let (keys, search) = rayon::join(
        || {
            // One page a piece for the work stealing: left to itself, rayon renders a small
            // site's posts (next to each other, each with its code to highlight) on one thread.
            jobs.par_iter()
                .with_max_len(1)
                .map(|p| {
                    let (file, html) = renderer.render(&p.job)?;
                    staging.write(&file, &html)?;
                    Ok((file, renderer.key(&p.job)))
                })
                .collect::<Result<HashMap<String, u64>>>()
        },
        || -> Result<(HashMap<String, u64>, Runs)> {
            let mut kept = Runs::default();
            if !site.config.search {
                return Ok((HashMap::new(), kept));
            }
            let index = if keep_runs {
                search::index_with(site, &mut kept)
            } else {
                search::index(site)
            };
            let (files, _) = write_index(&index, &HashMap::new(), |f, b| staging.write(f, b))?;
            Ok((files, kept))
        },
    );
    let mut keys = keys?;
    let pages = keys.len();
    let (search, kept) = search?;
    keys.extend(search);
    let generated: HashSet<String> = keys.keys().cloned().collect();
    let static_files =
        DEFAULT_STATIC.len() + staging.copy_static(dir.root(), &dir.static_dir(), &generated)?;
    let output = staging.commit()?;
    Ok(Written {
        report: Report {
            posts: site.posts.len(),
            pages,
            static_files,
            output,
            elapsed: start.elapsed(),
        },
        keys,
        search: kept,
    })
}

/// The one way the search index is written: every file whose fingerprint differs from
/// `previous` (all of them for a fresh output) goes to `write`. Returns every index file's
/// fingerprint and how many were written.
fn write_index(
    index: &search::Index,
    previous: &HashMap<String, u64>,
    write: impl Fn(&str, &[u8]) -> Result<()> + Sync,
) -> Result<(HashMap<String, u64>, usize)> {
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
