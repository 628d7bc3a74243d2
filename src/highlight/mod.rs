//! Syntax highlighting of fenced code at build time, with CSS classes (`hl-…`) rather than
//! inline colours, so the site's stylesheet decides the colours.
//!
//! The highlighter is tree-sitter's, through arborium, with the grammars of the languages a
//! systems blog writes in (see [`LANGUAGES`]). It is about three times as fast as syntect's
//! Oniguruma grammars on the same code and writes a quarter of the markup (see
//! ARCHITECTURE.md). Each distinct block is highlighted once: [`cache`] remembers the result
//! by the block's content, in memory for the run and in `.boke/cache/` for the next one.

pub mod cache;

use arborium::{Config, GrammarStore, Highlighter, HtmlFormat};
use std::cell::RefCell;
use std::sync::{Arc, LazyLock};

/// The languages boke highlights, by the name the grammar is known by (Cargo features of
/// arborium); [`canonical`] maps the names people write after ``` onto them.
pub const LANGUAGES: &[&str] = &[
    "c",
    "cpp",
    "bash",
    "asm",
    "diff",
    "make",
    "python",
    "rust",
    "go",
    "yaml",
    "json",
    "java",
    "javascript",
    "sql",
];

/// Which highlighter wrote the cached markup: part of every cache key, so upgrading the
/// grammars (or switching highlighter) never serves markup made by the old ones.
pub const ENGINE: &str = "arborium-2.18.2";

/// Grammars are compiled on first use and shared by all threads; each thread has its own
/// parser state, which tree-sitter needs mutable.
static GRAMMARS: LazyLock<Arc<GrammarStore>> = LazyLock::new(|| Arc::new(GrammarStore::new()));

thread_local! {
    static HIGHLIGHTER: RefCell<Highlighter> = RefCell::new(Highlighter::with_store_and_config(
        GRAMMARS.clone(),
        Config {
            html_format: HtmlFormat::ClassNamesWithPrefix("hl".into()),
            ..Config::default()
        },
    ));
}

/// The grammar for what was written after ```, or None for a language boke does not know.
pub fn canonical(lang: &str) -> Option<&'static str> {
    let lang = lang.trim().to_ascii_lowercase();
    let name = match lang.as_str() {
        "console" | "shell" | "shell-session" | "shellsession" | "sh" | "zsh" | "terminal"
        | "bash" => "bash",
        // The generic grammar reads both Intel and AT&T syntax (the kernel's); arborium's
        // x86 one takes AT&T's `/* */` comments for code.
        "asm" | "nasm" | "x86asm" | "x86" | "gas" | "s" | "x86-64" | "x86_64" => "asm",
        "make" | "mk" | "makefile" => "make",
        "py" | "python3" | "python" => "python",
        "rs" | "rust" => "rust",
        "patch" | "diff" => "diff",
        "h" | "c" => "c",
        "c++" | "cc" | "cxx" | "hpp" | "cpp" => "cpp",
        "golang" | "go" => "go",
        "yml" | "yaml" => "yaml",
        "js" | "mjs" | "javascript" => "javascript",
        other => return LANGUAGES.iter().copied().find(|l| *l == other),
    };
    Some(name)
}

