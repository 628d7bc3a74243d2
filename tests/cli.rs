//! The command line as a user meets it: shell completions in a real bash, the man page through
//! man(1) and groff, finding the site from a folder inside it, -q and -v, colours only on a
//! terminal.

use crate::common;
use crate::common::server;
use common::*;
use server::Server;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_boke");

#[test]
fn bash_completes_bu_to_build() {
    let script = boke(&["completions", "bash"]);
    script.assert_ok();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("boke.bash");
    std::fs::write(&file, script.stdout()).unwrap();
    // Loaded as bash-completion would load it; the function is found through `complete -p`,
    // so the test does not depend on what the generator calls it.
    let driver = format!(
        r#"source '{}'
spec=$(complete -p boke) || exit 3
fn=${{spec#*-F }}; fn=${{fn%% *}}
COMP_WORDS=(boke bu); COMP_CWORD=1; COMP_LINE="boke bu"; COMP_POINT=${{#COMP_LINE}}
"$fn" boke bu boke
printf '%s\n' "${{COMPREPLY[@]}}"
COMP_WORDS=(boke build --dr); COMP_CWORD=2; COMP_LINE="boke build --dr"; COMP_POINT=${{#COMP_LINE}}
"$fn" boke --dr build
printf '%s\n' "${{COMPREPLY[@]}}"
"#,
        file.display()
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &driver])
        .output()
        .expect("run bash");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines, ["build", "--drafts"], "{stdout}");
}

#[test]
fn every_shell_gets_a_script_naming_the_subcommands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = boke(&["completions", shell]);
        run.assert_ok();
        let text = run.stdout();
        for word in ["build", "serve", "check", "init", "root"] {
            assert!(text.contains(word), "{shell} script lacks {word}");
        }
    }
    boke(&["completions", "tcsh"]).assert_usage_error();
}

/// `man -l` over a page, with groff's warnings on; returns what it rendered.
#[track_caller]
fn man_renders_cleanly(page: &Path) -> String {
    let out = Command::new("man")
        .arg("--warnings")
        .arg("-l")
        .arg(page)
        // A UTF-8 locale, as every Debian has: the page shows Chinese examples.
        .env("LC_ALL", "C.UTF-8")
        .env("MANWIDTH", "80")
        .env_remove("MANPAGER")
        .env_remove("PAGER")
        .output()
        .expect("run man (Debian: man-db, groff-base)");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "man failed on {}:\n{err}",
        page.display()
    );
    assert!(err.is_empty(), "man warned on {}:\n{err}", page.display());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn man_page_renders_without_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let run = boke(&["man"]);
    run.assert_ok();
    let page = dir.path().join("boke.1");
    std::fs::write(&page, run.stdout()).unwrap();
    let text = man_renders_cleanly(&page);
    for word in [
        "SYNOPSIS",
        "--quiet",
        "--verbose",
        "boke-build(1)",
        "boke-serve(1)",
    ] {
        assert!(text.contains(word), "the page lacks {word}:\n{text}");
    }

    let pages = dir.path().join("man1");
    boke(&["man", "--dir", pages.to_str().unwrap()]).assert_ok();
    for sub in [
        "build",
        "serve",
        "check",
        "new",
        "init",
        "completions",
        "man",
    ] {
        let text = man_renders_cleanly(&pages.join(format!("boke-{sub}.1")));
        assert!(text.contains("--help"), "boke-{sub}(1):\n{text}");
    }
    let build = man_renders_cleanly(&pages.join("boke-build.1"));
    assert!(
        build.contains("--base-url") && build.contains("--root"),
        "{build}"
    );
}

/// A site made by `boke init`, for running boke from folders inside it.
fn init_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("blog");
    boke(&["init", site.to_str().unwrap()]).assert_ok();
    (tmp, site)
}

#[test]
fn commands_find_the_site_above_and_say_so() {
    let (_tmp, site) = init_site();
    let posts = site.join("content/posts");
    let run = boke_in(&posts, &["build"], &[]);
    run.assert_ok();
    assert!(site.join("public/index.html").is_file());
    assert!(
        run.stderr().contains(&format!(
            "site: {} (site.yaml found above here)",
            site.display()
        )),
        "{}",
        run.stderr()
    );
    assert!(
        !posts.join("public").exists(),
        "nothing built where boke ran"
    );

    let run = boke_in(&posts, &["check"], &[]);
    run.assert_ok();
    assert!(run.stdout().contains("no broken links"));

    let run = boke_in(&posts, &["new", "From below"], &[]);
    run.assert_ok();
    let made = Path::new(run.stdout().trim()).to_path_buf();
    assert!(made.is_absolute(), "a path that works from here: {made:?}");
    assert!(made.starts_with(&posts) && made.is_file(), "{made:?}");

    // At the root itself the paths stay short.
    let run = boke_in(&site, &["new", "At the root"], &[]);
    run.assert_ok();
    assert!(
        run.stdout().starts_with("content/posts/"),
        "{}",
        run.stdout()
    );
    assert!(
        run.stderr()
            .contains(&format!("site: {}\n", site.display()))
    );
}

