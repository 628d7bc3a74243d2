//! `boke serve` on a free loopback port over a fixture site: HTTP behaviour, path safety, and
//! rebuild + reload as files change.

use crate::common;
use crate::common::server;
use common::*;
use server::Server;
use std::time::{Duration, Instant};

fn fixture() -> TestSite {
    let site = TestSite::new("paginate: 2\n");
    site.post(
        "2014-12-30-exit",
        "title: 进程退出\ndate: 2014-12-30 16:51:55\ncategory: 进程\n",
        "进程退出时有退出码。\n",
    );
    site.post(
        "2014-11-19-内核",
        "title: 内核\ndate: 2014-11-19 16:06:19\n",
        "slab 原理。\n",
    );
    site.post(
        "2014-10-01-old",
        "title: 旧文\ndate: 2014-10-01 10:00\n",
        "旧。\n",
    );
    site.write("static/style.css", "body { color: black }");
    site
}

#[test]
fn pages_types_404_head_and_conditional_requests() {
    let site = fixture();
    let server = Server::start(site.path());
    let (status, ctype, body) = server.get("/");
    assert_eq!(status, 200);
    assert_eq!(ctype, "text/html; charset=utf-8");
    assert!(
        body.contains("进程退出") && body.contains("/__boke/events"),
        "live-reload script injected"
    );
    assert!(
        !site.out().exists(),
        "serve does not write boke build's output"
    );

    let (status, ctype, css) = server.get("/style.css");
    assert_eq!((status, ctype.as_str()), (200, "text/css; charset=utf-8"));
    assert!(!css.contains("__boke"));
    assert_eq!(server.get("/page/2/").0, 200, "directory index");
    assert_eq!(
        server.get("/posts/%E5%86%85%E6%A0%B8/").0,
        200,
        "percent-encoded Chinese path"
    );
    let (status, ctype, body) = server.get("/no/such/page/");
    assert_eq!((status, ctype.as_str()), (404, "text/html; charset=utf-8"));
    assert!(body.contains("404"), "the site's 404 page");

    let agent = Server::agent();
    let head = agent.head(&server.url).call().unwrap();
    assert_eq!(head.status().as_u16(), 200);
    let len: usize = head
        .headers()
        .get("content-length")
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        len,
        server.get("/").2.len(),
        "HEAD announces the GET body's length"
    );
    let etag = head
        .headers()
        .get("etag")
        .expect("etag")
        .to_str()
        .unwrap()
        .to_string();
    let modified = head
        .headers()
        .get("last-modified")
        .expect("last-modified")
        .to_str()
        .unwrap()
        .to_string();
    let r = agent
        .get(&server.url)
        .header("If-None-Match", &etag)
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 304);
    let r = agent
        .get(&server.url)
        .header("If-Modified-Since", &modified)
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 304);
}

#[test]
fn nothing_outside_the_output_is_served() {
    let site = fixture();
    // A secret next to the site, and one inside it but outside the output.
    std::fs::write(site.path().join("secret.txt"), "TOPSECRET").unwrap();
    let server = Server::start(site.path());
    let attempts: &[&[u8]] = &[
        b"/../secret.txt",
        b"/../../secret.txt",
        b"/%2e%2e/secret.txt",
        b"/%2E%2E/%2E%2E/secret.txt",
        b"/posts/..%2f..%2fsecret.txt",
        b"/..%5csecret.txt",
        b"/..\\secret.txt",
        b"/secret.txt%00.html",
        b"/%ff%fe",
        b"/\xff\xfe",
        b"//etc/passwd",
        b"/etc/passwd",
        b"/site.yaml",
        b"/content/posts/2014-12-30-exit.md",
    ];
    for target in attempts {
        let (status, text) = server.raw(target);
        assert!(
            status == 400 || status == 404,
            "{}: {status}",
            String::from_utf8_lossy(target)
        );
        assert!(
            !text.contains("TOPSECRET") && !text.contains("root:x:0"),
            "{}",
            String::from_utf8_lossy(target)
        );
    }
    // And the server still serves others.
    assert_eq!(server.get("/").0, 200);
}

