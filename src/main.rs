//! The `boke` command line: parses arguments, calls the library, prints results and errors.

use boke::build;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "boke", version, about = "博客 — a fast static blog generator")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
        } => build::build(&build::Options {
            root,
            output,
            base_url,
            drafts,
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
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", render_error(&e));
            ExitCode::FAILURE
        }
    }
}

fn render_error(e: &boke::Error) -> String {
    match e {
        boke::Error::Invalid(_) => e.to_string(),
        other => format!("error: {other}"),
    }
}
