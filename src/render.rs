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
use tera::{Context, Tera, Value};

/// The templates compiled into boke, so it works on any site directory.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("index.html", include_str!("../templates/index.html")),
    ("post.html", include_str!("../templates/post.html")),
    ("year.html", include_str!("../templates/year.html")),
    ("category.html", include_str!("../templates/category.html")),
    ("404.html", include_str!("../templates/404.html")),
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
];

pub const TEMPLATES_DIR: &str = "templates";

/// Load the default templates and a site's overrides (`templates/**/*.html`).
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
            if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "html") {
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
    let mut d = Diagnostic::new(path, message, help);
    if let Some(l) = line {
        d = d.at(l, None);
    }
    Error::Template(d)
}

/// What a list entry or post page shows of a post.
#[derive(Serialize)]
struct PostView<'a> {
    title: Option<&'a str>,
    url: String,
    date: &'a str,
    date_iso: &'a str,
    excerpt: &'a str,
    excerpt_text: &'a str,
    views: u64,
    comments: u64,
    shares: u64,
    category: Option<Link>,
    tags: &'a [String],
    slug: &'a str,
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

/// Site-wide values, the same on every page.
#[derive(Serialize)]
struct SiteView<'a> {
    #[serde(flatten)]
    config: &'a crate::config::Config,
    base_path: &'a str,
    post_count: usize,
    years: Vec<ArchiveView>,
    categories: Vec<CategoryView>,
    guestbook: &'a [crate::site::Message],
}

/// One page to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    Home(Pager),
    Post(usize),
    Year(usize, Pager),
    Category(usize, Pager),
    NotFound,
}

/// Renders the pages of one site.
pub struct Renderer<'a> {
    site: &'a Site,
    tera: Tera,
    /// The sidebar's HTML for pages at each depth below the output root.
    sidebars: Vec<Value>,
    /// A fingerprint of what every page shares (see [`Renderer::key`]).
    global_key: u64,
}

/// The deepest page: `categories/<name>/page/<n>/index.html`.
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
            guestbook: &site.guestbook,
        };
        tera.global_context().insert("site", &view);
        // The sidebar is the same on every page but for the relative path to assets, which
        // depends only on how deep the page is: render it once per depth.
        let sidebars = (0..=MAX_DEPTH)
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
        })
    }

    /// Every page of the site, in a fixed order.
    pub fn jobs(&self) -> Vec<Job> {
        let per = self.site.config.paginate;
        let mut jobs: Vec<Job> = paginate(self.site.posts.len(), per)
            .into_iter()
            .map(Job::Home)
            .collect();
        jobs.extend((0..self.site.posts.len()).map(Job::Post));
        let per = self.site.config.archive_page_size();
        for (i, y) in self.site.years.iter().enumerate() {
            jobs.extend(
                paginate(y.posts.len(), per)
                    .into_iter()
                    .map(|p| Job::Year(i, p)),
            );
        }
        for (i, c) in self.site.categories.iter().enumerate() {
            jobs.extend(
                paginate(c.posts.len(), per)
                    .into_iter()
                    .map(|p| Job::Category(i, p)),
            );
        }
        jobs.push(Job::NotFound);
        jobs
    }

    /// Which template renders a job, and the page's route.
    fn place(&self, job: &Job) -> (&'static str, Option<Route>) {
        match job {
            Job::Home(pager) => ("index.html", Some(Route::home().page(pager.number))),
            Job::Post(i) => ("post.html", Some(self.site.post_route(*i))),
            Job::Year(y, pager) => (
                "year.html",
                Some(Route::year(self.site.years[*y].year).page(pager.number)),
            ),
            Job::Category(c, pager) => (
                "category.html",
                Some(Route::category(&self.site.categories[*c].slug).page(pager.number)),
            ),
            Job::NotFound => ("404.html", None),
        }
    }

    /// The output file of a job, relative to the output directory.
    pub fn file(&self, job: &Job) -> String {
        match self.place(job).1 {
            Some(route) => route.file(),
            None => "404.html".to_string(),
        }
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
                i.checked_sub(1).map(|j| posts[j].version).hash(&mut h);
                posts.get(i + 1).map(|p| p.version).hash(&mut h);
            }
            Job::Year(y, p) => {
                let archive = &self.site.years[*y];
                (2u8, archive.year, p.number, p.total).hash(&mut h);
                versions(&mut h, &archive.posts[p.items.clone()]);
            }
            Job::Category(c, p) => {
                let cat = &self.site.categories[*c];
                (3u8, &cat.name, p.number, p.total).hash(&mut h);
                versions(&mut h, &cat.posts[p.items.clone()]);
            }
            Job::NotFound => 4u8.hash(&mut h),
        }
        h.finish()
    }

    /// Render one page: its output file (relative) and HTML.
    pub fn render(&self, job: &Job) -> Result<(String, Vec<u8>)> {
        let base = self.site.config.base_path();
        let mut ctx = Context::new();
        let (template, route) = self.place(job);
        match job {
            Job::Home(pager) => {
                self.list(
                    &mut ctx,
                    &Route::home(),
                    pager,
                    &pager.items.clone().collect::<Vec<_>>(),
                );
            }
            Job::Post(i) => {
                let post = &self.site.posts[*i];
                let mut view = Value::from_serializable(&self.post_view(*i))
                    .into_map()
                    .unwrap_or_default();
                view.insert(
                    tera::value::Key::Str("content"),
                    Value::safe_string(&post.body_html()),
                );
                ctx.insert_value("post", Value::from(view));
                // Older is 上一篇 (previous), newer is 下一篇 (next), as on the blog mirrored.
                ctx.insert("previous", &self.neighbour(i + 1));
                ctx.insert("next", &i.checked_sub(1).and_then(|j| self.neighbour(j)));
            }
            Job::Year(y, pager) => {
                let archive = &self.site.years[*y];
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
                let cat = &self.site.categories[*c];
                self.list(
                    &mut ctx,
                    &Route::category(&cat.slug),
                    pager,
                    &cat.posts[pager.items.clone()],
                );
                ctx.insert("category", &category_view(cat, base));
            }
            Job::NotFound => {}
        }
        let (file, url) = match route {
            Some(r) => (r.file(), r.url(base)),
            None => ("404.html".to_string(), format!("{base}404.html")),
        };
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
            excerpt: &p.excerpt.html,
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

    fn post_url(&self, i: usize) -> String {
        self.site.post_route(i).url(self.site.config.base_path())
    }

    fn neighbour(&self, i: usize) -> Option<Link> {
        let p = self.site.posts.get(i)?;
        let name = p
            .meta
            .title
            .clone()
            .unwrap_or_else(|| p.excerpt.text.chars().take(40).collect());
        Some(Link {
            name,
            url: self.post_url(i),
        })
    }
}

fn category_view(c: &Category, base: &str) -> CategoryView {
    CategoryView {
        name: c.name.clone(),
        count: c.posts.len(),
        url: Route::category(&c.slug).url(base),
    }
}
