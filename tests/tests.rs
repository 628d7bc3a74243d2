//! The integration tests, one crate with a module per area (as ripgrep's `tests/tests.rs`):
//! each drives the real `boke` binary over small fixture sites and loopback servers, with
//! the helpers of `common/` shared by all of them.

mod common;

mod bad_input;
mod browser;
mod build;
mod check;
mod cli;
mod crash;
mod deploy;
mod escaping;
mod feeds;
mod hexo_jekyll_posts;
mod images;
mod import_chinaunix;
mod import_cnblogs;
mod import_generators;
mod import_wordpress;
mod imported;
mod install;
mod lang;
mod mirror;
mod new_init;
mod nginx;
mod permalinks;
mod reading;
mod search;
mod serve;
mod serve_load;
mod validate;
mod warm_build;
