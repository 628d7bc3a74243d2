//! `boke serve`: build the site, serve it over HTTP on loopback, rebuild when its files change
//! and tell open browsers to reload (Server-Sent Events).
//!
//! The site is built into a private temporary directory, with `base_url` set to the served
//! address, so `boke build`'s output is never touched and links work at the server's root. The
//! live-reload script is added to HTML responses on the way out; it is never written to disk.

use crate::build::Options as BuildOptions;
use crate::error::{Error, Result};
use crate::rebuild::{Outcome, Rebuilder};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::Stream;
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{broadcast, watch};
use tokio_stream::StreamExt;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

const LIVERELOAD_JS: &str = include_str!("serve/livereload.js");
const EVENTS_PATH: &str = "/__boke/events";
/// Long enough to fold an editor's write-rename-chmod (microseconds apart) or a burst of saves
/// into one rebuild, short enough to keep save-to-reload within 50 ms.
const DEBOUNCE: Duration = Duration::from_millis(10);
/// The directories and files of a site whose changes trigger a rebuild.
const WATCHED: &[&str] = &[
    "content",
    "templates",
    "static",
    "data",
    crate::config::FILE_NAME,
];

#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub interface: IpAddr,
    pub port: u16,
    pub drafts: bool,
    pub open: bool,
}

/// What browsers are told after a rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Notice {
    Reload,
    Css,
    BuildError(String),
}

struct Shared {
    out: PathBuf,
    notices: broadcast::Sender<Notice>,
    /// The current build error, shown to pages opened while it lasts.
    error: Mutex<Option<String>>,
    shutdown: watch::Receiver<bool>,
}

/// Run the server until Ctrl-C.
pub fn serve(opts: Options) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("start", Path::new("the async runtime"), e))?;
    runtime.block_on(run(opts))
}

async fn run(opts: Options) -> Result<()> {
    let addr = SocketAddr::new(opts.interface, opts.port);
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            Error::Setup {
                message: format!("port {} on {} is already in use", opts.port, opts.interface),
                help: format!(
                    "stop the other server, or pick another port: boke serve --port {}",
                    opts.port.wrapping_add(1).max(1024)
                ),
            }
        } else {
            Error::io("listen on", Path::new(&addr.to_string()), e)
        }
    })?;
    let local = listener
        .local_addr()
        .map_err(|e| Error::io("listen on", Path::new(&addr.to_string()), e))?;
    if !opts.interface.is_loopback() {
        eprintln!(
            "warning: serving on {} makes your drafts and this development server reachable from other machines; use --interface 127.0.0.1 unless you mean it",
            opts.interface
        );
    }
    let url = match local {
        SocketAddr::V4(a) => format!("http://{a}/"),
        SocketAddr::V6(a) => format!("http://[{}]:{}/", a.ip(), a.port()),
    };

    let tmp = tempfile::Builder::new()
        .prefix("boke-serve-")
        .tempdir()
        .map_err(|e| Error::io("create", &std::env::temp_dir(), e))?;
    let out = tmp.path().join("site");
    let build_opts = BuildOptions {
        root: opts.root.clone(),
        output: Some(out.clone()),
        base_url: Some(url.clone()),
        drafts: opts.drafts,
        progress: false,
    };

    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let (notices, _) = broadcast::channel(16);
    let shared = Arc::new(Shared {
        out: out.clone(),
        notices,
        error: Mutex::new(None),
        shutdown: shutdown_rx,
    });

    println!(
        "building into {} (a private copy; public/ is left alone)",
        out.display()
    );
    let mut rebuilder = Rebuilder::new(build_opts.clone());
    rebuild(&mut rebuilder, &shared, None);
    let watcher = start_watcher(build_opts, rebuilder, shared.clone())?;

    let app = Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(files)
        .with_state(shared.clone());
    println!("serving {} at {url} (Ctrl-C to stop)", opts.root.display());
    if opts.open {
        open_browser(&url);
    }
    let stop = async move {
        let _ = tokio::signal::ctrl_c().await;
        // Ends the event streams, which would otherwise keep the graceful shutdown waiting.
        let _ = shutdown_tx.send(true);
    };
    axum::serve(listener, app)
        .with_graceful_shutdown(stop)
        .await
        .map_err(|e| Error::io("serve on", Path::new(&url), e))?;
    drop(watcher);
    println!("stopped");
    Ok(())
}

/// Build (all of it, or what `changed` needs), then tell the browsers. A failed build keeps the
/// last good site in place.
fn rebuild(rebuilder: &mut Rebuilder, shared: &Shared, changed: Option<&[PathBuf]>) {
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
            match outcome {
                Outcome::Full(r) => println!(
                    "built {} posts, {} pages in {} ms",
                    r.posts,
                    r.pages,
                    r.elapsed.as_millis()
                ),
                Outcome::Partial {
                    posts,
                    written,
                    removed,
                    elapsed,
                } => println!(
                    "updated {written} pages, removed {removed} ({posts} posts) in {} ms",
                    elapsed.as_millis()
                ),
            }
            let _ = shared.notices.send(notice);
            let started = std::time::Instant::now();
            match rebuilder.finish() {
                Ok(Some(files)) => println!(
                    "updated the search index ({files} files) in {} ms",
                    started.elapsed().as_millis()
                ),
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
    eprintln!("{message}\n(the last good version of the site is still served)");
    if let Ok(mut slot) = shared.error.lock() {
        *slot = Some(message.clone());
    }
    let _ = shared.notices.send(Notice::BuildError(message));
}

/// Watch the site's sources; rebuild on a thread of its own so requests are never blocked.
fn start_watcher(
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
    for name in WATCHED.iter().filter(|n| !n.contains('.')) {
        let dir = root.join(name);
        if dir.is_dir()
            && !watching.contains(&dir)
            && debouncer.watch(&dir, RecursiveMode::Recursive).is_ok()
        {
            watching.push(dir);
        }
    }
}

fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    rel.components()
        .next()
        .is_some_and(|first| WATCHED.iter().any(|w| first.as_os_str() == *w))
}

