//! `boke import chinaunix`: a blog of blog.chinaunix.net, from its address or from a folder
//! saved by `wget --mirror`, into a boke site. The parsers are plain functions over a page's
//! text; the selectors below are the markup they read: the header (`div.Blog_header1`), the
//! sidebar (`div.Blog_left`: profile `ul.Blog_ul1`, categories `ul#blogCla`, years
//! `#blogdtr`), list entries (`div.Blog_tit4`, `p.Blog_p10`, `p.Blog_p7`, pager `li.next`), a
//! post (`div.Blog_tit5`, `div.Blog_con3`, `div.Blog_wz1` with its `div.codeText` widgets) and
//! comments or guestbook messages (`div.Blog_comment` > `div.Blog_comm1`: `p.Blog_p11` author
//! link and time, `div.Blog_p12` text, `div.Blog_reply` nested replies, its own `li.next`).

use super::fetch::{self, Fetched, Fetcher};
use super::images::{self, Names};
use super::site::prepare_site;
use super::{Post, Progress, Report, Store};
use crate::error::{Diagnostic, Error, Result};
use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone as _};
use scraper::Html;
use serde::Serialize;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use url::Url;

mod body;
mod counts;
mod pages;
mod site;

use body::*;
use counts::*;
use pages::*;
use site::*;

pub use body::standalone_body;
pub use pages::{
    Entry, Home, ListPage, PostPage, parse_comments, parse_home, parse_list, parse_post, post_id,
};

pub const SOURCE: &str = "chinaunix";
/// The blog's own host: what every address written into the site is made to name, whichever
/// address the pages were fetched from.
pub const HOST: &str = "blog.chinaunix.net";
pub(super) const IMAGE_HOST: &str = "blogimg.chinaunix.net";
/// Bounds on how far pagers are followed, against a server that never says "last page".
pub(super) const MAX_LIST_PAGES: usize = 10_000;
pub(super) const MAX_COMMENT_PAGES: usize = 1_000;

/// What `boke import chinaunix` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The blog's address (`http://blog.chinaunix.net/uid/29599891.html`) or a saved folder.
    pub source: String,
    pub root: PathBuf,
    pub fetch: fetch::Options,
    pub images: bool,
    /// Show a progress bar rather than plain lines.
    pub terminal: bool,
}

// ---------------------------------------------------------------------------------------
// Addresses

/// Where the blog is read from, and its owner's uid.
pub(super) struct Blog {
    /// The address pages are fetched from (`http://127.0.0.1:PORT/` in a test).
    pub(super) origin: Url,
    pub(super) uid: String,
}

/// The same address on the blog's real host: what is written into the site.
fn canonical(u: &Url) -> Url {
    let mut c = u.clone();
    if c.host_str() != Some(IMAGE_HOST) {
        let _ = c.set_scheme("http");
        let _ = c.set_host(Some(HOST));
        let _ = c.set_port(None);
    }
    c
}

impl Blog {
    fn is_own(&self, u: &Url) -> bool {
        let h = u.host_str();
        h == Some(HOST) || (h == self.origin.host_str() && u.port() == self.origin.port())
    }

    /// The address to fetch for a link found on a page: the blog's own host is asked at the
    /// origin; other hosts as they are.
    fn fetchable(&self, u: &Url) -> Url {
        if self.is_own(u) {
            let mut f = self.origin.clone();
            f.set_path(u.path());
            f.set_query(u.query());
            f
        } else {
            u.clone()
        }
    }

    fn at(&self, path: &str) -> Url {
        self.origin.join(path).expect("a path joins")
    }

    fn home(&self) -> Url {
        self.at(&format!("/uid/{}.html", self.uid))
    }

    fn post(&self, id: &str) -> Url {
        self.at(&format!("/uid-{}-id-{id}.html", self.uid))
    }

    /// A post id, if `u` is an address of one of this blog's posts (any form), with the old
    /// (`showart`) path when that is the form.
    fn post_of(&self, u: &Url) -> Option<(String, Option<String>)> {
        if !self.is_own(u) {
            return None;
        }
        let path = u.path();
        let id = post_id(path)?;
        if path == format!("/uid-{}-id-{id}.html", self.uid) {
            return Some((id, None));
        }
        for old in ["u", "u1"] {
            if path == format!("/{old}/{}/showart_{id}.html", self.uid) {
                return Some((id, Some(path.to_string())));
            }
        }
        None
    }
}

