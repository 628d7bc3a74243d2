//! 相关文章: the posts most like a given one, by shared tags and category first, then by the
//! search terms their titles share (the search index's own keys: CJK pairs and words).
//!
//! Deterministic: ties go to the post nearest in date, then to the newer. Bounded: a tag or
//! category holding thousands of posts is looked at only around the post (the [`WINDOW`]
//! nearest in date on either side), so a large site costs a few comparisons a post, not one
//! per pair of posts.

use crate::fingerprint::Fingerprint;
use crate::search::{Key, fold, keys};
use crate::site::{Category, Site};
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

/// Posts looked at on either side of a post, in each of its tags and its category, and by
/// date when those give too few.
pub const WINDOW: usize = 8;

/// What finding related posts needs of a site, made once per build.
pub struct Related<'a> {
    site: &'a Site,
    tags: HashMap<&'a str, &'a Category>,
    categories: HashMap<&'a str, &'a Category>,
    /// Every post's title keys and terms, made at the first need (a rebuild that reuses the
    /// related posts it found before never needs them).
    compared: OnceLock<PostKeys<'a>>,
}

/// What each post is compared by, for all posts at once, in flat lists: post `i`'s title keys
/// (hashed and sorted) are `keys[starts[i]..starts[i + 1]]`, its tags and category (with their
/// weights) `terms[term_starts[i]..term_starts[i + 1]]`. Each post is compared with a few dozen
/// others spread over the site; looking its terms up by name, in the post, missed the cache.
struct PostKeys<'a> {
    keys: Vec<u64>,
    starts: Vec<usize>,
    terms: Vec<Term<'a>>,
    term_starts: Vec<usize>,
}

/// A tag or category of a post, with its weight.
type Term<'a> = (&'a Category, u32);

impl<'a> PostKeys<'a> {
    fn of(related: &Related<'a>) -> PostKeys<'a> {
        let each: Vec<(Vec<u64>, Vec<Term<'a>>)> = related
            .site
            .posts
            .par_iter()
            .map(|p| (title_keys(p), related.terms_of(p)))
            .collect();
        let mut out = PostKeys {
            keys: Vec::with_capacity(each.iter().map(|e| e.0.len()).sum()),
            starts: Vec::with_capacity(each.len() + 1),
            terms: Vec::with_capacity(each.iter().map(|e| e.1.len()).sum()),
            term_starts: Vec::with_capacity(each.len() + 1),
        };
        out.starts.push(0);
        out.term_starts.push(0);
        for (keys, terms) in each {
            out.keys.extend(keys);
            out.starts.push(out.keys.len());
            out.terms.extend(terms);
            out.term_starts.push(out.terms.len());
        }
        out
    }
}

impl<'a> Related<'a> {
    pub fn new(site: &'a Site) -> Related<'a> {
        let by_name = |terms: &'a [Category]| terms.iter().map(|t| (t.name.as_str(), t)).collect();
        Related {
            site,
            tags: by_name(&site.tags),
            categories: by_name(&site.categories),
            compared: OnceLock::new(),
        }
    }

    /// Make the title keys and terms now, on every worker, rather than at the first post that
    /// needs them (where the other workers would wait for one).
    pub fn prepare(&self) {
        self.compared();
    }

    fn compared(&self) -> &PostKeys<'a> {
        self.compared.get_or_init(|| PostKeys::of(self))
    }

    /// A post's tags, counted twice, and its category, once.
    fn terms_of(&self, post: &crate::content::Post) -> Vec<Term<'a>> {
        let tags = post.meta.tags.iter();
        let tags = tags.filter_map(|t| self.tags.get(t.as_str()).map(|c| (*c, 2)));
        let category = post.meta.category.as_deref();
        let category = category
            .and_then(|c| self.categories.get(c))
            .map(|c| (*c, 1));
        tags.chain(category).collect()
    }

    /// Up to `n` posts related to post `i`, most related first.
    pub fn of(&self, i: usize, n: usize) -> Vec<usize> {
        if n == 0 {
            return Vec::new();
        }
        let compared = self.compared();
        let terms = &compared.terms[compared.term_starts[i]..compared.term_starts[i + 1]];
        // Per candidate: shared tags twice, the same category once. A sorted list, not a
        // map: there are a few dozen candidates and this runs for every post.
        let mut found: Vec<(usize, u32)> = Vec::new();
        for &(term, weight) in terms {
            found.extend(around(&term.posts, i).map(|j| (j, weight)));
        }
        found.retain(|&(j, _)| j != i);
        found.sort_unstable_by_key(|&(j, _)| j);
        let mut score: Vec<(usize, u32)> = Vec::with_capacity(found.len());
        for (j, w) in found {
            match score.last_mut() {
                Some((last, s)) if *last == j => *s += w,
                _ => score.push((j, w)),
            }
        }
        if score.len() < n {
            let near = i.saturating_sub(WINDOW)..(i + WINDOW + 1).min(self.site.posts.len());
            for j in near.filter(|&j| j != i) {
                if let Err(at) = score.binary_search_by_key(&j, |&(k, _)| k) {
                    score.insert(at, (j, 0));
                }
            }
        }
        let mine = self.keys(i);
        let mut ranked: Vec<(u32, usize, usize, usize)> = score
            .into_iter()
            .map(|(j, s)| (s, shared(mine, self.keys(j)), i.abs_diff(j), j))
            // A post that shares nothing at all is not related, only near.
            .filter(|&(s, t, _, _)| s > 0 || t > 0)
            .collect();
        ranked.sort_unstable_by(|a, b| {
            b.0.cmp(&a.0)
                .then(b.1.cmp(&a.1))
                .then(a.2.cmp(&b.2))
                .then(a.3.cmp(&b.3))
        });
        // A new list, not `ranked` collected in place: that would keep its allocation (a few
        // dozen candidates of 32 bytes) for the five kept, and every post's list is kept.
        let mut kept = Vec::with_capacity(n.min(ranked.len()));
        kept.extend(ranked.iter().take(n).map(|r| r.3));
        kept
    }

    fn keys(&self, i: usize) -> &[u64] {
        let t = self.compared();
        &t.keys[t.starts[i]..t.starts[i + 1]]
    }
}

/// A post's title keys (the search index's), hashed, sorted and without repeats.
fn title_keys(post: &crate::content::Post) -> Vec<u64> {
    let folded: String = post.display_title().chars().map(fold).collect();
    let mut out = Vec::new();
    keys(&folded, |k: Key<'_>| {
        let mut h = Fingerprint::new();
        k.hash(&mut h);
        out.push(h.finish());
    });
    out.sort_unstable();
    out.dedup();
    out
}