#[test]
fn a_symlink_out_of_the_site_is_an_error_not_a_published_file() {
    let site = fixture();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("key"), "TOPSECRET").unwrap();
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("key"),
        site.path().join("static/key.txt"),
    )
    .unwrap();
    site.build(&[])
        .assert_error(&["static/key.txt", "outside the site"]);
}

#[test]
fn editing_a_post_rebuilds_and_reloads() {
    let site = fixture();
    let server = Server::start(site.path());
    let mut events = server.events();
    std::thread::sleep(Duration::from_millis(200));
    let saved = Instant::now();
    site.post(
        "2014-12-30-exit",
        "title: 进程退出的新标题\ndate: 2014-12-30 16:51:55\ncategory: 进程\n",
        "新的正文。\n",
    );
    assert!(
        events.wait_for("reload", Duration::from_secs(2)).is_some(),
        "no reload event within 2 s"
    );
    let latency = saved.elapsed();
    let (_, _, body) = server.get("/");
    assert!(
        body.contains("进程退出的新标题"),
        "the listing shows the new title"
    );
    eprintln!("save → reload event: {} ms", latency.as_millis());

    // A stylesheet change swaps styles without a page reload.
    site.write("static/style.css", "body { color: red }");
    let css = events.wait_for("css", Duration::from_secs(2));
    let printed: Vec<String> = server.output.try_iter().collect();
    assert!(css.is_some(), "no css event; the server said {printed:?}");
    assert_eq!(server.get("/style.css").2, "body { color: red }");
}

/// The number of pages a build kept from the last one, from the `-v` line that says it.
fn kept(lines: &[String]) -> Option<(usize, usize)> {
    lines.iter().find_map(|l| {
        let (pages, rest) = l.trim().strip_prefix("render")?.split_once(" pages, ")?;
        let pages = pages.split_whitespace().last()?.parse().ok()?;
        Some((pages, rest.split(' ').next()?.parse().ok()?))
    })
}

#[test]
fn a_second_start_at_the_same_address_renders_only_what_changed() {
    let site = fixture();
    // Posts that share nothing (no category, tag or title word), so an edit of one changes
    // only the pages showing it.
    for (i, word) in ["alpha", "bravo", "delta", "gamma", "kilo", "lima"]
        .iter()
        .enumerate()
    {
        site.post(
            &format!("2013-0{}-01-{word}", i + 1),
            &format!(
                "title: {word}\ndate: 2013-0{}-01 10:00\ncategory: c-{word}\n",
                i + 1
            ),
            &format!("{word} intro.\n\n<!-- more -->\n\n{word} body.\n"),
        );
    }
    let mut first = Server::start_with(site.path(), &["-v"]);
    let (pages, none) = kept(&first.preamble).expect("-v names the pages rendered");
    assert_eq!(
        none, 0,
        "nothing to keep on the first start: {:?}",
        first.preamble
    );
    let port: u16 = first.addr.rsplit(':').next().unwrap().parse().unwrap();
    assert!(first.interrupt(Duration::from_secs(10)).is_some());

    site.post(
        "2013-03-01-delta",
        "title: delta\ndate: 2013-03-01 10:00\ncategory: c-delta\n",
        "delta intro.\n\n<!-- more -->\n\ndelta body, edited while no server ran.\n",
    );
    let second = Server::start_at(site.path(), port, &["-v"]);
    let (again, kept_now) = kept(&second.preamble).expect("-v names the pages rendered");
    assert_eq!(again, pages);
    assert!(
        kept_now > 0 && kept_now < pages,
        "some pages kept, the changed ones rendered: {:?}",
        second.preamble
    );
    let (_, _, body) = second.get("/posts/delta/");
    assert!(
        body.contains("edited while no server ran"),
        "the served page shows the edit"
    );

    // What it serves is what a clean build for that address makes.
    let served = second.build_dir();
    assert!(
        served.starts_with(site.path().join(".boke/serve")),
        "{served:?}"
    );
    let clean = site.path().join("clean");
    site.build(&[
        "--output",
        clean.to_str().unwrap(),
        "--base-url",
        &second.url,
    ])
    .assert_ok();
    let (mut want, mut got) = (snapshot(&clean), snapshot(&served));
    for m in [&mut want, &mut got] {
        m.remove(std::path::Path::new(".boke-output"));
    }
    assert!(want == got, "the served site differs from a clean build");
}

