//! The bad-input corpus: one test per way a site can be wrong. Each starts from a site that
//! built, breaks one thing, builds again and checks that boke exits with 1, names the file (and
//! line) and says what to do, did not panic, and left the previous output byte for byte as it
//! was. The few inputs that are valid (BOM, CRLF, a huge post, a PNG beside the posts) must
//! build instead.

use crate::common;
use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

type Tree = BTreeMap<PathBuf, Vec<u8>>;

/// A site with two posts, a guestbook and a static file, built once.
fn built() -> (TestSite, Tree) {
    let site = TestSite::new("");
    site.post(
        "2014-11-19-slab",
        "title: slab原理\ndate: 2014-11-19 16:06:19\ncategory: 内存管理\n",
        "slab 分配器。\n",
    );
    site.post(
        "2014-12-30-exit",
        "title: 退出码\ndate: 2014-12-30\n",
        "正文。\n",
    );
    site.write(
        "data/guestbook.yaml",
        "- author: 啦哆A梦\n  time: \"2014-02-21 11:08\"\n",
    );
    site.write("static/img/logo.txt", "logo");
    site.build(&[]).assert_ok();
    let before = snapshot(&site.out());
    assert!(before.contains_key(Path::new("posts/slab/index.html")));
    (site, before)
}

/// Exit 1 with every needle and a help line, no panic, the previous output unchanged and no
/// staging directory left behind.
#[track_caller]
fn refused(site: &TestSite, before: &Tree, run: &Run, needles: &[&str]) {
    run.assert_error(needles);
    assert!(run.stderr().contains("help:"), "no help:\n{}", run.stderr());
    assert!(
        before == &snapshot(&site.out()),
        "the previous output changed after:\n{}",
        run.stderr()
    );
    let leftovers: Vec<String> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("boke-"))
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
}

/// Add `content/posts/bad.md` with these bytes to a built site and expect a refusal.
#[track_caller]
fn bad_post(bytes: &[u8], needles: &[&str]) {
    let (site, before) = built();
    site.write_bytes("content/posts/bad.md", bytes);
    let run = site.build(&[]);
    refused(&site, &before, &run, needles);
}

/// Replace site.yaml of a built site and expect a refusal.
#[track_caller]
fn bad_config(text: &[u8], needles: &[&str]) {
    let (site, before) = built();
    site.write_bytes("site.yaml", text);
    let run = site.build(&[]);
    refused(&site, &before, &run, needles);
}

// --- front matter -------------------------------------------------------------------------

#[test]
fn front_matter_not_closed() {
    bad_post(
        b"---\ntitle: t\ndate: 2014-01-01\n\nbody\n",
        &[
            "content/posts/bad.md:1:",
            "never closed",
            "add a line `---`",
        ],
    );
}

#[test]
fn no_front_matter() {
    bad_post(
        b"# just markdown\n",
        &["content/posts/bad.md:1:", "no front matter"],
    );
}

#[test]
fn yaml_syntax_error() {
    bad_post(
        b"---\ntitle: t\ndate: 2014-01-01\ntags: [oops\n---\n",
        &["content/posts/bad.md:4:", "invalid YAML"],
    );
}

#[test]
fn tab_indented_yaml() {
    bad_post(
        b"---\ntitle: t\n\tdate: 2014-01-01\n---\n",
        &["content/posts/bad.md:3:", "tab", "indent with spaces"],
    );
}

#[test]
fn duplicate_keys() {
    bad_post(
        b"---\ntitle: a\ndate: 2014-01-01\ntitle: b\n---\n",
        &["content/posts/bad.md:4:", "duplicate", "title"],
    );
}

#[test]
fn front_matter_is_a_list() {
    bad_post(
        b"---\n- title\n- date\n---\n",
        &[
            "content/posts/bad.md:2:",
            "not a list of `key: value` lines",
        ],
    );
}

