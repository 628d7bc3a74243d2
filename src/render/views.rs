//! The values templates see: what a page shows of a post, a pager, the archive, terms, feeds
//! and the sitemap. They borrow from the site model and are made per page (or once, for the
//! site-wide ones); ARCHITECTURE.md lists them for template writers.

use super::names::Names;
use crate::route::Route;
use crate::site::Category;
use serde::Serialize;
use std::collections::BTreeMap;
use tera::Value;

/// What a list entry or post page shows of a post. The values of type `Value` are made once
/// (per post, per category) and shared by every page that shows them. Serialized with only the
/// fields its page's templates name ([`Fields`]).
pub(super) struct PostView<'a> {
    pub(super) fields: Fields,
    pub(super) title: Option<&'a str>,
    pub(super) url: Value,
    pub(super) date: &'a str,
    pub(super) date_iso: &'a str,
    pub(super) excerpt: std::borrow::Cow<'a, str>,
    pub(super) excerpt_text: &'a str,
    pub(super) views: u64,
    pub(super) comments: u64,
    pub(super) shares: u64,
    /// `t.counts` filled with the three above, as the built-in templates show them.
    pub(super) counts: Value,
    /// A [`Link`], or none.
    pub(super) category: Value,
    pub(super) tags: &'a [String],
    pub(super) slug: &'a str,
    /// Pinned rank on the home listing (0: not pinned).
    pub(super) sticky: u64,
    /// Dated after the build (shown only by `boke serve` and `--future`).
    pub(super) scheduled: bool,
    pub(super) extra: &'a BTreeMap<String, serde_yaml::Value>,
    /// On the post's own page only (list entries leave them out): the body's HTML, a safe
    /// string, and what is counted from it.
    pub(super) content: Option<Value>,
    pub(super) words: Option<usize>,
    pub(super) reading_minutes: Option<usize>,
    /// `t.words` and `t.reading_time` filled with the two above.
    pub(super) words_text: Option<Value>,
    pub(super) reading_text: Option<Value>,
    pub(super) toc: Option<&'a [crate::markdown::TocEntry]>,
}

/// Writes [`PostView`]'s `Serialize`, the list of its fields' names and a [`Field`] for each
/// from one list, so that they cannot disagree: the fields that are always there, then those of
/// a post's own page.
macro_rules! post_fields {
    ($($field:ident),* ; $($given:ident),*) => {
        /// The names of [`PostView`]'s fields, in [`Field`]'s order.
        const POST_FIELDS: &[&str] = &[$(stringify!($field),)* $(stringify!($given),)*];

        /// One of [`PostView`]'s fields, named as templates see it.
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy)]
        pub(super) enum Field {
            $($field,)*
            $($given,)*
        }

        impl Serialize for PostView<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct;
                let mut m = s.serialize_struct("PostView", POST_FIELDS.len())?;
                $(
                    if self.fields.has(Field::$field) {
                        m.serialize_field(stringify!($field), &self.$field)?;
                    }
                )*
                $(
                    if let Some(value) = &self.$given
                        && self.fields.has(Field::$given)
                    {
                        m.serialize_field(stringify!($given), value)?;
                    }
                )*
                m.end()
            }
        }
    };
}

post_fields!(
    title, url, date, date_iso, excerpt, excerpt_text, views, comments, shares, counts, category,
    tags, slug, sticky, scheduled, extra;
    content, words, reading_minutes, words_text, reading_text, toc
);

/// Which of [`PostView`]'s fields a page's templates name, one bit each: asked for every field
/// of every entry, where a look-up of the name cost more than writing most fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Fields(u32);

const _: () = assert!(POST_FIELDS.len() <= u32::BITS as usize);

impl Fields {
    /// Every field, for a page whose templates are not known.
    pub(super) const ALL: Fields = Fields(u32::MAX);

    pub(super) fn of(names: &Names) -> Fields {
        Fields(
            POST_FIELDS
                .iter()
                .enumerate()
                .filter(|(_, f)| names.has(f))
                .fold(0, |bits, (k, _)| bits | 1 << k),
        )
    }

    pub(super) fn has(self, field: Field) -> bool {
        self.0 & (1 << field as u32) != 0
    }

    #[cfg(test)]
    fn named(self, name: &str) -> bool {
        POST_FIELDS
            .iter()
            .position(|f| *f == name)
            .is_some_and(|k| self.0 & (1 << k) != 0)
    }
}