async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    let current = shared
        .error
        .lock()
        .ok()
        .and_then(|e| e.clone())
        .map(Notice::BuildError);
    let updates = tokio_stream::wrappers::BroadcastStream::new(shared.notices.subscribe())
        .filter_map(Result::ok);
    let mut shutdown = shared.shutdown.clone();
    let stream = tokio_stream::iter(current).chain(updates).map(|n| {
        Ok(match n {
            // Browsers drop events without data, so every event carries some.
            Notice::Reload => SseEvent::default().event("reload").data("reload"),
            Notice::Css => SseEvent::default().event("css").data("css"),
            Notice::BuildError(m) => SseEvent::default().event("builderror").data(m),
        })
    });
    // End the stream when the server stops: an open stream would keep the graceful shutdown
    // waiting for ever.
    let stop = async move {
        let _ = shutdown.wait_for(|stop| *stop).await;
    };
    Sse::new(futures_util::StreamExt::take_until(stream, stop)).keep_alive(KeepAlive::default())
}

/// Serve a file of the built site, refusing any path that could leave it.
async fn files(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    if !is_safe_path(req.uri().path()) {
        return (StatusCode::BAD_REQUEST, "bad path\n").into_response();
    }
    let is_head = req.method() == Method::HEAD;
    let service =
        ServeDir::new(&shared.out).not_found_service(ServeFile::new(shared.out.join("404.html")));
    let response = match service.oneshot(req).await {
        Ok(r) => r.map(Body::new),
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, format!("{e}\n")).into_response(),
    };
    finish(response, is_head).await
}

/// Decode the path as the file service will and refuse traversal, encoded separators, NULs and
/// invalid UTF-8, so no request can name a file outside the output.
fn is_safe_path(raw: &str) -> bool {
    let lower = raw.to_ascii_lowercase();
    if raw.contains('\\') || lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00")
    {
        return false;
    }
    let Ok(decoded) = percent_encoding::percent_decode_str(raw).decode_utf8() else {
        return false;
    };
    raw.starts_with('/')
        && !decoded.contains('\0')
        && !decoded.split('/').any(|s| s == ".." || s == ".")
}

/// Add `charset=utf-8` to text types and the live-reload script to HTML pages.
async fn finish(mut response: Response, is_head: bool) -> Response {
    let Some(ctype) = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
    else {
        return response;
    };
    let textual = [
        "text/",
        "application/javascript",
        "application/xml",
        "application/json",
        "image/svg+xml",
    ];
    if !ctype.contains("charset") && textual.iter().any(|t| ctype.starts_with(t)) {
        if let Ok(v) = HeaderValue::from_str(&format!("{ctype}; charset=utf-8")) {
            response.headers_mut().insert(header::CONTENT_TYPE, v);
        }
    }
    if !ctype.starts_with("text/html")
        || !(response.status().is_success() || response.status() == StatusCode::NOT_FOUND)
    {
        return response;
    }
    let script = format!("<script>{LIVERELOAD_JS}</script>\n");
    let (mut parts, body) = response.into_parts();
    if is_head {
        if let Some(len) = parts
            .headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok())
        {
            parts.headers.insert(
                header::CONTENT_LENGTH,
                HeaderValue::from(len + script.len()),
            );
        }
        return Response::from_parts(parts, body);
    }
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "cannot read page\n").into_response();
    };
    // After the document: the parser still runs it, and the page's bytes stay as built.
    let mut html = Vec::with_capacity(bytes.len() + script.len());
    html.extend_from_slice(&bytes);
    html.extend_from_slice(script.as_bytes());
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(html.len()));
    Response::from_parts(parts, Body::from(html))
}

fn open_browser(url: &str) {
    for opener in ["xdg-open", "open"] {
        if std::process::Command::new(opener)
            .arg(url)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .is_ok()
        {
            return;
        }
    }
    eprintln!("could not open a browser; open {url} yourself");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused() {
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/b",
            "/a%2fb",
            "/a%5cb",
            "/a\\b",
            "/a%00b",
            "/%ff",
            "/./x",
            "relative",
        ] {
            assert!(!is_safe_path(bad), "{bad}");
        }
        for good in [
            "/",
            "/posts/x/",
            "/posts/%E5%86%85%E6%A0%B8/",
            "/style.css",
            "/a..b/",
        ] {
            assert!(is_safe_path(good), "{good}");
        }
    }

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
