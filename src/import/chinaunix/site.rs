//! What an import writes about the site beside its posts: the site.yaml settings the blog
//! implies, its nav, and the redirects from the blog's own list, category and year pages.

use super::*;

/// The site settings an import of `home` implies, as site.yaml lines.
pub(super) fn site_settings(
    home: &Home,
    uid: &str,
    paginate: usize,
    avatar: Option<&str>,
) -> String {
    use crate::frontmatter::write::yaml_quote as q;
    let mut s = String::new();
    if !home.subtitle.is_empty() {
        s.push_str(&format!("subtitle: {}\n", q(&home.subtitle)));
    }
    if paginate > 0 && paginate != 20 {
        s.push_str(&format!("paginate: {paginate}\n"));
    }
    if !home.nav.is_empty() {
        s.push_str("nav:\n");
        for (name, url) in &home.nav {
            s.push_str(&format!("  - name: {}\n    url: {}\n", q(name), q(url)));
        }
    }
    let p = &home.profile;
    s.push_str("profile:\n");
    s.push_str(&format!("  name: {}\n", q(&p.name)));
    if let Some(a) = avatar {
        s.push_str(&format!("  avatar: {}\n", q(a)));
    }
    s.push_str(&format!(
        "  visits: {}\n  points: {}\n  level: {}\n  tech_points: {}\n  group: {}\n  registered: {}\n",
        p.visits,
        p.points,
        q(&p.level),
        p.tech_points,
        q(&p.group),
        q(&p.registered)
    ));
    s.push_str(&format!(
        "permalinks:\n  posts: {}\n",
        q(&format!("/uid-{uid}-id-{{id}}.html"))
    ));
    s
}

/// Nav links of the blog's own pages as the new site's: the home is `/`, the rest keep their
/// old address on the blog's host.
pub(super) fn site_nav(blog: &Blog, home: &Home) -> Vec<(String, String)> {
    home.nav
        .iter()
        .filter_map(|(name, href)| {
            let u = blog.home().join(href).ok()?;
            let link = if blog.is_own(&u) && u.path() == format!("/uid/{}.html", blog.uid) {
                "/".to_string()
            } else if blog.is_own(&u) {
                canonical(&u).to_string()
            } else {
                u.to_string()
            };
            Some((name.clone(), link))
        })
        .collect()
}

/// The redirects of the blog's list, category and year pages to boke's pages for them.
pub(super) fn redirects(
    uid: &str,
    home: &Home,
    list_pages: usize,
    per_page: usize,
    posts: &[Post],
) -> BTreeMap<String, String> {
    let mut r = BTreeMap::new();
    let pages_for = |count: usize| count.div_ceil(per_page.max(1)).max(1);
    // Each old page `n` of a list of `old` posts goes to boke's page `n` of the `new` posts
    // imported, or to its last page when fewer were imported.
    let mut pages = |old_path: &dyn Fn(usize) -> String, base: &str, old: usize, new: usize| {
        let last = pages_for(new);
        for n in 1..=pages_for(old).max(last) {
            let to = match n.min(last) {
                1 => base.to_string(),
                k => format!("{base}page/{k}/"),
            };
            r.insert(old_path(n), to);
        }
    };
    pages(
        &|n| format!("/uid/{uid}/list/{n}.html"),
        "/",
        list_pages * per_page.max(1),
        posts.len(),
    );
    for (name, href, old) in &home.categories {
        let Some(cid) = href
            .rsplit('/')
            .next()
            .and_then(|f| f.strip_prefix("cid-"))
            .and_then(|f| f.split("-list-").next())
        else {
            continue;
        };
        let new = posts
            .iter()
            .filter(|p| p.category.as_deref() == Some(name.as_str()))
            .count();
        // A category with no post imported has no page on the new site to send anyone to.
        if new == 0 {
            continue;
        }
        let base = format!(
            "/categories/{}/",
            crate::slug::Slug::sanitize(name).as_str()
        );
        pages(
            &|n| format!("/uid/{uid}/cid-{cid}-list-{n}.html"),
            &base,
            *old,
            new,
        );
    }
    let mut years: BTreeMap<i32, usize> = BTreeMap::new();
    let mut months: BTreeSet<(i32, u32)> = BTreeSet::new();
    for p in posts {
        let (y, m) = (
            chrono::Datelike::year(&p.date),
            chrono::Datelike::month(&p.date),
        );
        *years.entry(y).or_default() += 1;
        months.insert((y, m));
    }
    for (y, new) in &years {
        let old = home
            .years
            .iter()
            .find(|(yy, _)| yy == y)
            .map_or(0, |(_, n)| *n);
        pages(
            &|n| format!("/uid/{uid}/year-{y}-list-{n}.html"),
            &format!("/archives/{y}/"),
            old,
            *new,
        );
    }
    for (y, m) in months {
        r.insert(
            format!("/uid/{uid}/year-{y}{m:02}-list-1.html"),
            format!("/archives/{y}/"),
        );
    }
    r.insert(format!("/uid/{uid}.html"), "/".to_string());
    r
}
