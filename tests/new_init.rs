//! `boke new` and `boke init`, driven through the real binary: titles that are hard on YAML
//! survive a build unchanged, nothing is ever overwritten, drafts stay out, and a site made by
//! `init` builds with nothing but the binary.

use crate::common;
use chrono::{FixedOffset, Utc};
use common::*;
use std::path::{Path, PathBuf};

/// `boke new --root SITE ARGS…`.
fn new_post(site: &TestSite, args: &[&str]) -> Run {
    let root = site.path().to_str().unwrap().to_string();
    let mut all = vec!["new", "--root", root.as_str()];
    all.extend_from_slice(args);
    boke(&all)
}

/// The file a successful `boke new` printed, checked to exist, relative to the site.
#[track_caller]
fn created(site: &TestSite, run: &Run) -> PathBuf {
    run.assert_ok();
    let printed = PathBuf::from(run.stdout().trim_end());
    assert!(
        printed.is_file(),
        "printed {printed:?}, which is not a file"
    );
    printed.strip_prefix(site.path()).unwrap().to_path_buf()
}

/// The slug a post file is built under: its name without the date prefix.
fn slug_of(rel: &Path) -> String {
    let stem = rel.file_stem().unwrap().to_str().unwrap();
    stem[11..].to_string()
}

fn posts_snapshot(site: &TestSite) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    snapshot(&site.path().join("content/posts"))
}

fn post_title(site: &TestSite, slug: &str) -> String {
    let doc = site.html(&format!("posts/{slug}/index.html"));
    text(&select(&doc, "h2.post-title")[0])
}

#[test]
fn titles_round_trip_through_a_build() {
    let site = TestSite::new("");
    let titles = [
        ("内核源码分析", "nei-he-yuan-ma-fen-xi"),
        (
            "kernel 3.10内核源码分析--slab原理",
            "kernel-3-10-nei-he-yuan-ma-fen-xi-slab-yuan-li",
        ),
        ("a: b 冒号", "a-b-mao-hao"),
        (
            "#include <linux/slab.h> 井号",
            "include-linux-slab-h-jing-hao",
        ),
        ("\"双引号\" 标题", "shuang-yin-hao-biao-ti"),
        ("it's 'single' quotes", "its-single-quotes"),
        ("-leading dash", "leading-dash"),
        ("- 列表开头", "lie-biao-kai-tou"),
        ("*星号开头", "xing-hao-kai-tou"),
        ("* 星号 空格", "xing-hao-kong-ge"),
        ("[x] 方括号", "x-fang-kuo-hao"),
        ("{x} 花括号", "x-hua-kuo-hao"),
        ("null", "null"),
        ("123", "123"),
        ("a \\ backslash & <b>tag</b>", "a-backslash-b-tag-b"),
    ];
    for (title, slug) in titles {
        let rel = created(
            &site,
            &new_post(&site, &[title, "--date", "2026-11-25 10:00"]),
        );
        assert_eq!(
            rel,
            Path::new(&format!("content/posts/2026-11-25-{slug}.md")),
            "{title}"
        );
    }
    site.build(&[]).assert_ok();
    for (title, slug) in titles {
        assert_eq!(post_title(&site, slug), title);
    }
    let doc = site.html("index.html");
    let listed: Vec<String> = select(&doc, ".entry-title a").iter().map(text).collect();
    assert_eq!(listed.len(), titles.len());
    for (title, _) in titles {
        assert!(listed.iter().any(|t| t == title), "{title} not listed");
    }
}

