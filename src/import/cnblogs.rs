//! 博客园 (cnblogs.com)'s backup file: RSS 2.0, UTF-8 with a byte order mark, one `<item>`
//! per post with the HTML body in `<description>`'s CDATA. Read as a stream, like WordPress's
//! export, with quick-xml.

use super::xml_text::{Step, XmlStream};
use crate::slug::Slug;
use chrono::{DateTime, FixedOffset};
use percent_encoding::percent_decode_str;
use std::io::BufRead;

pub use super::xml_text::XmlError as BackupError;

/// One post of the backup.
#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    pub title: String,
    pub link: String,
    pub author: String,
    pub date: Option<DateTime<FixedOffset>>,
    /// The body as the blog showed it (HTML).
    pub html: String,
    /// The post's path on the old host (`/someone/p/12345.html`).
    pub old_path: Option<String>,
    /// The old address's file name: the post's number or its entry name (`12345`, `my-entry`).
    pub slug: Option<Slug>,
}

#[derive(Debug, Default)]
struct Fields {
    title: String,
    link: String,
    author: String,
    creator: String,
    pub_date: String,
    description: String,
}

pub struct BackupReader<R: BufRead> {
    xml: XmlStream<R>,
    /// The channel's `<title>` (`博客园-名字`), once read.
    pub blog_title: String,
}

impl<R: BufRead> BackupReader<R> {
    pub fn new(input: R) -> Self {
        BackupReader {
            xml: XmlStream::new(input),
            blog_title: String::new(),
        }
    }

    pub fn next_post(&mut self) -> Result<Option<Post>, BackupError> {
        let mut item: Option<Fields> = None;
        loop {
            match self.xml.step()? {
                Step::Open { name, .. } => {
                    if self.xml.depth() == 1 && name != "rss" {
                        return Err(self.xml.error(format!(
                            "the file starts with <{name}>, not <rss>: it is not a 博客园 backup"
                        )));
                    }
                    if name == "item" {
                        item = Some(Fields::default());
                    }
                }
                Step::Close { name, parent, text } => match (parent.as_str(), item.as_mut()) {
                    ("item", Some(f)) => match name.as_str() {
                        "title" => f.title = text.trim().to_string(),
                        "link" => f.link = text.trim().to_string(),
                        "author" => f.author = text.trim().to_string(),
                        "dc:creator" => f.creator = text.trim().to_string(),
                        "pubDate" => f.pub_date = text.trim().to_string(),
                        "description" => f.description = text,
                        _ => {}
                    },
                    ("channel", _) if name == "title" => self.blog_title = text.trim().into(),
                    ("channel", Some(_)) if name == "item" => return Ok(item.take().map(post)),
                    _ => {}
                },
                Step::End => return Ok(None),
            }
        }
    }
}

fn post(f: Fields) -> Post {
    let date = DateTime::parse_from_rfc2822(&f.pub_date)
        .or_else(|_| DateTime::parse_from_rfc3339(&f.pub_date))
        .ok();
    let path = f
        .link
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once('/'))
        .map(|(_, p)| format!("/{}", p.split(['?', '#']).next().unwrap_or("")))
        .map(|p| percent_decode_str(&p).decode_utf8_lossy().into_owned())
        .filter(|p| p != "/");
    let slug = path.as_deref().and_then(|p| {
        let file = p.trim_end_matches('/').rsplit('/').next()?;
        let stem = file.strip_suffix(".html").unwrap_or(file);
        Slug::parse(stem).ok()
    });
    Post {
        title: f.title,
        link: f.link,
        author: if f.creator.is_empty() {
            f.author
        } else {
            f.creator
        },
        date,
        html: f.description,
        old_path: path,
        slug,
    }
}

/// `boke import cnblogs BACKUP.xml`: every post of the backup as a Markdown post, its old
/// address as an alias. Images stay at their addresses on 博客园's image host.
pub struct Options {
    pub backup: std::path::PathBuf,
    pub root: std::path::PathBuf,
}

pub const SOURCE: &str = "cnblogs";

