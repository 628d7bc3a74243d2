//! What a post page shows around the post itself: its series, related posts, the outdated
//! notice, the scheduled mark, and the metadata a shared link is shown with (Open Graph,
//! Twitter card, JSON-LD `BlogPosting`). All computed at build time from the model.

use super::Renderer;
use super::views::Link;
use crate::fingerprint::Fingerprint;
use serde::Serialize;
use std::hash::Hash;
use std::sync::OnceLock;
use tera::{Context, Value};

#[derive(Serialize)]
struct SeriesView {
    name: String,
    posts: Vec<SeriesEntry>,
    previous: Option<Link>,
    next: Option<Link>,
}

#[derive(Serialize)]
struct SeriesEntry {
    name: String,
    url: String,
    current: bool,
}

/// schema.org's `BlogPosting`, as JSON-LD.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BlogPosting<'a> {
    #[serde(rename = "@context")]
    context: &'a str,
    #[serde(rename = "@type")]
    kind: &'a str,
    headline: &'a str,
    description: &'a str,
    date_published: &'a str,
    date_modified: &'a str,
    url: &'a str,
    main_entity_of_page: &'a str,
    in_language: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Person<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keywords: Option<&'a str>,
}

#[derive(Serialize)]
struct Person<'a> {
    #[serde(rename = "@type")]
    kind: &'a str,
    name: &'a str,
}

/// What a shared link's card shows, and where the page canonically is.
#[derive(Serialize)]
struct MetaView {
    /// The title, or for an untitled post the start of its excerpt.
    title: String,
    url: String,
    description: String,
    image: Option<Value>,
    author: String,
    published: String,
    modified: String,
    json_ld: Value,
    /// All of the above as post.html's `<head>` shows it ([`MetaView::tags`]).
    tags: Value,
}

impl MetaView {
    /// The Open Graph, Twitter card and JSON-LD tags of a post page, as one safe string (as
    /// jekyll-seo-tag's `{% seo %}` gives them): written here rather than by the template,
    /// whose seventeen look-ups and escapes per post cost 58 M instructions at 10,000 posts.
    /// A template that wants other tags has every part (`meta.title` …) to write its own.
    fn tags(&self, site_title: &str, language: &str, keywords: &[String]) -> String {
        let mut out = String::with_capacity(1024);
        // Values go through Tera's own escaping (see `templates`), so the page is as the
        // template made it; the image's address is taken from the page, escaped already.
        let meta = |out: &mut String, property: &str, value: &str, escaped: bool| {
            out.push_str("<meta property=\"");
            out.push_str(property);
            out.push_str("\" content=\"");
            if escaped {
                out.push_str(value);
            } else {
                super::templates::push_escaped(out, value);
            }
            out.push_str("\">\n");
        };
        let locale = if language == "zh" { "zh_CN" } else { "en_US" };
        for (property, value) in [
            ("og:type", "article"),
            ("og:site_name", site_title),
            ("og:title", &self.title),
            ("og:description", &self.description),
            ("og:url", &self.url),
            ("og:locale", locale),
        ] {
            meta(&mut out, property, value, false);
        }
        let image = self.image.as_ref().and_then(Value::as_str);
        if let Some(image) = image {
            meta(&mut out, "og:image", image, true);
        }
        meta(&mut out, "article:published_time", &self.published, false);
        meta(&mut out, "article:modified_time", &self.modified, false);
        if !self.author.is_empty() {
            meta(&mut out, "article:author", &self.author, false);
        }
        for tag in keywords {
            meta(&mut out, "article:tag", tag, false);
        }
        // Twitter's cards read the og: title, description and image when their own are missing.
        let card = match image {
            Some(_) => "summary_large_image",
            None => "summary",
        };
        out.push_str("<meta name=\"twitter:card\" content=\"");
        out.push_str(card);
        out.push_str("\">\n<script type=\"application/ld+json\">");
        out.push_str(self.json_ld.as_str().unwrap_or_default());
        out.push_str("</script>\n");
        out
    }
}

