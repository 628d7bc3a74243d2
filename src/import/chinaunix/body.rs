//! A post's body as Markdown: the blog's links and images rewritten, its code widgets
//! fenced, the excerpt boundary marked.

use crate::import::convert::{self, Rewrite};
use scraper::{ElementRef, Html, Node};
use std::cell::RefCell;
use std::collections::HashMap;
use url::Url;

use super::*;

// ---------------------------------------------------------------------------------------
// Converting a body

/// How a body's links and images change: the blog's posts become `@/posts/…` links, its
/// other pages site paths, its images the downloaded copies.
pub(super) struct BodyRewrite<'a> {
    pub(super) blog: &'a Blog,
    pub(super) page: &'a Url,
    pub(super) stems: &'a HashMap<String, String>,
    /// Canonical image address → path relative to the post file.
    pub(super) images: &'a HashMap<String, String>,
    /// (post id, old path) seen in links.
    pub(super) aliases: RefCell<Vec<(String, String)>>,
    pub(super) more_after: Option<usize>,
}

/// Put in the cleaned HTML where the excerpt ends, replaced in the Markdown.
pub(super) const MORE_MARK: &str = "BOKEMOREMARKERQZX";

pub(super) fn code_language(class: &str) -> Option<&'static str> {
    Some(match class.strip_prefix("dp-")? {
        "c" => "c",
        "cpp" => "cpp",
        "sh" | "bash" | "shell" => "bash",
        "py" | "python" => "python",
        "xml" | "html" => "xml",
        "sql" => "sql",
        "j" | "java" => "java",
        "js" => "javascript",
        "php" => "php",
        "pl" | "perl" => "perl",
        "diff" => "diff",
        "rb" | "ruby" => "ruby",
        // `dp-css` is the widget's default, used for code of every kind: it names nothing.
        _ => return None,
    })
}

impl Rewrite for BodyRewrite<'_> {
    fn replace(&self, el: ElementRef<'_>) -> Option<String> {
        if has_class(el, "codeText") {
            let ol = el.select(&CODE_OL).next();
            let lang = ol.and_then(|o| o.value().classes().find_map(code_language));
            let lines: Vec<String> = match ol {
                Some(ol) => ol
                    .select(&CODE_LI)
                    .map(|li| text_of(li).replace('\u{a0}', " ").trim_end().to_string())
                    .collect(),
                None => text_of(el).lines().map(str::to_string).collect(),
            };
            return Some(convert::code_block(&lines, lang));
        }
        None
    }

    fn link(&self, href: &str) -> String {
        let Ok(u) = self.page.join(href.trim()) else {
            return href.to_string();
        };
        if !self.blog.is_own(&u) {
            return href.to_string();
        }
        if let Some((id, old)) = self.blog.post_of(&u)
            && let Some(stem) = self.stems.get(&id)
        {
            if let Some(old) = old {
                self.aliases.borrow_mut().push((id, old));
            }
            let frag = u.fragment().map(|f| format!("#{f}")).unwrap_or_default();
            return format!("@/posts/{stem}.md{frag}");
        }
        if is_redirected(&self.blog.uid, u.path()) && u.query().is_none() {
            return u.path().to_string();
        }
        canonical(&u).to_string()
    }

    fn image(&self, src: &str) -> String {
        match self.page.join(src.trim()) {
            Ok(u) if self.blog.is_own(&u) || u.host_str() == Some(IMAGE_HOST) => {
                let c = canonical(&u).to_string();
                self.images.get(&c).cloned().unwrap_or(c)
            }
            _ => src.to_string(),
        }
    }
}

/// Whether an old path of the blog gets a redirect page ([`redirects`]).
pub(super) fn is_redirected(uid: &str, path: &str) -> bool {
    let Some(rest) = path.strip_prefix(&format!("/uid/{uid}")) else {
        return false;
    };
    rest == ".html"
        || (rest.starts_with("/list/") && rest.ends_with(".html"))
        || (rest.starts_with("/cid-") && rest.ends_with(".html"))
        || (rest.starts_with("/year-") && rest.ends_with(".html"))
}

/// Text with every space removed, to compare an excerpt with a body.
pub(super) fn plain(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// After which top-level node of the body the list page's excerpt ends, if the body starts
/// with it and goes on after it.
pub(super) fn excerpt_end(body: ElementRef<'_>, excerpt: &str) -> Option<usize> {
    let want = plain(excerpt);
    if want.is_empty() {
        return None;
    }
    let mut have = String::new();
    let children: Vec<_> = body.children().collect();
    for (i, child) in children.iter().enumerate() {
        let t = match child.value() {
            Node::Text(t) => t.to_string(),
            Node::Element(_) => ElementRef::wrap(*child).map(text_of).unwrap_or_default(),
            _ => String::new(),
        };
        have.push_str(&plain(&t));
        if have.len() >= want.len() {
            let rest_has_text = children[i + 1..].iter().any(|c| match c.value() {
                Node::Text(t) => !t.trim().is_empty(),
                Node::Element(_) => ElementRef::wrap(*c).is_some_and(|e| {
                    !text_of(e).trim().is_empty() || e.select(&IMG).next().is_some()
                }),
                _ => false,
            });
            return (have.starts_with(&want) && rest_has_text).then_some(i);
        }
        if !want.starts_with(&have) {
            return None;
        }
    }
    None
}

/// A body's Markdown as an import of a blog at blog.chinaunix.net writes it, knowing no other
/// post and no downloaded image: for fuzzing the conversion.
pub fn standalone_body(body_html: &str, excerpt: &str) -> String {
    let blog = Blog {
        origin: Url::parse(&format!("http://{HOST}/")).expect("a valid address"),
        uid: "1".into(),
    };
    let page = blog.post("1");
    let frag = Html::parse_fragment(body_html);
    let rw = BodyRewrite {
        blog: &blog,
        page: &page,
        stems: &HashMap::new(),
        images: &HashMap::new(),
        aliases: RefCell::new(Vec::new()),
        more_after: excerpt_end(frag.root_element(), excerpt),
    };
    body_markdown(&rw, body_html)
}

/// The body of a post as Markdown.
pub(super) fn body_markdown(rw: &BodyRewrite<'_>, body_html: &str) -> String {
    let frag = Html::parse_fragment(body_html);
    let root = frag.root_element();
    let mut html = String::new();
    // One child at a time, so the excerpt mark can go between two of them.
    for (i, child) in root.children().enumerate() {
        convert::write_node(child, rw, &mut html);
        if rw.more_after == Some(i) {
            html.push_str(&format!("<p>{MORE_MARK}</p>"));
        }
    }
    convert::to_markdown(&html)
        .lines()
        .map(|l| {
            if l.trim() == MORE_MARK {
                "<!-- more -->"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}
