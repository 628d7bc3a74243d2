//! The pages of a Chinaunix blog, parsed: plain functions over a page's text, and the
//! selectors that are the markup they read.

use crate::import::Comment;
use scraper::{ElementRef, Html, Node, Selector};
use std::sync::LazyLock;
use url::Url;

use super::*;

pub(super) fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("a valid selector")
}

macro_rules! selector {
    ($name:ident, $css:expr) => {
        pub(super) static $name: LazyLock<Selector> = LazyLock::new(|| sel($css));
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

pub(super) fn text_of(e: ElementRef<'_>) -> String {
    e.text().collect::<String>()
}

pub(super) fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The number in `（12）` or `(12)` somewhere in `s` after `after`.
pub(super) fn count_after(s: &str, after: &str) -> Option<u64> {
    let rest = &s[s.find(after)? + after.len()..];
    let rest = rest.trim_start_matches(['(', '（', ' ']);
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The text right after an element (its following sibling text nodes), where the sidebar puts
/// counts: `<a>linux</a>（38）`.
pub(super) fn following_text(e: ElementRef<'_>) -> String {
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

pub(super) fn bracket_count(s: &str) -> Option<usize> {
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

pub(super) fn in_comments(e: ElementRef<'_>) -> bool {
    e.ancestors().any(|a| {
        a.value()
            .as_element()
            .is_some_and(|el| el.has_class("Blog_comment", scraper::CaseSensitivity::CaseSensitive))
    })
}

pub(super) fn next_link(doc: &Html, comments: bool) -> Option<String> {
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

pub(super) fn has_class(e: ElementRef<'_>, class: &str) -> bool {
    e.value()
        .has_class(class, scraper::CaseSensitivity::CaseSensitive)
}

/// The elements below `e` with `class`, not looking inside those found.
pub(super) fn outermost<'a>(e: ElementRef<'a>, class: &str) -> Vec<ElementRef<'a>> {
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
pub(super) fn first_own<'a>(e: ElementRef<'a>, class: &str) -> Option<ElementRef<'a>> {
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
pub(super) fn text_with_breaks(e: ElementRef<'_>) -> String {
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

pub(super) fn parse_comment(c: ElementRef<'_>) -> Comment {
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
