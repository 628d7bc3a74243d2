//! The index behind the search box (`static/search.js`): built from the site model, written
//! next to the static files as `search/*.json`.
//!
//! Chinese is written without spaces, and a word segmenter in the browser cuts a query
//! differently from whichever one cut the posts at build time, so a word-based index misses
//! words the two disagree on. The keys here are what CJK search engines index instead: every
//! pair of adjacent CJK characters, plus the last character of each run (so that a
//! one-character query also finds it where no pair starts with it), and whole words for other
//! scripts, with identifiers like `udp_sendmsg` also indexed by their `_`-separated parts. A
//! query is cut the same way and a post must have all its keys.
//!
//! The client then checks the exact phrase in the text of the post's page, which it fetches
//! for the results it shows (the page a reader opens next anyway) to cut the snippet from. So
//! the index holds no copy of the posts' text, which would add as much output again as their
//! Markdown. For the same reason the keys are taken from the Markdown as written rather than
//! from a second Markdown parse (the page's render is the first): markup characters are not
//! key characters, and the few words markup adds (a link's address, a tag's name) only bring
//! candidates that the check on the page's text drops.
//!
//! Files, all under [`DIR`]:
//! - `index.json`: `{"version":1,"shards":S,"docs":[[title,url,date],…]}`, the posts in the
//!   site's order; a post is named by its position in `docs`.
//! - `shard-K.json`: `{"key":[n,n,…],…}` for the keys [`Key::shard`] puts in shard K of S, so
//!   that a query's key or prefix is looked up in one shard. Each number is a post that has
//!   the key, times 4, plus how much the key counts there ([`Weight`], 0–3). The post is the
//!   difference to the one before, so most numbers are one or two digits.
//!
//! A query fetches the index, the shards of its keys and the pages of the results it shows: a
//! few requests whatever the size of the site.

mod hash;
mod json;
mod keys;
mod postings;

use hash::FastMap;
pub use hash::fingerprint;
use json::{json_str, shard_json};
pub use keys::{Key, fold, index_text, keys};
use keys::{Owned, fold_str};
use postings::{Postings, Tallies};

use crate::site::Site;
use rayon::prelude::*;
use std::borrow::Cow;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// Where the index is written, relative to the output root.
pub const DIR: &str = "search";
/// Whether an output file (relative to the output root) is one of the index's.
pub fn is_index_file(file: &str) -> bool {
    file.strip_prefix(DIR)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// The first file a client reads.
pub const INDEX: &str = "search/index.json";
/// Changes when the files change shape, so an old `search.js` cannot misread them.
pub const VERSION: u32 = 1;

/// How much a key counts in a post, in the two bits a posting has for it: a title match
/// ranks first, then posts that use the key often.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Weight {
    Once = 0,
    TwiceOrThrice = 1,
    Often = 2,
    InTitle = 3,
}

impl Weight {
    fn of(count: u8, in_title: bool) -> Weight {
        match (in_title, count) {
            (true, _) => Weight::InTitle,
            (false, 0..=1) => Weight::Once,
            (false, 2..=3) => Weight::TwiceOrThrice,
            _ => Weight::Often,
        }
    }
}
/// Words are indexed by at most this many characters; longer queries match by this prefix.
pub const MAX_WORD: usize = 32;
/// About this many bytes of postings per shard: small enough to fetch for one query.
const SHARD_BYTES: usize = 128 * 1024;
const MAX_SHARDS: usize = 1024;

/// The search index of a site, ready to be written. Its files are made one at a time
/// ([`Index::file`]), so that a large site's index is never in memory as JSON all at once.
pub struct Index {
    /// Each shard's keys, sorted, with their postings as [`Postings`] bytes.
    shards: Vec<Arc<Shard>>,
    /// Which shards may differ from those of the [`Runs`] the index was made with.
    changed: Vec<bool>,
    head: Vec<u8>,
}

type Shard = Vec<(String, Vec<u8>)>;

/// A run's keys and postings for one shard.
type Part = [(Owned, Postings)];

impl Index {
    /// The number of files: the shards, then `index.json`.
    pub fn file_count(&self) -> usize {
        self.shards.len() + 1
    }

