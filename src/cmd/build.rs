use super::{PostsArg, RootArg};
use boke::build;
use boke::console::Console;
use std::path::PathBuf;

/// Build the site into static HTML.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    root: RootArg,
    /// Where to write the site [default: ROOT/public].
    #[arg(long, short, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Override site.yaml's base_url, e.g. https://example.org/blog/.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    #[command(flatten)]
    posts: PostsArg,
}

pub fn run(args: Args, console: &Console) -> boke::Result<()> {
    let root = args.root.locate(console, true)?;
    let r = build::build(&build::Options {
        root: root.path,
        output: args.output,
        base_url: args.base_url,
        drafts: args.posts.drafts,
        future: args.posts.future,
        progress: console.shows_progress(),
    })?;
    console.built(
        &r,
        format_args!(
            "built {} posts, {} pages and {} static files into {} in {} ms",
            r.posts,
            r.pages,
            r.static_files,
            r.output.display(),
            r.elapsed.as_millis()
        ),
    );
    Ok(())
}
