//! The kinds of page boke writes. Each is a type implementing [`Page`]: which template renders
//! it, where it goes, what its fingerprint covers and what its template is given. A new kind of
//! page is one more type here and one line in [`Renderer::all_jobs`](super::Renderer).

use super::Renderer;
use super::views::{FeedEntry, PostView, SitemapUrl, category_view, term_view};
use crate::config::FeedContent;
use crate::fingerprint::Fingerprint;
use crate::route::Route;
use crate::site::{Category, Pager};
use std::hash::Hash;
use std::path::PathBuf;
use tera::{Context, Value};

/// One kind of page. `key` must cover everything the page shows beyond the site-wide values:
/// equal keys mean equal pages, so a rebuild skips the page.
pub trait Page: Send + Sync + std::fmt::Debug {
    fn template(&self) -> &'static str;
    fn route(&self, r: &Renderer<'_>) -> Route;
    fn key(&self, r: &Renderer<'_>, h: &mut Fingerprint);
    fn context(&self, r: &Renderer<'_>, route: &Route, ctx: &mut Context);
    /// The post whose front matter placed this page (its permalink, or one of its aliases with
    /// that alias's index), for messages about two pages that would be one file.
    fn placed_by(&self) -> Option<(usize, Option<usize>)> {
        None
    }
    /// A page placed by another of the user's files (a standalone page, a redirect), for the
    /// same messages.
    fn placed_in(&self, _: &Renderer<'_>) -> Option<Placement> {
        None
    }
}

/// Where a page that is not a post's was placed by the user, for messages.
pub struct Placement {
    pub file: PathBuf,
    pub line: Option<usize>,
    /// What the page is: "the page of content/pages/about.md".
    pub what: String,
    pub help: &'static str,
}

/// A page of the home listing.
#[derive(Debug)]
pub struct Home(pub Pager);

impl Page for Home {
    fn template(&self) -> &'static str {
        "index.html"
    }
    fn route(&self, _: &Renderer<'_>) -> Route {
        Route::home().page(self.0.number)
    }
    fn key(&self, r: &Renderer<'_>, h: &mut Fingerprint) {
        (0u8, self.0.number, self.0.total).hash(h);
        r.versions(h, &r.site.home[self.0.items.clone()]);
    }
    fn context(&self, r: &Renderer<'_>, _: &Route, ctx: &mut Context) {
        r.list(
            ctx,
            self.template(),
            &Route::home(),
            &self.0,
            &r.site.home[self.0.items.clone()],
        );
    }
}

/// A post's own page.
#[derive(Debug)]
pub struct Post(pub usize);

impl Post {
    pub const TEMPLATE: &'static str = "post.html";
}

impl Page for Post {
    fn template(&self) -> &'static str {
        Self::TEMPLATE
    }
    fn route(&self, r: &Renderer<'_>) -> Route {
        r.site.post_route(self.0).clone()
    }
    fn key(&self, r: &Renderer<'_>, h: &mut Fingerprint) {
        let i = self.0;
        // With where its `@/` links lead: other posts' URLs, which change with their slugs.
        (1u8, r.shown_version(i)).hash(h);
        i.checked_sub(1).map(|j| r.shown_version(j)).hash(h);
        (i + 1 < r.site.posts.len())
            .then(|| r.shown_version(i + 1))
            .hash(h);
        r.reading_key(i, h);
    }
    fn context(&self, r: &Renderer<'_>, _: &Route, ctx: &mut Context) {
        let (i, site) = (self.0, r.site);
        let post = &site.posts[i];
        let body = post.render_body((&site.config).into(), &|path| r.resolve(path));
        let wants_toc = post
            .meta
            .extra
            .get("toc")
            .and_then(|v| v.as_bool())
            .unwrap_or(site.config.toc);
        let minutes = body.words.div_ceil(site.config.reading_speed.max(1)).max(1);
        r.reading_context(i, &body.html, ctx);
        let view = PostView {
            content: Some(Value::safe_string(&body.html)),
            words: Some(body.words),
            reading_minutes: Some(minutes),
            words_text: Some(super::filled(&r.counted.words, &[("n", body.words as u64)])),
            reading_text: Some(super::filled(
                &r.counted.reading_time,
                &[("n", minutes as u64)],
            )),
            toc: Some(if wants_toc { &body.toc } else { &[] }),
            ..r.post_view(i, r.fields_of(self.template()))
        };
        ctx.insert("post", &view);
        if r.post_page.comments {
            ctx.insert(
                "comments",
                &crate::comment::flatten(&post.comments, &site.config),
            );
        }
        // Older is 上一篇 (previous), newer is 下一篇 (next), as on the blog mirrored.
        ctx.insert_value("previous", r.neighbour(i + 1));
        ctx.insert_value(
            "next",
            i.checked_sub(1)
                .map_or_else(Value::none, |j| r.neighbour(j)),
        );
    }
    fn placed_by(&self) -> Option<(usize, Option<usize>)> {
        Some((self.0, None))
    }
}

/// A page at a post's old path (`aliases:`) that redirects to it: the post, the alias.
#[derive(Debug)]
pub struct Alias(pub usize, pub usize);

impl Page for Alias {
    fn template(&self) -> &'static str {
        "alias.html"
    }
    fn route(&self, r: &Renderer<'_>) -> Route {
        r.site.posts[self.0].meta.aliases[self.1].route.clone()
    }
    fn key(&self, r: &Renderer<'_>, h: &mut Fingerprint) {
        // What the redirect shows: where the post is now and its title.
        let post = &r.site.posts[self.0];
        (8u8, self.1, r.site.post_route(self.0), &post.meta.title).hash(h);
    }
    fn context(&self, r: &Renderer<'_>, _: &Route, ctx: &mut Context) {
        redirect_context(
            r,
            ctx,
            &r.site.posts[self.0].display_title(),
            r.post_url(self.0),
        );
    }
    fn placed_by(&self) -> Option<(usize, Option<usize>)> {
        Some((self.0, Some(self.1)))
    }
}

