//! The build cache (`.boke/cache/`): a build that finds it gives the same bytes as a clean
//! build, after an edited post, an edited template, a changed setting and a new boke version;
//! and the cache is really used, or these comparisons would prove nothing.

use crate::common;

use common::{TestSite, boke_in, snapshot};
use std::path::Path;

const CACHE: &str = ".boke/cache/highlight.bin";
const MANIFEST: &str = ".boke/cache/output.manifest";

fn code_post(site: &TestSite, name: &str, comment: &str) {
    site.post(
        name,
        &format!("title: \"{name}\"\ndate: 2014-11-19 10:00\n"),
        &format!(
            "Intro.\n\n<!-- more -->\n\n```c\n/* {comment} */\nstatic int f(void) {{ return 1; }}\n```\n\n\
             ```console\n$ echo \"hi\" # say it\n```\n\n```cobol\nDISPLAY 'plain'.\n```\n"
        ),
    );
}

/// Build `site` (with `env`) into `out`, checking for the one summary line and nothing else.
fn build(site: &TestSite, out: &Path, env: &[(&str, Option<&str>)]) {
    let root = site.path().to_str().unwrap();
    let run = boke_in(
        site.path(),
        &["build", "--root", root, "--output", out.to_str().unwrap()],
        env,
    );
    run.assert_ok();
    // Not a terminal: no progress bar, one summary line.
    let stderr = run.stderr();
    assert!(
        !stderr.contains('\r') && !stderr.contains("pages ["),
        "a progress bar off a terminal: {stderr:?}"
    );
    assert_eq!(run.stdout().lines().count(), 1, "{}", run.stdout());
}

/// The same sources built without any cache, compared file by file with `warm`.
#[track_caller]
fn assert_same_as_clean(site: &TestSite, warm: &Path) {
    let clean = TestSite::new("");
    for dir in ["content", "templates"] {
        let from = site.path().join(dir);
        for entry in walkdir::WalkDir::new(&from).into_iter().flatten() {
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(site.path()).unwrap();
                clean.write_bytes(rel.to_str().unwrap(), &std::fs::read(entry.path()).unwrap());
            }
        }
    }
    clean.write_bytes(
        "site.yaml",
        &std::fs::read(site.path().join("site.yaml")).unwrap(),
    );
    let out = clean.path().join("clean");
    build(&clean, &out, &[(FAKE, None)]);
    let (warm, clean) = (snapshot(warm), snapshot(&out));
    assert_eq!(
        warm.keys().collect::<Vec<_>>(),
        clean.keys().collect::<Vec<_>>()
    );
    for (file, bytes) in &warm {
        assert!(
            *bytes == clean[file],
            "{} differs from a clean build",
            file.display()
        );
    }
}

fn replace(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let mut i = 0;
    while let Some(at) = out[i..].windows(from.len()).position(|w| w == from) {
        out[i + at..i + at + from.len()].copy_from_slice(to);
        i += at + from.len();
    }
    out
}

const FAKE: &str = "BOKE_FAKE_VERSION";

