//! The `boke` command line: parses arguments, calls the library, prints results and errors.

use boke::{build, init, newpost};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// A build allocates many short strings on every thread; mimalloc's per-thread heaps make that
// markedly cheaper than glibc's allocator (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "boke", version, about = "博客 — a fast static blog generator")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site, serve it on loopback, and rebuild and reload the browser as files change.
    Serve {
        /// The site directory (holding site.yaml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on. Anything but loopback exposes the server to the network.
        #[arg(long, default_value = "127.0.0.1")]
        interface: std::net::IpAddr,
        /// The port to listen on (0 picks a free one).
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Include posts marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Build the site in memory and report every broken internal link or anchor (exit 1 if any).
    Check {
        /// The site directory (holding site.yaml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Include posts marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Include posts dated in the future.
        #[arg(long)]
        future: bool,
    },
    /// Build the site into static HTML.
    Build {
        /// The site directory (holding site.yaml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/public].
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Override site.yaml's base_url, e.g. https://example.org/blog/.
        #[arg(long)]
        base_url: Option<String>,
        /// Include posts marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Include posts dated in the future (scheduled posts are left out until their time).
        #[arg(long)]
        future: bool,
    },
    /// Build the site and push it to the git branch named by `deploy:` in site.yaml.
    ///
    /// One commit per deploy, on top of what the branch holds, naming the source commit; a
    /// branch that changed since the last deploy is an error, never overwritten.
    Deploy {
        /// The site directory (holding site.yaml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to build the site before pushing it [default: ROOT/public].
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Write a new post to content/posts/<date>-<slug>.md and print its path.
    ///
    /// The slug comes from the title (Chinese as pinyin, or kept as is with
    /// `slug_style: unicode` in site.yaml) unless --slug is given. An existing file or an
    /// existing post with the same slug is never overwritten: that is an error.
    New {
        /// The post's title, e.g. "kernel 3.10内核源码分析--slab原理". Quote it; any character is fine.
        #[arg(allow_hyphen_values = true)]
        title: String,
        /// The site directory (holding site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The post's category.
        #[arg(long)]
        category: Option<String>,
        /// Tags, separated by commas: --tags slab,mm
        #[arg(long)]
        tags: Vec<String>,
        /// The slug (the last part of the post's URL) instead of one made from the title.
        #[arg(long)]
        slug: Option<String>,
        /// Mark the post `draft: true`: left out of builds unless they pass --drafts.
        #[arg(long)]
        draft: bool,
        /// The publish time instead of now, e.g. "2026-11-25 10:00" (site time zone if no offset).
        #[arg(long)]
        date: Option<String>,
        /// The post's `id:` (its number on the old blog). When `permalinks.posts` uses {id},
        /// the default is one more than the highest id in the site.
        #[arg(long)]
        id: Option<u64>,
        /// Open the new post in $EDITOR (or $VISUAL) and wait for it.
        #[arg(long)]
        edit: bool,
    },
    /// Create a new site: site.yaml, a welcome post, static/ and templates/.
    ///
    /// The site builds as it is with the templates and styles built into boke. A directory
    /// that is not empty is refused unless --force; even then nothing is deleted or
    /// overwritten, only the missing files are added.
    Init {
        /// Where to create the site; made if missing. Hidden entries such as .git do not count
        /// as content.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The site's title [default: 我的博客].
        #[arg(long)]
        title: Option<String>,
        /// Add the missing files to a directory that is not empty, keeping every file in it.
        #[arg(long)]
        force: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check {
            root,
            drafts,
            future,
        } => boke::check::report(&build::Options {
            root,
            output: None,
            base_url: None,
            drafts,
            future,
        })
        .map(|_| println!("no broken links")),
        Command::Serve {
            root,
            interface,
            port,
            drafts,
            open,
        } => boke::serve::serve(boke::serve::Options {
            root,
            interface,
            port,
            drafts,
            open,
        }),
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            future,
        } => build::build(&build::Options {
            root,
            output,
            base_url,
            drafts,
            future,
        })
        .map(|r| {
            println!(
                "built {} posts, {} pages and {} static files into {} in {} ms",
                r.posts,
                r.pages,
                r.static_files,
                r.output.display(),
                r.elapsed.as_millis()
            );
        }),
        Command::Deploy { root, output } => deploy(&root, output),
        Command::New {
            title,
            root,
            category,
            tags,
            slug,
            draft,
            date,
            id,
            edit,
        } => new_post(
            &root,
            &newpost::Request {
                title,
                category,
                tags,
                slug,
                draft,
                date,
                id,
            },
            edit,
        ),
        Command::Init { dir, title, force } => {
            init::init(&init::Options { dir, title, force }).map(|r| print!("{}", r.summary()))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", render_error(&e));
            ExitCode::FAILURE
        }
    }
}

fn new_post(root: &Path, req: &newpost::Request, edit: bool) -> boke::Result<()> {
    // Looked up first, so that a missing editor leaves no post behind.
    let editor = edit.then(newpost::editor_from_env).transpose()?;
    let rel = newpost::create(root, req)?;
    let path = if root == Path::new(".") {
        rel
    } else {
        root.join(rel)
    };
    println!("{}", path.display());
    match editor {
        Some(editor) => newpost::edit(&editor, &path),
        None => Ok(()),
    }
}

fn deploy(root: &Path, output: Option<PathBuf>) -> boke::Result<()> {
    let site = boke::layout::SiteDir::new(root);
    let config = boke::config::Config::load(&site)?;
    let Some(target) = config.deploy.clone() else {
        return Err(boke::Diagnostic::new(
            site.config_file(),
            "no `deploy:` setting: boke does not know where to push the site",
            "add to site.yaml: deploy: {git: git@github.com:someone/someone.github.io.git, branch: gh-pages}",
        )
        .into());
    };
    let built = build::build(&build::Options {
        root: root.to_path_buf(),
        output,
        base_url: None,
        drafts: false,
        future: false,
    })?;
    match boke::deploy::deploy(&site, &built.output, &target)? {
        boke::deploy::Outcome::Pushed { commit, changed } => println!(
            "deployed {} posts to {} {}: commit {commit}, {changed} files changed",
            built.posts, target.git, target.branch
        ),
        boke::deploy::Outcome::UpToDate { commit } => println!(
            "{} {} is up to date (commit {commit}): nothing to push",
            target.git, target.branch
        ),
    }
    Ok(())
}

fn render_error(e: &boke::Error) -> String {
    match e {
        boke::Error::Invalid(_) => e.to_string(),
        other => format!("error: {other}"),
    }
}
