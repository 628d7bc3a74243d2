//! What a post page shows around the post itself: its series, related posts, the outdated
//! notice, the scheduled mark, and the metadata a shared link is shown with (Open Graph,
//! Twitter card, JSON-LD `BlogPosting`). All computed at build time from the model.

use super::Renderer;
use super::views::Link;
use serde::Serialize;
use std::hash::{DefaultHasher, Hash};
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

/// What a shared link's card shows, and where the page canonically is.
#[derive(Serialize)]
struct MetaView {
    url: String,
    description: String,
    image: Option<Value>,
    author: String,
    published: String,
    modified: String,
    json_ld: Value,
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

    /// Hash what the surroundings of post `i` show, for its page's fingerprint.
    pub(super) fn reading_key(&self, i: usize, h: &mut DefaultHasher) {
        (self.outdated(i), self.scheduled(i)).hash(h);
        if let Some(series) = self.site.series_of(i) {
            self.versions(h, &series.posts);
        }
        self.versions(h, self.related_posts(i));
    }

    /// Put the surroundings of post `i` into its page's context; `body` is its rendered HTML.
    pub(super) fn reading_context(&self, i: usize, body: &str, ctx: &mut Context) {
        let site = self.site;
        let link = |j: usize| Link {
            name: site.posts[j].display_title().into_owned(),
            url: self.post_url(j),
        };
        let series = site.series_of(i).map(|s| {
            let at = s.posts.iter().position(|&j| j == i).unwrap_or(0);
            SeriesView {
                name: s.name.clone(),
                posts: s
                    .posts
                    .iter()
                    .map(|&j| {
                        let Link { name, url } = link(j);
                        SeriesEntry {
                            name,
                            url,
                            current: j == i,
                        }
                    })
                    .collect(),
                previous: at.checked_sub(1).map(|k| link(s.posts[k])),
                next: s.posts.get(at + 1).map(|&j| link(j)),
            }
        });
        ctx.insert("series", &series);
        let related: Vec<Link> = self.related_posts(i).iter().map(|&j| link(j)).collect();
        ctx.insert("related", &related);
        ctx.insert("outdated_days", &self.outdated(i));
        ctx.insert("scheduled", &self.scheduled(i));
        ctx.insert("meta", &self.meta(i, body));
    }

    fn meta(&self, i: usize, body: &str) -> MetaView {
        let site = self.site;
        let post = &site.posts[i];
        let origin = self.origin();
        let path = self.post_url(i);
        let url = format!("{origin}{path}");
        let description: String = post.excerpt.text.chars().take(160).collect();
        let image = first_image(body).map(|src| absolute(origin, &path, src));
        let published = post.date_iso.clone();
        let modified = post
            .meta
            .updated
            .map_or_else(|| published.clone(), |d| d.to_rfc3339());
        let author = site.config.author.clone();
        let mut ld = serde_json::json!({
            "@context": "https://schema.org",
            "@type": "BlogPosting",
            "headline": post.display_title(),
            "description": description,
            "datePublished": published,
            "dateModified": modified,
            "url": url,
            "mainEntityOfPage": url,
            "inLanguage": site.config.language,
        });
        if !author.is_empty() {
            ld["author"] = serde_json::json!({"@type": "Person", "name": author});
        }
        if let Some(image) = &image {
            ld["image"] = serde_json::Value::String(unescape_attr(image));
        }
        if !post.meta.tags.is_empty() {
            ld["keywords"] = serde_json::Value::from(post.meta.tags.join(", "));
        }
        // Inside <script> the text is not HTML-escaped: the characters that could end the
        // element or read as markup are written as JSON's \u escapes, which mean the same.
        let json_ld = ld
            .to_string()
            .replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026")
            .replace('\'', "\\u0027");
        MetaView {
            url,
            description,
            // Taken from the rendered page, so already escaped for an attribute.
            image: image.map(|s| Value::safe_string(&s)),
            author,
            published,
            modified,
            json_ld: Value::safe_string(&json_ld),
        }
    }
}

/// The `src` of the first `<img>` in rendered HTML, as written there (attribute-escaped).
fn first_image(html: &str) -> Option<&str> {
    let at = html.find("<img ")?;
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

fn unescape_attr(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
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
        assert_eq!(unescape_attr("a?b=1&amp;c=2"), "a?b=1&c=2");
    }
}
