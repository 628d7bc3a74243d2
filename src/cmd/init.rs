use boke::console::Console;
use boke::init;
use std::path::PathBuf;

/// Create a new site: site.yaml, a welcome post, static/ and templates/.
///
/// The site builds as it is with the templates and styles built into boke. A directory
/// that is not empty is refused unless --force; even then nothing is deleted or
/// overwritten, only the missing files are added.
#[derive(clap::Args)]
pub struct Args {
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
}

pub fn run(args: Args, console: &Console) -> boke::Result<()> {
    let r = init::init(&init::Options {
        dir: args.dir,
        title: args.title,
        force: args.force,
        no_welcome: false,
    })?;
    console.status(r.summary().trim_end());
    Ok(())
}