/// Read SOURCE: an address, or a saved folder.
fn open_source(opts: &Options) -> Result<(Blog, Fetcher)> {
    let work = crate::layout::SiteDir::new(&opts.root).import_dir(SOURCE);
    if opts.source.starts_with("http://") || opts.source.starts_with("https://") {
        let url = Url::parse(&opts.source).map_err(|e| bad_source(&opts.source, &e.to_string()))?;
        let uid = url
            .path()
            .strip_prefix("/uid/")
            .and_then(|r| r.strip_suffix(".html").or(Some(r.trim_end_matches('/'))))
            .filter(|u| !u.is_empty() && u.chars().all(|c| c.is_ascii_digit()))
            .or_else(|| {
                let p = url.path().strip_prefix("/uid-")?;
                p.split('-').next()
            })
            .ok_or_else(|| bad_source(&opts.source, "it is not the address of a blog's home page"))?
            .to_string();
        let origin = url.join("/").expect("the root joins");
        let fetcher = Fetcher::http(opts.fetch.clone(), work.join("cache"));
        return Ok((Blog { origin, uid }, fetcher));
    }
    let dir = PathBuf::from(&opts.source);
    if !dir.is_dir() {
        return Err(bad_source(
            &opts.source,
            "it is neither an http:// address nor a folder",
        ));
    }
    let dir = dir.canonicalize().map_err(|e| Error::io("read", &dir, e))?;
    let root = match opts.root.canonicalize() {
        Ok(r) => r,
        Err(_) => std::path::absolute(&opts.root).unwrap_or(opts.root.clone()),
    };
    if root.starts_with(&dir) || dir.starts_with(&root) {
        return Err(Diagnostic::new(
            &opts.source,
            "the site to import into and the saved blog overlap",
            "choose a --root outside the saved folder (the import never writes into what it reads)",
        )
        .into());
    }
    let mut uids: Vec<String> = std::fs::read_dir(dir.join("uid"))
        .map_err(|e| Error::io("read", &dir.join("uid"), e))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let uid = name.strip_suffix(".html")?;
            uid.chars()
                .all(|c| c.is_ascii_digit())
                .then(|| uid.to_string())
        })
        .collect();
    uids.sort();
    let uid = match uids.as_slice() {
        [one] => one.clone(),
        [] => {
            return Err(bad_source(
                &opts.source,
                "the folder holds no blog home page uid/NUMBER.html",
            ));
        }
        _ => {
            return Err(bad_source(
                &opts.source,
                &format!("the folder holds several blogs: uid {}", uids.join(", ")),
            ));
        }
    };
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(HOST)
        .to_string();
    let host = if Url::parse(&format!("http://{name}/")).is_ok() && name.contains('.') {
        name
    } else {
        HOST.to_string()
    };
    let origin = Url::parse(&format!("http://{host}/")).expect("a host makes an address");
    let fetcher = Fetcher::dir(opts.fetch.clone(), dir, host);
    Ok((Blog { origin, uid }, fetcher))
}

fn bad_source(source: &str, why: &str) -> Error {
    Diagnostic::new(
        source,
        format!("not a Chinaunix blog: {why}"),
        "give the blog's address, e.g. http://blog.chinaunix.net/uid/29599891.html, or a folder saved by wget --mirror (the one named blog.chinaunix.net)",
    )
    .into()
}

fn parse_time(s: &str) -> Option<DateTime<FixedOffset>> {
    let tz = FixedOffset::east_opt(8 * 3600)?;
    let n = NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%d %H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%d %H:%M"))
        .ok()?;
    tz.from_local_datetime(&n).single()
}

// ---------------------------------------------------------------------------------------
// Fetching

fn get_text(fetcher: &Fetcher, url: &Url) -> std::result::Result<String, String> {
    let got: Fetched = fetcher.get(url).map_err(|e| format!("{url}: {e}"))?;
    fetch::decode(&got).map_err(|e| format!("{url}: {e}"))
}