    /// File `i` of [`Index::file_count`]: (path relative to the output root, bytes). `index.json` is
    /// the last, so that writing them in order never leaves a live output naming a shard that
    /// is not written yet.
    pub fn file(&self, i: usize) -> (String, Vec<u8>) {
        let bytes = match self.shards.get(i) {
            Some(keys) => shard_json(keys),
            None => self.head.clone(),
        };
        (self.name(i), bytes)
    }

    /// Every file at once, for tests: builds write them one at a time.
    #[cfg(test)]
    pub fn files(&self) -> impl Iterator<Item = (String, Vec<u8>)> + '_ {
        (0..self.file_count()).map(|i| self.file(i))
    }

    /// The path of file `i`, without making it.
    pub fn name(&self, i: usize) -> String {
        if i < self.shards.len() {
            format!("{DIR}/shard-{i}.json")
        } else {
            INDEX.to_string()
        }
    }

    /// Whether file `i` can differ from the one made from the same [`Runs`] before: false
    /// only for shards no recounted run brought anything new to.
    pub fn changed(&self, i: usize) -> bool {
        self.changed.get(i).copied().unwrap_or(true)
    }
}

/// Build the index of a site.
pub fn index(site: &Site) -> Index {
    make(site, &mut Runs::default(), false)
}

/// The counted runs of posts behind an index, kept by `boke serve` between rebuilds: counting
/// is most of the work, and an edit to one post's body changes the counts of one run only.
#[derive(Debug, Clone, Default)]
pub struct Runs {
    /// The base path the runs' links were made for.
    base: String,
    runs: Vec<Run>,
    /// The merged shards the runs made.
    shards: Vec<Arc<Shard>>,
}

#[derive(Debug, Clone)]
struct Run {
    /// Where the run starts in the site's post order, and the versions of its posts: a run
    /// is reused only for the same posts in the same places and the same number of shards.
    start: usize,
    versions: Vec<u64>,
    /// A fingerprint of the posts' routes: a post can move without being edited (another
    /// post's category taking its category's slug), and `docs` holds its URL.
    routes: u64,
    shards: usize,
    parts: Vec<Vec<(Owned, Postings)>>,
    /// The run's entries of `docs` in `index.json`, comma-separated.
    docs: Vec<u8>,
}

/// Build the index of a site, recounting only the runs of posts not in `runs` as they are,
/// and leave the runs of this site in `runs`.
pub fn index_with(site: &Site, runs: &mut Runs) -> Index {
    make(site, runs, true)
}