#[test]
fn a_new_post_is_at_the_top_of_the_next_build() {
    let site = TestSite::new("");
    site.post(
        "2014-12-30-old",
        "title: 旧文章\ndate: 2014-12-30 16:51:55\n",
        "x\n",
    );
    let cst = FixedOffset::east_opt(8 * 3600).unwrap();
    let before = Utc::now()
        .with_timezone(&cst)
        .format("%Y-%m-%d")
        .to_string();
    let rel = created(&site, &new_post(&site, &["新文章"]));
    let after = Utc::now()
        .with_timezone(&cst)
        .format("%Y-%m-%d")
        .to_string();
    let name = rel.file_name().unwrap().to_str().unwrap();
    assert!(
        name == format!("{before}-xin-wen-zhang.md") || name == format!("{after}-xin-wen-zhang.md"),
        "{name} is not dated today in the site's +08:00"
    );
    site.build(&[]).assert_ok();
    let doc = site.html("index.html");
    let titles: Vec<String> = select(&doc, ".entry-title a").iter().map(text).collect();
    assert_eq!(titles, ["新文章", "旧文章"]);
}

#[test]
fn category_tags_and_date_reach_the_post() {
    let site = TestSite::new("");
    let rel = created(
        &site,
        &new_post(
            &site,
            &[
                "标签测试",
                "--category",
                "内存管理",
                "--tags",
                "slab,mm，内存",
                "--date",
                "2026-11-25T23:30:00Z",
            ],
        ),
    );
    // 23:30 UTC is the next morning in the site's +08:00, and the file is named by that day.
    assert_eq!(
        rel,
        Path::new("content/posts/2026-11-26-biao-qian-ce-shi.md")
    );
    let source = std::fs::read_to_string(site.path().join(&rel)).unwrap();
    for line in [
        "views: 0",
        "comments: 0",
        "shares: 0",
        "draft: false",
        "<!-- more -->",
    ] {
        assert!(source.contains(line), "{line} missing:\n{source}");
    }
    site.build(&[]).assert_ok();
    let doc = site.html("posts/biao-qian-ce-shi/index.html");
    let meta = text(&select(&doc, ".post-meta")[0]);
    assert!(meta.contains("2026-11-26 07:30:00"), "{meta}");
    assert!(meta.contains("内存管理"), "{meta}");
    assert!(meta.contains("slab, mm, 内存"), "{meta}");
}

#[test]
fn unicode_slug_style_keeps_chinese() {
    let site = TestSite::new("slug_style: unicode\n");
    let rel = created(
        &site,
        &new_post(&site, &["内核 源码分析", "--date", "2026-11-25"]),
    );
    assert_eq!(rel, Path::new("content/posts/2026-11-25-内核-源码分析.md"));
    site.build(&[]).assert_ok();
    assert_eq!(post_title(&site, "内核-源码分析"), "内核 源码分析");
}

#[test]
fn a_given_slug_is_used() {
    let site = TestSite::new("");
    let rel = created(
        &site,
        &new_post(
            &site,
            &["slab 原理", "--slug", "slab", "--date", "2026-11-25"],
        ),
    );
    assert_eq!(rel, Path::new("content/posts/2026-11-25-slab.md"));
    site.build(&[]).assert_ok();
    assert_eq!(post_title(&site, "slab"), "slab 原理");
}

#[test]
fn new_posts_get_the_next_id_when_the_permalink_needs_one() {
    let site = TestSite::new("permalinks:\n  posts: /uid-29599891-id-{id}.html\n");
    site.post(
        "2014-12-30-old",
        "title: 旧文\ndate: 2014-12-30\nid: 4636263\n",
        "旧。\n",
    );
    site.post(
        "2014-12-29-older",
        "title: 更旧\ndate: 2014-12-29\nid: \"17\"\n",
        "旧。\n",
    );
    let first = created(
        &site,
        &new_post(&site, &["第一篇新文", "--date", "2026-01-01"]),
    );
    let second = created(
        &site,
        &new_post(&site, &["第二篇新文", "--date", "2026-01-02"]),
    );
    let given = created(
        &site,
        &new_post(&site, &["给定编号", "--date", "2026-01-03", "--id", "99"]),
    );
    site.build(&[]).assert_ok();
    for (rel, id) in [(first, 4636264), (second, 4636265), (given, 99)] {
        let text = std::fs::read_to_string(site.path().join(&rel)).unwrap();
        assert!(text.contains(&format!("\nid: {id}\n")), "{text}");
        assert!(
            site.out()
                .join(format!("uid-29599891-id-{id}.html"))
                .is_file(),
            "{rel:?}: no page for id {id}"
        );
    }

    // Where no pattern needs an id, none is written.
    let plain = TestSite::new("");
    let rel = created(&plain, &new_post(&plain, &["无编号"]));
    let text = std::fs::read_to_string(plain.path().join(rel)).unwrap();
    assert!(!text.contains("\nid:"), "{text}");
}