/// Every page of a list, following its pager from `first`.
fn walk_list(
    blog: &Blog,
    fetcher: &Fetcher,
    first: Url,
    progress: &Progress,
    failures: &mut Vec<String>,
) -> (Vec<Entry>, usize) {
    let mut seen = BTreeSet::new();
    let mut entries = Vec::new();
    let mut first_size = 0;
    let mut next = Some(first);
    while let Some(url) = next.take() {
        if seen.len() >= MAX_LIST_PAGES || !seen.insert(url.to_string()) {
            break;
        }
        progress.step();
        let page = match get_text(fetcher, &url) {
            Ok(text) => parse_list(&text),
            Err(e) => {
                failures.push(format!("list page {e}"));
                break;
            }
        };
        if seen.len() == 1 {
            first_size = page.entries.len();
        }
        entries.extend(page.entries);
        next = page
            .next
            .and_then(|h| url.join(&h).ok())
            .map(|u| blog.fetchable(&u));
    }
    (entries, first_size)
}

/// A post page and all its comment pages.
fn fetch_post(blog: &Blog, fetcher: &Fetcher, id: &str) -> std::result::Result<PostPage, String> {
    let url = blog.post(id);
    let text = get_text(fetcher, &url)?;
    let mut page = parse_post(&text)
        .ok_or_else(|| format!("{url}: the page has no post body (div.Blog_wz1)"))?;
    let mut seen = BTreeSet::from([url.to_string()]);
    let mut next = page.comments_next.take();
    let mut base = url.clone();
    while let Some(href) = next.take() {
        let Some(u) = base.join(&href).ok().map(|u| blog.fetchable(&u)) else {
            break;
        };
        if seen.len() > MAX_COMMENT_PAGES || !seen.insert(u.to_string()) {
            break;
        }
        let text = get_text(fetcher, &u).map_err(|e| format!("comments page {e}"))?;
        let (more, n) = parse_comments(&Html::parse_document(&text));
        page.comment_list.extend(more);
        next = n;
        base = u;
    }
    Ok(page)
}

// ---------------------------------------------------------------------------------------
// The run

#[derive(Serialize)]
struct GuestMessage<'a> {
    author: &'a str,
    time: &'a str,
    text: &'a str,
}

