//! `boke import chinaunix`: a blog of blog.chinaunix.net, from its address or from a folder
//! saved by `wget --mirror`, into a boke site. The markup is described in ARCHITECTURE.md;
//! the parsers here are plain functions over a page's text.

use super::convert::{self, Rewrite};
use super::fetch::{self, Fetched, Fetcher};
use super::images::{self, Names};
use super::{Comment, Post, Progress, Report, Store};
use crate::error::{Diagnostic, Error, Result};
use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone as _};
use scraper::{ElementRef, Html, Node, Selector};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use url::Url;

pub const SOURCE: &str = "chinaunix";
/// The blog's own host: what every address written into the site is made to name, whichever
/// address the pages were fetched from.
pub const HOST: &str = "blog.chinaunix.net";
const IMAGE_HOST: &str = "blogimg.chinaunix.net";
/// Bounds on how far pagers are followed, against a server that never says "last page".
const MAX_LIST_PAGES: usize = 10_000;
const MAX_COMMENT_PAGES: usize = 1_000;

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

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("a valid selector")
}

macro_rules! selector {
    ($name:ident, $css:expr) => {
        static $name: LazyLock<Selector> = LazyLock::new(|| sel($css));
    };
}

selector!(BLOG_TITLE, "div.Blog_header1 p.Blog_p1 a");
selector!(BLOG_SUBTITLE, "div.Blog_header1 p.Blog_p2");
selector!(BLOG_NAV, "div.Blog_header1_3 a");
selector!(PROFILE_ITEMS, "ul.Blog_ul1 li");
selector!(PROFILE_NAME, "div.Blog_left1_1 p a");
selector!(PROFILE_AVATAR, "div.Blog_left1_1 img");
selector!(SIDEBAR_TOTAL, "div.Blog_left2_1 p.Blog_p4");
selector!(SIDEBAR_CATEGORIES, "ul#blogCla > li > a");
selector!(SIDEBAR_YEARS, "#blogdtr p.Blog_p4 a");
selector!(
    LIST_ITEMS,
    "div.Blog_right1 div.Blog_tit4, div.Blog_right1 p.Blog_p10, div.Blog_right1 p.Blog_p7"
);
selector!(PAGER_NEXT, "li.next a");
selector!(ANCHOR, "a[href]");
selector!(POST_TITLE, "div.Blog_tit5 a");
selector!(POST_TIME, "div.Blog_tit5 em");
selector!(POST_CATEGORY, "div.Blog_con3 p span");
selector!(POST_BODY, "div.Blog_wz1");
selector!(
    POST_COUNTS,
    "div.Blog_right1 p.Blog_p7, div.Blog_right1 div.Blog_con3_2"
);
selector!(COMMENT_BLOCK, "div.Blog_comment");
selector!(IMG, "img[src]");
selector!(CODE_LI, "li");
selector!(CODE_OL, "ol");

// ---------------------------------------------------------------------------------------
// The pages, parsed

/// The blog home page: header, sidebar and guestbook.
#[derive(Debug, Clone, Default)]
pub struct Home {
    pub title: String,
    pub subtitle: String,
    pub nav: Vec<(String, String)>,
    pub profile: crate::config::Profile,
    pub avatar: Option<String>,
    /// 博文数量 in the profile, 全部博文（N） in the sidebar.
    pub profile_posts: Option<usize>,
    pub total: Option<usize>,
    /// (name, address of its list, count).
    pub categories: Vec<(String, String, usize)>,
    /// (year, count).
    pub years: Vec<(i32, usize)>,
    pub guestbook: Vec<Comment>,
}

/// One entry of a list page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    pub title: Option<String>,
    pub time: String,
    /// The excerpt's text without its 【阅读全文】 link and trailing dots.
    pub excerpt: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListPage {
    pub entries: Vec<Entry>,
    pub next: Option<String>,
}

/// A post page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PostPage {
    pub id: Option<String>,
    pub title: Option<String>,
    pub time: String,
    pub category: Option<String>,
    pub views: u64,
    pub comments: u64,
    pub shares: u64,
    /// The body's inner HTML as the page has it.
    pub body: String,
    pub comment_list: Vec<Comment>,
    pub comments_next: Option<String>,
}

