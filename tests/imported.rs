//! What importers write, as `boke build` and `boke check` read it: a post's
//! asset folder, its comments, `data/redirects.yaml` and standalone pages (`content/pages/`).

use crate::common;
use common::*;

/// A PNG's header alone (1 × 1): its size is read, its pixels never are.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\0\0\0\0";

fn check(site: &TestSite) -> Run {
    boke(&["check", "--root", site.path().to_str().unwrap()])
}

/// A post with an asset folder, linked in every way an editor or an importer writes it.
fn with_assets(config: &str, front: &str) -> TestSite {
    let site = TestSite::new(config);
    site.post(
        "2014-11-19-slab",
        &format!("title: slab\ndate: 2014-11-19 16:06\n{front}"),
        "摘要 ![图一](fig1.png)\n\n<!-- more -->\n\n![相对](2014-11-19-slab/fig1.png)\n\n[附件](<2014-11-19-slab/notes v2.txt>) [内存](内存.png#x) ![子目录](img/2.gif)\n\n![外面](https://example.org/fig1.png)\n",
    );
    site.write_bytes("content/posts/2014-11-19-slab/fig1.png", PNG);
    site.write("content/posts/2014-11-19-slab/notes v2.txt", "notes");
    // Markdown among a post's files is one of its files, not a post.
    site.write(
        "content/posts/2014-11-19-slab/draft notes.md",
        "no front matter",
    );
    site.write_bytes("content/posts/2014-11-19-slab/内存.png", PNG);
    site.write_bytes("content/posts/2014-11-19-slab/img/2.gif", b"GIF89a");
    // A finder's leftovers are not published.
    site.write("content/posts/2014-11-19-slab/.DS_Store", "x");
    site
}

fn srcs(doc: &scraper::Html, css: &str, attr: &str) -> Vec<String> {
    select(doc, css)
        .iter()
        .filter_map(|e| e.value().attr(attr).map(String::from))
        .collect()
}

#[test]
fn a_posts_folder_is_published_beside_its_page_and_its_links_follow() {
    let site = with_assets("", "");
    site.build(&[]).assert_ok();
    let page = site.out().join("posts/slab");
    assert_eq!(std::fs::read(page.join("fig1.png")).unwrap(), PNG);
    assert_eq!(std::fs::read(page.join("img/2.gif")).unwrap(), b"GIF89a");
    assert!(page.join("notes v2.txt").is_file() && page.join("内存.png").is_file());
    assert!(!page.join(".DS_Store").exists());
    assert!(page.join("draft notes.md").is_file());
    assert!(!site.out().join("posts/2014-11-19-slab").exists());

    let doc = site.html("posts/slab/index.html");
    assert_eq!(
        srcs(&doc, ".post-body img", "src"),
        [
            "/posts/slab/fig1.png",
            "/posts/slab/fig1.png",
            "/posts/slab/img/2.gif",
            "https://example.org/fig1.png"
        ]
    );
    assert_eq!(
        srcs(&doc, ".post-body a:not(.image)", "href"),
        [
            "/posts/slab/notes%20v2.txt",
            "/posts/slab/%E5%86%85%E5%AD%98.png#x"
        ]
    );
    // The excerpt on the home page shows the picture from the post's folder too.
    let home = site.html("index.html");
    assert_eq!(
        srcs(&home, "img[alt=图一]", "src"),
        ["/posts/slab/fig1.png"]
    );
    check(&site).assert_ok();
}

#[test]
fn file_permalinks_and_a_base_path() {
    let site = with_assets(
        "base_url: https://example.org/blog/\npermalinks:\n  posts: \"/uid-1-id-{id}.html\"\n",
        "id: 42\n",
    );
    site.build(&[]).assert_ok();
    // The old page stays a file; its files go in a folder of its name.
    assert!(site.out().join("uid-1-id-42.html").is_file());
    assert_eq!(
        std::fs::read(site.out().join("uid-1-id-42/fig1.png")).unwrap(),
        PNG
    );
    let doc = site.html("uid-1-id-42.html");
    assert_eq!(
        srcs(&doc, ".post-body img", "src")[..3],
        [
            "/blog/uid-1-id-42/fig1.png",
            "/blog/uid-1-id-42/fig1.png",
            "/blog/uid-1-id-42/img/2.gif"
        ]
    );
    let home = site.html("index.html");
    assert_eq!(
        srcs(&home, "img[alt=图一]", "src"),
        ["/blog/uid-1-id-42/fig1.png"]
    );
    check(&site).assert_ok();
}

