//! Syntax highlighting of fenced code at build time, with CSS classes (`hl-…`) rather than
//! inline colours, so the site's stylesheet decides the colours.
//!
//! Syntaxes are bat's set (two-face: syntect's defaults plus x86 assembly and many more),
//! loaded on first use. The regex engine is Oniguruma: its patterns compile about ten times
//! faster than fancy-regex's, which is most of the cost of highlighting a small site (see
//! ARCHITECTURE.md).

use std::sync::LazyLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

/// Names people write after ``` that the syntax set knows by another name.
fn canonical(lang: &str) -> &str {
    match lang {
        "console" | "shell" | "shell-session" | "shellsession" | "sh" | "zsh" | "terminal" => {
            "bash"
        }
        "nasm" | "x86asm" | "x86" | "gas" | "s" => "asm",
        "make" | "mk" => "makefile",
        "py" | "python3" => "python",
        "rs" => "rust",
        "patch" => "diff",
        "h" => "c",
        other => other,
    }
}

fn syntax(lang: &str) -> Option<&'static SyntaxReference> {
    let lang = lang.trim().to_ascii_lowercase();
    if lang.is_empty() {
        return None;
    }
    SYNTAXES.find_syntax_by_token(canonical(&lang))
}

/// The code as highlighted HTML (without the `<pre><code>` around it), or None for a language
/// boke does not know; the caller then shows the code as plain escaped text.
pub fn highlight(lang: &str, code: &str) -> Option<String> {
    let syntax = syntax(lang)?;
    let mut html = ClassedHTMLGenerator::new_with_class_style(
        syntax,
        &SYNTAXES,
        ClassStyle::SpacedPrefixed { prefix: "hl-" },
    );
    for line in LinesWithEndings::from(code) {
        html.parse_html_for_line_which_includes_newline(line).ok()?;
    }
    Some(html.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_languages_of_a_kernel_blog() {
        for (lang, code, class) in [
            ("c", "int main(void) { return 0; }\n", "hl-storage hl-type"),
            ("console", "$ echo $HOME\n", "hl-variable"),
            ("bash", "for i in 1 2; do ls; done\n", "hl-keyword"),
            ("asm", "mov rax, 1\nsyscall\n", "hl-keyword"),
            ("diff", "-old\n+new\n", "hl-markup hl-inserted"),
            ("makefile", "all:\n\tcc -o x x.c\n", "hl-entity hl-name"),
            (
                "python",
                "def f(x):\n    return x\n",
                "hl-storage hl-type hl-function",
            ),
            ("rust", "fn main() {}\n", "hl-storage hl-type hl-function"),
        ] {
            let html = highlight(lang, code).unwrap_or_else(|| panic!("{lang} unknown"));
            assert!(html.contains(class), "{lang}: {html}");
        }
    }

    #[test]
    fn unknown_languages_and_markup_are_safe() {
        assert_eq!(highlight("no-such-language", "x"), None);
        assert_eq!(highlight("", "x"), None);
        let html = highlight("c", "char *s = \"<script>\";\n").unwrap();
        assert!(
            html.contains("&lt;script&gt;") && !html.contains("<script>"),
            "{html}"
        );
    }
}
