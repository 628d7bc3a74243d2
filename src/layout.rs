//! The site's folder layout: the one place that names a site's files and folders (`site.yaml`,
//! `content/posts`, `content/pages`, `templates`, `static`, `data`, the default output
//! `public`, boke's own `.boke`). Everything else asks a [`SiteDir`] for a path, so a new folder is one line here.
//! It also finds the site a command works on ([`find_site`]).

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// `site.yaml`, relative to the site root.
pub const CONFIG_FILE: &str = "site.yaml";
const CONTENT: &str = "content";
const POSTS: &str = "posts";
const PAGES: &str = "pages";
const TEMPLATES: &str = "templates";
const STATIC: &str = "static";
const DATA: &str = "data";
const GUESTBOOK: &str = "guestbook.yaml";
const REDIRECTS: &str = "redirects.yaml";
const IMPORT: &str = "import";
const OUTPUT: &str = "public";
/// boke's own work folder inside a site (caches, importers' records); never built or watched.
const WORK: &str = ".boke";
/// Inside the work folder: build caches, and `boke deploy`'s own git repository.
const CACHE: &str = "cache";
const DEPLOY: &str = "deploy";
/// Inside the work folder: `boke serve`'s own builds, one folder per address served.
const SERVE: &str = "serve";

/// A site directory. Paths it gives are under its root; the `rel_*` ones are relative to it,
/// as messages and the site model name files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteDir {
    root: PathBuf,
}

impl SiteDir {
    pub fn new(root: impl Into<PathBuf>) -> SiteDir {
        SiteDir { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn config_file(&self) -> PathBuf {
        self.root.join(CONFIG_FILE)
    }

    pub fn content_dir(&self) -> PathBuf {
        self.root.join(CONTENT)
    }

    pub fn posts_dir(&self) -> PathBuf {
        self.root.join(rel_posts_dir())
    }

    /// Standalone pages: `content/pages`.
    pub fn pages_dir(&self) -> PathBuf {
        self.root.join(rel_pages_dir())
    }

    pub fn redirects_file(&self) -> PathBuf {
        self.root.join(rel_redirects_file())
    }

    pub fn templates_dir(&self) -> PathBuf {
        self.root.join(TEMPLATES)
    }

    pub fn static_dir(&self) -> PathBuf {
        self.root.join(STATIC)
    }

    pub fn guestbook_file(&self) -> PathBuf {
        self.root.join(rel_guestbook_file())
    }

    /// Where `boke build` writes unless told otherwise.
    pub fn default_output(&self) -> PathBuf {
        self.root.join(OUTPUT)
    }

    /// boke's work folder (`.boke/`): caches and importers' records, safe to delete.
    pub fn work_dir(&self) -> PathBuf {
        self.root.join(WORK)
    }

    /// The build caches (`.boke/cache/`): what a build may reuse, never a page.
    pub fn cache_dir(&self) -> PathBuf {
        self.work_dir().join(CACHE)
    }

    /// Where `boke serve` builds the site it serves at each address (`.boke/serve/`): kept
    /// between runs so that the next start renders only what changed.
    pub fn serve_dir(&self) -> PathBuf {
        self.work_dir().join(SERVE)
    }

    /// An importer's fetched pages and its record of the files it wrote:
    /// `.boke/import/<source>/`.
    pub fn import_dir(&self, source: &str) -> PathBuf {
        self.work_dir().join(IMPORT).join(source)
    }

    /// `boke deploy`'s git repository (`.boke/deploy/`), relative to the root, for messages.
    pub fn rel_deploy_dir() -> PathBuf {
        Path::new(WORK).join(DEPLOY)
    }

    pub fn deploy_dir(&self) -> PathBuf {
        self.root.join(Self::rel_deploy_dir())
    }

    /// What `boke serve` watches: a change below any of these rebuilds.
    pub fn watched(&self) -> Vec<PathBuf> {
        [CONTENT, TEMPLATES, STATIC, DATA, CONFIG_FILE]
            .iter()
            .map(|p| self.root.join(p))
            .collect()
    }

    /// Whether a directory looks like a site's sources (so that no output is written over it).
    pub fn looks_like_site(dir: &Path) -> bool {
        dir.join(CONTENT).is_dir() || dir.join(CONFIG_FILE).exists()
    }
}

/// `content/`, relative to a site root: `@/` links are paths below it.
pub fn rel_content_dir() -> &'static Path {
    Path::new(CONTENT)
}

/// `content/posts`, relative to a site root.
pub fn rel_posts_dir() -> PathBuf {
    Path::new(CONTENT).join(POSTS)
}

/// `content/pages`, relative to a site root.
pub fn rel_pages_dir() -> PathBuf {
    Path::new(CONTENT).join(PAGES)
}

/// `data/redirects.yaml`, relative to a site root.
pub fn rel_redirects_file() -> PathBuf {
    Path::new(DATA).join(REDIRECTS)
}

/// `templates/`, relative to a site root.
pub fn rel_templates_dir() -> &'static Path {
    Path::new(TEMPLATES)
}

/// `static/`, relative to a site root.
pub fn rel_static_dir() -> &'static Path {
    Path::new(STATIC)
}

/// `data/guestbook.yaml`, relative to a site root.
pub fn rel_guestbook_file() -> PathBuf {
    Path::new(DATA).join(GUESTBOOK)
}

