//! Where each page lives: its file in the output and its URL. All of the site's URL layout is
//! here, so links and files cannot disagree.

use crate::slug::Slug;

/// A page's location: path segments below the site root (each [`Slug`]-safe text), and the
/// file name: `index.html` (linked as the folder) unless named otherwise, like `atom.xml`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Route {
    segs: Vec<String>,
    name: Option<&'static str>,
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
    pub fn named(&self, name: &'static str) -> Route {
        Route {
            segs: self.segs.clone(),
            name: Some(name),
        }
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
            name: self.name,
        }
    }

    /// The output file, relative to the output directory.
    pub fn file(&self) -> String {
        let mut f = self.segs.join("/");
        if !f.is_empty() {
            f.push('/');
        }
        f.push_str(self.name.unwrap_or("index.html"));
        f
    }

    /// The URL path below `base_path` (which starts and ends with `/`), percent-encoded.
    pub fn url(&self, base_path: &str) -> String {
        let mut u = String::from(base_path);
        for s in &self.segs {
            u.push_str(&percent_encoding::utf8_percent_encode(s, SEGMENT).to_string());
            u.push('/');
        }
        if let Some(name) = self.name {
            u.push_str(name);
        }
        u
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
}
