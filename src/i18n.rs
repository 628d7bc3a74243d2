//! Labels: the words the built-in templates show (发布时间, 阅读全文, 上一页 …), one table per
//! language in `src/i18n/<language>.yaml`, compiled in. `language:` in site.yaml picks the
//! table and `labels:` replaces single entries; templates read them as `t`
//! (`{{ t.read_more }}`), and fill a label's `{name}` placeholders with the `fill` filter.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// The languages boke ships, the first being the default.
const BUILT_IN: &[(&str, &str)] = &[
    ("zh", include_str!("i18n/zh.yaml")),
    ("en", include_str!("i18n/en.yaml")),
];

/// What a language brings: its labels, and how it writes a publish time.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Language {
    /// strftime format of publish times, used unless site.yaml sets `date_format`.
    pub date_format: String,
    pub labels: Labels,
}

/// Label name → text. Text may hold `{name}` placeholders.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct Labels(BTreeMap<String, String>);

/// Why a site's `labels:` entry cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LabelError {
    #[error("there is no label `{key}`")]
    UnknownKey { key: String, help: String },
    #[error("label `{key}` uses `{{{placeholder}}}`, which boke does not fill in for it")]
    UnknownPlaceholder {
        key: String,
        placeholder: String,
        help: String,
    },
}

impl LabelError {
    pub fn key(&self) -> &str {
        match self {
            LabelError::UnknownKey { key, .. } | LabelError::UnknownPlaceholder { key, .. } => key,
        }
    }

    pub fn help(&self) -> &str {
        match self {
            LabelError::UnknownKey { help, .. } | LabelError::UnknownPlaceholder { help, .. } => {
                help
            }
        }
    }
}

fn languages() -> &'static [(&'static str, Language)] {
    static LANGUAGES: OnceLock<Vec<(&'static str, Language)>> = OnceLock::new();
    LANGUAGES.get_or_init(|| {
        BUILT_IN
            .iter()
            .map(|(name, text)| {
                // Compiled in and checked by the tests below, so a failure is boke's bug.
                let language = serde_yaml::from_str(text)
                    .unwrap_or_else(|e| panic!("built-in src/i18n/{name}.yaml: {e}"));
                (*name, language)
            })
            .collect()
    })
}

/// The built-in language called `name` (`zh`, `en`).
pub fn language(name: &str) -> Option<&'static Language> {
    languages().iter().find(|(n, _)| *n == name).map(|(_, l)| l)
}

/// `zh`, what a site without `language:` gets.
pub fn default_language() -> &'static Language {
    &languages()[0].1
}

/// The names of the languages boke ships, for messages: `zh, en`.
pub fn language_names() -> String {
    BUILT_IN
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}

