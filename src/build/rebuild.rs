//! Rebuilding a served site after a change, doing only the work the change needs.
//!
//! After a full build the [`Rebuilder`] keeps the loaded posts and each page's fingerprint
//! ([`Renderer::key`]). When only posts changed, it re-reads just those files, rebuilds the
//! site model from the kept posts (cheap: no I/O, no Markdown), and renders and replaces only
//! the pages whose fingerprint changed, removing pages that no longer exist. Anything else
//! (settings, templates, static files, data) gets a full build. Either way the output equals a
//! clean build of the same sources.

use super::{Keys, Options, Parts, Report, output};
use crate::content::{self, Post, Reading};
use crate::error::{Diagnostic, Error, Result};
use crate::layout;
use crate::render::{self, Job, Templates};
use crate::site::Site;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What a rebuild did.
#[derive(Debug, Clone)]
pub enum Outcome {
    Full(Report),
    Partial {
        posts: usize,
        /// The output files written and removed, in path order.
        written: Vec<String>,
        removed: Vec<String>,
        elapsed: Duration,
        /// Changed files skipped (a FIFO named like a post …).
        warnings: Vec<Diagnostic>,
    },
}

/// What the last successful build was made of.
struct Kept {
    /// Settings, pages, data and the static/ stamp: a change to any of them is a full build,
    /// so they hold until one.
    parts: Parts,
    /// A template change always means a full build, which loads them again.
    templates: Templates,
    /// By source path, shared: a rebuild copies the map to change it, which copied 10,000
    /// paths.
    posts: BTreeMap<Arc<Path>, Arc<Post>>,
    keys: Keys,
    search: crate::search::Runs,
    /// Each post's related posts, and [`crate::related::inputs`] of the site they were found
    /// for: finding them for every post is most of a rebuild's time at 10,000 posts.
    related: (u64, Vec<Vec<usize>>),
}

pub struct Rebuilder {
    opts: Options,
    out: PathBuf,
    kept: Option<Kept>,
    /// The site whose search index is still to be updated ([`Rebuilder::finish`]).
    pending_search: Option<Site>,
}

impl Rebuilder {
    /// `opts.output` must be set: it is the directory being served.
    pub fn new(opts: Options) -> Rebuilder {
        let out = opts.output_dir();
        Rebuilder {
            opts,
            out,
            kept: None,
            pending_search: None,
        }
    }

    /// Build everything and keep what it was made of.
    pub fn full(&mut self) -> Result<Report> {
        self.pending_search = None;
        let started = Instant::now();
        let (site, warnings) = super::load_site(&self.opts)?;
        let templates = Templates::load(&self.opts.site())?;
        let load = started.elapsed();
        let mut written = super::write_site(&self.opts, &site, &templates, super::Mode::Serve)?;
        written.report.stages.load = load;
        written.report.elapsed = started.elapsed();
        written.report.warnings = warnings;
        self.kept = Some(Kept {
            templates,
            posts: site
                .posts
                .iter()
                .map(|p| (Arc::from(p.source.as_path()), p.clone()))
                .collect(),
            parts: Parts::of(&site),
            related: (crate::related::inputs(&site), written.related),
            keys: written.keys,
            search: written.search,
        });
        Ok(written.report)
    }

    /// Rebuild after `changed` (absolute or site-relative paths) changed. After a partial
    /// rebuild the pages are in place but the search index may still be the old one:
    /// [`Rebuilder::finish`] brings it up to date.
    pub fn changed(&mut self, changed: &[PathBuf]) -> Result<Outcome> {
        self.finish()?;
        let rel: Option<Vec<PathBuf>> = changed.iter().map(|p| self.post_path(p)).collect();
        match (rel, self.kept.is_some()) {
            (Some(rel), true) => self.posts_changed(&rel),
            _ => self.full().map(Outcome::Full),
        }
    }

    /// A changed path as a post path relative to the site, or None if the change is not (only)
    /// to a post file.
    fn post_path(&self, path: &Path) -> Option<PathBuf> {
        let root = self.opts.root.canonicalize().ok()?;
        let rel = path
            .strip_prefix(&root)
            .or_else(|_| path.strip_prefix(&self.opts.root))
            .unwrap_or(path);
        let is_post = rel.starts_with(layout::rel_posts_dir())
            && !path.is_dir()
            && content::is_post_file(rel)
            && !content::in_post_folder(&root, rel);
        is_post.then(|| rel.to_path_buf())
    }