fn text_of(e: ElementRef<'_>) -> String {
    e.text().collect::<String>()
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The number in `（12）` or `(12)` somewhere in `s` after `after`.
fn count_after(s: &str, after: &str) -> Option<u64> {
    let rest = &s[s.find(after)? + after.len()..];
    let rest = rest.trim_start_matches(['(', '（', ' ']);
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The text right after an element (its following sibling text nodes), where the sidebar puts
/// counts: `<a>linux</a>（38）`.
fn following_text(e: ElementRef<'_>) -> String {
    let mut s = String::new();
    let mut n = e.next_sibling();
    while let Some(node) = n {
        match node.value() {
            Node::Text(t) => s.push_str(t),
            Node::Element(_) => break,
            _ => {}
        }
        n = node.next_sibling();
    }
    s
}

fn bracket_count(s: &str) -> Option<usize> {
    let inner = s.trim().trim_start_matches(['（', '(']);
    let digits: String = inner.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

pub fn parse_home(html: &str) -> Home {
    let doc = Html::parse_document(html);
    let mut home = Home {
        title: doc
            .select(&BLOG_TITLE)
            .next()
            .map(|e| squash(&text_of(e)))
            .unwrap_or_default(),
        subtitle: doc
            .select(&BLOG_SUBTITLE)
            .next()
            .map(|e| squash(&text_of(e)))
            .unwrap_or_default(),
        nav: doc
            .select(&BLOG_NAV)
            .filter_map(|a| Some((squash(&text_of(a)), a.value().attr("href")?.to_string())))
            .collect(),
        avatar: doc
            .select(&PROFILE_AVATAR)
            .next()
            .and_then(|i| i.value().attr("src"))
            .map(str::to_string),
        ..Home::default()
    };
    home.profile.name = doc
        .select(&PROFILE_NAME)
        .next()
        .map(|e| squash(&text_of(e)))
        .unwrap_or_default();
    for li in doc.select(&PROFILE_ITEMS) {
        let t = text_of(li);
        let Some((k, v)) = t.split_once(['：', ':']) else {
            continue;
        };
        let key: String = k.chars().filter(|c| !c.is_whitespace()).collect();
        let v = squash(v);
        let num = || v.parse::<u64>().unwrap_or(0);
        let p = &mut home.profile;
        match key.as_str() {
            "博客访问" => p.visits = num(),
            "博客积分" => p.points = num(),
            "博客等级" => p.level = v.clone(),
            "技术积分" => p.tech_points = num(),
            "用户组" => p.group = v.clone(),
            "注册时间" => p.registered = v.clone(),
            "博文数量" => home.profile_posts = v.parse().ok(),
            _ => {}
        }
    }
    home.total = doc
        .select(&SIDEBAR_TOTAL)
        .map(text_of)
        .find(|t| t.contains("全部博文"))
        .and_then(|t| count_after(&t, "全部博文"))
        .map(|n| n as usize);
    home.categories = doc
        .select(&SIDEBAR_CATEGORIES)
        .filter_map(|a| {
            let count = bracket_count(&following_text(a))?;
            Some((
                squash(&text_of(a)),
                a.value().attr("href")?.to_string(),
                count,
            ))
        })
        .collect();
    home.years = doc
        .select(&SIDEBAR_YEARS)
        .filter_map(|a| {
            let year: i32 = text_of(a).trim().trim_end_matches('年').parse().ok()?;
            Some((year, bracket_count(&following_text(a))?))
        })
        .collect();
    home.guestbook = parse_comments(&doc).0;
    home
}

/// The post id in an address of the form `…-id-{id}.html` or `…showart_{id}.html`.
pub fn post_id(href: &str) -> Option<String> {
    let path = href.split(['?', '#']).next()?;
    let file = path.rsplit('/').next()?;
    let stem = file.strip_suffix(".html")?;
    let id = stem
        .rsplit_once("-id-")
        .map(|(_, id)| id)
        .or_else(|| stem.strip_prefix("showart_"))?;
    (!id.is_empty() && id.chars().all(|c| c.is_ascii_digit())).then(|| id.to_string())
}

fn in_comments(e: ElementRef<'_>) -> bool {
    e.ancestors().any(|a| {
        a.value()
            .as_element()
            .is_some_and(|el| el.has_class("Blog_comment", scraper::CaseSensitivity::CaseSensitive))
    })
}

fn next_link(doc: &Html, comments: bool) -> Option<String> {
    doc.select(&PAGER_NEXT)
        .find(|a| in_comments(*a) == comments)
        .and_then(|a| a.value().attr("href"))
        .map(str::to_string)
}

/// A list page (全部博文, a year, a category): its entries and the next page.
pub fn parse_list(html: &str) -> ListPage {
    let doc = Html::parse_document(html);
    let mut entries: Vec<Entry> = Vec::new();
    // Entries are runs of siblings: a title line, an excerpt, a counts line.
    let mut fresh = true;
    for e in doc.select(&LIST_ITEMS) {
        let is_title = e.value().name() == "div";
        let is_excerpt = e
            .value()
            .has_class("Blog_p10", scraper::CaseSensitivity::CaseSensitive);
        if is_title || (is_excerpt && fresh) {
            entries.push(Entry::default());
            fresh = !is_title;
        }
        let Some(entry) = entries.last_mut() else {
            continue;
        };
        if entry.id.is_empty()
            && let Some(id) = e
                .select(&ANCHOR)
                .find_map(|a| post_id(a.value().attr("href")?))
        {
            entry.id = id;
        }
        if is_title {
            if let Some(a) = e.select(&ANCHOR).next() {
                let t = squash(&text_of(a));
                entry.title = (!t.is_empty()).then_some(t);
            }
            if let Some(em) = e.select(&sel("em")).next() {
                entry.time = squash(&text_of(em));
            }
        } else if is_excerpt {
            let mut t = String::new();
            for node in e.descendants() {
                if let Node::Text(x) = node.value()
                    && !node
                        .ancestors()
                        .any(|a| a.value().as_element().is_some_and(|el| el.name() == "a"))
                {
                    t.push_str(x);
                }
            }
            entry.excerpt = t
                .trim()
                .trim_end_matches('【')
                .trim_end_matches(['.', '…', ' '])
                .to_string();
            fresh = true;
        } else {
            fresh = true;
        }
    }
    entries.retain(|e| !e.id.is_empty());
    ListPage {
        entries,
        next: next_link(&doc, false),
    }
}

/// A post page: its meta data, body, counts and (first page of) comments.
pub fn parse_post(html: &str) -> Option<PostPage> {
    let doc = Html::parse_document(html);
    let body = doc.select(&POST_BODY).next()?;
    let title_link = doc.select(&POST_TITLE).next();
    let mut page = PostPage {
        id: title_link
            .and_then(|a| a.value().attr("href"))
            .and_then(post_id),
        title: title_link
            .map(|a| squash(&text_of(a)))
            .filter(|t| !t.is_empty()),
        time: doc
            .select(&POST_TIME)
            .next()
            .map(|e| squash(&text_of(e)))
            .unwrap_or_default(),
        category: doc
            .select(&POST_CATEGORY)
            .next()
            .map(|e| squash(&text_of(e)))
            .filter(|t| !t.is_empty()),
        body: body.inner_html(),
        ..PostPage::default()
    };
    if let Some(counts) = doc
        .select(&POST_COUNTS)
        .map(text_of)
        .find(|t| t.contains("阅读("))
    {
        page.views = count_after(&counts, "阅读").unwrap_or(0);
        page.comments = count_after(&counts, "评论").unwrap_or(0);
        page.shares = count_after(&counts, "转发").unwrap_or(0);
    }
    let (comments, next) = parse_comments(&doc);
    page.comment_list = comments;
    page.comments_next = next;
    Some(page)
}

fn has_class(e: ElementRef<'_>, class: &str) -> bool {
    e.value()
        .has_class(class, scraper::CaseSensitivity::CaseSensitive)
}

/// The elements below `e` with `class`, not looking inside those found.
fn outermost<'a>(e: ElementRef<'a>, class: &str) -> Vec<ElementRef<'a>> {
    let mut found = Vec::new();
    for child in e.children().filter_map(ElementRef::wrap) {
        if has_class(child, class) {
            found.push(child);
        } else {
            found.extend(outermost(child, class));
        }
    }
    found
}

/// The first element below `e` with `class`, not looking inside replies.
fn first_own<'a>(e: ElementRef<'a>, class: &str) -> Option<ElementRef<'a>> {
    for child in e.children().filter_map(ElementRef::wrap) {
        if has_class(child, class) {
            return Some(child);
        }
        if has_class(child, "Blog_reply") {
            continue;
        }
        if let Some(f) = first_own(child, class) {
            return Some(f);
        }
    }
    None
}