impl Labels {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// These labels with some replaced. A key that is no label, or a placeholder the label
    /// does not have (so the template would not fill it in), is refused: a typo would
    /// otherwise show on every page.
    pub fn with_overrides(
        &self,
        overrides: &BTreeMap<String, String>,
    ) -> Result<Labels, LabelError> {
        let mut labels = self.clone();
        for (key, text) in overrides {
            let Some(builtin) = labels.0.get_mut(key) else {
                let help = match self.closest(key) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!(
                        "the labels are: {}",
                        self.0.keys().cloned().collect::<Vec<_>>().join(", ")
                    ),
                };
                return Err(LabelError::UnknownKey {
                    key: key.clone(),
                    help,
                });
            };
            let known = placeholders(builtin);
            if let Some(p) = placeholders(text).into_iter().find(|p| !known.contains(p)) {
                let help = if known.is_empty() {
                    "this label has no placeholders; write it as plain text".to_string()
                } else {
                    format!(
                        "this label can use {}",
                        known
                            .iter()
                            .map(|k| format!("{{{k}}}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                return Err(LabelError::UnknownPlaceholder {
                    key: key.clone(),
                    placeholder: p.to_string(),
                    help,
                });
            }
            *builtin = text.clone();
        }
        Ok(labels)
    }

    /// The labels as templates see them (`t`): escaped for HTML once here, not on every use
    /// on every page, and marked safe.
    pub fn to_template_value(&self) -> tera::Value {
        let escaped: BTreeMap<String, tera::Value> = self
            .0
            .iter()
            .map(|(key, text)| (key.clone(), tera::Value::safe_string(&escaped(text))))
            .collect();
        tera::Value::from(escaped)
    }

    /// One label as templates see it in `t`: escaped for HTML (empty for no such label).
    pub fn html(&self, key: &str) -> String {
        self.get(key).map(escaped).unwrap_or_default()
    }

    /// The label name nearest to a misspelt one, if it is near enough to be the one meant.
    fn closest(&self, key: &str) -> Option<&str> {
        self.0
            .keys()
            .map(|k| (edit_distance(k, key), k))
            .filter(|(d, _)| *d <= 2)
            .min()
            .map(|(_, k)| k.as_str())
    }
}

fn escaped(text: &str) -> String {
    let mut html = Vec::with_capacity(text.len());
    // Writing into a Vec cannot fail.
    let _ = tera::escape_html(text, &mut html);
    String::from_utf8_lossy(&html).into_owned()
}

/// The `{name}` placeholders of a label.
fn placeholders(text: &str) -> BTreeSet<&str> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        match rest.find(['{', '}']) {
            Some(close) if rest.as_bytes()[close] == b'}' => {
                out.insert(&rest[..close]);
                rest = &rest[close + 1..];
            }
            _ => {}
        }
    }
    out
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// The Tera filter `fill`: `{{ t.page_of | fill(n=pager.number, total=pager.total) }}` puts
/// each argument in for its `{name}`, in one pass, so a value that itself contains `{…}` stays
/// as written. Labels in `t` are HTML already (see [`Labels::to_template_value`]), so values
/// are escaped as they go in and the result is HTML too; a plain string label stays plain
/// text, escaped when shown, as Tera's `replace` does.
pub fn fill(
    label: tera::StringInput,
    args: tera::Kwargs,
    state: &tera::State,
) -> tera::TeraResult<tera::Value> {
    let html = label.is_safe() && state.autoescaping_enabled();
    let out = fill_in(label.as_str(), |name, out| {
        let Some((_, v)) = args.iter().find(|(k, _)| k.as_str() == Some(name)) else {
            return Ok(false);
        };
        // Counts and strings are nearly every value, and need no Display copy.
        match (v.as_str(), v.as_i128()) {
            (Some(s), _) if html && !v.is_safe() => out.push_str(&state.escape(s)?),
            (Some(s), _) => out.push_str(s),
            // itoa, not `write!`: the formatting machinery was a third of this filter.
            (None, Some(n)) => out.push_str(itoa::Buffer::new().format(n)),
            (None, None) if html => out.push_str(&state.escape(&v.to_string())?),
            (None, None) => out.push_str(&v.to_string()),
        }
        Ok(true)
    })?;
    Ok(if html {
        tera::Value::safe_string(&out)
    } else {
        tera::Value::from(out)
    })
}