#[test]
fn a_warm_build_equals_a_clean_one() {
    let site = TestSite::new("");
    code_post(&site, "2014-11-19-one", "first");
    code_post(&site, "2014-11-20-two", "second");
    let out = site.path().join("out");
    let now = [(FAKE, None)];

    build(&site, &out, &now);
    let cache = std::fs::read(site.path().join(CACHE)).expect("a cache after the build");
    assert!(String::from_utf8_lossy(&cache).contains("hl-comment"));
    assert_same_as_clean(&site, &out);

    // Proof that the cache is read: markup altered in it (same length, so still valid) shows
    // on a page rendered again (without the list of written pages, every page is).
    std::fs::remove_file(site.path().join(MANIFEST)).expect("a manifest after the build");
    std::fs::write(
        site.path().join(CACHE),
        replace(&cache, b"hl-comment", b"hl-cOMMENT"),
    )
    .unwrap();
    build(&site, &out, &now);
    assert!(
        std::fs::read_to_string(out.join("posts/one/index.html"))
            .unwrap()
            .contains("hl-cOMMENT")
    );

    // A new boke ignores what the old one kept, poisoned or not.
    let next = [(FAKE, Some("99.0.0"))];
    build(&site, &out, &next);
    assert_same_as_clean(&site, &out);
    let cache = std::fs::read(site.path().join(CACHE)).unwrap();
    assert!(String::from_utf8_lossy(&cache).contains("boke 99.0.0"));
    assert!(!String::from_utf8_lossy(&cache).contains("hl-cOMMENT"));

    // An edited post: its new code is highlighted; the blocks of the pages kept from the
    // previous output stay in the cache, though this build did not ask for them.
    code_post(&site, "2014-11-19-one", "edited");
    build(&site, &out, &next);
    assert_same_as_clean(&site, &out);
    let cache =
        String::from_utf8_lossy(&std::fs::read(site.path().join(CACHE)).unwrap()).into_owned();
    assert!(
        cache.contains("edited") && cache.contains("second"),
        "{cache}"
    );

    // An edited template (every page made again, so the cache forgets the edited-out block)
    // and a changed setting.
    site.write(
        "templates/post.html",
        "<main>{{ post.title }}{{ post.content | safe }}</main>\n",
    );
    build(&site, &out, &next);
    assert_same_as_clean(&site, &out);
    let cache =
        String::from_utf8_lossy(&std::fs::read(site.path().join(CACHE)).unwrap()).into_owned();
    assert!(
        cache.contains("edited") && cache.contains("second") && !cache.contains("first"),
        "{cache}"
    );
    site.write("site.yaml", "title: 测试博客\nhighlight: false\n");
    build(&site, &out, &next);
    assert_same_as_clean(&site, &out);
    assert!(
        !std::fs::read_to_string(out.join("posts/one/index.html"))
            .unwrap()
            .contains("hl-comment")
    );
}

/// The file's inode: the same after a build that kept the page (hard-linked from the previous
/// output), new for a page written again.
fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).unwrap().ino()
}

#[test]
fn a_warm_build_keeps_unchanged_pages_and_trusts_nothing_stale() {
    // No related posts: the three alike posts would be each other's, and every page would
    // change with any of them.
    let site = TestSite::new("related_posts: 0\n");
    code_post(&site, "2014-11-19-one", "first");
    code_post(&site, "2014-11-20-two", "second");
    code_post(&site, "2014-11-21-three", "third");
    let out = site.path().join("out");
    let now = [(FAKE, None)];
    let one = out.join("posts/one/index.html");
    let two = out.join("posts/two/index.html");
    build(&site, &out, &now);
    let (one_was, two_was) = (inode(&one), inode(&two));

    // Editing "three" changes its page and its neighbour "two"'s, not "one"'s.
    code_post(&site, "2014-11-21-three", "edited");
    build(&site, &out, &now);
    assert_same_as_clean(&site, &out);
    assert_eq!(inode(&one), one_was, "an unchanged page was written again");
    // The kept page's code stays in the highlight cache, though this build did not ask for it.
    let cache = std::fs::read(site.path().join(CACHE)).expect("the cache is kept");
    assert!(String::from_utf8_lossy(&cache).contains("first"));
    assert_ne!(
        inode(&two),
        two_was,
        "a page whose neighbour changed was kept"
    );

    // A page edited by hand in the output is made again.
    let one_was = inode(&one);
    std::fs::write(&one, "edited by hand").unwrap();
    build(&site, &out, &now);
    assert_same_as_clean(&site, &out);
    assert_ne!(inode(&one), one_was);

    // A deleted post's page is gone.
    std::fs::remove_file(site.path().join("content/posts/2014-11-21-three.md")).unwrap();
    build(&site, &out, &now);
    assert_same_as_clean(&site, &out);
    assert!(!out.join("posts/three").exists());

    // A list page shows another post's URL through an excerpt's `@/` link: the year 2015 has
    // only "four", whose excerpt links to "two"; a new slug for "two" must show there. (No
    // sidebar of popular posts, whose URLs would change every page.)
    let settings = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{settings}\nhot_posts: 0\n"));
    site.post(
        "2015-01-02-four",
        "title: four\ndate: 2015-01-02 10:00\n",
        "See [two](@/posts/2014-11-20-two.md).\n\n<!-- more -->\n\nMore.\n",
    );
    build(&site, &out, &now);
    site.post(
        "2014-11-20-two",
        "title: two\ndate: 2014-11-20 10:00\nslug: deux\n",
        "Intro.\n",
    );
    build(&site, &out, &now);
    assert_same_as_clean(&site, &out);
    let year = std::fs::read_to_string(out.join("archives/2015/index.html")).unwrap();
    assert!(year.contains("posts/deux/"), "{year}");

    // Building into another output replaces the manifest: the first output is not trusted,
    // though its pages' keys are the same, and every page of it is written again.
    let one_was = inode(&one);
    build(&site, &site.path().join("elsewhere"), &now);
    build(&site, &out, &now);
    assert_same_as_clean(&site, &out);
    assert_ne!(
        inode(&one),
        one_was,
        "a manifest of another output was trusted"
    );

    // Nor is an output that another build replaced since (its marker is another file), here
    // another output, put where the first one was. (The inodes compared are of live files: a
    // page written again cannot have one of them.)
    let copy = site.path().join("copy-out");
    build(&site, &copy, &now);
    let one_was = inode(&copy.join("posts/one/index.html"));
    let kept = std::fs::read(site.path().join(MANIFEST)).unwrap();
    build(&site, &out, &now);
    let manifest = std::fs::read(site.path().join(MANIFEST)).unwrap();
    std::fs::remove_dir_all(&out).unwrap();
    std::fs::rename(&copy, &out).unwrap();
    assert!(kept != manifest);
    build(&site, &out, &now);
    assert_same_as_clean(&site, &out);
    assert_ne!(inode(&one), one_was);
}

