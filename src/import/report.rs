//! What an import tells its user: progress while it runs, and a summary at the end.

use super::store::Outcome;
use indicatif::{ProgressBar, ProgressStyle};
use std::fmt::Write as _;
use std::sync::Mutex;

/// The counts and the problems of one import.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub posts: usize,
    pub comments: usize,
    pub images: usize,
    /// Files written or updated.
    pub written: usize,
    pub unchanged: usize,
    /// Files left as the user has them (site-relative), with why.
    pub kept: Vec<String>,
    /// What could not be imported, each naming its address and why.
    pub failures: Vec<String>,
    /// Things the user should know, such as settings to copy into site.yaml.
    pub notes: Vec<String>,
    /// Requests sent over the network.
    pub requests: usize,
}

impl Report {
    pub fn record(&mut self, rel: &str, outcome: Outcome) {
        match outcome {
            Outcome::Created | Outcome::Updated => self.written += 1,
            Outcome::Unchanged => self.unchanged += 1,
            Outcome::KeptEdited => self.kept.push(format!(
                "{rel}: changed since the last import, left as it is"
            )),
            Outcome::KeptForeign => self
                .kept
                .push(format!("{rel}: not written by the import, left as it is")),
        }
    }

    pub fn summary(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "imported {} posts, {} comments and {} images ({} files written, {} unchanged, {} requests)",
            self.posts, self.comments, self.images, self.written, self.unchanged, self.requests
        );
        if !self.kept.is_empty() {
            let _ = writeln!(s, "kept {} files as they are:", self.kept.len());
            for k in &self.kept {
                let _ = writeln!(s, "  {k}");
            }
        }
        if !self.failures.is_empty() {
            let _ = writeln!(s, "{} problems:", self.failures.len());
            for f in &self.failures {
                let _ = writeln!(s, "  {f}");
            }
        }
        for n in &self.notes {
            let _ = writeln!(s, "{n}");
        }
        s
    }
}

/// A progress bar on a terminal; otherwise one line as each stage starts.
pub struct Progress {
    bar: Option<ProgressBar>,
    /// Lines printed while a bar runs go above it.
    lock: Mutex<()>,
}

impl Progress {
    pub fn new(terminal: bool) -> Progress {
        Progress {
            bar: terminal.then(|| {
                let b = ProgressBar::new(0);
                b.set_style(
                    ProgressStyle::with_template("{msg:24} [{bar:30}] {pos}/{len} {elapsed}")
                        .unwrap_or_else(|_| ProgressStyle::default_bar())
                        .progress_chars("=> "),
                );
                b
            }),
            lock: Mutex::new(()),
        }
    }

    /// A new stage of `total` steps.
    pub fn stage(&self, name: &str, total: usize) {
        match &self.bar {
            Some(b) => {
                b.set_message(name.to_string());
                b.set_length(total as u64);
                b.set_position(0);
            }
            None if total == 0 => self.line(name),
            None => self.line(&format!("{name} ({total})")),
        }
    }

    pub fn step(&self) {
        if let Some(b) = &self.bar {
            b.inc(1);
        }
    }

    pub fn line(&self, msg: &str) {
        let _g = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        match &self.bar {
            Some(b) => b.println(msg),
            None => eprintln!("{msg}"),
        }
    }

    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