/// Text with line breaks where the page breaks lines (`<br>`, `<p>`, `<div>`).
fn text_with_breaks(e: ElementRef<'_>) -> String {
    fn walk(node: ego_tree::NodeRef<'_, Node>, out: &mut String) {
        for child in node.children() {
            match child.value() {
                Node::Text(t) => out.push_str(&t.replace(['\n', '\r'], "")),
                Node::Element(el) => match el.name() {
                    "br" => out.push('\n'),
                    "p" | "div" | "li" => {
                        if !out.is_empty() && !out.ends_with('\n') {
                            out.push('\n');
                        }
                        walk(child, out);
                        if !out.ends_with('\n') {
                            out.push('\n');
                        }
                    }
                    "script" | "style" => {}
                    _ => walk(child, out),
                },
                _ => {}
            }
        }
    }
    let mut out = String::new();
    walk(*e, &mut out);
    out.lines()
        .map(|l| l.trim_matches([' ', '\u{a0}', '\u{3000}', '\t']))
        .collect::<Vec<_>>()
        .join("\n")
        .trim_matches('\n')
        .to_string()
}

fn parse_comment(c: ElementRef<'_>) -> Comment {
    let head = first_own(c, "Blog_p11");
    let author_link = head.and_then(|h| h.select(&ANCHOR).next());
    let author = author_link
        .map(|a| squash(&text_of(a)))
        .or_else(|| head.map(|h| squash(&text_of(h))))
        .unwrap_or_default();
    let url = author_link
        .and_then(|a| a.value().attr("href"))
        .and_then(|h| Url::parse(&format!("http://{HOST}/")).ok()?.join(h).ok())
        // Relative to the blog's real host, so a fetch from elsewhere writes the same address.
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .map(|u| u.to_string());
    let date = head
        .and_then(|h| h.select(&sel("span")).next())
        .map(|s| squash(&text_of(s)))
        .unwrap_or_default();
    let text = first_own(c, "Blog_p12")
        .map(text_with_breaks)
        .unwrap_or_default();
    let replies = first_own(c, "Blog_reply")
        .map(|r| {
            outermost(r, "Blog_comm1")
                .into_iter()
                .map(parse_comment)
                .collect()
        })
        .unwrap_or_default();
    Comment {
        author,
        url,
        date,
        text,
        replies,
    }
}

