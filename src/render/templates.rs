//! Templates: the built-in ones compiled into boke, a site's own over them by name, Tera set up
//! with boke's filter and escaping, and template errors that name the file and line.

use super::views::{Around, Fields};
use crate::error::{Diagnostic, Error, Result};
use crate::layout::{self, SiteDir};
use std::collections::{BTreeMap, HashMap};
use tera::Tera;

/// The templates compiled into boke, so it works on any site directory.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("post.html", include_str!("../../templates/post.html")),
    ("year.html", include_str!("../../templates/year.html")),
    (
        "category.html",
        include_str!("../../templates/category.html"),
    ),
    ("tag.html", include_str!("../../templates/tag.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("alias.html", include_str!("../../templates/alias.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("atom.xml", include_str!("../../templates/atom.xml")),
    ("rss.xml", include_str!("../../templates/rss.xml")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
    ("robots.txt", include_str!("../../templates/robots.txt")),
    (
        "partials/sidebar.html",
        include_str!("../../templates/partials/sidebar.html"),
    ),
    (
        "partials/head.html",
        include_str!("../../templates/partials/head.html"),
    ),
    (
        "partials/header.html",
        include_str!("../../templates/partials/header.html"),
    ),
    (
        "partials/footer.html",
        include_str!("../../templates/partials/footer.html"),
    ),
    (
        "partials/entry.html",
        include_str!("../../templates/partials/entry.html"),
    ),
    (
        "partials/pager.html",
        include_str!("../../templates/partials/pager.html"),
    ),
    (
        "partials/guestbook.html",
        include_str!("../../templates/partials/guestbook.html"),
    ),
    (
        "partials/comments.html",
        include_str!("../../templates/partials/comments.html"),
    ),
];

/// The site's templates, compiled: boke's built-in ones with the site's own (by name) over
/// them. Loaded once per build; `boke serve` keeps them until a template changes.
#[derive(Clone)]
pub struct Templates {
    tera: Tera,
    /// A fingerprint of every template's name and text, for the pages' keys.
    fingerprint: u64,
    /// Which of a post's fields each template's pages name ([`super::names`]), by template.
    fields: HashMap<String, Fields>,
    /// What the post page's templates name around the post.
    post_page: Around,
}

impl Templates {
    /// Load the default templates and a site's overrides (`templates/**/*.{html,xml,txt}`).
    pub fn load(site: &SiteDir) -> Result<Templates> {
        load(site)
    }

    /// Which of a post's fields each template's pages name, by template name.
    pub(super) fn fields(&self) -> &HashMap<String, Fields> {
        &self.fields
    }

    pub(super) fn post_page(&self) -> Around {
        self.post_page
    }

    pub(super) fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// A fresh copy for one renderer, which adds the site's values to its global context.
    pub(super) fn tera(&self) -> Tera {
        self.tera.clone()
    }
}

fn load(site: &SiteDir) -> Result<Templates> {
    let mut sources: BTreeMap<String, (String, bool)> = DEFAULT_TEMPLATES
        .iter()
        .map(|(n, s)| (n.to_string(), (s.to_string(), false)))
        .collect();
    let dir = site.templates_dir();
    if dir.is_dir() {
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry = entry.map_err(|e| {
                Diagnostic::new(
                    e.path().unwrap_or(&dir),
                    format!("cannot read templates: {e}"),
                    "check the permissions of templates/",
                )
            })?;
            let path = entry.path();
            if !entry.file_type().is_file()
                || path
                    .extension()
                    .is_none_or(|e| e != "html" && e != "xml" && e != "txt")
            {
                continue;
            }
            let name = path
                .strip_prefix(&dir)
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(path).map_err(|e| {
                Diagnostic::new(
                    path,
                    format!("cannot read template: {e}"),
                    "templates must be UTF-8 text files",
                )
            })?;
            sources.insert(name, (text, true));
        }
    }
    let mut tera = Tera::new();
    tera.register_filter("fill", crate::i18n::fill);
    tera.set_escape_fn(escape_html);
    tera.add_raw_templates(sources.iter().map(|(n, (s, _))| (n.as_str(), s.as_str())))
        .map_err(|e| template_error(&e, |name| sources.get(name).is_some_and(|(_, own)| *own)))?;
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for (name, (text, _)) in &sources {
        for part in [name, text] {
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
    }
    let names = super::names::of_all(sources.iter().map(|(n, (s, _))| (n.as_str(), s.as_str())));
    Ok(Templates {
        tera,
        fingerprint: h.digest(),
        post_page: names
            .get(super::pages::Post::TEMPLATE)
            .map_or(Around::ALL, Around::of),
        fields: names
            .iter()
            .map(|(name, names)| (name.clone(), Fields::of(names)))
            .collect(),
    })
}

/// Turn a Tera error into one that names the template file and line and says what to do.
pub(super) fn template_error(e: &tera::Error, is_sites_own: impl Fn(&str) -> bool) -> Error {
    use tera::ErrorKind;
    let (name, line, message, help) = match e.kind() {
        ErrorKind::SyntaxError(r) => (
            r.filename().to_string(),
            Some(r.span().start_line),
            r.message().to_string(),
            "fix the template syntax at that line",
        ),
        ErrorKind::RenderingError(r) => (
            r.filename().to_string(),
            Some(r.span().start_line),
            r.message().to_string(),
            "the template uses a value that is missing or of the wrong kind; see ARCHITECTURE.md for the variables each page has, or guard it with `{% if x is defined %}`",
        ),
        other => (
            String::new(),
            None,
            other.to_string(),
            "check the template names used in extends/include",
        ),
    };
    let dir = layout::rel_templates_dir().display();
    let path = if name.is_empty() {
        dir.to_string()
    } else if is_sites_own(&name) {
        format!("{dir}/{name}")
    } else {
        format!("{name} (boke's built-in template)")
    };
    Error::Template(Diagnostic::new(path, message, help).at_line(line))
}

/// Tera's own HTML escaping (`&<>"'`, the same entities), writing the runs between special
/// bytes whole and finding them with memchr: most of what a page escapes (titles, excerpts,
/// addresses) has none, and a byte-by-byte look cost as much as the templates themselves.
pub(super) fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut result = Ok(());
    escape_pieces(input, |piece| {
        if result.is_ok() {
            result = out.write_all(piece.as_bytes());
        }
    });
    result
}

/// [`escape_html`] into a `String`, for HTML that boke writes itself beside the templates'.
pub(super) fn push_escaped(out: &mut String, input: &str) {
    escape_pieces(input, |piece| out.push_str(piece));
}

/// The escaped text of `input`, piece by piece: runs of it and entities. Every cut is at an
/// ASCII byte, so every piece is text.
fn escape_pieces<'a>(input: &'a str, mut put: impl FnMut(&'a str)) {
    let bytes = input.as_bytes();
    let find = |from: usize, angle: bool| {
        let rest = &bytes[from..];
        let at = if angle {
            memchr::memchr3(b'&', b'<', b'>', rest)
        } else {
            memchr::memchr2(b'"', b'\'', rest)
        };
        at.map_or(bytes.len(), |k| from + k)
    };
    // The next of each kind, each searched again only once passed, so a long text with many
    // of one kind and few of the other is still read once.
    let (mut angle, mut quote) = (find(0, true), find(0, false));
    let mut start = 0;
    while angle.min(quote) < bytes.len() {
        let i = angle.min(quote);
        let entity = match bytes[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        };
        put(&input[start..i]);
        put(entity);
        start = i + 1;
        if i == angle {
            angle = find(start, true);
        } else {
            quote = find(start, false);
        }
    }
    put(&input[start..]);
}

#[cfg(test)]
mod tests {
    #[test]
    fn escaping_matches_teras() {
        for s in [
            "",
            "plain",
            "<script>alert('x')</script>",
            "a & b \"c\" 'd' <e>",
            "&&&",
            "内核 <slab> & 'SLUB'",
            "trailing&",
            "'\"<>&\"'",
            "\"quoted\" at the ends'",
        ] {
            let (mut ours, mut teras) = (Vec::new(), Vec::new());
            super::escape_html(s, &mut ours).unwrap();
            tera::escape_html(s, &mut teras).unwrap();
            let teras = String::from_utf8(teras).unwrap();
            assert_eq!(String::from_utf8(ours).unwrap(), teras);
            let mut pushed = String::from("kept ");
            super::push_escaped(&mut pushed, s);
            assert_eq!(pushed, format!("kept {teras}"));
        }
    }
}
