//! An old generator's site settings, as boke's `site.yaml` says them: what Hexo's and Jekyll's
//! `_config.yml` readers fill in, and the `site.yaml` text written from it.

use crate::frontmatter::write::yaml_quote;
use chrono::{NaiveDate, Offset, TimeZone};
use std::fmt::Write as _;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub title: Option<String>,
    pub subtitle: Option<String>,
    pub description: Option<String>,
    pub author: Option<String>,
    /// boke's language code (`zh`, `en`).
    pub language: Option<String>,
    /// A UTC offset as site.yaml takes it (`+08:00`).
    pub timezone: Option<String>,
    pub base_url: Option<String>,
    pub paginate: Option<usize>,
    /// `permalinks.posts`, when one boke pattern gives every post its old address.
    pub permalink: Option<String>,
}

/// A UTC offset for an IANA zone name, and whether the zone changes its clocks (which a
/// fixed offset cannot follow: boke takes the zone's standard time, and the report says so).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneOffset {
    pub offset: String,
    pub has_summer_time: bool,
}

/// `Asia/Shanghai` → `+08:00`. Offsets (`+0800`, `UTC`) are taken as they are.
pub fn zone_offset(name: &str) -> Option<ZoneOffset> {
    let name = name.trim();
    if let Some(fixed) = crate::datetime::parse_offset(name) {
        return Some(ZoneOffset {
            offset: format_offset(fixed.local_minus_utc()),
            has_summer_time: false,
        });
    }
    let tz: chrono_tz::Tz = name.parse().ok()?;
    // January and July of one fixed year: deterministic, and one of them is summer time
    // wherever there is any.
    let at = |m| {
        let noon = NaiveDate::from_ymd_opt(2020, m, 1)?.and_hms_opt(12, 0, 0)?;
        Some(tz.offset_from_utc_datetime(&noon).fix().local_minus_utc())
    };
    let (jan, jul) = (at(1)?, at(7)?);
    Some(ZoneOffset {
        offset: format_offset(jan.min(jul)),
        has_summer_time: jan != jul,
    })
}

fn format_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let m = seconds.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", m / 60, m % 60)
}

/// Hexo's and Jekyll's language names (`zh-CN`, `zh-Hans`, `en_US`) as boke's.
pub fn language(name: &str) -> Option<String> {
    let primary = name
        .trim()
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    crate::i18n::language(&primary).map(|_| primary)
}

/// The address a site was published at: Hexo's `url` (which may already hold the sub-path)
/// with `root`, Jekyll's `url` with `baseurl`.
pub fn base_url(url: &str, root: &str) -> Option<String> {
    let url = url.trim().trim_end_matches('/');
    if url.is_empty() {
        return None;
    }
    let root = root.trim().trim_matches('/');
    let mut out = url.to_string();
    if !root.is_empty() && !url.ends_with(&format!("/{root}")) {
        out.push('/');
        out.push_str(root);
    }
    out.push('/');
    Some(out)
}

impl Settings {
    /// site.yaml's settings but the title (which the new site's skeleton takes on its own),
    /// as top-level keys: every value quoted, so a subtitle such as `a: b` keeps its meaning.
    pub fn site_yaml(&self) -> String {
        let mut s = String::new();
        let text = [
            ("subtitle", &self.subtitle),
            ("description", &self.description),
            ("author", &self.author),
            ("base_url", &self.base_url),
            ("language", &self.language),
            ("timezone", &self.timezone),
        ];
        for (key, value) in text {
            if let Some(v) = value {
                let _ = writeln!(s, "{key}: {}", yaml_quote(v));
            }
        }
        if let Some(n) = self.paginate {
            let _ = writeln!(s, "paginate: {n}");
        }
        if let Some(p) = &self.permalink {
            let _ = writeln!(s, "permalinks:\n  posts: {}", yaml_quote(p));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn zones_become_offsets() {
        let z = |n| zone_offset(n).map(|z| (z.offset, z.has_summer_time));
        assert_eq!(z("Asia/Shanghai"), Some(("+08:00".into(), false)));
        assert_eq!(z("Asia/Kolkata"), Some(("+05:30".into(), false)));
        assert_eq!(z("America/New_York"), Some(("-05:00".into(), true)));
        assert_eq!(z("+0800"), Some(("+08:00".into(), false)));
        assert_eq!(z("UTC"), Some(("+00:00".into(), false)));
        assert_eq!(z("Mars/Olympus"), None);
    }

    #[test]
    fn languages_are_boke_codes() {
        assert_eq!(language("zh-CN").as_deref(), Some("zh"));
        assert_eq!(language("zh_Hans").as_deref(), Some("zh"));
        assert_eq!(language("en").as_deref(), Some("en"));
        assert_eq!(language("tlh"), None);
    }

    #[test]
    fn url_and_root_make_one_base_url() {
        assert_eq!(
            base_url("http://example.org", "/").as_deref(),
            Some("http://example.org/")
        );
        assert_eq!(
            base_url("http://example.org/blog", "/blog/").as_deref(),
            Some("http://example.org/blog/")
        );
        assert_eq!(
            base_url("http://example.org/", "/blog/").as_deref(),
            Some("http://example.org/blog/")
        );
        assert_eq!(base_url("", "/"), None);
    }

    #[test]
    fn site_yaml_reads_back_as_written() {
        let s = Settings {
            title: Some("a: b #1".into()),
            subtitle: Some("\"引号\"".into()),
            author: Some("张三".into()),
            language: Some("zh".into()),
            timezone: Some("+08:00".into()),
            base_url: Some("https://example.org/blog/".into()),
            paginate: Some(7),
            permalink: Some("/{year}/{month}/{day}/{slug}/".into()),
            ..Settings::default()
        };
        let c = Config::parse(&format!("title: \"a: b #1\"\n{}", s.site_yaml())).unwrap();
        assert_eq!(c.title, "a: b #1");
        assert_eq!(c.subtitle, "\"引号\"");
        assert_eq!(c.author, "张三");
        assert_eq!(c.paginate, 7);
        assert_eq!(c.base_path(), "/blog/");
        assert_eq!(c.permalinks.posts, "/{year}/{month}/{day}/{slug}/");
    }
}
