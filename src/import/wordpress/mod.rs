//! `boke import wordpress EXPORT.xml`, the pure part: an export's items (read by [`wxr`]) as
//! boke posts and pages, with their categories, tags, dates, old addresses and approved
//! comment threads.

pub mod import;
pub mod markup;
pub mod wxr;

use super::Comment;
use crate::slug::Slug;
use chrono::{DateTime, FixedOffset};
use percent_encoding::percent_decode_str;
use std::collections::BTreeMap;
use wxr::{Channel, Item, RawComment};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Post,
    Page,
}

/// A post or page as boke will write it (the body still HTML).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub kind: Kind,
    pub id: u64,
    pub title: String,
    pub slug: Slug,
    pub date: Option<DateTime<FixedOffset>>,
    /// The date came from the local time alone (no GMT time), read in the zone given.
    pub floating: bool,
    pub draft: bool,
    /// The leaf category's name; its parents, top first, in `category_parents`.
    pub category: Option<String>,
    pub category_parents: Vec<String>,
    /// Categories beyond the first leaf (boke shows one per post).
    pub other_categories: Vec<String>,
    pub tags: Vec<String>,
    pub author: Option<String>,
    /// The site path the post had (`/2014/11/内存/`), when its `<link>` was a path.
    pub old_path: Option<String>,
    pub excerpt: Option<String>,
    pub content: String,
    pub comments: Vec<Comment>,
    /// What was changed or left out, for the report.
    pub notes: Vec<String>,
}

/// Turn an item into a post or page; `None` for what is neither (attachments, menu entries,
/// revisions, trashed posts) or has no date at all.
pub fn entry(item: &Item, channel: &Channel, tz: FixedOffset) -> Option<Entry> {
    let kind = match item.post_type.as_str() {
        "post" => Kind::Post,
        "page" => Kind::Page,
        _ => return None,
    };
    let draft = match item.status.as_str() {
        "publish" | "inherit" => false,
        "trash" | "auto-draft" => return None,
        // draft, pending, private, future: not for the public site yet.
        _ => true,
    };
    let mut notes = Vec::new();
    let date = wxr::date(&item.date, &item.date_gmt, tz);
    if date.is_none() {
        notes.push(format!(
            "post {} has no date (`{}`); it was given none",
            item.id, item.date
        ));
    }
    if !item.password.is_empty() {
        notes.push(format!(
            "post {} was password-protected; it is imported as a draft",
            item.id
        ));
    }
    let (category, category_parents, other_categories) = categories(item, channel);
    let tags = item
        .terms
        .iter()
        .filter(|(domain, _, _)| domain == "post_tag")
        .map(|(_, _, name)| name.clone())
        .collect();
    let title = html_to_text(&item.title);
    let slug = slug_of(item, &title);
    Some(Entry {
        kind,
        id: item.id,
        slug,
        date,
        floating: wxr::date("", &item.date_gmt, tz).is_none(),
        draft: draft || !item.password.is_empty(),
        category,
        category_parents,
        other_categories,
        tags,
        author: channel
            .authors
            .get(&item.creator)
            .filter(|n| !n.is_empty())
            .cloned()
            .or_else(|| (!item.creator.is_empty()).then(|| item.creator.clone())),
        old_path: old_path(&item.link, &channel.base_blog_url),
        excerpt: Some(item.excerpt.trim().to_string()).filter(|e| !e.is_empty()),
        content: item.content.clone(),
        comments: comments(&item.comments, tz),
        notes,
        title,
    })
}

/// `wp:post_name` percent-decoded (`%e5%86%85%e5%ad%98` → `内存`), else one made from the
/// title, else `post-ID`.
fn slug_of(item: &Item, title: &str) -> Slug {
    let decoded = percent_decode_str(&item.name).decode_utf8_lossy();
    if let Ok(s) = Slug::parse(&decoded) {
        return s;
    }
    if !decoded.trim().is_empty() {
        return Slug::sanitize(&decoded);
    }
    crate::newpost::make_slug(title, crate::config::SlugStyle::default())
        .unwrap_or_else(|| Slug::sanitize(&format!("post-{}", item.id)))
}