    fn posts_changed(&mut self, rel: &[PathBuf]) -> Result<Outcome> {
        let started = Instant::now();
        let kept = self.kept.as_ref().expect("checked by the caller");
        let dir = self.opts.site();
        let reread: Vec<(PathBuf, Reading)> = rel
            .par_iter()
            .map(|r| (r.clone(), content::read_post(&dir, r, &kept.parts.config)))
            .collect();
        // A post with files of its own may move them (a new slug), which only a full build
        // places; such edits are rare next to edits of text.
        let has_assets = |r: &PathBuf, parsed: &Reading| {
            kept.posts
                .get(r.as_path())
                .is_some_and(|p| p.assets.is_some())
                || matches!(parsed, Reading::Read(Ok(p)) if p.assets.is_some())
        };
        if reread.iter().any(|(r, parsed)| has_assets(r, parsed)) {
            return self.full().map(Outcome::Full);
        }
        let mut posts = kept.posts.clone();
        let mut problems = Vec::new();
        let mut warnings = Vec::new();
        for (r, reading) in reread {
            match reading {
                Reading::Gone => {
                    posts.remove(r.as_path());
                }
                Reading::Skipped(d) => {
                    posts.remove(r.as_path());
                    warnings.push(d);
                }
                Reading::Read(Ok(p)) => {
                    posts.insert(Arc::from(r.as_path()), p);
                }
                Reading::Read(Err(mut e)) => problems.append(&mut e),
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let published: Vec<Arc<Post>> = posts.values().cloned().collect();
        let site = super::assemble(&self.opts, kept.parts.clone(), published)?;
        crate::images::use_site(&dir);
        // The other posts' images were found when they were read, and a change of static/
        // is a full build.
        let changed: Vec<&Arc<crate::content::Post>> =
            rel.iter().filter_map(|r| posts.get(r.as_path())).collect();
        let missing = crate::images::missing(&dir, changed);
        if !missing.is_empty() {
            return Err(Error::Invalid(missing));
        }
        let (mut renderer, jobs) = render::plan(&site, &kept.templates)?;
        let related_inputs = crate::related::inputs(&site);
        if related_inputs == kept.related.0 {
            renderer.reuse_related(&kept.related.1);
        }
        let planned: Vec<u64> = jobs.par_iter().map(|p| renderer.key(&p.job)).collect();
        let stale: Vec<&Job> = jobs
            .iter()
            .zip(&planned)
            .filter(|(p, key)| kept.keys.get(&p.file) != Some(key))
            .map(|(p, _)| &p.job)
            .collect();
        let mut keys: Keys = jobs
            .iter()
            .zip(planned)
            .map(|(p, key)| (p.file.clone(), key))
            .collect();
        // Render everything first: a template error must not leave half the pages replaced.
        let pages: Vec<(String, Vec<u8>)> = stale
            .par_iter()
            .map(|j| renderer.render(j))
            .collect::<Result<_>>()?;
        pages
            .par_iter()
            .try_for_each(|(file, html)| output::replace_file(&self.out, file, html))?;
        // The search index's files stay as they are until `finish`.
        for (file, key) in &kept.keys {
            if crate::search::is_index_file(file) {
                keys.insert(file.clone(), *key);
            }
        }
        let mut gone: Vec<String> = kept
            .keys
            .keys()
            .filter(|f| !keys.contains_key(*f))
            .cloned()
            .collect();
        gone.sort_unstable();
        for f in &gone {
            output::remove_file(&self.out, f)?;
        }
        let mut written: Vec<String> = pages.into_iter().map(|(file, _)| file).collect();
        written.sort_unstable();
        let outcome = Outcome::Partial {
            posts: site.posts.len(),
            written,
            removed: gone,
            elapsed: started.elapsed(),
            warnings,
        };
        let related = if related_inputs == kept.related.0 {
            None
        } else {
            Some((related_inputs, renderer.related_lists()))
        };
        let kept = self.kept.as_mut().expect("checked above");
        kept.posts = posts;
        kept.keys = keys;
        if let Some(r) = related {
            kept.related = r;
        }
        if site.config.search {
            self.pending_search = Some(site);
        }
        Ok(outcome)
    }

    /// Bring the search index up to date after a partial rebuild, rewriting only the files
    /// that changed. It comes after the pages because no page shows it: the browser can
    /// reload while it is made. Returns the files written, or None if nothing was pending.
    pub fn finish(&mut self) -> Result<Option<usize>> {
        let (Some(site), Some(kept)) = (self.pending_search.take(), self.kept.as_mut()) else {
            return Ok(None);
        };
        // Taken out, so that a failed update leaves none: the next one counts all again.
        let mut runs = std::mem::take(&mut kept.search);
        let index = crate::search::index_with(&site, &mut runs);
        let (fresh, written) = super::write_index(&index, &kept.keys, |file, bytes| {
            output::replace_file(&self.out, file, bytes)
        })?;
        let gone: Vec<String> = kept
            .keys
            .keys()
            .filter(|f| crate::search::is_index_file(f) && !fresh.contains_key(*f))
            .cloned()
            .collect();
        for f in &gone {
            output::remove_file(&self.out, f)?;
            kept.keys.remove(f);
        }
        kept.keys.extend(fresh);
        kept.search = runs;
        Ok(Some(written + gone.len()))
    }
}
