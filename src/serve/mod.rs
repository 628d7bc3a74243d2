//! `boke serve`: build the site, serve it over HTTP on loopback, rebuild when its files change
//! and tell open browsers to reload (Server-Sent Events).
//!
//! The site is built into a private directory of its own (`.boke/serve/<address>/`), with
//! `base_url` set to the served address, so `boke build`'s output is never touched and links
//! work at the server's root. It is kept between runs, with the list of what was written, so
//! that a second start at the same address renders only what changed since. The live-reload
//! script is added to HTML responses on the way out; it is never written to disk.

use crate::build::Options as BuildOptions;
use crate::build::rebuild::Rebuilder;
use crate::console::Console;
use crate::error::{Error, Result};
use axum::Router;
use axum::routing::get;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::sync::{broadcast, watch as signal};

mod http;
mod watch;

#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub interface: IpAddr,
    pub port: u16,
    pub drafts: bool,
    pub open: bool,
    pub console: Console,
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
    shutdown: signal::Receiver<bool>,
    console: Console,
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
    let console = opts.console;
    if !opts.interface.is_loopback() {
        console.warning(format_args!(
            "serving on {} makes your drafts and this development server reachable from other machines; use --interface 127.0.0.1 unless you mean it",
            opts.interface
        ));
    }
    let url = match local {
        SocketAddr::V4(a) => format!("http://{a}/"),
        SocketAddr::V6(a) => format!("http://[{}]:{}/", a.ip(), a.port()),
    };

    // Kept between runs at the same address, so that a second start renders only what changed
    // since; a temporary folder when the site's own cannot be had (a read-only site …).
    let (out, _tmp) = match private_dir(&opts.root, &local) {
        Some(dir) => (dir.join("site"), None),
        None => {
            let tmp = tempfile::Builder::new()
                .prefix("boke-serve-")
                .tempdir()
                .map_err(|e| Error::io("create", &std::env::temp_dir(), e))?;
            (tmp.path().join("site"), Some(tmp))
        }
    };
    let build_opts = BuildOptions {
        root: opts.root.clone(),
        output: Some(out.clone()),
        base_url: Some(url.clone()),
        drafts: opts.drafts,
        progress: false,
        // Scheduled posts are served, marked, so their author can read them before they are due.
        future: true,
    };

    let (shutdown_tx, shutdown_rx) = signal::channel(false);
    let (notices, _) = broadcast::channel(16);
    let shared = Arc::new(Shared {
        out: out.clone(),
        notices,
        error: Mutex::new(None),
        shutdown: shutdown_rx,
        console,
    });

    let site = std::env::current_dir()
        .map(|cwd| crate::layout::shown(&opts.root, &cwd))
        .unwrap_or_else(|_| opts.root.clone());
    console.status(format_args!(
        "building {} into a private copy: {} (public/ is left alone)",
        site.display(),
        out.display()
    ));
    let mut rebuilder = Rebuilder::new(build_opts.clone());
    watch::rebuild(&mut rebuilder, &shared, None);
    let watcher = watch::start_watcher(build_opts, rebuilder, shared.clone())?;

    let app = Router::new()
        .route(http::EVENTS_PATH, get(http::events))
        .fallback(http::files)
        .with_state(shared.clone());
    console.status(format_args!(
        "serving the site in {} at {url} from that private copy, rebuilt as you save (Ctrl-C to stop)",
        site.display()
    ));
    if opts.open {
        open_browser(&url, &console);
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
    console.status("stopped");
    Ok(())
}

/// Folders of addresses served before that are kept beside the one in use: the ports a person
/// serves on are few, and each folder is a whole built site.
const KEEP_OTHERS: usize = 3;

/// This address's own folder under `.boke/serve/`, marked as in use by this process; older
/// folders of other addresses that no running server uses are removed.
fn private_dir(root: &Path, local: &SocketAddr) -> Option<PathBuf> {
    let all = crate::layout::SiteDir::new(root).serve_dir();
    let name: String = local
        .to_string()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let dir = all.join(name);
    std::fs::create_dir_all(&dir).ok()?;
    std::fs::write(dir.join(PID_FILE), std::process::id().to_string()).ok()?;
    sweep(&all, &dir);
    Some(dir)
}

const PID_FILE: &str = "pid";

fn sweep(all: &Path, mine: &Path) {
    let Ok(entries) = std::fs::read_dir(all) else {
        return;
    };
    let mut others: Vec<(std::time::SystemTime, PathBuf)> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p != mine && p.is_dir())
        .filter(|p| {
            // In use by a server still running: left alone.
            !std::fs::read_to_string(p.join(PID_FILE))
                .ok()
                .and_then(|pid| pid.trim().parse::<u32>().ok())
                .is_some_and(|pid| Path::new(&format!("/proc/{pid}")).exists())
        })
        .filter_map(|p| Some((p.join(PID_FILE).metadata().ok()?.modified().ok()?, p)))
        .collect();
    others.sort();
    let extra = others.len().saturating_sub(KEEP_OTHERS);
    for (_, p) in others.into_iter().take(extra) {
        let _ = std::fs::remove_dir_all(p);
    }
}

fn open_browser(url: &str, console: &Console) {
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
    console.warning(format_args!(
        "could not open a browser; open {url} yourself"
    ));
}
