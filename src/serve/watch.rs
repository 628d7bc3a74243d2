//! Watching a site's sources and rebuilding on a thread of its own when they change.

use super::{Notice, Shared};
use crate::build::Options as BuildOptions;
use crate::build::rebuild::{Outcome, Rebuilder};
use crate::error::{Error, Result};
use crate::layout::SiteDir;
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Long enough to fold an editor's write-rename-chmod (microseconds apart) or a burst of saves
/// into one rebuild, short enough to keep save-to-reload within 50 ms.
const DEBOUNCE: Duration = Duration::from_millis(5);

/// Build (all of it, or what `changed` needs), then tell the browsers. A failed build keeps the
/// last good site in place.
pub(super) fn rebuild(rebuilder: &mut Rebuilder, shared: &Shared, changed: Option<&[PathBuf]>) {
    let result = match changed {
        Some(paths) => rebuilder.changed(paths),
        None => rebuilder.full().map(Outcome::Full),
    };
    match result {
        Ok(outcome) => {
            let was_broken = shared
                .error
                .lock()
                .map(|mut e| e.take().is_some())
                .unwrap_or(false);
            // A watched folder itself is reported too when a file in it changes; only the
            // files say what kind of change it was.
            let css_only = changed.is_some_and(|c| {
                let files: Vec<_> = c.iter().filter(|p| !p.is_dir()).collect();
                !files.is_empty()
                    && files
                        .iter()
                        .all(|p| p.extension().is_some_and(|e| e == "css"))
            });
            let notice = if css_only && !was_broken {
                Notice::Css
            } else {
                Notice::Reload
            };
            let console = &shared.console;
            match outcome {
                Outcome::Full(r) => console.built(
                    &r,
                    format_args!(
                        "built {} posts, {} pages in {} ms",
                        r.posts,
                        r.pages,
                        r.elapsed.as_millis()
                    ),
                ),
                Outcome::Partial {
                    posts,
                    written,
                    removed,
                    elapsed,
                    warnings,
                } => {
                    for w in &warnings {
                        console.warning(w);
                    }
                    for f in &written {
                        console.detail(format_args!("  wrote   {f}"));
                    }
                    for f in &removed {
                        console.detail(format_args!("  removed {f}"));
                    }
                    console.status(format_args!(
                        "updated {} pages, removed {} ({posts} posts) in {} ms",
                        written.len(),
                        removed.len(),
                        elapsed.as_millis()
                    ));
                }
            }
            let _ = shared.notices.send(notice);
            let started = std::time::Instant::now();
            match rebuilder.finish() {
                Ok(Some(files)) => shared.console.status(format_args!(
                    "updated the search index ({files} files) in {} ms",
                    started.elapsed().as_millis()
                )),
                Ok(None) => {}
                Err(e) => report_error(shared, &e),
            }
        }
        Err(e) => report_error(shared, &e),
    }
}

/// Print a failed build and show it in the browsers; the last good site stays served.
fn report_error(shared: &Shared, e: &crate::error::Error) {
    let message = e.to_string();
    shared.console.error(format_args!(
        "{message}\n(the last good version of the site is still served)"
    ));
    if let Ok(mut slot) = shared.error.lock() {
        *slot = Some(message.clone());
    }
    let _ = shared.notices.send(Notice::BuildError(message));
}

/// Watch the site's sources; rebuild on a thread of its own so requests are never blocked.
pub(super) fn start_watcher(
    opts: BuildOptions,
    mut rebuilder: Rebuilder,
    shared: Arc<Shared>,
) -> Result<std::thread::JoinHandle<()>> {
    let (tx, rx) = std::sync::mpsc::channel();
    let mut debouncer =
        notify_debouncer_full::new_debouncer(DEBOUNCE, None, tx).map_err(|e| Error::Setup {
            message: format!("cannot watch files: {e}"),
            help: "raise fs.inotify.max_user_watches, or use boke build".into(),
        })?;
    let root = opts
        .root
        .canonicalize()
        .map_err(|e| Error::io("open", &opts.root, e))?;
    // The root itself (not recursively) sees site.yaml and the creation of watched folders.
    debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| Error::Setup {
            message: format!("cannot watch {}: {e}", root.display()),
            help: "check its permissions".into(),
        })?;
    let mut watching: Vec<PathBuf> = Vec::new();
    watch_new(&root, &mut debouncer, &mut watching);
    let handle = std::thread::spawn(move || {
        let mut debouncer = debouncer;
        while let Ok(batch) = rx.recv() {
            let Ok(events) = batch else { continue };
            let changed: Vec<PathBuf> = events
                .iter()
                .filter(|e| {
                    matches!(
                        e.kind,
                        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
                    )
                })
                .flat_map(|e| e.paths.iter())
                .filter(|p| is_source(&root, p))
                .cloned()
                .collect();
            if changed.is_empty() {
                continue;
            }
            if *shared.shutdown.borrow() {
                break;
            }
            watch_new(&root, &mut debouncer, &mut watching);
            rebuild(&mut rebuilder, &shared, Some(&changed));
        }
    });
    Ok(handle)
}

/// Watch the source folders that exist and are not watched yet (they may be created later).
fn watch_new<W: notify_debouncer_full::notify::Watcher, C: notify_debouncer_full::FileIdCache>(
    root: &Path,
    debouncer: &mut notify_debouncer_full::Debouncer<W, C>,
    watching: &mut Vec<PathBuf>,
) {
    for dir in SiteDir::new(root).watched() {
        if dir.is_dir()
            && !watching.contains(&dir)
            && debouncer.watch(&dir, RecursiveMode::Recursive).is_ok()
        {
            watching.push(dir);
        }
    }
}

fn is_source(root: &Path, path: &Path) -> bool {
    SiteDir::new(root)
        .watched()
        .iter()
        .any(|w| path.starts_with(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_site_sources_trigger_rebuilds() {
        let root = Path::new("/site");
        assert!(is_source(root, Path::new("/site/content/posts/a.md")));
        assert!(is_source(root, Path::new("/site/site.yaml")));
        assert!(is_source(root, Path::new("/site/static/style.css")));
        assert!(!is_source(root, Path::new("/site/public/index.html")));
        assert!(!is_source(root, Path::new("/site/target/x")));
        assert!(!is_source(root, Path::new("/elsewhere/content/a.md")));
    }
}
