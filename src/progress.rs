//! The progress bar of a long build: drawn on a terminal only, and only once the build has run
//! for about a second, so that a small site's build prints its one summary line and nothing
//! else, and so does a build whose output goes to a file or a CI log.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How long a build runs before it shows a bar.
const DELAY: Duration = Duration::from_millis(800);

pub struct Progress {
    bar: Option<ProgressBar>,
    start: Instant,
    shown: AtomicBool,
}

impl Progress {
    /// A bar over `len` steps, drawn on standard error if `wanted` and that is a terminal.
    pub fn new(wanted: bool, len: usize, what: &'static str) -> Progress {
        let bar = (wanted && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::hidden());
            if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} {eta}") {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message(what);
            bar
        });
        Progress {
            bar,
            start: Instant::now(),
            shown: AtomicBool::new(false),
        }
    }

    /// Whether a bar may be drawn at all (a terminal, and wanted).
    pub fn is_live(&self) -> bool {
        self.bar.is_some()
    }

    /// One step done.
    pub fn step(&self) {
        let Some(bar) = &self.bar else { return };
        bar.inc(1);
        if !self.shown.load(Ordering::Relaxed)
            && self.start.elapsed() >= DELAY
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Remove the bar, leaving the terminal to the summary line.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_bar_unless_wanted() {
        let p = Progress::new(false, 10, "pages");
        assert!(!p.is_live());
        p.step();
        p.finish();
    }
}