/// How the site's root was chosen, for telling the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// `--root DIR`.
    Given,
    /// The current directory holds `site.yaml`.
    Here,
    /// A folder above the current one holds `site.yaml`.
    Above,
}

/// The site a command works on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteRoot {
    /// As the command uses it: `.` for the current directory, absolute when found above it,
    /// as written when given.
    pub path: PathBuf,
    pub found: Found,
}

impl SiteRoot {
    /// One line naming the site, e.g. `site: /home/me/blog (site.yaml found above here)`.
    pub fn describe(&self, cwd: &Path) -> String {
        let shown = shown(&self.path, cwd);
        match self.found {
            Found::Given => format!("site: {} (--root)", shown.display()),
            Found::Here => format!("site: {}", shown.display()),
            Found::Above => format!("site: {} (site.yaml found above here)", shown.display()),
        }
    }
}

/// Choose the site a command works on: `explicit` (`--root`) wins; else `cwd` (absolute) and
/// its ancestors are tried in turn with `is_site`, as cargo looks for `Cargo.toml` and git for
/// `.git`. Takes the check as a function so the search is testable without a disk.
pub fn locate(
    explicit: Option<&Path>,
    cwd: &Path,
    is_site: impl Fn(&Path) -> bool,
) -> Result<SiteRoot> {
    if let Some(dir) = explicit {
        return Ok(SiteRoot {
            path: dir.to_path_buf(),
            found: Found::Given,
        });
    }
    for (depth, dir) in cwd.ancestors().enumerate() {
        if is_site(dir) {
            return Ok(if depth == 0 {
                SiteRoot {
                    path: PathBuf::from("."),
                    found: Found::Here,
                }
            } else {
                SiteRoot {
                    path: dir.to_path_buf(),
                    found: Found::Above,
                }
            });
        }
    }
    Err(Error::Setup {
        message: format!(
            "no {CONFIG_FILE} in {} or any folder above it: this is not inside a boke site",
            cwd.display()
        ),
        help: "run boke inside a site's folder, pass --root DIR, or create a site here with `boke init`"
            .into(),
    })
}

/// [`locate`] from the process's current directory, checking the disk for `site.yaml`.
pub fn find_site(explicit: Option<&Path>) -> Result<SiteRoot> {
    let cwd = std::env::current_dir()
        .map_err(|e| Error::io("read the current directory", Path::new("."), e))?;
    locate(explicit, &cwd, |dir| dir.join(CONFIG_FILE).is_file())
}

/// A folder as messages name it: absolute, `a/./b/../c` as `a/c`, without touching the disk
/// (a link is not resolved: the user sees the path they typed).
pub fn shown(path: &Path, cwd: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in cwd.join(path).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_is_under_the_root() {
        let site = SiteDir::new("/s");
        assert_eq!(site.config_file(), Path::new("/s/site.yaml"));
        assert_eq!(site.posts_dir(), Path::new("/s/content/posts"));
        assert_eq!(site.guestbook_file(), Path::new("/s/data/guestbook.yaml"));
        assert_eq!(site.default_output(), Path::new("/s/public"));
        assert!(site.watched().iter().all(|p| p.starts_with("/s")));
        assert!(!site.watched().contains(&site.work_dir()));
        assert!(!site.watched().contains(&site.default_output()));
    }

    fn sites<'a>(roots: &'a [&'a str]) -> impl Fn(&Path) -> bool + 'a {
        move |dir| roots.iter().any(|r| dir == Path::new(r))
    }

    #[test]
    fn the_nearest_site_above_is_used() {
        let found = locate(
            None,
            Path::new("/home/me/blog/content/posts"),
            sites(&["/home/me", "/home/me/blog"]),
        )
        .unwrap();
        assert_eq!(found.path, Path::new("/home/me/blog"));
        assert_eq!(found.found, Found::Above);
        assert_eq!(
            found.describe(Path::new("/home/me/blog/content/posts")),
            "site: /home/me/blog (site.yaml found above here)"
        );
    }

    #[test]
    fn the_current_directory_is_dot() {
        let found = locate(None, Path::new("/srv/blog"), sites(&["/srv/blog"])).unwrap();
        assert_eq!(found.path, Path::new("."));
        assert_eq!(found.found, Found::Here);
        assert_eq!(found.describe(Path::new("/srv/blog")), "site: /srv/blog");
    }

    #[test]
    fn root_wins_even_inside_another_site() {
        let found = locate(
            Some(Path::new("../other")),
            Path::new("/srv/blog/content"),
            sites(&["/srv/blog"]),
        )
        .unwrap();
        assert_eq!(found.path, Path::new("../other"));
        assert_eq!(found.found, Found::Given);
        assert_eq!(
            found.describe(Path::new("/srv/blog/content")),
            "site: /srv/blog/other (--root)"
        );
    }

    #[test]
    fn no_site_suggests_init() {
        let e = locate(None, Path::new("/tmp/x/y"), sites(&["/tmp/x/y/z"]))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("no site.yaml in /tmp/x/y or any folder above it"),
            "{e}"
        );
        assert!(e.contains("boke init"), "{e}");
        assert!(e.contains("--root"), "{e}");
    }
}