#[test]
fn collisions_are_refused_and_nothing_is_overwritten() {
    let site = TestSite::new("");
    let first = created(
        &site,
        &new_post(&site, &["同一个标题", "--date", "2026-01-01"]),
    );
    let first_name = first.to_str().unwrap().to_string();
    let before = posts_snapshot(&site);

    // The same file name.
    new_post(&site, &["同一个标题", "--date", "2026-01-01 12:00"]).assert_error(&[
        &first_name,
        "already exists",
        "never overwrites",
    ]);
    assert_eq!(posts_snapshot(&site), before);

    // Another day, so another file name, but the same slug and so the same page.
    new_post(&site, &["同一个标题", "--date", "2026-02-02"]).assert_error(&[
        &first_name,
        "slug `tong-yi-ge-biao-ti`",
        "content/posts/2026-02-02-tong-yi-ge-biao-ti.md",
    ]);
    assert_eq!(posts_snapshot(&site), before);

    // A slug set in another post's front matter, in a draft, counts too.
    site.post(
        "2013-05-05-other",
        "title: 别的\ndate: 2013-05-05\nslug: taken\ndraft: true\n",
        "x\n",
    );
    let before = posts_snapshot(&site);
    new_post(&site, &["x", "--slug", "taken"])
        .assert_error(&["content/posts/2013-05-05-other.md", "slug `taken`"]);
    assert_eq!(posts_snapshot(&site), before);

    // A file of the name exists though its slug is another: still never replaced.
    site.post(
        "2026-03-03-free",
        "title: 手写\ndate: 2026-03-03\nslug: elsewhere\n",
        "keep me\n",
    );
    let before = posts_snapshot(&site);
    new_post(&site, &["free", "--date", "2026-03-03"])
        .assert_error(&["content/posts/2026-03-03-free.md", "already exists"]);
    assert_eq!(posts_snapshot(&site), before);

    // A broken post elsewhere does not stop a new one.
    site.post("broken", "title: t\ndate: 2014-02-30\n", "x\n");
    created(
        &site,
        &new_post(&site, &["仍然可以", "--date", "2026-04-04"]),
    );
}

#[test]
fn bad_titles_slugs_and_dates_are_refused() {
    let site = TestSite::new("");
    new_post(&site, &[""]).assert_error(&["the title is empty"]);
    new_post(&site, &["   "]).assert_error(&["the title is empty"]);
    new_post(&site, &["！？。……"]).assert_error(&["no letter or digit", "--slug"]);
    new_post(&site, &["!!!"]).assert_error(&["no letter or digit", "--slug"]);
    new_post(&site, &["x", "--slug", "../x"]).assert_error(&["--slug", ".."]);
    new_post(&site, &["x", "--slug", "a/b"]).assert_error(&["--slug", "path separator"]);
    new_post(&site, &["x", "--date", "2026-02-30"])
        .assert_error(&["--date", "not a real calendar date"]);
    assert!(posts_snapshot(&site).is_empty());
    assert!(!site.path().join("x.md").exists() && !site.path().join("content/x.md").exists());

    // Punctuation is a title like any other once the slug is given.
    let rel = created(&site, &new_post(&site, &["？！", "--slug", "wow"]));
    assert_eq!(slug_of(&rel), "wow");

    let not_a_site = tempfile::tempdir().unwrap();
    boke(&["new", "x", "--root", not_a_site.path().to_str().unwrap()])
        .assert_error(&["not a boke site"]);
    assert!(!not_a_site.path().join("content").exists());
}

