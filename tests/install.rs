//! README's install command, done for real: `cargo install --locked --path .` into a
//! temporary root, then `boke init` and `boke build` with that binary from a folder outside
//! the repository, which shows it needs nothing from the source tree at run time.
//!
//! It compiles boke once more (a debug build in its own target folder, which later runs
//! reuse), so it runs under `CI=true` or `BOKE_TEST_INSTALL=1` only.

use std::path::Path;
use std::process::Command;

fn wanted() -> bool {
    ["CI", "BOKE_TEST_INSTALL"]
        .iter()
        .any(|v| std::env::var(v).is_ok_and(|s| s == "true" || s == "1"))
}

#[track_caller]
fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{cmd:?} failed:\n{text}");
    text
}

#[test]
fn installed_binary_builds_a_new_site_outside_the_repository() {
    if !wanted() {
        eprintln!("skipped: set CI=true or BOKE_TEST_INSTALL=1 to run cargo install");
        return;
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("prefix");
    // --debug: the release profile's fat LTO would add minutes to CI for the same check of
    // what is installed (--locked, the bin target, no files needed beside it). --offline:
    // building this test has fetched every crate the install needs.
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    run(Command::new(cargo)
        .current_dir(repo)
        .args([
            "install",
            "--debug",
            "--locked",
            "--offline",
            "--quiet",
            "--path",
            ".",
        ])
        .arg("--root")
        .arg(&root)
        .arg("--target-dir")
        .arg(Path::new(env!("CARGO_TARGET_TMPDIR")).join("install")));
    let boke = root.join("bin/boke");
    assert!(boke.is_file(), "cargo install put no bin/boke in {root:?}");

    let work = tmp.path().join("elsewhere");
    std::fs::create_dir(&work).unwrap();
    let said = run(Command::new(&boke).current_dir(&work).args([
        "init",
        "myblog",
        "--title",
        "Installed",
    ]));
    assert!(said.contains("boke build"), "{said}");
    let site = work.join("myblog");
    run(Command::new(&boke)
        .current_dir(site.join("content"))
        .arg("build"));
    let index = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(index.contains("Installed"), "{index}");
    for asset in ["style.css", "search.js", "atom.xml"] {
        assert!(site.join("public").join(asset).is_file(), "{asset}");
    }
}
