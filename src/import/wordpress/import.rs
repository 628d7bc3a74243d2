//! `boke import wordpress EXPORT.xml`, the edge: read the export as a stream, download the
//! images and attachments posts use into their asset folders, and write posts, pages and
//! comments through the import core's store (never over what the user changed; the export
//! itself is only read).

use super::markup::{self, Attachment};
use super::wxr::WxrReader;
use super::{Entry, Kind};
use crate::error::{Diagnostic, Error, Result};
use crate::import::fetch::{self, Fetcher};
use crate::import::images::{self, Names};
use crate::import::{Post, Report, Store, convert, report::Progress};
use chrono::{FixedOffset, TimeZone};
use scraper::{Html, Selector};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use url::Url;

pub const SOURCE: &str = "wordpress";

pub struct Options {
    pub export: PathBuf,
    pub root: PathBuf,
    pub fetch: fetch::Options,
    pub images: bool,
    pub terminal: bool,
}

static IMG: LazyLock<Selector> = LazyLock::new(|| Selector::parse("img[src], a[href]").unwrap());

pub fn import(opts: &Options) -> Result<Report> {
    let progress = Progress::new(opts.terminal);
    let site_tz = site_offset(&opts.root)?;
    let tz = site_tz.unwrap_or_else(|| crate::config::Config::default().offset());
    // A new site takes the blog's zone: what its local times are ahead of its GMT times.
    let mut offsets: BTreeMap<i32, usize> = BTreeMap::new();
    let file = std::fs::File::open(&opts.export).map_err(|e| Error::io("read", &opts.export, e))?;
    let mut reader = WxrReader::new(BufReader::new(file));
    let mut entries: Vec<Entry> = Vec::new();
    let mut attachments: BTreeMap<u64, Attachment> = BTreeMap::new();
    let mut report = Report::default();
    progress.stage("reading the export", None);
    loop {
        let item = match reader.next_item() {
            Ok(Some(i)) => i,
            Ok(None) => break,
            Err(e) => {
                let line = line_of(&opts.export, e.offset);
                return Err(Diagnostic::new(
                    &opts.export,
                    format!("the export cannot be read: {}", e.message),
                    "export the site again from WordPress (Tools → Export); nothing was written",
                )
                .at_line(line)
                .into());
            }
        };
        if item.post_type == "attachment" {
            attachments.insert(
                item.id,
                Attachment {
                    url: item.attachment_url.clone(),
                    title: super::html_to_text(&item.title),
                    parent: item.parent,
                },
            );
            continue;
        }
        if let (Some(local), Some(gmt)) = (naive(&item.date), naive(&item.date_gmt)) {
            let secs = (local - gmt).num_seconds();
            if secs.abs() <= 14 * 3600 && secs % 900 == 0 {
                *offsets.entry(secs as i32).or_default() += 1;
            }
        }
        if let Some(e) = super::entry(&item, reader.channel(), tz) {
            entries.push(e);
        }
    }
    let channel = reader.channel().clone();
    let blog_tz = offsets
        .iter()
        .max_by_key(|(secs, n)| (**n, -**secs))
        .and_then(|(secs, _)| FixedOffset::east_opt(*secs));
    let tz_final = site_tz.or(blog_tz).unwrap_or(tz);
    for e in &mut entries {
        e.date = e.date.and_then(|d| {
            if e.floating {
                tz_final.from_local_datetime(&d.naive_local()).single()
            } else {
                Some(d.with_timezone(&tz_final))
            }
        });
    }
    let attachment_urls: BTreeSet<&str> = attachments.values().map(|a| a.url.as_str()).collect();

    // Stems: `YYYY-MM-DD-slug` for posts, the slug for pages; a clash gets the post's id.
    let mut taken = BTreeSet::new();
    let mut planned: Vec<(Entry, String, String)> = Vec::new();
    for e in entries {
        let Some(date) = e.date else {
            report.failures.push(format!(
                "post {} ({}) has no date; it was not imported",
                e.id, e.title
            ));
            continue;
        };
        let base = match e.kind {
            Kind::Post => format!("{}-{}", date.format("%Y-%m-%d"), e.slug),
            Kind::Page => e.slug.to_string(),
        };
        let dir = match e.kind {
            Kind::Post => crate::layout::rel_posts_dir(),
            Kind::Page => crate::layout::rel_pages_dir(),
        };
        let dir = dir.to_string_lossy();
        let mut stem = base.clone();
        if !taken.insert(format!("{dir}/{stem}")) {
            stem = format!("{base}-{}", e.id);
            taken.insert(format!("{dir}/{stem}"));
        }
        let html = markup::clean(&e.content, e.id, &attachments);
        for name in &html.unknown {
            report.notes.push(format!(
                "post {} ({}): shortcode [{name}] has no Markdown form; it is left as written",
                e.id, e.title
            ));
        }
        planned.push((e, stem, html.html));
    }

    // Images and attachments the bodies use.
    let mut wanted: Vec<(usize, Url, String)> = Vec::new();
    if opts.images {
        for (i, (_, _, html)) in planned.iter().enumerate() {
            let mut names = Names::default();
            let mut seen = BTreeSet::new();
            for el in Html::parse_fragment(html).select(&IMG) {
                let v = el.value();
                let (link, is_img) = match v.attr("src") {
                    Some(s) => (s, true),
                    None => (v.attr("href").unwrap_or(""), false),
                };
                let Ok(u) = Url::parse(link.trim()) else {
                    continue;
                };
                let is_upload = attachment_urls.contains(link.trim())
                    || u.path().contains("/wp-content/uploads/");
                if !matches!(u.scheme(), "http" | "https") || !(is_img || is_upload) {
                    continue;
                }
                if seen.insert(link.trim().to_string()) {
                    wanted.push((i, u.clone(), names.claim(&images::safe_name(&u))));
                }
            }
        }
    }
    let fetcher = Fetcher::http(
        opts.fetch.clone(),
        crate::layout::SiteDir::new(&opts.root)
            .import_dir(SOURCE)
            .join("cache"),
    );
    progress.stage("images", Some(wanted.len()));
    let got = crate::import::parallel_map(&wanted, fetcher.jobs(), |(_, u, _)| {
        let r = fetcher.get(u);
        progress.step();
        r
    });
    let mut assets: Vec<Vec<(String, Vec<u8>)>> = vec![Vec::new(); planned.len()];
    let mut moved: Vec<Vec<(String, String)>> = vec![Vec::new(); planned.len()];
    for ((i, u, name), r) in wanted.into_iter().zip(got) {
        match r {
            Ok(f) => {
                moved[i].push((u.to_string(), format!("{}/{name}", planned[i].1)));
                assets[i].push((name, f.bytes));
            }
            Err(e) => report.failures.push(format!(
                "{u} (in post {}): {e}; its link is left at that address",
                planned[i].0.id
            )),
        }
    }

    let settings = crate::import::settings::Settings {
        description: Some(channel.description.clone()).filter(|d| !d.is_empty()),
        language: crate::import::settings::language(&channel.language),
        base_url: crate::import::settings::base_url(&channel.link, "/"),
        timezone: blog_tz.filter(|_| site_tz.is_none()).map(|z| z.to_string()),
        ..Default::default()
    };
    // `?p=ID` (and `?page_id=ID`) addresses: a static host cannot redirect a query, so a
    // small script on every page sends them to the post's old path, which redirects on.
    let ids: BTreeMap<u64, String> = planned
        .iter()
        .filter(|(e, _, _)| !e.draft)
        .filter_map(|(e, _, _)| Some((e.id, e.old_path.clone()?)))
        .collect();
    let mut yaml = settings.site_yaml();
    yaml.push_str(&format!("extra:\n  old_ids_script: \"{IDS_SCRIPT}\"\n"));
    crate::import::site::prepare_site(
        &opts.root,
        &super::html_to_text(&channel.title),
        &yaml,
        &mut report,
    )?;

    let work = crate::layout::SiteDir::new(&opts.root).import_dir(SOURCE);
    let mut store = Store::open(&opts.root, &work)?;
    progress.stage("writing", Some(planned.len()));
    for (i, (e, stem, html)) in planned.into_iter().enumerate() {
        let mut html = html;
        for (from, to) in &moved[i] {
            html = html.replace(from.as_str(), to);
        }
        let body = match markup::split_more(&html) {
            (before, Some(after)) => format!(
                "{}\n\n<!-- more -->\n\n{}",
                convert::to_markdown(before).trim_end(),
                convert::to_markdown(after).trim_start()
            ),
            (all, None) => convert::to_markdown(all),
        };
        let mut aliases = Vec::new();
        // A page is built at `/<slug>/`; only another old address needs an alias.
        let own = (e.kind == Kind::Page).then(|| format!("/{}/", e.slug));
        if let Some(old) = e.old_path.as_ref().filter(|o| Some(*o) != own.as_ref()) {
            aliases.push(old.clone());
        }
        let Some(date) = e.date else { continue };
        let post = Post {
            stem: stem.clone(),
            title: Some(e.title.clone()).filter(|t| !t.is_empty()),
            date,
            id: None,
            category: e.category.clone(),
            tags: e.tags.clone(),
            views: 0,
            comments: crate::import::Comment::count(&e.comments) as u64,
            shares: 0,
            aliases,
            body,
            comment_list: e.comments.clone(),
            assets: std::mem::take(&mut assets[i]),
        };
        let mut extra = Vec::new();
        if e.draft {
            extra.push("draft: true".to_string());
        }
        if !e.category_parents.is_empty() {
            extra.push(format!(
                "category_parents: {}",
                yaml_list(&e.category_parents)
            ));
        }
        if !e.other_categories.is_empty() {
            extra.push(format!(
                "more_categories: {}",
                yaml_list(&e.other_categories)
            ));
        }
        extra.push(format!("wordpress_id: {}", e.id));
        let dir = match e.kind {
            Kind::Post => crate::layout::rel_posts_dir(),
            Kind::Page => crate::layout::rel_pages_dir(),
        };
        let dir = dir.to_string_lossy();
        write_entry(&mut store, &dir, &post, &extra, &mut report)?;
        if e.kind == Kind::Page {
            report.posts -= 1;
        }
        for n in e.notes {
            report.notes.push(n);
        }
        progress.step();
    }
    let rel = format!("{}/{IDS_SCRIPT}", crate::layout::rel_static_dir().display());
    let outcome = store.write(&rel, ids_script(&ids).as_bytes())?;
    report.record(&rel, outcome);
    store.save()?;
    report.requests = fetcher.requests();
    progress.finish();
    Ok(report)
}