#[test]
fn root_wins_over_the_site_around() {
    let (_tmp, site) = init_site();
    let (_tmp2, other) = init_site();
    let run = boke_in(
        &site.join("content"),
        &["build", "--root", other.to_str().unwrap()],
        &[],
    );
    run.assert_ok();
    assert!(run.stderr().contains("(--root)"), "{}", run.stderr());
    assert!(other.join("public/index.html").is_file());
    assert!(
        !site.join("public").exists(),
        "the site around was left alone"
    );
}

#[test]
fn outside_any_site_is_an_error_suggesting_init() {
    let tmp = tempfile::tempdir().unwrap();
    for cmd in [
        &["build"][..],
        &["check"],
        &["new", "x"],
        &["serve", "--port", "0"],
    ] {
        let run = boke_in(tmp.path(), cmd, &[]);
        run.assert_error(&["no site.yaml in", "any folder above it", "boke init"]);
        assert!(run.stdout().is_empty(), "{cmd:?}: {}", run.stdout());
    }
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

#[test]
fn quiet_prints_errors_only() {
    let (_tmp, site) = init_site();
    for cmd in [
        &["build", "-q"][..],
        &["-q", "check"],
        &["--quiet", "new", "Q"],
    ] {
        let run = boke_in(&site, cmd, &[]);
        run.assert_ok();
        assert_eq!(
            (run.stdout(), run.stderr()),
            (String::new(), String::new()),
            "{cmd:?}"
        );
    }
    std::fs::write(
        site.join("content/posts/bad.md"),
        "---\ntitle: t\ndate: not a date\n---\n",
    )
    .unwrap();
    let run = boke_in(&site, &["build", "-q"], &[]);
    run.assert_error(&["content/posts/bad.md:3:"]);
    assert!(run.stdout().is_empty());
    assert!(!run.stderr().contains("site:"), "{}", run.stderr());
    boke_in(&site, &["build", "-q", "-v"], &[]).assert_usage_error();
}

/// A broken post, for the error's form.
fn broken_site() -> TestSite {
    let site = TestSite::new("");
    site.post("2014-01-01-bad", "title: t\ndate: 2014-13-45\n", "");
    site
}

/// Runs boke under a real pseudo-terminal (script(1) from util-linux).
fn on_terminal(cwd: &Path, args: &str, no_color: bool) -> String {
    let mut cmd = Command::new("script");
    cmd.current_dir(cwd)
        .args(["-qec", &format!("{BIN} {args}"), "/dev/null"])
        .env("TERM", "xterm-256color")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR");
    if no_color {
        cmd.env("NO_COLOR", "1");
    } else {
        cmd.env_remove("NO_COLOR");
    }
    let out = cmd.output().expect("run script (util-linux)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn colours_on_a_terminal_only_and_never_with_no_color() {
    let site = broken_site();
    let where_ = "content/posts/2014-01-01-bad.md:3:";

    let piped = site.build(&[]);
    piped.assert_error(&[where_]);
    assert!(!piped.stderr().contains('\x1b'), "no escapes into a pipe");

    let tty = on_terminal(site.path(), "build", false);
    assert!(tty.contains("\x1b["), "colours on a terminal: {tty:?}");
    assert!(tty.contains(where_), "file:line kept with colours: {tty:?}");

    let plain = on_terminal(site.path(), "build", true);
    assert!(plain.contains(where_), "{plain:?}");
    assert!(!plain.contains('\x1b'), "NO_COLOR: {plain:?}");
}

/// Waits for `cmd` at most `limit`, killing it after: a test of "never waits" must not hang.
fn run_bounded(cmd: &mut Command, limit: Duration) -> Run {
    use std::process::Stdio;
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run boke");
    let deadline = Instant::now() + limit;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("boke was still running after {limit:?}: it waited on something");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Run {
        out: child.wait_with_output().unwrap(),
    }
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success());
}

#[test]
fn a_fifo_a_socket_and_a_directory_named_md_are_skipped_with_a_warning() {
    let site = TestSite::new("");
    site.post(
        "2014-01-01-real",
        "title: 真的\ndate: 2014-01-01\n",
        "正文\n",
    );
    let posts = site.path().join("content/posts");
    mkfifo(&posts.join("pipe.md"));
    let _socket = std::os::unix::net::UnixListener::bind(posts.join("sock.md")).unwrap();
    // A folder named like a post is no post, but the posts in it are.
    site.post(
        "notes.md/2014-02-02-inner",
        "title: 里面\ndate: 2014-02-02\n",
        "x\n",
    );

    let run = run_bounded(
        Command::new(BIN).args(["build", "--root"]).arg(site.path()),
        Duration::from_secs(20),
    );
    run.assert_ok();
    let err = run.stderr();
    for (name, what) in [
        ("content/posts/pipe.md", "a named pipe (FIFO)"),
        ("content/posts/sock.md", "a socket"),
        ("content/posts/notes.md", "a directory"),
    ] {
        assert!(
            err.contains(&format!(
                "warning: {name}: named like a post, but this is {what}"
            )),
            "{name}:\n{err}"
        );
    }
    assert!(run.stdout().contains("built 2 posts"), "{}", run.stdout());
    assert!(site.out().join("posts/inner/index.html").is_file());

    // A comments file that is a FIFO is an error naming it (its post would lose its
    // comments), and is not waited on either.
    mkfifo(&posts.join("2014-01-01-real.comments.yaml"));
    let run = run_bounded(
        Command::new(BIN).args(["build", "--root"]).arg(site.path()),
        Duration::from_secs(20),
    );
    run.assert_error(&["content/posts/2014-01-01-real.comments.yaml: this is not a regular file"]);
    std::fs::remove_file(posts.join("2014-01-01-real.comments.yaml")).unwrap();

    // `check` reads the same way; -q drops the warnings.
    let run = run_bounded(
        Command::new(BIN).args(["check", "--root"]).arg(site.path()),
        Duration::from_secs(20),
    );
    run.assert_ok();
    assert!(run.stderr().contains("pipe.md"), "{}", run.stderr());
    let run = run_bounded(
        Command::new(BIN)
            .args(["build", "-q", "--root"])
            .arg(site.path()),
        Duration::from_secs(20),
    );
    run.assert_ok();
    assert_eq!(run.stderr(), "");
}

#[test]
fn verbose_build_names_each_stage_with_its_time() {
    let site = TestSite::new("");
    site.post("2014-01-01-a", "title: a\ndate: 2014-01-01\n", "正文\n");
    let run = site.build(&["-v"]);
    run.assert_ok();
    let out = run.stdout();
    for stage in ["load", "render", "write", "search"] {
        let line = out
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{stage} ")))
            .unwrap_or_else(|| panic!("no {stage} line:\n{out}"));
        let ms = line.split_whitespace().nth(1).unwrap();
        assert!(ms.parse::<f64>().is_ok(), "{line}");
        assert!(line.contains(" ms "), "{line}");
    }
    assert!(
        out.lines().last().unwrap().starts_with("built 1 posts"),
        "{out}"
    );
    let plain = site.build(&[]).stdout();
    assert!(!plain.contains(" ms  "), "stages only with -v: {plain}");
}

#[test]
fn serve_says_which_folder_which_url_and_that_it_is_a_private_copy() {
    let (_tmp, site) = init_site();
    let server = Server::start(&site);
    let last = server.preamble.last().unwrap();
    assert!(
        last.starts_with(&format!(
            "serving the site in {} at {}",
            site.display(),
            server.url
        )),
        "{last}"
    );
    assert!(
        last.contains("private copy") && last.contains("Ctrl-C"),
        "{last}"
    );
    assert!(
        server
            .preamble
            .iter()
            .any(|l| l.contains("into a private copy: ") && l.contains("public/ is left alone")),
        "{:?}",
        server.preamble
    );
}

/// Lines the server prints within `limit`, until one satisfies `done`.
fn lines_until(server: &Server, limit: Duration, done: impl Fn(&str) -> bool) -> Vec<String> {
    let deadline = Instant::now() + limit;
    let mut seen = Vec::new();
    while let Ok(line) = server
        .output
        .recv_timeout(deadline.saturating_duration_since(Instant::now()))
    {
        let stop = done(&line);
        seen.push(line);
        if stop {
            break;
        }
    }
    seen
}

#[test]
fn verbose_serve_names_each_file_rebuilt_and_a_fifo_does_not_stop_it() {
    let site = TestSite::new("");
    site.post("2014-01-01-a", "title: 甲\ndate: 2014-01-01\n", "正文\n");
    site.post("2014-01-02-b", "title: 乙\ndate: 2014-01-02\n", "正文\n");
    let server = Server::start_with(site.path(), &["-v"]);
    assert!(
        server
            .preamble
            .iter()
            .any(|l| l.trim_start().starts_with("render ")),
        "{:?}",
        server.preamble
    );
    std::thread::sleep(Duration::from_millis(200));
    site.post(
        "2014-01-01-a",
        "title: 甲\ndate: 2014-01-01\n",
        "新的正文\n",
    );
    // A save may come as two events (truncate, write), so a line is waited for, not a count;
    // warnings come on stderr, whose lines may pass those of stdout.
    let wrote = |l: &str| l.trim() == "wrote   posts/a/index.html";
    let seen = lines_until(&server, Duration::from_secs(10), wrote);
    assert!(seen.iter().any(|l| wrote(l)), "{seen:?}");

    // The rebuild thread must not open the pipe and wait for a writer.
    mkfifo(&site.path().join("content/posts/pipe.md"));
    let warned = |l: &str| l.starts_with("warning: content/posts/pipe.md: named like a post");
    let seen = lines_until(&server, Duration::from_secs(10), warned);
    assert!(seen.iter().any(|l| warned(l)), "{seen:?}");
    site.post("2014-01-02-b", "title: 乙改\ndate: 2014-01-02\n", "正文\n");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !server.get("/").2.contains("乙改") {
        assert!(
            Instant::now() < deadline,
            "no rebuild after the FIFO appeared"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