#[test]
fn drafts_are_built_only_with_the_drafts_flag() {
    let site = TestSite::new("");
    let rel = created(&site, &new_post(&site, &["草稿文章", "--draft"]));
    assert!(
        std::fs::read_to_string(site.path().join(&rel))
            .unwrap()
            .contains("\ndraft: true\n")
    );
    let page = format!("posts/{}/index.html", slug_of(&rel));
    site.build(&[]).assert_ok();
    assert!(!site.out().join(&page).exists());
    assert!(!site.read("index.html").contains("草稿文章"));
    site.build(&["--drafts"]).assert_ok();
    assert_eq!(post_title(&site, &slug_of(&rel)), "草稿文章");
}

#[cfg(unix)]
#[test]
fn edit_opens_the_editor_on_the_new_post() {
    use std::os::unix::fs::PermissionsExt;
    let site = TestSite::new("");
    let editor = site.path().join("editor.sh");
    let record = site.path().join("edited.txt");
    std::fs::write(
        &editor,
        format!("#!/bin/sh\nprintf '%s ' \"$@\" > '{}'\n", record.display()),
    )
    .unwrap();
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    let root = site.path().to_str().unwrap();
    let editor_cmd = format!("{} --wait", editor.display());

    let run = boke_in(
        site.path(),
        &["new", "编辑", "--edit", "--root", root],
        &[("EDITOR", Some(&editor_cmd)), ("VISUAL", None)],
    );
    let rel = created(&site, &run);
    let args = std::fs::read_to_string(&record).unwrap();
    assert_eq!(
        args,
        format!("--wait {} ", site.path().join(&rel).display())
    );

    let before = posts_snapshot(&site);
    boke_in(
        site.path(),
        &["new", "没有编辑器", "--edit", "--root", root],
        &[("EDITOR", None), ("VISUAL", None)],
    )
    .assert_error(&["$EDITOR", "$VISUAL"]);
    assert_eq!(posts_snapshot(&site), before, "a post was left behind");
}

#[test]
fn init_then_build_works_with_the_binary_alone() {
    let dir = tempfile::tempdir().unwrap();
    let run = boke_in(dir.path(), &["init"], &[]);
    run.assert_ok();
    assert!(run.stdout().contains("boke build"), "{}", run.stdout());
    assert!(run.stdout().contains("boke serve"), "{}", run.stdout());
    for file in [
        "site.yaml",
        "content/posts/welcome.md",
        "templates/README.md",
    ] {
        assert!(dir.path().join(file).is_file(), "{file}");
    }
    assert!(dir.path().join("static").is_dir());
    let own_templates = walkdir::WalkDir::new(dir.path().join("templates"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .count();
    assert_eq!(
        own_templates, 0,
        "the site must rely on the built-in templates"
    );

    boke_in(dir.path(), &["build"], &[]).assert_ok();
    let index = std::fs::read_to_string(dir.path().join("public/index.html")).unwrap();
    let doc = scraper::Html::parse_document(&index);
    let titles: Vec<String> = select(&doc, ".entry-title a").iter().map(text).collect();
    assert_eq!(titles, ["欢迎使用 boke"]);
    assert_eq!(text(&select(&doc, "h1.site-title")[0]), "我的博客");
    assert!(dir.path().join("public/style.css").is_file());

    // The new site takes new posts.
    boke_in(dir.path(), &["new", "第二篇"], &[]).assert_ok();
    boke_in(dir.path(), &["build"], &[]).assert_ok();
    let index = std::fs::read_to_string(dir.path().join("public/index.html")).unwrap();
    let doc = scraper::Html::parse_document(&index);
    let titles: Vec<String> = select(&doc, ".entry-title a").iter().map(text).collect();
    assert_eq!(titles, ["第二篇", "欢迎使用 boke"]);

    // git keeps neither the built site nor boke's work folder (its caches).
    std::fs::create_dir_all(dir.path().join(".boke/cache")).unwrap();
    std::fs::write(dir.path().join(".boke/cache/x"), "x").unwrap();
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(dir.path())
            .args(args)
            .output()
            .expect("run git")
    };
    assert!(git(&["init", "-q"]).status.success());
    let status = git(&["status", "--porcelain", "--untracked-files=all"]);
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(status.contains(".gitignore"), "{status}");
    assert!(status.contains("content/posts/"), "{status}");
    assert!(
        !status.contains("public/") && !status.contains(".boke/"),
        "{status}"
    );
}

#[test]
fn init_makes_a_missing_directory_with_the_given_title() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("my blog");
    let title = "Kernel: 笔记 #1 \"引号\"";
    let run = boke(&["init", dir.to_str().unwrap(), "--title", title]);
    run.assert_ok();
    assert!(
        run.stdout()
            .contains(&format!("cd '{}' && boke build", dir.display())),
        "{}",
        run.stdout()
    );
    boke(&["build", "--root", dir.to_str().unwrap()]).assert_ok();
    let index = std::fs::read_to_string(dir.join("public/index.html")).unwrap();
    let doc = scraper::Html::parse_document(&index);
    assert_eq!(text(&select(&doc, "h1.site-title")[0]), title);
}

