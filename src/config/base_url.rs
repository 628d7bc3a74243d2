//! `base_url`: where the site lives. Checked and split once, here, whether it comes from
//! site.yaml or `--base-url`, so that the URL, its origin and its path always agree.

/// A checked base URL: `https://host/path/` or a bare `/path/`, always ending with `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// The whole URL as links write it, ending with `/`.
    url: String,
    /// `https://host`, or empty for a bare path.
    origin_len: usize,
}

impl BaseUrl {
    /// What to tell a user whose base URL was refused.
    pub const HELP: &'static str = "write it like `https://example.org/blog/` or `/`";

    /// The site at the root of wherever it is served.
    pub fn root() -> BaseUrl {
        BaseUrl {
            url: "/".into(),
            origin_len: 0,
        }
    }

    /// Check and normalise a base URL; the error says what is wrong with it (after its name).
    pub fn parse(raw: &str) -> Result<BaseUrl, String> {
        let refused = || format!("`{raw}` is neither an http(s) URL nor a path");
        let url = raw.trim();
        let (origin, path) = match url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
        {
            Some(rest) => {
                let host_end = rest.find('/').unwrap_or(rest.len());
                if host_end == 0 {
                    return Err(refused());
                }
                let origin_len = url.len() - rest.len() + host_end;
                (&url[..origin_len], &url[origin_len..])
            }
            None if url.starts_with('/') => ("", url),
            None => return Err(refused()),
        };
        if path.contains(['?', '#', ' ']) {
            return Err(refused());
        }
        let trimmed = path.trim_matches('/');
        let path = if trimmed.is_empty() {
            "/".to_string()
        } else {
            format!("/{trimmed}/")
        };
        Ok(BaseUrl {
            url: format!("{origin}{path}"),
            origin_len: origin.len(),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// `https://host`, for absolute links in feeds; empty when the base URL is a path.
    pub fn origin(&self) -> &str {
        &self.url[..self.origin_len]
    }

    /// The path, starting and ending with `/`: links are made from it.
    pub fn path(&self) -> &str {
        &self.url[self.origin_len..]
    }
}

#[cfg(test)]
mod tests {
    use super::BaseUrl;

    #[test]
    fn urls_and_paths_are_split_and_normalised() {
        let b = BaseUrl::parse("https://example.org/blog").unwrap();
        assert_eq!(
            (b.as_str(), b.origin(), b.path()),
            ("https://example.org/blog/", "https://example.org", "/blog/")
        );
        let b = BaseUrl::parse("http://127.0.0.1:1111").unwrap();
        assert_eq!((b.origin(), b.path()), ("http://127.0.0.1:1111", "/"));
        let b = BaseUrl::parse("//a//b//").unwrap();
        assert_eq!((b.as_str(), b.origin()), ("/a//b/", ""));
        for bad in ["example.org", "https:///x", "/a?b", "/a#b", "/a b", ""] {
            assert!(BaseUrl::parse(bad).is_err(), "{bad:?}");
        }
    }
}
