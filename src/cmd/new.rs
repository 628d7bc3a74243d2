use super::RootArg;
use boke::console::Console;
use boke::newpost;
use std::path::Path;

/// Write a new post to content/posts/<date>-<slug>.md and print its path.
///
/// The slug comes from the title (Chinese as pinyin, or kept as is with
/// `slug_style: unicode` in site.yaml) unless --slug is given. An existing file or an
/// existing post with the same slug is never overwritten: that is an error.
#[derive(clap::Args)]
pub struct Args {
    /// The post's title, e.g. "kernel 3.10内核源码分析--slab原理". Quote it; any character is fine.
    #[arg(allow_hyphen_values = true)]
    title: String,
    #[command(flatten)]
    root: RootArg,
    /// The post's category.
    #[arg(long)]
    category: Option<String>,
    /// Tags, separated by commas: --tags slab,mm
    #[arg(long)]
    tags: Vec<String>,
    /// The slug (the last part of the post's URL) instead of one made from the title.
    #[arg(long)]
    slug: Option<String>,
    /// Mark the post `draft: true`: left out of builds unless they pass --drafts.
    #[arg(long)]
    draft: bool,
    /// The publish time instead of now, e.g. "2026-11-25 10:00" (site time zone if no offset).
    #[arg(long)]
    date: Option<String>,
    /// The post's `id:` (its number on the old blog). When `permalinks.posts` uses {id},
    /// the default is one more than the highest id in the site.
    #[arg(long)]
    id: Option<u64>,
    /// Open the new post in $EDITOR (or $VISUAL) and wait for it.
    #[arg(long)]
    edit: bool,
}

pub fn run(args: Args, console: &Console) -> boke::Result<()> {
    // Looked up first, so that a missing editor leaves no post behind.
    let editor = args.edit.then(newpost::editor_from_env).transpose()?;
    let root = args.root.locate(console, true)?.path;
    let req = newpost::Request {
        title: args.title,
        category: args.category,
        tags: args.tags,
        slug: args.slug,
        draft: args.draft,
        date: args.date,
        id: args.id,
    };
    let rel = newpost::create(&root, &req)?;
    // A path that works from here: the site's root is absolute when it was found above.
    let path = if root == Path::new(".") {
        rel
    } else {
        root.join(rel)
    };
    console.status(path.display());
    match editor {
        Some(editor) => newpost::edit(&editor, &path),
        None => Ok(()),
    }
}
