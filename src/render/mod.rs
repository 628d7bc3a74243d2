//! Rendering a [`Site`]: every page it has, planned with its output file ([`Renderer::jobs`]),
//! fingerprinted for rebuilds ([`Renderer::key`]) and rendered through the site's templates.
//!
//! Everything the same on every page (site settings, sidebar archive and categories) goes into
//! Tera's global context once, and the [`Chrome`] (head, header, sidebar, footer) is rendered once
//! per page depth; a page's own context holds only its posts. The kinds of page are in `pages`,
//! the values templates see in `views`, the templates themselves in `templates`.

mod names;
mod pages;
mod reading;
mod templates;
mod views;

pub use pages::{FeedKind, Page, Taxonomy};
pub use templates::{DEFAULT_TEMPLATES, Templates};

use crate::error::{Diagnostic, Error, Result};
use crate::fingerprint::Fingerprint;
use crate::layout;
use crate::route::Route;
use crate::site::{Pager, Site, paginate};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use templates::template_error;
use tera::{Context, Tera, Value};
use views::{
    ArchiveView, Around, Field, Fields, HotView, Link, MonthView, PagerView, PostView, SiteView,
};

/// One page or file to write.
pub type Job = Box<dyn Page>;

/// A job and the file it writes, relative to the output directory.
#[derive(Debug)]
pub struct Planned {
    pub job: Job,
    pub file: String,
}

/// Every post's URL and link as the renderer made them ([`Renderer::take_values`]), only to be
/// freed.
pub struct Values {
    _urls: Vec<OnceLock<Value>>,
    _links: Vec<OnceLock<Value>>,
}

/// Renders the pages of one site.
pub struct Renderer<'a> {
    site: &'a Site,
    tera: Tera,
    /// The header, sidebar and footer for pages at each depth below the output root.
    chrome: Vec<Chrome>,
    /// A fingerprint of what every page shares (see [`Renderer::key`]).
    global_key: u64,
    /// 0..posts: the home list, which is every post in order.
    all: Vec<usize>,
    /// Each post's URL, made on first use: a post is listed on three or four pages and linked
    /// from more, and a rebuild renders only a few. A template value, so that a page showing
    /// it clones a pointer; Rust borrows its text ([`Renderer::post_url`]).
    urls: Vec<OnceLock<Value>>,
    /// Each post as a link (title and URL), as templates see it, made on first use: the one
    /// value is shared by every page that links the post (its neighbours, related posts).
    links: Vec<OnceLock<Value>>,
    /// Each category as a link, for the posts in it.
    category_links: Vec<Value>,
    /// See [`Renderer::shown_version`].
    shown_versions: Vec<OnceLock<u64>>,
    /// The largest page each template has made so far: a page's buffer is made that large at
    /// once, rather than copied through every doubling (a listing of a few hundred posts).
    page_sizes: Vec<(&'static str, AtomicUsize)>,
    /// Which of a post's fields each template's pages name, by template name.
    fields: HashMap<String, Fields>,
    /// What a post's page names around the post: asked for every post, by its fingerprint too.
    post_page: Around,
    related: crate::related::Related<'a>,
    /// Each post's related posts, found on first use (its fingerprint, then its page).
    related_found: Vec<OnceLock<Vec<usize>>>,
    /// The labels `t.counts`, `t.words` and `t.reading_time` as templates see them, which
    /// every post's views are given filled in ([`crate::i18n::fill_counts`]).
    counted: CountedLabels,
}

struct CountedLabels {
    counts: String,
    words: String,
    reading_time: String,
}

/// One of [`CountedLabels`] with its counts, as a template shows it.
fn filled(label: &str, counts: &[(&str, u64)]) -> Value {
    Value::safe_string(&crate::i18n::fill_counts(label, counts))
}

/// What surrounds every page's own part, rendered once for a depth below the output root (the
/// partials see `site`, `t` and `root`, not the page). Rendering the header and footer in
/// every page took 80M of the 10,000-post build's 5.7G instructions.
struct Chrome {
    head: Value,
    header: Value,
    sidebar: Value,
    footer: Value,
}

impl Chrome {
    fn render(tera: &Tera, depth: usize) -> tera::TeraResult<Chrome> {
        let mut ctx = Context::new();
        ctx.insert("root", &"../".repeat(depth));
        let part = |name: &str| {
            tera.render(name, &ctx)
                .map(|s| Value::safe_string(s.trim_end()))
        };
        Ok(Chrome {
            head: part("partials/head.html")?,
            header: part("partials/header.html")?,
            sidebar: part("partials/sidebar.html")?,
            footer: part("partials/footer.html")?,
        })
    }
}