/// `text` with each `{name}` replaced by what `put` writes for it, in one pass, so a value
/// that itself contains `{…}` stays as written. `put` says whether it knew the name: an
/// unknown one is an error naming it, and what is no name (`{`, `{ x }`) stays as written.
fn fill_in(
    text: &str,
    mut put: impl FnMut(&str, &mut String) -> tera::TeraResult<bool>,
) -> tera::TeraResult<String> {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    // memchr rather than `str::find`, which is slower at a byte on Chinese labels; both marks
    // are ASCII, so every offset found is a character boundary.
    let find = |text: &str, mark: u8| memchr::memchr(mark, text.as_bytes());
    while let Some(open) = find(rest, b'{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match find(after, b'}').map(|close| &after[..close]) {
            Some(name) if put(name, &mut out)? => rest = &after[name.len() + 1..],
            Some(name) if !name.is_empty() && !name.contains(['{', ' ']) => {
                return Err(tera::Error::message(format!(
                    "the label `{text}` needs `{name}`: add `{name}=…` to its `fill(…)`"
                )));
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// A label as templates see it (escaped) with counts put in, for what every post shows: the
/// page is given it made, because Tera's call of a filter with arguments costs about four
/// times the filling itself (BENCHMARKS.md, fifth and sixth sessions). The counts are digits,
/// so the result is as safe as the label. Every placeholder of a built-in label is given, and
/// [`Labels::with_overrides`] refuses any other, so none is left unfilled.
pub fn fill_counts(html_label: &str, counts: &[(&str, u64)]) -> String {
    fill_in(html_label, |name, out| {
        let n = counts.iter().find(|(k, _)| *k == name).map(|(_, n)| *n);
        if let Some(n) = n {
            out.push_str(itoa::Buffer::new().format(n));
        }
        Ok(n.is_some())
    })
    .unwrap_or_else(|_| html_label.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_parses_and_has_the_same_labels_and_placeholders() {
        let (_, zh) = &languages()[0];
        for (name, lang) in languages() {
            assert_eq!(
                lang.labels.0.keys().collect::<Vec<_>>(),
                zh.labels.0.keys().collect::<Vec<_>>(),
                "{name}"
            );
            for (key, text) in &lang.labels.0 {
                // A language may leave a value out, never fill in one the templates lack.
                let theirs = placeholders(&zh.labels.0[key]);
                assert!(placeholders(text).is_subset(&theirs), "{name}.{key}");
            }
            assert!(
                !chrono::format::StrftimeItems::new(&lang.date_format)
                    .any(|i| matches!(i, chrono::format::Item::Error)),
                "{name}"
            );
        }
        assert_eq!(language_names(), "zh, en");
        assert!(language("fr").is_none());
    }

    #[test]
    fn readme_lists_every_label() {
        let readme = include_str!("../README.md");
        for key in default_language().labels.0.keys() {
            assert!(readme.contains(&format!("| `{key}` |")), "{key}");
        }
    }

    #[test]
    fn overrides_replace_single_labels_and_typos_are_refused() {
        let zh = &language("zh").unwrap().labels;
        let one = BTreeMap::from([("read_more".to_string(), "继续阅读".to_string())]);
        let labels = zh.with_overrides(&one).unwrap();
        assert_eq!(labels.get("read_more"), Some("继续阅读"));
        assert_eq!(labels.get("toc"), zh.get("toc"));

        let typo = BTreeMap::from([("raed_more".to_string(), "x".to_string())]);
        let e = zh.with_overrides(&typo).unwrap_err();
        assert_eq!(e.key(), "raed_more");
        assert!(e.help().contains("`read_more`"), "{}", e.help());
        let far = BTreeMap::from([("zzzzzzzz".to_string(), "x".to_string())]);
        assert!(zh.with_overrides(&far).unwrap_err().help().contains("toc"));

        let fewer = BTreeMap::from([("page_of".to_string(), "{n}".to_string())]);
        assert!(zh.with_overrides(&fewer).is_ok());
        let unknown = BTreeMap::from([("page_of".to_string(), "{n}/{pages}".to_string())]);
        let e = zh.with_overrides(&unknown).unwrap_err();
        assert!(
            matches!(&e, LabelError::UnknownPlaceholder { placeholder, .. } if placeholder == "pages")
        );
        assert!(e.help().contains("{total}"), "{}", e.help());
    }

    #[test]
    fn placeholders_are_names_in_braces() {
        let p = |s| placeholders(s).into_iter().collect::<Vec<_>>();
        assert_eq!(p("第 {n} 页 / 共 {total} 页"), ["n", "total"]);
        assert_eq!(p("{ {x} }"), ["x"]);
        assert!(p("{unclosed").is_empty());
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "ab"), 2);
    }

    #[test]
    fn fill_puts_values_in_once() {
        let mut tera = tera::Tera::default();
        tera.register_filter("fill", fill);
        let render = |template: &str, ctx: &tera::Context| {
            tera.render_str(template, ctx, true)
                .map_err(|e| format!("{e:?}"))
        };
        let mut ctx = tera::Context::new();
        ctx.insert("name", "{count}<b>");
        assert_eq!(
            render(
                r#"{{ "{name}({count}) {x" | fill(name=name, count=3) }}"#,
                &ctx
            )
            .unwrap(),
            "{count}&lt;b&gt;(3) {x"
        );
        let e = render(r#"{{ "第{n}页" | fill(m=2) }}"#, &ctx).unwrap_err();
        assert!(e.contains("`n`"), "{e}");

        // Labels from `t` are escaped once, values as they go in: nothing twice, nothing raw.
        let own = BTreeMap::from([("term_count".to_string(), "<{name}> & {count}".to_string())]);
        let labels = default_language().labels.with_overrides(&own).unwrap();
        ctx.insert_value("t", labels.to_template_value());
        assert_eq!(
            render(
                r#"{{ t.term_count | fill(name=name, count=2) }}|{{ t.term_count }}"#,
                &ctx
            )
            .unwrap(),
            "&lt;{count}&lt;b&gt;&gt; &amp; 2|&lt;{name}&gt; &amp; {count}"
        );
    }

    #[test]
    fn counts_filled_in_rust_equal_the_filter() {
        let mut tera = tera::Tera::default();
        tera.register_filter("fill", fill);
        let counts = [("views", 1024), ("comments", 0), ("shares", 7), ("n", 35)];
        let mut ctx = tera::Context::new();
        for (name, n) in counts {
            ctx.insert(name, &n);
        }
        for (name, _) in BUILT_IN {
            let own = BTreeMap::from([("words".to_string(), "<{n}> & {n}".to_string())]);
            let labels = language(name).unwrap().labels.with_overrides(&own).unwrap();
            ctx.insert_value("t", labels.to_template_value());
            for key in ["counts", "words", "reading_time"] {
                let args = "views=views, comments=comments, shares=shares, n=n";
                let template = format!("{{{{ t.{key} | fill({args}) }}}}");
                let by_filter = tera.render_str(&template, &ctx, true).unwrap();
                let made = fill_counts(&labels.html(key), &counts);
                assert_eq!(made, by_filter, "{name} {key}");
                assert!(!made.contains('{') && made.chars().any(|c| c.is_ascii_digit()));
            }
        }
        // A label that is not one: no placeholders to fill, and nothing lost.
        assert_eq!(fill_counts("{ x } {", &counts), "{ x } {");
    }
}
