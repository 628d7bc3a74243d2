//! Templates and pages: the embedded default templates (overridden by a site's own by name),
//! the views templates see, and rendering each page of a [`Site`] to HTML.
//!
//! Everything the same on every page (site settings, sidebar archive and categories) goes into
//! Tera's global context once, and the sidebar is rendered once per page depth; a page's own
//! context holds only its posts.

use crate::error::{Diagnostic, Error, Result};
use crate::route::Route;
use crate::site::{Category, Pager, Site, paginate};
use serde::Serialize;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::OnceLock;
use tera::{Context, Tera, Value};

/// The templates compiled into boke, so it works on any site directory.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("index.html", include_str!("../templates/index.html")),
    ("post.html", include_str!("../templates/post.html")),
    ("year.html", include_str!("../templates/year.html")),
    ("category.html", include_str!("../templates/category.html")),
    ("tag.html", include_str!("../templates/tag.html")),
    ("404.html", include_str!("../templates/404.html")),
    ("alias.html", include_str!("../templates/alias.html")),
    ("page.html", include_str!("../templates/page.html")),
    ("atom.xml", include_str!("../templates/atom.xml")),
    ("rss.xml", include_str!("../templates/rss.xml")),
    ("sitemap.xml", include_str!("../templates/sitemap.xml")),
    ("robots.txt", include_str!("../templates/robots.txt")),
    (
        "partials/sidebar.html",
        include_str!("../templates/partials/sidebar.html"),
    ),
    (
        "partials/entry.html",
        include_str!("../templates/partials/entry.html"),
    ),
    (
        "partials/pager.html",
        include_str!("../templates/partials/pager.html"),
    ),
    (
        "partials/guestbook.html",
        include_str!("../templates/partials/guestbook.html"),
    ),
    (
        "partials/comments.html",
        include_str!("../templates/partials/comments.html"),
    ),
];

pub const TEMPLATES_DIR: &str = "templates";

/// Load the default templates and a site's overrides (`templates/**/*.{html,xml,txt}`).
pub fn load_templates(root: &Path) -> Result<Tera> {
    let mut sources: BTreeMap<String, (String, bool)> = DEFAULT_TEMPLATES
        .iter()
        .map(|(n, s)| (n.to_string(), (s.to_string(), false)))
        .collect();
    let dir = root.join(TEMPLATES_DIR);
    if dir.is_dir() {
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry = entry.map_err(|e| {
                Diagnostic::new(
                    e.path().unwrap_or(&dir),
                    format!("cannot read templates: {e}"),
                    "check the permissions of templates/",
                )
            })?;
            let path = entry.path();
            if !entry.file_type().is_file()
                || path
                    .extension()
                    .is_none_or(|e| e != "html" && e != "xml" && e != "txt")
            {
                continue;
            }
            let name = path
                .strip_prefix(&dir)
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(path).map_err(|e| {
                Diagnostic::new(
                    path,
                    format!("cannot read template: {e}"),
                    "templates must be UTF-8 text files",
                )
            })?;
            sources.insert(name, (text, true));
        }
    }
    let mut tera = Tera::new();
    tera.register_filter("fill", crate::i18n::fill);
    tera.set_escape_fn(escape_html);
    tera.add_raw_templates(sources.iter().map(|(n, (s, _))| (n.as_str(), s.as_str())))
        .map_err(|e| template_error(&e, |name| sources.get(name).is_some_and(|(_, own)| *own)))?;
    Ok(tera)
}

