//! `boke deploy`: the built site committed to a branch of a git repository (GitHub Pages, Gitee
//! Pages, any git host), as hexo-deployer-git does, but never forced: every deploy is one new
//! commit on top of what the branch held, naming the source commit it was built from.
//!
//! The real `git` does the work, in a bare repository of boke's own under `.boke/deploy/`, with
//! the output directory as its work tree. Staging the output whole (`add --all`) over the
//! branch's last tree makes a commit whose tree is exactly the output, so a push sends only the
//! files that changed. A `CNAME` the branch has and the output lacks is kept, because a host's
//! custom domain is often set on the branch by the host's web page.
//!
//! "The remote moved" is judged against the commit this site last pushed there (a ref of the
//! private repository): anything else on the branch is someone else's work, which a deploy must
//! not bury; the push itself is a plain one, which git refuses if the branch moves meanwhile.

use crate::config::Deploy;
use crate::error::{Diagnostic, Error, Result};
use crate::layout::SiteDir;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A file the branch keeps when the output does not have it.
pub const KEPT: &[&str] = &["CNAME"];
/// The ref of the private repository that holds the commit last pushed.
const DEPLOYED_REF: &str = "refs/boke/deployed";
/// What the last push went to (`URL BRANCH`); a change of target starts afresh.
const TARGET_KEY: &str = "boke.target";

/// What the deploy did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A new commit was pushed; `changed` files differ from the branch's previous tree.
    Pushed { commit: String, changed: usize },
    /// The branch already holds exactly the output.
    UpToDate { commit: String },
}

/// Which commit of the site's sources was built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Commit { id: String, dirty: bool },
    NotInGit,
}

/// The commit message of a deploy.
pub fn message(source: &Source) -> String {
    match source {
        Source::Commit { id, dirty: false } => format!("Site built from {id}"),
        Source::Commit { id, dirty: true } => {
            format!("Site built from {id} with uncommitted changes")
        }
        Source::NotInGit => "Site built from sources not under git".into(),
    }
}

/// Refuse to deploy over a branch that changed since this site last pushed to it.
pub fn check_not_moved(
    target: &Deploy,
    last: Option<&str>,
    remote: Option<&str>,
) -> Result<(), Diagnostic> {
    let Some(last) = last else { return Ok(()) };
    if remote == Some(last) {
        return Ok(());
    }
    let now = match remote {
        Some(tip) => format!("it is at {tip}"),
        None => "the branch is gone".into(),
    };
    Err(Diagnostic::new(
        &target.git,
        format!(
            "branch `{}` moved since the last deploy: boke pushed {last}, now {now}",
            target.branch
        ),
        format!(
            "someone else changed the published site; look at it (git fetch {} {}), and if it \
             may be built over, remove {}/ and deploy again: the new commit then goes on top \
             of what the branch holds, which stays in its history",
            target.git,
            target.branch,
            SiteDir::rel_deploy_dir().display()
        ),
    ))
}

/// Push `output` (a built site) to `target`, using the site's private deploy repository.
pub fn deploy(site: &SiteDir, output: &Path, target: &Deploy) -> Result<Outcome> {
    check_target(site, target)?;
    let git = Git::open(site.deploy_dir(), output)?;
    let wanted = format!("{} {}", target.git, target.branch);
    let last = if git.config(TARGET_KEY)?.as_deref() == Some(wanted.as_str()) {
        git.rev(DEPLOYED_REF)?
    } else {
        None
    };
    let remote = git.remote_tip(target)?;
    check_not_moved(target, last.as_deref(), remote.as_deref())?;

    let tip = match &remote {
        Some(_) => Some(git.fetch(target)?),
        None => None,
    };
    let tree = git.stage(tip.as_deref())?;
    if let Some(tip) = &tip {
        if git.run(["rev-parse", &format!("{tip}^{{tree}}")])? == tree {
            git.record(&wanted, tip)?;
            return Ok(Outcome::UpToDate {
                commit: tip.clone(),
            });
        }
    }
    let changed = match &tip {
        Some(tip) => git.run(["diff-tree", "-r", "--name-only", "--no-renames", tip, &tree])?,
        None => git.run(["ls-tree", "-r", "--name-only", &tree])?,
    }
    .lines()
    .count();
    let source = source_of(site);
    let mut args = vec!["commit-tree", tree.as_str(), "-m"];
    let msg = message(&source);
    args.push(&msg);
    if let Some(tip) = &tip {
        args.extend(["-p", tip]);
    }
    let commit = git.run(args)?;
    git.push(target, &commit)?;
    git.record(&wanted, &commit)?;
    Ok(Outcome::Pushed { commit, changed })
}