/// The leaf among the item's categories, its parents by the channel's table, and the rest.
fn categories(item: &Item, channel: &Channel) -> (Option<String>, Vec<String>, Vec<String>) {
    let slugs: Vec<(&str, &str)> = item
        .terms
        .iter()
        .filter(|(domain, _, _)| domain == "category")
        .map(|(_, slug, name)| (slug.as_str(), name.as_str()))
        .collect();
    let parents_of = |slug: &str| {
        let mut chain = Vec::new();
        let mut at = channel.categories.get(slug);
        // Bounded: a table whose parents loop must not hang the import.
        while let Some(t) = at.filter(|t| !t.parent.is_empty() && chain.len() < 32) {
            chain.push(t.parent.clone());
            at = channel.categories.get(&t.parent);
        }
        chain
    };
    let ancestors: Vec<String> = slugs.iter().flat_map(|(s, _)| parents_of(s)).collect();
    let leaves: Vec<&(&str, &str)> = slugs
        .iter()
        .filter(|(s, _)| !ancestors.iter().any(|a| a == s))
        .collect();
    let Some((leaf, name)) = leaves.first() else {
        return (None, Vec::new(), Vec::new());
    };
    let name_of = |slug: &str| {
        channel
            .categories
            .get(slug)
            .map_or(slug.to_string(), |t| t.name.clone())
    };
    let mut parents: Vec<String> = parents_of(leaf).iter().map(|s| name_of(s)).collect();
    parents.reverse();
    let others = leaves[1..].iter().map(|(_, n)| n.to_string()).collect();
    (Some(name.to_string()), parents, others)
}

/// The path of a post's old `<link>` under the blog's address, decoded; `None` for `?p=ID`
/// links (what drafts have) and links elsewhere.
fn old_path(link: &str, base: &str) -> Option<String> {
    let strip_origin = |u: &str| -> Option<String> {
        let rest = u.split_once("://").map_or(u, |(_, r)| r);
        Some(format!("/{}", rest.split_once('/').map_or("", |(_, p)| p)))
    };
    let path = strip_origin(link.trim())?;
    let base_path = strip_origin(base.trim()).unwrap_or_else(|| "/".into());
    let under = path
        .strip_prefix(base_path.trim_end_matches('/'))
        .filter(|p| p.starts_with('/'))?;
    let under = under.split(['?', '#']).next().unwrap_or("");
    if under == "/" || under.is_empty() {
        return None;
    }
    let mut path = percent_decode_str(under).decode_utf8_lossy().into_owned();
    while path.contains("//") {
        path = path.replace("//", "/");
    }
    Some(path)
}

/// Approved comments (not pingbacks, trackbacks, spam or trash), as threads, oldest first.
/// A reply whose parent was left out is shown at the top level rather than lost.
pub fn comments(raw: &[RawComment], tz: FixedOffset) -> Vec<Comment> {
    let kept: Vec<&RawComment> = raw
        .iter()
        .filter(|c| c.approved == "1" && matches!(c.kind.as_str(), "" | "comment"))
        .collect();
    let ids: std::collections::BTreeSet<u64> = kept.iter().map(|c| c.id).collect();
    let mut children: BTreeMap<u64, Vec<&RawComment>> = BTreeMap::new();
    for c in &kept {
        let parent = if c.parent != 0 && ids.contains(&c.parent) && c.parent != c.id {
            c.parent
        } else {
            0
        };
        children.entry(parent).or_default().push(c);
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| (&a.date, a.id).cmp(&(&b.date, b.id)));
    }
    fn build(
        parent: u64,
        children: &BTreeMap<u64, Vec<&RawComment>>,
        tz: FixedOffset,
        depth: usize,
    ) -> Vec<Comment> {
        let Some(list) = children.get(&parent) else {
            return Vec::new();
        };
        list.iter()
            .map(|c| Comment {
                author: c.author.clone(),
                url: Some(c.author_url.clone()).filter(|u| !u.is_empty()),
                date: wxr::date(&c.date, &c.date_gmt, tz)
                    .map(|d| d.format("%Y-%m-%d %H:%M:%S%:z").to_string())
                    .unwrap_or_else(|| c.date.clone()),
                text: html_to_text(&c.content),
                // Bounded so that a cycle (a comment that is its own ancestor) ends.
                replies: if depth < 64 {
                    build(c.id, children, tz, depth + 1)
                } else {
                    Vec::new()
                },
            })
            .collect()
    }
    build(0, &children, tz, 0)
}

