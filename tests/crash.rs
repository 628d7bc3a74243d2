//! Builds that die or cannot write: a build killed with SIGKILL at any moment, a full disk and
//! an output it may not write leave the previous output whole, and the next build works.
//! Builds are byte-identical whatever the number of threads.

use crate::common;
use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

type Tree = BTreeMap<PathBuf, Vec<u8>>;

/// A site of `n` posts over several years and categories, paginated finely so that a build
/// writes thousands of files.
fn generated_site(n: usize) -> TestSite {
    let site = TestSite::new("paginate: 10\n");
    let body = format!(
        "{}\n\n<!-- more -->\n\n## 细节\n\n{}\n",
        "内核中物理内存使用伙伴系统进行管理。".repeat(6),
        "slab 分配器建立在伙伴系统之上，`kmem_cache` 描述一类对象。".repeat(20)
    );
    for i in 0..n {
        site.post(
            &format!("p{i:04}"),
            &format!(
                "title: \"第{i}篇\"\ndate: {}-{:02}-{:02} {:02}:{:02}:00\ncategory: 分类{}\ntags: [t{}]\nviews: {i}\n",
                2010 + i % 6,
                i % 12 + 1,
                i % 28 + 1,
                i % 24,
                i % 60,
                i % 7,
                i % 5
            ),
            &body,
        );
    }
    site.write(
        "data/guestbook.yaml",
        "- author: 啦哆A梦\n  time: \"2014-02-21 11:08\"\n  text: 你好\n",
    );
    site.write("static/img/logo.txt", "logo");
    site
}

/// Entries left beside the output by builds: staging and set-aside directories.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("boke-"))
        .collect()
}

/// Deterministic delays without a random-number crate (a 64-bit LCG, Knuth's constants).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn killed_builds_leave_the_previous_output_whole() {
    let site = generated_site(2000);
    site.build(&[]).assert_ok();
    // Timed on a warm cache, so the kills spread over a whole build.
    let start = Instant::now();
    site.build(&[]).assert_ok();
    let full = start.elapsed();
    let mut previous: Tree = snapshot(&site.out());
    assert!(previous.len() > 2000, "{} files", previous.len());
    let root = site.path().to_str().unwrap().to_string();
    let mut rng = Lcg(0x0b0e_2014);
    let (mut interrupted, mut finished) = (0, 0);
    for i in 0..20 {
        // Every page shows the subtitle, so an old page and a new one always differ.
        site.write(
            "site.yaml",
            &format!("title: 测试博客\nsubtitle: 第{i}版\npaginate: 10\n"),
        );
        let delay = full.mul_f64((rng.next() % 1000) as f64 / 1000.0);
        let mut child = Command::new(env!("CARGO_BIN_EXE_boke"))
            .args(["build", "--root", &root])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        // SIGKILL: no destructor, no cleanup, as when the machine loses power for the process.
        let _ = child.kill();
        let status = child.wait().unwrap();
        let now = snapshot(&site.out());
        if now == previous {
            interrupted += 1;
            continue;
        }
        // The build got as far as putting its output in place: then it must be the whole new
        // site, the same as an uninterrupted build of this input makes.
        finished += 1;
        let reference = site.path().join(format!("reference{i}"));
        site.build(&["--output", reference.to_str().unwrap()])
            .assert_ok();
        assert!(
            now == snapshot(&reference),
            "iteration {i} (killed after {delay:?}, {status}): the output is neither the old site nor the new one"
        );
        std::fs::remove_dir_all(&reference).unwrap();
        previous = now;
    }
    eprintln!("{interrupted} kills landed during a build, {finished} after it had finished");
    assert!(
        interrupted >= 5,
        "only {interrupted} of 20 kills landed during a build ({finished} finished): the test did not test"
    );
    site.build(&[]).assert_ok();
    assert!(site.read("index.html").contains("第19版"));
    let left = leftovers(site.path());
    assert!(left.is_empty(), "killed builds left {left:?}");
}

#[test]
fn builds_are_byte_identical_whatever_the_threads() {
    let site = generated_site(300);
    let root = site.path().to_str().unwrap().to_string();
    let mut trees = Vec::new();
    for threads in ["1", "2", "1"] {
        let out = site.path().join(format!("out-{}-{threads}", trees.len()));
        boke_in(
            site.path(),
            &["build", "--root", &root, "--output", out.to_str().unwrap()],
            &[("RAYON_NUM_THREADS", Some(threads))],
        )
        .assert_ok();
        trees.push(snapshot(&out));
    }
    assert!(trees[0].len() > 300);
    assert!(trees[0] == trees[1], "1 thread and 2 threads differ");
    assert!(trees[0] == trees[2], "two single-threaded builds differ");
}