#[test]
fn yaml_alias_bomb() {
    // Nine levels of nine aliases would expand to 387 million strings.
    let mut yaml = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
        yaml.push_str(&format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{prev}"); 9].join(",")
        ));
    }
    bad_post(
        format!("---\ndate: 2014-01-01\n{yaml}---\n").as_bytes(),
        &[
            "content/posts/bad.md",
            "repetition limit",
            "write the values out",
        ],
    );
}

#[test]
fn yaml_nested_too_deep() {
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    bad_post(
        format!("---\ndate: 2014-01-01\nx: {deep}\n---\n").as_bytes(),
        &["content/posts/bad.md:3:", "recursion limit"],
    );
}

#[test]
fn missing_date() {
    bad_post(
        b"---\ntitle: t\n---\n",
        &[
            "content/posts/bad.md: the front matter has no `date`",
            "date: 2014-12-30",
        ],
    );
}

#[test]
fn impossible_date() {
    bad_post(
        b"---\ntitle: t\ndate: 2014-02-30\n---\n",
        &["content/posts/bad.md:3:", "not a real calendar date"],
    );
}

#[test]
fn date_in_no_known_format() {
    bad_post(
        b"---\ntitle: t\ndate: last tuesday\n---\n",
        &["content/posts/bad.md:3:", "`date`"],
    );
}

#[test]
fn negative_views() {
    bad_post(
        b"---\ntitle: t\ndate: 2014-01-01\nviews: -1\n---\n",
        &[
            "content/posts/bad.md:4:",
            "whole number of 0 or more, not -1",
        ],
    );
}

#[test]
fn views_as_text() {
    bad_post(
        b"---\ntitle: t\ndate: 2014-01-01\nviews: \"many\"\n---\n",
        &["content/posts/bad.md:4:", "whole number", "not text"],
    );
}

#[test]
fn views_as_a_huge_float() {
    bad_post(
        b"---\ntitle: t\ndate: 2014-01-01\nviews: 1e99\n---\n",
        &["content/posts/bad.md:4:", "not 1e99"],
    );
}

#[test]
fn views_beyond_u64() {
    bad_post(
        b"---\ntitle: t\ndate: 2014-01-01\nviews: 18446744073709551616\n---\n",
        &["content/posts/bad.md:4:", "too large"],
    );
}

#[test]
fn title_is_a_list() {
    bad_post(
        b"---\ntitle: [a, b]\ndate: 2014-01-01\n---\n",
        &[
            "content/posts/bad.md:2:",
            "`title` must be text, not a list",
        ],
    );
}

#[test]
fn draft_is_not_a_flag() {
    bad_post(
        b"---\ntitle: t\ndate: 2014-01-01\ndraft: maybe\n---\n",
        &["content/posts/bad.md:4:", "true or false"],
    );
}

// --- slugs ----------------------------------------------------------------------------------

#[test]
fn duplicate_slugs_name_both_files() {
    let (site, before) = built();
    site.post(
        "2015-01-01-exit",
        "title: 又一个\ndate: 2015-01-01\n",
        "x\n",
    );
    let run = site.build(&[]);
    refused(
        &site,
        &before,
        &run,
        &[
            "content/posts/2014-12-30-exit.md",
            "content/posts/2015-01-01-exit.md",
            "slug `exit`",
        ],
    );
}

#[test]
fn slug_with_slash() {
    bad_post(
        b"---\ntitle: t\ndate: 2014-01-01\nslug: a/b\n---\n",
        &["content/posts/bad.md:4:", "path separator"],
    );
}

#[test]
fn slug_with_dot_dot() {
    bad_post(
        b"---\ntitle: t\ndate: 2014-01-01\nslug: ..\n---\n",
        &["content/posts/bad.md:4:", "the slug `..` names a folder"],
    );
}

