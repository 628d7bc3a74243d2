//! The `boke` command line: one file per subcommand, each with its arguments and a `run` that
//! calls the library and prints through the [`Console`]. Adding a subcommand is a file here
//! and a line in [`Command`].

use boke::console::{Console, Verbosity};
use boke::layout::{self, SiteRoot};
use clap::{Args, CommandFactory, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

mod build;
mod check;
mod completions;
mod deploy;
mod import;
mod init;
mod man;
mod new;
mod serve;

#[derive(Parser)]
#[command(
    name = "boke",
    version,
    about = "博客 — a fast static blog generator",
    long_about = "博客 — a fast static blog generator.\n\nRun inside a site (any folder at or below the one holding site.yaml), or pass --root. Templates, styles and labels are built in: the binary needs nothing else."
)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct Global {
    /// Print errors only.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Name each stage with its time, and each file a rebuild writes under `serve`.
    #[arg(long, short, global = true)]
    verbose: bool,
}

#[derive(Subcommand)]
enum Command {
    Serve(serve::Args),
    Check(check::Args),
    Build(build::Args),
    Deploy(deploy::Args),
    New(new::Args),
    Init(init::Args),
    /// Import a blog from elsewhere into a site (created if it has no site.yaml).
    #[command(subcommand)]
    Import(import::Command),
    Completions(completions::Args),
    Man(man::Args),
}

/// `--root`, shared by the commands that work on a site.
#[derive(Args)]
pub struct RootArg {
    /// The site directory (holding site.yaml) [default: the nearest folder, here or above,
    /// that holds a site.yaml].
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
}

/// `--drafts` and `--future`: which posts a build of the site takes, for `build` and `check`.
#[derive(Args)]
pub struct PostsArg {
    /// Include posts marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Include posts dated in the future (scheduled posts are left out until their time).
    #[arg(long)]
    pub future: bool,
}

impl RootArg {
    /// The site to work on; `say`: name it to the user (serve names it in its own words).
    pub fn locate(&self, console: &Console, say: bool) -> boke::Result<SiteRoot> {
        let root = layout::find_site(self.root.as_deref())?;
        if say {
            if let Ok(cwd) = std::env::current_dir() {
                console.note(root.describe(&cwd));
            }
        }
        Ok(root)
    }
}

/// The `clap` description of the whole command line, for completions and the man page.
pub fn command() -> clap::Command {
    Cli::command()
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let console = Console::new(if cli.global.quiet {
        Verbosity::Quiet
    } else if cli.global.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    });
    let result = match cli.command {
        Command::Serve(args) => serve::run(args, &console),
        Command::Check(args) => check::run(args, &console),
        Command::Build(args) => build::run(args, &console),
        Command::Deploy(args) => deploy::run(args, &console),
        Command::New(args) => new::run(args, &console),
        Command::Init(args) => init::run(args, &console),
        Command::Import(cmd) => import::run(cmd),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            console.error(render_error(&e));
            ExitCode::FAILURE
        }
    }
}

fn render_error(e: &boke::Error) -> String {
    match e {
        // Each diagnostic already begins with `error:`.
        boke::Error::Invalid(_) => e.to_string(),
        other => format!("error: {other}"),
    }
}