/// A comment's text or a title (WordPress keeps both as HTML) as plain text: tags dropped,
/// entities read, `<br>` and paragraphs as newlines. The site shows it escaped; here it must
/// only not lose words.
pub fn html_to_text(html: &str) -> String {
    use scraper::Node;
    use scraper::node::Element;
    let doc = scraper::Html::parse_fragment(html);
    let mut out = String::new();
    let block = |e: &Element| matches!(e.name(), "p" | "div" | "blockquote" | "li" | "pre");
    for edge in doc.root_element().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(n) => match n.value() {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) if e.name() == "br" => out.push('\n'),
                _ => {}
            },
            ego_tree::iter::Edge::Close(n) => {
                if let Node::Element(e) = n.value()
                    && block(e)
                {
                    out.push_str("\n\n");
                }
            }
        }
    }
    let mut text = out.replace("\r\n", "\n");
    while text.contains("\n\n\n") {
        text = text.replace("\n\n\n", "\n\n");
    }
    text.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::wxr::WxrReader;
    use super::*;

    fn tz() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).unwrap()
    }

    fn entries() -> Vec<Entry> {
        let mut r = WxrReader::new(wxr::tests::WXR.as_bytes());
        let mut out = Vec::new();
        while let Some(i) = r.next_item().unwrap() {
            if let Some(e) = entry(&i, r.channel(), tz()) {
                out.push(e);
            }
        }
        out
    }

    #[test]
    fn posts_keep_their_slug_categories_and_address() {
        let e = entries();
        assert_eq!(e.len(), 2);
        let p = &e[0];
        assert_eq!(p.slug.as_str(), "内存");
        assert_eq!(p.category.as_deref(), Some("内核"));
        assert_eq!(p.category_parents, vec!["技术".to_string()]);
        assert!(p.other_categories.is_empty());
        assert_eq!(p.tags, vec!["内存".to_string()]);
        assert_eq!(p.author.as_deref(), Some("老李"));
        assert_eq!(p.old_path.as_deref(), Some("/2014/11/内存/"));
        assert!(!p.draft);
        assert_eq!(p.date.unwrap().to_rfc3339(), "2014-11-19T18:00:00+08:00");
        assert_eq!(p.comments.len(), 1);
        assert_eq!(p.comments[0].text, "写得好 alert(1)");
    }

    #[test]
    fn drafts_get_a_slug_from_their_title_and_no_old_path() {
        let d = &entries()[1];
        assert!(d.draft);
        assert_eq!(d.slug.as_str(), "cao-gao");
        assert_eq!(d.old_path, None);
        assert_eq!(d.date.unwrap().to_rfc3339(), "2015-01-02T03:04:05+08:00");
    }

    fn raw(id: u64, parent: u64, date: &str, approved: &str, kind: &str) -> RawComment {
        RawComment {
            id,
            parent,
            author: format!("u{id}"),
            date: date.into(),
            content: format!("c{id}"),
            approved: approved.into(),
            kind: kind.into(),
            ..RawComment::default()
        }
    }

    #[test]
    fn threads_keep_approved_comments_only() {
        let list = vec![
            raw(3, 1, "2014-01-03 00:00:00", "1", "comment"),
            raw(1, 0, "2014-01-01 00:00:00", "1", ""),
            raw(2, 0, "2014-01-02 00:00:00", "spam", "comment"),
            raw(4, 2, "2014-01-04 00:00:00", "1", "comment"),
            raw(5, 0, "2014-01-05 00:00:00", "1", "pingback"),
            raw(6, 3, "2014-01-06 00:00:00", "1", "comment"),
            raw(7, 0, "2014-01-07 00:00:00", "0", "comment"),
            raw(8, 8, "2014-01-08 00:00:00", "1", "comment"),
        ];
        let t = comments(&list, tz());
        let authors: Vec<&str> = t.iter().map(|c| c.author.as_str()).collect();
        // 4's parent was spam: it moves up; 8 is its own parent: top level too.
        assert_eq!(authors, vec!["u1", "u4", "u8"]);
        assert_eq!(t[0].replies.len(), 1);
        assert_eq!(t[0].replies[0].author, "u3");
        assert_eq!(t[0].replies[0].replies[0].author, "u6");
        assert_eq!(t[0].date, "2014-01-01 00:00:00+08:00");
        // What the comments file's reader takes as a date.
        assert!(crate::datetime::parse(&t[0].date, tz()).is_ok());
    }

    #[test]
    fn comment_html_becomes_text() {
        assert_eq!(
            html_to_text("<p>一 &amp; 二<br>三</p><p><a href=\"x\">链接</a> &lt;b&gt;</p>"),
            "一 & 二\n三\n\n链接 <b>"
        );
        assert_eq!(html_to_text("plain\nlines"), "plain\nlines");
    }

    #[test]
    fn old_paths_are_under_the_blog() {
        let b = "http://x.org/blog";
        assert_eq!(
            old_path("http://x.org/blog/2014/a/", b).as_deref(),
            Some("/2014/a/")
        );
        assert_eq!(old_path("http://x.org/blog/?p=3", b), None);
        assert_eq!(old_path("http://x.org/other/a/", b), None);
        assert_eq!(
            old_path("https://x.org/a.html", "https://x.org").as_deref(),
            Some("/a.html")
        );
    }
}