/// The deepest of boke's own pages: `categories/<name>/page/<n>/index.html`. Posts and their
/// aliases may go deeper, as their permalink patterns say.
const MAX_DEPTH: usize = 4;

/// The one way a loaded site becomes pages: its renderer and every page it will write, with
/// their files (clashes refused). `boke build`, `check`, `serve` and the benchmark all start here.
pub fn plan<'a>(site: &'a Site, templates: &Templates) -> Result<(Renderer<'a>, Vec<Planned>)> {
    let renderer = Renderer::new(site, templates)?;
    let jobs = renderer.jobs()?;
    Ok((renderer, jobs))
}

impl<'a> Renderer<'a> {
    /// Prepare the global context and render the shared sidebar once.
    fn new(site: &'a Site, templates: &Templates) -> Result<Renderer<'a>> {
        let base = site.config.base_path();
        let view = SiteView {
            settings: site.config.view(),
            base_path: base,
            origin: site.config.origin(),
            post_count: site.posts.len(),
            years: site
                .years
                .iter()
                .map(|y| ArchiveView {
                    year: y.year,
                    count: y.posts.len(),
                    url: Route::year(y.year).url(base),
                    months: y
                        .months
                        .iter()
                        .map(|&(month, count)| MonthView { month, count })
                        .collect(),
                })
                .collect(),
            categories: site
                .categories
                .iter()
                .map(|c| views::category_view(c, base))
                .collect(),
            tags: site
                .tags
                .iter()
                .map(|t| views::term_view(t, Route::tag(&t.slug), base))
                .collect(),
            hot: site
                .hot
                .iter()
                .map(|&i| HotView {
                    name: site.posts[i].display_title().into_owned(),
                    url: site.post_route(i).url(base),
                    views: site.posts[i].meta.views,
                })
                .collect(),
            guestbook: &site.guestbook,
        };
        // The header, sidebar and footer are the same on every page but for the relative path to
        // assets, which depends only on how deep the page is: render them once per depth.
        let deepest = (0..site.posts.len())
            .map(|i| site.post_route(i).depth())
            .chain(
                site.posts
                    .iter()
                    .chain(&site.pages)
                    .flat_map(|p| p.meta.aliases.iter().map(|a| a.route.depth())),
            )
            .chain((0..site.pages.len()).map(|k| site.page_route(k).depth()))
            .chain(site.redirects.iter().map(|r| r.from.depth()))
            .fold(MAX_DEPTH, usize::max);
        let mut tera = templates.tera();
        tera.global_context().insert("site", &view);
        tera.global_context()
            .insert_value("t", site.config.labels_in_use().to_template_value());
        let chrome = (0..=deepest)
            .map(|depth| Chrome::render(&tera, depth))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| template_error(&e, |_| true))?;
        // Keys outlive the process (a build's manifest keeps them for the next build), so the
        // global one also covers what made the pages: boke itself, every setting, the templates.
        let mut h = Fingerprint::new();
        crate::highlight::cache::maker().hash(&mut h);
        format!("{:?}", site.config).hash(&mut h);
        templates.fingerprint().hash(&mut h);
        site.static_stamp.hash(&mut h);
        serde_yaml::to_string(&view)
            .unwrap_or_default()
            .hash(&mut h);
        for c in &chrome {
            for part in [&c.head, &c.header, &c.sidebar, &c.footer] {
                part.as_str().hash(&mut h);
            }
        }
        let global_key = h.finish();
        Ok(Renderer {
            site,
            tera,
            chrome,
            global_key,
            all: (0..site.posts.len()).collect(),
            urls: site.posts.iter().map(|_| OnceLock::new()).collect(),
            links: site.posts.iter().map(|_| OnceLock::new()).collect(),
            shown_versions: site.posts.iter().map(|_| OnceLock::new()).collect(),
            fields: templates.fields().clone(),
            post_page: templates.post_page(),
            page_sizes: templates::DEFAULT_TEMPLATES
                .iter()
                .map(|&(name, _)| (name, AtomicUsize::new(0)))
                .collect(),
            category_links: site
                .categories
                .iter()
                .map(|c| {
                    Value::from_serializable(&Link {
                        name: c.name.clone(),
                        url: Route::category(&c.slug).url(base),
                    })
                })
                .collect(),
            related: crate::related::Related::new(site),
            related_found: site.posts.iter().map(|_| OnceLock::new()).collect(),
            counted: {
                let labels = site.config.labels_in_use();
                CountedLabels {
                    counts: labels.html("counts"),
                    words: labels.html("words"),
                    reading_time: labels.html("reading_time"),
                }
            },
        })
    }

