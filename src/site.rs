//! The site model: posts in order, archives by year and month, categories, pagination and the
//! guestbook. Plain functions over loaded data; no disk, no templates.

use crate::config::Config;
use crate::content::Post;
use crate::error::Diagnostic;
use crate::route::Route;
use crate::slug::Slug;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    /// Newest first; ties broken by source path so builds are deterministic.
    /// Shared, so a rebuild after one edit reuses every other post as it is.
    pub posts: Vec<Arc<Post>>,
    /// Newest year first.
    pub years: Vec<YearArchive>,
    /// Most posts first, then by name.
    pub categories: Vec<Category>,
    /// Tags, ordered like categories.
    pub tags: Vec<Category>,
    /// The most viewed posts (`views`), for the sidebar's 热门文章.
    pub hot: Vec<usize>,
    /// The home listing's order: pinned posts (`sticky:`, highest first), then all the others
    /// newest first.
    pub home: Vec<usize>,
    /// Series by name, each with its posts oldest first.
    pub series: Vec<Series>,
    /// The time the site is built at ([`crate::datetime::build_time`]): what outdated notices
    /// and the marks of scheduled posts are measured against.
    pub now: chrono::DateTime<chrono::FixedOffset>,
    pub guestbook: Vec<Message>,
    /// Old addresses that are not posts (`data/redirects.yaml`); set by the loader.
    pub redirects: Vec<crate::redirect::Redirect>,
    /// The names, sizes and times of the files below static/, hashed; set by the loader. Pages
    /// show what they read of them (an image's width and height), so it is in every page's key.
    pub static_stamp: u64,
    /// Standalone pages (`content/pages/`), by path; added by [`Site::with_pages`].
    pub pages: Vec<Arc<Post>>,
    page_routes: Vec<Route>,
    /// Where each post's page lives (`permalinks.posts`), by index into `posts`.
    routes: Vec<Route>,
    /// Each post by its file, made at the first `@/` link looked up: most sites have none.
    by_source: std::sync::OnceLock<std::collections::HashMap<PathBuf, usize>>,
    /// Each post's or page's own file (`content/posts/x/fig1.png`): where it is published.
    by_asset: std::collections::HashMap<PathBuf, Route>,
}

/// Where posts live; `@/` links name files below it.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearArchive {
    pub year: i32,
    /// Indices into `Site::posts`, newest first.
    pub posts: Vec<usize>,
    /// Months with posts, newest first, with their post counts.
    pub months: Vec<(u32, usize)>,
}

/// A category or a tag: a name and the posts filed under it, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub name: String,
    pub slug: Slug,
    pub posts: Vec<usize>,
}

/// Posts that belong together (`series:` in their front matter), read in date order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    pub name: String,
    /// Indices into `Site::posts`, oldest first.
    pub posts: Vec<usize>,
}

/// Leave out the posts dated after `now`: a scheduled post is published by the first build
/// after its time.
pub fn leave_out_scheduled(posts: &mut Vec<Arc<Post>>, now: chrono::DateTime<chrono::FixedOffset>) {
    posts.retain(|p| p.meta.date <= now);
}

/// A guestbook message (`data/guestbook.yaml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    pub author: String,
    pub time: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub avatar: String,
}

/// One page of a paginated list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager {
    /// 1-based.
    pub number: usize,
    pub total: usize,
    /// The slice of the list shown on this page.
    pub items: Range<usize>,
}

/// Split `len` items into pages of `per_page`. An empty list still has one (empty) page.
pub fn paginate(len: usize, per_page: usize) -> Vec<Pager> {
    let per_page = per_page.max(1);
    let total = len.div_ceil(per_page).max(1);
    (0..total)
        .map(|i| Pager {
            number: i + 1,
            total,
            items: i * per_page..((i + 1) * per_page).min(len),
        })
        .collect()
}