/// What a post's page shows around the post that takes work to make, each made only when the
/// page's templates name it: a custom `post.html` without related posts does not have every
/// post's related posts found, nor its card tags and JSON-LD written when it shows no `meta`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Around {
    pub(super) meta: bool,
    pub(super) related: bool,
    pub(super) series: bool,
    pub(super) comments: bool,
}

impl Around {
    pub(super) const ALL: Around = Around {
        meta: true,
        related: true,
        series: true,
        comments: true,
    };

    pub(super) fn of(names: &Names) -> Around {
        Around {
            meta: names.has("meta"),
            related: names.has("related"),
            series: names.has("series"),
            comments: names.has("comments"),
        }
    }
}

#[derive(Serialize, Clone)]
pub(super) struct Link {
    pub(super) name: String,
    pub(super) url: String,
}

#[derive(Serialize)]
pub(super) struct PagerView {
    pub(super) number: usize,
    pub(super) total: usize,
    pub(super) prev_url: Option<String>,
    pub(super) next_url: Option<String>,
    pub(super) first_url: String,
    pub(super) last_url: String,
}

#[derive(Serialize)]
pub(super) struct ArchiveView {
    pub(super) year: i32,
    pub(super) count: usize,
    pub(super) url: String,
    pub(super) months: Vec<MonthView>,
}

#[derive(Serialize)]
pub(super) struct MonthView {
    pub(super) month: u32,
    pub(super) count: usize,
}

#[derive(Serialize)]
pub(super) struct CategoryView {
    pub(super) name: String,
    pub(super) count: usize,
    pub(super) url: String,
}

#[derive(Serialize)]
pub(super) struct HotView {
    pub(super) name: String,
    pub(super) url: String,
    pub(super) views: u64,
}

/// Site-wide values, the same on every page.
#[derive(Serialize)]
pub(super) struct SiteView<'a> {
    #[serde(flatten)]
    pub(super) settings: crate::config::SettingsView<'a>,
    pub(super) base_path: &'a str,
    /// `https://example.org` of `base_url` (empty if it is only a path), for absolute links.
    pub(super) origin: &'a str,
    pub(super) post_count: usize,
    pub(super) years: Vec<ArchiveView>,
    pub(super) categories: Vec<CategoryView>,
    pub(super) tags: Vec<CategoryView>,
    pub(super) hot: Vec<HotView>,
    pub(super) guestbook: &'a [crate::site::Message],
}

/// A feed entry: absolute links, and the dates feeds want.
#[derive(Serialize)]
pub(super) struct FeedEntry<'a> {
    pub(super) title: String,
    pub(super) permalink: String,
    pub(super) published: &'a str,
    pub(super) updated: String,
    pub(super) pub_date: String,
    pub(super) category: Option<&'a str>,
    pub(super) summary: std::borrow::Cow<'a, str>,
    pub(super) content: Option<String>,
}

#[derive(Serialize)]
pub(super) struct SitemapUrl {
    pub(super) loc: String,
    pub(super) lastmod: Option<String>,
}

pub(super) fn category_view(c: &Category, base: &str) -> CategoryView {
    term_view(c, Route::category(&c.slug), base)
}

/// A category or tag as templates see it, linking to its first page at `route`.
pub(super) fn term_view(c: &Category, route: Route, base: &str) -> CategoryView {
    CategoryView {
        name: c.name.clone(),
        count: c.posts.len(),
        url: route.url(base),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn only(names: &[&str]) -> Names {
        Names::Only(names.iter().map(|n| n.to_string()).collect())
    }

    #[test]
    fn fields_are_the_names_the_templates_use() {
        let f = Fields::of(&only(&["title", "toc", "entries"]));
        assert!(f.named("title") && f.named("toc"));
        assert!(!f.named("excerpt") && !f.named("entries") && !f.named("nonesuch"));
        let all = Fields::of(&Names::Any);
        assert!(POST_FIELDS.iter().all(|n| all.named(n)), "{all:?}");
    }

    #[test]
    fn a_post_page_makes_what_its_templates_name_around_the_post() {
        let a = Around::of(&only(&["post", "related", "next"]));
        assert!(a.related, "{a:?}");
        assert!(!a.meta && !a.series && !a.comments, "{a:?}");
        assert!(Around::of(&only(&["meta"])).meta && Around::of(&only(&["series"])).series);
        assert_eq!(Around::of(&Names::Any), Around::ALL);
    }
}
