//! The command line as a user meets it: shell completions in a real bash, the man page through
//! man(1) and groff, finding the site from a folder inside it, -q and -v, colours only on a
//! terminal.

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

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