impl Site {
    /// Order the posts and build archives and categories. Drafts are left out unless asked for.
    /// Two posts with one slug are an error naming both files ([`slug_clashes`]).
    pub fn new(
        config: Config,
        mut posts: Vec<Arc<Post>>,
        drafts: bool,
        guestbook: Vec<Message>,
    ) -> Result<Site, Vec<Diagnostic>> {
        if !drafts {
            posts.retain(|p| !p.meta.draft);
        }
        // Newest first, ties by path. Sorted as (date, place) pairs, which lie together, and
        // then put in that order, rather than by comparing the posts: two reads from all over
        // the heap at each comparison.
        let mut order: Vec<(Reverse<chrono::DateTime<chrono::FixedOffset>>, usize)> = posts
            .iter()
            .enumerate()
            .map(|(i, p)| (Reverse(p.meta.date), i))
            .collect();
        order.sort_unstable_by(|a, b| {
            (a.0.cmp(&b.0)).then_with(|| posts[a.1].source.cmp(&posts[b.1].source))
        });
        let posts: Vec<Arc<Post>> = order.into_iter().map(|(_, i)| posts[i].clone()).collect();

        // Two halves on two workers: making the model was one core's ~15 ms at 10,000 posts.
        let ((clashes, years, hot, home, series), (categories, tags, routes)) = rayon::join(
            || {
                (
                    slug_clashes(&posts),
                    year_archives(&posts),
                    most_viewed(&posts, config.hot_posts),
                    home_order(&posts),
                    series_of_posts(&posts),
                )
            },
            || {
                let categories = terms(posts.iter().map(|p| p.meta.category.as_slice()));
                let tags = terms(posts.iter().map(|p| p.meta.tags.as_slice()));
                let routes = post_routes(&config, &posts, &categories);
                (categories, tags, routes)
            },
        );
        if !clashes.is_empty() {
            return Err(clashes);
        }
        let routes = routes?;
        let by_asset = asset_routes(&posts, &routes);
        let site = Site {
            config,
            posts,
            years,
            categories,
            tags,
            hot,
            home,
            series,
            now: crate::datetime::build_time(),
            guestbook,
            redirects: Vec::new(),
            static_stamp: 0,
            pages: Vec::new(),
            page_routes: Vec::new(),
            routes,
            by_source: std::sync::OnceLock::new(),
            by_asset,
        };
        // Links to pages are checked when the pages are added (`with_pages`).
        let broken = broken_links(&site.posts, |path| {
            path.starts_with(crate::layout::rel_pages_dir())
                || site.post_by_source(path).is_some()
                || site.by_asset.contains_key(path)
        });
        if !broken.is_empty() {
            return Err(broken);
        }
        Ok(site)
    }

    /// Add the standalone pages: each placed ([`crate::standalone::route_of`]), and every `@/`
    /// link to a page (from a post or a page) and from a page checked.
    pub fn with_pages(
        mut self,
        mut pages: Vec<Arc<Post>>,
        drafts: bool,
    ) -> Result<Site, Vec<Diagnostic>> {
        if !drafts {
            pages.retain(|p| !p.meta.draft);
        }
        let mut problems = Vec::new();
        for p in &pages {
            match crate::standalone::route_of(p) {
                Ok(r) => self.page_routes.push(r),
                Err(d) => problems.push(d),
            }
        }
        self.by_asset
            .extend(asset_routes(&pages, &self.page_routes));
        let is_page = |path: &std::path::Path| pages.iter().any(|p| p.source == path);
        let known = |path: &std::path::Path| {
            is_page(path) || self.post_by_source(path).is_some() || self.by_asset.contains_key(path)
        };
        problems.extend(broken_links(&self.posts, |path| {
            !path.starts_with(crate::layout::rel_pages_dir()) || is_page(path)
        }));
        problems.extend(broken_links(&pages, known));
        if !problems.is_empty() {
            return Err(problems);
        }
        self.pages = pages;
        Ok(self)
    }

    /// The index of the page read from `source` (a path relative to the site root).
    pub fn page_by_source(&self, source: &std::path::Path) -> Option<usize> {
        self.pages.iter().position(|p| p.source == source)
    }

    pub fn page_route(&self, i: usize) -> &Route {
        &self.page_routes[i]
    }

    /// The index of the post read from `source` (a path relative to the site root).
    pub fn post_by_source(&self, source: &std::path::Path) -> Option<usize> {
        let by_source = self.by_source.get_or_init(|| {
            let posts = self.posts.iter().enumerate();
            posts.map(|(i, p)| (p.source.clone(), i)).collect()
        });
        by_source.get(source).copied()
    }