/// Turn a Tera error into one that names the template file and line and says what to do.
fn template_error(e: &tera::Error, is_sites_own: impl Fn(&str) -> bool) -> Error {
    use tera::ErrorKind;
    let (name, line, message, help) = match e.kind() {
        ErrorKind::SyntaxError(r) => (
            r.filename().to_string(),
            Some(r.span().start_line),
            r.message().to_string(),
            "fix the template syntax at that line",
        ),
        ErrorKind::RenderingError(r) => (
            r.filename().to_string(),
            Some(r.span().start_line),
            r.message().to_string(),
            "the template uses a value that is missing or of the wrong kind; see ARCHITECTURE.md for the variables each page has, or guard it with `{% if x is defined %}`",
        ),
        other => (
            String::new(),
            None,
            other.to_string(),
            "check the template names used in extends/include",
        ),
    };
    let path = if name.is_empty() {
        TEMPLATES_DIR.to_string()
    } else if is_sites_own(&name) {
        format!("{TEMPLATES_DIR}/{name}")
    } else {
        format!("{name} (boke's built-in template)")
    };
    Error::Template(Diagnostic::new(path, message, help).at_line(line))
}

/// What a list entry or post page shows of a post.
#[derive(Serialize)]
struct PostView<'a> {
    title: Option<&'a str>,
    url: String,
    date: &'a str,
    date_iso: &'a str,
    excerpt: std::borrow::Cow<'a, str>,
    excerpt_text: &'a str,
    views: u64,
    comments: u64,
    shares: u64,
    category: Option<Link>,
    tags: &'a [String],
    slug: &'a str,
    extra: &'a BTreeMap<String, serde_yaml::Value>,
}

/// What `page.html` shows of a standalone page.
#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    url: String,
    content: String,
    extra: &'a BTreeMap<String, serde_yaml::Value>,
}

#[derive(Serialize, Clone)]
struct Link {
    name: String,
    url: String,
}

#[derive(Serialize)]
struct PagerView {
    number: usize,
    total: usize,
    prev_url: Option<String>,
    next_url: Option<String>,
    first_url: String,
    last_url: String,
}

#[derive(Serialize)]
struct ArchiveView {
    year: i32,
    count: usize,
    url: String,
    months: Vec<MonthView>,
}

#[derive(Serialize)]
struct MonthView {
    month: u32,
    count: usize,
}

#[derive(Serialize)]
struct CategoryView {
    name: String,
    count: usize,
    url: String,
}

#[derive(Serialize)]
struct HotView {
    name: String,
    url: String,
    views: u64,
}

/// Site-wide values, the same on every page.
#[derive(Serialize)]
struct SiteView<'a> {
    #[serde(flatten)]
    config: &'a crate::config::Config,
    base_path: &'a str,
    post_count: usize,
    years: Vec<ArchiveView>,
    categories: Vec<CategoryView>,
    tags: Vec<CategoryView>,
    hot: Vec<HotView>,
    guestbook: &'a [crate::site::Message],
}

/// A feed entry: absolute links, and the dates feeds want.
#[derive(Serialize)]
struct FeedEntry<'a> {
    title: String,
    permalink: String,
    published: &'a str,
    updated: String,
    pub_date: String,
    category: Option<&'a str>,
    summary: std::borrow::Cow<'a, str>,
    content: Option<String>,
}

#[derive(Serialize)]
struct SitemapUrl {
    loc: String,
    lastmod: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedKind {
    Atom,
    Rss,
}

/// One page or file to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    Home(Pager),
    Post(usize),
    /// A page at a post's old path (`aliases:`) that redirects to it: post, alias.
    Alias(usize, usize),
    /// A page at an old path of `data/redirects.yaml` that redirects to its new one.
    Redirect(usize),
    /// A standalone page (`content/pages/`).
    Page(usize),
    /// A page at a standalone page's old path: page, alias.
    PageAlias(usize, usize),
    Year(usize, Pager),
    Category(usize, Pager),
    Tag(usize, Pager),
    /// The newest posts of the site, or of one category.
    Feed(FeedKind, Option<usize>),
    Sitemap,
    Robots,
    NotFound,
}

/// A job and the file it writes, relative to the output directory.
#[derive(Debug, Clone)]
pub struct Planned {
    pub job: Job,
    pub file: String,
}

/// Renders the pages of one site.
pub struct Renderer<'a> {
    site: &'a Site,
    tera: Tera,
    /// The sidebar's HTML for pages at each depth below the output root.
    sidebars: Vec<Value>,
    /// A fingerprint of what every page shares (see [`Renderer::key`]).
    global_key: u64,
    /// 0..posts: the home list, which is every post in order.
    all: Vec<usize>,
    /// Each post's URL, made on first use: a post is listed on three or four pages and linked
    /// from more, and a rebuild renders only a few.
    urls: Vec<OnceLock<String>>,
}