#[test]
fn slug_with_backslash() {
    bad_post(
        b"---\ntitle: t\ndate: 2014-01-01\nslug: 'a\\b'\n---\n",
        &["content/posts/bad.md:4:", "path separator"],
    );
}

#[test]
fn slug_with_nul() {
    bad_post(
        b"---\ntitle: t\ndate: 2014-01-01\nslug: \"a\\0b\"\n---\n",
        &["content/posts/bad.md:4:", "control character"],
    );
}

#[test]
fn category_with_path_characters_stays_inside_the_output() {
    let (site, _) = built();
    site.post(
        "cat",
        "title: t\ndate: 2014-01-01\ncategory: \"../../../etc/x\"\n",
        "x\n",
    );
    site.build(&[]).assert_ok();
    let outside: Vec<_> = walkdir::WalkDir::new(site.path())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "x" || e.path().ends_with("etc"))
        .map(|e| e.path().to_path_buf())
        .collect();
    assert!(outside.is_empty(), "{outside:?}");
    let pages: Vec<_> = std::fs::read_dir(site.out().join("categories"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with("etc-x"))
        .collect();
    assert_eq!(pages.len(), 1, "{pages:?}");
    assert!(pages[0].join("index.html").is_file());
}

// --- encodings and odd files ------------------------------------------------------------------

#[test]
fn gbk_file_is_named_as_gbk() {
    // "内核源码分析" in GBK, as old Chinese blogs were saved.
    let gbk_title = b"\xC4\xDA\xBA\xCB\xD4\xB4\xC2\xEB\xB7\xD6\xCE\xF6";
    let mut bytes = b"---\ntitle: ".to_vec();
    bytes.extend_from_slice(gbk_title);
    bytes.extend_from_slice(b"\ndate: 2014-01-01\n---\n");
    bytes.extend_from_slice(gbk_title);
    bad_post(
        &bytes,
        &[
            "content/posts/bad.md:2:",
            "not UTF-8",
            "GBK",
            "iconv -f GBK -t UTF-8",
        ],
    );
}

#[test]
fn latin1_file_is_named_as_latin1() {
    bad_post(
        b"---\ntitle: t\ndate: 2014-01-01\n---\nCaf\xE9 cr\xE8me br\xFBl\xE9e\n",
        &[
            "content/posts/bad.md:5:",
            "not UTF-8",
            "Latin-1",
            "iconv -f LATIN1",
        ],
    );
}

#[test]
fn utf8_bom_builds() {
    let (site, _) = built();
    site.write_bytes(
        "content/posts/bom.md",
        "\u{feff}---\ntitle: 带BOM\ndate: 2014-01-01\n---\n正文\n".as_bytes(),
    );
    site.build(&[]).assert_ok();
    let doc = site.html("posts/bom/index.html");
    assert_eq!(text(&select(&doc, "h2.post-title")[0]), "带BOM");
}

#[test]
fn crlf_line_endings_build() {
    let (site, _) = built();
    site.write_bytes(
        "content/posts/crlf.md",
        "---\r\ntitle: Windows\r\ndate: 2014-01-01\r\n---\r\n## 小节\r\n\r\n第一段\r\n第二行\r\n"
            .as_bytes(),
    );
    site.build(&[]).assert_ok();
    let html = site.read("posts/crlf/index.html");
    assert!(!html.contains('\r'), "a CR reached the page");
    let doc = site.html("posts/crlf/index.html");
    assert!(text(&select(&doc, ".post-body h2#小节")[0]).starts_with("小节"));
    assert_eq!(text(&select(&doc, ".post-body p")[0]), "第一段\n第二行");
}

#[test]
fn empty_file() {
    bad_post(
        b"",
        &[
            "content/posts/bad.md:1:",
            "empty",
            "start the file with a line `---`",
        ],
    );
}

