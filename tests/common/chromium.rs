//! Headless Chromium (Debian's `chromium`) for the browser tests: found, or skipped with a
//! printed line outside CI; under `CI=true` a missing Chromium fails the test.

use headless_chrome::{Browser, LaunchOptions, Tab};
use std::ffi::OsStr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub fn chromium() -> Option<PathBuf> {
    let found = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists());
    if found.is_none() {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "CI must run the browser test: apt-get install -y chromium"
        );
        eprintln!("SKIPPED: Chromium is not installed (apt-get install -y chromium)");
    }
    found
}

pub fn browser(path: PathBuf) -> Browser {
    // Off the network (this machine has none) and away from any user profile.
    let args: Vec<&OsStr> = [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    Browser::new(
        LaunchOptions::default_builder()
            .path(Some(path))
            .headless(true)
            .sandbox(false)
            .args(args)
            .idle_browser_timeout(Duration::from_secs(60))
            .build()
            .unwrap(),
    )
    .expect("launch chromium")
}

/// A browser with one tab showing `url`; the tab lives as long as the browser is kept.
pub fn open(path: PathBuf, url: &str) -> (Browser, Arc<Tab>) {
    let browser = browser(path);
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(url)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    (browser, tab)
}