/// A fingerprint of all that related posts are found from: each post's place, title, tags and
/// category, and how many are shown. Two sites with the same one have the same related posts,
/// so `boke serve` finds them again only when it changes (an edit of a body changes none of it).
pub fn inputs(site: &Site) -> u64 {
    let mut h = Fingerprint::new();
    site.config.related_posts.hash(&mut h);
    for p in &site.posts {
        (&p.source, &p.meta.title, &p.meta.tags, &p.meta.category).hash(&mut h);
        if p.meta.title.is_none() {
            // An untitled post is named by its excerpt, whose words are its title keys.
            p.excerpt.text.hash(&mut h);
        }
    }
    h.finish()
}

/// The posts of a newest-first list within [`WINDOW`] places of post `i` (by date).
fn around(list: &[usize], i: usize) -> impl Iterator<Item = usize> + '_ {
    let at = list.binary_search(&i).unwrap_or_else(|k| k);
    list[at.saturating_sub(WINDOW)..(at + WINDOW + 1).min(list.len())]
        .iter()
        .copied()
}

/// How many keys two sorted lists share. Without branches on the keys: hashes compare at
/// random, so a `match` on each comparison was mispredicted half the time, for every key of
/// the few dozen candidates of every post.
fn shared(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        n += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::content::Post;
    use std::path::Path;
    use std::sync::Arc;

    fn post(name: &str, front: &str) -> Arc<Post> {
        let text = format!("---\n{front}\n---\nbody\n");
        Arc::new(
            Post::parse(
                Path::new(&format!("content/posts/{name}.md")),
                text.as_bytes(),
                &Config::default(),
            )
            .unwrap(),
        )
    }

    fn titles(site: &Site, found: &[usize]) -> Vec<String> {
        found
            .iter()
            .map(|&j| site.posts[j].display_title().into_owned())
            .collect()
    }

    #[test]
    fn tags_count_before_category_and_titles_break_ties() {
        let posts = vec![
            post(
                "a",
                "title: slab 分配器\ndate: 2014-01-05\ntags: [mm, slab]\ncategory: 内存",
            ),
            post(
                "b",
                "title: slub 分配器\ndate: 2014-01-04\ntags: [mm, slab]\ncategory: 其他",
            ),
            post(
                "c",
                "title: 页面回收\ndate: 2014-01-03\ntags: [mm]\ncategory: 内存",
            ),
            post(
                "d",
                "title: 内存 分配器 总览\ndate: 2014-01-02\ncategory: 内存",
            ),
            post("e", "title: 网络收包\ndate: 2014-01-01\ncategory: 网络"),
            post("f", "title: 页面分配器\ndate: 2013-12-01"),
        ];
        let site = Site::new(Config::default(), posts, false, vec![]).unwrap();
        let related = Related::new(&site);
        // b shares two tags; c a tag and the category; d only the category; f only title words.
        assert_eq!(
            titles(&site, &related.of(0, 4)),
            ["slub 分配器", "页面回收", "内存 分配器 总览", "页面分配器"]
        );
        assert_eq!(related.of(0, 2).len(), 2);
        assert!(related.of(0, 0).is_empty());
        // A post sharing nothing has no related posts, however near in date.
        assert!(related.of(4, 5).is_empty(), "{:?}", related.of(4, 5));
        // The same site gives the same answer.
        let again = Related::new(&site);
        for i in 0..site.posts.len() {
            assert_eq!(related.of(i, 5), again.of(i, 5));
            assert!(!related.of(i, 5).contains(&i));
        }
    }

    #[test]
    fn large_terms_are_looked_at_around_the_post() {
        let list: Vec<usize> = (0..1000).collect();
        let near: Vec<usize> = around(&list, 500).collect();
        assert_eq!(near.len(), 2 * WINDOW + 1);
        assert!(near.contains(&(500 - WINDOW)) && near.contains(&(500 + WINDOW)));
        assert!(!near.contains(&(500 - WINDOW - 1)) && !near.contains(&(500 + WINDOW + 1)));
        assert_eq!(around(&list, 0).count(), WINDOW + 1);
        assert_eq!(shared(&[1, 3, 5, 7], &[3, 4, 5]), 2);
    }
}