/// The file (in `static/`) that sends `?p=ID` to its post; named in site.yaml's
/// `extra.old_ids_script`, which makes the pages load it.
pub const IDS_SCRIPT: &str = "wordpress-ids.js";

/// The script: the map of ids to old paths, and the few lines that follow it. Paths are taken
/// relative to the script's own address, so the site may move under another base path.
fn ids_script(ids: &BTreeMap<u64, String>) -> String {
    let mut map = String::from("{");
    for (i, (id, path)) in ids.iter().enumerate() {
        if i > 0 {
            map.push(',');
        }
        map.push_str(&format!("\"{id}\":\"{}\"", js_string(path)));
    }
    map.push('}');
    format!(
        "// Written by boke import wordpress: WordPress's ?p=ID addresses, sent on to their posts.\n\
         (function () {{\n\
         \x20 var ids = {map};\n\
         \x20 var m = /[?&](?:p|page_id)=(\\d+)(?:&|$)/.exec(location.search);\n\
         \x20 var to = m && ids[m[1]];\n\
         \x20 if (to) location.replace(new URL(to.slice(1), document.currentScript.src).href);\n\
         }})();\n"
    )
}

/// Text inside a JavaScript string literal, which is also inert inside a `<script>`.
fn js_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("\\u003c"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

fn yaml_list(items: &[String]) -> String {
    let q: Vec<String> = items
        .iter()
        .map(|s| crate::frontmatter::write::yaml_quote(s))
        .collect();
    format!("[{}]", q.join(", "))
}

/// The core's post file with keys of this source added to its front matter.
fn write_entry(
    store: &mut Store,
    dir: &str,
    post: &Post,
    extra: &[String],
    report: &mut Report,
) -> Result<()> {
    let md = with_keys(&post.to_markdown(), extra);
    crate::import::write_into(store, dir, post, &md, report)
}

/// Front matter `---\n…---\n` with `keys` (whole `key: value` lines) added before its end.
pub(crate) fn with_keys(md: &str, keys: &[String]) -> String {
    if keys.is_empty() {
        return md.to_string();
    }
    let Some(end) = md[4..].find("\n---\n").map(|i| i + 5) else {
        return md.to_string();
    };
    let mut out = String::with_capacity(md.len() + 64);
    out.push_str(&md[..end]);
    for k in keys {
        out.push_str(k);
        out.push('\n');
    }
    out.push_str(&md[end..]);
    out
}

/// The time zone of an existing site, for times the export gives without one.
fn site_offset(root: &Path) -> Result<Option<FixedOffset>> {
    let site = crate::layout::SiteDir::new(root);
    if site.config_file().exists() {
        return Ok(Some(crate::config::Config::load(&site)?.offset()));
    }
    Ok(None)
}

fn naive(s: &str) -> Option<chrono::NaiveDateTime> {
    chrono::NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%d %H:%M:%S").ok()
}

/// The line of byte `offset` in `path`, read again only when an error is reported.
pub(crate) fn line_of(path: &Path, offset: u64) -> Option<usize> {
    let f = std::fs::File::open(path).ok()?;
    let mut r = BufReader::new(f);
    let mut line = 1;
    let mut seen = 0u64;
    loop {
        let buf = r.fill_buf().ok()?;
        if buf.is_empty() || seen >= offset {
            return Some(line);
        }
        let take = buf.len().min((offset - seen) as usize);
        line += buf[..take].iter().filter(|b| **b == b'\n').count();
        seen += take as u64;
        r.consume(take);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_go_inside_the_front_matter() {
        assert_eq!(
            with_keys(
                "---\ntitle: \"a\"\n---\nbody\n---\n",
                &["draft: true".into()]
            ),
            "---\ntitle: \"a\"\ndraft: true\n---\nbody\n---\n"
        );
    }

    #[test]
    fn the_ids_script_maps_ids_to_old_paths() {
        let mut ids = BTreeMap::new();
        ids.insert(42, "/2014/11/内存/".to_string());
        ids.insert(7, "/a\"b</script>/".to_string());
        let js = ids_script(&ids);
        assert!(
            js.contains("var ids = {\"7\":\"/a\\\"b\\u003c/script>/\",\"42\":\"/2014/11/内存/\"};"),
            "{js}"
        );
        assert!(js.contains("location.replace"), "{js}");
    }

    #[test]
    fn lines_of_offsets() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.xml");
        std::fs::write(&p, "a\nb\nc\n").unwrap();
        assert_eq!(line_of(&p, 0), Some(1));
        assert_eq!(line_of(&p, 2), Some(2));
        assert_eq!(line_of(&p, 5), Some(3));
        assert_eq!(line_of(&p, 500), Some(4));
    }
}
