//! Any bytes as a post file: decoding, the front matter split and its typed parse must either
//! give a post or diagnostics that are usable (a message, a help, a line inside the file).
#![no_main]

use boke::config::Config;
use boke::content::Post;
use boke::slug::Slug;
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| Config::parse("title: fuzz\n").expect("a valid config"))
}

fuzz_target!(|data: &[u8]| {
    let path = Path::new("content/posts/2014-12-30-fuzz.md");
    // A lone CR also ends a line once the text is normalised, so both count.
    let lines = 1 + data.iter().filter(|b| **b == b'\n' || **b == b'\r').count();
    match Post::parse(path, data, config()) {
        Ok(post) => {
            // The slug is joined to output paths: it must still be one safe segment.
            assert!(Slug::parse(post.slug.as_str()).is_ok(), "{:?}", post.slug);
            assert!(post.body_line >= 3 && post.body_line <= lines + 1);
            assert!(!post.body.contains('\r'));
            assert!(post.excerpt.text.trim() == post.excerpt.text);
        }
        Err(diags) => {
            assert!(!diags.is_empty());
            for d in &diags {
                assert!(!d.message.is_empty() && !d.help.is_empty(), "{d}");
                assert_eq!(d.path, path);
                if let Some(line) = d.line {
                    assert!(line >= 1 && line <= lines, "line {line} of {lines}: {d}");
                }
            }
        }
    }
});