#[test]
fn fifty_megabyte_post_builds() {
    // Valid Markdown of any size is a post; it must build, and the listing must stay small.
    let (site, _) = built();
    let section = format!(
        "## 小节\n\n{}\n\n- **粗体** `code`\n\n",
        "内核中物理内存使用伙伴系统进行管理，slab 分配器建立在伙伴系统之上。".repeat(20)
    );
    // One code block: highlighting thousands would only measure the highlighter in debug.
    let mut md =
        String::from("---\ntitle: 大文章\ndate: 2015-06-01\n---\n```c\nstatic int x = 1;\n```\n\n");
    while md.len() < 50 * 1024 * 1024 {
        md.push_str(&section);
    }
    site.write("content/posts/big.md", &md);
    drop(md);
    site.build(&[]).assert_ok();
    let page = std::fs::metadata(site.out().join("posts/big/index.html")).unwrap();
    assert!(page.len() > 50 * 1024 * 1024, "{} bytes", page.len());
    let index = site.read("index.html");
    assert!(index.len() < 64 * 1024, "listing is {} bytes", index.len());
    assert!(index.contains("大文章"));
}

#[test]
fn binary_file_named_md() {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend_from_slice(&[0; 64]);
    bad_post(
        &png,
        &[
            "content/posts/bad.md:1:",
            "binary file",
            "move it out of content/posts",
        ],
    );
}

#[test]
fn nul_bytes_in_utf8_text() {
    bad_post(
        b"---\ntitle: t\ndate: 2014-01-01\n---\ntext\0more\n",
        &["content/posts/bad.md", "binary file"],
    );
}

#[test]
fn png_beside_the_posts_is_ignored() {
    let (site, before) = built();
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&[0; 64]);
    site.write_bytes("content/posts/figure.png", &png);
    site.build(&[]).assert_ok();
    assert_eq!(before, snapshot(&site.out()));
}

#[test]
fn non_utf8_file_name() {
    use std::os::unix::ffi::OsStrExt;
    let (site, before) = built();
    // "内核.md" with a GBK-encoded name.
    let name = std::ffi::OsStr::from_bytes(b"\xC4\xDA\xBA\xCB.md");
    std::fs::write(
        site.path().join("content/posts").join(name),
        "---\ntitle: t\ndate: 2014-01-01\n---\n",
    )
    .unwrap();
    let run = site.build(&[]);
    refused(
        &site,
        &before,
        &run,
        &["content/posts/", "file name is not UTF-8", "convmv"],
    );
}

// --- links and permissions --------------------------------------------------------------------

#[test]
fn symlink_loop() {
    let (site, before) = built();
    std::os::unix::fs::symlink("..", site.path().join("content/posts/again")).unwrap();
    let run = site.build(&[]);
    refused(
        &site,
        &before,
        &run,
        &["content/posts/again", "makes a loop"],
    );
}

#[test]
fn symlinks_pointing_at_each_other() {
    let (site, before) = built();
    let posts = site.path().join("content/posts");
    std::os::unix::fs::symlink("b.md", posts.join("a.md")).unwrap();
    std::os::unix::fs::symlink("a.md", posts.join("b.md")).unwrap();
    let run = site.build(&[]);
    refused(
        &site,
        &before,
        &run,
        &[
            "content/posts/a.md",
            "content/posts/b.md",
            "leads to no file",
        ],
    );
}

#[test]
fn dangling_symlink() {
    let (site, before) = built();
    std::os::unix::fs::symlink("gone.md", site.path().join("content/posts/old.md")).unwrap();
    let run = site.build(&[]);
    refused(
        &site,
        &before,
        &run,
        &["content/posts/old.md", "leads to no file"],
    );
}

#[test]
fn symlink_pointing_outside_the_site() {
    let (site, before) = built();
    let elsewhere = tempfile::tempdir().unwrap();
    let secret = elsewhere.path().join("diary.md");
    std::fs::write(&secret, "---\ntitle: 日记\ndate: 2014-01-01\n---\n私人\n").unwrap();
    std::os::unix::fs::symlink(&secret, site.path().join("content/posts/diary.md")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), site.path().join("content/posts/more")).unwrap();
    let run = site.build(&[]);
    refused(
        &site,
        &before,
        &run,
        &[
            "content/posts/diary.md: this symbolic link points outside the site",
            "content/posts/more: this symbolic link points outside the site",
            "copy the file into the site",
        ],
    );
}

