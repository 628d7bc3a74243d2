//! `boke check`: build the site in memory and report every internal link or anchor that leads
//! nowhere.

use crate::build::{self, DEFAULT_STATIC, Options};
use crate::error::{Error, Result};
use crate::render::{self, Templates};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// A link that leads nowhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The page holding the link (output path).
    pub page: String,
    pub link: String,
    pub why: String,
}

/// Build in memory and return the broken links, sorted by page then link, and the warnings of
/// loading the site.
pub fn check(opts: &Options) -> Result<(Vec<Broken>, Vec<crate::Diagnostic>)> {
    let (site, warnings) = build::load_site(opts)?;
    let (renderer, jobs) = render::plan(&site, &Templates::load(&opts.site())?)?;
    let pages_only: HashSet<String> = jobs.iter().map(|p| p.file.clone()).collect();
    let mut files = pages_only.clone();
    files.extend(
        crate::assets::plan(&site, pages_only.iter().map(String::as_str))?
            .into_iter()
            .map(|c| c.to),
    );
    files.extend(DEFAULT_STATIC.iter().map(|(n, _)| n.to_string()));
    let static_dir = opts.site().static_dir();
    if static_dir.is_dir() {
        for e in walkdir::WalkDir::new(&static_dir)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
        {
            if let Ok(rel) = e.path().strip_prefix(&static_dir) {
                files.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    // Each page is rendered and read in one go, keeping only its ids and links: holding every
    // page's HTML at once cost more than half a gigabyte at 10,000 posts.
    let parsed: Vec<(String, HashSet<String>, Vec<String>)> = jobs
        .par_iter()
        .map(|p| {
            let (file, bytes) = renderer.render(&p.job)?;
            Ok(file.ends_with(".html").then(|| {
                let (ids, links) = ids_and_links(&bytes);
                (file, ids, links)
            }))
        })
        .filter_map(|r| r.transpose())
        .collect::<Result<_>>()?;
    let ids: HashMap<&str, &HashSet<String>> =
        parsed.iter().map(|(f, ids, _)| (f.as_str(), ids)).collect();
    let base = site.config.base_path();
    let mut broken = Vec::new();
    for (page, _, links) in &parsed {
        for link in links {
            if let Some(why) = problem(page, link, base, &files, &ids) {
                broken.push(Broken {
                    page: page.clone(),
                    link: link.clone(),
                    why,
                });
            }
        }
    }
    broken.sort_by(|a, b| (&a.page, &a.link).cmp(&(&b.page, &b.link)));
    broken.dedup();
    Ok((broken, warnings))
}

/// A page's element ids and the addresses it links to, as a browser reads them.
fn ids_and_links(html: &[u8]) -> (HashSet<String>, Vec<String>) {
    let doc = scraper::Html::parse_document(&String::from_utf8_lossy(html));
    let ids = doc
        .select(&selector("[id]"))
        .filter_map(|e| e.value().attr("id").map(String::from))
        .collect();
    let links = doc
        .select(&selector("a[href], link[href], img[src], script[src]"))
        .filter_map(|e| {
            e.value()
                .attr("href")
                .or(e.value().attr("src"))
                .map(String::from)
        })
        .collect();
    (ids, links)
}

fn selector(css: &str) -> scraper::Selector {
    scraper::Selector::parse(css).expect("a valid built-in selector")
}

/// Why an internal link from `page` is broken, or None if it is fine or not internal.
fn problem(
    page: &str,
    link: &str,
    base: &str,
    files: &HashSet<String>,
    ids: &HashMap<&str, &HashSet<String>>,
) -> Option<String> {
    if link.contains("://")
        || link.starts_with("mailto:")
        || link.starts_with("//")
        || link.starts_with("data:")
    {
        return None;
    }
    let (path, fragment) = match link.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (link, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let target = if path.is_empty() {
        page.to_string()
    } else {
        let decoded = percent_encoding::percent_decode_str(path)
            .decode_utf8_lossy()
            .into_owned();
        let joined = match decoded.strip_prefix(base) {
            Some(rest) => rest.to_string(),
            None if decoded.starts_with('/') => {
                return Some(format!("it is outside the site's base path {base}"));
            }
            None => format!(
                "{}{decoded}",
                page.rsplit_once('/')
                    .map_or(String::new(), |(dir, _)| format!("{dir}/"))
            ),
        };
        let mut parts: Vec<&str> = Vec::new();
        for seg in joined.split('/') {
            match seg {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                s => parts.push(s),
            }
        }
        let mut t = parts.join("/");
        if joined.ends_with('/') || t.is_empty() {
            t = if t.is_empty() {
                "index.html".into()
            } else {
                format!("{t}/index.html")
            };
        }
        t
    };
    if !files.contains(&target) {
        return Some(format!("no page or file {target}"));
    }
    match (fragment, ids.get(target.as_str())) {
        (Some(f), Some(known)) if !f.is_empty() => {
            let f = percent_encoding::percent_decode_str(f).decode_utf8_lossy();
            (!known.contains(f.as_ref())).then(|| format!("{target} has no anchor #{f}"))
        }
        _ => None,
    }
}

/// The check as the CLI reports it: Ok (with the warnings of loading) when nothing is broken.
pub fn report(opts: &Options) -> Result<Vec<crate::Diagnostic>> {
    let (broken, warnings) = check(opts)?;
    if broken.is_empty() {
        return Ok(warnings);
    }
    let mut lines: Vec<crate::Diagnostic> = broken
        .iter()
        .map(|b| {
            crate::Diagnostic::new(
                &b.page,
                format!("broken link {}: {}", b.link, b.why),
                "fix the link in the post or template that makes this page",
            )
        })
        .collect();
    lines.truncate(500);
    Err(Error::Invalid(lines))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_resolved_like_a_browser_would() {
        let files: HashSet<String> = ["index.html", "posts/a/index.html", "style.css"]
            .map(String::from)
            .into();
        let a_ids: HashSet<String> = ["intro".to_string()].into();
        let ids: HashMap<&str, &HashSet<String>> = [("posts/a/index.html", &a_ids)].into();
        let p = |link: &str| problem("posts/a/index.html", link, "/", &files, &ids);
        assert_eq!(p("/posts/a/"), None);
        assert_eq!(p("../../style.css"), None);
        assert_eq!(p("#intro"), None);
        assert_eq!(p("https://example.org/x"), None);
        assert!(p("/posts/b/").unwrap().contains("no page"));
        assert!(p("/posts/a/#nope").unwrap().contains("no anchor"));
        assert!(p("../../missing.css").is_some());
    }
}
