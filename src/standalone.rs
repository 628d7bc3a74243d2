//! Standalone pages: `content/pages/*.md` (关于我, 友情链接, a résumé) are read like posts
//! ([`crate::content::Kind::Page`]: no `date` needed) and each is published at its own URL,
//! with the header and sidebar, in the sitemap, but in no list, feed or search index.

use crate::content::Post;
use crate::error::Diagnostic;
use crate::route::Route;
use std::path::Path;

/// Where a page is published: its `permalink:` (a site path, as in an alias), else
/// `/<slug>/` below the folders it sits in under content/pages (`about.md` → `/about/`).
pub fn route_of(page: &Post) -> Result<Route, Diagnostic> {
    if let Some(v) = page.meta.extra.get("permalink") {
        let path = v.as_str().unwrap_or_default();
        return Route::from_path(path).map_err(|why| {
            Diagnostic::new(
                &page.source,
                format!("bad permalink: {why}"),
                "write the page's path from the site's root, e.g. `permalink: /about/` or `permalink: /links.html`",
            )
        });
    }
    let below = page
        .source
        .strip_prefix(crate::layout::rel_pages_dir())
        .unwrap_or(&page.source)
        .parent()
        .unwrap_or(Path::new(""));
    let mut path = String::from("/");
    for seg in below.iter() {
        path.push_str(&seg.to_string_lossy());
        path.push('/');
    }
    path.push_str(page.slug.as_str());
    path.push('/');
    Route::from_path(&path).map_err(|why| {
        Diagnostic::new(
            &page.source,
            format!("this page cannot be placed: {why}"),
            "rename its folder, or set `permalink:` in its front matter",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::content::Kind;

    fn page(file: &str, front: &str) -> Result<Post, Vec<Diagnostic>> {
        let text = format!("---\n{front}---\n关于我。\n");
        Post::parse_with(
            Path::new(file),
            text.as_bytes(),
            &Config::default(),
            None,
            Kind::Page,
        )
    }

    #[test]
    fn a_page_needs_no_date_and_is_placed_by_name_slug_or_permalink() {
        let about = page("content/pages/about.md", "title: 关于我\n").unwrap();
        assert_eq!(route_of(&about).unwrap().url("/"), "/about/");
        let links = page("content/pages/friends/links.md", "title: 友情链接\n").unwrap();
        assert_eq!(route_of(&links).unwrap().file(), "friends/links/index.html");
        let slug = page("content/pages/about.md", "slug: 关于\n").unwrap();
        assert_eq!(route_of(&slug).unwrap().file(), "关于/index.html");
        let old = page("content/pages/about.md", "permalink: /uid/1/about.html\n").unwrap();
        assert_eq!(route_of(&old).unwrap().file(), "uid/1/about.html");
        let bad = page("content/pages/about.md", "permalink: about\n").unwrap();
        let e = route_of(&bad).unwrap_err();
        assert!(e.message.contains("start it with `/`"), "{e}");
        // A post still needs its date.
        assert!(
            Post::parse(
                Path::new("content/posts/a.md"),
                b"---\ntitle: t\n---\n",
                &Config::default()
            )
            .is_err()
        );
    }
}