impl Renderer<'_> {
    /// Days since post `i` last changed, if that is more than `outdated_days`.
    fn outdated(&self, i: usize) -> Option<i64> {
        let limit = self.site.config.outdated_days;
        let meta = &self.site.posts[i].meta;
        let days = (self.site.now - meta.updated.unwrap_or(meta.date)).num_days();
        (limit > 0 && days > limit as i64).then_some(days)
    }

    fn scheduled(&self, i: usize) -> bool {
        self.site.posts[i].meta.date > self.site.now
    }

    /// The related posts of post `i`, found once per build.
    fn related_posts(&self, i: usize) -> &[usize] {
        self.related_found[i].get_or_init(|| self.related.of(i, self.site.config.related_posts))
    }

    /// Find every post's related posts, as a full build does: in parallel, before the pages
    /// rather than amid them (0.97-0.98x the 10,000-post build's wall, two calls of 20 pairs);
    /// a rebuild that reuses them skips this.
    pub fn prepare_related(&self) {
        if self.site.config.related_posts > 0 && self.post_page.related {
            self.related.prepare();
            use rayon::prelude::*;
            (0..self.site.posts.len())
                .into_par_iter()
                .for_each(|i| _ = self.related_posts(i));
        }
    }

    /// Every post's related posts (found now if they were not yet), for [`Self::reuse_related`];
    /// none if the post page shows none.
    pub fn related_lists(&self) -> Vec<Vec<usize>> {
        if !self.post_page.related {
            return Vec::new();
        }
        (0..self.site.posts.len())
            .map(|i| self.related_posts(i).to_vec())
            .collect()
    }

    /// Take the related posts found for a site with the same [`crate::related::inputs`].
    pub fn reuse_related(&mut self, lists: &[Vec<usize>]) {
        if lists.len() == self.site.posts.len() {
            self.related_found = lists.iter().cloned().map(OnceLock::from).collect();
        }
    }

    /// Hash what the surroundings of post `i` show, for its page's fingerprint.
    pub(super) fn reading_key(&self, i: usize, h: &mut Fingerprint) {
        (self.outdated(i), self.scheduled(i)).hash(h);
        let shown = self.post_page;
        if let Some(series) = self.site.series_of(i).filter(|_| shown.series) {
            self.versions(h, &series.posts);
        }
        if shown.related {
            self.versions(h, self.related_posts(i));
        }
    }

    /// Put the surroundings of post `i` into its page's context; `body` is its rendered HTML.
    pub(super) fn reading_context(&self, i: usize, body: &str, ctx: &mut Context) {
        let site = self.site;
        let shown = self.post_page;
        let series = site.series_of(i).filter(|_| shown.series).map(|s| {
            let at = s.posts.iter().position(|&j| j == i).unwrap_or(0);
            SeriesView {
                name: s.name.clone(),
                posts: s
                    .posts
                    .iter()
                    .map(|&j| {
                        let Link { name, url } = self.link(j);
                        SeriesEntry {
                            name,
                            url,
                            current: j == i,
                        }
                    })
                    .collect(),
                previous: at.checked_sub(1).map(|k| self.link(s.posts[k])),
                next: s.posts.get(at + 1).map(|&j| self.link(j)),
            }
        });
        ctx.insert("series", &series);
        if shown.related {
            let related: Vec<Value> = self
                .related_posts(i)
                .iter()
                .map(|&j| self.link_value(j))
                .collect();
            ctx.insert_value("related", Value::from(related));
        }
        ctx.insert("outdated_days", &self.outdated(i));
        ctx.insert("scheduled", &self.scheduled(i));
        if shown.meta {
            ctx.insert("meta", &self.meta(i, body));
        }
    }

    fn meta(&self, i: usize, body: &str) -> MetaView {
        let site = self.site;
        let post = &site.posts[i];
        let origin = self.origin();
        let path = self.post_url(i);
        let url = format!("{origin}{path}");
        let text = &post.excerpt.text;
        let description = crate::text::prefix(text, 160).to_string();
        let image = first_image(body).map(|src| absolute(origin, path, src));
        let published = post.date_iso.clone();
        let modified = post
            .meta
            .updated
            .map_or_else(|| published.clone(), |d| d.to_rfc3339());
        let author = site.config.author.clone();
        let title = post.display_title();
        let image_url = image.as_deref().map(crate::text::unescape_html);
        let keywords = post.meta.tags.join(", ");
        let ld = BlogPosting {
            context: "https://schema.org",
            kind: "BlogPosting",
            headline: &title,
            description: &description,
            date_published: &published,
            date_modified: &modified,
            url: &url,
            main_entity_of_page: &url,
            in_language: &site.config.language,
            author: (!author.is_empty()).then_some(Person {
                kind: "Person",
                name: &author,
            }),
            image: image_url.as_deref(),
            keywords: (!keywords.is_empty()).then_some(keywords.as_str()),
        };
        let ld = serde_json::to_string(&ld).unwrap_or_default();
        let json_ld = script_safe(&ld);
        let shown = match &post.meta.title {
            Some(t) => t.clone(),
            None => truncated(text, 60),
        };
        let mut view = MetaView {
            title: shown,
            url,
            description,
            // Taken from the rendered page, so already escaped for an attribute.
            image: image.map(|s| Value::safe_string(&s)),
            author,
            published,
            modified,
            json_ld: Value::safe_string(&json_ld),
            tags: Value::none(),
        };
        let tags = view.tags(&site.config.title, &site.config.language, &post.meta.tags);
        view.tags = Value::safe_string(&tags);
        view
    }
}

