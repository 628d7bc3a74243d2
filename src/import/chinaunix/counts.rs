//! The blog's own counts against what was read: the sidebar's 全部博文（N）, 文章存档 and
//! category counts, so that a post the list pages missed is found on the year pages, and a
//! difference that remains is reported rather than passed over.

use super::fetch::Fetcher;
use super::{Blog, Entry, Home, Post, Progress, Report, parse_time, walk_list};
use std::collections::{BTreeMap, BTreeSet};

/// List pages may repeat a post (a pinned post, a page that shifted while it was read).
pub(super) fn dedup_entries(entries: &mut Vec<Entry>) {
    let mut seen = BTreeSet::new();
    entries.retain(|e| seen.insert(e.id.clone()));
}

/// The sidebar's 全部博文（N） and 文章存档 counts against the posts the list pages show. When
/// they differ, the year pages are read for the posts the list missed.
pub(super) fn cross_check(
    blog: &Blog,
    fetcher: &Fetcher,
    home: &Home,
    entries: &mut Vec<Entry>,
    progress: &Progress,
    report: &mut Report,
) {
    let mut by_year: BTreeMap<i32, usize> = BTreeMap::new();
    for e in entries.iter() {
        if let Some(d) = parse_time(&e.time) {
            *by_year.entry(chrono::Datelike::year(&d)).or_default() += 1;
        }
    }
    let short_years: Vec<i32> = home
        .years
        .iter()
        .filter(|(y, n)| by_year.get(y).copied().unwrap_or(0) != *n)
        .map(|(y, _)| *y)
        .collect();
    let total = home.total.or(home.profile_posts);
    let total_ok = total.is_none_or(|t| t == entries.len());
    if total_ok && short_years.is_empty() {
        return;
    }
    let known: BTreeSet<String> = entries.iter().map(|e| e.id.clone()).collect();
    let mut missing = Vec::new();
    for y in &short_years {
        let (found, _) = walk_list(
            blog,
            fetcher,
            blog.at(&format!("/uid/{}/year-{y}-list-1.html", blog.uid)),
            progress,
            &mut report.failures,
        );
        for e in found {
            if !known.contains(&e.id) && !missing.iter().any(|m: &Entry| m.id == e.id) {
                missing.push(e);
            }
        }
    }
    let ids: Vec<&str> = missing.iter().map(|e| e.id.as_str()).collect();
    report.failures.push(format!(
        "the sidebar counts {} posts ({}), the list pages show {}{}",
        total.map_or("?".to_string(), |t| t.to_string()),
        home.years
            .iter()
            .map(|(y, n)| format!("{y}年（{n}）"))
            .collect::<Vec<_>>()
            .join(" "),
        entries.len(),
        if ids.is_empty() {
            String::new()
        } else {
            format!(
                "; missing from them, found on the year pages and imported: {}",
                ids.join(", ")
            )
        }
    ));
    entries.extend(missing);
}

/// The sidebar's category counts against the imported posts.
pub(super) fn check_categories(home: &Home, posts: &[Post], report: &mut Report) {
    for (name, _, count) in &home.categories {
        let have = posts
            .iter()
            .filter(|p| p.category.as_deref() == Some(name.as_str()))
            .count();
        if have != *count {
            report.failures.push(format!(
                "the sidebar counts {count} posts in category {name}, {have} were imported"
            ));
        }
    }
}
