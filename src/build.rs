//! `boke build`: content → site model → rendered pages → output, in that order, stopping before
//! the output is touched if anything is wrong.

use crate::config::Config;
use crate::content;
use crate::error::{Diagnostic, Error, Result};
use crate::output::Staging;
use crate::render::{self, Renderer};
use crate::site::{self, Site};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Static files compiled into boke; a site's `static/` files override them.
pub const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../static/style.css")),
    ("avatar.svg", include_bytes!("../static/avatar.svg")),
    ("search.js", include_bytes!("../static/search.js")),
];

pub const GUESTBOOK: &str = "data/guestbook.yaml";

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub posts: usize,
    pub pages: usize,
    pub static_files: usize,
    pub output: PathBuf,
    pub elapsed: Duration,
    /// Each written page's fingerprint ([`Renderer::key`]), for incremental rebuilds.
    pub keys: HashMap<String, u64>,
    /// The counted runs behind the search index, for incremental rebuilds of it.
    pub search: crate::search::Runs,
}

/// Read a site's config, posts and data into the site model.
pub fn load_site(opts: &Options) -> Result<Site> {
    let mut config = Config::load(&opts.root)?;
    if let Some(url) = &opts.base_url {
        config.set_base_url(url).map_err(|e| {
            Diagnostic::new("--base-url", e, "write it like https://example.org/blog/")
        })?;
    }
    let posts = content::load_posts(&opts.root, &config)?;
    let guestbook = load_guestbook(&opts.root)?;
    let redirects = load_redirects(&opts.root)?;
    let pages = content::load(&opts.root, &config, content::Kind::Page)?;
    let mut site = Site::new(config, posts, opts.drafts, guestbook)
        .and_then(|s| s.with_pages(pages, opts.drafts))
        .map_err(Error::Invalid)?;
    site.redirects = redirects;
    Ok(site)
}

fn load_redirects(root: &Path) -> Result<Vec<crate::redirect::Redirect>> {
    let path = root.join(crate::redirect::FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => crate::redirect::parse(&text).map_err(Error::Invalid),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(Error::io("read", &path, e)),
    }
}

fn load_guestbook(root: &Path) -> Result<Vec<site::Message>> {
    let path = root.join(GUESTBOOK);
    match std::fs::read_to_string(&path) {
        Ok(text) => site::parse_guestbook(&text).map_err(|d| {
            Diagnostic {
                path: PathBuf::from(GUESTBOOK),
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
    let mut report = build_site(opts, &site, false)?;
    report.elapsed = start.elapsed();
    Ok(report)
}

/// Render a loaded site into its output directory. `keep_search`: return the search index's
/// counts in the report, for a rebuild to start from (they cost memory).
pub fn build_site(opts: &Options, site: &Site, keep_search: bool) -> Result<Report> {
    let start = Instant::now();
    let tera = render::load_templates(&opts.root)?;
    let renderer = Renderer::new(site, tera)?;
    let target = opts
        .output
        .clone()
        .unwrap_or_else(|| opts.root.join("public"));
    let staging = Staging::begin(&opts.root, &target)?;

    for (name, bytes) in DEFAULT_STATIC {
        staging.write(name, bytes)?;
    }
    let jobs = renderer.jobs()?;
    let pages: HashSet<String> = jobs.iter().map(|p| p.file.clone()).collect();
    let copies = crate::assets::plan(site, &pages)?;
    copies.par_iter().try_for_each(|c| {
        let from = opts.root.join(&c.from);
        let bytes = std::fs::read(&from).map_err(|e| Error::io("read", &from, e))?;
        staging.write(&c.to, &bytes)
    })?;
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
        || -> Result<(Vec<(String, u64)>, crate::search::Runs)> {
            let mut runs = crate::search::Runs::default();
            if !site.config.search {
                return Ok((Vec::new(), runs));
            }
            let index = if keep_search {
                crate::search::index_with(site, &mut runs)
            } else {
                crate::search::index(site)
            };
            let files = (0..index.file_count())
                .into_par_iter()
                .map(|i| {
                    let (file, bytes) = index.file(i);
                    staging.write(&file, &bytes)?;
                    Ok((file, crate::search::fingerprint(&bytes)))
                })
                .collect::<Result<_>>()?;
            Ok((files, runs))
        },
    );
    let mut keys = keys?;
    let pages = keys.len();
    let (search, runs) = search?;
    keys.extend(search);
    let own_files = copies.len();
    let mut generated: HashSet<String> = keys.keys().cloned().collect();
    generated.extend(copies.into_iter().map(|c| c.to));
    let static_files = DEFAULT_STATIC.len()
        + own_files
        + staging.copy_static(&opts.root, &opts.root.join("static"), &generated)?;
    let output = staging.commit()?;
    Ok(Report {
        posts: site.posts.len(),
        pages,
        static_files,
        output,
        elapsed: start.elapsed(),
        keys,
        search: runs,
    })
}
