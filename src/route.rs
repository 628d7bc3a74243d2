//! Where each page lives: its file in the output and its URL. All of the site's URL layout is
//! here, so links and files cannot disagree.

use crate::slug::Slug;

/// A page's location: path segments below the site root (each [`Slug`]-safe text), and the
/// file name: `index.html` (linked as the folder) unless named otherwise, like `atom.xml`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Route {
    segs: Vec<String>,
    name: Option<String>,
}

impl Route {
    fn at(segs: Vec<String>) -> Route {
        Route { segs, name: None }
    }

    pub fn home() -> Route {
        Route::at(Vec::new())
    }

    pub fn post(slug: &Slug) -> Route {
        Route::at(vec!["posts".into(), slug.as_str().into()])
    }

    pub fn year(year: i32) -> Route {
        Route::at(vec!["archives".into(), year.to_string()])
    }

    pub fn category(slug: &Slug) -> Route {
        Route::at(vec!["categories".into(), slug.as_str().into()])
    }

    pub fn tag(slug: &Slug) -> Route {
        Route::at(vec!["tags".into(), slug.as_str().into()])
    }

    /// A named file in this route's folder: `Route::home().named("atom.xml")`.
    pub fn named(&self, name: &str) -> Route {
        Route {
            segs: self.segs.clone(),
            name: Some(name.to_string()),
        }
    }

    /// The route of a site path written by a user, as in an alias: `/2014/12/exit-code/` is a
    /// folder (its `index.html`), `/uid-1-id-42.html` a file ([`Route::from_segments`]).
    /// Percent-encoded text (an old URL copied from a browser) is decoded first.
    pub fn from_path(path: &str) -> Result<Route, String> {
        let decoded = percent_encoding::percent_decode_str(path)
            .decode_utf8()
            .map_err(|_| format!("`{path}` percent-decodes to bytes that are not UTF-8"))?;
        let Some(rest) = decoded.strip_prefix('/') else {
            return Err(format!(
                "`{path}` is not a path from the site's root: start it with `/`"
            ));
        };
        if let Some(c) = rest.chars().find(|c| matches!(c, '?' | '#' | '\\')) {
            return Err(format!(
                "`{path}` contains `{c}`, which a file path cannot hold"
            ));
        }
        if rest.is_empty() {
            return Ok(Route::home());
        }
        let segs: Vec<String> = rest
            .strip_suffix('/')
            .unwrap_or(rest)
            .split('/')
            .map(|s| segment(path, s))
            .collect::<Result<_, _>>()?;
        Ok(Route::from_segments(segs, rest.ends_with('/')))
    }

    /// Page `n` (1-based) of a paginated list rooted here: page 1 is the route itself.
    pub fn page(&self, n: usize) -> Route {
        let mut segs = self.segs.clone();
        if n > 1 {
            segs.push("page".into());
            segs.push(n.to_string());
        }
        Route {
            segs,
            name: self.name.clone(),
        }
    }

    /// The folder for a page's own files (a post's assets): the page's folder, or for a page
    /// that is a file (`/uid-1-id-2.html`) the folder of its stem (`/uid-1-id-2/`), so that
    /// the old file address keeps working beside it.
    pub fn own_folder(&self) -> Route {
        let mut segs = self.segs.clone();
        if let Some(name) = &self.name {
            segs.push(
                name.rsplit_once('.')
                    .map_or(name.as_str(), |(stem, _)| stem)
                    .to_string(),
            );
        }
        Route::at(segs)
    }

    /// The file `rel` (`/`-separated, each segment already checked) below this route's folder.
    pub fn below(&self, rel: &str) -> Route {
        let mut segs = self.segs.clone();
        segs.extend(rel.split('/').map(String::from));
        let name = segs.pop();
        Route { segs, name }
    }

    /// The output file, relative to the output directory.
    pub fn file(&self) -> String {
        let mut f = self.segs.join("/");
        if !f.is_empty() {
            f.push('/');
        }
        f.push_str(self.name.as_deref().unwrap_or("index.html"));
        f
    }

