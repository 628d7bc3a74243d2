//! Importing a blog from elsewhere into a boke site.
//!
//! One module per source (`chinaunix`) over a shared core: [`fetch`] gets pages politely (or
//! reads a saved mirror) and keeps them in a cache, [`convert`] turns HTML into Markdown,
//! [`images`] names downloaded files, [`store`] writes files whole and never over what the
//! user changed, [`report`] tells the user what happened. A source parses its pages into
//! [`Post`] values; [`write_post`] writes each as a Markdown file, its comments beside it and
//! its images in its asset folder.

pub mod chinaunix;
pub mod cnblogs;
pub mod convert;
pub mod datefix;
pub mod fetch;
pub mod generator;
pub mod hexo;
pub mod images;
pub mod jekyll;
pub mod liquid;
pub mod old_permalink;
pub mod report;
pub mod settings;
pub mod site;
pub mod store;
pub mod wordpress;
pub mod xml_text;

use crate::error::Result;
use crate::frontmatter::write::yaml_quote;
use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use std::fmt::Write as _;
use std::path::PathBuf;

pub use report::{Progress, Report};
pub use store::{Outcome, Store};

/// One imported post, ready to write.
#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    /// The file name without `.md`: `2014-11-19-4636263`.
    pub stem: String,
    pub title: Option<String>,
    pub date: DateTime<FixedOffset>,
    pub id: Option<String>,
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub views: u64,
    pub comments: u64,
    pub shares: u64,
    /// Old site paths that should redirect to the post.
    pub aliases: Vec<String>,
    /// Markdown.
    pub body: String,
    pub comment_list: Vec<Comment>,
    /// Files of the asset folder: (file name, bytes).
    pub assets: Vec<(String, Vec<u8>)>,
}

/// A comment as `<post>.comments.yaml` holds it (see CONTRACTS.md): plain text, never HTML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    pub author: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub date: String,
    pub text: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub replies: Vec<Comment>,
}

impl Comment {
    /// This comment and its replies, counted.
    pub fn count(list: &[Comment]) -> usize {
        list.iter().map(|c| 1 + Comment::count(&c.replies)).sum()
    }
}

impl Post {
    /// The Markdown file: front matter, then the body.
    pub fn to_markdown(&self) -> String {
        let mut s = String::from("---\n");
        if let Some(t) = &self.title {
            let _ = writeln!(s, "title: {}", yaml_quote(t));
        }
        let _ = writeln!(s, "date: {}", self.date.format("%Y-%m-%d %H:%M:%S %:z"));
        if let Some(id) = &self.id {
            let _ = writeln!(s, "id: {}", yaml_quote(id));
        }
        if let Some(c) = &self.category {
            let _ = writeln!(s, "category: {}", yaml_quote(c));
        }
        if !self.tags.is_empty() {
            let tags: Vec<String> = self.tags.iter().map(|t| yaml_quote(t)).collect();
            let _ = writeln!(s, "tags: [{}]", tags.join(", "));
        }
        let _ = writeln!(
            s,
            "views: {}\ncomments: {}\nshares: {}",
            self.views, self.comments, self.shares
        );
        if !self.aliases.is_empty() {
            s.push_str("aliases:\n");
            for a in &self.aliases {
                let _ = writeln!(s, "  - {}", yaml_quote(a));
            }
        }
        s.push_str("---\n");
        s.push_str(&self.body);
        if !self.body.ends_with('\n') {
            s.push('\n');
        }
        s
    }
}

/// YAML text for a list of comments.
pub fn comments_yaml(list: &[Comment]) -> String {
    serde_yaml::to_string(list).unwrap_or_default()
}

/// Write a post, its comments and its asset folder into `content/posts/`.
pub fn write_post(store: &mut Store, post: &Post, report: &mut Report) -> Result<()> {
    let dir = crate::layout::rel_posts_dir();
    write_into(
        store,
        &dir.to_string_lossy(),
        post,
        &post.to_markdown(),
        report,
    )
}

/// Write a post (or a page) into `dir` below the site: `text` as its Markdown file, then its
/// comments and its asset folder beside it, each through the never-overwrite `store`.
pub fn write_into(
    store: &mut Store,
    dir: &str,
    post: &Post,
    text: &str,
    report: &mut Report,
) -> Result<()> {
    let rel = format!("{dir}/{}.md", post.stem);
    let outcome = store.write(&rel, text.as_bytes())?;
    report.record(&rel, outcome);
    if !post.comment_list.is_empty() {
        let rel = format!("{dir}/{}.comments.yaml", post.stem);
        let outcome = store.write(&rel, comments_yaml(&post.comment_list).as_bytes())?;
        report.record(&rel, outcome);
    }
    for (name, bytes) in &post.assets {
        let rel = format!("{dir}/{}/{name}", post.stem);
        let outcome = store.write(&rel, bytes)?;
        report.record(&rel, outcome);
    }
    report.posts += 1;
    report.comments += Comment::count(&post.comment_list);
    report.images += post.assets.len();
    Ok(())
}

/// Run `f` over `items` on `jobs` threads, keeping the order of `items` in the results.
pub fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    jobs: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<std::sync::Mutex<Option<R>>> =
        items.iter().map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..jobs.clamp(1, items.len().max(1)) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let r = f(item);
                    *results[i].lock().unwrap_or_else(|p| p.into_inner()) = Some(r);
                }
            });
        }
    });
    results
        .into_iter()
        .map(|m| {
            m.into_inner()
                .unwrap_or_else(|p| p.into_inner())
                .expect("every item was mapped")
        })
        .collect()
}

/// Print what an import did, then, unless told not to, check the site as `boke check` does.
pub fn finish(root: PathBuf, report: &Report, check: bool) -> Result<()> {
    print!("{}", report.summary());
    if !check {
        return Ok(());
    }
    crate::check::report(&crate::build::Options {
        root,
        output: None,
        base_url: None,
        drafts: false,
        progress: false,
        future: false,
    })?;
    println!("no broken links");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_post_reads_back_as_written() {
        let tz = FixedOffset::east_opt(8 * 3600).unwrap();
        let post = Post {
            stem: "2015-01-01-7".into(),
            title: Some("a: \"b\" {{ x }}".into()),
            date: chrono::TimeZone::with_ymd_and_hms(&tz, 2015, 1, 1, 0, 30, 0).unwrap(),
            id: Some("7".into()),
            category: Some("内核".into()),
            tags: vec![],
            views: 3,
            comments: 1,
            shares: 0,
            aliases: vec!["/u/1/showart_7.html".into()],
            body: "text\n".into(),
            comment_list: vec![],
            assets: vec![],
        };
        let text = post.to_markdown();
        let parsed = crate::content::Post::parse(
            std::path::Path::new("content/posts/2015-01-01-7.md"),
            text.as_bytes(),
            &crate::config::Config::default(),
        )
        .unwrap();
        assert_eq!(parsed.meta.title.as_deref(), Some("a: \"b\" {{ x }}"));
        assert_eq!(parsed.meta.date, post.date);
        assert_eq!(parsed.meta.id.as_deref(), Some("7"));
        assert_eq!(parsed.meta.aliases.len(), 1);
    }

    #[test]
    fn parallel_map_keeps_order() {
        let v: Vec<usize> = (0..50).collect();
        assert_eq!(
            parallel_map(&v, 3, |x| x * 2),
            (0..50).map(|x| x * 2).collect::<Vec<_>>()
        );
    }
}