/// [`index_with`]; unless `keep`, the runs' counts are moved into the shards rather than
/// copied, which at 100,000 posts is 130 MB less at the peak.
fn make(site: &Site, runs: &mut Runs, keep: bool) -> Index {
    let posts = &site.posts;
    let bytes: usize = posts.iter().map(|p| p.body.len()).sum();
    // Postings come to about half the Markdown's size (more for short posts).
    let shards = (bytes / (2 * SHARD_BYTES) + 1)
        .next_power_of_two()
        .min(MAX_SHARDS);

    // Map-reduce: runs of posts are counted in parallel, each run's tallies split by shard at
    // its end; then each shard merges the runs' parts in post order, so every posting list
    // comes out sorted without a sort. Kept runs are of at most 128 posts: an edit under
    // `boke serve` recounts its post's run (13 ms for 256 posts, 7 ms for 128 on this
    // machine). Otherwise fewer, longer runs: each run has its own copy of its keys, which at
    // 100,000 posts in runs of 128 took 60 MB more and made the merge slower.
    let run = (posts.len() / (rayon::current_num_threads() * 4)).max(64);
    let run = if keep { run.min(128) } else { run };
    let base = site.config.base_path();
    let mut kept = std::mem::take(&mut runs.runs);
    let mut kept_shards = std::mem::take(&mut runs.shards);
    if runs.base != base {
        (kept, kept_shards) = (Vec::new(), Vec::new());
        runs.base = base.to_string();
    }
    runs.runs = posts
        .par_chunks(run)
        .enumerate()
        .map(|(r, chunk)| {
            let versions: Vec<u64> = chunk.iter().map(|p| p.version).collect();
            let routes = {
                let mut h = crate::fingerprint::Fingerprint::new();
                (r * run..r * run + chunk.len()).for_each(|i| site.post_route(i).hash(&mut h));
                h.finish()
            };
            let same = |k: &&Run| {
                k.start == r * run
                    && k.shards == shards
                    && k.versions == versions
                    && k.routes == routes
            };
            if let Some(k) = kept.get(r).filter(same) {
                return k.clone();
            }
            let mut tallies = Tallies::default();
            for (j, p) in chunk.iter().enumerate() {
                let post = (r * run + j) as u32;
                keys(&index_text(&p.body), |k| tallies.count(k, post, false));
                if let Some(title) = &p.meta.title {
                    keys(&fold_str(title), |k| tallies.count(k, post, true));
                }
            }
            Run {
                start: r * run,
                versions,
                shards,
                parts: tallies.by_shard(shards),
                docs: docs(site, r * run, chunk, base),
                routes,
            }
        })
        .collect();
    // A shard is merged again only if a run brought something new to it: a run counted anew
    // (its posts changed) whose part of the shard differs from the part it had.
    let mut changed = vec![kept_shards.len() != shards || kept.len() != runs.runs.len(); shards];
    for (r, new) in runs.runs.iter().enumerate() {
        match kept.get(r) {
            Some(old) if old.versions == new.versions => {}
            Some(old) if old.start == new.start && old.shards == new.shards => {
                for (s, flag) in changed.iter_mut().enumerate() {
                    *flag = *flag || !same_part(&old.parts[s], &new.parts[s]);
                }
            }
            _ => changed.iter_mut().for_each(|c| *c = true),
        }
    }
    // Shard by shard, each taking its part of every run.
    let mut by_shard: Vec<Vec<Cow<'_, Part>>> = (0..shards)
        .map(|_| Vec::with_capacity(runs.runs.len()))
        .collect();
    if keep {
        for part in &runs.runs {
            for (s, keys) in part.parts.iter().enumerate() {
                by_shard[s].push(Cow::Borrowed(keys));
            }
        }
    } else {
        for part in &mut runs.runs {
            for (s, keys) in std::mem::take(&mut part.parts).into_iter().enumerate() {
                by_shard[s].push(Cow::Owned(keys));
            }
        }
    }
    let shards: Vec<Arc<Shard>> = by_shard
        .into_par_iter()
        .enumerate()
        .map(|(s, runs)| {
            if !changed[s] {
                return kept_shards[s].clone();
            }
            let mut merged: Vec<(Owned, Postings)> = Vec::new();
            let mut at: FastMap<Owned, usize> = FastMap::default();
            let mut add = |key: Cow<'_, Owned>, list: Cow<'_, Postings>| match at.get(&*key) {
                Some(&i) => merged[i].1.append(&list),
                None => {
                    let key = key.into_owned();
                    at.insert(key.clone(), merged.len());
                    merged.push((key, list.into_owned()));
                }
            };
            for keys in runs {
                match keys {
                    Cow::Borrowed(keys) => keys
                        .iter()
                        .for_each(|(k, l)| add(Cow::Borrowed(k), Cow::Borrowed(l))),
                    Cow::Owned(keys) => keys
                        .into_iter()
                        .for_each(|(k, l)| add(Cow::Owned(k), Cow::Owned(l))),
                }
            }
            let mut named: Vec<(String, Vec<u8>)> = merged
                .into_iter()
                .map(|(key, list)| (key.to_string(), list.bytes))
                .collect();
            named.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            Arc::new(named)
        })
        .collect();
    runs.shards = shards.clone();

    let mut head = format!(
        "{{\"version\":{VERSION},\"shards\":{},\"docs\":[",
        shards.len()
    )
    .into_bytes();
    for (i, r) in runs.runs.iter().enumerate() {
        if i > 0 {
            head.push(b',');
        }
        head.extend_from_slice(&r.docs);
    }
    head.extend_from_slice(b"]}");
    if !keep {
        runs.runs.clear();
    }
    Index {
        shards,
        changed,
        head,
    }
}

/// The entries of `index.json`'s `docs` for the posts from `first` on: title (or the start of
/// the excerpt), URL and time.
fn docs(site: &Site, first: usize, posts: &[Arc<crate::content::Post>], base: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, p) in posts.iter().enumerate() {
        out.extend_from_slice(if i > 0 { b",[" } else { b"[" });
        json_str(&mut out, &p.display_title());
        out.push(b',');
        json_str(&mut out, &site.post_route(first + i).url(base));
        out.push(b',');
        json_str(&mut out, &p.date_text);
        out.push(b']');
    }
    out
}