    /// The route of a post's own file read from `source` (a path relative to the site root).
    pub fn asset_route(&self, source: &std::path::Path) -> Option<&Route> {
        self.by_asset.get(source)
    }

    /// The posts and pages with their routes, for publishing their own files.
    pub fn placed(&self) -> impl Iterator<Item = (&Post, &Route)> {
        let posts = self.posts.iter().zip(&self.routes);
        let pages = self.pages.iter().zip(&self.page_routes);
        posts.chain(pages).map(|(p, r)| (p.as_ref(), r))
    }

    /// Where the category of `post` is in [`Site::categories`], if it has one.
    pub fn category_index(&self, post: &Post) -> Option<usize> {
        let name = post.meta.category.as_deref()?;
        self.categories.iter().position(|c| c.name == name)
    }

    /// The series post `i` belongs to, if any.
    pub fn series_of(&self, i: usize) -> Option<&Series> {
        let name = self.posts[i].meta.series.as_deref()?;
        self.series
            .binary_search_by(|s| s.name.as_str().cmp(name))
            .ok()
            .map(|k| &self.series[k])
    }

    pub fn post_route(&self, i: usize) -> &Route {
        &self.routes[i]
    }
}

/// Two posts with one slug would write one page: both files are named. Nearly every site has
/// none, which a set says in one pass over the posts; only then are they sorted by (slug,
/// path), which puts the files sharing a slug next to each other, the first path first.
fn slug_clashes(posts: &[Arc<Post>]) -> Vec<Diagnostic> {
    let mut slugs = std::collections::HashSet::with_capacity(posts.len());
    if posts.iter().all(|p| slugs.insert(&p.slug)) {
        return Vec::new();
    }
    let mut by_slug: Vec<(&Slug, &PathBuf)> = posts.iter().map(|p| (&p.slug, &p.source)).collect();
    by_slug.sort_unstable();
    by_slug
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|same| same.len() > 1)
        .map(|same| {
            let others: Vec<String> = same[1..]
                .iter()
                .map(|(_, f)| f.display().to_string())
                .collect();
            Diagnostic::new(
                same[0].1,
                format!("slug `{}` is also used by {}", same[0].0, others.join(", ")),
                "give one of them another `slug:` in its front matter, or rename the file",
            )
        })
        .collect()
}

/// The years of newest-first `posts`, each with its posts and its months' counts.
fn year_archives(posts: &[Arc<Post>]) -> Vec<YearArchive> {
    let mut years: Vec<YearArchive> = Vec::new();
    for (i, p) in posts.iter().enumerate() {
        let (y, m) = (p.year(), p.month());
        if years.last().is_none_or(|a| a.year != y) {
            years.push(YearArchive {
                year: y,
                posts: Vec::new(),
                months: Vec::new(),
            });
        }
        let archive = years.last_mut().expect("pushed above");
        archive.posts.push(i);
        match archive.months.last_mut() {
            Some((month, n)) if *month == m => *n += 1,
            _ => archive.months.push((m, 1)),
        }
    }
    years
}

/// The `n` most viewed posts, the newer of two equally viewed first. Only those are sorted.
fn most_viewed(posts: &[Arc<Post>], n: usize) -> Vec<usize> {
    let mut hot: Vec<(Reverse<u64>, usize)> = posts
        .iter()
        .enumerate()
        .map(|(i, p)| (Reverse(p.meta.views), i))
        .collect();
    if n < hot.len() {
        hot.select_nth_unstable(n);
        hot.truncate(n);
    }
    hot.sort_unstable();
    hot.into_iter().map(|(_, i)| i).collect()
}

/// The home listing: pinned posts first, by rank; those of one rank, and all the others, in
/// date order.
fn home_order(posts: &[Arc<Post>]) -> Vec<usize> {
    if posts.iter().all(|p| p.meta.sticky == 0) {
        return (0..posts.len()).collect();
    }
    let mut ranked: Vec<(Reverse<u64>, usize)> = posts
        .iter()
        .enumerate()
        .map(|(i, p)| (Reverse(p.meta.sticky), i))
        .collect();
    ranked.sort_unstable();
    ranked.into_iter().map(|(_, i)| i).collect()
}