/// A page at an old path of `data/redirects.yaml` that redirects to its new one.
#[derive(Debug)]
pub struct Redirect(pub usize);

impl Page for Redirect {
    fn template(&self) -> &'static str {
        "alias.html"
    }
    fn route(&self, r: &Renderer<'_>) -> Route {
        r.site.redirects[self.0].from.clone()
    }
    fn key(&self, r: &Renderer<'_>, h: &mut Fingerprint) {
        (9u8, &r.site.redirects[self.0]).hash(h);
    }
    fn context(&self, r: &Renderer<'_>, _: &Route, ctx: &mut Context) {
        let to = &r.site.redirects[self.0];
        let url = format!("{}{}", to.to.url(r.base()), to.fragment);
        redirect_context(r, ctx, &url, &url);
    }
    fn placed_in(&self, r: &Renderer<'_>) -> Option<Placement> {
        let redirect = &r.site.redirects[self.0];
        Some(Placement {
            file: crate::layout::rel_redirects_file(),
            line: redirect.line,
            what: format!(
                "the redirect from {}",
                percent_encoding::percent_decode_str(&redirect.from.url("/")).decode_utf8_lossy()
            ),
            help: "remove the entry, or change its old path",
        })
    }
}

/// A standalone page (`content/pages/`).
#[derive(Debug)]
pub struct Standalone(pub usize);