/// Whether two counts of one run give a shard the same keys and postings, in any order.
fn same_part(old: &[(Owned, Postings)], new: &[(Owned, Postings)]) -> bool {
    if old.len() != new.len() {
        return false;
    }
    let old: FastMap<&Owned, &[u8]> = old.iter().map(|(k, p)| (k, &p.bytes[..])).collect();
    new.iter()
        .all(|(k, p)| old.get(k).is_some_and(|b| *b == &p.bytes[..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::content::Post;
    use std::collections::BTreeMap;
    use std::path::Path;
    use std::sync::Arc;

    fn post(file: &str, front: &str, body: &str) -> Arc<Post> {
        let text = format!("---\n{front}---\n{body}");
        Arc::new(Post::parse(Path::new(file), text.as_bytes(), &Config::default()).unwrap())
    }

    /// Files by name, as text.
    fn built(site: &Site) -> BTreeMap<String, String> {
        index(site)
            .files()
            .map(|(n, b)| (n, String::from_utf8(b).unwrap()))
            .collect()
    }

    #[test]
    fn a_site_index_names_each_post_and_weights_titles() {
        let posts = vec![
            post(
                "a.md",
                "title: \"进程退出码\"\ndate: 2014-12-30 16:51:55\n",
                "退出码的含义。\n",
            ),
            post(
                "b.md",
                "title: slab\ndate: 2014-11-19 16:06:19\n",
                "slab 分配器 \"引号\"退出\n",
            ),
            post("c.md", "date: 2014-01-01\n", "没有标题的文章，退出。\n"),
        ];
        let mut config = Config::default();
        config.set_base_url(crate::config::BaseUrl::parse("/blog/").unwrap());
        let site = Site::new(config, posts, false, vec![]).unwrap();
        let files = built(&site);
        let names: Vec<&str> = files.keys().map(String::as_str).collect();
        assert_eq!(names, ["search/index.json", "search/shard-0.json"]);
        assert_eq!(
            files["search/index.json"],
            "{\"version\":1,\"shards\":1,\"docs\":[\
             [\"进程退出码\",\"/blog/posts/a/\",\"2014-12-30 16:51:55\"],\
             [\"slab\",\"/blog/posts/b/\",\"2014-11-19 16:06:19\"],\
             [\"没有标题的文章，退出。\",\"/blog/posts/c/\",\"2014-01-01 00:00:00\"]]}"
        );
        let shard = &files["search/shard-0.json"];
        // 退出 is in post 0's title (post 0 × 4 + InTitle), then once in the bodies of posts 1
        // and 2, each one after the one before (1 × 4 + Once).
        assert!(shard.contains("\"退出\":[3,4,4]"), "{shard}");
        // slab: post 1, title and body.
        assert!(shard.contains("\"slab\":[7]"), "{shard}");
        // 文章 only in post 2's body; 章 ends a run there.
        assert!(shard.contains("\"文章\":[8]"), "{shard}");
        assert!(shard.contains("\"章\":[8]"), "{shard}");
        assert!(shard.contains("\"含义\":[0]"), "{shard}");
        assert!(!shard.contains('。'), "punctuation is no key: {shard}");
    }

    /// Key → (post, weight), from every shard.
    fn postings(files: &BTreeMap<String, String>) -> BTreeMap<String, Vec<(u64, u64)>> {
        let mut all = BTreeMap::new();
        for (name, text) in files {
            if name.starts_with("search/shard-") {
                let shard: BTreeMap<String, Vec<u64>> = serde_json::from_str(text).unwrap();
                for (key, list) in shard {
                    let mut post = 0;
                    let decoded = list
                        .iter()
                        .map(|n| {
                            post += n >> 2;
                            (post, n & 3)
                        })
                        .collect();
                    all.insert(key, decoded);
                }
            }
        }
        all
    }

    #[test]
    fn a_rebuild_recounts_only_the_runs_it_must() {
        // 1,100 posts make several runs, kept ones (at most 128 posts) shorter than those of a
        // clean index on two cores; the edit is in the last one.
        let site_with = |edited: &str| {
            let posts: Vec<Arc<Post>> = (0..1100)
                .map(|i| {
                    let body = if i == 0 { edited } else { "调度器与内存" };
                    post(
                        &format!("p{i:03}.md"),
                        &format!(
                            "date: 2014-01-01 {:02}:{:02}:00
",
                            i / 60,
                            i % 60
                        ),
                        &format!("{body} post{i}x\n"),
                    )
                })
                .collect();
            Site::new(Config::default(), posts, false, vec![]).unwrap()
        };
        let files = |index: Index| -> BTreeMap<String, Vec<u8>> { index.files().collect() };
        let before = site_with("僵尸进程");
        let mut runs = Runs::default();
        index_with(&before, &mut runs);
        assert!(runs.runs.len() > 1);
        // A post keeps its version when kept; only p000 (the oldest, last in order) is new.
        let mut posts = before.posts.clone();
        let edited = site_with("孤儿进程");
        let at = posts
            .iter()
            .position(|p| p.source.ends_with("p000.md"))
            .unwrap();
        posts[at] = edited.posts[at].clone();
        let after = Site::new(Config::default(), posts, false, vec![]).unwrap();

        // Runs are reused: blank a kept run that the edit does not touch and it stays blank.
        let mut blanked = runs.clone();
        blanked.runs[0].parts.iter_mut().for_each(Vec::clear);
        let partial = files(index_with(&after, &mut blanked));
        assert_ne!(
            partial,
            files(index(&after)),
            "the first run was counted again"
        );

        // A post read again unchanged changes no shard; an edit changes its shard. Either way
        // the incremental index equals a clean one.
        let mut again = before.posts.clone();
        again[at] = site_with("僵尸进程").posts[at].clone();
        let again = Site::new(Config::default(), again, false, vec![]).unwrap();
        let unchanged = index_with(&again, &mut runs);
        assert!(!unchanged.changed(0) && unchanged.changed(unchanged.file_count() - 1));
        assert_eq!(files(unchanged), files(index(&again)));
        let incremental = index_with(&after, &mut runs);
        assert!(incremental.changed(0));
        assert_eq!(files(incremental), files(index(&after)));
        let words = postings(&built(&after));
        assert!(words.contains_key("孤儿") && !words.contains_key("僵尸"));
    }

    #[test]
    fn big_sites_are_sharded_by_first_characters() {
        let body: String =
            (0..400).map(|i| format!("词{i}号 ")).collect::<String>() + &"汉字".repeat(2000);
        let posts: Vec<Arc<Post>> = (0..120)
            .map(|i| {
                post(
                    &format!("p{i:03}.md"),
                    &format!("date: 2014-01-01 00:{:02}:{:02}\n", i / 60, i % 60),
                    &format!("{body} post{i}x\n"),
                )
            })
            .collect();
        let site = Site::new(Config::default(), posts, false, vec![]).unwrap();
        let files = built(&site);
        let index: serde_json::Value = serde_json::from_str(&files["search/index.json"]).unwrap();
        let shards = index["shards"].as_u64().unwrap() as usize;
        assert!(shards > 1 && shards.is_power_of_two(), "{shards}");
        assert_eq!(files.len(), shards + 1);
        for (name, text) in &files {
            if let Some(k) = name.strip_prefix("search/shard-") {
                let k: usize = k.trim_end_matches(".json").parse().unwrap();
                for key in text.split('"').skip(1).step_by(2) {
                    let mut all = Vec::new();
                    keys(key, |key| all.push(key));
                    assert_eq!(all[0].to_string(), key);
                    assert_eq!(all[0].shard(shards), k, "{key} in {name}");
                }
            }
        }
        let postings = postings(&files);
        let docs = index["docs"].as_array().unwrap();
        assert_eq!(docs.len(), 120);
        for (i, doc) in docs.iter().enumerate() {
            // Newest first: post p119 is the first.
            let n: usize = doc[1].as_str().unwrap()["/posts/p".len()..][..3]
                .parse()
                .unwrap();
            assert_eq!(n, 119 - i);
            assert_eq!(
                postings[&format!("post{n}x")],
                [(i as u64, Weight::Once as u64)]
            );
        }
        // In every post, 2000 times.
        let everywhere: Vec<(u64, u64)> = (0..120).map(|i| (i, Weight::Often as u64)).collect();
        assert_eq!(postings["汉字"], everywhere);
        // The same site gives the same bytes.
        assert_eq!(built(&site), files);
    }
}
