//! Getting pages and images: over HTTP, politely, or from a directory saved by `wget --mirror`.
//! Whatever came over the network is kept in a cache folder of the site, so a run that was
//! stopped fetches only what is missing when it is run again.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use url::Url;

/// Named in every request, so a blog's host can tell who is asking.
pub const USER_AGENT: &str = concat!(
    "boke/",
    env!("CARGO_PKG_VERSION"),
    " (static site generator; blog importer)"
);

/// How politely, and how patiently, to fetch.
#[derive(Debug, Clone)]
pub struct Options {
    /// Requests at a time.
    pub jobs: usize,
    /// The pause between the starts of two requests.
    pub delay: Duration,
    /// For connecting, and for each wait on an answer.
    pub timeout: Duration,
    /// Attempts after the first, for answers worth asking again (5xx, 429, dropped).
    pub retries: u32,
    /// The first pause before a retry; it doubles each time.
    pub backoff: Duration,
    /// Larger answers are refused.
    pub max_bytes: u64,
    pub max_redirects: u32,
    /// Ask again even for what is in the cache.
    pub refresh: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            jobs: 2,
            delay: Duration::from_millis(300),
            timeout: Duration::from_secs(30),
            retries: 4,
            backoff: Duration::from_millis(500),
            max_bytes: 20 * 1024 * 1024,
            max_redirects: 5,
            refresh: false,
        }
    }
}

/// What was fetched: the bytes and the media type they were sent with (which may name the
/// charset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub bytes: Vec<u8>,
    pub content_type: Option<String>,
}

/// Why an address could not be fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// 404 or 410, or no such file in the saved directory.
    NotFound,
    /// Anything else, after the retries: what happened last.
    Failed(String),
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::NotFound => f.write_str("not found (404)"),
            FetchError::Failed(why) => f.write_str(why),
        }
    }
}

/// Where the pages come from.
pub enum Source {
    Http(ureq::Agent),
    /// A folder saved by `wget --mirror`: the blog host's folder, and its name; other hosts
    /// are looked for in folders beside it, as `wget --span-hosts` saves them.
    Dir {
        main: PathBuf,
        host: String,
    },
}

pub struct Fetcher {
    source: Source,
    cache: Option<PathBuf>,
    opts: Options,
    /// When the next request may start.
    next_start: Mutex<Instant>,
    requests: AtomicUsize,
}

impl Fetcher {
    /// A polite HTTP client; what it fetches is kept under `cache` (made on the first write).
    pub fn http(opts: Options, cache: PathBuf) -> Fetcher {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .user_agent(USER_AGENT)
            .timeout_connect(Some(opts.timeout))
            .timeout_recv_response(Some(opts.timeout))
            .timeout_recv_body(Some(opts.timeout))
            .max_redirects(opts.max_redirects)
            .build()
            .into();
        Fetcher {
            source: Source::Http(agent),
            cache: Some(cache),
            next_start: Mutex::new(Instant::now()),
            requests: AtomicUsize::new(0),
            opts,
        }
    }

    /// Pages read from a saved mirror: `main` is the folder of `host`.
    pub fn dir(opts: Options, main: PathBuf, host: String) -> Fetcher {
        Fetcher {
            source: Source::Dir { main, host },
            cache: None,
            next_start: Mutex::new(Instant::now()),
            requests: AtomicUsize::new(0),
            opts,
        }
    }

    pub fn jobs(&self) -> usize {
        self.opts.jobs.max(1)
    }