#[test]
fn static_symlink_pointing_outside_the_site() {
    let (site, before) = built();
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("id_rsa"), "secret").unwrap();
    std::os::unix::fs::symlink(
        elsewhere.path().join("id_rsa"),
        site.path().join("static/id_rsa"),
    )
    .unwrap();
    let run = site.build(&[]);
    refused(
        &site,
        &before,
        &run,
        &["static/id_rsa", "points outside the site"],
    );
}

#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let (site, before) = built();
    let path = site.path().join("content/posts/locked.md");
    std::fs::write(&path, "---\ntitle: 锁住\ndate: 2014-01-01\n---\nx\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    let run = site.build(&[]);
    if std::fs::read(&path).is_ok() {
        // Running as root (as CI does), mode 000 does not stop reading: the post is valid and
        // must build like any other.
        run.assert_ok();
        assert!(site.read("posts/locked/index.html").contains("锁住"));
    } else {
        refused(
            &site,
            &before,
            &run,
            &["content/posts/locked.md", "cannot read", "permission"],
        );
    }
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
}

// --- templates and static files -----------------------------------------------------------------

#[test]
fn template_syntax_error() {
    let (site, before) = built();
    site.write(
        "templates/index.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{% for x in %}\n{% endblock %}\n",
    );
    let run = site.build(&[]);
    refused(
        &site,
        &before,
        &run,
        &["templates/index.html:3", "template"],
    );
}

#[test]
fn template_uses_an_undefined_variable() {
    let (site, before) = built();
    site.write(
        "templates/post.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<p>{{ post.title }}</p>\n{{ post.nonesuch.x }}\n{% endblock %}\n",
    );
    let run = site.build(&[]);
    refused(
        &site,
        &before,
        &run,
        &["templates/post.html:4", "is defined"],
    );
}

#[test]
fn template_not_utf8() {
    let (site, before) = built();
    site.write_bytes("templates/index.html", b"<p>caf\xE9</p>\n");
    let run = site.build(&[]);
    refused(&site, &before, &run, &["templates/index.html", "UTF-8"]);
}

#[test]
fn static_file_colliding_with_a_generated_page() {
    let (site, before) = built();
    site.write("static/posts/exit/index.html", "<p>shadow</p>");
    let run = site.build(&[]);
    refused(
        &site,
        &before,
        &run,
        &[
            "static/posts/exit/index.html",
            "would replace the generated page",
        ],
    );
}

// --- guestbook and settings ---------------------------------------------------------------------

#[test]
fn guestbook_with_a_wrong_type() {
    let (site, before) = built();
    site.write("data/guestbook.yaml", "- author: 小明\n  time: [1, 2]\n");
    let run = site.build(&[]);
    refused(
        &site,
        &before,
        &run,
        &["data/guestbook.yaml:2", "guestbook"],
    );
}

#[test]
fn guestbook_not_utf8() {
    let (site, before) = built();
    site.write_bytes(
        "data/guestbook.yaml",
        b"- author: \xC4\xDA\xBA\xCB\n  time: x\n",
    );
    let run = site.build(&[]);
    refused(&site, &before, &run, &["data/guestbook.yaml", "UTF-8"]);
}

#[test]
fn site_yaml_missing() {
    let (site, before) = built();
    std::fs::remove_file(site.path().join("site.yaml")).unwrap();
    let run = site.build(&[]);
    refused(
        &site,
        &before,
        &run,
        &["site.yaml", "not a boke site", "--root"],
    );
}