#[test]
fn check_reports_a_picture_that_is_not_there_and_accepts_at_links_to_files() {
    let site = with_assets("", "");
    site.post(
        "2014-12-01-other",
        "title: other\ndate: 2014-12-01\n",
        "![其他](@/posts/2014-11-19-slab/fig1.png)\n",
    );
    site.build(&[]).assert_ok();
    let doc = site.html("posts/other/index.html");
    assert_eq!(
        srcs(&doc, ".post-body img", "src"),
        ["/posts/slab/fig1.png"]
    );
    check(&site).assert_ok();

    // A picture named relative to the post that its folder lacks stops the build and the check.
    site.post(
        "2014-12-01-other",
        "title: other\ndate: 2014-12-01\n",
        "![其他](@/posts/2014-11-19-slab/fig1.png) ![丢失](missing.png)\n",
    );
    let at = [
        "content/posts/2014-12-01-other.md:5",
        "missing.png",
        "names no file",
    ];
    site.build(&[]).assert_error(&at);
    check(&site).assert_error(&at);

    // An `@/` link to a file that is not in the folder is a build error at its line.
    site.post(
        "2014-12-01-other",
        "title: other\ndate: 2014-12-01\n",
        "\n![其他](@/posts/2014-11-19-slab/nope.png)\n",
    );
    site.build(&[]).assert_error(&[
        "content/posts/2014-12-01-other.md:6",
        "page or file of a post",
        "@/posts/2014-11-19-slab/nope.png",
    ]);
}

#[test]
fn unsafe_asset_folders_are_errors_and_keep_the_old_output() {
    let site = with_assets("", "");
    site.build(&[]).assert_ok();
    let before = snapshot(&site.out());

    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    let link = site.path().join("content/posts/2014-11-19-slab/secret.txt");
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), &link).unwrap();
    site.build(&[]).assert_error(&[
        "content/posts/2014-11-19-slab/secret.txt",
        "points outside the site",
    ]);
    assert_eq!(
        snapshot(&site.out()),
        before,
        "a failed build leaves the output"
    );
    std::fs::remove_file(&link).unwrap();

    // A link inside the site is fine.
    std::os::unix::fs::symlink(
        site.path().join("content/posts/2014-11-19-slab/fig1.png"),
        site.path().join("content/posts/2014-11-19-slab/same.png"),
    )
    .unwrap();
    site.build(&[]).assert_ok();
    assert_eq!(
        std::fs::read(site.out().join("posts/slab/same.png")).unwrap(),
        PNG
    );

    // A file named like the page it sits beside would replace it.
    site.write("content/posts/2014-11-19-slab/index.html", "<p>mine</p>");
    site.build(&[]).assert_error(&[
        "content/posts/2014-11-19-slab/index.html",
        "posts/slab/index.html, which is a page",
    ]);
    std::fs::remove_file(site.path().join("content/posts/2014-11-19-slab/index.html")).unwrap();

    site.write("content/posts/2014-11-19-slab/bell\u{7}.png", "x");
    site.build(&[]).assert_error(&["control character"]);
}

#[test]
fn comments_are_shown_under_the_counts_and_the_count_is_the_front_matters() {
    let site = TestSite::new("");
    site.post(
        "2014-11-19-slab",
        "title: slab\ndate: 2014-11-19 16:06\ncomments: 7\n",
        "正文。\n",
    );
    site.write(
        "content/posts/2014-11-19-slab.comments.yaml",
        "- author: 张三\n  url: \"http://zhangsan.example.org/\"\n  date: \"2014-11-20 10:00:00\"\n  text: |-\n    第一行\n    第二行\n  replies:\n    - author: 博主\n      date: \"2014-11-20T03:30:00Z\"\n      text: 谢谢。\n- author: 李四\n  url: \"ftp://lisi.example.org/\"\n  text: 看不懂 http://example.org/x\n",
    );
    site.build(&[]).assert_ok();
    let doc = site.html("posts/slab/index.html");
    assert!(
        text(&select(&doc, ".entry-counts")[0]).contains("评论(7)"),
        "the old blog's count stays"
    );
    // Under the counts, as on the old blog.
    let order: Vec<String> = select(&doc, ".entry-counts, .comments")
        .iter()
        .map(|e| e.value().attr("class").unwrap().to_string())
        .collect();
    assert_eq!(order, ["entry-counts", "comments"]);
    assert_eq!(
        text(&select(&doc, ".comments h3")[0]),
        "给主人留下些什么吧！~~"
    );
    let authors: Vec<String> = select(&doc, ".comment .message-author")
        .iter()
        .map(text)
        .collect();
    assert_eq!(authors, ["张三", "博主", "李四"]);
    let first = select(&doc, ".comment a")[0].value();
    assert_eq!(first.attr("href"), Some("http://zhangsan.example.org/"));
    assert_eq!(first.attr("rel"), Some("nofollow ugc"));
    assert_eq!(
        select(&doc, ".comment a").len(),
        1,
        "only http(s) links, none in text"
    );
    let times: Vec<String> = select(&doc, ".comment time")
        .iter()
        .map(|t| t.value().attr("datetime").unwrap().to_string())
        .collect();
    assert_eq!(
        times,
        ["2014-11-20T10:00:00+08:00", "2014-11-20T11:30:00+08:00"]
    );
    assert_eq!(select(&doc, ".comment.reply").len(), 1);
    assert_eq!(select(&doc, ".comment .message-text br").len(), 1);
    // Without a comments file there is no block.
    site.write("content/posts/2014-11-19-slab.comments.yaml", "");
    site.build(&[]).assert_ok();
    assert!(select(&site.html("posts/slab/index.html"), ".comments").is_empty());
}

