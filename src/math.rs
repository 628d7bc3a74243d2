//! Formulas (`$…$`, `$$…$$`, read by pulldown-cmark's math option) as MathML at build time,
//! with pulldown-latex: the page needs no script and no font download to show them.
//!
//! pulldown-latex writes a formula it cannot parse as an `<merror>` box; boke refuses it
//! instead, so a typo is an error at the post's line rather than a red box a reader finds.

use pulldown_latex::config::DisplayMode;
use pulldown_latex::{Parser, RenderConfig, Storage, push_mathml};

/// Inline (`$…$`) or on a line of its own (`$$…$$`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Inline,
    Display,
}

/// Why a formula was refused: the parser's reason and, apart, where in the formula.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MathError {
    pub reason: String,
    pub context: String,
}

/// The MathML of one formula (`tex` without its `$` signs).
pub fn to_mathml(tex: &str, mode: Mode) -> Result<String, MathError> {
    let storage = Storage::new();
    let mut events = Vec::new();
    for event in Parser::new(tex, &storage) {
        match event {
            Ok(e) => events.push(Ok::<_, std::convert::Infallible>(e)),
            Err(e) => {
                let said = e.to_string();
                let said = said.strip_prefix("parsing error: ").unwrap_or(&said);
                let (reason, context) = said.split_once('\n').unwrap_or((said, ""));
                return Err(MathError {
                    reason: reason.trim().to_string(),
                    context: context.trim_end().to_string(),
                });
            }
        }
    }
    let annotation = pulldown_cmark_escape_html(tex);
    let config = RenderConfig {
        display_mode: match mode {
            Mode::Inline => DisplayMode::Inline,
            Mode::Display => DisplayMode::Block,
        },
        // The source, for copying and for screen readers that do not read MathML.
        // (pulldown-latex writes it as given, so it is escaped here.)
        annotation: Some(&annotation),
        ..RenderConfig::default()
    };
    let mut out = String::with_capacity(tex.len() * 8);
    push_mathml(&mut out, events.into_iter(), config).map_err(|e| MathError {
        reason: e.to_string(),
        context: String::new(),
    })?;
    Ok(escape_operators(&out))
}

fn pulldown_cmark_escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String");
    out
}

/// pulldown-latex writes the operators `<` and `&` unescaped (`<mo><</mo>`), which is not
/// HTML a parser reads back as written. A `<` that does not open a tag, and an `&` that does
/// not start an entity, are escaped.
fn escape_operators(mathml: &str) -> String {
    let bytes = mathml.as_bytes();
    let mut out = String::with_capacity(mathml.len() + 8);
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let next = bytes.get(i + 1).copied().unwrap_or(b' ');
        let stray = match b {
            b'<' => !(next.is_ascii_alphabetic() || next == b'/'),
            b'&' => !starts_entity(&bytes[i + 1..]),
            _ => false,
        };
        if stray {
            out.push_str(&mathml[start..i]);
            out.push_str(if b == b'<' { "&lt;" } else { "&amp;" });
            start = i + 1;
        }
    }
    out.push_str(&mathml[start..]);
    out
}

fn starts_entity(rest: &[u8]) -> bool {
    let name = rest
        .iter()
        .take(32)
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'#')
        .count();
    name > 0 && rest.get(name) == Some(&b';')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_mathml() {
        let m = to_mathml(r"\frac{a}{b} + x^2", Mode::Inline).unwrap();
        assert!(m.starts_with("<math"), "{m}");
        assert!(m.contains("<mfrac>") && m.contains("<msup>"), "{m}");
        assert!(!m.contains("display=\"block\""), "{m}");
        let d = to_mathml(r"\sum_{i=1}^{n} i", Mode::Display).unwrap();
        assert!(d.contains("display=\"block\""), "{d}");
        // The source rides along as an annotation, escaped.
        let a = to_mathml(r"a < b \& c", Mode::Inline).unwrap();
        assert!(a.contains(r">a &lt; b \&amp; c</annotation>"), "{a}");
        assert!(a.contains("<mo>&lt;</mo>"), "{a}");
        assert!(!a.contains("<mo><") && !a.contains("<mo>&<"), "{a}");
        // What it writes parses as XML, elements and text alike.
        for tex in [
            r"a < b",
            r"x \& y",
            r"\text{<b>&amp;</b>}",
            r"\frac{1}{2} > 0",
        ] {
            let m = to_mathml(tex, Mode::Display).unwrap();
            roxmltree::Document::parse(&m).unwrap_or_else(|e| panic!("{tex}: {e}\n{m}"));
        }
    }

    #[test]
    fn a_formula_that_does_not_parse_is_refused_with_the_reason() {
        let e = to_mathml(r"\frac{a}{b", Mode::Inline).unwrap_err();
        assert!(e.reason.contains("unbalanced"), "{e:?}");
        assert!(e.context.contains(r"\frac{a}{b"), "{e:?}");
        let e = to_mathml(r"\nosuchcommand x", Mode::Display).unwrap_err();
        assert!(e.reason.contains("unknown"), "{e:?}");
    }
}
