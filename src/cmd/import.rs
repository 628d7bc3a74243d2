//! `boke import SOURCE …`: the command line of each importer, mapped to its options.

use boke::import::{self, chinaunix, cnblogs, fetch, generator, wordpress};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

/// The sources `boke import` reads.
#[derive(clap::Subcommand)]
pub enum Command {
    /// A blog of blog.chinaunix.net: every post with its comments and images, the profile,
    /// the guestbook, and redirects from every old address.
    Chinaunix {
        /// The blog's address (http://blog.chinaunix.net/uid/29599891.html), or the folder a
        /// `wget --mirror` of it saved (the one named blog.chinaunix.net).
        source: String,
        #[command(flatten)]
        into: Into,
        #[command(flatten)]
        polite: Polite,
        /// Fetch every page again, even those fetched by an earlier run.
        #[arg(long)]
        refresh: bool,
    },
    /// A Hexo site's folder (with _config.yml and source/_posts): posts with their asset
    /// folders, drafts, pages, source/images and other files, settings and old addresses.
    Hexo {
        /// The old site's folder; it is only read.
        dir: PathBuf,
        #[command(flatten)]
        into: Into,
    },
    /// A Jekyll or Octopress site's folder (with _config.yml and _posts).
    Jekyll {
        /// The old site's folder; it is only read.
        dir: PathBuf,
        #[command(flatten)]
        into: Into,
    },
    /// 博客园's backup file (管理 → 博客备份): every post, its old address as an alias.
    Cnblogs {
        /// The backup file (RSS 2.0).
        backup: PathBuf,
        #[command(flatten)]
        into: Into,
    },
    /// WordPress's export (Tools → Export, WXR 1.0–1.2): posts, pages, drafts, categories,
    /// tags, approved comments, and the images and attachments the posts use.
    Wordpress {
        /// The export file.
        export: PathBuf,
        #[command(flatten)]
        into: Into,
        #[command(flatten)]
        polite: Polite,
        /// Attempts after the first for an image whose host fails or does not answer.
        #[arg(long, default_value_t = 4)]
        retries: u32,
    },
}

/// Where an import writes, and whether it checks the result.
#[derive(clap::Args)]
pub struct Into {
    /// The site to import into; a folder without site.yaml is made a new site.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Skip the closing link check (run `boke check` later); for very large blogs.
    #[arg(long)]
    no_check: bool,
}

/// How an importer that fetches treats the servers it asks.
#[derive(clap::Args)]
pub struct Polite {
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
}

impl Polite {
    fn fetch(&self) -> fetch::Options {
        fetch::Options {
            jobs: self.jobs.max(1),
            delay: Duration::from_millis(self.delay),
            timeout: Duration::from_secs(self.timeout.max(1)),
            ..fetch::Options::default()
        }
    }
}

pub fn run(cmd: Command) -> boke::Result<()> {
    let terminal = std::io::stderr().is_terminal();
    let generator = |kind, dir, into: Into| -> boke::Result<_> {
        let opts = generator::Options {
            kind,
            dir,
            root: into.root.clone(),
            terminal,
        };
        Ok((generator::import(&opts)?, into))
    };
    let (report, into) = match cmd {
        Command::Chinaunix {
            source,
            into,
            polite,
            refresh,
        } => {
            let opts = chinaunix::Options {
                source,
                root: into.root.clone(),
                fetch: fetch::Options {
                    refresh,
                    ..polite.fetch()
                },
                images: !polite.no_images,
                terminal,
            };
            (chinaunix::import(&opts)?, into)
        }
        Command::Hexo { dir, into } => generator(generator::Kind::Hexo, dir, into)?,
        Command::Jekyll { dir, into } => generator(generator::Kind::Jekyll, dir, into)?,
        Command::Cnblogs { backup, into } => {
            let opts = cnblogs::Options {
                backup,
                root: into.root.clone(),
            };
            (cnblogs::import(&opts)?, into)
        }
        Command::Wordpress {
            export,
            into,
            polite,
            retries,
        } => {
            let opts = wordpress::import::Options {
                export,
                root: into.root.clone(),
                fetch: fetch::Options {
                    retries,
                    ..polite.fetch()
                },
                images: !polite.no_images,
                terminal,
            };
            (wordpress::import::import(&opts)?, into)
        }
    };
    import::finish(into.root, &report, !into.no_check)
}