#[test]
fn a_build_error_shows_an_overlay_and_keeps_the_old_site() {
    let site = fixture();
    let server = Server::start(site.path());
    let mut events = server.events();
    std::thread::sleep(Duration::from_millis(200));
    site.post("2014-12-30-exit", "title: 坏了\ndate: [2014\n", "x\n");
    let message = events
        .wait_for("builderror", Duration::from_secs(3))
        .expect("no error event");
    assert!(
        message.contains("content/posts/2014-12-30-exit.md:3"),
        "{message}"
    );
    let (status, _, body) = server.get("/posts/exit/");
    assert_eq!(status, 200);
    assert!(
        body.contains("进程退出") && !body.contains("坏了"),
        "the last good page is served"
    );
    // A page opened now hears about the error at once.
    let mut late = server.events();
    assert!(
        late.wait_for("builderror", Duration::from_secs(2))
            .is_some()
    );

    site.post(
        "2014-12-30-exit",
        "title: 修好了\ndate: 2014-12-30 16:51:55\n",
        "x\n",
    );
    assert!(
        events.wait_for("reload", Duration::from_secs(3)).is_some(),
        "fixing the file recovers"
    );
    assert!(server.get("/posts/exit/").2.contains("修好了"));
}

#[test]
fn deleting_renaming_and_adding_posts() {
    let site = fixture();
    let server = Server::start(site.path());
    let mut events = server.events();
    std::thread::sleep(Duration::from_millis(200));
    std::fs::remove_file(site.path().join("content/posts/2014-10-01-old.md")).unwrap();
    assert!(events.wait_for("reload", Duration::from_secs(2)).is_some());
    assert_eq!(
        server.get("/posts/old/").0,
        404,
        "a deleted post's page is gone"
    );

    std::fs::rename(
        site.path().join("content/posts/2014-12-30-exit.md"),
        site.path().join("content/posts/2014-12-30-renamed.md"),
    )
    .unwrap();
    assert!(events.wait_for("reload", Duration::from_secs(2)).is_some());
    assert_eq!(server.get("/posts/exit/").0, 404);
    assert_eq!(server.get("/posts/renamed/").0, 200);

    site.post(
        "2016-01-01-new",
        "title: 新年\ndate: 2016-01-01 09:00\n",
        "x\n",
    );
    assert!(events.wait_for("reload", Duration::from_secs(2)).is_some());
    let (_, _, body) = server.get("/");
    assert!(
        body.contains("新年") && body.contains("2016年(1)"),
        "a new post and a new year appear"
    );
}

#[test]
fn a_port_in_use_is_named_with_the_flag_to_change_it() {
    let site = fixture();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let run = boke(&[
        "serve",
        "--root",
        site.path().to_str().unwrap(),
        "--port",
        &port,
    ]);
    run.assert_error(&[&port, "already in use", "--port"]);
}

