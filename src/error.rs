//! Errors as values. Every error a user can cause is a [`Diagnostic`]: where it happened
//! (file, line, column), what is wrong, and what to do about it.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem found in the user's files, located as precisely as we can.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    /// 1-based line in the file (not in a front matter block).
    pub line: Option<usize>,
    /// 1-based column.
    pub column: Option<usize>,
    pub message: String,
    /// What the user can do to fix it.
    pub help: String,
}

impl Diagnostic {
    pub fn new(
        path: impl Into<PathBuf>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
            help: help.into(),
        }
    }

    pub fn at(mut self, line: usize, column: Option<usize>) -> Self {
        self.line = Some(line);
        self.column = column;
        self
    }

    /// At `line` if it was found; a line search can come up empty, and the message still
    /// names the file.
    pub fn at_line(self, line: Option<usize>) -> Self {
        match line {
            Some(l) => self.at(l, None),
            None => self,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": {}", self.message)?;
        if !self.help.is_empty() {
            write!(f, "\n  help: {}", self.help)?;
        }
        Ok(())
    }
}

/// Everything that can stop a build.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Problems in the user's files; all of them are collected before stopping.
    #[error("{}", list(.0))]
    Invalid(Vec<Diagnostic>),
    /// A template failed to parse or to render.
    #[error("error in template {0}")]
    Template(Diagnostic),
    /// Something about the environment (a port, a watcher) is not as needed.
    #[error("{message}\n  help: {help}")]
    Setup { message: String, help: String },
    /// The file system refused something.
    #[error("cannot {action} {}: {source}\n  help: {}", path.display(), io_help(source))]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// What to do about a refusal of the file system, by its kind: the message alone ("os error
/// 28") does not say it.
fn io_help(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::StorageFull => "the disk is full: free some space, or pass --output on another disk",
        K::PermissionDenied => "check the permissions of that path and of its directory",
        K::ReadOnlyFilesystem => "that file system is read-only: pass --output elsewhere",
        K::NotADirectory => {
            "a file stands where a directory is needed: move it, or choose another path"
        }
        K::IsADirectory => {
            "a directory stands where a file is needed: move it, or choose another path"
        }
        K::NotFound => "check that the path exists",
        K::AlreadyExists => "move the existing file away, or choose another path",
        K::InvalidData => {
            "the file is not UTF-8 text: save it as UTF-8 (iconv -f GBK -t UTF-8 converts GBK)"
        }
        K::AddrInUse => "choose another --port, or stop the program using it",
        _ => "check that path, then run boke again",
    }
}

fn list(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for (i, d) in diags.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&format!("error: {d}"));
    }
    if diags.len() > 1 {
        out.push_str(&format!("\n{} errors", diags.len()));
    }
    out
}

impl Error {
    pub fn io(action: &'static str, path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }

    pub fn one(diag: Diagnostic) -> Self {
        Error::Invalid(vec![diag])
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::one(d)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::ErrorKind;

    #[test]
    fn io_errors_say_what_to_do() {
        let e = Error::io(
            "write",
            Path::new("/srv/public/index.html"),
            std::io::Error::from(ErrorKind::StorageFull),
        )
        .to_string();
        assert!(
            e.starts_with("cannot write /srv/public/index.html: "),
            "{e}"
        );
        assert!(e.contains("\n  help: the disk is full"), "{e}");
        let e = Error::io(
            "create",
            Path::new("/srv"),
            std::io::Error::from(ErrorKind::PermissionDenied),
        )
        .to_string();
        assert!(e.contains("help: check the permissions"), "{e}");
    }
}