/// The comments (or guestbook messages) shown on a page, and the address of their next page.
pub fn parse_comments(doc: &Html) -> (Vec<Comment>, Option<String>) {
    let Some(block) = doc.select(&COMMENT_BLOCK).next() else {
        return (Vec::new(), None);
    };
    let list = outermost(block, "Blog_comm1")
        .into_iter()
        .map(parse_comment)
        .collect();
    (list, next_link(doc, true))
}

// ---------------------------------------------------------------------------------------
// Addresses

/// Where the blog is read from, and its owner's uid.
struct Blog {
    /// The address pages are fetched from (`http://127.0.0.1:PORT/` in a test).
    origin: Url,
    uid: String,
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

/// Read SOURCE: an address, or a saved folder. Returns the blog, the fetcher, and the saved
/// folder if it is one.
fn open_source(opts: &Options) -> Result<(Blog, Fetcher, Option<PathBuf>)> {
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
        return Ok((Blog { origin, uid }, fetcher, None));
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
    let fetcher = Fetcher::dir(opts.fetch.clone(), dir.clone(), host);
    Ok((Blog { origin, uid }, fetcher, Some(dir)))
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
// Converting a body

/// How a body's links and images change: the blog's posts become `@/posts/…` links, its
/// other pages site paths, its images the downloaded copies.
struct BodyRewrite<'a> {
    blog: &'a Blog,
    page: &'a Url,
    stems: &'a HashMap<String, String>,
    /// Canonical image address → path relative to the post file.
    images: &'a HashMap<String, String>,
    /// (post id, old path) seen in links.
    aliases: RefCell<Vec<(String, String)>>,
    more_after: Option<usize>,
}

/// Put in the cleaned HTML where the excerpt ends, replaced in the Markdown.
const MORE_MARK: &str = "BOKEMOREMARKERQZX";

fn code_language(class: &str) -> Option<&'static str> {
    Some(match class.strip_prefix("dp-")? {
        "c" => "c",
        "cpp" => "cpp",
        "sh" | "bash" | "shell" => "bash",
        "py" | "python" => "python",
        "xml" | "html" => "xml",
        "sql" => "sql",
        "j" | "java" => "java",
        "js" => "javascript",
        "php" => "php",
        "pl" | "perl" => "perl",
        "diff" => "diff",
        "rb" | "ruby" => "ruby",
        // `dp-css` is the widget's default, used for code of every kind: it names nothing.
        _ => return None,
    })
}

