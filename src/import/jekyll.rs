//! A Jekyll (or Octopress) site's `_config.yml` as boke's settings: title, description,
//! author (a name or a mapping with `name:`), `lang`, the IANA time zone as its offset,
//! `url` + `baseurl` as `base_url`, `paginate`, and the permalink style or pattern.

use super::hexo::{scalar, time_zone, yaml_mapping};
use super::old_permalink::OldPermalink;
use super::settings::{self, Settings};
use crate::error::Diagnostic;
use serde_yaml::Value;
use std::path::Path;

#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub settings: Settings,
    pub permalink: OldPermalink,
    pub notes: Vec<String>,
}

pub fn read_config(path: &Path, text: &str) -> Result<SiteConfig, Diagnostic> {
    let map = yaml_mapping(path, text)?;
    let get = |k: &str| scalar(map.get(k));
    let mut notes = Vec::new();
    let author = match map.get("author") {
        Some(Value::Mapping(m)) => scalar(m.get("name")),
        other => scalar(other),
    };
    let mut s = Settings {
        title: get("title"),
        subtitle: get("subtitle").or_else(|| get("tagline")),
        description: get("description"),
        author,
        ..Settings::default()
    };
    if let Some(l) = get("lang").or_else(|| get("locale")) {
        s.language = settings::language(&l);
    }
    s.timezone = time_zone(get("timezone"), &mut notes);
    s.base_url =
        get("url").and_then(|u| settings::base_url(&u, &get("baseurl").unwrap_or_default()));
    s.paginate = map
        .get("paginate")
        .and_then(Value::as_u64)
        .filter(|n| *n > 0)
        .map(|n| n as usize);
    let permalink = OldPermalink::jekyll(&get("permalink").unwrap_or_default());
    s.permalink = permalink.boke_pattern();
    Ok(SiteConfig {
        settings: s,
        permalink,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_come_from_the_config() {
        let c = read_config(
            Path::new("_config.yml"),
            "title: My Octopress Blog\nauthor:\n  name: Jane\nurl: https://jane.example\n\
             baseurl: /notes\ntimezone: Asia/Tokyo\npaginate: 5\npermalink: /blog/:year/:month/:day/:title/\n",
        )
        .unwrap();
        let s = &c.settings;
        assert_eq!(s.title.as_deref(), Some("My Octopress Blog"));
        assert_eq!(s.author.as_deref(), Some("Jane"));
        assert_eq!(s.base_url.as_deref(), Some("https://jane.example/notes/"));
        assert_eq!(s.timezone.as_deref(), Some("+09:00"));
        assert_eq!(s.paginate, Some(5));
        assert_eq!(
            s.permalink.as_deref(),
            Some("/blog/{year}/{month}/{day}/{slug}/")
        );
    }

    #[test]
    fn the_default_style_needs_aliases_for_categories() {
        let c = read_config(Path::new("_config.yml"), "title: x\n").unwrap();
        // `date`: /:categories/:year/:month/:day/:title.html, which boke cannot say.
        assert_eq!(c.settings.permalink, None);
        assert_eq!(c.settings.timezone, None);
    }
}
