//! `boke init`: a new site that builds at once, with the templates and CSS compiled into boke.
//! It only ever adds: nothing is deleted or overwritten, with `--force` or without.
//!
//! The texts it writes live in `src/init/` so they can be read and edited as what they are.

use crate::config::Config;
use crate::error::{Diagnostic, Error, Result};
use crate::frontmatter::write::{Meta, front_matter, yaml_quote};
use crate::layout::{self, SiteDir};
use crate::newfile;
use crate::newpost;
use crate::render::DEFAULT_TEMPLATES;
use crate::slug::Slug;
use chrono::{DateTime, FixedOffset, Utc};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const SITE_YAML: &str = include_str!("init/site.yaml");
const WELCOME_BODY: &str = include_str!("init/welcome.md");
const TEMPLATES_README: &str = include_str!("init/templates-README.md");
/// What git should not track: the built site, and boke's own work folder (caches, import
/// records, deploy state), which boke can always make again.
const GITIGNORE: &str = include_str!("init/gitignore");
const PAGES_WORKFLOW: &str = include_str!("init/pages.yml");
/// Where GitHub Actions looks for the workflow that publishes the site.
pub const WORKFLOW_DIR: &str = ".github/workflows";

pub const DEFAULT_TITLE: &str = "我的博客";
pub const WELCOME_TITLE: &str = "欢迎使用 boke";
/// Named without a date so that running `init --force` again finds it and leaves it alone.
pub const WELCOME_FILE: &str = "welcome.md";

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub dir: PathBuf,
    /// The site's title [default: DEFAULT_TITLE].
    pub title: Option<String>,
    /// Add the missing files to a directory that is not empty.
    pub force: bool,
    /// Leave out the welcome post (a site about to be filled by an import).
    pub no_welcome: bool,
}

/// What `init` did, relative to the site directory.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub dir: PathBuf,
    /// Files and directories made; directories end with `/`.
    pub created: Vec<PathBuf>,
    /// Files left as they were, with the reason.
    pub kept: Vec<(PathBuf, String)>,
}

/// The commented `site.yaml` of a new site.
pub fn site_yaml(title: &str) -> String {
    SITE_YAML.replace("{title}", &yaml_quote(title))
}

/// `templates/README.md`, listing the built-in templates by the name that overrides them.
pub fn templates_readme() -> String {
    let list: Vec<String> = DEFAULT_TEMPLATES
        .iter()
        .map(|(name, _)| format!("- `{name}`"))
        .collect();
    TEMPLATES_README.replace("{templates}", &list.join("\n"))
}

/// The welcome post, dated `date`.
pub fn welcome_post(date: DateTime<FixedOffset>) -> String {
    let tags = ["boke".to_string()];
    let front = front_matter(&Meta {
        title: WELCOME_TITLE,
        date,
        category: Some("随笔"),
        tags: &tags,
        draft: false,
        id: None,
    });
    format!("{front}\n{WELCOME_BODY}")
}