impl Page for Standalone {
    fn template(&self) -> &'static str {
        "page.html"
    }
    fn route(&self, r: &Renderer<'_>) -> Route {
        r.site.page_route(self.0).clone()
    }
    fn key(&self, r: &Renderer<'_>, h: &mut Fingerprint) {
        let page = &r.site.pages[self.0];
        (10u8, page.version).hash(h);
        for (target, _) in &page.links {
            r.resolve(target).hash(h);
        }
    }
    fn context(&self, r: &Renderer<'_>, route: &Route, ctx: &mut Context) {
        let (site, page) = (r.site, &r.site.pages[self.0]);
        let body = page.render_body((&site.config).into(), &|path| r.resolve(path));
        ctx.insert(
            "page",
            &PageView {
                title: page_title(page),
                url: route.url(r.base()),
                content: body.html,
                extra: &page.meta.extra,
            },
        );
        ctx.insert(
            "comments",
            &crate::comment::flatten(&page.comments, &site.config),
        );
    }
    fn placed_in(&self, r: &Renderer<'_>) -> Option<Placement> {
        let page = &r.site.pages[self.0];
        Some(Placement {
            file: page.source.clone(),
            line: None,
            what: format!("the page of {}", page.source.display()),
            help: "give the page another `permalink:` or `slug:`",
        })
    }
}

/// A page at a standalone page's old path (`aliases:`): the page, the alias.
#[derive(Debug)]
pub struct StandaloneAlias(pub usize, pub usize);

impl Page for StandaloneAlias {
    fn template(&self) -> &'static str {
        "alias.html"
    }
    fn route(&self, r: &Renderer<'_>) -> Route {
        r.site.pages[self.0].meta.aliases[self.1].route.clone()
    }
    fn key(&self, r: &Renderer<'_>, h: &mut Fingerprint) {
        let page = &r.site.pages[self.0];
        (11u8, self.1, r.site.page_route(self.0), &page.meta.title).hash(h);
    }
    fn context(&self, r: &Renderer<'_>, _: &Route, ctx: &mut Context) {
        let page = &r.site.pages[self.0];
        let url = r.site.page_route(self.0).url(r.base());
        redirect_context(r, ctx, page_title(page), &url);
    }
    fn placed_in(&self, r: &Renderer<'_>) -> Option<Placement> {
        let page = &r.site.pages[self.0];
        Some(Placement {
            file: page.source.clone(),
            line: page.meta.aliases[self.1].line,
            what: format!("an alias of {}", page.source.display()),
            help: "remove the alias or change it",
        })
    }
}

/// What `alias.html` is given: the title of where it leads, and that place's path and URL.
fn redirect_context(r: &Renderer<'_>, ctx: &mut Context, title: &str, url: &str) {
    ctx.insert("title", title);
    ctx.insert("permalink", &format!("{}{url}", r.origin()));
    ctx.insert("url", url);
}

/// A standalone page's title, or its slug for one without.
fn page_title(page: &crate::content::Post) -> &str {
    page.meta.title.as_deref().unwrap_or(page.slug.as_str())
}

/// What `page.html` shows of a standalone page.
#[derive(serde::Serialize)]
struct PageView<'a> {
    title: &'a str,
    url: String,
    content: String,
    extra: &'a std::collections::BTreeMap<String, serde_yaml::Value>,
}

/// A page of one year's archive.
#[derive(Debug)]
pub struct Year(pub usize, pub Pager);

impl Page for Year {
    fn template(&self) -> &'static str {
        "year.html"
    }
    fn route(&self, r: &Renderer<'_>) -> Route {
        Route::year(r.site.years[self.0].year).page(self.1.number)
    }
    fn key(&self, r: &Renderer<'_>, h: &mut Fingerprint) {
        let archive = &r.site.years[self.0];
        (2u8, archive.year, self.1.number, self.1.total).hash(h);
        r.versions(h, &archive.posts[self.1.items.clone()]);
    }
    fn context(&self, r: &Renderer<'_>, _: &Route, ctx: &mut Context) {
        let archive = &r.site.years[self.0];
        let shown = &archive.posts[self.1.items.clone()];
        r.list(
            ctx,
            self.template(),
            &Route::year(archive.year),
            &self.1,
            shown,
        );
        ctx.insert("year", &archive.year);
        ctx.insert("count", &archive.posts.len());
    }
}

