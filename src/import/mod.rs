//! Moving a blog in from another generator or host. One module per source; the shared parts
//! (fetching, HTML → Markdown, writing files, the report) are the import core's.

pub mod cnblogs;
pub mod datefix;
pub mod hexo;
pub mod jekyll;
pub mod liquid;
pub mod old_permalink;
pub mod settings;
pub mod wordpress;
pub mod xml_text;