/// Make a site in `opts.dir`, creating the directory if needed.
pub fn init(opts: &Options) -> Result<Report> {
    let title = opts.title.as_deref().unwrap_or(DEFAULT_TITLE).trim();
    if title.is_empty() {
        return Err(Diagnostic::new(
            "--title",
            "the site title is empty",
            "give it a title, e.g. --title 我的博客",
        )
        .into());
    }
    let dir = &opts.dir;
    match std::fs::metadata(dir) {
        Ok(m) if !m.is_dir() => {
            return Err(Diagnostic::new(
                dir,
                "this is a file, not a directory",
                "name a new or empty directory: boke init myblog",
            )
            .into());
        }
        Ok(_) => {
            let present = visible_entries(dir)?;
            if !present.is_empty() && !opts.force {
                return Err(Diagnostic::new(
                    dir,
                    format!("the directory is not empty: it holds {}", some_of(&present)),
                    "name a new or empty directory (boke init myblog), or pass --force to add \
                     only the files that are missing: nothing is deleted or overwritten",
                )
                .into());
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io("read", dir, e)),
    }

    let mut report = Report {
        dir: dir.clone(),
        ..Report::default()
    };
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
    for sub in [
        layout::rel_posts_dir().as_path(),
        layout::rel_static_dir(),
        layout::rel_templates_dir(),
    ] {
        ensure_dir(dir, sub, &mut report)?;
    }
    write_new(
        dir,
        Path::new(layout::CONFIG_FILE),
        &site_yaml(title),
        &mut report,
    )?;

    let welcome = layout::rel_posts_dir().join(WELCOME_FILE);
    let slug = Slug::from_file_stem("welcome").expect("a valid slug");
    match newpost::find_slug(dir, &slug)? {
        _ if opts.no_welcome => {}
        Some(other) if other != welcome => report.kept.push((
            welcome,
            format!(
                "not written: {} already has the slug `welcome`",
                other.display()
            ),
        )),
        _ => {
            // A site.yaml kept by --force may set another time zone, or may be broken; the
            // welcome post's date matters too little to stop for that.
            let tz = Config::load(&SiteDir::new(dir))
                .map(|c| c.offset())
                .unwrap_or_else(|_| Config::default().offset());
            let text = welcome_post(Utc::now().with_timezone(&tz));
            write_new(dir, &welcome, &text, &mut report)?;
        }
    }

    write_new(
        dir,
        &layout::rel_templates_dir().join("README.md"),
        &templates_readme(),
        &mut report,
    )?;
    write_new(dir, Path::new(".gitignore"), GITIGNORE, &mut report)?;
    ensure_dir(dir, Path::new(WORKFLOW_DIR), &mut report)?;
    write_new(
        dir,
        &Path::new(WORKFLOW_DIR).join("pages.yml"),
        PAGES_WORKFLOW,
        &mut report,
    )?;
    Ok(report)
}

/// Entries of `dir` other than hidden ones, so that a directory holding only `.git` counts as
/// empty: `git init` first is a common way to start.
fn visible_entries(dir: &Path) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io("read", dir, e))? {
        let entry = entry.map_err(|e| Error::io("read", dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

fn some_of(names: &[String]) -> String {
    const SHOWN: usize = 3;
    let mut s = names
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        let _ = write!(s, " and {} more", names.len() - SHOWN);
    }
    s
}

fn ensure_dir(root: &Path, rel: &Path, report: &mut Report) -> Result<()> {
    let full = root.join(rel);
    if full.is_dir() {
        return Ok(());
    }
    if full.exists() {
        return Err(Diagnostic::new(
            &full,
            "this is a file, but a boke site needs a directory here",
            "rename or move the file, then run boke init again; boke does not delete it",
        )
        .into());
    }
    std::fs::create_dir_all(&full).map_err(|e| Error::io("create", &full, e))?;
    report
        .created
        .push(PathBuf::from(format!("{}/", rel.display())));
    Ok(())
}

/// Write a file that does not exist yet; an existing one is left alone and reported as kept.
fn write_new(root: &Path, rel: &Path, text: &str, report: &mut Report) -> Result<()> {
    if !newfile::create(&root.join(rel), text.as_bytes())? {
        report
            .kept
            .push((rel.to_path_buf(), "already there, left as it was".into()));
        return Ok(());
    }
    report.created.push(rel.to_path_buf());
    Ok(())
}

impl Report {
    /// What was made and kept, and the commands to build and serve the site.
    pub fn summary(&self) -> String {
        let mut s = String::new();
        let dir = if self.dir == Path::new(".") {
            "the current directory".to_string()
        } else {
            self.dir.display().to_string()
        };
        if self.created.is_empty() {
            let _ = writeln!(s, "{dir} already has every file boke init makes");
        } else {
            let _ = writeln!(s, "created a boke site in {dir}:");
        }
        for c in &self.created {
            let _ = writeln!(s, "  created {}", c.display());
        }
        for (k, why) in &self.kept {
            let _ = writeln!(s, "  kept    {} ({why})", k.display());
        }
        let cd = if self.dir == Path::new(".") {
            String::new()
        } else {
            format!("cd {} && ", shell_quote(&self.dir.to_string_lossy()))
        };
        let _ = writeln!(
            s,
            "\nto build the site into public/, or to preview it as you write:"
        );
        let _ = writeln!(s, "  {cd}boke build");
        let _ = writeln!(s, "  {cd}boke serve");
        s
    }
}

/// Quote a path for a POSIX shell when it needs it, so the printed command can be pasted.
fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || "-_./+,:@%=~".contains(c));
    if plain && !s.starts_with('~') {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Post;
    use chrono::TimeZone;

    /// The template with every switched-off setting switched on, as a user would: a line
    /// `#key: value` (no space after `#`), and the indented `#  key: value` lines that follow
    /// one. Prose and examples start with `# ` and stay comments.
    fn switched_on(yaml: &str) -> String {
        let mut on = false;
        let mut out = Vec::new();
        for l in yaml.lines() {
            let rest = l.strip_prefix('#');
            on = match rest {
                Some(r) if !r.is_empty() && !r.starts_with([' ', '#']) => true,
                Some(r) => on && r.starts_with("  "),
                None => false,
            };
            out.push(if on { rest.unwrap_or(l) } else { l });
        }
        out.join("\n")
    }

    #[test]
    fn site_yaml_shows_every_setting_with_its_default() {
        let text = switched_on(&site_yaml("博客"));
        let parsed = Config::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let want = Config::parse("title: 博客\n").unwrap();
        let as_value = |c: &Config| serde_yaml::to_value(c.view()).unwrap();
        assert_eq!(as_value(&parsed), as_value(&want));

        let defaults = as_value(&Config::default());
        let top = defaults.as_mapping().unwrap();
        for key in top.keys().map(|k| k.as_str().unwrap()) {
            assert!(
                text.lines().any(|l| l.starts_with(&format!("{key}:"))),
                "site.yaml does not show `{key}`"
            );
        }
        for key in defaults["profile"].as_mapping().unwrap().keys() {
            let key = key.as_str().unwrap();
            assert!(
                text.lines().any(|l| l.starts_with(&format!("  {key}:"))),
                "site.yaml does not show `profile.{key}`"
            );
        }
    }

    #[test]
    fn site_yaml_as_written_parses_and_keeps_the_title() {
        for title in ["博客", "a: #b", "- 列表", "\"quoted\""] {
            let c = Config::parse(&site_yaml(title)).unwrap();
            assert_eq!(c.title, title);
            assert_eq!(c.paginate, 20);
        }
    }

    #[test]
    fn templates_readme_names_every_builtin_template() {
        let text = templates_readme();
        for (name, _) in DEFAULT_TEMPLATES {
            assert!(text.contains(&format!("`{name}`")), "{name}");
        }
        assert!(!text.contains("{templates}"));
    }

    #[test]
    fn welcome_post_builds_with_an_excerpt() {
        let date = FixedOffset::east_opt(8 * 3600)
            .unwrap()
            .with_ymd_and_hms(2026, 11, 25, 10, 0, 0)
            .unwrap();
        let text = welcome_post(date);
        let post = Post::parse(
            &layout::rel_posts_dir().join(WELCOME_FILE),
            text.as_bytes(),
            &Config::default(),
        )
        .unwrap();
        assert_eq!(post.meta.title.as_deref(), Some(WELCOME_TITLE));
        assert_eq!(post.slug.as_str(), "welcome");
        assert!(!post.meta.draft);
        assert!(
            post.excerpt.text.contains("第一篇文章"),
            "{:?}",
            post.excerpt
        );
        assert!(!post.excerpt.text.contains("预览与发布"));
    }

    #[test]
    fn printed_commands_can_be_pasted() {
        assert_eq!(shell_quote("myblog"), "myblog");
        assert_eq!(shell_quote("/tmp/我的博客"), "/tmp/我的博客");
        assert_eq!(shell_quote("my blog"), "'my blog'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        let r = Report {
            dir: "my blog".into(),
            created: vec!["site.yaml".into()],
            kept: vec![],
        };
        assert!(
            r.summary().contains("cd 'my blog' && boke build"),
            "{}",
            r.summary()
        );
        let here = Report {
            dir: ".".into(),
            ..r
        };
        assert!(
            here.summary().contains("\n  boke serve\n"),
            "{}",
            here.summary()
        );
    }
}
