//! The site's folder layout: the one place that names a site's files and folders (`site.yaml`,
//! `content/posts`, `templates`, `static`, `data`, the default output `public`, boke's own
//! `.boke`). Everything else asks a [`SiteDir`] for a path, so a new folder is one line here.

use std::path::{Path, PathBuf};

/// `site.yaml`, relative to the site root.
pub const CONFIG_FILE: &str = "site.yaml";
const CONTENT: &str = "content";
const POSTS: &str = "posts";
const TEMPLATES: &str = "templates";
const STATIC: &str = "static";
const DATA: &str = "data";
const GUESTBOOK: &str = "guestbook.yaml";
const OUTPUT: &str = "public";
/// boke's own work folder inside a site (caches, importers' records); never built or watched.
const WORK: &str = ".boke";
/// Inside the work folder: build caches, and `boke deploy`'s own git repository.
const CACHE: &str = "cache";
const DEPLOY: &str = "deploy";

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

    /// Build caches (`.boke/cache/`): what a build made once and may reuse; safe to delete.
    pub fn cache_dir(&self) -> PathBuf {
        self.work_dir().join(CACHE)
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
}