impl Rewrite for BodyRewrite<'_> {
    fn replace(&self, el: ElementRef<'_>) -> Option<String> {
        if has_class(el, "codeText") {
            let ol = el.select(&CODE_OL).next();
            let lang = ol.and_then(|o| o.value().classes().find_map(code_language));
            let lines: Vec<String> = match ol {
                Some(ol) => ol
                    .select(&CODE_LI)
                    .map(|li| text_of(li).replace('\u{a0}', " ").trim_end().to_string())
                    .collect(),
                None => text_of(el).lines().map(str::to_string).collect(),
            };
            return Some(convert::code_block(&lines, lang));
        }
        None
    }

    fn link(&self, href: &str) -> String {
        let Ok(u) = self.page.join(href.trim()) else {
            return href.to_string();
        };
        if !self.blog.is_own(&u) {
            return href.to_string();
        }
        if let Some((id, old)) = self.blog.post_of(&u)
            && let Some(stem) = self.stems.get(&id)
        {
            if let Some(old) = old {
                self.aliases.borrow_mut().push((id, old));
            }
            let frag = u.fragment().map(|f| format!("#{f}")).unwrap_or_default();
            return format!("@/posts/{stem}.md{frag}");
        }
        if is_redirected(&self.blog.uid, u.path()) && u.query().is_none() {
            return u.path().to_string();
        }
        canonical(&u).to_string()
    }

    fn image(&self, src: &str) -> String {
        match self.page.join(src.trim()) {
            Ok(u) if self.blog.is_own(&u) || u.host_str() == Some(IMAGE_HOST) => {
                let c = canonical(&u).to_string();
                self.images.get(&c).cloned().unwrap_or(c)
            }
            _ => src.to_string(),
        }
    }
}

/// Whether an old path of the blog gets a redirect page ([`redirects`]).
fn is_redirected(uid: &str, path: &str) -> bool {
    let Some(rest) = path.strip_prefix(&format!("/uid/{uid}")) else {
        return false;
    };
    rest == ".html"
        || (rest.starts_with("/list/") && rest.ends_with(".html"))
        || (rest.starts_with("/cid-") && rest.ends_with(".html"))
        || (rest.starts_with("/year-") && rest.ends_with(".html"))
}

