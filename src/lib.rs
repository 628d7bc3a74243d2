//! boke (博客): a static blog generator.
//!
//! The flow is content → site model → render → output; see ARCHITECTURE.md.

pub mod assets;
pub mod build;
pub mod check;
pub mod comment;
pub mod config;
pub mod console;
pub mod content;
pub mod datetime;
pub mod deploy;
pub mod diagram;
pub mod error;
pub mod fingerprint;
pub mod frontmatter;
pub mod highlight;
pub mod i18n;
pub mod images;
pub mod import;
pub mod init;
pub mod layout;
pub mod markdown;
pub mod math;
pub mod newfile;
pub mod newpost;
pub mod permalink;
pub mod progress;
pub mod redirect;
pub mod related;
pub mod render;
pub mod route;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod standalone;
pub mod text;
pub mod yaml_lines;

pub use error::{Diagnostic, Error, Result};
