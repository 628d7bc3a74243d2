//! `site.yaml`: the site's settings. Parsing is pure (`Config::parse`) so it is tested without a
//! disk; `Config::load` is the thin I/O edge.

use crate::datetime;
use crate::error::{Diagnostic, Error, Result};
use crate::i18n::{self, Labels};
use crate::layout::SiteDir;
use crate::permalink::Permalink;
use crate::yaml_lines;
use chrono::FixedOffset;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod base_url;
mod reading;
pub use base_url::BaseUrl;
pub use reading::{Beian, Comments, CommentsView, Copyright, Provider};

/// The settings as `site.yaml` writes them (with defaults for what it leaves out). Only
/// [`Config`] makes one, and it is read through `Config` (which derefs to it), so what is
/// checked or derived from it cannot drift from it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    pub title: String,
    pub subtitle: String,
    pub description: String,
    pub author: String,
    /// Where the site will live, e.g. `https://example.org/blog/` or `/`, as written; the
    /// checked form is [`Config::base_url`].
    base_url: String,
    pub language: String,
    /// UTC offset for times written without one, e.g. `+08:00`.
    pub timezone: String,
    /// Entries per list page.
    pub paginate: usize,
    /// Entries per year or category page: unset means `paginate`, 0 means all on one page.
    pub paginate_archives: Option<usize>,
    /// Length of an automatic excerpt, in characters.
    pub excerpt_length: usize,
    /// Entries in the Atom and RSS feeds.
    pub feed_limit: usize,
    /// `summary` (the excerpt) or `full` (the whole post) in feeds.
    pub feed_content: FeedContent,
    /// Posts in the sidebar's most-viewed list.
    pub hot_posts: usize,
    /// Highlight fenced code at build time (CSS classes `hl-…`).
    pub highlight: bool,
    /// Build the client-side search index and show the search box.
    pub search: bool,
    /// Show a table of contents on post pages (a post's `toc:` overrides it).
    pub toc: bool,
    /// Reading speed for the reading time shown on posts, in words (CJK characters) a minute.
    pub reading_speed: usize,
    /// strftime format of displayed publish times (the language's unless site.yaml sets it).
    pub date_format: String,
    /// How `boke new` makes a slug from a Chinese title.
    pub slug_style: SlugStyle,
    pub nav: Vec<NavLink>,
    pub profile: Profile,
    /// Where pages live: patterns with placeholders.
    pub permalinks: Permalinks,
    /// Where `boke deploy` pushes the built site.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deploy: Option<Deploy>,
    /// Posts listed under 相关文章 at the end of a post (0: none).
    pub related_posts: usize,
    /// A notice on posts last changed more than this many days before the build (0: never).
    pub outdated_days: u64,
    /// Build posts dated after the build too, as `--future` does (Hugo's `buildFuture`).
    pub build_future: bool,
    /// Numbered lines in every code block (a block's ```` ```c linenos ```` asks for one).
    pub line_numbers: bool,
    pub copyright: Option<Copyright>,
    pub beian: Option<Beian>,
    pub comments: Option<Comments>,
    /// Anything else, for the site's own templates.
    pub extra: BTreeMap<String, serde_yaml::Value>,
    /// The site's own wording of single labels, over the language's (see `i18n`).
    pub labels: BTreeMap<String, String>,
}

/// A site's checked settings and what is derived from them once: the time zone's offset, the
/// base URL's parts, the labels in use, the post permalink pattern.
#[derive(Debug, Clone)]
pub struct Config {
    settings: Settings,
    base_url: BaseUrl,
    offset: FixedOffset,
    /// `date_format`, parsed once rather than for every date shown.
    date_items: Vec<chrono::format::Item<'static>>,
    /// The language's labels with `labels` applied: what templates see as `t`.
    labels_in_use: Labels,
    post_permalink: Permalink,
}

impl std::ops::Deref for Config {
    type Target = Settings;
    fn deref(&self) -> &Settings {
        &self.settings
    }
}