/// Import the blog. Writes nothing unless its home page could be read.
pub fn import(opts: &Options) -> Result<Report> {
    let progress = Progress::new(opts.terminal);
    let (blog, fetcher) = open_source(opts)?;
    let home_url = blog.home();
    let cannot = |e: String| {
        Error::from(Diagnostic::new(
            canonical(&home_url).to_string(),
            format!("cannot read the blog's home page: {e}"),
            "check the address and your connection, then run the import again; nothing was written",
        ))
    };
    let home_page = fetcher
        .peek(&home_url)
        .map_err(|e| cannot(format!("{home_url}: {e}")))?;
    let home_text = fetch::decode(&home_page).map_err(|e| cannot(format!("{home_url}: {e}")))?;
    fetcher.keep(&home_url, &home_page);
    let home = parse_home(&home_text);
    let mut report = Report::default();

    progress.stage("list pages", None);
    let (mut entries, per_page) = walk_list(
        &blog,
        &fetcher,
        blog.at(&format!("/uid/{}/list/1.html", blog.uid)),
        &progress,
        &mut report.failures,
    );
    let list_pages = if per_page == 0 {
        1
    } else {
        entries.len().div_ceil(per_page)
    };
    dedup_entries(&mut entries);
    cross_check(&blog, &fetcher, &home, &mut entries, &progress, &mut report);

    // The posts, with their comments.
    progress.stage("posts", Some(entries.len()));
    let pages = super::parallel_map(&entries, fetcher.jobs(), |e| {
        let r = fetch_post(&blog, &fetcher, &e.id);
        progress.step();
        r
    });
    let mut parsed: Vec<FetchedPost> = Vec::new();
    for (entry, page) in entries.into_iter().zip(pages) {
        match page {
            Ok(p) => {
                let Some(date) = parse_time(&p.time).or_else(|| parse_time(&entry.time)) else {
                    report.failures.push(format!(
                        "{}: the post has no publish time boke understands (`{}`)",
                        canonical(&blog.post(&entry.id)),
                        p.time
                    ));
                    continue;
                };
                parsed.push((entry, p, date));
            }
            Err(e) => report.failures.push(format!("post {e}")),
        }
    }
    let stems: HashMap<String, String> = parsed
        .iter()
        .map(|(e, _, d)| (e.id.clone(), format!("{}-{}", d.format("%Y-%m-%d"), e.id)))
        .collect();

    let (assets, image_maps) = if opts.images {
        fetch_images(&blog, &fetcher, &parsed, &stems, &progress, &mut report)
    } else {
        (
            vec![Vec::new(); parsed.len()],
            vec![HashMap::new(); parsed.len()],
        )
    };
    let posts = convert_posts(&blog, parsed, assets, &image_maps, &stems);

    // The site itself.
    let mut avatar: Option<(String, Vec<u8>)> = None;
    if opts.images
        && let Some(src) = &home.avatar
        && let Ok(u) = home_url.join(src)
    {
        let ext = images::safe_name(&u)
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .filter(|e| matches!(e.as_str(), "jpg" | "jpeg" | "png" | "gif" | "webp"))
            .unwrap_or_else(|| "jpg".into());
        match fetcher.get(&blog.fetchable(&u)) {
            Ok(f) => avatar = Some((format!("avatar.{ext}"), f.bytes)),
            Err(e) => report.failures.push(format!("avatar {u}: {e}")),
        }
    }
    let mut home = home;
    home.nav = site_nav(&blog, &home);
    let settings = site_settings(
        &home,
        &blog.uid,
        per_page,
        avatar.as_ref().map(|a| a.0.as_str()),
    );
    prepare_site(&opts.root, &home.title, &settings, &mut report)?;

    let work = crate::layout::SiteDir::new(&opts.root).import_dir(SOURCE);
    let mut store = Store::open(&opts.root, &work)?;
    // boke's work folder ignores itself, so that an existing site kept in git (whose
    // .gitignore `boke init` did not write) does not take in the cache.
    let boke_dir = crate::layout::SiteDir::new(&opts.root).work_dir();
    std::fs::create_dir_all(&boke_dir).map_err(|e| Error::io("create", &boke_dir, e))?;
    crate::newfile::create(&boke_dir.join(".gitignore"), b"*\n")?;
    progress.stage("writing posts", Some(posts.len()));
    for p in &posts {
        super::write_post(&mut store, p, &mut report)?;
        progress.step();
    }
    if let Some((name, bytes)) = &avatar {
        let rel = format!("{}/{name}", crate::layout::rel_static_dir().display());
        let o = store.write(&rel, bytes)?;
        report.record(&rel, o);
    }
    if !home.guestbook.is_empty() {
        let msgs: Vec<GuestMessage<'_>> = home
            .guestbook
            .iter()
            .map(|c| GuestMessage {
                author: &c.author,
                time: &c.date,
                text: &c.text,
            })
            .collect();
        let rel = crate::layout::rel_guestbook_file();
        let rel = &*rel.to_string_lossy();
        let o = store.write(
            rel,
            serde_yaml::to_string(&msgs).unwrap_or_default().as_bytes(),
        )?;
        report.record(rel, o);
    }
    let per_archive_page = per_page.max(1);
    let r = redirects(&blog.uid, &home, list_pages, per_archive_page, &posts);
    let rel = crate::layout::rel_redirects_file();
    let rel = &*rel.to_string_lossy();
    let o = store.write(
        rel,
        serde_yaml::to_string(&r).unwrap_or_default().as_bytes(),
    )?;
    report.record(rel, o);
    store.save()?;
    check_categories(&home, &posts, &mut report);
    report.requests = fetcher.requests();
    progress.finish();
    Ok(report)
}

/// A post as fetched: its list entry, its page, its publish time.
type FetchedPost = (Entry, PostPage, DateTime<FixedOffset>);

