use super::RootArg;
use boke::build;
use boke::console::Console;
use std::path::PathBuf;

/// Build the site in memory and report every broken internal link or anchor (exit 1 if any).
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    root: RootArg,
    /// Include posts marked `draft: true`.
    #[arg(long)]
    drafts: bool,
}

pub fn run(args: Args, console: &Console) -> boke::Result<()> {
    let root = args.root.locate(console, true)?;
    check_site(root.path, args.drafts, console)
}

/// Check the site at `root` and say so: `boke check`, and the end of `boke import`.
pub fn check_site(root: PathBuf, drafts: bool, console: &Console) -> boke::Result<()> {
    let warnings = boke::check::report(&build::Options {
        root,
        output: None,
        base_url: None,
        drafts,
        progress: false,
    })?;
    for w in &warnings {
        console.warning(w);
    }
    console.status("no broken links");
    Ok(())
}