    /// Requests sent over the network so far (cache hits and saved files not counted).
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }

    /// Fetch `url`, from the cache when it is there (unless refreshing).
    pub fn get(&self, url: &Url) -> Result<Fetched, FetchError> {
        self.get_with(url, true)
    }

    /// Fetch `url` without writing the cache: for the first page, when nothing may be
    /// written unless it can be read. [`Fetcher::keep`] caches it afterwards.
    pub fn peek(&self, url: &Url) -> Result<Fetched, FetchError> {
        self.get_with(url, false)
    }

    pub fn keep(&self, url: &Url, got: &Fetched) {
        if let (Source::Http(_), Some(c)) = (&self.source, &self.cache) {
            let _ = write_cached(&cache_path(c, url), got);
        }
    }

    fn get_with(&self, url: &Url, cache: bool) -> Result<Fetched, FetchError> {
        match &self.source {
            Source::Dir { main, host } => read_saved(main, host, url),
            Source::Http(agent) => {
                let cached = self.cache.as_ref().map(|c| cache_path(c, url));
                if let Some(path) = &cached
                    && !self.opts.refresh
                    && let Some(hit) = read_cached(path)
                {
                    return hit;
                }
                let got = self.get_http(agent, url);
                // A cache that cannot be written costs a fetch next time, nothing more. A
                // 404 is kept too: a finished import run again asks for nothing.
                if let Some(path) = cached.as_ref().filter(|_| cache) {
                    match &got {
                        Ok(got) => {
                            let _ = write_cached(path, got);
                        }
                        Err(FetchError::NotFound) => {
                            let _ = super::store::write_whole(path, NOT_FOUND);
                        }
                        Err(_) => {}
                    }
                }
                got
            }
        }
    }

    fn get_http(&self, agent: &ureq::Agent, url: &Url) -> Result<Fetched, FetchError> {
        let mut last = String::new();
        for attempt in 0..=self.opts.retries {
            self.pace();
            self.requests.fetch_add(1, Ordering::Relaxed);
            let wait = match agent.get(url.as_str()).call() {
                Ok(mut resp) => {
                    let status = resp.status().as_u16();
                    match status {
                        200..=299 => {
                            let content_type = resp
                                .headers()
                                .get("content-type")
                                .and_then(|v| v.to_str().ok())
                                .map(str::to_string);
                            match resp
                                .body_mut()
                                .with_config()
                                .limit(self.opts.max_bytes)
                                .read_to_vec()
                            {
                                Ok(bytes) => {
                                    return Ok(Fetched {
                                        bytes,
                                        content_type,
                                    });
                                }
                                Err(ureq::Error::BodyExceedsLimit(_)) => {
                                    return Err(FetchError::Failed(format!(
                                        "the answer is larger than {} bytes",
                                        self.opts.max_bytes
                                    )));
                                }
                                Err(e) => {
                                    last = format!("the answer broke off: {e}");
                                    self.backoff(attempt)
                                }
                            }
                        }
                        404 | 410 => return Err(FetchError::NotFound),
                        429 => {
                            last = "too many requests (429)".into();
                            retry_after(resp.headers().get("retry-after"))
                                .unwrap_or_else(|| self.backoff(attempt))
                        }
                        500..=599 => {
                            last = format!("server error ({status})");
                            self.backoff(attempt)
                        }
                        300..=399 => {
                            return Err(FetchError::Failed(format!(
                                "more than {} redirects",
                                self.opts.max_redirects
                            )));
                        }
                        _ => return Err(FetchError::Failed(format!("answered {status}"))),
                    }
                }
                Err(ureq::Error::TooManyRedirects) | Err(ureq::Error::RedirectFailed) => {
                    return Err(FetchError::Failed(format!(
                        "more than {} redirects",
                        self.opts.max_redirects
                    )));
                }
                // Nothing listens there, or no such host: asking again will not help.
                Err(ureq::Error::HostNotFound) => {
                    return Err(FetchError::Failed("no such host".into()));
                }
                Err(ureq::Error::Io(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                    return Err(FetchError::Failed(format!("connection refused ({e})")));
                }
                Err(e) => {
                    last = e.to_string();
                    self.backoff(attempt)
                }
            };
            if attempt < self.opts.retries {
                std::thread::sleep(wait);
            }
        }
        Err(FetchError::Failed(format!(
            "{last} (after {} attempts)",
            self.opts.retries + 1
        )))
    }

    fn backoff(&self, attempt: u32) -> Duration {
        (self.opts.backoff * 2u32.saturating_pow(attempt)).min(Duration::from_secs(30))
    }

    /// Wait for this request's turn: starts are `delay` apart across all workers.
    fn pace(&self) {
        let start = {
            let mut next = self.next_start.lock().unwrap_or_else(|p| p.into_inner());
            let start = (*next).max(Instant::now());
            *next = start + self.opts.delay;
            start
        };
        let now = Instant::now();
        if start > now {
            std::thread::sleep(start - now);
        }
    }
}