/// Series by name, each with its posts oldest first.
fn series_of_posts(posts: &[Arc<Post>]) -> Vec<Series> {
    let mut series: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, p) in posts.iter().enumerate().rev() {
        if let Some(name) = &p.meta.series {
            series.entry(name).or_default().push(i);
        }
    }
    series
        .into_iter()
        .map(|(name, posts)| Series {
            name: name.to_string(),
            posts,
        })
        .collect()
}

/// Where each own file of `posts` (placed at `routes`) is published, by its path from the root.
fn asset_routes(
    posts: &[Arc<Post>],
    routes: &[Route],
) -> std::collections::HashMap<PathBuf, Route> {
    posts
        .iter()
        .zip(routes)
        .filter_map(|(p, r)| Some((p.assets.as_ref()?, r)))
        .flat_map(|(a, r)| {
            a.files.iter().map(move |f| {
                let path = crate::layout::rel_content_dir().join(&a.dir).join(f);
                (path, crate::assets::route_of(r, f))
            })
        })
        .collect()
}

/// Every `@/` link of `posts` whose target (a path from the site root) is not `known`, at its
/// file and line.
fn broken_links(
    posts: &[Arc<Post>],
    known: impl Fn(&std::path::Path) -> bool + Sync,
) -> Vec<Diagnostic> {
    posts
        .par_iter()
        .flat_map_iter(|p| {
            p.links.iter().filter_map(|&(ref target, offset)| {
                let path = crate::layout::rel_content_dir().join(target);
                if known(&path) {
                    return None;
                }
                let line = p.body_line + p.body[..offset].matches('\n').count();
                Some(
                    Diagnostic::new(&p.source, format!("the link to @/{target} points at {}, which is not a published post, page or file of a post's folder", path.display()), "link to a file below content/, e.g. @/posts/2014-11-19-slab.md, @/pages/about.md or @/posts/2014-11-19-slab/fig1.png; a draft is published only with --drafts")
                        .at(line, None),
                )
            })
        })
        .collect()
}

/// Place every post by the site's permalink pattern; every post the pattern cannot place is
/// reported, naming its file.
fn post_routes(
    config: &Config,
    posts: &[Arc<Post>],
    categories: &[Category],
) -> Result<Vec<Route>, Vec<Diagnostic>> {
    use crate::permalink::{Facts, Missing};
    let pattern = config.post_permalink();
    let category_slug: std::collections::HashMap<&str, &Slug> = categories
        .iter()
        .map(|c| (c.name.as_str(), &c.slug))
        .collect();
    let placed: Vec<Result<Route, Diagnostic>> = posts
        .par_iter()
        .map(|p| {
            let facts = Facts {
                slug: &p.slug,
                id: p.meta.id.as_deref(),
                date: p.meta.date,
                category: p
                    .meta
                    .category
                    .as_deref()
                    .and_then(|c| category_slug.get(c).copied()),
            };
            pattern.route(&facts).map_err(|missing| {
                let pattern = pattern.as_str();
                let (message, help) = match missing {
                    Missing::Id => (
                        format!("permalinks.posts `{pattern}` uses {{id}}, but this post has no `id:`"),
                        "add the post's old number to its front matter, e.g. `id: 4636263`, or change permalinks.posts in site.yaml",
                    ),
                    Missing::Category => (
                        format!("permalinks.posts `{pattern}` uses {{category}}, but this post has no category"),
                        "add `category: ...` to its front matter, or change permalinks.posts in site.yaml",
                    ),
                    Missing::BadPath(why) => (
                        format!("permalinks.posts `{pattern}` gives this post no valid path: {why}"),
                        "an `id:` is one path segment: digits or letters, no `/`",
                    ),
                };
                Diagnostic::new(&p.source, message, help)
            })
        })
        .collect();
    let errors: Vec<Diagnostic> = placed
        .iter()
        .filter_map(|r| r.as_ref().err().cloned())
        .collect();
    if errors.is_empty() {
        Ok(placed.into_iter().flatten().collect())
    } else {
        Err(errors)
    }
}