/// The deepest of boke's own pages: `categories/<name>/page/<n>/index.html`. Posts and their
/// aliases may go deeper, as their permalink patterns say.
const MAX_DEPTH: usize = 4;

impl<'a> Renderer<'a> {
    /// Prepare the global context and render the shared sidebar once.
    pub fn new(site: &'a Site, mut tera: Tera) -> Result<Renderer<'a>> {
        let base = site.config.base_path();
        let view = SiteView {
            config: &site.config,
            base_path: base,
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
                .map(|c| category_view(c, base))
                .collect(),
            tags: site
                .tags
                .iter()
                .map(|t| term_view(t, Route::tag(&t.slug), base))
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
        tera.global_context().insert("site", &view);
        tera.global_context()
            .insert_value("t", site.config.labels_in_use().to_template_value());
        // The sidebar is the same on every page but for the relative path to assets, which
        // depends only on how deep the page is: render it once per depth.
        let deepest = (0..site.posts.len())
            .map(|i| site.post_route(i).depth())
            .chain(
                site.posts
                    .iter()
                    .flat_map(|p| p.meta.aliases.iter().map(|a| a.route.depth())),
            )
            .chain(site.redirects.iter().map(|r| r.from.depth()))
            .chain((0..site.pages.len()).map(|k| site.page_route(k).depth()))
            .chain(
                site.pages
                    .iter()
                    .flat_map(|p| p.meta.aliases.iter().map(|a| a.route.depth())),
            )
            .fold(MAX_DEPTH, usize::max);
        let sidebars = (0..=deepest)
            .map(|depth| {
                let mut ctx = Context::new();
                ctx.insert("root", &"../".repeat(depth));
                tera.render("partials/sidebar.html", &ctx)
                    .map(|s| Value::safe_string(&s))
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| template_error(&e, |_| true))?;
        let mut h = std::hash::DefaultHasher::new();
        serde_yaml::to_string(&view)
            .unwrap_or_default()
            .hash(&mut h);
        sidebars.iter().for_each(|s| s.as_str().hash(&mut h));
        let global_key = h.finish();
        Ok(Renderer {
            site,
            tera,
            sidebars,
            global_key,
            all: (0..site.posts.len()).collect(),
            urls: site.posts.iter().map(|_| OnceLock::new()).collect(),
        })
    }

    /// Every page of the site with its output file, in a fixed order. Two pages that would be
    /// one file (a post's permalink or alias landing on another page) are errors naming the
    /// posts' files.
    pub fn jobs(&self) -> Result<Vec<Planned>> {
        let planned: Vec<Planned> = self
            .all_jobs()
            .into_iter()
            .map(|job| Planned {
                file: self.file(&job),
                job,
            })
            .collect();
        let mut by_file: std::collections::HashMap<&str, &Job> =
            std::collections::HashMap::with_capacity(planned.len());
        let mut clashes = Vec::new();
        for p in &planned {
            if let Some(first) = by_file.insert(&p.file, &p.job) {
                clashes.push(self.clash(first, &p.job));
            }
        }
        if clashes.is_empty() {
            Ok(planned)
        } else {
            Err(Error::Invalid(clashes))
        }
    }

    /// Two jobs write one file: say so at the post (or alias) responsible, naming the other.
    fn clash(&self, first: &Job, second: &Job) -> Diagnostic {
        let posts = &self.site.posts;
        let what = |job: &Job| match *job {
            Job::Post(i) => format!("the page of {}", posts[i].source.display()),
            Job::Alias(i, _) => format!("an alias of {}", posts[i].source.display()),
            Job::Page(k) => format!("the page of {}", self.site.pages[k].source.display()),
            Job::PageAlias(k, _) => {
                format!("an alias of {}", self.site.pages[k].source.display())
            }
            Job::Redirect(r) => format!(
                "the redirect from {} in {}",
                self.site.redirects[r].from.url("/"),
                crate::redirect::FILE
            ),
            _ => format!(
                "boke's page {}",
                self.place(job).1.url(self.site.config.base_path())
            ),
        };
        let (mine, other) = match second {
            Job::Post(_)
            | Job::Alias(..)
            | Job::Redirect(_)
            | Job::Page(_)
            | Job::PageAlias(..) => (second, first),
            _ => (first, second),
        };
        let file = self.file(mine);
        let help = "give the post another `slug:` or `aliases:` entry, or change permalinks.posts in site.yaml";
        match *mine {
            Job::Alias(i, k) => {
                let alias = &posts[i].meta.aliases[k];
                Diagnostic::new(
                    &posts[i].source,
                    format!("the alias writes {file}, which is also {}", what(other)),
                    help,
                )
                .at_line(alias.line)
            }
            Job::Post(i) => Diagnostic::new(
                &posts[i].source,
                format!("this post's page is {file}, which is also {}", what(other)),
                help,
            ),
            Job::Page(k) => Diagnostic::new(
                &self.site.pages[k].source,
                format!("this page is {file}, which is also {}", what(other)),
                "give the page another `permalink:` or `slug:`",
            ),
            Job::PageAlias(k, a) => Diagnostic::new(
                &self.site.pages[k].source,
                format!("the alias writes {file}, which is also {}", what(other)),
                "remove the alias or change it",
            )
            .at_line(self.site.pages[k].meta.aliases[a].line),
            Job::Redirect(r) => Diagnostic::new(
                crate::redirect::FILE,
                format!("the redirect writes {file}, which is also {}", what(other)),
                "remove the entry, or change the old path",
            )
            .at_line(self.site.redirects[r].line),
            _ => Diagnostic::new(
                crate::config::FILE_NAME,
                format!("{file} is both {} and {}", what(first), what(second)),
                help,
            ),
        }
    }

    fn all_jobs(&self) -> Vec<Job> {
        let site = self.site;
        let mut jobs: Vec<Job> = paginate(site.posts.len(), site.config.paginate)
            .into_iter()
            .map(Job::Home)
            .collect();
        jobs.extend((0..site.posts.len()).map(Job::Post));
        for (i, p) in site.posts.iter().enumerate() {
            jobs.extend((0..p.meta.aliases.len()).map(|k| Job::Alias(i, k)));
        }
        jobs.extend((0..site.redirects.len()).map(Job::Redirect));
        for (k, p) in site.pages.iter().enumerate() {
            jobs.push(Job::Page(k));
            jobs.extend((0..p.meta.aliases.len()).map(|a| Job::PageAlias(k, a)));
        }
        let per = site.config.archive_page_size();
        for (i, y) in site.years.iter().enumerate() {
            jobs.extend(
                paginate(y.posts.len(), per)
                    .into_iter()
                    .map(|p| Job::Year(i, p)),
            );
        }
        for (i, c) in site.categories.iter().enumerate() {
            jobs.extend(
                paginate(c.posts.len(), per)
                    .into_iter()
                    .map(|p| Job::Category(i, p)),
            );
        }
        for (i, t) in site.tags.iter().enumerate() {
            jobs.extend(
                paginate(t.posts.len(), per)
                    .into_iter()
                    .map(|p| Job::Tag(i, p)),
            );
        }
        for kind in [FeedKind::Atom, FeedKind::Rss] {
            jobs.push(Job::Feed(kind, None));
            jobs.extend((0..site.categories.len()).map(|c| Job::Feed(kind, Some(c))));
        }
        jobs.extend([Job::Sitemap, Job::Robots, Job::NotFound]);
        jobs
    }

    /// Which template renders a job, and where its output goes.
    fn place(&self, job: &Job) -> (&'static str, Route) {
        let site = self.site;
        match job {
            Job::Home(pager) => ("index.html", Route::home().page(pager.number)),
            Job::Post(i) => ("post.html", site.post_route(*i).clone()),
            Job::Alias(i, k) => ("alias.html", site.posts[*i].meta.aliases[*k].route.clone()),
            Job::Redirect(r) => ("alias.html", site.redirects[*r].from.clone()),
            Job::Page(k) => ("page.html", site.page_route(*k).clone()),
            Job::PageAlias(k, a) => ("alias.html", site.pages[*k].meta.aliases[*a].route.clone()),
            Job::Year(y, pager) => (
                "year.html",
                Route::year(site.years[*y].year).page(pager.number),
            ),
            Job::Category(c, pager) => (
                "category.html",
                Route::category(&site.categories[*c].slug).page(pager.number),
            ),
            Job::Tag(t, pager) => (
                "tag.html",
                Route::tag(&site.tags[*t].slug).page(pager.number),
            ),
            Job::Feed(kind, c) => {
                let dir = c.map_or_else(Route::home, |c| Route::category(&site.categories[c].slug));
                match kind {
                    FeedKind::Atom => ("atom.xml", dir.named("atom.xml")),
                    FeedKind::Rss => ("rss.xml", dir.named("rss.xml")),
                }
            }
            Job::Sitemap => ("sitemap.xml", Route::home().named("sitemap.xml")),
            Job::Robots => ("robots.txt", Route::home().named("robots.txt")),
            Job::NotFound => ("404.html", Route::home().named("404.html")),
        }
    }

    /// The output file of a job, relative to the output directory.
    fn file(&self, job: &Job) -> String {
        self.place(job).1.file()
    }

    /// The posts a feed shows: the newest of the site or of a category.
    fn feed_posts(&self, category: Option<usize>) -> &[usize] {
        let all: &[usize] = match category {
            Some(c) => &self.site.categories[c].posts,
            None => &self.all,
        };
        &all[..all.len().min(self.site.config.feed_limit)]
    }

    /// A fingerprint of everything a job's page shows: equal keys mean equal pages, so a
    /// rebuild can skip them. It covers the site-wide values and the version of every post the
    /// page shows (a post page shows its neighbours' titles too).
    pub fn key(&self, job: &Job) -> u64 {
        let mut h = std::hash::DefaultHasher::new();
        self.global_key.hash(&mut h);
        let posts = &self.site.posts;
        let versions = |h: &mut std::hash::DefaultHasher, ids: &[usize]| {
            ids.iter().for_each(|&i| posts[i].version.hash(h))
        };
        match job {
            Job::Home(p) => {
                (0u8, p.number, p.total).hash(&mut h);
                p.items.clone().for_each(|i| posts[i].version.hash(&mut h));
            }
            Job::Post(i) => {
                (1u8, posts[*i].version).hash(&mut h);
                // `@/` links show other posts' URLs, which change with those posts' slugs.
                for (target, _) in &posts[*i].links {
                    self.resolve(target).hash(&mut h);
                }
                i.checked_sub(1).map(|j| posts[j].version).hash(&mut h);
                posts.get(i + 1).map(|p| p.version).hash(&mut h);
            }
            Job::Year(y, p) => {
                let archive = &self.site.years[*y];
                (2u8, archive.year, p.number, p.total).hash(&mut h);
                versions(&mut h, &archive.posts[p.items.clone()]);
            }
            Job::Category(c, p) | Job::Tag(c, p) => {
                let term = if matches!(job, Job::Tag(..)) {
                    &self.site.tags[*c]
                } else {
                    &self.site.categories[*c]
                };
                (
                    3u8,
                    matches!(job, Job::Tag(..)),
                    &term.name,
                    p.number,
                    p.total,
                )
                    .hash(&mut h);
                versions(&mut h, &term.posts[p.items.clone()]);
            }
            Job::Feed(kind, c) => {
                (4u8, kind, c).hash(&mut h);
                versions(&mut h, self.feed_posts(*c));
            }
            Job::Alias(i, k) => {
                // What the redirect shows: where the post is now and its title.
                (8u8, k, self.site.post_route(*i), &posts[*i].meta.title).hash(&mut h);
            }
            Job::Redirect(r) => (9u8, &self.site.redirects[*r]).hash(&mut h),
            Job::Page(k) => {
                (10u8, self.site.pages[*k].version).hash(&mut h);
                for (target, _) in &self.site.pages[*k].links {
                    self.resolve(target).hash(&mut h);
                }
            }
            Job::PageAlias(k, a) => {
                let page = &self.site.pages[*k];
                (11u8, a, self.site.page_route(*k), &page.meta.title).hash(&mut h);
            }
            Job::Sitemap => {
                5u8.hash(&mut h);
                // Only what the sitemap lists: where each post is and when it last changed.
                for (i, p) in posts.iter().enumerate() {
                    (self.site.post_route(i), p.meta.date, p.meta.updated).hash(&mut h);
                }
                for (k, p) in self.site.pages.iter().enumerate() {
                    (self.site.page_route(k), p.meta.updated).hash(&mut h);
                }
            }
            Job::Robots => 6u8.hash(&mut h),
            Job::NotFound => 7u8.hash(&mut h),
        }
        h.finish()
    }

    /// Render one page: its output file (relative) and its bytes.
    pub fn render(&self, job: &Job) -> Result<(String, Vec<u8>)> {
        let site = self.site;
        let base = site.config.base_path();
        let mut ctx = Context::new();
        let (template, route) = self.place(job);
        match job {
            Job::Home(pager) => {
                self.list(
                    &mut ctx,
                    &Route::home(),
                    pager,
                    &self.all[pager.items.clone()],
                );
            }
            Job::Post(i) => {
                let post = &site.posts[*i];
                let mut view = Value::from_serializable(&self.post_view(*i))
                    .into_map()
                    .unwrap_or_default();
                let body = post.render_body(site.config.highlight, &|path| self.resolve(path));
                let wants_toc = post
                    .meta
                    .extra
                    .get("toc")
                    .and_then(|v| v.as_bool())
                    .unwrap_or(site.config.toc);
                let minutes = body.words.div_ceil(site.config.reading_speed.max(1)).max(1);
                use tera::value::Key;
                view.insert(Key::Str("content"), Value::safe_string(&body.html));
                view.insert(Key::Str("words"), Value::from(body.words));
                view.insert(Key::Str("reading_minutes"), Value::from(minutes));
                view.insert(
                    Key::Str("toc"),
                    if wants_toc {
                        Value::from_serializable(&body.toc)
                    } else {
                        Value::from(Vec::<Value>::new())
                    },
                );
                ctx.insert_value("post", Value::from(view));
                ctx.insert(
                    "comments",
                    &crate::comment::flatten(&post.comments, &site.config.date_format),
                );
                // Older is 上一篇 (previous), newer is 下一篇 (next), as on the blog mirrored.
                ctx.insert("previous", &self.neighbour(i + 1));
                ctx.insert("next", &i.checked_sub(1).and_then(|j| self.neighbour(j)));
            }
            Job::Alias(i, _) => {
                let url = self.post_url(*i);
                ctx.insert("title", &site.posts[*i].display_title());
                ctx.insert("permalink", &format!("{}{url}", site.config.origin()));
                ctx.insert("url", &url);
            }
            Job::Page(k) => {
                let page = &site.pages[*k];
                let body = page.render_body(site.config.highlight, &|path| self.resolve(path));
                ctx.insert(
                    "page",
                    &PageView {
                        title: page.meta.title.as_deref().unwrap_or(page.slug.as_str()),
                        url: route.url(base),
                        content: body.html,
                        extra: &page.meta.extra,
                    },
                );
                ctx.insert(
                    "comments",
                    &crate::comment::flatten(&page.comments, &site.config.date_format),
                );
            }
            Job::PageAlias(k, _) => {
                let page = &site.pages[*k];
                let url = site.page_route(*k).url(base);
                ctx.insert(
                    "title",
                    page.meta.title.as_deref().unwrap_or(page.slug.as_str()),
                );
                ctx.insert("permalink", &format!("{}{url}", site.config.origin()));
                ctx.insert("url", &url);
            }
            Job::Redirect(r) => {
                let r = &site.redirects[*r];
                let url = format!("{}{}", r.to.url(base), r.fragment);
                ctx.insert("title", &url);
                ctx.insert("permalink", &format!("{}{url}", site.config.origin()));
                ctx.insert("url", &url);
            }
            Job::Year(y, pager) => {
                let archive = &site.years[*y];
                self.list(
                    &mut ctx,
                    &Route::year(archive.year),
                    pager,
                    &archive.posts[pager.items.clone()],
                );
                ctx.insert("year", &archive.year);
                ctx.insert("count", &archive.posts.len());
            }
            Job::Category(c, pager) => {
                let cat = &site.categories[*c];
                self.list(
                    &mut ctx,
                    &Route::category(&cat.slug),
                    pager,
                    &cat.posts[pager.items.clone()],
                );
                ctx.insert("category", &category_view(cat, base));
            }
            Job::Tag(t, pager) => {
                let tag = &site.tags[*t];
                self.list(
                    &mut ctx,
                    &Route::tag(&tag.slug),
                    pager,
                    &tag.posts[pager.items.clone()],
                );
                ctx.insert("tag", &term_view(tag, Route::tag(&tag.slug), base));
            }
            Job::Feed(_, c) => {
                let origin = site.config.origin();
                let full = site.config.feed_content == crate::config::FeedContent::Full;
                let entries: Vec<FeedEntry> = self
                    .feed_posts(*c)
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
                            summary: p.excerpt.html_resolved(&|path| self.resolve_absolute(path)),
                            content: full.then(|| {
                                p.render_body(site.config.highlight, &|path| {
                                    self.resolve_absolute(path)
                                })
                                .html
                            }),
                        }
                    })
                    .collect();
                let newest = self
                    .feed_posts(*c)
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
                let home =
                    c.map_or_else(Route::home, |c| Route::category(&site.categories[c].slug));
                ctx.insert("home_url", &format!("{origin}{}", home.url(base)));
                ctx.insert(
                    "category",
                    &c.map(|c| category_view(&site.categories[c], base)),
                );
            }
            Job::Sitemap => {
                let origin = site.config.origin();
                let at = |r: &Route| format!("{origin}{}", r.url(base));
                let mut urls = vec![SitemapUrl {
                    loc: at(&Route::home()),
                    lastmod: None,
                }];
                urls.extend(site.posts.iter().enumerate().map(|(i, p)| SitemapUrl {
                    loc: at(site.post_route(i)),
                    lastmod: Some(p.meta.updated.unwrap_or(p.meta.date).to_rfc3339()),
                }));
                urls.extend(site.pages.iter().enumerate().map(|(k, p)| SitemapUrl {
                    loc: at(site.page_route(k)),
                    lastmod: p.meta.updated.map(|u| u.to_rfc3339()),
                }));
                urls.extend(site.years.iter().map(|y| SitemapUrl {
                    loc: at(&Route::year(y.year)),
                    lastmod: None,
                }));
                urls.extend(site.categories.iter().map(|c| SitemapUrl {
                    loc: at(&Route::category(&c.slug)),
                    lastmod: None,
                }));
                urls.extend(site.tags.iter().map(|t| SitemapUrl {
                    loc: at(&Route::tag(&t.slug)),
                    lastmod: None,
                }));
                ctx.insert("urls", &urls);
            }
            Job::Robots => {
                ctx.insert(
                    "sitemap_url",
                    &format!(
                        "{}{}",
                        site.config.origin(),
                        Route::home().named("sitemap.xml").url(base)
                    ),
                );
            }
            Job::NotFound => {}
        }
        let (file, url) = (route.file(), route.url(base));
        ctx.insert("page_url", &url);
        // Assets are linked relative to the page, so public/index.html opened from disk is styled.
        let depth = file.matches('/').count();
        ctx.insert("root", &"../".repeat(depth));
        ctx.insert_value("sidebar", self.sidebars[depth.min(MAX_DEPTH)].clone());
        // Bytes, not a String: Tera would check the whole page is UTF-8 again, and it is.
        let mut html = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(template, &ctx, &mut html)
            .map_err(|e| template_error(&e, |_| true))?;
        if file.ends_with(".xml") {
            strip_xml_invalid(&mut html);
        }
        Ok((file, html))
    }