/// The settings as templates see them (`site.title`, `site.profile.name` …): every setting,
/// with `base_url` in its checked form.
#[derive(Serialize)]
pub struct SettingsView<'a> {
    title: &'a str,
    subtitle: &'a str,
    description: &'a str,
    author: &'a str,
    base_url: &'a str,
    language: &'a str,
    timezone: &'a str,
    paginate: usize,
    paginate_archives: Option<usize>,
    excerpt_length: usize,
    feed_limit: usize,
    feed_content: FeedContent,
    hot_posts: usize,
    highlight: bool,
    search: bool,
    toc: bool,
    reading_speed: usize,
    date_format: &'a str,
    slug_style: SlugStyle,
    nav: &'a [NavLink],
    profile: &'a Profile,
    permalinks: &'a Permalinks,
    extra: &'a BTreeMap<String, serde_yaml::Value>,
    labels: &'a BTreeMap<String, String>,
    related_posts: usize,
    outdated_days: u64,
    line_numbers: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    copyright: Option<&'a Copyright>,
    #[serde(skip_serializing_if = "Option::is_none")]
    beian: Option<&'a Beian>,
    #[serde(skip_serializing_if = "Option::is_none")]
    comments: Option<CommentsView<'a>>,
}

/// `permalinks:` in site.yaml, as in Hugo: a pattern per kind of page.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Permalinks {
    /// A post's path, e.g. `/posts/{slug}/` or `/uid-29599891-id-{id}.html`.
    pub posts: String,
}

impl Default for Permalinks {
    fn default() -> Self {
        Permalinks {
            posts: crate::permalink::DEFAULT_POSTS.into(),
        }
    }
}

/// `deploy:` in site.yaml, as hexo-deployer-git's: a git repository and the branch that holds
/// the built site.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Deploy {
    /// A URL or path git can push to, e.g. `git@github.com:someone/someone.github.io.git`.
    pub git: String,
    #[serde(default = "default_deploy_branch")]
    pub branch: String,
}

fn default_deploy_branch() -> String {
    "gh-pages".into()
}

/// `pinyin` turns `内核源码` into `nei-he-yuan-ma`, readable anywhere a URL is pasted; `unicode`
/// keeps the characters, which browsers show as written but plain-text tools percent-encode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SlugStyle {
    #[default]
    Pinyin,
    Unicode,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedContent {
    #[default]
    Summary,
    Full,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NavLink {
    pub name: String,
    pub url: String,
}

/// The profile block of the sidebar; the labels are the templates' business.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Profile {
    pub name: String,
    pub avatar: String,
    pub visits: u64,
    pub points: u64,
    pub level: String,
    pub tech_points: u64,
    pub group: String,
    pub registered: String,
}

fn utc8() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("+08:00 is a valid offset")
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            title: String::new(),
            subtitle: String::new(),
            description: String::new(),
            author: String::new(),
            base_url: "/".into(),
            language: "zh".into(),
            timezone: "+08:00".into(),
            paginate: 20,
            paginate_archives: None,
            feed_limit: 20,
            feed_content: FeedContent::Summary,
            hot_posts: 10,
            highlight: true,
            search: true,
            toc: false,
            reading_speed: 300,
            excerpt_length: 200,
            date_format: "%Y-%m-%d %H:%M:%S".into(),
            slug_style: SlugStyle::Pinyin,
            nav: Vec::new(),
            profile: Profile::default(),
            permalinks: Permalinks::default(),
            deploy: None,
            related_posts: 5,
            outdated_days: 0,
            build_future: false,
            line_numbers: false,
            copyright: None,
            beian: None,
            comments: None,
            extra: BTreeMap::new(),
            labels: BTreeMap::new(),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        let settings = Settings::default();
        Config {
            date_items: chrono::format::StrftimeItems::new(&settings.date_format)
                .parse_to_owned()
                .expect("the default date_format is valid"),
            settings,
            base_url: BaseUrl::root(),
            offset: utc8(),
            labels_in_use: i18n::default_language().labels.clone(),
            post_permalink: Permalink::default(),
        }
    }
}

