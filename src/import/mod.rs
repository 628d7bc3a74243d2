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
    let dir = dir.to_string_lossy();
    let rel = format!("{dir}/{}.md", post.stem);
    let outcome = store.write(&rel, post.to_markdown().as_bytes())?;
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

/// `boke import SOURCE …` as the command line gives it.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// A blog of blog.chinaunix.net: every post with its comments and images, the profile,
    /// the guestbook, and redirects from every old address.
    Chinaunix {
        /// The blog's address (http://blog.chinaunix.net/uid/29599891.html), or the folder a
        /// `wget --mirror` of it saved (the one named blog.chinaunix.net).
        source: String,
        /// The site to import into; a folder without site.yaml is made a new site.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Requests at a time.
        #[arg(long, default_value_t = 2)]
        jobs: usize,
        /// Milliseconds between the starts of two requests.
        #[arg(long, default_value_t = 300)]
        delay: u64,
        /// Seconds to wait for a connection or an answer before trying again.
        #[arg(long, default_value_t = 30)]
        timeout: u64,
        /// Keep images at their old addresses instead of downloading them.
        #[arg(long)]
        no_images: bool,
        /// Fetch every page again, even those fetched by an earlier run.
        #[arg(long)]
        refresh: bool,
    },
    /// A Hexo site's folder (with _config.yml and source/_posts): posts with their asset
    /// folders, drafts, pages, source/images and other files, settings and old addresses.
    Hexo {
        /// The old site's folder; it is only read.
        dir: PathBuf,
        /// The site to import into; a folder without site.yaml is made a new site.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Skip the closing link check (run `boke check` later); for very large blogs.
        #[arg(long)]
        no_check: bool,
    },
    /// A Jekyll or Octopress site's folder (with _config.yml and _posts).
    Jekyll {
        /// The old site's folder; it is only read.
        dir: PathBuf,
        /// The site to import into; a folder without site.yaml is made a new site.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Skip the closing link check (run `boke check` later); for very large blogs.
        #[arg(long)]
        no_check: bool,
    },
    /// 博客园's backup file (管理 → 博客备份): every post, its old address as an alias.
    Cnblogs {
        /// The backup file (RSS 2.0).
        backup: PathBuf,
        /// The site to import into; a folder without site.yaml is made a new site.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Skip the closing link check (run `boke check` later); for very large blogs.
        #[arg(long)]
        no_check: bool,
    },
    /// WordPress's export (Tools → Export, WXR 1.0–1.2): posts, pages, drafts, categories,
    /// tags, approved comments, and the images and attachments the posts use.
    Wordpress {
        /// The export file.
        export: PathBuf,
        /// The site to import into; a folder without site.yaml is made a new site.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Requests at a time (for images).
        #[arg(long, default_value_t = 2)]
        jobs: usize,
        /// Milliseconds between the starts of two requests.
        #[arg(long, default_value_t = 300)]
        delay: u64,
        /// Seconds to wait for a connection or an answer before trying again.
        #[arg(long, default_value_t = 30)]
        timeout: u64,
        /// Keep images at their old addresses instead of downloading them.
        #[arg(long)]
        no_images: bool,
        /// Attempts after the first for an image whose host fails or does not answer.
        #[arg(long, default_value_t = 4)]
        retries: u32,
        /// Skip the closing link check (run `boke check` later); for very large blogs.
        #[arg(long)]
        no_check: bool,
    },
}

fn from_generator(
    kind: generator::Kind,
    dir: PathBuf,
    root: PathBuf,
    no_check: bool,
) -> Result<(PathBuf, Report, bool)> {
    let opts = generator::Options {
        kind,
        dir,
        root: root.clone(),
        terminal: std::io::IsTerminal::is_terminal(&std::io::stderr()),
    };
    Ok((root, generator::import(&opts)?, !no_check))
}

/// Run an import, print what it did, then check the site as `boke check` does.
pub fn run(cmd: Command) -> Result<()> {
    let (root, report, check) = match cmd {
        Command::Chinaunix {
            source,
            root,
            jobs,
            delay,
            timeout,
            no_images,
            refresh,
        } => {
            let opts = chinaunix::Options {
                source,
                root: root.clone(),
                fetch: fetch::Options {
                    jobs: jobs.max(1),
                    delay: std::time::Duration::from_millis(delay),
                    timeout: std::time::Duration::from_secs(timeout.max(1)),
                    refresh,
                    ..fetch::Options::default()
                },
                images: !no_images,
                terminal: std::io::IsTerminal::is_terminal(&std::io::stderr()),
            };
            (root, chinaunix::import(&opts)?, true)
        }
        Command::Hexo {
            dir,
            root,
            no_check,
        } => from_generator(generator::Kind::Hexo, dir, root, no_check)?,
        Command::Jekyll {
            dir,
            root,
            no_check,
        } => from_generator(generator::Kind::Jekyll, dir, root, no_check)?,
        Command::Cnblogs {
            backup,
            root,
            no_check,
        } => {
            let opts = cnblogs::Options {
                backup,
                root: root.clone(),
            };
            (root, cnblogs::import(&opts)?, !no_check)
        }
        Command::Wordpress {
            export,
            root,
            jobs,
            delay,
            timeout,
            no_images,
            retries,
            no_check,
        } => {
            let opts = wordpress::import::Options {
                export,
                root: root.clone(),
                fetch: fetch::Options {
                    jobs: jobs.max(1),
                    delay: std::time::Duration::from_millis(delay),
                    timeout: std::time::Duration::from_secs(timeout.max(1)),
                    retries,
                    ..fetch::Options::default()
                },
                images: !no_images,
                terminal: std::io::IsTerminal::is_terminal(&std::io::stderr()),
            };
            (root, wordpress::import::import(&opts)?, !no_check)
        }
    };
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
