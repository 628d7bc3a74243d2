use boke::console::Console;
use boke::import::{chinaunix, fetch};
use std::path::PathBuf;
use std::time::Duration;

/// Import a blog from elsewhere into a site (made as `boke init` makes one if it has no
/// site.yaml), then check the site as `boke check` does.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    source: Source,
}

#[derive(clap::Subcommand)]
enum Source {
    /// A blog of blog.chinaunix.net: every post with its comments and images, the profile,
    /// the guestbook, and redirects from every old address.
    Chinaunix {
        /// The blog's address (http://blog.chinaunix.net/uid/29599891.html), or the folder a
        /// `wget --mirror` of it saved (the one named blog.chinaunix.net).
        source: String,
        /// The site to import into; a folder without site.yaml is made a new site.
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// Requests at a time.
        #[arg(long, default_value_t = 2)]
        jobs: usize,
        /// Milliseconds between the starts of two requests.
        #[arg(long, value_name = "MS", default_value_t = 300)]
        delay: u64,
        /// Seconds to wait for a connection or an answer before trying again.
        #[arg(long, value_name = "S", default_value_t = 30)]
        timeout: u64,
        /// Keep images at their old addresses instead of downloading them.
        #[arg(long)]
        no_images: bool,
        /// Fetch every page again, even those fetched by an earlier run.
        #[arg(long)]
        refresh: bool,
    },
}

pub fn run(args: Args, console: &Console) -> boke::Result<()> {
    let (root, report) = match args.source {
        Source::Chinaunix {
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
                    delay: Duration::from_millis(delay),
                    timeout: Duration::from_secs(timeout.max(1)),
                    refresh,
                    ..fetch::Options::default()
                },
                images: !no_images,
                terminal: std::io::IsTerminal::is_terminal(&std::io::stderr()),
            };
            (root, chinaunix::import(&opts)?)
        }
    };
    console.status(report.summary().trim_end());
    super::check::check_site(root, false, console)
}