    /// The URL path below `base_path` (which starts and ends with `/`), percent-encoded.
    pub fn url(&self, base_path: &str) -> String {
        let len = self
            .segs
            .iter()
            .chain(&self.name)
            .map(|s| s.len() + 1)
            .sum::<usize>();
        let mut u = String::with_capacity(base_path.len() + len);
        u.push_str(base_path);
        // Pieces of the segment, not a String per segment: every page links dozens of posts.
        for s in &self.segs {
            u.extend(percent_encoding::utf8_percent_encode(s, SEGMENT));
            u.push('/');
        }
        if let Some(name) = &self.name {
            u.extend(percent_encoding::utf8_percent_encode(name, SEGMENT));
        }
        u
    }

    /// A route of checked segments of a user's path. Unless the path ended in `/` (`folder`),
    /// a last segment with a `.` is the file's name (`/uid-1-id-42.html`); one without is a
    /// folder too, as old URLs often omit the slash.
    pub fn from_segments(mut segs: Vec<String>, folder: bool) -> Route {
        let file = !folder && segs.last().is_some_and(|s| s.contains('.'));
        let name = if file { segs.pop() } else { None };
        Route { segs, name }
    }

    /// Check one segment of a user's `path`, as [`Route::from_path`] does each.
    pub fn check_segment(path: &str, seg: &str) -> Result<(), String> {
        segment(path, seg).map(|_| ())
    }

    /// How many folders deep the page's file is below the output root.
    pub fn depth(&self) -> usize {
        self.segs.len()
    }
}

/// One segment of a user's path, held to what a [`Slug`] may be.
fn segment(path: &str, seg: &str) -> Result<String, String> {
    if seg.is_empty() {
        return Err(format!("`{path}` has an empty segment (`//`)"));
    }
    match Slug::parse(seg) {
        Ok(s) if s.as_str() == seg => Ok(seg.to_string()),
        Ok(_) => Err(format!("`{path}` contains white space; write it as `-`")),
        Err(why) => Err(format!("in `{path}`: {why}")),
    }
}

const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'+');

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_and_urls_agree() {
        let r = Route::post(&Slug::parse("内核").unwrap());
        assert_eq!(r.file(), "posts/内核/index.html");
        assert_eq!(r.url("/blog/"), "/blog/posts/%E5%86%85%E6%A0%B8/");
        assert_eq!(Route::home().file(), "index.html");
        assert_eq!(Route::home().url("/"), "/");
        assert_eq!(Route::home().page(2).file(), "page/2/index.html");
        assert_eq!(Route::year(2014).page(3).url("/"), "/archives/2014/page/3/");
        assert_eq!(Route::year(2014).page(1), Route::year(2014));
        let feed = Route::category(&Slug::parse("网络").unwrap()).named("atom.xml");
        assert_eq!(feed.file(), "categories/网络/atom.xml");
        assert_eq!(feed.url("/"), "/categories/%E7%BD%91%E7%BB%9C/atom.xml");
        assert_eq!(Route::home().named("404.html").file(), "404.html");
    }

    #[test]
    fn user_paths() {
        let r = Route::from_path("/uid-29599891-id-4636263.html").unwrap();
        assert_eq!(r.file(), "uid-29599891-id-4636263.html");
        assert_eq!(r.url("/blog/"), "/blog/uid-29599891-id-4636263.html");
        assert_eq!(r.depth(), 0);
        let r = Route::from_path("/2014/12/exit-code/").unwrap();
        assert_eq!(r.file(), "2014/12/exit-code/index.html");
        assert_eq!(r.depth(), 3);
        assert_eq!(
            Route::from_path("/old/post").unwrap().file(),
            "old/post/index.html"
        );
        assert_eq!(
            Route::from_path("/posts/%E5%86%85%E6%A0%B8/").unwrap(),
            Route::post(&Slug::parse("内核").unwrap())
        );
        assert_eq!(Route::from_path("/").unwrap(), Route::home());
        for bad in [
            "posts/x/",
            "/a//b/",
            "/../etc/passwd",
            "/a/%2e%2e/b",
            "/a b/",
            "/x?y=1",
            "/x#y",
            "/.git/config",
            "/%FF/",
            "/a\\b",
            "//",
        ] {
            assert!(Route::from_path(bad).is_err(), "{bad}");
        }
    }
}