/// Text with every space removed, to compare an excerpt with a body.
fn plain(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// After which top-level node of the body the list page's excerpt ends, if the body starts
/// with it and goes on after it.
fn excerpt_end(body: ElementRef<'_>, excerpt: &str) -> Option<usize> {
    let want = plain(excerpt);
    if want.is_empty() {
        return None;
    }
    let mut have = String::new();
    let children: Vec<_> = body.children().collect();
    for (i, child) in children.iter().enumerate() {
        let t = match child.value() {
            Node::Text(t) => t.to_string(),
            Node::Element(_) => ElementRef::wrap(*child).map(text_of).unwrap_or_default(),
            _ => String::new(),
        };
        have.push_str(&plain(&t));
        if have.len() >= want.len() {
            let rest_has_text = children[i + 1..].iter().any(|c| match c.value() {
                Node::Text(t) => !t.trim().is_empty(),
                Node::Element(_) => ElementRef::wrap(*c).is_some_and(|e| {
                    !text_of(e).trim().is_empty() || e.select(&IMG).next().is_some()
                }),
                _ => false,
            });
            return (have.starts_with(&want) && rest_has_text).then_some(i);
        }
        if !want.starts_with(&have) {
            return None;
        }
    }
    None
}

/// The body of a post as Markdown.
fn body_markdown(rw: &BodyRewrite<'_>, body_html: &str) -> String {
    let frag = Html::parse_fragment(body_html);
    let root = frag.root_element();
    let mut html = String::new();
    // One child at a time, so the excerpt mark can go between two of them.
    for (i, child) in root.children().enumerate() {
        convert::write_node(child, rw, &mut html);
        if rw.more_after == Some(i) {
            html.push_str(&format!("<p>{MORE_MARK}</p>"));
        }
    }
    convert::to_markdown(&html)
        .lines()
        .map(|l| {
            if l.trim() == MORE_MARK {
                "<!-- more -->"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

// ---------------------------------------------------------------------------------------
// The run

/// The site settings an import of `home` implies, as site.yaml lines.
fn site_settings(home: &Home, uid: &str, paginate: usize, avatar: Option<&str>) -> String {
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
fn site_nav(blog: &Blog, home: &Home) -> Vec<(String, String)> {
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
fn redirects(
    uid: &str,
    home: &Home,
    list_pages: usize,
    per_page: usize,
    posts: &[Post],
) -> BTreeMap<String, String> {
    let mut r = BTreeMap::new();
    let page_path = |base: &str, n: usize| {
        if n <= 1 {
            base.to_string()
        } else {
            format!("{base}page/{n}/")
        }
    };
    r.insert(format!("/uid/{uid}.html"), "/".to_string());
    for n in 1..=list_pages.max(1) {
        r.insert(format!("/uid/{uid}/list/{n}.html"), page_path("/", n));
    }
    let pages_for = |count: usize| count.div_ceil(per_page.max(1)).max(1);
    for (name, href, count) in &home.categories {
        let Some(file) = href.rsplit('/').next() else {
            continue;
        };
        let Some(cid) = file
            .strip_prefix("cid-")
            .and_then(|f| f.split("-list-").next())
        else {
            continue;
        };
        // Only a category that some imported post has gets a page to redirect to.
        if !posts
            .iter()
            .any(|p| p.category.as_deref() == Some(name.as_str()))
        {
            continue;
        }
        let base = format!(
            "/categories/{}/",
            crate::slug::Slug::sanitize(name).as_str()
        );
        for n in 1..=pages_for(*count) {
            r.insert(
                format!("/uid/{uid}/cid-{cid}-list-{n}.html"),
                page_path(&base, n),
            );
        }
    }
    let mut years: BTreeMap<i32, usize> = BTreeMap::new();
    let mut months: BTreeSet<(i32, u32)> = BTreeSet::new();
    for p in posts {
        *years.entry(chrono::Datelike::year(&p.date)).or_default() += 1;
        months.insert((
            chrono::Datelike::year(&p.date),
            chrono::Datelike::month(&p.date),
        ));
    }
    for (y, count) in &years {
        let base = format!("/archives/{y}/");
        for n in 1..=pages_for(*count) {
            r.insert(
                format!("/uid/{uid}/year-{y}-list-{n}.html"),
                page_path(&base, n),
            );
        }
    }
    for (y, m) in months {
        r.insert(
            format!("/uid/{uid}/year-{y}{m:02}-list-1.html"),
            format!("/archives/{y}/"),
        );
    }
    r
}

#[derive(Serialize)]
struct GuestMessage<'a> {
    author: &'a str,
    time: &'a str,
    text: &'a str,
}

use serde::Serialize;

/// Import the blog. Writes nothing unless its home page could be read.
pub fn import(opts: &Options) -> Result<Report> {
    let progress = Progress::new(opts.terminal);
    let (blog, fetcher, _saved) = open_source(opts)?;
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

    progress.stage("list pages", 0);
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
    progress.stage("posts", entries.len());
    let pages = super::parallel_map(&entries, fetcher.jobs(), |e| {
        let r = fetch_post(&blog, &fetcher, &e.id);
        progress.step();
        r
    });
    let mut parsed: Vec<(Entry, PostPage, DateTime<FixedOffset>)> = Vec::new();
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

    // The images, named within each post's folder.
    let mut wanted: Vec<(usize, Url, String)> = Vec::new();
    if opts.images {
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
    }
    progress.stage("images", wanted.len());
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

    // Bodies to Markdown.
    let mut aliases: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut posts: Vec<Post> = Vec::with_capacity(parsed.len());
    for (i, (entry, page, date)) in parsed.into_iter().enumerate() {
        let page_url = blog.post(&entry.id);
        let frag = Html::parse_fragment(&page.body);
        let more_after = excerpt_end(frag.root_element(), &entry.excerpt);
        let rw = BodyRewrite {
            blog: &blog,
            page: &page_url,
            stems: &stems,
            images: &image_maps[i],
            aliases: RefCell::new(Vec::new()),
            more_after,
        };
        let body = body_markdown(&rw, &page.body);
        for (id, old) in rw.aliases.into_inner() {
            aliases.entry(id).or_default().insert(old);
        }
        posts.push(Post {
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
            assets: std::mem::take(&mut assets[i]),
        });
    }
    for p in &mut posts {
        if let Some(a) = p.id.as_ref().and_then(|id| aliases.get(id)) {
            p.aliases = a.iter().cloned().collect();
        }
    }
    posts.sort_by(|a, b| a.stem.cmp(&b.stem));

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
    progress.stage("writing posts", posts.len());
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

/// List pages may repeat a post (a pinned post, a page that shifted while it was read).
fn dedup_entries(entries: &mut Vec<Entry>) {
    let mut seen = BTreeSet::new();
    entries.retain(|e| seen.insert(e.id.clone()));
}

/// The sidebar's 全部博文（N） and 文章存档 counts against the posts the list pages show. When
/// they differ, the year pages are read for the posts the list missed.
fn cross_check(
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
    let total_ok = home.total.is_none_or(|t| t == entries.len());
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
        home.total.map_or("?".to_string(), |t| t.to_string()),
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
fn check_categories(home: &Home, posts: &[Post], report: &mut Report) {
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

/// A new site is made as `boke init` makes one, with the blog's settings in its site.yaml; an
/// existing site.yaml is left as it is and the settings are printed instead.
pub(crate) fn prepare_site(
    root: &Path,
    title: &str,
    settings: &str,
    report: &mut Report,
) -> Result<()> {
    let yaml = crate::layout::SiteDir::new(root).config_file();
    let title = if title.trim().is_empty() {
        crate::init::DEFAULT_TITLE
    } else {
        title.trim()
    };
    if yaml.exists() {
        report.notes.push(format!(
            "{} was kept as it is; to show the blog as it was, set there:\ntitle: {}\n{settings}",
            yaml.display(),
            crate::frontmatter::write::yaml_quote(title)
        ));
        return Ok(());
    }
    let text = with_settings(&crate::init::site_yaml(title), settings);
    std::fs::create_dir_all(root).map_err(|e| Error::io("create", root, e))?;
    crate::newfile::create(&yaml, text.as_bytes())?;
    crate::init::init(&crate::init::Options {
        dir: root.to_path_buf(),
        title: Some(title.to_string()),
        force: true,
        no_welcome: true,
    })?;
    Ok(())
}

/// `init`'s commented site.yaml with the settings in place of their commented defaults.
fn with_settings(template: &str, settings: &str) -> String {
    // The settings are top-level keys each followed by its indented lines.
    let mut blocks: Vec<(String, String)> = Vec::new();
    for line in settings.lines() {
        if !line.starts_with(' ') {
            let key = line.split(':').next().unwrap_or("").to_string();
            blocks.push((key, String::new()));
        }
        if let Some(b) = blocks.last_mut() {
            b.1.push_str(line);
            b.1.push('\n');
        }
    }
    let mut out = String::new();
    let mut lines = template.lines().peekable();
    let mut placed = BTreeSet::new();
    while let Some(line) = lines.next() {
        let key = line
            .strip_prefix('#')
            .and_then(|l| l.split(':').next())
            .filter(|k| !k.is_empty() && !k.starts_with(' '));
        if let Some((k, block)) = key.and_then(|k| blocks.iter().find(|(b, _)| b == k)) {
            out.push_str(block);
            placed.insert(k.clone());
            // Drop the commented default's own indented lines.
            while lines.peek().is_some_and(|l| l.starts_with("#  ")) {
                lines.next();
            }
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    for (k, block) in &blocks {
        if !placed.contains(k) {
            out.push_str(block);
        }
    }
    out
}
