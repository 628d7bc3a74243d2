//! Helpers for tests that drive the real `boke` binary over small sites in temporary
//! directories.
#![allow(dead_code)]

pub mod chinaunix;
pub mod chromium;
pub mod http;
pub mod nginx;
pub mod server;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    /// A site with a minimal site.yaml (plus `extra_config` lines).
    pub fn new(extra_config: &str) -> TestSite {
        let dir = tempfile::tempdir().expect("temp dir");
        let s = TestSite { dir };
        s.write("site.yaml", &format!("title: 测试博客\n{extra_config}"));
        std::fs::create_dir_all(s.path().join("content/posts")).unwrap();
        s
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn out(&self) -> PathBuf {
        self.path().join("public")
    }

    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    /// Add a post `content/posts/<name>.md`.
    pub fn post(&self, name: &str, front: &str, body: &str) {
        self.write(
            &format!("content/posts/{name}.md"),
            &format!("---\n{front}---\n{body}"),
        );
    }

    pub fn build(&self, args: &[&str]) -> Run {
        let mut all = vec!["build", "--root"];
        let root = self.path().to_str().unwrap().to_string();
        all.push(&root);
        all.extend_from_slice(args);
        boke(&all)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn html(&self, rel: &str) -> scraper::Html {
        scraper::Html::parse_document(&self.read(rel))
    }
}

/// A site whose own text is all ASCII, so any CJK character on its pages is a label; three
/// posts one a page, so the pager shows, with categories, tags, a TOC and a guestbook.
/// `settings` are site.yaml lines (the language among them).
pub fn ascii_site(settings: &str) -> TestSite {
    let site = TestSite::new("");
    site.write(
        "site.yaml",
        &format!(
            "title: Kernel notes\n{settings}paginate: 1\ntoc: true\nprofile:\n  name: someone\n  visits: 12\n  level: private\n  group: users\n  registered: \"2014-02-20 08:27\"\n"
        ),
    );
    for (n, day) in [
        (1, "2014-01-02 10:00"),
        (2, "2014-02-03 11:30"),
        (3, "2015-03-04 12:00"),
    ] {
        site.post(
            &format!("2014-0{n}-01-p{n}"),
            &format!(
                "title: \"Post {n}\"\ndate: {day}\nviews: {n}\ncategory: mm\ntags: [slab, vm]\n"
            ),
            "Intro.\n\n<!-- more -->\n\n## One\n\nText.\n\n## Two\n\nMore text.\n",
        );
    }
    site.write(
        "data/guestbook.yaml",
        "- author: reader\n  time: \"2014-02-21 11:08\"\n  text: hello\n",
    );
    site.build(&[]).assert_ok();
    site
}

/// The repository's own site built into a temporary directory: (the directory, the output).
pub fn build_default_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    boke(&[
        "build",
        "--root",
        env!("CARGO_MANIFEST_DIR"),
        "--output",
        out.to_str().unwrap(),
    ])
    .assert_ok();
    (tmp, out)
}

pub struct Run {
    pub out: Output,
}

impl Run {
    pub fn ok(&self) -> bool {
        self.out.status.success()
    }
    pub fn code(&self) -> Option<i32> {
        self.out.status.code()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }
    #[track_caller]
    pub fn assert_ok(&self) -> &Self {
        assert!(
            self.ok(),
            "boke failed:\n{}\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }
    /// Exit code 2: the command line itself was refused (clap's usage error).
    #[track_caller]
    pub fn assert_usage_error(&self) -> &Self {
        assert_eq!(
            self.code(),
            Some(2),
            "expected a usage error:\n{}",
            self.stderr()
        );
        self
    }
    /// Exit code 1, no panic, and every `needle` in the message.
    #[track_caller]
    pub fn assert_error(&self, needles: &[&str]) -> &Self {
        let err = self.stderr();
        assert_eq!(
            self.code(),
            Some(1),
            "expected exit 1, got {:?}:\n{err}",
            self.code()
        );
        assert!(!err.contains("panicked"), "boke panicked:\n{err}");
        for n in needles {
            assert!(err.contains(n), "message lacks {n:?}:\n{err}");
        }
        self
    }
}

pub fn boke(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_boke"))
        .args(args)
        .output()
        .expect("run boke");
    Run { out }
}

/// Every file under `dir` with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

pub fn select<'a>(doc: &'a scraper::Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&scraper::Selector::parse(css).unwrap())
        .collect()
}

pub fn text(e: &scraper::ElementRef<'_>) -> String {
    e.text().collect::<String>()
}

/// Run boke with `cwd` as its working directory and the environment changed: `Some(value)`
/// sets a variable, `None` removes it.
pub fn boke_in(cwd: &Path, args: &[&str], env: &[(&str, Option<&str>)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_boke"));
    cmd.current_dir(cwd).args(args);
    for (key, value) in env {
        match value {
            Some(v) => cmd.env(key, v),
            None => cmd.env_remove(key),
        };
    }
    Run {
        out: cmd.output().expect("run boke"),
    }
}

/// `boke build --root ROOT --output OUT`, which must succeed.
pub fn build_into(root: &Path, out: &Path) {
    boke(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ])
    .assert_ok();
}
