//! A `boke serve` process on a free loopback port, stopped when dropped.
// Shared by several test crates, each using a part of it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub struct Server {
    child: Child,
    pub url: String,
    pub addr: String,
    /// Lines the server printed up to and including its URL.
    pub preamble: Vec<String>,
    /// Lines the server printed after its start.
    pub output: mpsc::Receiver<String>,
}

impl Server {
    pub fn start(root: &Path) -> Server {
        Server::start_with(root, &[])
    }

    /// `boke serve` with more arguments (`-v` …).
    pub fn start_with(root: &Path, args: &[&str]) -> Server {
        Server::start_at(root, 0, args)
    }

    /// `boke serve` on a given port (0: a free one).
    pub fn start_at(root: &Path, port: u16, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_boke"))
            .args(["serve", "--port", &port.to_string(), "--root"])
            .arg(root)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start boke serve");
        let (tx, rx) = mpsc::channel();
        for pipe in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            });
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut preamble = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    preamble.push(line.clone());
                    if let Some(at) = line.find("http://") {
                        let url = line[at..].split_whitespace().next().unwrap().to_string();
                        let addr = url
                            .trim_start_matches("http://")
                            .trim_end_matches('/')
                            .to_string();
                        return Server {
                            child,
                            url,
                            addr,
                            preamble,
                            output: rx,
                        };
                    }
                }
                Err(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!("boke serve printed no URL within 30 s");
                }
            }
        }
    }

    /// The folder serve says it builds into (its `into a private copy: DIR (…)` line).
    pub fn build_dir(&self) -> std::path::PathBuf {
        self.preamble
            .iter()
            .find_map(|l| l.split_once("into a private copy: "))
            .map(|(_, dir)| std::path::PathBuf::from(dir.split(" (").next().unwrap()))
            .expect("serve names its build directory")
    }

    /// Send Ctrl-C (SIGINT) and wait up to `timeout` for the server to exit.
    pub fn interrupt(&mut self, timeout: Duration) -> Option<std::process::ExitStatus> {
        let pid = self.child.id().to_string();
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .expect("run kill");
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    pub fn agent() -> ureq::Agent {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(10)))
            .build()
            .into()
    }

    /// GET a path: (status, content type, body).
    pub fn get(&self, path: &str) -> (u16, String, String) {
        let mut r = Self::agent()
            .get(&format!("{}{}", self.url, path.trim_start_matches('/')))
            .call()
            .expect("request");
        let ctype = r
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        (
            r.status().as_u16(),
            ctype,
            r.body_mut().read_to_string().unwrap_or_default(),
        )
    }

    /// Send a request line as is (clients would normalise these paths) and return the status
    /// and the whole response.
    pub fn raw(&self, target: &[u8]) -> (u16, String) {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut req = b"GET ".to_vec();
        req.extend_from_slice(target);
        req.extend_from_slice(b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        s.write_all(&req).unwrap();
        let mut buf = Vec::new();
        let _ = s.read_to_end(&mut buf);
        let text = String::from_utf8_lossy(&buf).into_owned();
        let status = text
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (status, text)
    }

    /// Subscribe to the live-reload events.
    pub fn events(&self) -> Events {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.write_all(
            b"GET /__boke/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n",
        )
        .unwrap();
        s.set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        Events {
            stream: s,
            buf: String::new(),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Events {
    stream: TcpStream,
    buf: String,
}

impl Events {
    /// Wait up to `timeout` for an event named `name`; return its data.
    pub fn wait_for(&mut self, name: &str, timeout: Duration) -> Option<String> {
        let deadline = Instant::now() + timeout;
        let marker = format!("event: {name}\n");
        loop {
            if let Some(at) = self.buf.find(&marker) {
                let rest = &self.buf[at + marker.len()..];
                if let Some(end) = rest.find("\n\n") {
                    let data: Vec<&str> = rest[..end]
                        .lines()
                        .filter_map(|l| l.strip_prefix("data: ").or(l.strip_prefix("data:")))
                        .collect();
                    let data = data.join("\n");
                    self.buf = rest[end..].to_string();
                    return Some(data);
                }
            }
            if Instant::now() >= deadline {
                return None;
            }
            let mut chunk = [0u8; 4096];
            match self.stream.read(&mut chunk) {
                Ok(0) => return None,
                // Chunked transfer framing is left in the buffer; the markers are found
                // within it as sent.
                Ok(n) => self
                    .buf
                    .push_str(&String::from_utf8_lossy(&chunk[..n]).replace("\r\n", "\n")),
                Err(_) => {}
            }
        }
    }
}