/// `Retry-After` in seconds (the form servers send when limiting), bounded so that a hostile
/// value cannot stall the import for hours.
fn retry_after(v: Option<&ureq::http::HeaderValue>) -> Option<Duration> {
    let secs: u64 = v?.to_str().ok()?.trim().parse().ok()?;
    Some(Duration::from_secs(secs.min(120)))
}

/// The saved copy of `url`: `MAIN/PATH` for the blog's host, `MAIN/../HOST/PATH` for others,
/// with `index.html` for a folder and the query kept in the file name, as wget names them.
pub fn saved_path(main: &Path, main_host: &str, url: &Url) -> Option<PathBuf> {
    let host = url.host_str()?;
    let mut path = if host.eq_ignore_ascii_case(main_host) {
        main.to_path_buf()
    } else {
        main.parent()?.join(host)
    };
    for seg in url.path_segments()? {
        let seg = percent_encoding::percent_decode_str(seg)
            .decode_utf8()
            .ok()?;
        if seg.is_empty() || seg == "." || seg == ".." || seg.contains(['/', '\\', '\0']) {
            continue;
        }
        path.push(seg.as_ref());
    }
    if url.path().ends_with('/') {
        path.push("index.html");
    }
    if let Some(q) = url.query() {
        let mut name = path.file_name()?.to_os_string();
        name.push("?");
        name.push(q);
        path.set_file_name(name);
    }
    Some(path)
}

fn read_saved(main: &Path, host: &str, url: &Url) -> Result<Fetched, FetchError> {
    let path = saved_path(main, host, url).ok_or(FetchError::NotFound)?;
    match std::fs::read(&path) {
        Ok(bytes) => Ok(Fetched {
            bytes,
            content_type: None,
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(FetchError::NotFound),
        Err(e) => Err(FetchError::Failed(format!("{}: {e}", path.display()))),
    }
}

/// Cache entries are named by a hash of the address without its host and port, so a blog
/// served from another address (a test server, a proxy) reuses them.
fn cache_path(dir: &Path, url: &Url) -> PathBuf {
    let mut key = url.path().to_string();
    if let Some(q) = url.query() {
        key.push('?');
        key.push_str(q);
    }
    let hex = super::store::hash(key.as_bytes());
    dir.join(&hex[..2]).join(&hex)
}

/// The cache entry of an address that answered 404 (no media type starts with `!`).
const NOT_FOUND: &[u8] = b"!404\n";

/// An entry is the media type on the first line, then the bytes as they came.
fn read_cached(path: &Path) -> Option<Result<Fetched, FetchError>> {
    let raw = std::fs::read(path).ok()?;
    if raw == NOT_FOUND {
        return Some(Err(FetchError::NotFound));
    }
    let nl = raw.iter().position(|&b| b == b'\n')?;
    let ct = std::str::from_utf8(&raw[..nl]).ok()?;
    Some(Ok(Fetched {
        content_type: (!ct.is_empty()).then(|| ct.to_string()),
        bytes: raw[nl + 1..].to_vec(),
    }))
}

fn write_cached(path: &Path, got: &Fetched) -> std::io::Result<()> {
    let mut raw = got
        .content_type
        .as_deref()
        .unwrap_or("")
        .replace('\n', " ")
        .into_bytes();
    raw.push(b'\n');
    raw.extend_from_slice(&got.bytes);
    super::store::write_whole(path, &raw)
}

/// The text of a page, decoded by the charset its HTTP header names, else its `<meta>`, else
/// a byte-order mark, else UTF-8. Bytes that are not valid in that charset are an error.
pub fn decode(got: &Fetched) -> Result<String, String> {
    let label = got
        .content_type
        .as_deref()
        .and_then(charset_param)
        .or_else(|| meta_charset(&got.bytes));
    let encoding = match label {
        Some(l) => encoding_rs::Encoding::for_label(l.as_bytes())
            .ok_or_else(|| format!("the page declares an unknown charset `{l}`"))?,
        None => encoding_rs::Encoding::for_bom(&got.bytes)
            .map(|(e, _)| e)
            .unwrap_or(encoding_rs::UTF_8),
    };
    let bytes = match encoding_rs::Encoding::for_bom(&got.bytes) {
        Some((e, len)) if e == encoding => &got.bytes[len..],
        _ => &got.bytes[..],
    };
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|s| s.into_owned())
        .ok_or_else(|| format!("the page is not valid {}", encoding.name()))
}

fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']).to_string())
    })
}