pub fn import(opts: &Options) -> crate::error::Result<super::Report> {
    use crate::error::{Diagnostic, Error};
    let site = crate::layout::SiteDir::new(&opts.root);
    let tz = if site.config_file().exists() {
        crate::config::Config::load(&site)?.offset()
    } else {
        crate::config::Config::default().offset()
    };
    let file = std::fs::File::open(&opts.backup).map_err(|e| Error::io("read", &opts.backup, e))?;
    let mut reader = BackupReader::new(std::io::BufReader::new(file));
    let mut report = super::Report::default();
    let mut posts = Vec::new();
    let mut stems = std::collections::BTreeSet::new();
    loop {
        let p = match reader.next_post() {
            Ok(Some(p)) => p,
            Ok(None) => break,
            Err(e) => {
                return Err(Diagnostic::new(
                    &opts.backup,
                    format!("the backup cannot be read: {}", e.message),
                    "download the backup again (博客园 → 管理 → 博客备份); nothing was written",
                )
                .at_line(super::wordpress::import::line_of(&opts.backup, e.offset))
                .into());
            }
        };
        let Some(date) = p.date.map(|d| d.with_timezone(&tz)) else {
            report.failures.push(format!(
                "{} ({}): no date boke can read; not imported",
                p.link, p.title
            ));
            continue;
        };
        let slug = p
            .slug
            .clone()
            .or_else(|| crate::newpost::make_slug(&p.title, crate::config::SlugStyle::default()))
            .unwrap_or_else(|| Slug::sanitize("post"));
        let base = format!("{}-{slug}", date.format("%Y-%m-%d"));
        let mut stem = base.clone();
        let mut n = 2;
        while !stems.insert(stem.clone()) {
            stem = format!("{base}-{n}");
            n += 1;
        }
        posts.push(super::Post {
            stem,
            title: Some(p.title.clone()).filter(|t| !t.is_empty()),
            date,
            id: None,
            category: None,
            tags: Vec::new(),
            views: 0,
            comments: 0,
            shares: 0,
            aliases: p.old_path.clone().into_iter().collect(),
            body: super::convert::to_markdown(&p.html),
            comment_list: Vec::new(),
            assets: Vec::new(),
        });
    }
    let title = reader.blog_title.trim_start_matches("博客园-").to_string();
    super::site::prepare_site(&opts.root, &title, "", &mut report)?;
    let mut store = super::Store::open(&opts.root, &site.import_dir(SOURCE))?;
    for p in &posts {
        super::write_post(&mut store, p, &mut report)?;
    }
    store.save()?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BACKUP: &str = "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>
<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">
<channel>
<title>博客园-小明</title>
<link>https://www.cnblogs.com/xiaoming/</link>
<item>
<title>进程调度 &amp; 负载均衡</title>
<link>https://www.cnblogs.com/xiaoming/p/13579246.html</link>
<dc:creator>小明</dc:creator>
<author>小明</author>
<pubDate>Sat, 29 Aug 2020 08:15:00 GMT</pubDate>
<description><![CDATA[<p>CFS 的 <code>vruntime</code></p><pre>a < b</pre>]]></description>
</item>
<item>
<title>旧文</title>
<link>http://www.cnblogs.com/xiaoming/archive/2009/05/04/my-entry.html</link>
<author>小明</author>
<pubDate>Mon, 04 May 2009 10:00:00 +0800</pubDate>
<description><![CDATA[]]></description>
</item>
</channel>
</rss>
";

    #[test]
    fn posts_are_read_through_the_bom() {
        let mut r = BackupReader::new(BACKUP.as_bytes());
        let a = r.next_post().unwrap().unwrap();
        assert_eq!(r.blog_title, "博客园-小明");
        assert_eq!(a.title, "进程调度 & 负载均衡");
        assert_eq!(a.author, "小明");
        assert_eq!(
            a.html,
            "<p>CFS 的 <code>vruntime</code></p><pre>a < b</pre>"
        );
        assert_eq!(a.date.unwrap().to_rfc3339(), "2020-08-29T08:15:00+00:00");
        assert_eq!(a.old_path.as_deref(), Some("/xiaoming/p/13579246.html"));
        assert_eq!(a.slug.unwrap().as_str(), "13579246");
        let b = r.next_post().unwrap().unwrap();
        assert_eq!(b.slug.unwrap().as_str(), "my-entry");
        assert_eq!(b.date.unwrap().to_rfc3339(), "2009-05-04T10:00:00+08:00");
        assert_eq!(b.html, "");
        assert!(r.next_post().unwrap().is_none());
    }

    #[test]
    fn other_files_and_cut_backups_are_errors() {
        let mut r = BackupReader::new("<html></html>".as_bytes());
        assert!(
            r.next_post()
                .unwrap_err()
                .message
                .contains("not a 博客园 backup")
        );
        let cut = &BACKUP[..BACKUP.find("<title>旧文").unwrap()];
        let mut r = BackupReader::new(cut.as_bytes());
        assert!(r.next_post().unwrap().is_some());
        let e = r.next_post().unwrap_err();
        assert!(e.message.contains("cut short"), "{e:?}");
    }
}
