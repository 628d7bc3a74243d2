//! `boke import cnblogs` over a fixture backup (RSS 2.0 with a byte order mark): every post
//! with its date and body, its old address reaching it when nginx serves the site.

use crate::common;
use crate::common::nginx;

use common::{boke, snapshot};
use std::path::Path;

#[test]
fn a_cnblogs_backup_moves_in() {
    let backup =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import_cnblogs/backup.xml");
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let run = || {
        boke(&[
            "import",
            "cnblogs",
            backup.to_str().unwrap(),
            "--root",
            root.to_str().unwrap(),
        ])
    };
    let said = run().assert_ok().stdout();
    assert!(said.contains("imported 2 posts"), "{said}");
    assert!(said.contains("no broken links"), "{said}");
    let yaml = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    assert!(yaml.contains("小明的笔记"), "{yaml}");

    let out = tmp.path().join("public");
    common::build_into(&root, &out);
    let page = std::fs::read_to_string(out.join("posts/13579246/index.html")).unwrap();
    assert!(page.contains("进程调度 &amp; 负载均衡"), "{page}");
    assert!(
        page.contains("2020-08-29 16:15"),
        "the GMT time in the site's zone"
    );
    assert!(page.contains("language-c"));
    let server = nginx::Nginx::serve(&out, "/");
    let base = server.base("/");
    for (old, want) in [
        ("/xiaoming/p/13579246.html", "/posts/13579246/"),
        (
            "/xiaoming/archive/2009/05/04/my-entry.html",
            "/posts/my-entry/",
        ),
    ] {
        assert_eq!(nginx::follow(&base, old).0, want);
    }
    let before = snapshot(&root);
    assert!(run().assert_ok().stdout().contains("0 files written"));
    assert_eq!(snapshot(&root), before);
}
