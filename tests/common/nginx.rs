//! nginx (Debian's package) serving a built site on a loopback port, for tests that check
//! the output as a real web server serves it.
#![allow(dead_code)]

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use url::Url;

/// nginx in the foreground as a child of the test, with a config the test writes; stopped on
/// drop. One process (`master_process off`) running as the test's user, so it reads the
/// output in a private temporary directory.
pub struct Nginx {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Nginx {
    pub fn serve(out: &Path, prefix: &str) -> Nginx {
        let bin = ["/usr/sbin/nginx", "/usr/bin/nginx"]
            .into_iter()
            .map(PathBuf::from)
            .find(|p| p.is_file())
            .expect("nginx is not installed: apt-get install nginx (.ci/run installs it)");
        // A port that was free a moment ago; if another process takes it first, try again.
        for _ in 0..5 {
            let port = TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let dir = tempfile::tempdir().unwrap();
            let d = dir.path().display();
            let conf = format!(
                "daemon off;\nmaster_process off;\nworker_processes 1;\npid {d}/nginx.pid;\n\
                 error_log {d}/error.log;\nevents {{ worker_connections 64; }}\n\
                 http {{\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n\
                 charset utf-8;\n  access_log off;\n  client_body_temp_path {d}/body;\n\
                 proxy_temp_path {d}/proxy;\n  fastcgi_temp_path {d}/fastcgi;\n\
                 uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n\
                 server {{\n    listen 127.0.0.1:{port};\n    location {prefix} {{\n\
                 alias {out}/;\n      error_page 404 {prefix}404.html;\n    }}\n  }}\n}}\n",
                out = out.display()
            );
            std::fs::write(dir.path().join("nginx.conf"), conf).unwrap();
            let mut child = Command::new(&bin)
                .arg("-p")
                .arg(dir.path())
                .arg("-e")
                .arg(dir.path().join("error.log"))
                .arg("-c")
                .arg(dir.path().join("nginx.conf"))
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start nginx");
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return Nginx {
                        child,
                        port,
                        _dir: dir,
                    };
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = e.read_to_string(&mut err);
            }
            let log = std::fs::read_to_string(dir.path().join("error.log")).unwrap_or_default();
            eprintln!("nginx did not start on port {port}: {err}{log}");
        }
        panic!("nginx did not start; see the messages above");
    }

    /// The server's address with `prefix`.
    pub fn base(&self, prefix: &str) -> Url {
        Url::parse(&format!("http://127.0.0.1:{}{prefix}", self.port)).unwrap()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Fetch `path` under `base` as a browser would, following meta-refresh redirect pages (what
/// boke writes for aliases): the path it ends at and that page.
pub fn follow(base: &Url, path: &str) -> (String, scraper::Html) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    let mut url = base.join(path.trim_start_matches('/')).unwrap();
    for _ in 0..4 {
        let mut r = agent.get(url.as_str()).call().unwrap();
        assert_eq!(r.status().as_u16(), 200, "{url}");
        let doc = scraper::Html::parse_document(&r.body_mut().read_to_string().unwrap());
        let sel = scraper::Selector::parse("meta[http-equiv=refresh]").unwrap();
        let refresh = doc
            .select(&sel)
            .next()
            .and_then(|m| m.value().attr("content"))
            .and_then(|c| c.split_once("url=").map(|(_, u)| u.to_string()));
        match refresh {
            Some(next) => url = url.join(&next).unwrap(),
            None => {
                return (
                    percent_encoding::percent_decode_str(url.path())
                        .decode_utf8_lossy()
                        .into_owned(),
                    doc,
                );
            }
        }
    }
    panic!("{path}: too many redirects");
}