    /// A list page: `shown` are the posts on this page; `route` is the list's first page.
    fn list(&self, ctx: &mut Context, route: &Route, pager: &Pager, shown: &[usize]) {
        let base = self.site.config.base_path();
        let entries: Vec<PostView> = shown.iter().map(|&i| self.post_view(i)).collect();
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

    fn post_view(&self, i: usize) -> PostView<'_> {
        let p = &self.site.posts[i];
        let base = self.site.config.base_path();
        PostView {
            title: p.meta.title.as_deref(),
            url: self.post_url(i),
            date: &p.date_text,
            date_iso: &p.date_iso,
            excerpt: p.excerpt.html_resolved(&|path| self.resolve(path)),
            excerpt_text: &p.excerpt.text,
            views: p.meta.views,
            comments: p.meta.comments,
            shares: p.meta.shares,
            category: self.site.category_of(p).map(|c| Link {
                name: c.name.clone(),
                url: Route::category(&c.slug).url(base),
            }),
            tags: &p.meta.tags,
            slug: p.slug.as_str(),
            extra: &p.meta.extra,
        }
    }

    /// The URL of the post whose file is `content/<path>`, or of a post's own file there,
    /// for `@/<path>` links.
    fn resolve(&self, path: &str) -> Option<String> {
        let source = Path::new(crate::site::CONTENT_DIR).join(path);
        let base = self.site.config.base_path();
        if let Some(i) = self.site.post_by_source(&source) {
            return Some(self.post_url(i));
        }
        if let Some(k) = self.site.page_by_source(&source) {
            return Some(self.site.page_route(k).url(base));
        }
        Some(self.site.asset_route(&source)?.url(base))
    }