impl Config {
    /// Read `site.yaml` from a site directory.
    pub fn load(site: &SiteDir) -> Result<Config> {
        let path = site.config_file();
        let text = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Diagnostic::new(
                    &path,
                    "no site.yaml here: this directory is not a boke site",
                    "pass --root the site's folder, or create a site there with `boke init DIR`; a site needs a site.yaml with at least `title:`",
                )
                .into());
            }
            Err(e) => return Err(Error::io("read", &path, e)),
        };
        let text = String::from_utf8(text)
            .map_err(|_| Diagnostic::new(&path, "site.yaml is not UTF-8", "save it as UTF-8"))?;
        Config::parse(&text).map_err(|d| Diagnostic { path, ..d }.into())
    }

    /// Parse and validate the text of a `site.yaml`. The returned diagnostic has an empty path.
    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Err(Diagnostic::new(
                "",
                "site.yaml is empty",
                "give the site at least a `title:`",
            ));
        }
        let mut settings: Settings = serde_yaml::from_str(text).map_err(|e| {
            // The location is given once, as the file line, not again in the message.
            let msg = e.to_string();
            let msg = match msg.rfind(" at line ") {
                Some(i) if e.location().is_some() => msg[..i].to_string(),
                _ => msg,
            };
            let d = Diagnostic::new(
                "",
                msg,
                "fix this setting; the README lists every setting with its type",
            );
            match e.location() {
                Some(l) => d.at(l.line(), Some(l.column())),
                None => d,
            }
        })?;
        let line_of = |key: &str| yaml_lines::top_level(text, key);
        let invalid = |key: &str, message: String, help: &str| {
            Diagnostic::new("", message, help).at_line(line_of(key))
        };
        let offset = datetime::parse_offset(&settings.timezone).ok_or_else(|| {
            invalid(
                "timezone",
                format!("timezone `{}` is not a UTC offset", settings.timezone),
                "write it like `+08:00` or `-05:00`",
            )
        })?;
        if settings.paginate == 0 {
            return Err(invalid(
                "paginate",
                "paginate must be at least 1".into(),
                "set paginate: 20",
            ));
        }
        if settings.excerpt_length == 0 {
            return Err(invalid(
                "excerpt_length",
                "excerpt_length must be at least 1".into(),
                "set excerpt_length: 200",
            ));
        }
        if let Some(comments) = &settings.comments {
            if let Some(key) = comments.missing() {
                return Err(invalid(
                    "comments",
                    format!("comments: {:?} needs options.{key}", comments.provider),
                    "copy it from the provider's setup page, e.g. options: {repo: me/blog, repo-id: R_xxx, category: Comments, category-id: DIC_xxx} for giscus",
                ));
            }
            if let Some(bad) = comments.options.keys().find(|k| {
                k.is_empty()
                    || !k
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            }) {
                return Err(invalid(
                    "comments",
                    format!(
                        "comments.options `{bad}` is not a name of lower-case letters, digits and `-`"
                    ),
                    "write the provider's option names as its documentation does, e.g. repo-id",
                ));
            }
            if let Some(script) = &comments.script {
                if check_link(script).is_err() {
                    return Err(invalid(
                        "comments",
                        format!("comments.script `{script}` is not an http(s) URL or a path"),
                        "give the widget script's https:// address",
                    ));
                }
            }
        }
        let labels_in_use = labels_for(&settings, text)?;
        if !has_key(text, "date_format") {
            if let Some(language) = i18n::language(&settings.language) {
                settings.date_format = language.date_format.clone();
            }
        }
        let date_items = chrono::format::StrftimeItems::new(&settings.date_format)
            .parse_to_owned()
            .map_err(|_| {
                invalid(
                    "date_format",
                    format!(
                        "date_format `{}` is not a valid strftime format",
                        settings.date_format
                    ),
                    "use %Y-%m-%d %H:%M:%S style fields",
                )
            })?;
        let base_url = BaseUrl::parse(&settings.base_url)
            .map_err(|why| invalid("base_url", format!("base_url {why}"), BaseUrl::HELP))?;
        let post_permalink = Permalink::parse(&settings.permalinks.posts).map_err(|why| {
            Diagnostic::new(
                "",
                format!("permalinks.posts: {why}"),
                "write a path like `/posts/{slug}/`, `/{year}/{month}/{slug}.html` or `/uid-29599891-id-{id}.html`",
            )
            .at_line(yaml_lines::with_value(text, "posts", &settings.permalinks.posts))
        })?;
        let links = settings
            .nav
            .iter()
            .map(|l| ("url", l.url.as_str()))
            .chain([("avatar", settings.profile.avatar.as_str())]);
        for (key, url) in links {
            if let Err(why) = check_link(url) {
                let d = Diagnostic::new(
                    "",
                    format!("{key} `{}` {why}", url.escape_debug()),
                    "links must be http(s):// or mailto: URLs, or paths like `/about/` or `avatar.svg`",
                );
                return Err(d.at_line(yaml_lines::with_value(text, key, url)));
            }
        }
        Ok(Config {
            settings,
            base_url,
            offset,
            date_items,
            labels_in_use,
            post_permalink,
        })
    }

    /// Replace base_url (the CLI's `--base-url`).
    pub fn set_base_url(&mut self, url: BaseUrl) {
        self.base_url = url;
    }

    /// Where the site lives, checked: see [`BaseUrl`].
    pub fn base_url(&self) -> &BaseUrl {
        &self.base_url
    }

    /// The settings as templates see them.
    pub fn view(&self) -> SettingsView<'_> {
        let s = &self.settings;
        SettingsView {
            title: &s.title,
            subtitle: &s.subtitle,
            description: &s.description,
            author: &s.author,
            base_url: self.base_url.as_str(),
            language: &s.language,
            timezone: &s.timezone,
            paginate: s.paginate,
            paginate_archives: s.paginate_archives,
            excerpt_length: s.excerpt_length,
            feed_limit: s.feed_limit,
            feed_content: s.feed_content,
            hot_posts: s.hot_posts,
            highlight: s.highlight,
            search: s.search,
            toc: s.toc,
            reading_speed: s.reading_speed,
            date_format: &s.date_format,
            slug_style: s.slug_style,
            nav: &s.nav,
            profile: &s.profile,
            permalinks: &s.permalinks,
            extra: &s.extra,
            labels: &s.labels,
            related_posts: s.related_posts,
            outdated_days: s.outdated_days,
            line_numbers: s.line_numbers,
            copyright: s.copyright.as_ref(),
            beian: s.beian.as_ref(),
            comments: s.comments.as_ref().map(Comments::view),
        }
    }

    /// Entries per year or category page.
    pub fn archive_page_size(&self) -> usize {
        match self.paginate_archives {
            None => self.paginate,
            Some(0) => usize::MAX,
            Some(n) => n,
        }
    }

    /// `https://host` of base_url, for absolute links in feeds; empty when base_url is a path.
    pub fn origin(&self) -> &str {
        self.base_url.origin()
    }

    /// The pattern that places each post's page.
    pub fn post_permalink(&self) -> &Permalink {
        &self.post_permalink
    }

    /// The labels templates show (`t`): the language's, with the site's `labels:` applied.
    pub fn labels_in_use(&self) -> &Labels {
        &self.labels_in_use
    }

    pub fn offset(&self) -> FixedOffset {
        self.offset
    }

    /// A time as the site shows it (`date_format`).
    pub fn show_date(&self, date: &chrono::DateTime<FixedOffset>) -> String {
        date.format_with_items(self.date_items.iter()).to_string()
    }

    /// The path part of base_url, always starting and ending with `/`: links are made from it.
    pub fn base_path(&self) -> &str {
        self.base_url.path()
    }
}