/// Group posts by the names each one lists (one category, or several tags); most posts first.
fn terms<'a>(names: impl Iterator<Item = &'a [String]>) -> Vec<Category> {
    let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, list) in names.enumerate() {
        for name in list
            .iter()
            .map(|n| n.as_str())
            .filter(|n| !n.trim().is_empty())
        {
            let posts = by_name.entry(name).or_default();
            if posts.last() != Some(&i) {
                posts.push(i);
            }
        }
    }
    let mut terms: Vec<Category> = by_name
        .into_iter()
        .map(|(name, posts)| Category {
            name: name.to_string(),
            slug: Slug::sanitize(name),
            posts,
        })
        .collect();
    // Two names can make one slug (`a/b` and `a-b`); number the later ones so no page is
    // written twice. Names are visited in name order, so the numbering is stable.
    let mut used = std::collections::HashSet::new();
    for t in &mut terms {
        let base = t.slug.clone();
        let mut n = 1;
        while !used.insert(t.slug.clone()) {
            n += 1;
            t.slug = Slug::sanitize(&format!("{base}-{n}"));
        }
    }
    terms.sort_by(|a, b| {
        b.posts
            .len()
            .cmp(&a.posts.len())
            .then_with(|| a.name.cmp(&b.name))
    });
    terms
}

/// Parse `data/guestbook.yaml`: a list of messages.
pub fn parse_guestbook(text: &str) -> Result<Vec<Message>, Diagnostic> {
    let messages = parse_messages(text)?;
    if let Some(m) = messages
        .iter()
        .find(|m| crate::config::check_link(&m.avatar).is_err())
    {
        return Err(Diagnostic::new(
            "",
            format!(
                "the avatar of {}'s message is not an http(s) URL or a path",
                m.author
            ),
            "use an https:// image URL or a path like /img/a.png",
        ));
    }
    Ok(messages)
}