    /// As [`Renderer::resolve`], absolute, for feeds read away from the site.
    fn resolve_absolute(&self, path: &str) -> Option<String> {
        self.resolve(path)
            .map(|u| format!("{}{u}", self.site.config.origin()))
    }

    fn post_url(&self, i: usize) -> String {
        self.urls[i]
            .get_or_init(|| self.site.post_route(i).url(self.site.config.base_path()))
            .clone()
    }

    fn neighbour(&self, i: usize) -> Option<Link> {
        let p = self.site.posts.get(i)?;
        Some(Link {
            name: p.display_title().into_owned(),
            url: self.post_url(i),
        })
    }
}

/// Remove the control characters XML 1.0 forbids (a pasted terminal colour code, say): escaping
/// cannot express them, and one would make a whole feed unreadable. They are single bytes in
/// UTF-8 and never part of another character, so this works on the bytes.
fn strip_xml_invalid(xml: &mut Vec<u8>) {
    xml.retain(|&b| b >= 0x20 || b == b'\t' || b == b'\n' || b == b'\r');
}

/// Tera's own HTML escaping (`&<>"'`, the same entities), writing the runs between special
/// bytes whole: Tera's writes every byte on its own, which cost as much as the templates.
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(entity)?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])
}

fn category_view(c: &Category, base: &str) -> CategoryView {
    term_view(c, Route::category(&c.slug), base)
}

/// A category or tag as templates see it, linking to its first page at `route`.
fn term_view(c: &Category, route: Route, base: &str) -> CategoryView {
    CategoryView {
        name: c.name.clone(),
        count: c.posts.len(),
        url: route.url(base),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn escaping_matches_teras() {
        for s in [
            "",
            "plain",
            "<script>alert('x')</script>",
            "a & b \"c\" 'd' <e>",
            "&&&",
            "内核 <slab> & 'SLUB'",
            "trailing&",
        ] {
            let (mut ours, mut teras) = (Vec::new(), Vec::new());
            super::escape_html(s, &mut ours).unwrap();
            tera::escape_html(s, &mut teras).unwrap();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(teras).unwrap()
            );
        }
    }
}