/// Whether a URL from the settings may go into an `href` or `src`: it must not run script
/// (`javascript:`, `data:`, `vbscript:`) when clicked. Browsers drop tabs and newlines inside a
/// URL and spaces and control characters around it before reading its scheme, so `java\tscript:`
/// is read as `javascript:`; those characters are refused outright.
pub fn check_link(url: &str) -> Result<(), &'static str> {
    if url.chars().any(|c| c.is_control()) {
        return Err("contains a control character");
    }
    let url = url.trim_matches(' ');
    // A scheme is letters, digits, `+`, `-`, `.` before the first `:`, if that `:` comes before
    // any `/`, `?` or `#`; anything else is a path.
    let scheme = url
        .split_once(':')
        .map(|(s, _)| s)
        .filter(|s| !s.contains(['/', '?', '#']));
    match scheme {
        None => Ok(()),
        Some(s) if ["http", "https", "mailto"].contains(&s.to_ascii_lowercase().as_str()) => Ok(()),
        Some(_) => Err("is not an http(s) or mailto link, or a path"),
    }
}

/// The labels of the site's language with its own `labels:` applied. An unknown language or
/// label is an error at its line in site.yaml.
fn labels_for(config: &Settings, text: &str) -> Result<Labels, Diagnostic> {
    let Some(language) = i18n::language(&config.language) else {
        let d = Diagnostic::new(
            "",
            format!("language `{}` is not one boke ships", config.language),
            format!(
                "use one of: {}; single labels can then be reworded under `labels:`",
                i18n::language_names()
            ),
        );
        return Err(d.at_line(yaml_lines::top_level(text, "language")));
    };
    language.labels.with_overrides(&config.labels).map_err(|e| {
        let d = Diagnostic::new("", format!("labels: {e}"), e.help());
        // The entry's line under `labels:`, not a same-named key elsewhere (profile's `level:`).
        let line = yaml_lines::under(text, "labels", e.key());
        d.at_line(line)
    })
}