/// Download the pictures of the blog's own hosts in every post: for each post, its files
/// (name, bytes) and a map from each picture's address to its path beside the post. A picture
/// that cannot be fetched is reported and keeps its address.
#[allow(clippy::type_complexity)]
fn fetch_images(
    blog: &Blog,
    fetcher: &Fetcher,
    parsed: &[FetchedPost],
    stems: &HashMap<String, String>,
    progress: &Progress,
    report: &mut Report,
) -> (Vec<Vec<(String, Vec<u8>)>>, Vec<HashMap<String, String>>) {
    let mut wanted: Vec<(usize, Url, String)> = Vec::new();
    for (i, (e, p, _)) in parsed.iter().enumerate() {
        let page_url = blog.post(&e.id);
        let mut names = Names::default();
        let mut seen = BTreeSet::new();
        for img in Html::parse_fragment(&p.body).select(&IMG) {
            let Some(u) = img
                .value()
                .attr("src")
                .and_then(|s| page_url.join(s.trim()).ok())
            else {
                continue;
            };
            if !(blog.is_own(&u) || u.host_str() == Some(IMAGE_HOST)) {
                continue;
            }
            let c = canonical(&u);
            if seen.insert(c.to_string()) {
                let name = names.claim(&images::safe_name(&c));
                wanted.push((i, c, name));
            }
        }
    }
    progress.stage("images", Some(wanted.len()));
    let got = super::parallel_map(&wanted, fetcher.jobs(), |(_, u, _)| {
        let r = fetcher.get(&blog.fetchable(u));
        progress.step();
        r
    });
    let mut assets: Vec<Vec<(String, Vec<u8>)>> = vec![Vec::new(); parsed.len()];
    let mut image_maps: Vec<HashMap<String, String>> = vec![HashMap::new(); parsed.len()];
    for ((i, u, name), r) in wanted.into_iter().zip(got) {
        match r {
            Ok(f) => {
                image_maps[i].insert(u.to_string(), format!("{}/{name}", stems[&parsed[i].0.id]));
                assets[i].push((name, f.bytes));
            }
            Err(e) => report.failures.push(format!(
                "image {u} (in post {}): {e}; its link is left at that address",
                parsed[i].0.id
            )),
        }
    }
    (assets, image_maps)
}

