use super::RootArg;
use boke::console::Console;

/// Build the site, serve it on loopback, and rebuild and reload the browser as files change.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    root: RootArg,
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
}

pub fn run(args: Args, console: &Console) -> boke::Result<()> {
    let root = args.root.locate(console, false)?;
    boke::serve::serve(boke::serve::Options {
        root: root.path,
        interface: args.interface,
        port: args.port,
        drafts: args.drafts,
        open: args.open,
        console: *console,
    })
}