/// Whether site.yaml sets a top-level `key` at all (a default is then not applied).
fn has_key(text: &str, key: &str) -> bool {
    serde_yaml::from_str::<serde_yaml::Mapping>(text).is_ok_and(|m| m.contains_key(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_what_is_missing() {
        let c = Config::parse("title: 博客\n").unwrap();
        assert_eq!(c.paginate, 20);
        assert_eq!(c.offset(), utc8());
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn base_path_comes_from_the_url() {
        let c = Config::parse("title: t\nbase_url: https://example.org/blog\n").unwrap();
        assert_eq!(c.base_path(), "/blog/");
        assert_eq!(c.base_url().as_str(), "https://example.org/blog/");
        assert_eq!(c.origin(), "https://example.org");
        assert_eq!(
            Config::parse("title: t\nbase_url: /blog/\n")
                .unwrap()
                .origin(),
            ""
        );
        assert!(Config::parse("title: t\nbase_url: example.org\n").is_err());
    }

    #[test]
    fn errors_name_the_line() {
        let e = Config::parse("title: t\npaginate: many\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        let e = Config::parse("title: t\ntimezone: Mars\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        let e = Config::parse("title: t\ntitel: x\n").unwrap_err();
        assert!(e.message.contains("titel"), "{e}");
        let e = Config::parse("title: t\ndate_format: \"%Q\"\n").unwrap_err();
        assert!(e.message.contains("date_format"), "{e}");
        assert!(Config::parse("   \n").is_err());
    }

    #[test]
    fn links_that_run_script_are_refused() {
        for good in [
            "http://www.chinaunix.net/",
            "HTTPS://example.org/a:b",
            "/about/",
            "avatar.svg",
            "img/me.png",
            "../up",
            "?page=2",
            "#top",
            "mailto:me@example.org",
            "a/b:c",
            "",
        ] {
            assert!(check_link(good).is_ok(), "{good:?} refused");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "file:///etc/passwd",
        ] {
            assert!(check_link(bad).is_err(), "{bad:?} accepted");
        }
        let e = Config::parse(
            "title: t\nnav:\n  - name: 首页\n    url: /\n  - name: x\n    url: \"javascript:alert(1)\"\n",
        )
        .unwrap_err();
        assert_eq!(e.line, Some(6), "{e}");
        assert!(e.message.contains("javascript:alert(1)"), "{e}");
        let e =
            Config::parse("title: t\nprofile:\n  avatar: \"data:image/svg+xml,x\"\n").unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        assert!(e.help.contains("http"), "{e}");
        assert!(
            Config::parse("title: t\nprofile:\n  avatar: https://example.org/me.png\n").is_ok()
        );
    }

    #[test]
    fn language_picks_labels_and_date_format_unless_set() {
        let zh = Config::parse("title: t\n").unwrap();
        assert_eq!(zh.labels_in_use().get("read_more"), Some("【阅读全文】"));
        assert_eq!(zh.date_format, "%Y-%m-%d %H:%M:%S");
        let en = Config::parse("title: t\nlanguage: en\n").unwrap();
        assert_eq!(en.labels_in_use().get("read_more"), Some("Read more"));
        assert_eq!(en.date_format, "%B %-d, %Y %H:%M");
        let own = Config::parse("title: t\nlanguage: en\ndate_format: \"%d.%m.%Y\"\n").unwrap();
        assert_eq!(own.date_format, "%d.%m.%Y");
        let c = Config::parse("title: t\nlabels:\n  read_more: 继续阅读\n").unwrap();
        assert_eq!(c.labels_in_use().get("read_more"), Some("继续阅读"));
        assert_eq!(c.labels_in_use().get("toc"), Some("目录"));
    }

    #[test]
    fn unknown_languages_and_labels_name_their_line() {
        let e = Config::parse("title: t\nlanguage: fr\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        assert!(
            e.message.contains("`fr`") && e.help.contains("zh, en"),
            "{e}"
        );
        // `level` is also a profile key above; the line is the one under `labels:`.
        let text = "title: t\nprofile:\n  level: x\nlabels:\n  toc: 目录\n  levle: x\n";
        let e = Config::parse(text).unwrap_err();
        assert_eq!(e.line, Some(6), "{e}");
        assert!(
            e.message.contains("levle") && e.help.contains("`level`"),
            "{e}"
        );
        let e = Config::parse("title: t\nlabels: {tok: x}\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        let e = Config::parse("title: t\nlabels:\n  level: \"{lvl}\"\n").unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        assert!(e.help.contains("{level}"), "{e}");
    }

    #[test]
    fn slug_style_is_pinyin_unless_set() {
        assert_eq!(
            Config::parse("title: t\n").unwrap().slug_style,
            SlugStyle::Pinyin
        );
        let c = Config::parse("title: t\nslug_style: unicode\n").unwrap();
        assert_eq!(c.slug_style, SlugStyle::Unicode);
        let e = Config::parse("title: t\nslug_style: hanzi\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        assert!(
            e.message.contains("pinyin") && e.message.contains("unicode"),
            "{e}"
        );
    }
}