/// The effective user id, read without libc: /proc/self belongs to it.
fn euid() -> u32 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").unwrap().uid()
}

#[test]
fn output_it_may_not_write_is_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let site = generated_site(3);
    site.build(&[]).assert_ok();
    let before = snapshot(&site.out());
    // The staging directory is made beside the output, in the site directory: forbid that.
    let mode = |m| std::fs::set_permissions(site.path(), std::fs::Permissions::from_mode(m));
    let as_root = euid() == 0;
    // Root writes anywhere whatever the mode (and CI runs as root): then build as `nobody`,
    // to whom a 0755 directory of root's is read-only.
    mode(if as_root { 0o755 } else { 0o555 }).unwrap();
    let run_as = |binary: &Path| {
        let mut cmd = Command::new(binary);
        cmd.args(["build", "--root", site.path().to_str().unwrap()])
            .current_dir(site.path());
        if as_root {
            cmd.uid(65534).gid(65534);
        }
        cmd.output()
    };
    let binary = Path::new(env!("CARGO_BIN_EXE_boke"));
    let out = match run_as(binary) {
        Ok(out) => out,
        // `nobody` may not reach the build directory: give it a copy it can run.
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            let dir = tempfile::tempdir().unwrap();
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
            let copy = dir.path().join("boke");
            std::fs::copy(binary, &copy).unwrap();
            run_as(&copy).expect("run a copy of boke")
        }
        Err(e) => panic!("cannot run boke: {e}"),
    };
    mode(0o700).unwrap();
    let run = Run { out };
    run.assert_error(&[
        ".public.boke-staging-",
        "Permission denied",
        "help:",
        "permissions",
    ]);
    assert!(
        before == snapshot(&site.out()),
        "the previous output changed"
    );
    site.build(&[]).assert_ok();
    assert!(leftovers(site.path()).is_empty());
}

#[test]
fn output_under_a_file_or_a_read_only_system_folder_is_a_clear_error() {
    let site = generated_site(3);
    site.build(&[]).assert_ok();
    let before = snapshot(&site.out());
    site.write("notes.txt", "keep");
    let under_file = site.path().join("notes.txt/public");
    site.build(&["--output", under_file.to_str().unwrap()])
        .assert_error(&["notes.txt/public", "refusing", "help:"]);
    // /sys refuses to make directories even for root.
    site.build(&["--output", "/sys/boke-test-output"])
        .assert_error(&["/sys/", "not permitted", "help:"]);
    assert_eq!(
        std::fs::read_to_string(site.path().join("notes.txt")).unwrap(),
        "keep"
    );
    assert!(
        before == snapshot(&site.out()),
        "the previous output changed"
    );
}

#[test]
fn write_error_midway_leaves_the_previous_output() {
    let site = generated_site(20);
    site.build(&[]).assert_ok();
    let before = snapshot(&site.out());
    // Pages are written first, then static files: a static file under a path that is a page
    // makes a write fail after hundreds of files are in the staging directory.
    site.write("static/posts/p0001/index.html/note.txt", "x");
    site.build(&[])
        .assert_error(&["posts/p0001/index.html", "help:"]);
    assert!(
        before == snapshot(&site.out()),
        "the previous output changed"
    );
    assert!(
        leftovers(site.path()).is_empty(),
        "{:?}",
        leftovers(site.path())
    );
}

/// A tmpfs mounted for one test, unmounted when dropped (also when the test fails).
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(dir.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn full_disk_is_a_clear_error_and_the_previous_output_stays() {
    let site = generated_site(3);
    let disk = tempfile::tempdir().unwrap();
    let Some(_mounted) = Tmpfs::mount(disk.path(), "1m") else {
        // Mounting needs root (CI has it); elsewhere there is no full disk to be had.
        eprintln!("skipped: cannot mount a tmpfs here");
        return;
    };
    let out = disk.path().join("public");
    let out_arg = out.to_str().unwrap().to_string();
    site.build(&["--output", &out_arg]).assert_ok();
    let before = snapshot(&out);
    // One page bigger than the whole disk.
    site.post(
        "big",
        "title: 大\ndate: 2016-01-01\n",
        &"内核中物理内存使用伙伴系统进行管理。\n\n".repeat(40_000),
    );
    site.build(&["--output", &out_arg])
        .assert_error(&["No space left on device", "help: the disk is full"]);
    assert!(before == snapshot(&out), "the previous output changed");
    assert!(
        leftovers(disk.path()).is_empty(),
        "{:?}",
        leftovers(disk.path())
    );
    // The failed build gave its space back: a build that fits works again.
    std::fs::remove_file(site.path().join("content/posts/big.md")).unwrap();
    site.build(&["--output", &out_arg]).assert_ok();
    assert!(before == snapshot(&out));
}
