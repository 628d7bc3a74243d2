use super::RootArg;
use boke::build;
use boke::console::Console;
use boke::deploy::{self, Outcome};
use std::path::PathBuf;

/// Build the site and push it to the git branch named by `deploy:` in site.yaml.
///
/// One commit per deploy, on top of what the branch holds, naming the source commit; a branch
/// that changed since the last deploy is an error, never overwritten.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    root: RootArg,
    /// Where to build the site before pushing it [default: ROOT/public].
    #[arg(long, short, value_name = "DIR")]
    output: Option<PathBuf>,
}

pub fn run(args: Args, console: &Console) -> boke::Result<()> {
    let root = args.root.locate(console, true)?;
    let site = boke::layout::SiteDir::new(&root.path);
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
        root: root.path.clone(),
        output: args.output,
        base_url: None,
        drafts: false,
        future: false,
        progress: console.shows_progress(),
    })?;
    match deploy::deploy(&site, &built.output, &target)? {
        Outcome::Pushed { commit, changed } => console.status(format!(
            "deployed {} posts to {} {}: commit {commit}, {changed} files changed",
            built.posts, target.git, target.branch
        )),
        Outcome::UpToDate { commit } => console.status(format!(
            "{} {} is up to date (commit {commit}): nothing to push",
            target.git, target.branch
        )),
    }
    Ok(())
}