/// The code as highlighted HTML (without the `<pre><code>` around it), or None for a language
/// boke does not know; the caller then shows the code as plain escaped text.
pub fn highlight(lang: &str, code: &str) -> Option<String> {
    let lang = canonical(lang)?;
    let key = cache::Key::of(lang, code);
    if let Some(html) = cache::get(key) {
        return Some(html);
    }
    let html = HIGHLIGHTER.with(|h| h.borrow_mut().highlight(lang, code).ok())?;
    cache::put(key, &html);
    Some(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Highlighted without the cache, so that each case exercises the grammar.
    fn fresh(lang: &str, code: &str) -> String {
        let lang = canonical(lang).unwrap_or_else(|| panic!("{lang} unknown"));
        HIGHLIGHTER
            .with(|h| h.borrow_mut().highlight(lang, code))
            .unwrap_or_else(|e| panic!("{lang}: {e}"))
    }

    /// The text of every span with `class`, in order.
    fn spans<'a>(html: &'a str, class: &str) -> Vec<&'a str> {
        let open = format!("<span class=\"{class}\">");
        html.split(&open)
            .skip(1)
            .map(|rest| rest.split("</span>").next().unwrap_or(""))
            .collect()
    }

    /// Each language of a systems blog gets its keywords, strings and comments marked (or,
    /// for a language without some of them, what it has instead).
    #[test]
    fn keywords_strings_and_comments_of_every_language() {
        const K: &str = "hl-keyword";
        const S: &str = "hl-string";
        const C: &str = "hl-comment";
        /// A class, and text that must be inside a span of it.
        type Mark = (&'static str, &'static str);
        // (language as written, code, marks)
        let cases: &[(&str, &str, &[Mark])] = &[
            (
                "c",
                "/* slab */\nstatic int f(void) { return puts(\"hi\"); }\n",
                &[(K, "return"), (S, "&quot;hi&quot;"), (C, "/* slab */")],
            ),
            (
                "console",
                "# list it\nif true; then echo \"$HOME\"; fi\n",
                &[(K, "then"), (S, "&quot;"), (C, "# list it")],
            ),
            (
                // AT&T syntax, as the kernel writes it; mnemonics are the asm grammar's
                // "functions".
                "asm",
                "# enter\n\tmovl $1, %eax\n\t.string \"ok\"\n\tjmp 1f /* out */\n",
                &[
                    ("hl-function", "movl"),
                    (S, "&quot;ok&quot;"),
                    (C, "# enter"),
                    (C, "/* out */"),
                ],
            ),
            (
                "nasm",
                "; enter\nmov rax, 1\nmsg: db \"ok\", 0\n",
                &[
                    ("hl-function", "mov"),
                    (S, "&quot;ok&quot;"),
                    (C, "; enter"),
                ],
            ),
            (
                // Make has no string literals; its variables are marked instead.
                "makefile",
                "# build\nifeq ($(CC),gcc)\nX = y\nendif\n",
                &[(K, "ifeq"), (S, "CC"), (C, "# build")],
            ),
            (
                "python",
                "# note\ndef f(x):\n    return 'a'\n",
                &[(K, "def"), (S, "&#39;a&#39;"), (C, "# note")],
            ),
            (
                "rust",
                "// note\nfn main() { let s = \"x\"; }\n",
                &[(K, "fn"), (S, "&quot;x&quot;"), (C, "// note")],
            ),
            (
                "go",
                "// note\nfunc main() { s := \"x\" }\n",
                &[(K, "func"), (S, "&quot;x&quot;"), (C, "// note")],
            ),
            (
                // YAML's keywords are its keys and constants.
                "yaml",
                "# note\nkey: \"value\"\nlist: [true]\n",
                &[
                    ("hl-property", "key"),
                    (S, "&quot;value&quot;"),
                    (C, "# note"),
                ],
            ),
            (
                "cpp",
                "// note\nclass A { public: const char *s = \"x\"; };\n",
                &[(K, "class"), (S, "&quot;x&quot;"), (C, "// note")],
            ),
            (
                "java",
                "// note\npublic class A { String s = \"x\"; }\n",
                &[(K, "class"), (S, "&quot;x&quot;"), (C, "// note")],
            ),
            (
                "js",
                "// note\nconst s = 'x'; function f() { return s; }\n",
                &[(K, "const"), (S, "&#39;x&#39;"), (C, "// note")],
            ),
            (
                "sql",
                "-- note\nSELECT name FROM users WHERE id = 'x';\n",
                &[(K, "SELECT"), (S, "&#39;x&#39;"), (C, "-- note")],
            ),
            (
                // JSON has neither keywords nor comments.
                "json",
                "{\"a\": [1, true, null]}\n",
                &[
                    (S, "&quot;a&quot;"),
                    ("hl-number", "1"),
                    ("hl-constant", "true"),
                ],
            ),
            (
                // Removed lines are coloured as keywords, added ones as strings.
                "diff",
                "--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-old\n+new\n",
                &[(K, "-old"), (S, "+new"), ("hl-attribute", "@@ -1 +1 @@")],
            ),
        ];
        for &(lang, code, marks) in cases {
            let html = fresh(lang, code);
            for &(class, text) in marks {
                assert!(
                    spans(&html, class).iter().any(|s| s.contains(text)),
                    "{lang}: {text:?} is not in a {class} span: {html}"
                );
            }
        }
    }

    #[test]
    fn unknown_languages_and_markup_are_safe() {
        assert_eq!(highlight("no-such-language", "x"), None);
        assert_eq!(highlight("", "x"), None);
        // A grammar arborium has but boke does not build is unknown too.
        assert_eq!(highlight("haskell", "main = pure ()"), None);
        let html = highlight("c", "char *s = \"<script>\";\n").unwrap();
        assert!(
            html.contains("&lt;script&gt;") && !html.contains("<script>"),
            "{html}"
        );
    }

    #[test]
    fn the_same_block_gives_the_same_markup_from_the_cache() {
        let code = "int cached_twice(void) { return 42; }\n";
        let first = highlight("c", code).unwrap();
        assert!(cache::get(cache::Key::of("c", code)).is_some());
        assert_eq!(highlight("h", code).unwrap(), first);
        assert_eq!(first, fresh("c", code));
    }
}
