//! Where each page lives: its file in the output and its URL. All of the site's URL layout is
//! here, so links and files cannot disagree.

use crate::slug::Slug;

/// A page's location: path segments below the site root. Segments are [`Slug`]-safe text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Route(Vec<String>);

impl Route {
    pub fn home() -> Route {
        Route(Vec::new())
    }

    pub fn post(slug: &Slug) -> Route {
        Route(vec!["posts".into(), slug.as_str().into()])
    }

    pub fn year(year: i32) -> Route {
        Route(vec!["archives".into(), year.to_string()])
    }

    pub fn category(slug: &Slug) -> Route {
        Route(vec!["categories".into(), slug.as_str().into()])
    }

    /// Page `n` (1-based) of a paginated list rooted here: page 1 is the route itself.
    pub fn page(&self, n: usize) -> Route {
        let mut segs = self.0.clone();
        if n > 1 {
            segs.push("page".into());
            segs.push(n.to_string());
        }
        Route(segs)
    }

    /// The output file, relative to the output directory.
    pub fn file(&self) -> String {
        let mut f = self.0.join("/");
        if !f.is_empty() {
            f.push('/');
        }
        f.push_str("index.html");
        f
    }

    /// The URL path below `base_path` (which starts and ends with `/`), percent-encoded.
    pub fn url(&self, base_path: &str) -> String {
        let mut u = String::from(base_path);
        for s in &self.0 {
            u.push_str(&percent_encoding::utf8_percent_encode(s, SEGMENT).to_string());
            u.push('/');
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
    }
}