fn parse_messages(text: &str) -> Result<Vec<Message>, Diagnostic> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    serde_yaml::from_str(text).map_err(|e| {
        let d = Diagnostic::new(
            "",
            format!("invalid guestbook: {e}"),
            "write a list of entries with `author:`, `time:` and `text:`",
        );
        match e.location() {
            Some(l) => d.at(l.line(), Some(l.column())),
            None => d,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn post(file: &str, date: &str, extra: &str) -> Arc<Post> {
        let text = format!("---\ndate: {date}\n{extra}---\nbody\n");
        Arc::new(Post::parse(Path::new(file), text.as_bytes(), &Config::default()).unwrap())
    }

    #[test]
    fn pagination_edges() {
        assert_eq!(
            paginate(0, 20),
            vec![Pager {
                number: 1,
                total: 1,
                items: 0..0
            }]
        );
        assert_eq!(paginate(1, 20).len(), 1);
        assert_eq!(paginate(20, 20).len(), 1);
        let p = paginate(21, 20);
        assert_eq!(p.len(), 2);
        assert_eq!(p[1].items, 20..21);
        assert_eq!(p[1].total, 2);
        // "All on one page" is usize::MAX entries a page.
        assert_eq!(
            paginate(5, usize::MAX),
            vec![Pager {
                number: 1,
                total: 1,
                items: 0..5
            }]
        );
    }

    #[test]
    fn order_years_months_and_timezone_boundary() {
        let posts = vec![
            post("a.md", "2014-12-31 23:30", ""),
            post("b.md", "2015-01-01 00:10", ""),
            post("c.md", "2014-12-31T16:00:00Z", ""), // 2015-01-01 00:00 in the site's +08:00
            post("d.md", "2014-11-02", ""),
        ];
        let site = Site::new(Config::default(), posts, false, vec![]).unwrap();
        let order: Vec<_> = site.posts.iter().map(|p| p.slug.as_str()).collect();
        assert_eq!(order, ["b", "c", "a", "d"]);
        let years: Vec<_> = site.years.iter().map(|y| (y.year, y.posts.len())).collect();
        assert_eq!(years, [(2015, 2), (2014, 2)]);
        assert_eq!(site.years[1].months, [(12, 1), (11, 1)]);
    }

    #[test]
    fn ties_are_broken_by_path() {
        let posts = vec![
            post("b.md", "2014-01-01", ""),
            post("a.md", "2014-01-01", ""),
        ];
        let site = Site::new(Config::default(), posts, false, vec![]).unwrap();
        assert_eq!(site.posts[0].slug.as_str(), "a");
    }

    #[test]
    fn drafts_categories_and_duplicate_slugs() {
        let posts = vec![
            post("a.md", "2014-01-01", "category: 网络\n"),
            post("b.md", "2014-01-02", "category: 网络\n"),
            post("c.md", "2014-01-03", "category: 内存\n"),
            post("d.md", "2014-01-04", "draft: true\ncategory: 草稿\n"),
        ];
        let site = Site::new(Config::default(), posts.clone(), false, vec![]).unwrap();
        assert_eq!(site.posts.len(), 3);
        let cats: Vec<_> = site
            .categories
            .iter()
            .map(|c| (c.name.as_str(), c.posts.len()))
            .collect();
        assert_eq!(cats, [("网络", 2), ("内存", 1)]);
        assert_eq!(
            Site::new(Config::default(), posts, true, vec![])
                .unwrap()
                .posts
                .len(),
            4
        );

        let dup = vec![
            post("x/a.md", "2014-01-01", ""),
            post("y/a.md", "2014-01-02", ""),
        ];
        let e = Site::new(Config::default(), dup, false, vec![]).unwrap_err();
        assert!(
            e[0].path.ends_with("x/a.md") && e[0].message.contains("y/a.md"),
            "{e:?}"
        );
    }

    #[test]
    fn tags_hot_posts_and_colliding_slugs() {
        let posts = vec![
            post("a.md", "2014-01-01", "views: 5\ntags: [内核, a/b]\n"),
            post("b.md", "2014-01-02", "views: 50\ntags: [内核, a-b, 内核]\n"),
            post("c.md", "2014-01-03", "views: 5\n"),
        ];
        let site = Site::new(Config::default(), posts, false, vec![]).unwrap();
        let tags: Vec<_> = site
            .tags
            .iter()
            .map(|t| (t.name.as_str(), t.slug.as_str(), t.posts.len()))
            .collect();
        assert_eq!(
            tags,
            [("内核", "内核", 2), ("a-b", "a-b", 1), ("a/b", "a-b-2", 1)]
        );
        let hot: Vec<_> = site
            .hot
            .iter()
            .map(|&i| site.posts[i].slug.as_str())
            .collect();
        assert_eq!(hot, ["b", "c", "a"]);
    }

    #[test]
    fn most_viewed_and_pinned_orders_equal_a_plain_sort() {
        // Views and pins with ties, so that the place in date order decides.
        let posts: Vec<Arc<Post>> = (0..12)
            .map(|k| {
                let extra = format!("views: {}\nsticky: {}\n", (k * 7) % 5, k % 4 / 3);
                post(
                    &format!("p{k:02}.md"),
                    &format!("2014-01-{:02}", k + 1),
                    &extra,
                )
            })
            .collect();
        for n in [0, 1, 4, 11, 12, 30] {
            let mut plain: Vec<usize> = (0..posts.len()).collect();
            plain.sort_by(|&a, &b| {
                posts[b]
                    .meta
                    .views
                    .cmp(&posts[a].meta.views)
                    .then(a.cmp(&b))
            });
            plain.truncate(n);
            assert_eq!(most_viewed(&posts, n), plain, "n = {n}");
        }
        let mut plain: Vec<usize> = (0..posts.len()).collect();
        plain.sort_by_key(|&i| Reverse(posts[i].meta.sticky));
        assert_eq!(home_order(&posts), plain);
        assert_eq!(home_order(&posts[..3]), [0, 1, 2], "none pinned");
    }

    #[test]
    fn guestbook() {
        let g = parse_guestbook("- author: 啦哆A梦\n  time: 2014-02-21 11:08\n").unwrap();
        assert_eq!(g[0].author, "啦哆A梦");
        assert!(parse_guestbook("- author: [x]\n").is_err());
        let e = parse_guestbook("- author: a\n  time: t\n  avatar: \"javascript:alert(1)\"\n")
            .unwrap_err();
        assert!(e.message.contains("avatar"), "{e}");
    }
}
