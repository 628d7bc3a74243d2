//! `boke serve` under a bounded load from loopback while posts are edited: no request fails and
//! every page is whole (the old one or the new one, never a mix); hostile requests get errors
//! and do not stop it from serving others.

use crate::common;
use crate::common::server;
use common::*;
use server::Server;
use std::io::Write;
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const CONNECTIONS: usize = 64;
const LOAD: Duration = Duration::from_secs(6);

fn site() -> TestSite {
    let site = TestSite::new("paginate: 5\n");
    for i in 0..30 {
        site.post(
            &format!("p{i:02}"),
            &format!("title: 第{i}篇\ndate: 2014-03-{:02} 10:00\n", i % 28 + 1),
            &"正文。".repeat(200),
        );
    }
    site
}

#[test]
fn load_while_editing_never_fails_or_serves_half_a_page() {
    let site = site();
    let server = Server::start(site.path());
    let pages = [
        "/",
        "/page/2/",
        "/posts/p05/",
        "/posts/p17/",
        "/archives/2014/",
        "/atom.xml",
    ];
    let done = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let deadline = Instant::now() + LOAD;
    let workers: Vec<_> = (0..CONNECTIONS)
        .map(|w| {
            let (url, done, failed) = (server.url.clone(), done.clone(), failed.clone());
            std::thread::spawn(move || {
                let agent = Server::agent();
                let mut n = w;
                while Instant::now() < deadline {
                    let page = pages[n % pages.len()];
                    n += 1;
                    let problem = match agent
                        .get(&format!("{url}{}", page.trim_start_matches('/')))
                        .call()
                    {
                        Ok(mut r) if r.status() == 200 => {
                            let body = r.body_mut().read_to_string().unwrap_or_default();
                            let whole = if page.ends_with(".xml") {
                                body.trim_end().ends_with("</feed>")
                            } else {
                                body.contains("</html>") && body.contains("/__boke/events")
                            };
                            (!whole)
                                .then(|| format!("{page}: a partial page of {} bytes", body.len()))
                        }
                        Ok(r) => Some(format!("{page}: status {}", r.status())),
                        Err(e) => Some(format!("{page}: {e}")),
                    };
                    done.fetch_add(1, Ordering::Relaxed);
                    if let Some(p) = problem {
                        failed.lock().unwrap().push(p);
                    }
                }
            })
        })
        .collect();
    // Edit posts every 200 ms while the load runs: their pages, the lists and the feed change.
    let mut edits = 0;
    while Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
        site.post(
            "p05",
            &format!("title: 第5篇 修改{edits}\ndate: 2014-03-06 10:00\n"),
            &"新的正文。".repeat(200 + edits),
        );
        edits += 1;
    }
    for w in workers {
        w.join().unwrap();
    }
    let failed = failed.lock().unwrap();
    let total = done.load(Ordering::Relaxed);
    eprintln!(
        "{total} requests from {CONNECTIONS} connections during {edits} edits; {} failed",
        failed.len()
    );
    assert!(total > 200, "only {total} requests");
    assert!(
        failed.is_empty(),
        "{} of {total} failed, e.g. {:?}",
        failed.len(),
        &failed[..failed.len().min(5)]
    );
    // The last edit may still be rebuilding: wait for it, boundedly.
    let want = format!("修改{}", edits - 1);
    let until = Instant::now() + Duration::from_secs(10);
    while !server.get("/posts/p05/").2.contains(&want) && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        server.get("/posts/p05/").2.contains(&want),
        "the last edit is served"
    );
}

#[test]
fn hostile_requests_get_errors_and_others_are_still_served() {
    let site = site();
    let server = Server::start(site.path());
    // A 64 KB URL and invalid UTF-8: an error status, not a crash.
    let long = format!("/{}", "a".repeat(64 * 1024));
    let (status, _) = server.raw(long.as_bytes());
    assert!((400..500).contains(&status), "64 KB URL: {status}");
    let (status, _) = server.raw(b"/posts/\xff\xfe/");
    assert!((400..500).contains(&status), "invalid UTF-8: {status}");
    // Many idle connections (bounded) do not stop others from being served.
    let idle: Vec<TcpStream> = (0..500)
        .filter_map(|_| TcpStream::connect(&server.addr).ok())
        .collect();
    assert!(
        idle.len() >= 400,
        "only {} idle connections opened",
        idle.len()
    );
    let mut half = TcpStream::connect(&server.addr).unwrap();
    half.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    let started = Instant::now();
    let (status, _, body) = server.get("/posts/p01/");
    assert_eq!(status, 200);
    assert!(body.contains("第1篇"));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "served in {:?}",
        started.elapsed()
    );
    drop(idle);
}