/// JSON for a `<script>` element, whose text is not HTML-escaped: the characters that could
/// end the element or read as markup are written as JSON's `\u` escapes, which mean the same.
fn script_safe(json: &str) -> String {
    let specials = |b: &[u8]| {
        memchr::memchr3(b'<', b'>', b'&', b).is_some() || memchr::memchr(b'\'', b).is_some()
    };
    if !specials(json.as_bytes()) {
        return json.to_string();
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\'' => out.push_str("\\u0027"),
            c => out.push(c),
        }
    }
    out
}

/// The first `n` characters of `text`, and `…` if there were more (as Tera's `truncate`).
fn truncated(text: &str, n: usize) -> String {
    let head = crate::text::prefix(text, n);
    if head.len() < text.len() {
        format!("{head}…")
    } else {
        text.to_string()
    }
}

/// The `src` of the first `<img>` in rendered HTML, as written there (attribute-escaped).
fn first_image(html: &str) -> Option<&str> {
    // Every post page looks: memchr's search is several times std's on long bodies.
    let at = memchr::memmem::find(html.as_bytes(), b"<img ")?;
    let rest = &html[at..html[at..].find('>').map_or(html.len(), |e| at + e)];
    let src = rest.find(" src=\"")? + 6;
    let end = rest[src..].find('"')?;
    Some(&rest[src..src + end]).filter(|s| !s.is_empty())
}

/// An image's address as a card needs it: absolute, as far as the site knows its origin.
fn absolute(origin: &str, page: &str, src: &str) -> String {
    if src.starts_with("http://") || src.starts_with("https://") || src.starts_with("data:") {
        src.to_string()
    } else if src.starts_with('/') {
        format!("{origin}{src}")
    } else {
        let dir = &page[..page.rfind('/').map_or(0, |k| k + 1)];
        format!("{origin}{dir}{src}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_image_is_found_and_made_absolute() {
        let html = r#"<p>x</p><p><img alt="a" src="fig1.png" width="3"></p><img src="/b.png">"#;
        assert_eq!(first_image(html), Some("fig1.png"));
        assert_eq!(first_image("<p>no image</p>"), None);
        let o = "https://example.org";
        assert_eq!(
            absolute(o, "/posts/slab/", "fig1.png"),
            "https://example.org/posts/slab/fig1.png"
        );
        assert_eq!(
            absolute(o, "/uid-1-id-2.html", "uid-1-id-2/a.png"),
            "https://example.org/uid-1-id-2/a.png"
        );
        assert_eq!(
            absolute(o, "/p/", "/img/a.png"),
            "https://example.org/img/a.png"
        );
        assert_eq!(
            absolute(o, "/p/", "https://cdn.example/a.png"),
            "https://cdn.example/a.png"
        );
        assert_eq!(crate::text::unescape_html("a?b=1&amp;c=2"), "a?b=1&c=2");
        assert_eq!(script_safe(r#"{"t":"内核"}"#), r#"{"t":"内核"}"#);
        assert_eq!(truncated("一二三", 2), "一二…");
        assert_eq!(truncated("一二", 2), "一二");
        assert_eq!(
            script_safe(r#"{"t":"</script><b>&'"}"#),
            r#"{"t":"\u003c/script\u003e\u003cb\u003e\u0026\u0027"}"#
        );
    }
}