    /// Every page of the site with its output file, in a fixed order. Two pages that would be
    /// one file (a post's permalink or alias landing on another page) are errors naming the
    /// posts' files.
    fn jobs(&self) -> Result<Vec<Planned>> {
        let planned: Vec<Planned> = self
            .all_jobs()
            .into_iter()
            .map(|job| Planned {
                file: job.route(self).file(),
                job,
            })
            .collect();
        let mut by_file: HashMap<&str, &Job> = HashMap::with_capacity(planned.len());
        let mut clashes = Vec::new();
        for p in &planned {
            if let Some(first) = by_file.insert(&p.file, &p.job) {
                clashes.push(self.clash(first, &p.job, &p.file));
            }
        }
        if clashes.is_empty() {
            Ok(planned)
        } else {
            Err(Error::Invalid(clashes))
        }
    }

    /// Every page, in order. This is where a new kind of page is planned.
    fn all_jobs(&self) -> Vec<Job> {
        use pages::*;
        let site = self.site;
        let mut jobs: Vec<Job> = Vec::new();
        let per = site.config.archive_page_size();
        let pages_of = |n: usize, size: usize| paginate(n, size).into_iter();
        jobs.extend(
            pages_of(site.home.len(), site.config.paginate).map(|p| Box::new(Home(p)) as Job),
        );
        jobs.extend((0..site.posts.len()).map(|i| Box::new(Post(i)) as Job));
        for (i, p) in site.posts.iter().enumerate() {
            jobs.extend((0..p.meta.aliases.len()).map(|k| Box::new(Alias(i, k)) as Job));
        }
        jobs.extend((0..site.redirects.len()).map(|r| Box::new(Redirect(r)) as Job));
        for (k, p) in site.pages.iter().enumerate() {
            jobs.push(Box::new(Standalone(k)));
            jobs.extend((0..p.meta.aliases.len()).map(|a| Box::new(StandaloneAlias(k, a)) as Job));
        }
        for (i, y) in site.years.iter().enumerate() {
            jobs.extend(pages_of(y.posts.len(), per).map(|p| Box::new(Year(i, p)) as Job));
        }
        for (taxonomy, terms) in [
            (Taxonomy::Category, &site.categories),
            (Taxonomy::Tag, &site.tags),
        ] {
            for (i, t) in terms.iter().enumerate() {
                jobs.extend(
                    pages_of(t.posts.len(), per).map(|p| Box::new(Term(taxonomy, i, p)) as Job),
                );
            }
        }
        for kind in [FeedKind::Atom, FeedKind::Rss] {
            jobs.push(Box::new(Feed(kind, None)));
            jobs.extend((0..site.categories.len()).map(|c| Box::new(Feed(kind, Some(c))) as Job));
        }
        jobs.extend([
            Box::new(Sitemap) as Job,
            Box::new(Robots),
            Box::new(NotFound),
        ]);
        jobs
    }

    /// Two jobs write one file: say so at the post (or alias) responsible, naming the other.
    fn clash(&self, first: &Job, second: &Job, file: &str) -> Diagnostic {
        let posts = &self.site.posts;
        let what = |job: &Job| match (job.placed_by(), job.placed_in(self)) {
            (Some((i, None)), _) => format!("the page of {}", posts[i].source.display()),
            (Some((i, Some(_))), _) => format!("an alias of {}", posts[i].source.display()),
            (None, Some(placed)) => placed.what,
            (None, None) => format!("boke's page {}", job.route(self).url(self.base())),
        };
        let users = |job: &Job| job.placed_by().is_some() || job.placed_in(self).is_some();
        let (mine, other) = if users(second) {
            (second, first)
        } else {
            (first, second)
        };
        if let Some(placed) = mine.placed_in(self) {
            return Diagnostic::new(
                &placed.file,
                format!(
                    "{} writes {file}, which is also {}",
                    placed.what,
                    what(other)
                ),
                placed.help,
            )
            .at_line(placed.line);
        }
        let help = "give the post another `slug:` or `aliases:` entry, or change permalinks.posts in site.yaml";
        match mine.placed_by() {
            Some((i, Some(k))) => Diagnostic::new(
                &posts[i].source,
                format!("the alias writes {file}, which is also {}", what(other)),
                help,
            )
            .at_line(posts[i].meta.aliases[k].line),
            Some((i, None)) => Diagnostic::new(
                &posts[i].source,
                format!("this post's page is {file}, which is also {}", what(other)),
                help,
            ),
            None => Diagnostic::new(
                layout::CONFIG_FILE,
                format!("{file} is both {} and {}", what(first), what(second)),
                help,
            ),
        }
    }

