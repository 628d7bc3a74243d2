//! Every HTML page of the default site and of an English site passes HTML Tidy without errors
//! (`tidy -q -e`; its warnings, such as non-ASCII anchors or the empty spans of highlighted
//! code, are allowed). CI installs tidy; without it these tests fail rather than skip.

use crate::common;
use common::*;
use std::path::Path;
use std::process::Command;

/// Tidy's errors for one file (none when it passed); warnings are not errors.
fn tidy_errors(file: &Path) -> Vec<String> {
    let out = match Command::new("tidy").args(["-q", "-e"]).arg(file).output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            panic!("HTML Tidy is not installed: run `apt-get install tidy` (CI installs it)")
        }
        Err(e) => panic!("cannot run tidy: {e}"),
    };
    let report = String::from_utf8_lossy(&out.stderr);
    let errors: Vec<String> = report
        .lines()
        .filter(|l| l.contains("Error:"))
        .map(str::to_string)
        .collect();
    // Exit status 2 means errors, 1 warnings only; other statuses mean tidy itself failed.
    match out.status.code() {
        Some(0 | 1) => errors,
        Some(2) if !errors.is_empty() => errors,
        other => vec![format!("tidy exited with {other:?}: {report}")],
    }
}

/// Tidy's errors on every HTML file under `dir`, by file; and how many files were checked.
fn check_dir(dir: &Path) -> (Vec<String>, usize) {
    let mut problems = Vec::new();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            checked += 1;
            for e in tidy_errors(entry.path()) {
                problems.push(format!("{}: {e}", entry.path().display()));
            }
        }
    }
    (problems, checked)
}

#[test]
fn tidy_finds_errors_when_there_are_some() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("bad.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html lang=\"en\"><head><title>x</title></head><body><foo>x</foo></body></html>",
    )
    .unwrap();
    let errors = tidy_errors(&page);
    assert!(
        errors.iter().any(|e| e.contains("<foo>")),
        "tidy did not report <foo>: {errors:?}"
    );
}

#[test]
fn default_site_has_no_tidy_errors() {
    let (_tmp, out) = build_default_site();
    for page in ["index.html", "posts/slab/index.html", "404.html"] {
        assert!(out.join(page).is_file(), "{page} was not built");
    }
    let (problems, checked) = check_dir(&out);
    assert!(checked > 20, "only {checked} pages");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn english_site_has_no_tidy_errors() {
    let site = ascii_site("language: en\n");
    for page in ["index.html", "page/2/index.html", "posts/p1/index.html"] {
        assert!(site.out().join(page).is_file(), "{page} was not built");
    }
    let (problems, checked) = check_dir(&site.out());
    assert!(checked > 10, "only {checked} pages");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
