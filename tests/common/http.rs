//! A fixture web server on 127.0.0.1 for importer tests: serves fixed pages, and can be told
//! to misbehave (500, 429 with Retry-After, a dropped connection, a slow answer) for a path a
//! number of times before it answers properly. Stopped when dropped.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One answer the server gives instead of the page.
#[derive(Debug, Clone)]
pub enum Fault {
    Status(u16),
    /// 429 with `Retry-After: SECS`.
    TooMany(u64),
    /// Read the request, close without answering.
    Drop,
    /// Wait this long, then answer properly.
    Slow(Duration),
}

#[derive(Clone)]
pub struct Resource {
    pub content_type: String,
    pub body: Vec<u8>,
}

#[derive(Default)]
struct State {
    pages: BTreeMap<String, Resource>,
    faults: HashMap<String, Vec<Fault>>,
    /// Every request line's path, in order.
    log: Vec<String>,
    /// A pause before every answer.
    pace: Duration,
    open: usize,
    most_open: usize,
}

pub struct FixtureServer {
    pub addr: String,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FixtureServer {
    pub fn start(pages: BTreeMap<String, Resource>) -> FixtureServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let state = Arc::new(Mutex::new(State {
            pages,
            ..State::default()
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (state, stop) = (state.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match listener.accept() {
                        Ok((s, _)) => {
                            let state = state.clone();
                            std::thread::spawn(move || {
                                let _ = serve(s, &state);
                            });
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(5)),
                    }
                }
            })
        };
        FixtureServer {
            addr,
            state,
            stop,
            thread: Some(thread),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Answer `path` with these faults first, one a request, then properly.
    pub fn fault(&self, path: &str, faults: Vec<Fault>) {
        self.state
            .lock()
            .unwrap()
            .faults
            .insert(path.to_string(), faults);
    }

    pub fn remove(&self, path: &str) {
        self.state.lock().unwrap().pages.remove(path);
    }

    /// Wait this long before every answer.
    pub fn pace(&self, d: Duration) {
        self.state.lock().unwrap().pace = d;
    }

    pub fn log(&self) -> Vec<String> {
        self.state.lock().unwrap().log.clone()
    }

    pub fn requests(&self) -> usize {
        self.state.lock().unwrap().log.len()
    }

    /// The most requests that were being answered at once.
    pub fn most_at_once(&self) -> usize {
        self.state.lock().unwrap().most_open
    }
}

impl Drop for FixtureServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve(stream: TcpStream, state: &Mutex<State>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    // One request a connection: answers say `Connection: close`.
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let target = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut agent = String::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
        if let Some(v) = h.to_ascii_lowercase().strip_prefix("user-agent:") {
            agent = v.trim().to_string();
        }
    }
    let (fault, page, pace) = {
        let mut s = state.lock().unwrap();
        s.log.push(format!("{target} {agent}"));
        s.open += 1;
        s.most_open = s.most_open.max(s.open);
        let fault = s.faults.get_mut(&target).and_then(|f| {
            if f.is_empty() {
                None
            } else {
                Some(f.remove(0))
            }
        });
        (fault, s.pages.get(&target).cloned(), s.pace)
    };
    let _open = Open(state);
    std::thread::sleep(pace);
    let mut out = stream;
    match fault {
        Some(Fault::Drop) => return Ok(()),
        Some(Fault::Status(code)) => return respond(&mut out, code, "text/plain", b"fault", &[]),
        Some(Fault::TooMany(secs)) => {
            return respond(
                &mut out,
                429,
                "text/plain",
                b"slow down",
                &[("Retry-After", secs.to_string())],
            );
        }
        // Not counted as open while it sleeps: the client is expected to give up on it.
        Some(Fault::Slow(d)) => {
            drop(_open);
            std::thread::sleep(d);
            return match page {
                Some(r) => respond(&mut out, 200, &r.content_type, &r.body, &[]),
                None => respond(&mut out, 404, "text/html", b"<h1>404</h1>", &[]),
            };
        }
        None => {}
    }
    match page {
        Some(r) => respond(&mut out, 200, &r.content_type, &r.body, &[]),
        None => respond(&mut out, 404, "text/html", b"<h1>404</h1>", &[]),
    }
}

/// Counts an answer as finished however it ends.
struct Open<'a>(&'a Mutex<State>);
impl Drop for Open<'_> {
    fn drop(&mut self) {
        if let Ok(mut s) = self.0.lock() {
            s.open -= 1;
        }
    }
}

fn respond(
    out: &mut TcpStream,
    code: u16,
    ctype: &str,
    body: &[u8],
    extra: &[(&str, String)],
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {code} X\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in extra {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes())?;
    // A client that gave up on a slow answer has closed its end; that is not an error here.
    let _ = out.write_all(body);
    out.flush()
}
