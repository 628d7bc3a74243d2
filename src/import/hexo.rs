//! A Hexo site's `_config.yml` as boke's settings: title, subtitle, description, author,
//! language, the IANA time zone as its offset, `url` + `root` as `base_url`, `per_page`, and
//! the permalink, as a boke pattern where one says it (else each post gets an alias).

use super::old_permalink::OldPermalink;
use super::settings::{self, Settings};
use crate::error::Diagnostic;
use serde_yaml::Value;
use std::path::Path;

/// What the importer needs of `_config.yml`.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub settings: Settings,
    pub permalink: OldPermalink,
    /// `source_dir` (default `source`).
    pub source_dir: String,
    /// `post_asset_folder: true`: each post has a folder of its files beside it.
    pub post_asset_folder: bool,
    /// What was taken with a change, for the report (a summer-time zone, an unknown language).
    pub notes: Vec<String>,
}

pub const DEFAULT_PERMALINK: &str = ":year/:month/:day/:title/";

/// Read `_config.yml`'s text; `path` names the file in errors.
pub fn read_config(path: &Path, text: &str) -> Result<SiteConfig, Diagnostic> {
    let map = yaml_mapping(path, text)?;
    let get = |k: &str| scalar(map.get(k));
    let mut notes = Vec::new();
    let mut s = Settings {
        title: get("title"),
        subtitle: get("subtitle"),
        description: get("description"),
        author: get("author"),
        ..Settings::default()
    };
    // Hexo allows a list of languages; the first is the site's.
    let lang = match map.get("language") {
        Some(Value::Sequence(list)) => scalar(list.first()),
        other => scalar(other),
    };
    if let Some(l) = lang {
        s.language = settings::language(&l);
        if s.language.is_none() {
            notes.push(format!(
                "language `{l}` has no labels in boke; the site uses the default"
            ));
        }
    }
    s.timezone = time_zone(get("timezone"), &mut notes);
    s.base_url = get("url").and_then(|u| settings::base_url(&u, &get("root").unwrap_or_default()));
    s.paginate = match map.get("per_page").and_then(Value::as_u64) {
        Some(0) => {
            notes.push(
                "per_page: 0 (no pagination) has no equal in boke; lists show 20 posts a page"
                    .into(),
            );
            None
        }
        n => n.map(|n| n as usize),
    };
    let permalink = OldPermalink::hexo(&get("permalink").unwrap_or(DEFAULT_PERMALINK.into()));
    s.permalink = permalink.boke_pattern();
    Ok(SiteConfig {
        settings: s,
        permalink,
        source_dir: get("source_dir").unwrap_or_else(|| "source".into()),
        post_asset_folder: matches!(map.get("post_asset_folder"), Some(Value::Bool(true))),
        notes,
    })
}

/// An IANA zone (or offset) as site.yaml's offset; a summer-time zone is noted.
pub(super) fn time_zone(name: Option<String>, notes: &mut Vec<String>) -> Option<String> {
    let name = name?;
    match settings::zone_offset(&name) {
        Some(z) => {
            if z.has_summer_time {
                notes.push(format!(
                    "time zone `{name}` has summer time; boke keeps one offset, {}, so posts \
                     written in summer show an hour off unless their date has its own offset",
                    z.offset
                ));
            }
            Some(z.offset)
        }
        None => {
            notes.push(format!(
                "time zone `{name}` is not a zone name boke knows; set `timezone:` in site.yaml"
            ));
            None
        }
    }
}

pub(super) fn yaml_mapping(path: &Path, text: &str) -> Result<serde_yaml::Mapping, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Ok(serde_yaml::Mapping::new());
    }
    match serde_yaml::from_str::<Value>(text) {
        Ok(Value::Mapping(m)) => Ok(m),
        Ok(Value::Null) => Ok(serde_yaml::Mapping::new()),
        Ok(_) => Err(Diagnostic::new(
            path,
            "the settings file is not a mapping of `key: value` lines",
            "fix the old site's _config.yml, or import with it moved aside",
        )),
        Err(e) => {
            let d = Diagnostic::new(
                path,
                format!("the settings file is not valid YAML: {e}"),
                "fix the old site's _config.yml (the old generator would refuse it too)",
            );
            Err(match e.location() {
                Some(l) => d.at(l.line(), Some(l.column())),
                None => d,
            })
        }
    }
}

/// A scalar setting as text; empty values and lists count as missing.
pub(super) fn scalar(v: Option<&Value>) -> Option<String> {
    let s = match v? {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "\
# Hexo Configuration
title: 内核笔记
subtitle: 'a: b'
description:
author: 张三
language: zh-CN
timezone: Asia/Shanghai
url: http://example.org/blog
root: /blog/
permalink: :year/:month/:day/:title/
source_dir: source
post_asset_folder: true
per_page: 10
";

    #[test]
    fn settings_come_from_the_config() {
        let c = read_config(Path::new("_config.yml"), CONFIG).unwrap();
        let s = &c.settings;
        assert_eq!(s.title.as_deref(), Some("内核笔记"));
        assert_eq!(s.subtitle.as_deref(), Some("a: b"));
        assert_eq!(s.description, None);
        assert_eq!(s.author.as_deref(), Some("张三"));
        assert_eq!(s.language.as_deref(), Some("zh"));
        assert_eq!(s.timezone.as_deref(), Some("+08:00"));
        assert_eq!(s.base_url.as_deref(), Some("http://example.org/blog/"));
        assert_eq!(s.paginate, Some(10));
        assert_eq!(
            s.permalink.as_deref(),
            Some("/{year}/{month}/{day}/{slug}/")
        );
        assert!(c.post_asset_folder);
        assert!(c.notes.is_empty(), "{:?}", c.notes);
    }

    #[test]
    fn defaults_and_notes() {
        let c = read_config(
            Path::new("_config.yml"),
            "language: [en, zh-CN]\ntimezone: Europe/Berlin\npermalink: :category/:title.html\n",
        )
        .unwrap();
        assert_eq!(c.settings.language.as_deref(), Some("en"));
        assert_eq!(c.settings.timezone.as_deref(), Some("+01:00"));
        assert_eq!(c.settings.permalink, None);
        assert_eq!(c.source_dir, "source");
        assert!(!c.post_asset_folder);
        assert_eq!(c.notes.len(), 1);
        assert!(c.notes[0].contains("summer"), "{:?}", c.notes);
        let empty = read_config(Path::new("_config.yml"), "").unwrap();
        assert_eq!(
            empty.settings.permalink.as_deref(),
            Some("/{year}/{month}/{day}/{slug}/")
        );
    }

    #[test]
    fn a_broken_config_names_its_line() {
        let e = read_config(Path::new("_config.yml"), "title: a\nurl: [\n").unwrap_err();
        assert!(e.line.is_some(), "{e:?}");
        assert!(e.path.ends_with("_config.yml"));
    }
}