    /// A fingerprint of everything a job's page shows: equal keys mean equal pages, so a
    /// rebuild can skip them. It covers the site-wide values and what the page itself shows
    /// ([`Page::key`]: the version of every post on it, for instance).
    pub fn key(&self, job: &Job) -> u64 {
        let mut h = Fingerprint::new();
        self.global_key.hash(&mut h);
        job.key(self, &mut h);
        h.finish()
    }

    /// Render one page: its output file (relative) and its bytes.
    pub fn render(&self, job: &Job) -> Result<(String, Vec<u8>)> {
        let mut ctx = Context::new();
        let route = job.route(self);
        job.context(self, &route, &mut ctx);
        let file = route.file();
        ctx.insert("page_url", &route.url(self.base()));
        // Assets are linked relative to the page, so public/index.html opened from disk is styled.
        let depth = file.matches('/').count();
        ctx.insert("root", &"../".repeat(depth));
        let chrome = &self.chrome[depth.min(self.chrome.len() - 1)];
        ctx.insert_value("head", chrome.head.clone());
        ctx.insert_value("header", chrome.header.clone());
        ctx.insert_value("sidebar", chrome.sidebar.clone());
        ctx.insert_value("footer", chrome.footer.clone());
        // Bytes, not a String: Tera would check the whole page is UTF-8 again, and it is.
        let template = job.template();
        let size = self.page_sizes.iter().find(|(n, _)| *n == template);
        let mut html = Vec::with_capacity(
            size.map_or(0, |(_, s)| s.load(Ordering::Relaxed))
                .max(16 * 1024),
        );
        self.tera
            .render_to(template, &ctx, &mut html)
            .map_err(|e| template_error(&e, |_| true))?;
        // Written only when larger: a store on every page would move the line between cores.
        if let Some((_, s)) = size.filter(|(_, s)| html.len() > s.load(Ordering::Relaxed)) {
            s.fetch_max(html.len(), Ordering::Relaxed);
        }
        if file.ends_with(".xml") {
            strip_xml_invalid(&mut html);
        }
        Ok((file, html))
    }

    /// The values this renderer made for its pages, taken out so that the caller may free
    /// them where it likes: `boke build` frees them on a thread it does not wait for, as it
    /// does the site (ten thousand shared values took 4 ms to free).
    pub fn take_values(&mut self) -> Values {
        Values {
            _urls: std::mem::take(&mut self.urls),
            _links: std::mem::take(&mut self.links),
        }
    }

    fn base(&self) -> &str {
        self.site.config.base_path()
    }

    fn origin(&self) -> &str {
        self.site.config.origin()
    }

    /// Hash the versions of the posts a page shows, and where their `@/` links lead: an
    /// excerpt or a feed entry shows other posts' URLs, which change with those posts.
    fn versions(&self, h: &mut Fingerprint, shown: &[usize]) {
        for &i in shown {
            self.shown_version(i).hash(h);
        }
    }

    /// Post `i`'s version with where its `@/` links lead, made once: a post is shown on a
    /// dozen pages (lists, feeds, its neighbours' and related posts'), and reading it from the
    /// post each time missed the cache (perf: 12 ms of CPU at 10,000 posts, 6 ms now).
    fn shown_version(&self, i: usize) -> u64 {
        *self.shown_versions[i].get_or_init(|| {
            let post = &self.site.posts[i];
            let mut h = Fingerprint::new();
            post.version.hash(&mut h);
            for (target, _) in &post.links {
                self.resolve(target).hash(&mut h);
            }
            h.finish()
        })
    }

    /// The posts a feed shows: the newest of the site or of a category.
    fn feed_posts(&self, category: Option<usize>) -> &[usize] {
        let all: &[usize] = match category {
            Some(c) => &self.site.categories[c].posts,
            None => &self.all,
        };
        &all[..all.len().min(self.site.config.feed_limit)]
    }

