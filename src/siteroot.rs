//! Which site a command works on: `--root` if given, else the nearest folder at or above the
//! current one that holds a `site.yaml`, as cargo looks for `Cargo.toml` and git for `.git`.

use crate::config::FILE_NAME;
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

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
        let shown = if self.path.is_absolute() {
            self.path.clone()
        } else {
            cwd.join(&self.path)
        };
        let shown = normalize(&shown);
        match self.found {
            Found::Given => format!("site: {} (--root)", shown.display()),
            Found::Here => format!("site: {}", shown.display()),
            Found::Above => format!("site: {} (site.yaml found above here)", shown.display()),
        }
    }
}

/// Choose the site root: `explicit` wins; else `cwd` (absolute) and its ancestors are tried in
/// turn with `is_site`. Takes the check as a function so the search is testable without a disk.
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
            "no {FILE_NAME} in {} or any folder above it: this is not inside a boke site",
            cwd.display()
        ),
        help: "run boke inside a site's folder, pass --root DIR, or create a site here with `boke init`"
            .into(),
    })
}

/// [`locate`] from the process's current directory, checking the disk for `site.yaml`.
pub fn find(explicit: Option<&Path>) -> Result<SiteRoot> {
    let cwd = std::env::current_dir()
        .map_err(|e| Error::io("read the current directory", Path::new("."), e))?;
    locate(explicit, &cwd, |dir| dir.join(FILE_NAME).is_file())
}

/// `a/./b/../c` as `a/c`, without touching the disk (a link is not resolved: the user sees the
/// path they typed).
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
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
