//! ```` ```mermaid ```` blocks as inline SVG at build time, with mermaid-rs-renderer (pure
//! Rust: no browser, no script on the page).
//!
//! Each distinct block is drawn once: in memory for the run, and kept as a file in
//! `.boke/cache/diagrams/` for the next build (the first drawing of a run also loads the
//! renderer's fonts, a tenth of a second). A block's key hashes boke's version and the source,
//! so an edited block or a new boke never meets an old drawing. A build that finishes sweeps
//! the files no block asked for.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};
use xxhash_rust::xxh3::xxh3_128;

/// The folder of kept drawings inside the site's cache folder.
pub const CACHE_DIR: &str = "diagrams";

/// A block's identity, as a file name.
fn key(source: &str) -> String {
    let made_by = concat!(
        "boke ",
        env!("CARGO_PKG_VERSION"),
        " mermaid-rs-renderer 0.3\n"
    );
    format!("{:032x}", xxh3_128(format!("{made_by}{source}").as_bytes()))
}

#[derive(Default)]
struct Cache {
    drawn: HashMap<String, Arc<str>>,
    /// Keys asked for since the last sweep.
    used: HashSet<String>,
    dir: Option<PathBuf>,
}

static CACHE: LazyLock<Mutex<Cache>> = LazyLock::new(Mutex::default);

fn cache() -> std::sync::MutexGuard<'static, Cache> {
    CACHE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Keep drawings in `dir` (the site's `.boke/cache/diagrams/`) from now on.
pub fn use_cache_dir(dir: &Path) {
    let mut c = cache();
    if c.dir.as_deref() != Some(dir) {
        c.dir = Some(dir.to_path_buf());
        c.used.clear();
    }
}

/// The SVG of a mermaid block, or why it cannot be drawn.
pub fn to_svg(source: &str) -> Result<Arc<str>, String> {
    let key = key(source);
    let dir = {
        let mut c = cache();
        c.used.insert(key.clone());
        if let Some(svg) = c.drawn.get(&key) {
            return Ok(svg.clone());
        }
        c.dir.clone()
    };
    let file = dir.as_ref().map(|d| d.join(format!("{key}.svg")));
    let kept = file
        .as_ref()
        .and_then(|f| std::fs::read_to_string(f).ok())
        .filter(|s| s.starts_with("<svg"));
    let svg: Arc<str> = match kept {
        Some(svg) => svg.into(),
        None => {
            let svg: Arc<str> = draw(source, &key)?.into();
            if let (Some(dir), Some(file)) = (&dir, &file) {
                // A cache that cannot be written costs a drawing next time, nothing more.
                let _ = write_whole(dir, file, &svg);
            }
            svg
        }
    };
    cache().drawn.insert(key, svg.clone());
    Ok(svg)
}

/// After a full build: remove the kept drawings that no block of this build asked for.
pub fn sweep() {
    let c = cache();
    let Some(dir) = &c.dir else { return };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if let Some(key) = name.strip_suffix(".svg") {
            if !c.used.contains(key) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

fn write_whole(dir: &Path, file: &Path, svg: &str) -> std::io::Result<()> {
    use std::io::Write;
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(svg.as_bytes())?;
    tmp.persist(file).map_err(|e| e.error)?;
    Ok(())
}

fn draw(source: &str, key: &str) -> Result<String, String> {
    // The renderer panics on some inputs it does not expect; a panic must not stop the build
    // without a word, so it becomes the block's error.
    let drawn = std::panic::catch_unwind(|| mermaid_rs_renderer::render(source));
    let svg = match drawn {
        Ok(Ok(svg)) => svg,
        Ok(Err(e)) => return Err(e.to_string()),
        Err(_) => return Err("the diagram renderer failed on this block".into()),
    };
    if !svg.starts_with("<svg") {
        return Err("the diagram renderer drew nothing".into());
    }
    Ok(scope_ids(&svg, &format!("d{}-", &key[..8])))
}

/// The renderer numbers its ids from 0 in every drawing (`arrow-0`); two diagrams on one page
/// would point at each other's markers, so each drawing's ids get a prefix of its own.
fn scope_ids(svg: &str, prefix: &str) -> String {
    let mut ids = Vec::new();
    let mut rest = svg;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        if let Some(end) = rest.find('"') {
            ids.push(&rest[..end]);
            rest = &rest[end..];
        }
    }
    if ids.is_empty() {
        return svg.to_string();
    }
    let mut out = svg.to_string();
    // Each pattern ends at the id's closing quote or bracket, so `edge-1` never matches
    // inside `edge-10`.
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        for (from, to) in [
            (format!(" id=\"{id}\""), format!(" id=\"{prefix}{id}\"")),
            (format!("url(#{id})"), format!("url(#{prefix}{id})")),
            (format!("href=\"#{id}\""), format!("href=\"#{prefix}{id}\"")),
        ] {
            out = out.replace(&from, &to);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flowchart_with_chinese_labels_is_drawn_as_svg_text() {
        let svg =
            to_svg("flowchart LR\n  A[申请内存] --> B{有空闲对象?}\n  B -->|是| C[直接分配]\n")
                .unwrap();
        assert!(svg.starts_with("<svg"), "{svg}");
        for label in ["申请内存", "有空闲对象?", "直接分配", "是"] {
            assert!(svg.contains(&format!(">{label}<")), "{label} missing");
        }
        assert!(!svg.contains("foreignObject"));
    }

    #[test]
    fn ids_are_scoped_to_their_drawing() {
        let svg = r##"<svg><marker id="arrow-0"/><marker id="arrow-start-0"/><path marker-end="url(#arrow-0)" marker-start="url(#arrow-start-0)"/><use href="#arrow-0"/></svg>"##;
        let out = scope_ids(svg, "dab-");
        assert_eq!(
            out,
            r##"<svg><marker id="dab-arrow-0"/><marker id="dab-arrow-start-0"/><path marker-end="url(#dab-arrow-0)" marker-start="url(#dab-arrow-start-0)"/><use href="#dab-arrow-0"/></svg>"##
        );
    }

    #[test]
    fn a_block_that_is_not_a_diagram_is_an_error() {
        let e = to_svg("this is not mermaid").unwrap_err();
        assert!(!e.is_empty());
        assert!(to_svg("flowchart LR\n A -->").is_err());
    }

    #[test]
    fn keys_follow_the_source() {
        assert_eq!(key("graph TD; A-->B"), key("graph TD; A-->B"));
        assert_ne!(key("graph TD; A-->B"), key("graph TD; A-->C"));
    }
}