#[test]
fn site_yaml_empty() {
    bad_config(b"", &["site.yaml: site.yaml is empty", "title"]);
}

#[test]
fn site_yaml_with_a_wrong_type() {
    bad_config(
        "title: 博客\npaginate: lots\n".as_bytes(),
        &["site.yaml:2", "paginate"],
    );
}

#[test]
fn site_yaml_title_is_a_list() {
    bad_config(b"title: [a, b]\n", &["site.yaml:1", "title"]);
}

#[test]
fn site_yaml_unknown_key() {
    bad_config(
        b"title: t\npaginte: 10\n",
        &["site.yaml:2", "paginte", "README"],
    );
}

#[test]
fn site_yaml_not_utf8() {
    bad_config(b"title: \xC4\xDA\xBA\xCB\n", &["site.yaml", "not UTF-8"]);
}

#[test]
fn javascript_url_in_nav() {
    bad_config(
        "title: t\nnav:\n  - name: 首页\n    url: /\n  - name: 点我\n    url: \"javascript:alert(1)\"\n"
            .as_bytes(),
        &["site.yaml:6", "javascript:alert(1)", "http(s)://"],
    );
}

#[test]
fn javascript_url_as_avatar() {
    bad_config(
        b"title: t\nprofile:\n  name: me\n  avatar: \" JavaScript:alert(1)\"\n",
        &["site.yaml:4", "avatar", "http(s)://"],
    );
}

// --- output directories -----------------------------------------------------------------------

#[test]
fn output_is_the_site_root() {
    let (site, before) = built();
    let root = site.path().to_str().unwrap().to_string();
    let run = site.build(&["--output", &root]);
    refused(
        &site,
        &before,
        &run,
        &["refusing", "contains the site itself", "--output"],
    );
    assert!(
        site.path()
            .join("content/posts/2014-11-19-slab.md")
            .is_file()
    );
}

#[test]
fn output_is_the_file_system_root() {
    let (site, before) = built();
    let run = site.build(&["--output", "/"]);
    refused(&site, &before, &run, &["refusing", "file system root"]);
    assert!(Path::new("/etc").is_dir());
}

#[test]
fn output_is_home() {
    let (site, before) = built();
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join(".bashrc"), "# mine").unwrap();
    let home_str = home.path().to_str().unwrap();
    let root = site.path().to_str().unwrap();
    let run = boke_in(
        site.path(),
        &["build", "--root", root, "--output", home_str],
        &[("HOME", Some(home_str))],
    );
    refused(&site, &before, &run, &["refusing", "home directory"]);
    assert_eq!(
        std::fs::read_to_string(home.path().join(".bashrc")).unwrap(),
        "# mine"
    );
}

#[test]
fn output_is_a_non_empty_folder_boke_did_not_write() {
    let (site, before) = built();
    let thesis = tempfile::tempdir().unwrap();
    std::fs::write(thesis.path().join("chapter1.tex"), "years of work").unwrap();
    let run = site.build(&["--output", thesis.path().to_str().unwrap()]);
    refused(
        &site,
        &before,
        &run,
        &["refusing", "not written by boke", ".boke-output"],
    );
    let left = snapshot(thesis.path());
    assert_eq!(left.len(), 1);
    assert_eq!(left[Path::new("chapter1.tex")], b"years of work");
}

#[test]
fn output_is_another_site() {
    let (site, before) = built();
    let other = TestSite::new("");
    let run = site.build(&["--output", other.path().to_str().unwrap()]);
    refused(&site, &before, &run, &["refusing", "looks like a site"]);
    assert!(other.path().join("site.yaml").is_file());
}

#[test]
fn output_is_a_file() {
    let (site, before) = built();
    let file = site.path().join("notes.txt");
    std::fs::write(&file, "keep").unwrap();
    let run = site.build(&["--output", file.to_str().unwrap()]);
    refused(&site, &before, &run, &["refusing", "it is a file"]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");
}