#[test]
fn a_malformed_comments_file_is_an_error_at_its_line() {
    let site = TestSite::new("");
    site.post(
        "2014-11-19-slab",
        "title: slab\ndate: 2014-11-19\n",
        "正文。\n",
    );
    site.build(&[]).assert_ok();
    let before = snapshot(&site.out());
    site.write(
        "content/posts/2014-11-19-slab.comments.yaml",
        "- author: 张三\n  text: 好\n- author: 李四\n  date: \"2014-13-01\"\n  text: 坏\n",
    );
    site.build(&[]).assert_error(&[
        "content/posts/2014-11-19-slab.comments.yaml:4",
        "2014-13-01",
    ]);
    site.write(
        "content/posts/2014-11-19-slab.comments.yaml",
        "- author: 张三\n  txt: 好\n",
    );
    site.build(&[])
        .assert_error(&["content/posts/2014-11-19-slab.comments.yaml:2", "txt"]);
    assert_eq!(snapshot(&site.out()), before);
}

#[test]
fn redirects_are_pages_like_aliases_and_clashes_are_errors() {
    let site = TestSite::new("base_url: https://example.org/blog/\npaginate: 1\n");
    for (d, slug) in [("2014-11-19", "slab"), ("2014-12-01", "kmalloc")] {
        site.post(
            &format!("{d}-{slug}"),
            &format!("title: {slug}\ndate: {d}\ncategory: 内存\n"),
            "正文。\n",
        );
    }
    site.write(
        "data/redirects.yaml",
        "# the old blog's list pages\n\"/uid/1/list/2.html\": \"/page/2/\"\n\"/uid/1/cid-7-list-1.html\": \"/categories/内存/\"\n",
    );
    site.build(&[]).assert_ok();
    let doc = site.html("uid/1/list/2.html");
    let refresh = select(&doc, "meta[http-equiv=refresh]")[0]
        .value()
        .attr("content")
        .unwrap()
        .to_string();
    assert_eq!(refresh, "0; url=/blog/page/2/");
    assert_eq!(
        select(&doc, "link[rel=canonical]")[0].value().attr("href"),
        Some("https://example.org/blog/page/2/")
    );
    let doc = site.html("uid/1/cid-7-list-1.html");
    assert_eq!(
        select(&doc, "a")[0].value().attr("href"),
        Some("/blog/categories/%E5%86%85%E5%AD%98/")
    );
    check(&site).assert_ok();

    // A target that is no page is what `boke check` finds.
    site.write(
        "data/redirects.yaml",
        "\"/uid/1/list/9.html\": \"/page/9/\"\n",
    );
    site.build(&[]).assert_ok();
    check(&site).assert_error(&["uid/1/list/9.html", "/blog/page/9/"]);

    // An old path on a page of the site would hide it.
    site.write(
        "data/redirects.yaml",
        "\"/uid/1/list/2.html\": \"/page/2/\"\n\"/posts/slab/\": \"/\"\n",
    );
    site.build(&[]).assert_error(&[
        "data/redirects.yaml:2",
        "posts/slab/index.html",
        "content/posts/2014-11-19-slab.md",
    ]);
    site.write(
        "data/redirects.yaml",
        "\"uid/1/list/2.html\": \"/page/2/\"\n",
    );
    site.build(&[])
        .assert_error(&["data/redirects.yaml:1", "start it with `/`"]);
}