/// A site's own post page that shows fewer of a post's surroundings has them made only once it
/// names them: a warm build after each change still equals a clean one.
#[test]
fn a_post_page_gets_the_surroundings_its_template_names() {
    let site = TestSite::new("related_posts: 2\n");
    for (name, tags) in [
        ("2014-01-01-a", "[mm]"),
        ("2014-02-01-b", "[mm, slab]"),
        ("2014-03-01-c", "[slab]"),
    ] {
        site.post(
            name,
            &format!("title: 文{name}\ndate: 2014-01-01 10:00\ntags: {tags}\nseries: 系列\n"),
            "正文。\n",
        );
    }
    let out = site.path().join("out");
    let now = [(FAKE, None)];
    site.write("templates/post.html", "<main>{{ post.title }}</main>\n");
    build(&site, &out, &now);
    let page = std::fs::read_to_string(out.join("posts/b/index.html")).unwrap();
    assert_eq!(page, "<main>文2014-02-01-b</main>\n");
    assert_same_as_clean(&site, &out);

    // Shown now: the related posts (those of b share a tag with it), the series, the card.
    site.write(
        "templates/post.html",
        "<main>{% for r in related %}<a class=\"rel\">{{ r.name }}</a>{% endfor %}\
         {{ series.name }}|{{ meta.title }}</main>\n",
    );
    build(&site, &out, &now);
    let page = std::fs::read_to_string(out.join("posts/b/index.html")).unwrap();
    assert!(
        page.contains(">文2014-01-01-a<") && page.contains(">文2014-03-01-c<"),
        "{page}"
    );
    assert!(page.contains("系列|文2014-02-01-b"), "{page}");
    assert_same_as_clean(&site, &out);

    // A related post's new title shows on the pages that list it, though they are kept.
    site.post(
        "2014-03-01-c",
        "title: 改了标题\ndate: 2014-01-01 10:00\ntags: [slab]\nseries: 系列\n",
        "正文。\n",
    );
    build(&site, &out, &now);
    let page = std::fs::read_to_string(out.join("posts/b/index.html")).unwrap();
    assert!(page.contains(">改了标题<"), "{page}");
    assert_same_as_clean(&site, &out);
}
