//! What a command prints, by verbosity (`-q` errors only, `-v` each stage with its time), and
//! in colour only where it helps: on a terminal and never when `NO_COLOR` is set (anstream
//! decides, and strips the styles otherwise). A message's text is the same either way, so a
//! diagnostic keeps its `file:line:` form for editors and scripts.

use anstyle::{AnsiColor, Style};
use std::fmt::Display;
use std::io::Write;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Verbosity {
    /// Errors only.
    Quiet,
    #[default]
    Normal,
    /// Each stage with its time, each file a rebuild wrote.
    Verbose,
}

/// Where a command's messages go. Copied into whatever prints (the server's rebuild thread too).
#[derive(Debug, Clone, Copy, Default)]
pub struct Console {
    pub verbosity: Verbosity,
}

const ERROR: Style = AnsiColor::Red.on_default().bold();
const WARNING: Style = AnsiColor::Yellow.on_default().bold();
const HELP: Style = AnsiColor::Cyan.on_default().bold();
const STAGE: Style = AnsiColor::Green.on_default().bold();

impl Console {
    pub fn new(verbosity: Verbosity) -> Console {
        Console { verbosity }
    }

    /// Whether a long build may draw its progress bar (not under `-q`).
    pub fn shows_progress(&self) -> bool {
        self.verbosity >= Verbosity::Normal
    }

    pub fn is_verbose(&self) -> bool {
        self.verbosity >= Verbosity::Verbose
    }

    /// What a command did (a summary line), on stdout; not under `-q`.
    pub fn status(&self, line: impl Display) {
        if self.verbosity >= Verbosity::Normal {
            let _ = writeln!(anstream::stdout(), "{line}");
        }
    }

    /// Where the command is and what it uses (the site's root), on stderr so that a command's
    /// output (the path `boke new` prints) stays alone on stdout; not under `-q`.
    pub fn note(&self, line: impl Display) {
        if self.verbosity >= Verbosity::Normal {
            let _ = writeln!(anstream::stderr(), "{line}");
        }
    }

    /// A detail shown under `-v` only, on stdout.
    pub fn detail(&self, line: impl Display) {
        if self.is_verbose() {
            let _ = writeln!(anstream::stdout(), "{line}");
        }
    }

    /// A stage of the work and how long it took, under `-v`.
    pub fn stage(&self, name: &str, took: Duration, what: impl Display) {
        if self.is_verbose() {
            let _ = writeln!(
                anstream::stdout(),
                "{STAGE}{name:>8}{STAGE:#} {:>6.1} ms  {what}",
                took.as_secs_f64() * 1000.0
            );
        }
    }

    /// A build's warnings, its stages under `-v`, then its summary line.
    pub fn built(&self, r: &crate::build::Report, summary: impl Display) {
        for w in &r.warnings {
            self.warning(w);
        }
        let s = &r.stages;
        self.stage("load", s.load, format_args!("{} posts", r.posts));
        self.stage(
            "render",
            s.render,
            format_args!(
                "{} pages, {} of them kept from the last build (summed over the workers)",
                r.pages, r.reused
            ),
        );
        self.stage(
            "write",
            s.write,
            format_args!(
                "{} files into {} (summed over the workers)",
                r.pages + r.static_files,
                r.output.display()
            ),
        );
        self.stage("search", s.search, "the search index, beside the pages");
        self.status(summary);
    }

    /// A problem that does not stop the command, on stderr; not under `-q`.
    pub fn warning(&self, text: impl Display) {
        if self.verbosity >= Verbosity::Normal {
            let _ = writeln!(anstream::stderr(), "{}", paint(&format!("warning: {text}")));
        }
    }

    /// An error (its text already says `error:` where it should), on stderr, always.
    pub fn error(&self, text: impl Display) {
        let _ = writeln!(anstream::stderr(), "{}", paint(&text.to_string()));
    }
}

/// Styles the `error:`, `warning:` and `help:` that begin lines; everything else, the
/// `file:line:` included, is left as written.
pub fn paint(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let indent = line.len() - line.trim_start().len();
        let (lead, rest) = line.split_at(indent);
        let styled = [("error:", ERROR), ("warning:", WARNING), ("help:", HELP)]
            .into_iter()
            .find_map(|(word, style)| {
                rest.strip_prefix(word)
                    .map(|tail| format!("{lead}{style}{word}{style:#}{tail}"))
            });
        out.push_str(styled.as_deref().unwrap_or(line));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_leading_words_are_styled() {
        let text = "error: content/posts/a.md:3: bad date\n  help: write it like 2014-11-19";
        let painted = paint(text);
        assert_ne!(painted, text);
        assert!(
            painted.contains("content/posts/a.md:3: bad date"),
            "{painted:?}"
        );
        assert!(painted.starts_with("\x1b["), "{painted:?}");
        assert_eq!(anstream::adapter::strip_str(&painted).to_string(), text);
        let plain = "built 3 posts; an error: here is not at the start";
        assert_eq!(paint(plain), plain);
    }
}
