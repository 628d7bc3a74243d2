use super::{PostsArg, RootArg};
use boke::build;
use boke::console::Console;

/// Build the site in memory and report every broken internal link or anchor (exit 1 if any).
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    root: RootArg,
    #[command(flatten)]
    posts: PostsArg,
}

pub fn run(args: Args, console: &Console) -> boke::Result<()> {
    let root = args.root.locate(console, true)?;
    let warnings = boke::check::report(&build::Options {
        root: root.path,
        output: None,
        base_url: None,
        drafts: args.posts.drafts,
        future: args.posts.future,
        progress: false,
    })?;
    for w in &warnings {
        console.warning(w);
    }
    console.status("no broken links");
    Ok(())
}