/// Categories and tags are both terms: lists of posts with a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Taxonomy {
    Category,
    Tag,
}

impl Taxonomy {
    fn terms<'s>(self, r: &Renderer<'s>) -> &'s [Category] {
        match self {
            Taxonomy::Category => &r.site.categories,
            Taxonomy::Tag => &r.site.tags,
        }
    }

    fn route(self, term: &Category) -> Route {
        match self {
            Taxonomy::Category => Route::category(&term.slug),
            Taxonomy::Tag => Route::tag(&term.slug),
        }
    }
}

/// A page of one category's or tag's list.
#[derive(Debug)]
pub struct Term(pub Taxonomy, pub usize, pub Pager);

impl Page for Term {
    fn template(&self) -> &'static str {
        match self.0 {
            Taxonomy::Category => "category.html",
            Taxonomy::Tag => "tag.html",
        }
    }
    fn route(&self, r: &Renderer<'_>) -> Route {
        let term = &self.0.terms(r)[self.1];
        self.0.route(term).page(self.2.number)
    }
    fn key(&self, r: &Renderer<'_>, h: &mut Fingerprint) {
        let term = &self.0.terms(r)[self.1];
        (3u8, self.0, &term.name, self.2.number, self.2.total).hash(h);
        r.versions(h, &term.posts[self.2.items.clone()]);
    }
    fn context(&self, r: &Renderer<'_>, _: &Route, ctx: &mut Context) {
        let term = &self.0.terms(r)[self.1];
        let first = self.0.route(term);
        r.list(
            ctx,
            self.template(),
            &first,
            &self.2,
            &term.posts[self.2.items.clone()],
        );
        let base = r.base();
        match self.0 {
            Taxonomy::Category => ctx.insert("category", &category_view(term, base)),
            Taxonomy::Tag => ctx.insert("tag", &term_view(term, first, base)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedKind {
    Atom,
    Rss,
}

/// The newest posts of the site, or of one category.
#[derive(Debug)]
pub struct Feed(pub FeedKind, pub Option<usize>);

impl Page for Feed {
    fn template(&self) -> &'static str {
        match self.0 {
            FeedKind::Atom => "atom.xml",
            FeedKind::Rss => "rss.xml",
        }
    }
    fn route(&self, r: &Renderer<'_>) -> Route {
        self.home(r).named(self.template())
    }
    fn key(&self, r: &Renderer<'_>, h: &mut Fingerprint) {
        (4u8, self.0, self.1).hash(h);
        r.versions(h, r.feed_posts(self.1));
    }
    fn context(&self, r: &Renderer<'_>, route: &Route, ctx: &mut Context) {
        let (site, origin, base) = (r.site, r.origin(), r.base());
        let full = site.config.feed_content == FeedContent::Full;
        let shown = r.feed_posts(self.1);
        let entries: Vec<FeedEntry> = shown
            .iter()
            .map(|&i| {
                let p = &site.posts[i];
                let updated = p.meta.updated.unwrap_or(p.meta.date);
                FeedEntry {
                    title: p.display_title().into_owned(),
                    permalink: format!("{origin}{}", site.post_route(i).url(base)),
                    published: &p.date_iso,
                    updated: updated.to_rfc3339(),
                    pub_date: p.meta.date.to_rfc2822(),
                    category: p.meta.category.as_deref(),
                    summary: p.excerpt.html_resolved(&|path| r.resolve_absolute(path)),
                    content: full.then(|| {
                        p.render_body((&site.config).into(), &|path| r.resolve_absolute(path))
                            .html
                    }),
                }
            })
            .collect();
        let newest = shown
            .iter()
            .map(|&i| {
                site.posts[i]
                    .meta
                    .updated
                    .unwrap_or(site.posts[i].meta.date)
            })
            .max();
        ctx.insert("entries", &entries);
        ctx.insert(
            "updated",
            &newest
                .map(|d| d.to_rfc3339())
                .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".into()),
        );
        ctx.insert("feed_url", &format!("{origin}{}", route.url(base)));
        ctx.insert("home_url", &format!("{origin}{}", self.home(r).url(base)));
        ctx.insert(
            "category",
            &self.1.map(|c| category_view(&site.categories[c], base)),
        );
    }
}

impl Feed {
    /// The page the feed is of: the listing, or its category's first page.
    fn home(&self, r: &Renderer<'_>) -> Route {
        self.1
            .map_or_else(Route::home, |c| Route::category(&r.site.categories[c].slug))
    }
}

/// `/sitemap.xml`: every post and list.
#[derive(Debug)]
pub struct Sitemap;

impl Page for Sitemap {
    fn template(&self) -> &'static str {
        "sitemap.xml"
    }
    fn route(&self, _: &Renderer<'_>) -> Route {
        Route::home().named("sitemap.xml")
    }
    fn key(&self, r: &Renderer<'_>, h: &mut Fingerprint) {
        5u8.hash(h);
        // Only what the sitemap lists: where each post is and when it last changed.
        for (i, p) in r.site.posts.iter().enumerate() {
            (r.site.post_route(i), p.meta.date, p.meta.updated).hash(h);
        }
        for (k, p) in r.site.pages.iter().enumerate() {
            (r.site.page_route(k), p.meta.updated).hash(h);
        }
    }
    fn context(&self, r: &Renderer<'_>, _: &Route, ctx: &mut Context) {
        let site = r.site;
        let (origin, base) = (r.origin(), r.base());
        let at = |route: &Route, lastmod: Option<String>| SitemapUrl {
            loc: format!("{origin}{}", route.url(base)),
            lastmod,
        };
        let mut urls = vec![at(&Route::home(), None)];
        urls.extend(site.posts.iter().enumerate().map(|(i, p)| {
            let changed = p.meta.updated.unwrap_or(p.meta.date).to_rfc3339();
            at(site.post_route(i), Some(changed))
        }));
        urls.extend(site.pages.iter().enumerate().map(|(k, p)| {
            let changed = p.meta.updated.map(|u| u.to_rfc3339());
            at(site.page_route(k), changed)
        }));
        urls.extend(site.years.iter().map(|y| at(&Route::year(y.year), None)));
        urls.extend(
            site.categories
                .iter()
                .map(|c| at(&Route::category(&c.slug), None)),
        );
        urls.extend(site.tags.iter().map(|t| at(&Route::tag(&t.slug), None)));
        ctx.insert("urls", &urls);
    }
}

/// `/robots.txt`, pointing at the sitemap.
#[derive(Debug)]
pub struct Robots;

impl Page for Robots {
    fn template(&self) -> &'static str {
        "robots.txt"
    }
    fn route(&self, _: &Renderer<'_>) -> Route {
        Route::home().named("robots.txt")
    }
    fn key(&self, _: &Renderer<'_>, h: &mut Fingerprint) {
        6u8.hash(h);
    }
    fn context(&self, r: &Renderer<'_>, _: &Route, ctx: &mut Context) {
        let sitemap = Route::home().named("sitemap.xml").url(r.base());
        ctx.insert("sitemap_url", &format!("{}{sitemap}", r.origin()));
    }
}

/// `/404.html`.
#[derive(Debug)]
pub struct NotFound;

impl Page for NotFound {
    fn template(&self) -> &'static str {
        "404.html"
    }
    fn route(&self, _: &Renderer<'_>) -> Route {
        Route::home().named("404.html")
    }
    fn key(&self, _: &Renderer<'_>, h: &mut Fingerprint) {
        7u8.hash(h);
    }
    fn context(&self, _: &Renderer<'_>, _: &Route, _: &mut Context) {}
}