/// `<meta charset="gbk">` or `<meta http-equiv="Content-Type" content="text/html; charset=gbk">`
/// in the first KiB, as browsers look for it.
fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let rest = head[at..].trim_start_matches(['"', '\'', ' ']);
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .unwrap_or(rest.len());
    (end > 0).then(|| rest[..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(bytes: &[u8], ct: Option<&str>) -> Fetched {
        Fetched {
            bytes: bytes.to_vec(),
            content_type: ct.map(str::to_string),
        }
    }

    #[test]
    fn charset_comes_from_the_header_then_the_meta() {
        let (gbk, _, _) = encoding_rs::GBK.encode("<p>内核</p>");
        assert_eq!(
            decode(&page(&gbk, Some("text/html; charset=GBK"))).unwrap(),
            "<p>内核</p>"
        );
        let mut meta =
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">".to_vec();
        meta.extend_from_slice(&gbk);
        assert!(decode(&page(&meta, None)).unwrap().ends_with("<p>内核</p>"));
        assert_eq!(decode(&page("内核".as_bytes(), None)).unwrap(), "内核");
        // GBK bytes read as UTF-8 are an error, not mojibake.
        assert!(decode(&page(&gbk, Some("text/html; charset=utf-8"))).is_err());
        assert!(decode(&page(b"x", Some("text/html; charset=klingon"))).is_err());
    }

    #[test]
    fn saved_paths_stay_inside_the_mirror() {
        let u = |s: &str| Url::parse(s).unwrap();
        let main = Path::new("/m/blog.chinaunix.net");
        let p = |s: &str| saved_path(main, "blog.chinaunix.net", &u(s)).unwrap();
        assert_eq!(
            p("http://blog.chinaunix.net/uid/1/list/2.html"),
            Path::new("/m/blog.chinaunix.net/uid/1/list/2.html")
        );
        assert_eq!(
            p("http://blogimg.chinaunix.net/blog/upfile2/a.gif"),
            Path::new("/m/blogimg.chinaunix.net/blog/upfile2/a.gif")
        );
        assert_eq!(
            p("http://blog.chinaunix.net/a/%2e%2e/%2e%2e/etc/passwd"),
            Path::new("/m/blog.chinaunix.net/etc/passwd")
        );
        assert_eq!(
            p("http://blog.chinaunix.net/a/..%2F..%2Fetc"),
            Path::new("/m/blog.chinaunix.net/a")
        );
        assert_eq!(
            p("http://blog.chinaunix.net/x.html?page=2"),
            Path::new("/m/blog.chinaunix.net/x.html?page=2")
        );
    }

    #[test]
    fn retry_after_is_bounded() {
        let v = ureq::http::HeaderValue::from_static("99999");
        assert_eq!(retry_after(Some(&v)), Some(Duration::from_secs(120)));
        assert_eq!(retry_after(None), None);
    }
}
