//! The names a page's templates can look up. A list entry is a map of twenty-odd fields, made
//! for every post on every list page (three lists a post); a field no template of the page
//! names cannot be shown there, so it need not be made. This reads the templates' text once per
//! load and errs towards "any name": whatever it cannot follow keeps every field.

use std::collections::{BTreeMap, HashMap, HashSet};

/// What a page's templates (the page's own, those it extends or includes, and every template
/// that defines a component) may look up by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Names {
    /// Every identifier in their tags, string literals' words included.
    Only(HashSet<String>),
    /// A template that can reach a field without writing its name: a map's keys or values
    /// enumerated, a key held in a variable, a spread, the whole context.
    Any,
}

impl Names {
    pub fn has(&self, name: &str) -> bool {
        match self {
            Names::Only(names) => names.contains(name),
            Names::Any => true,
        }
    }
}

/// Filters that show a map's keys or a key chosen at run time (Tera's own names, such as the
/// whole context `__tera_context`, are told by their prefix).
const ANY_MAP: &[&str] = &[
    "keys",
    "values",
    "pairs",
    "get",
    "str",
    "length",
    "json_encode",
];

/// What one template's tags say.
#[derive(Debug, Default)]
struct Scan {
    words: HashSet<String>,
    /// The quoted strings: other templates named by `extends`, `include` and the like.
    strings: Vec<String>,
    any: bool,
    /// Defines a component, which any template may call.
    components: bool,
}

fn scan(source: &str) -> Scan {
    let mut out = Scan::default();
    for tag in tags(source) {
        let body = tag.trim_matches(|c: char| c == '-' || c == '+' || c.is_whitespace());
        let head = body.split_whitespace().next().unwrap_or("");
        // Code and quoted text in turn, code first.
        let parts = split_quoted(body);
        let vars = parts[0].split(" in ").next().unwrap_or("");
        out.any |= head == "for" && vars.contains(',');
        for (i, part) in parts.iter().enumerate() {
            if i % 2 == 1 {
                out.strings.push(part.to_string());
            } else {
                out.any |= part.contains("...") || indexes_by_variable(part);
            }
            for word in words(part) {
                out.any |= ANY_MAP.contains(&word) || word.starts_with("__tera");
                out.words.insert(word.to_string());
            }
        }
        out.components |= head == "component";
        // A template named by a variable cannot be followed.
        out.any |= matches!(head, "extends" | "include" | "import") && parts.len() == 1;
    }
    out
}

/// The text inside each `{{ … }}` and `{% … %}`; comments and the text between are left out.
fn tags(source: &str) -> impl Iterator<Item = &str> {
    let mut rest = source;
    std::iter::from_fn(move || {
        loop {
            let at = rest.find('{')?;
            let close = match rest[at + 1..].chars().next() {
                Some('{') => "}}",
                Some('%') => "%}",
                _ => {
                    rest = &rest[at + 1..];
                    continue;
                }
            };
            let inner = &rest[at + 2..];
            let end = inner.find(close).unwrap_or(inner.len());
            rest = &inner[(end + 2).min(inner.len())..];
            return Some(&inner[..end]);
        }
    })
}

/// `code "quoted" code 'quoted' …`: the parts in turn, code first (possibly empty).
fn split_quoted(body: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = body;
    while let Some(at) = rest.find(['"', '\'', '`']) {
        let quote = rest[at..].chars().next().unwrap_or('"');
        parts.push(&rest[..at]);
        let inner = &rest[at + 1..];
        let end = inner.find(quote).unwrap_or(inner.len());
        parts.push(&inner[..end]);
        rest = &inner[(end + 1).min(inner.len())..];
    }
    parts.push(rest);
    parts
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'))
}

/// `x[name]`: a subscript that is not a literal, whose key the text does not show.
fn indexes_by_variable(code: &str) -> bool {
    code.match_indices('[').any(|(at, _)| {
        code[at + 1..]
            .trim_start()
            .starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
    })
}

/// The names each template's pages can look up, by template name.
pub fn of_all<'a>(sources: impl IntoIterator<Item = (&'a str, &'a str)>) -> HashMap<String, Names> {
    let scans: BTreeMap<&str, Scan> = sources.into_iter().map(|(n, s)| (n, scan(s))).collect();
    let components: Vec<&str> = scans
        .iter()
        .filter(|(_, s)| s.components)
        .map(|(n, _)| *n)
        .collect();
    scans
        .keys()
        .map(|&name| {
            let mut seen: HashSet<&str> = HashSet::new();
            let mut todo: Vec<&str> = vec![name];
            todo.extend(&components);
            let mut words = HashSet::new();
            let mut any = false;
            while let Some(n) = todo.pop() {
                let Some(s) = scans.get(n) else { continue };
                if !seen.insert(n) {
                    continue;
                }
                any |= s.any;
                words.extend(s.words.iter().cloned());
                todo.extend(
                    s.strings
                        .iter()
                        .filter(|t| scans.contains_key(t.as_str()))
                        .map(String::as_str),
                );
            }
            let names = if any { Names::Any } else { Names::Only(words) };
            (name.to_string(), names)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(templates: &[(&str, &str)], of: &str) -> Names {
        of_all(templates.iter().copied()).remove(of).unwrap()
    }

    #[test]
    fn a_page_sees_the_names_of_what_it_extends_and_includes() {
        let t = [
            ("base.html", "<title>{% block t %}{% endblock %}</title>"),
            (
                "list.html",
                r#"{% extends "base.html" %}{% for e in entries %}{% include "entry.html" %}{% endfor %}"#,
            ),
            ("entry.html", "<a href=\"{{ e.url }}\">{{ e.title }}</a>"),
            ("other.html", "{{ e.excerpt }}"),
        ];
        let n = names(&t, "list.html");
        for seen in ["url", "title", "entries", "block"] {
            assert!(n.has(seen), "{seen}: {n:?}");
        }
        assert!(!n.has("excerpt"), "{n:?}");
        assert!(!n.has("views"));
        // Text outside the tags names nothing.
        assert!(!names(&t, "base.html").has("title"));
    }

    #[test]
    fn a_key_in_a_string_is_a_name() {
        let n = names(
            &[(
                "a.html",
                r#"{{ e["excerpt"] }}{{ e | sort(attribute='views') }}"#,
            )],
            "a.html",
        );
        assert!(n.has("excerpt") && n.has("views"), "{n:?}");
    }

    #[test]
    fn what_reaches_unnamed_fields_keeps_them_all() {
        for text in [
            "{% for k, v in e %}{{ v }}{% endfor %}",
            "{{ e | json_encode }}",
            "{{ e | keys | join(sep=',') }}",
            "{{ e | get(key=k) }}",
            "{{ e[k] }}",
            "{{ __tera_context }}",
            "{{<card {...e} />}}",
            "{% include name %}",
        ] {
            assert_eq!(names(&[("a.html", text)], "a.html"), Names::Any, "{text}");
        }
        // A literal index names no field.
        assert_ne!(
            names(&[("a.html", "{{ e[0].title }}")], "a.html"),
            Names::Any
        );
    }

    #[test]
    fn components_are_seen_from_every_page() {
        let t = [
            (
                "c.html",
                "{% component card(e) %}{{ e.excerpt }}{% endcomponent card %}",
            ),
            ("a.html", "{{<card e={e} />}}"),
        ];
        assert!(names(&t, "a.html").has("excerpt"));
    }
}
