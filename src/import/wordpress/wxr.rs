//! WordPress's export (WXR 1.0–1.2, an RSS 2.0 file with `wp:` elements), read as a stream:
//! [`WxrReader::next_item`] hands out one `<item>` at a time, so a large export is never
//! held whole. The channel's parts (site title, categories with their parents) come before
//! the items in every export WordPress writes, and are kept in [`Channel`] as they pass.
//! Elements are matched by their prefixed names (`wp:post_name`): the namespace URIs
//! changed between WXR versions, the prefixes did not.

use crate::import::xml_text::{Step, XmlStream};
use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use quick_xml::events::BytesStart;
use std::collections::BTreeMap;
use std::io::BufRead;

pub use crate::import::xml_text::XmlError as WxrError;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Term {
    pub slug: String,
    pub name: String,
    /// The parent category's slug, empty at the top.
    pub parent: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Channel {
    pub title: String,
    pub link: String,
    pub description: String,
    pub language: String,
    pub wxr_version: String,
    pub base_blog_url: String,
    /// Categories by slug.
    pub categories: BTreeMap<String, Term>,
    /// Author logins → display names.
    pub authors: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawComment {
    pub id: u64,
    pub parent: u64,
    pub author: String,
    pub author_url: String,
    pub date: String,
    pub date_gmt: String,
    pub content: String,
    pub approved: String,
    pub kind: String,
}

/// One `<item>` as written: a post, a page, an attachment, a menu entry …
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Item {
    pub title: String,
    pub link: String,
    pub creator: String,
    pub content: String,
    pub excerpt: String,
    pub id: u64,
    pub parent: u64,
    pub date: String,
    pub date_gmt: String,
    pub name: String,
    pub status: String,
    pub post_type: String,
    pub password: String,
    pub attachment_url: String,
    /// (domain, slug, name): `category` or `post_tag`.
    pub terms: Vec<(String, String, String)>,
    pub meta: Vec<(String, String)>,
    pub comments: Vec<RawComment>,
}

pub struct WxrReader<R: BufRead> {
    xml: XmlStream<R>,
    channel: Channel,
    done: bool,
}

impl<R: BufRead> WxrReader<R> {
    pub fn new(input: R) -> Self {
        WxrReader {
            xml: XmlStream::new(input),
            channel: Channel::default(),
            done: false,
        }
    }

    /// What the channel said so far (all of it, once the first item has been read).
    pub fn channel(&self) -> &Channel {
        &self.channel
    }

    /// The next item, or `None` at the end of the export.
    pub fn next_item(&mut self) -> Result<Option<Item>, WxrError> {
        let mut item: Option<Item> = None;
        let mut comment: Option<RawComment> = None;
        let mut term = Term::default();
        let mut meta = (String::new(), String::new());
        let mut author = (String::new(), String::new());
        let mut pending_term: Option<(String, String)> = None;
        while !self.done {
            match self.xml.step()? {
                Step::Open { name, start } => {
                    if self.xml.depth() == 1 && name != "rss" {
                        return Err(self.xml.error(format!(
                            "the file starts with <{name}>, not <rss>: it is not a WordPress export"
                        )));
                    }
                    match name.as_str() {
                        "item" => item = Some(Item::default()),
                        "wp:comment" => comment = Some(RawComment::default()),
                        "wp:category" | "wp:tag" => term = Term::default(),
                        "category" if item.is_some() => {
                            pending_term = Some((attr(&start, "domain"), attr(&start, "nicename")));
                        }
                        _ => {}
                    }
                }
                Step::Close { name, parent, text } => {
                    let parent = parent.as_str();
                    if let Some(c) = comment.as_mut().filter(|_| parent == "wp:comment") {
                        set_comment(c, &name, text);
                    } else if name == "wp:comment" {
                        if let (Some(i), Some(c)) = (item.as_mut(), comment.take()) {
                            i.comments.push(c);
                        }
                    } else if name == "wp:postmeta" {
                        if let Some(i) = item.as_mut() {
                            i.meta.push(std::mem::take(&mut meta));
                        }
                    } else if let Some(i) = item.as_mut().filter(|_| parent == "item") {
                        match name.as_str() {
                            "category" => {
                                if let Some((domain, slug)) = pending_term.take() {
                                    i.terms.push((domain, slug, text.trim().to_string()));
                                }
                            }
                            _ => set_item(i, &name, text),
                        }
                    } else if parent == "wp:postmeta" {
                        match name.as_str() {
                            "wp:meta_key" => meta.0 = text,
                            "wp:meta_value" => meta.1 = text,
                            _ => {}
                        }
                    } else if name == "item" {
                        return Ok(item.take());
                    } else if parent == "channel" {
                        self.set_channel(&name, text, &mut term, &mut author);
                    } else if matches!(parent, "wp:category" | "wp:tag") {
                        let t = text.trim().to_string();
                        match name.as_str() {
                            "wp:category_nicename" | "wp:tag_slug" => term.slug = t,
                            "wp:cat_name" | "wp:tag_name" => term.name = t,
                            "wp:category_parent" => term.parent = t,
                            _ => {}
                        }
                    } else if parent == "wp:author" {
                        match name.as_str() {
                            "wp:author_login" => author.0 = text.trim().to_string(),
                            "wp:author_display_name" => author.1 = text.trim().to_string(),
                            _ => {}
                        }
                    } else if name == "rss" {
                        self.done = true;
                    }
                }
                Step::End => self.done = true,
            }
        }
        Ok(None)
    }

    fn set_channel(
        &mut self,
        name: &str,
        text: String,
        term: &mut Term,
        author: &mut (String, String),
    ) {
        let c = &mut self.channel;
        let t = text.trim().to_string();
        match name {
            "title" => c.title = t,
            "link" => c.link = t,
            "description" => c.description = t,
            "language" => c.language = t,
            "wp:wxr_version" => c.wxr_version = t,
            "wp:base_blog_url" => c.base_blog_url = t,
            "wp:category" => {
                let term = std::mem::take(term);
                if !term.slug.is_empty() {
                    c.categories.insert(term.slug.clone(), term);
                }
            }
            "wp:author" => {
                let (login, display) = std::mem::take(author);
                c.authors.insert(login, display);
            }
            _ => {}
        }
    }
}

fn attr(e: &BytesStart<'_>, key: &str) -> String {
    e.try_get_attribute(key)
        .ok()
        .flatten()
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
        .unwrap_or_default()
}

fn number(s: &str) -> u64 {
    s.trim().parse().unwrap_or(0)
}

fn set_item(i: &mut Item, name: &str, text: String) {
    let t = || text.trim().to_string();
    match name {
        "title" => i.title = t(),
        "link" => i.link = t(),
        "dc:creator" => i.creator = t(),
        "content:encoded" => i.content = text,
        "excerpt:encoded" => i.excerpt = text,
        "wp:post_id" => i.id = number(&text),
        "wp:post_parent" => i.parent = number(&text),
        "wp:post_date" => i.date = t(),
        "wp:post_date_gmt" => i.date_gmt = t(),
        "wp:post_name" => i.name = t(),
        "wp:status" => i.status = t(),
        "wp:post_type" => i.post_type = t(),
        "wp:post_password" => i.password = text,
        "wp:attachment_url" => i.attachment_url = t(),
        _ => {}
    }
}

fn set_comment(c: &mut RawComment, name: &str, text: String) {
    let t = || text.trim().to_string();
    match name {
        "wp:comment_id" => c.id = number(&text),
        "wp:comment_parent" => c.parent = number(&text),
        "wp:comment_author" => c.author = t(),
        "wp:comment_author_url" => c.author_url = t(),
        "wp:comment_date" => c.date = t(),
        "wp:comment_date_gmt" => c.date_gmt = t(),
        "wp:comment_content" => c.content = text,
        "wp:comment_approved" => c.approved = t(),
        "wp:comment_type" => c.kind = t(),
        _ => {}
    }
}

/// A WordPress time: the GMT one when it is set, else the local one in the site's zone
/// (drafts and imported posts often have `0000-00-00 00:00:00` as their GMT time).
pub fn date(local: &str, gmt: &str, tz: FixedOffset) -> Option<DateTime<FixedOffset>> {
    let read = |s: &str| NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%d %H:%M:%S").ok();
    if let Some(g) = read(gmt) {
        return Some(Utc.from_utc_datetime(&g).with_timezone(&tz));
    }
    tz.from_local_datetime(&read(local)?).single()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small export in the shape WordPress writes, with the cases the importer must meet.
    pub(crate) const WXR: &str = r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>小站 &amp; friends</title>
  <link>http://blog.example.org</link>
  <description>随手记</description>
  <language>zh-CN</language>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_blog_url>http://blog.example.org</wp:base_blog_url>
  <wp:author><wp:author_login><![CDATA[lee]]></wp:author_login><wp:author_display_name><![CDATA[老李]]></wp:author_display_name></wp:author>
  <wp:category><wp:term_id>1</wp:term_id><wp:category_nicename>tech</wp:category_nicename><wp:category_parent/><wp:cat_name><![CDATA[技术]]></wp:cat_name></wp:category>
  <wp:category><wp:term_id>2</wp:term_id><wp:category_nicename>kernel</wp:category_nicename><wp:category_parent>tech</wp:category_parent><wp:cat_name><![CDATA[内核]]></wp:cat_name></wp:category>
  <wp:tag><wp:term_id>3</wp:term_id><wp:tag_slug>mm</wp:tag_slug><wp:tag_name><![CDATA[内存]]></wp:tag_name></wp:tag>
  <item>
    <title>Slab 分配器 &lt;入门&gt;</title>
    <link>http://blog.example.org/2014/11/%e5%86%85%e5%ad%98/</link>
    <dc:creator><![CDATA[lee]]></dc:creator>
    <content:encoded><![CDATA[第一段

第二段<!--more-->后文 ]]]]><![CDATA[>]]></content:encoded>
    <excerpt:encoded><![CDATA[]]></excerpt:encoded>
    <wp:post_id>42</wp:post_id>
    <wp:post_date><![CDATA[2014-11-19 18:00:00]]></wp:post_date>
    <wp:post_date_gmt><![CDATA[2014-11-19 10:00:00]]></wp:post_date_gmt>
    <wp:post_name><![CDATA[%e5%86%85%e5%ad%98]]></wp:post_name>
    <wp:status><![CDATA[publish]]></wp:status>
    <wp:post_parent>0</wp:post_parent>
    <wp:post_type><![CDATA[post]]></wp:post_type>
    <category domain="category" nicename="tech"><![CDATA[技术]]></category>
    <category domain="category" nicename="kernel"><![CDATA[内核]]></category>
    <category domain="post_tag" nicename="mm"><![CDATA[内存]]></category>
    <wp:postmeta><wp:meta_key>_edit_last</wp:meta_key><wp:meta_value><![CDATA[1]]></wp:meta_value></wp:postmeta>
    <wp:comment>
      <wp:comment_id>7</wp:comment_id>
      <wp:comment_author><![CDATA[张三]]></wp:comment_author>
      <wp:comment_author_url>http://zs.example/</wp:comment_author_url>
      <wp:comment_date><![CDATA[2014-11-20 10:00:00]]></wp:comment_date>
      <wp:comment_date_gmt><![CDATA[2014-11-20 02:00:00]]></wp:comment_date_gmt>
      <wp:comment_content><![CDATA[写得好 <script>alert(1)</script>]]></wp:comment_content>
      <wp:comment_approved><![CDATA[1]]></wp:comment_approved>
      <wp:comment_type><![CDATA[comment]]></wp:comment_type>
      <wp:comment_parent>0</wp:comment_parent>
    </wp:comment>
  </item>
  <item>
    <title>草稿</title>
    <link>http://blog.example.org/?p=43</link>
    <content:encoded><![CDATA[未完]]></content:encoded>
    <wp:post_id>43</wp:post_id>
    <wp:post_date>2015-01-02 03:04:05</wp:post_date>
    <wp:post_date_gmt>0000-00-00 00:00:00</wp:post_date_gmt>
    <wp:post_name></wp:post_name>
    <wp:status>draft</wp:status>
    <wp:post_type>post</wp:post_type>
  </item>
</channel>
</rss>
"#;

    fn all(xml: &str) -> (Channel, Vec<Item>) {
        let mut r = WxrReader::new(xml.as_bytes());
        let mut items = Vec::new();
        while let Some(i) = r.next_item().unwrap() {
            items.push(i);
        }
        (r.channel().clone(), items)
    }

    #[test]
    fn channel_and_items_are_read() {
        let (c, items) = all(WXR);
        assert_eq!(c.title, "小站 & friends");
        assert_eq!(c.wxr_version, "1.2");
        assert_eq!(c.base_blog_url, "http://blog.example.org");
        assert_eq!(c.authors.get("lee").map(String::as_str), Some("老李"));
        assert_eq!(c.categories["kernel"].parent, "tech");
        assert_eq!(c.categories["kernel"].name, "内核");
        assert_eq!(items.len(), 2);
        let p = &items[0];
        assert_eq!(p.title, "Slab 分配器 <入门>");
        assert_eq!(p.id, 42);
        assert_eq!(p.name, "%e5%86%85%e5%ad%98");
        assert_eq!(p.content, "第一段\n\n第二段<!--more-->后文 ]]>");
        assert_eq!(p.terms.len(), 3);
        assert_eq!(p.terms[2], ("post_tag".into(), "mm".into(), "内存".into()));
        assert_eq!(p.meta, vec![("_edit_last".into(), "1".into())]);
        assert_eq!(p.comments.len(), 1);
        assert_eq!(p.comments[0].author, "张三");
        assert_eq!(p.comments[0].content, "写得好 <script>alert(1)</script>");
        assert_eq!(items[1].status, "draft");
        assert_eq!(items[1].date_gmt, "0000-00-00 00:00:00");
    }

    #[test]
    fn a_byte_order_mark_is_stepped_over() {
        let (c, items) = all(&format!("\u{feff}{WXR}"));
        assert_eq!(c.title, "小站 & friends");
        assert_eq!(items.len(), 2);
    }

    #[test]
    fn gmt_time_wins_unless_it_is_zero() {
        let tz = FixedOffset::east_opt(8 * 3600).unwrap();
        let d = date("2014-11-19 18:00:00", "2014-11-19 10:00:00", tz).unwrap();
        assert_eq!(d.to_rfc3339(), "2014-11-19T18:00:00+08:00");
        let d = date("2015-01-02 03:04:05", "0000-00-00 00:00:00", tz).unwrap();
        assert_eq!(d.to_rfc3339(), "2015-01-02T03:04:05+08:00");
        assert_eq!(date("", "0000-00-00 00:00:00", tz), None);
    }

    #[test]
    fn broken_exports_are_errors_with_a_place() {
        let cut = &WXR[..WXR.find("<wp:post_id>43").unwrap()];
        let mut r = WxrReader::new(cut.as_bytes());
        assert!(r.next_item().unwrap().is_some());
        let e = r.next_item().unwrap_err();
        assert!(e.message.contains("cut short"), "{e:?}");
        let mut r = WxrReader::new("<html><body>404</body></html>".as_bytes());
        assert!(
            r.next_item()
                .unwrap_err()
                .message
                .contains("not a WordPress export")
        );
        let mut r = WxrReader::new(
            "<rss><channel><item><title>a &nbsp; b</title></item></channel></rss>".as_bytes(),
        );
        let e = r.next_item().unwrap_err();
        assert!(e.message.contains("&nbsp;"), "{e:?}");
        assert!(e.offset > 0);
        let mut r = WxrReader::new("<rss><channel><item><title>a</item>".as_bytes());
        assert!(r.next_item().is_err());
    }
}
