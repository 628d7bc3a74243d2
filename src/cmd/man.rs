use boke::Error;
use std::path::PathBuf;

/// Print boke's man page (roff), or write a page for boke and one for each subcommand.
///
/// `boke man --dir ~/.cargo/share/man/man1` writes boke.1, boke-build.1 and the others where
/// man looks for the programs in ~/.cargo/bin.
#[derive(clap::Args)]
pub struct Args {
    /// Write boke.1 and boke-SUBCOMMAND.1 into DIR (made if missing) instead of printing boke.1.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

pub fn run(args: Args) -> boke::Result<()> {
    let cmd = super::command();
    match args.dir {
        Some(dir) => {
            std::fs::create_dir_all(&dir).map_err(|e| Error::io("create", &dir, e))?;
            clap_mangen::generate_to(cmd, &dir).map_err(|e| Error::io("write a page into", &dir, e))
        }
        None => clap_mangen::Man::new(cmd)
            .render(&mut std::io::stdout())
            .map_err(|e| Error::io("write", std::path::Path::new("standard output"), e)),
    }
}