/// Every body to Markdown, on every core (each post converts on its own), then the old
/// addresses seen in links given to the posts they name as aliases. Sorted by file name.
fn convert_posts(
    blog: &Blog,
    parsed: Vec<FetchedPost>,
    assets: Vec<Vec<(String, Vec<u8>)>>,
    image_maps: &[HashMap<String, String>],
    stems: &HashMap<String, String>,
) -> Vec<Post> {
    use rayon::prelude::*;
    let converted: Vec<(Post, Vec<(String, String)>)> = parsed
        .into_par_iter()
        .zip(assets.into_par_iter())
        .zip(image_maps.par_iter())
        .map(|(((entry, page, date), assets), images)| {
            let page_url = blog.post(&entry.id);
            let frag = Html::parse_fragment(&page.body);
            let more_after = excerpt_end(frag.root_element(), &entry.excerpt);
            let rw = BodyRewrite {
                blog,
                page: &page_url,
                stems,
                images,
                aliases: RefCell::new(Vec::new()),
                more_after,
            };
            let body = body_markdown(&rw, &page.body);
            let post = Post {
                stem: stems[&entry.id].clone(),
                title: page.title.or(entry.title),
                date,
                id: Some(entry.id.clone()),
                category: page.category,
                tags: Vec::new(),
                views: page.views,
                comments: page.comments,
                shares: page.shares,
                aliases: Vec::new(),
                body,
                comment_list: page.comment_list,
                assets,
            };
            (post, rw.aliases.into_inner())
        })
        .collect();
    let mut aliases: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut posts: Vec<Post> = Vec::with_capacity(converted.len());
    for (post, seen) in converted {
        for (id, old) in seen {
            aliases.entry(id).or_default().insert(old);
        }
        posts.push(post);
    }
    for p in &mut posts {
        if let Some(a) = p.id.as_ref().and_then(|id| aliases.get(id)) {
            p.aliases = a.iter().cloned().collect();
        }
    }
    posts.sort_by(|a, b| a.stem.cmp(&b.stem));
    posts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn post_ids_come_from_every_address_form() {
        assert_eq!(
            post_id("/uid-29599891-id-4636263.html").as_deref(),
            Some("4636263")
        );
        assert_eq!(
            post_id("http://blog.chinaunix.net/u/1/showart_77.html#c").as_deref(),
            Some("77")
        );
        assert_eq!(post_id("/uid/1/list/2.html"), None);
        assert_eq!(post_id("/uid-1-id-.html"), None);
        assert_eq!(post_id("/uid-1-id-12a.html"), None);
    }

    #[test]
    fn a_list_entry_without_a_title_is_found_by_its_read_more_link() {
        let html = r#"<div class="Blog_right1"><div class="Blog_right1_2">
            <div class="Blog_tit4"><a href="/uid-1-id-5.html">有标题</a><em>2014-01-02 03:04:05</em></div>
            <p class="Blog_p10">开头......<a href="/uid-1-id-5.html">【阅读全文】</a></p>
            <p class="Blog_p7">阅读(1) | 评论(0) | 转发(0)</p>
            <div class="Blog_tit4"><a href="/uid-1-id-6.html"></a><em>2014-01-01 00:00:00</em></div>
            <p class="Blog_p10">无题的开头…<a href="/uid-1-id-6.html">【阅读全文】</a></p>
            </div><ul><li class="next"><a href="/uid/1/list/2.html">下一页</a></li></ul></div>"#;
        let page = parse_list(html);
        assert_eq!(page.entries.len(), 2, "{page:?}");
        assert_eq!(page.entries[0].title.as_deref(), Some("有标题"));
        assert_eq!(page.entries[0].excerpt, "开头");
        assert_eq!(page.entries[1].id, "6");
        assert_eq!(page.entries[1].title, None);
        assert_eq!(page.entries[1].excerpt, "无题的开头");
        assert_eq!(page.next.as_deref(), Some("/uid/1/list/2.html"));
    }

    #[test]
    fn the_profile_reads_full_width_colons_and_odd_spaces() {
        let html = r#"<div class="Blog_left1_1"><img src="/a.jpg"><p><a href="/uid/1.html">某人</a></p></div>
            <ul class="Blog_ul1"><li>博客访问： 306993 </li><li>博文数量： 142 </li><li>博客等级： 少将 </li>
            <li>用  户  组：  普通用户</li><li>注册时间： 2005-06-06 14:59 </li></ul>
            <div class="Blog_left2_1"><p class="Blog_p4"><a href="/uid/1/list/1.html">全部博文</a>（142）</p>
            <ul id="blogCla"><li><a href="/uid/1/cid-9-list-1.html">内核</a>（40）<div class="zk"><p><a href="/uid/1/sid-3-list-1.html">子类</a>（3）</p></div></li></ul></div>
            <div id="blogdtr"><p class="Blog_p4"><a href="/uid/1/year-2008-list-1.html">2008年</a>（115）</p></div>"#;
        let home = parse_home(html);
        assert_eq!(home.profile.name, "某人");
        assert_eq!(home.profile.visits, 306993);
        assert_eq!(home.profile.level, "少将");
        assert_eq!(home.profile.group, "普通用户");
        assert_eq!(home.profile.registered, "2005-06-06 14:59");
        assert_eq!(home.profile_posts, Some(142));
        assert_eq!(home.total, Some(142));
        assert_eq!(
            home.categories,
            [(
                "内核".to_string(),
                "/uid/1/cid-9-list-1.html".to_string(),
                40
            )]
        );
        assert_eq!(home.years, [(2008, 115)]);
        assert_eq!(home.avatar.as_deref(), Some("/a.jpg"));
    }

    #[test]
    fn the_excerpt_ends_where_the_list_page_cut_it() {
        let frag = Html::parse_fragment("<div>第一 段</div><div>第二段</div><div>第三段</div>");
        let root = frag.root_element();
        assert_eq!(excerpt_end(root, "第一段"), Some(0));
        assert_eq!(excerpt_end(root, "第一段第二"), Some(1));
        assert_eq!(excerpt_end(root, "别的开头"), None);
        // An excerpt that is the whole body needs no mark.
        assert_eq!(excerpt_end(root, "第一段第二段第三段"), None);
    }

    #[test]
    fn settings_replace_the_commented_defaults() {
        let home = Home {
            subtitle: "副标题: 含冒号".into(),
            nav: vec![("首页".into(), "/".into())],
            ..Home::default()
        };
        let text = crate::import::site::with_settings(
            &crate::init::site_yaml("标题"),
            &site_settings(&home, "7", 10, Some("avatar.jpg")),
        );
        let config = crate::config::Config::parse(&text).unwrap();
        assert_eq!(config.subtitle, "副标题: 含冒号");
        assert_eq!(config.paginate, 10);
        assert_eq!(config.profile.avatar, "avatar.jpg");
        assert_eq!(config.nav.len(), 1);
        assert_eq!(text.matches("\nprofile:").count(), 1, "{text}");
    }
}
