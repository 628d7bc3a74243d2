//! The site an import writes into: made as `boke init` makes one when there is none, with
//! the settings the old blog implies; an existing site.yaml is never changed.

use super::Report;
use crate::error::{Error, Result};
use std::collections::BTreeSet;
use std::path::Path;

/// `init`'s commented site.yaml with the settings in place of their commented defaults.
pub fn with_settings(template: &str, settings: &str) -> String {
    // The settings are top-level keys each followed by its indented lines.
    let mut blocks: Vec<(String, String)> = Vec::new();
    for line in settings.lines() {
        if !line.starts_with(' ') {
            let key = line.split(':').next().unwrap_or("").to_string();
            blocks.push((key, String::new()));
        }
        if let Some(b) = blocks.last_mut() {
            b.1.push_str(line);
            b.1.push('\n');
        }
    }
    let mut out = String::new();
    let mut lines = template.lines().peekable();
    let mut placed = BTreeSet::new();
    while let Some(line) = lines.next() {
        let key = line
            .strip_prefix('#')
            .and_then(|l| l.split(':').next())
            .filter(|k| !k.is_empty() && !k.starts_with(' '));
        if let Some((k, block)) = key.and_then(|k| blocks.iter().find(|(b, _)| b == k)) {
            out.push_str(block);
            placed.insert(k.clone());
            // Drop the commented default's own indented lines.
            while lines.peek().is_some_and(|l| l.starts_with("#  ")) {
                lines.next();
            }
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    for (k, block) in &blocks {
        if !placed.contains(k) {
            out.push_str(block);
        }
    }
    out
}

/// A new site is made as `boke init` makes one, with the blog's settings in its site.yaml; an
/// existing site.yaml is left as it is and the settings are printed instead.
pub fn prepare_site(root: &Path, title: &str, settings: &str, report: &mut Report) -> Result<()> {
    let yaml = crate::layout::SiteDir::new(root).config_file();
    let title = if title.trim().is_empty() {
        crate::init::DEFAULT_TITLE
    } else {
        title.trim()
    };
    if yaml.exists() {
        report.notes.push(format!(
            "{} was kept as it is; to show the blog as it was, set there:\ntitle: {}\n{settings}",
            yaml.display(),
            crate::frontmatter::write::yaml_quote(title)
        ));
        return Ok(());
    }
    let text = with_settings(&crate::init::site_yaml(title), settings);
    std::fs::create_dir_all(root).map_err(|e| Error::io("create", root, e))?;
    crate::newfile::create(&yaml, text.as_bytes())?;
    crate::init::init(&crate::init::Options {
        dir: root.to_path_buf(),
        title: Some(title.to_string()),
        force: true,
        no_welcome: true,
    })?;
    Ok(())
}
