use clap_complete::Shell;

/// Print a shell's completion script for boke (README says where to put it).
///
/// bash: `boke completions bash > ~/.local/share/bash-completion/completions/boke`;
/// zsh: into a folder of $fpath as `_boke`; fish: `~/.config/fish/completions/boke.fish`.
#[derive(clap::Args)]
pub struct Args {
    /// The shell to complete for.
    shell: Shell,
}

pub fn run(args: Args) -> boke::Result<()> {
    let mut cmd = super::command();
    clap_complete::generate(args.shell, &mut cmd, "boke", &mut std::io::stdout());
    Ok(())
}