#[test]
fn standalone_pages_have_their_own_url_and_are_in_no_list() {
    let site = TestSite::new("base_url: https://example.org/blog/\n");
    site.post(
        "2014-11-19-slab",
        "title: slab\ndate: 2014-11-19\n",
        "关于作者见 [关于我](@/pages/about.md)，朋友们在 [这里](@/pages/links.md#朋友)。\n",
    );
    site.post(
        "2014-12-01-kmalloc",
        "title: kmalloc\ndate: 2014-12-01\n",
        "正文。\n",
    );
    site.write(
        "content/pages/about.md",
        "---\ntitle: 关于我独特的标题\naliases: [/uid/1/about.html]\n---\n我写内核。见 [slab](@/posts/2014-11-19-slab.md)。\n",
    );
    site.write(
        "content/pages/links.md",
        "---\ntitle: 友情链接\npermalink: /links.html\n---\n## 朋友\n\n[一个博客](https://example.org/)\n",
    );
    site.write(
        "content/pages/draft.md",
        "---\ntitle: 草稿页\ndraft: true\n---\n未完。\n",
    );
    site.build(&[]).assert_ok();

    let doc = site.html("about/index.html");
    assert_eq!(text(&select(&doc, "h2.post-title")[0]), "关于我独特的标题");
    assert_eq!(select(&doc, ".sidebar").len(), 1, "with the sidebar");
    assert_eq!(select(&doc, ".site-title").len(), 1, "and the header");
    assert_eq!(srcs(&doc, ".post-body a", "href"), ["/blog/posts/slab/"]);
    assert!(site.out().join("links.html").is_file());
    assert!(
        !site.out().join("draft").exists(),
        "drafts stay unpublished"
    );
    let post = site.html("posts/slab/index.html");
    assert_eq!(
        srcs(&post, ".post-body a", "href"),
        ["/blog/about/", "/blog/links.html#%E6%9C%8B%E5%8F%8B"]
    );
    let alias = site.html("uid/1/about.html");
    assert_eq!(
        select(&alias, "meta[http-equiv=refresh]")[0]
            .value()
            .attr("content"),
        Some("0; url=/blog/about/")
    );
    let sitemap = std::fs::read_to_string(site.out().join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://example.org/blog/about/</loc>"),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("<loc>https://example.org/blog/links.html</loc>"),
        "{sitemap}"
    );
    // In no list, feed or search listing: its title appears on its own pages only.
    for (file, bytes) in snapshot(&site.out()) {
        let name = file.display().to_string();
        if name == "about/index.html" || name == "uid/1/about.html" {
            continue;
        }
        assert!(
            !String::from_utf8_lossy(&bytes).contains("关于我独特的标题"),
            "{name} shows the page"
        );
    }
    check(&site).assert_ok();

    // A page on a post's address, or a link to a page that is not there, is an error.
    site.write(
        "content/pages/links.md",
        "---\ntitle: 友情链接\npermalink: /posts/kmalloc/\n---\n正文。\n",
    );
    site.build(&[]).assert_error(&[
        "content/pages/links.md",
        "posts/kmalloc/index.html",
        "content/posts/2014-12-01-kmalloc.md",
    ]);
    site.write(
        "content/pages/links.md",
        "---\ntitle: 友情链接\n---\n正文。\n",
    );
    site.post(
        "2014-12-01-kmalloc",
        "title: kmalloc\ndate: 2014-12-01\n",
        "见 [没有](@/pages/nope.md)。\n",
    );
    site.build(&[])
        .assert_error(&["content/posts/2014-12-01-kmalloc.md:5", "@/pages/nope.md"]);
}

#[test]
fn a_pages_own_files_are_published_beside_it() {
    let site = TestSite::new("");
    site.post(
        "2014-11-19-slab",
        "title: slab\ndate: 2014-11-19\n",
        "正文。\n",
    );
    site.write(
        "content/pages/about.md",
        "---\ntitle: 关于我\n---\n![头像](about/me.png)\n",
    );
    site.write_bytes("content/pages/about/me.png", PNG);
    site.build(&[]).assert_ok();
    assert_eq!(std::fs::read(site.out().join("about/me.png")).unwrap(), PNG);
    let doc = site.html("about/index.html");
    assert_eq!(srcs(&doc, ".post-body img", "src"), ["/about/me.png"]);
    check(&site).assert_ok();
}