    /// A list page: `shown` are the posts on this page; `route` is the list's first page.
    fn list(
        &self,
        ctx: &mut Context,
        template: &str,
        route: &Route,
        pager: &Pager,
        shown: &[usize],
    ) {
        let base = self.base();
        let fields = self.fields_of(template);
        let entries: Vec<PostView> = shown.iter().map(|&i| self.post_view(i, fields)).collect();
        ctx.insert("entries", &entries);
        let url = |n: usize| route.page(n).url(base);
        ctx.insert(
            "pager",
            &PagerView {
                number: pager.number,
                total: pager.total,
                prev_url: (pager.number > 1).then(|| url(pager.number - 1)),
                next_url: (pager.number < pager.total).then(|| url(pager.number + 1)),
                first_url: url(1),
                last_url: url(pager.total),
            },
        );
    }

    /// Which of a post's fields the pages of `template` name.
    fn fields_of(&self, template: &str) -> Fields {
        self.fields.get(template).copied().unwrap_or(Fields::ALL)
    }

    /// What a page whose templates name `fields` shows of post `i` (only those are made into
    /// template values).
    fn post_view(&self, i: usize, fields: Fields) -> PostView<'_> {
        let p = &self.site.posts[i];
        PostView {
            fields,
            title: p.meta.title.as_deref(),
            url: self.url_value(i).clone(),
            date: &p.date_text,
            date_iso: &p.date_iso,
            excerpt: p.excerpt.html_resolved(&|path| self.resolve(path)),
            excerpt_text: &p.excerpt.text,
            views: p.meta.views,
            comments: p.meta.comments,
            shares: p.meta.shares,
            counts: if fields.has(Field::counts) {
                filled(
                    &self.counted.counts,
                    &[
                        ("views", p.meta.views),
                        ("comments", p.meta.comments),
                        ("shares", p.meta.shares),
                    ],
                )
            } else {
                Value::none()
            },
            category: self
                .site
                .category_index(p)
                .map_or_else(Value::none, |k| self.category_links[k].clone()),
            tags: &p.meta.tags,
            slug: p.slug.as_str(),
            sticky: p.meta.sticky,
            scheduled: p.meta.date > self.site.now,
            extra: &p.meta.extra,
            content: None,
            words: None,
            reading_minutes: None,
            words_text: None,
            reading_text: None,
            toc: None,
        }
    }

    /// The URL of the post or page whose file is `content/<path>`, or of a post's own file
    /// there, for `@/<path>` links.
    fn resolve(&self, path: &str) -> Option<String> {
        let source = layout::rel_content_dir().join(path);
        if let Some(i) = self.site.post_by_source(&source) {
            return Some(self.post_url(i).to_string());
        }
        if let Some(k) = self.site.page_by_source(&source) {
            return Some(self.site.page_route(k).url(self.base()));
        }
        Some(self.site.asset_route(&source)?.url(self.base()))
    }

    /// As [`Renderer::resolve`], absolute, for feeds read away from the site.
    fn resolve_absolute(&self, path: &str) -> Option<String> {
        self.resolve(path).map(|u| format!("{}{u}", self.origin()))
    }

    fn url_value(&self, i: usize) -> &Value {
        self.urls[i].get_or_init(|| Value::from(self.site.post_route(i).url(self.base())))
    }

    fn post_url(&self, i: usize) -> &str {
        self.url_value(i).as_str().unwrap_or_default()
    }

    /// Post `i` as a link, or none past the last post.
    fn neighbour(&self, i: usize) -> Value {
        if i < self.site.posts.len() {
            self.link_value(i)
        } else {
            Value::none()
        }
    }

    /// [`Renderer::link`] as a template value, made once per post: cloning it copies a pointer.
    fn link_value(&self, i: usize) -> Value {
        self.links[i]
            .get_or_init(|| Value::from_serializable(&self.link(i)))
            .clone()
    }

    /// Post `i` as a link: its title (or the start of its excerpt) and its URL.
    fn link(&self, i: usize) -> Link {
        Link {
            name: self.site.posts[i].display_title().into_owned(),
            url: self.post_url(i).to_string(),
        }
    }
}

/// Remove the control characters XML 1.0 forbids (a pasted terminal colour code, say): escaping
/// cannot express them, and one would make a whole feed unreadable. They are single bytes in
/// UTF-8 and never part of another character, so this works on the bytes.
fn strip_xml_invalid(xml: &mut Vec<u8>) {
    xml.retain(|&b| b >= 0x20 || b == b'\t' || b == b'\n' || b == b'\r');
}