#[test]
fn init_refuses_a_non_empty_directory_unless_forced_and_keeps_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "keep me").unwrap();
    let mine = "title: 我自己的站\npaginate: 5\n";
    std::fs::write(dir.path().join("site.yaml"), mine).unwrap();

    boke(&["init", path]).assert_error(&[path, "not empty", "notes.txt", "--force"]);
    assert!(
        !dir.path().join("content").exists(),
        "init wrote before refusing"
    );

    let run = boke(&["init", path, "--force"]);
    run.assert_ok();
    assert!(
        run.stdout().contains("kept    site.yaml"),
        "{}",
        run.stdout()
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("site.yaml")).unwrap(),
        mine
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
        "keep me"
    );
    assert!(dir.path().join("content/posts/welcome.md").is_file());
    boke(&["build", "--root", path]).assert_ok();
    let doc = scraper::Html::parse_document(
        &std::fs::read_to_string(dir.path().join("public/index.html")).unwrap(),
    );
    assert_eq!(text(&select(&doc, "h1.site-title")[0]), "我自己的站");

    // Again: everything is there, so everything is kept, edits included.
    std::fs::write(dir.path().join("content/posts/welcome.md"), "edited").unwrap();
    let before = snapshot(dir.path());
    let run = boke(&["init", path, "--force"]);
    run.assert_ok();
    assert!(
        run.stdout().contains("already has every file"),
        "{}",
        run.stdout()
    );
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn init_force_does_not_add_a_second_welcome_slug() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap();
    std::fs::write(dir.path().join("site.yaml"), "title: t\n").unwrap();
    std::fs::create_dir_all(dir.path().join("content/posts")).unwrap();
    std::fs::write(
        dir.path().join("content/posts/2020-01-01-welcome.md"),
        "---\ntitle: 我的欢迎\ndate: 2020-01-01\n---\nx\n",
    )
    .unwrap();
    let run = boke(&["init", path, "--force"]);
    run.assert_ok();
    assert!(
        run.stdout().contains("2020-01-01-welcome.md"),
        "{}",
        run.stdout()
    );
    assert!(!dir.path().join("content/posts/welcome.md").exists());
    boke(&["build", "--root", path]).assert_ok();
}

#[test]
fn init_counts_hidden_entries_as_empty_and_refuses_a_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    boke(&["init", dir.path().to_str().unwrap()]).assert_ok();
    assert!(dir.path().join("site.yaml").is_file());

    let file = dir.path().join("site.yaml");
    boke(&["init", file.to_str().unwrap()]).assert_error(&["not a directory"]);
    boke(&[
        "init",
        dir.path().join("x").to_str().unwrap(),
        "--title",
        " ",
    ])
    .assert_error(&["--title", "empty"]);
    assert!(!dir.path().join("x").exists());
}