fn check_target(site: &SiteDir, target: &Deploy) -> Result<()> {
    let bad = |what: String, help: &str| -> Error {
        Diagnostic::new(site.config_file(), what, help)
            .at_line(site_yaml_line(site))
            .into()
    };
    if target.git.trim().is_empty() {
        return Err(bad(
            "deploy.git is empty".into(),
            "write the repository to push to, e.g. git: git@github.com:someone/someone.github.io.git",
        ));
    }
    let ok = Command::new("git")
        .args(["check-ref-format", "--branch", &target.branch])
        .output()
        .map(|o| o.status.success())
        .map_err(git_missing)?;
    if !ok || target.branch.starts_with('-') {
        return Err(bad(
            format!("deploy.branch `{}` is not a branch name", target.branch),
            "write a branch name such as gh-pages or pages",
        ));
    }
    Ok(())
}

fn site_yaml_line(site: &SiteDir) -> Option<usize> {
    let text = std::fs::read_to_string(site.config_file()).ok()?;
    crate::yaml_lines::top_level(&text, "deploy")
}

fn git_missing(e: std::io::Error) -> Error {
    Error::Setup {
        message: format!("cannot run git: {e}"),
        help: "boke deploy uses git: install it (apt-get install git) and put it on PATH".into(),
    }
}

/// The site's source commit, if the site is in a git work tree. Only boke's own folders (and
/// the default output) are left out of "uncommitted changes".
fn source_of(site: &SiteDir) -> Source {
    let root = site.root();
    let run = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let Some(id) = run(&["rev-parse", "--verify", "-q", "HEAD"]) else {
        return Source::NotInGit;
    };
    let work = format!(":(exclude){}", site.work_dir().display());
    let output = format!(":(exclude){}", site.default_output().display());
    let status = run(&["status", "--porcelain", "--", ".", &work, &output]);
    Source::Commit {
        id,
        dirty: status.is_none_or(|s| !s.is_empty()),
    }
}

/// The private bare repository, with the output as its work tree and an index of its own.
struct Git {
    dir: PathBuf,
    work_tree: PathBuf,
    /// Whether git knows who the user is (`user.email`); if not, commits are signed `boke`.
    identity: bool,
}

impl Git {
    fn open(dir: PathBuf, work_tree: &Path) -> Result<Git> {
        if !dir.join("HEAD").is_file() {
            std::fs::create_dir_all(&dir).map_err(|e| Error::io("create", &dir, e))?;
            let out = Command::new("git")
                .args(["init", "-q", "--bare"])
                .arg(&dir)
                .output()
                .map_err(git_missing)?;
            if !out.status.success() {
                return Err(failed("git init", &out));
            }
        }
        // Absolute, because git reads a relative --git-dir from inside the work tree.
        let dir = dir.canonicalize().map_err(|e| Error::io("read", &dir, e))?;
        let work_tree = work_tree
            .canonicalize()
            .map_err(|e| Error::io("read", work_tree, e))?;
        let identity = Command::new("git")
            .arg("--git-dir")
            .arg(&dir)
            .args(["config", "user.email"])
            .output()
            .is_ok_and(|o| o.status.success());
        Ok(Git {
            dir,
            work_tree,
            identity,
        })
    }

    fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = Command::new("git");
        cmd.arg("--git-dir")
            .arg(&self.dir)
            .arg("--work-tree")
            .arg(&self.work_tree)
            // What is published must not depend on the user's git settings: no line-ending
            // conversion, no global ignore file hiding a page.
            .args(["-c", "core.autocrlf=false", "-c", "core.safecrlf=false"])
            .args([
                "-c",
                "core.excludesFile=/dev/null",
                "-c",
                "core.quotePath=false",
            ])
            .args(args)
            .env("GIT_INDEX_FILE", self.dir.join("boke-index"))
            .env("GIT_TERMINAL_PROMPT", "0")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_DIR");
        // A commit needs an author; one who has not told git who they are still gets a deploy.
        for (var, value) in [
            ("GIT_AUTHOR_NAME", "boke"),
            ("GIT_COMMITTER_NAME", "boke"),
            ("GIT_AUTHOR_EMAIL", "boke@localhost"),
            ("GIT_COMMITTER_EMAIL", "boke@localhost"),
        ] {
            if !self.identity && std::env::var_os(var).is_none() {
                cmd.env(var, value);
            }
        }
        cmd
    }

    /// Run git; its trimmed standard output, or an error quoting what it said.
    fn run<I, S>(&self, args: I) -> Result<String>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let args: Vec<S> = args.into_iter().collect();
        let what = format!(
            "git {}",
            args.first()
                .map(|a| a.as_ref().to_string_lossy().into_owned())
                .unwrap_or_default()
        );
        let out = self.command(&args).output().map_err(git_missing)?;
        if !out.status.success() {
            return Err(failed(&what, &out));
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    /// Run git for an answer that may be "none" (a non-zero exit): its output, or None.
    fn query<const N: usize>(&self, args: [&str; N]) -> Result<Option<String>> {
        let out = self.command(args).output().map_err(git_missing)?;
        Ok(out
            .status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string()))
    }

    fn config(&self, key: &str) -> Result<Option<String>> {
        self.query(["config", "--get", key])
    }

    fn rev(&self, name: &str) -> Result<Option<String>> {
        self.query(["rev-parse", "--verify", "-q", name])
    }

    /// The branch's commit on the remote, or none if it has no such branch yet.
    fn remote_tip(&self, target: &Deploy) -> Result<Option<String>> {
        let refname = format!("refs/heads/{}", target.branch);
        let listed = self
            .run(["ls-remote", "--", &target.git, &refname])
            .map_err(|e| unreachable_remote(target, e))?;
        Ok(listed
            .lines()
            .find_map(|l| l.split_once('\t').filter(|(_, r)| *r == refname))
            .map(|(id, _)| id.to_string()))
    }

    fn fetch(&self, target: &Deploy) -> Result<String> {
        let refspec = format!("refs/heads/{}", target.branch);
        self.run(["fetch", "-q", "--no-tags", "--", &target.git, &refspec])
            .map_err(|e| unreachable_remote(target, e))?;
        self.run(["rev-parse", "FETCH_HEAD"])
    }

    /// Stage the output over `tip`'s tree and write the tree: exactly the output, plus the kept
    /// files `tip` has and the output lacks.
    fn stage(&self, tip: Option<&str>) -> Result<String> {
        match tip {
            Some(tip) => self.run(["read-tree", tip])?,
            None => self.run(["read-tree", "--empty"])?,
        };
        // --force: an ignore file inside the output must not leave pages out.
        self.run(["add", "--all", "--force", "--", "."])?;
        if let Some(tip) = tip {
            for name in KEPT {
                if self.work_tree.join(name).exists() {
                    continue;
                }
                let entry = self.run(["ls-tree", tip, "--", name])?;
                if let Some((meta, _)) = entry.split_once('\t') {
                    let mut parts = meta.split(' ');
                    if let (Some(mode), Some("blob"), Some(id)) =
                        (parts.next(), parts.next(), parts.next())
                    {
                        self.run([
                            "update-index",
                            "--add",
                            "--cacheinfo",
                            &format!("{mode},{id},{name}"),
                        ])?;
                    }
                }
            }
        }
        self.run(["write-tree"])
    }

    fn push(&self, target: &Deploy, commit: &str) -> Result<()> {
        let refspec = format!("{commit}:refs/heads/{}", target.branch);
        let out = self
            .command(["push", "-q", "--", &target.git, &refspec])
            .output()
            .map_err(git_missing)?;
        if out.status.success() {
            return Ok(());
        }
        let said = String::from_utf8_lossy(&out.stderr);
        if said.contains("[rejected]") || said.contains("non-fast-forward") {
            return Err(Diagnostic::new(
                &target.git,
                format!(
                    "branch `{}` moved while deploying: git refused the push\n{}",
                    target.branch,
                    said.trim()
                ),
                "someone pushed to it just now; run boke deploy again to see what changed",
            )
            .into());
        }
        Err(unreachable_remote(target, failed("git push", &out)))
    }

    fn record(&self, target: &str, commit: &str) -> Result<()> {
        self.run(["update-ref", DEPLOYED_REF, commit])?;
        self.run(["config", TARGET_KEY, target])?;
        Ok(())
    }
}

fn failed(what: &str, out: &Output) -> Error {
    Error::Setup {
        message: format!(
            "{what} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ),
        help: "see git's message above".into(),
    }
}

fn unreachable_remote(target: &Deploy, e: Error) -> Error {
    let said = match e {
        Error::Setup { message, .. } => message,
        other => other.to_string(),
    };
    Diagnostic::new(
        &target.git,
        format!("cannot reach the deploy repository: {said}"),
        "check deploy.git in site.yaml and that `git ls-remote URL` works from this shell \
         (keys, network, the repository's existence)",
    )
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target() -> Deploy {
        Deploy {
            git: "git@example.org:me/me.github.io.git".into(),
            branch: "gh-pages".into(),
        }
    }

    #[test]
    fn message_names_the_source_commit() {
        let id = "0123456789abcdef0123456789abcdef01234567";
        let clean = message(&Source::Commit {
            id: id.into(),
            dirty: false,
        });
        assert_eq!(clean, format!("Site built from {id}"));
        let dirty = message(&Source::Commit {
            id: id.into(),
            dirty: true,
        });
        assert!(
            dirty.contains(id) && dirty.contains("uncommitted"),
            "{dirty}"
        );
        assert!(message(&Source::NotInGit).contains("not under git"));
    }

    #[test]
    fn a_remote_is_moved_only_when_it_is_not_what_was_pushed() {
        let t = target();
        assert!(check_not_moved(&t, None, None).is_ok());
        assert!(check_not_moved(&t, None, Some("abc")).is_ok());
        assert!(check_not_moved(&t, Some("abc"), Some("abc")).is_ok());
        let moved = check_not_moved(&t, Some("abc"), Some("def")).unwrap_err();
        assert!(moved.message.contains("moved"), "{moved}");
        assert!(moved.message.contains("abc") && moved.message.contains("def"));
        let gone = check_not_moved(&t, Some("abc"), None).unwrap_err();
        assert!(gone.message.contains("gone"), "{gone}");
    }
}