/// The served output after a series of edits equals a clean build of the final sources, file
/// for file, byte for byte.
#[test]
fn incremental_rebuilds_equal_a_clean_build() {
    let site = TestSite::new("paginate: 3\n");
    for i in 0..14 {
        site.post(
            &format!("2014-{:02}-10-p{i}", i % 12 + 1),
            &format!(
                "title: 第{i}篇\ndate: 2014-{:02}-10 10:{i:02}\ncategory: c{}\nviews: {i}\n",
                i % 12 + 1,
                i % 3
            ),
            &format!("正文{i}。\n\n<!-- more -->\n\n更多。\n"),
        );
    }
    // Folders a file is added to later: adding one then would be two changes.
    std::fs::create_dir_all(site.path().join("content/posts/2014-11-10-p10")).unwrap();
    std::fs::create_dir_all(site.path().join("content/pages")).unwrap();
    let server = Server::start(site.path());
    let served = server.build_dir();
    let mut events = server.events();
    std::thread::sleep(Duration::from_millis(200));
    let edits: Vec<Box<dyn Fn()>> = vec![
        // The body only: its page and the lists showing its excerpt.
        Box::new(|| {
            site.post(
                "2014-03-10-p2",
                "title: 第2篇\ndate: 2014-03-10 10:02\ncategory: c2\nviews: 2\n",
                "新的摘要。\n\n<!-- more -->\n\n更多。\n",
            )
        }),
        // A title: its neighbours' 上一篇/下一篇 links change too.
        Box::new(|| {
            site.post(
                "2014-05-10-p4",
                "title: 改名了\ndate: 2014-05-10 10:04\ncategory: c1\nviews: 4\n",
                "正文4。\n",
            )
        }),
        // A date: the post moves across list pages and into another year.
        Box::new(|| {
            site.post(
                "2014-01-10-p0",
                "title: 第0篇\ndate: 2016-06-01 10:00\ncategory: c0\nviews: 0\n",
                "正文0。\n",
            )
        }),
        // Counts and category.
        Box::new(|| {
            site.post(
                "2014-07-10-p6",
                "title: 第6篇\ndate: 2014-07-10 10:06\ncategory: 新分类\nviews: 9999\n",
                "正文6。\n",
            )
        }),
        // Delete one, add one.
        Box::new(|| {
            std::fs::remove_file(site.path().join("content/posts/2014-09-10-p8.md")).unwrap()
        }),
        Box::new(|| {
            site.post(
                "2015-02-02-new",
                "title: 新文章\ndate: 2015-02-02 02:02\n",
                "新。\n",
            )
        }),
        // A picture in the post's own folder, then a link to it.
        Box::new(|| site.write_bytes("content/posts/2014-11-10-p10/fig.png", b"one")),
        // An old path that redirects to a post, then another slug: the redirect follows it,
        // and so do the post's files.
        Box::new(|| {
            site.post(
                "2014-11-10-p10",
                "title: 第10篇\ndate: 2014-11-10 10:10\ncategory: c1\nviews: 10\naliases: [/uid-1-id-10.html]\n",
                "正文10 ![图](fig.png)。\n",
            )
        }),
        Box::new(|| {
            site.post(
                "2014-11-10-p10",
                "title: 第10篇\ndate: 2014-11-10 10:10\ncategory: c1\nviews: 10\naliases: [/uid-1-id-10.html]\nslug: renamed\n",
                "正文10 ![图](fig.png)。\n",
            )
        }),
        Box::new(|| site.write_bytes("content/posts/2014-11-10-p10/fig.png", b"two")),
        // Markdown among a post's files is not a post, in a rebuild as in a build.
        Box::new(|| site.write("content/posts/2014-11-10-p10/notes.md", "no front matter")),
        // A picture the post names must be there: the post lets it go first.
        Box::new(|| {
            site.post(
                "2014-11-10-p10",
                "title: 第10篇\ndate: 2014-11-10 10:10\ncategory: c1\nviews: 10\naliases: [/uid-1-id-10.html]\nslug: renamed\n",
                "正文10。\n",
            )
        }),
        Box::new(|| {
            std::fs::remove_file(site.path().join("content/posts/2014-11-10-p10/fig.png")).unwrap()
        }),
        // Comments and redirects, as an import writes them.
        Box::new(|| {
            site.write(
                "content/posts/2014-03-10-p2.comments.yaml",
                "- author: 读者\n  text: 好文。\n",
            )
        }),
        Box::new(|| {
            site.write(
                "data/redirects.yaml",
                "\"/uid/1/list/2.html\": \"/page/2/\"\n",
            )
        }),
        // A standalone page, then a post linking to it (a partial rebuild keeps the pages).
        Box::new(|| site.write("content/pages/about.md", "---\ntitle: 关于\n---\n我。\n")),
        Box::new(|| {
            site.post(
                "2014-03-10-p2",
                "title: 第2篇\ndate: 2014-03-10 10:02\ncategory: c2\nviews: 2\n",
                "见 [关于](@/pages/about.md)。\n\n<!-- more -->\n\n更多。\n",
            )
        }),
    ];
    let clean = tempfile::tempdir().unwrap();
    let clean_out = clean.path().join("site");
    let mut printed: Vec<String> = Vec::new();
    // Whether a rebuild came within `wait`, up to its search index, which is brought up to date
    // right after the reload event.
    let mut rebuilt = |n: usize, wait: Duration, printed: &mut Vec<String>| -> bool {
        if events.wait_for("reload", wait).is_none() {
            return false;
        }
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let line = server
                .output
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("edit {n}: no search update; printed {printed:?}"));
            // A full build (a post's own files, comments, data) makes the index with the pages.
            let done = line.starts_with("updated the search index") || line.starts_with("built ");
            printed.push(line);
            if done {
                return true;
            }
        }
    };
    for (n, edit) in edits.iter().enumerate() {
        edit();
        assert!(
            rebuilt(n, Duration::from_secs(5), &mut printed),
            "edit {n}: no reload"
        );
        // After every edit, not only the last: a later full-page change could hide a stale page.
        site.build(&[
            "--output",
            clean_out.to_str().unwrap(),
            "--base-url",
            &server.url,
        ])
        .assert_ok();
        let mut want = snapshot(&clean_out);
        let mut got = snapshot(&served);
        if n == 0 {
            // A body's edit rewrites its page and the lists showing its excerpt, not the site
            // (a rebuild whose fingerprints missed a part of the full build's rewrote all).
            let updated: usize = printed
                .iter()
                .find_map(|l| l.strip_prefix("updated ")?.split(' ').next()?.parse().ok())
                .unwrap_or_else(|| panic!("edit 0 was rebuilt incrementally: {printed:?}"));
            let pages = want.keys().filter(|f| f.ends_with("index.html")).count();
            assert!(
                updated * 2 < pages,
                "edit 0 rewrote {updated} of {pages} pages"
            );
        }
        want.remove(std::path::Path::new(".boke-output"));
        got.remove(std::path::Path::new(".boke-output"));
        // `fs::write` truncates, then writes: on a loaded machine the watcher can see the file
        // empty and rebuild, and the write brings a second rebuild, which the site must settle
        // on (as it must when an editor saves in place).
        if got != want && rebuilt(n, Duration::from_secs(3), &mut printed) {
            got = snapshot(&served);
            got.remove(std::path::Path::new(".boke-output"));
        }
        let want_files: Vec<_> = want.keys().collect();
        let got_files: Vec<_> = got.keys().collect();
        assert_eq!(got_files, want_files, "edit {n}: the same files");
        for (file, bytes) in &want {
            assert!(
                got[file] == *bytes,
                "edit {n}: {} differs from a clean build",
                file.display()
            );
        }
    }
    printed.extend(server.output.try_iter());
    assert!(
        printed
            .iter()
            .any(|l| l.starts_with("updated ") && l.contains(" pages")),
        "edits were rebuilt incrementally: {printed:?}"
    );
}

#[test]
fn ctrl_c_stops_the_server_even_with_pages_open() {
    let site = fixture();
    let mut server = Server::start(site.path());
    let mut events = server.events();
    std::thread::sleep(Duration::from_millis(200));
    let status = server
        .interrupt(Duration::from_secs(5))
        .expect("still running 5 s after Ctrl-C");
    assert!(status.success(), "{status:?}");
    assert!(
        events
            .wait_for("reload", Duration::from_millis(500))
            .is_none()
    );
}
