//! Hexo and Jekyll (Liquid) tags in post bodies made into Markdown boke renders:
//! `{% codeblock %}`, `{% highlight %}`, `{% raw %}`, `{% asset_img %}`, `{% img %}`
//! (Octopress), `{% note %}` (NexT), `{% blockquote %}`, `{% post_link %}` / `{% post_url %}`.
//! Any other tag is left as written and listed, so the import report can name it. Tags inside
//! fenced code are text, as both generators treat them.

use std::fmt::Write as _;

/// A body after conversion, with the tags it could not convert.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Converted {
    pub text: String,
    /// (1-based line in the original body, tag name)
    pub unknown: Vec<(usize, String)>,
}

/// Finds the file below `content/` of a post named in a tag.
pub type FindPost<'a> = &'a dyn Fn(&str) -> Option<String>;

/// What the tags need of the site around the post.
#[derive(Clone, Copy, Default)]
pub struct Context<'a> {
    /// Where bare asset names point: the post's asset folder (`2014-11-19-slab`), if any.
    pub asset_dir: Option<&'a str>,
    /// The file below `content/` of the post a `post_link`/`post_url` names
    /// (`2014-11-19-slab` → `posts/2014-11-19-slab.md`); without it the name is taken as is.
    pub post_file: Option<FindPost<'a>>,
}

pub fn convert(body: &str, cx: Context<'_>) -> Converted {
    let mut out = Converted::default();
    let fences = fenced_ranges(body);
    convert_into(body, 1, &fences, cx, &mut out);
    out
}

/// Byte ranges of fenced code blocks (``` or ~~~, three or more, closed by the same run).
fn fenced_ranges(body: &str) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut open: Option<(usize, u8, usize)> = None;
    let mut at = 0;
    for line in body.split_inclusive('\n') {
        let t = line.trim_start();
        let indent = line.len() - t.len();
        let fence = |c: u8| t.bytes().take_while(|b| *b == c).count();
        match open {
            None if indent < 4 => {
                for c in [b'`', b'~'] {
                    let n = fence(c);
                    if n >= 3 {
                        open = Some((at, c, n));
                        break;
                    }
                }
            }
            Some((start, c, n))
                if indent < 4 && fence(c) >= n && t[fence(c)..].trim().is_empty() =>
            {
                ranges.push((start, at + line.len()));
                open = None;
            }
            _ => {}
        }
        at += line.len();
    }
    if let Some((start, _, _)) = open {
        ranges.push((start, body.len()));
    }
    ranges
}

struct Tag<'a> {
    start: usize,
    end: usize,
    name: &'a str,
    args: &'a str,
}

/// The next `{% name args %}` at or after `from` (whitespace control `{%-`/`-%}` allowed).
fn next_tag(s: &str, from: usize) -> Option<Tag<'_>> {
    let start = from + s[from..].find("{%")?;
    let close = start + s[start..].find("%}")?;
    let inner = s[start + 2..close]
        .trim_start_matches('-')
        .trim_end_matches('-');
    let inner = inner.trim();
    let (name, args) = match inner.find(char::is_whitespace) {
        Some(i) => (&inner[..i], inner[i..].trim()),
        None => (inner, ""),
    };
    Some(Tag {
        start,
        end: close + 2,
        name,
        args,
    })
}

/// The matching `{% end<name> %}` after `from`: (start of the end tag, end of it).
fn find_end(s: &str, from: usize, name: &str) -> Option<(usize, usize)> {
    let want = format!("end{name}");
    let mut at = from;
    while let Some(t) = next_tag(s, at) {
        if t.name == want {
            return Some((t.start, t.end));
        }
        at = t.end;
    }
    None
}

fn line_at(s: &str, byte: usize) -> usize {
    s[..byte].bytes().filter(|b| *b == b'\n').count() + 1
}

fn convert_into(
    s: &str,
    line_base: usize,
    fences: &[(usize, usize)],
    cx: Context<'_>,
    out: &mut Converted,
) {
    let mut at = 0;
    while let Some(tag) = next_tag(s, at) {
        if let Some(&(_, fence_end)) = fences.iter().find(|(a, b)| (*a..*b).contains(&tag.start)) {
            out.text.push_str(&s[at..fence_end]);
            at = fence_end;
            continue;
        }
        out.text.push_str(&s[at..tag.start]);
        let line = line_base + line_at(s, tag.start) - 1;
        let block = matches!(
            tag.name,
            "codeblock" | "code" | "highlight" | "raw" | "note" | "blockquote" | "quote"
        );
        let body = if block {
            match find_end(s, tag.end, tag.name) {
                Some((b_start, b_end)) => Some((&s[tag.end..b_start], b_end)),
                None => {
                    out.unknown
                        .push((line, format!("{} (never closed)", tag.name)));
                    out.text.push_str(&s[tag.start..tag.end]);
                    at = tag.end;
                    continue;
                }
            }
        } else {
            None
        };
        match (tag.name, body) {
            ("codeblock" | "code", Some((code, end))) => {
                code_block(&mut out.text, &codeblock_args(tag.args), code);
                at = end;
            }
            ("highlight", Some((code, end))) => {
                let lang = tag.args.split_whitespace().next().unwrap_or("");
                code_block(
                    &mut out.text,
                    &CodeArgs {
                        lang: lang.to_string(),
                        ..CodeArgs::default()
                    },
                    code,
                );
                at = end;
            }
            ("raw", Some((text, end))) => {
                out.text.push_str(text);
                at = end;
            }
            ("note", Some((inner, end))) => {
                let summary = note_summary(tag.args);
                let inner_line = line_base + line_at(s, tag.end) - 1;
                let mut nested = Converted::default();
                convert_into(inner, inner_line, &fenced_ranges(inner), cx, &mut nested);
                out.unknown.append(&mut nested.unknown);
                quote(&mut out.text, summary.as_deref(), nested.text.trim(), None);
                at = end;
            }
            ("blockquote" | "quote", Some((inner, end))) => {
                let inner_line = line_base + line_at(s, tag.end) - 1;
                let mut nested = Converted::default();
                convert_into(inner, inner_line, &fenced_ranges(inner), cx, &mut nested);
                out.unknown.append(&mut nested.unknown);
                let by = blockquote_attribution(tag.args);
                quote(&mut out.text, None, nested.text.trim(), by.as_deref());
                at = end;
            }
            ("asset_img" | "img", None) => {
                match image(tag.args, (tag.name == "asset_img").then_some(cx.asset_dir)) {
                    Some(md) => out.text.push_str(&md),
                    None => {
                        out.unknown.push((line, tag.name.to_string()));
                        out.text.push_str(&s[tag.start..tag.end]);
                    }
                }
                at = tag.end;
            }
            ("post_link" | "post_url", None) => {
                let args = words(tag.args);
                let name = args.first().map(|n| n.trim_matches('/'));
                let file = match (name, cx.post_file) {
                    (Some(n), Some(find)) => find(n),
                    (Some(n), None) if !n.is_empty() => Some(format!("posts/{n}.md")),
                    _ => None,
                };
                match (name, file) {
                    (Some(name), Some(file)) => {
                        let target = format!("@/{file}");
                        if tag.name == "post_url" {
                            // Jekyll writes it inside a link of its own: `[x]({% post_url … %})`.
                            out.text.push_str(&target);
                        } else {
                            let title = if args.len() > 1 {
                                args[1..].join(" ")
                            } else {
                                name.to_string()
                            };
                            let _ = write!(out.text, "[{}]({})", escape_inline(&title), target);
                        }
                    }
                    _ => {
                        out.unknown.push((line, tag.name.to_string()));
                        out.text.push_str(&s[tag.start..tag.end]);
                    }
                }
                at = tag.end;
            }
            _ => {
                out.unknown.push((line, tag.name.to_string()));
                out.text.push_str(&s[tag.start..tag.end]);
                at = tag.end;
            }
        }
    }
    out.text.push_str(&s[at..]);
}

#[derive(Debug, Default, PartialEq, Eq)]
struct CodeArgs {
    title: String,
    lang: String,
    url: String,
    link_text: String,
}

/// `[title] [lang:language] [url] [link text] [option:value …]`, Hexo's and Octopress's order.
fn codeblock_args(args: &str) -> CodeArgs {
    let mut a = CodeArgs::default();
    let mut title = Vec::new();
    let mut link = Vec::new();
    for w in args.split_whitespace() {
        if let Some(l) = w.strip_prefix("lang:") {
            a.lang = l.to_string();
        } else if w.contains(':') && !w.contains("//") {
            // line_number:false, mark:1,3, first_line:5 … change nothing in Markdown.
        } else if w.starts_with("http://") || w.starts_with("https://") {
            a.url = w.to_string();
        } else if a.url.is_empty() {
            title.push(w);
        } else {
            link.push(w);
        }
    }
    a.title = title.join(" ");
    a.link_text = link.join(" ");
    if a.lang.is_empty() {
        // Octopress: `{% codeblock Time to be awesome - awesome.rb %}` names the language by
        // the file's extension.
        if let Some(ext) = title
            .last()
            .and_then(|w| w.rsplit_once('.'))
            .map(|(_, e)| e)
        {
            a.lang = lang_of_extension(ext).unwrap_or("").to_string();
        }
    }
    a
}

fn lang_of_extension(ext: &str) -> Option<&'static str> {
    Some(match ext.to_ascii_lowercase().as_str() {
        "rb" => "ruby",
        "py" => "python",
        "js" => "javascript",
        "ts" => "typescript",
        "sh" | "bash" => "bash",
        "c" | "h" => "c",
        "cc" | "cpp" | "cxx" | "hpp" => "cpp",
        "go" => "go",
        "rs" => "rust",
        "java" => "java",
        "php" => "php",
        "html" => "html",
        "css" => "css",
        "scss" => "scss",
        "yml" | "yaml" => "yaml",
        "json" => "json",
        "xml" => "xml",
        "sql" => "sql",
        "pl" => "perl",
        "lua" => "lua",
        _ => return None,
    })
}

/// A fenced block whose fence is longer than any run of backticks inside, so the code cannot
/// end it early.
fn code_block(out: &mut String, a: &CodeArgs, code: &str) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    if !a.title.is_empty() || !a.url.is_empty() {
        let mut caption = escape_inline(&a.title);
        if !a.url.is_empty() {
            let text = if a.link_text.is_empty() {
                "link"
            } else {
                &a.link_text
            };
            if !caption.is_empty() {
                caption.push(' ');
            }
            let _ = write!(caption, "([{}]({}))", escape_inline(text), a.url);
        }
        let _ = writeln!(out, "*{caption}*\n");
    }
    let code = code
        .strip_prefix("\r\n")
        .or(code.strip_prefix('\n'))
        .unwrap_or(code);
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat((longest + 1).max(3));
    let _ = write!(out, "{fence}{}\n{code}", a.lang);
    if !code.is_empty() && !code.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&fence);
}

/// Words, with `"…"` and `'…'` kept together (quotes removed).
fn words(args: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = args.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '"' || c == '\'' {
            chars.next();
            let w: String = chars.by_ref().take_while(|x| *x != c).collect();
            out.push(w);
        } else {
            let mut w = String::new();
            while let Some(&x) = chars.peek() {
                if x.is_whitespace() {
                    break;
                }
                w.push(x);
                chars.next();
            }
            out.push(w);
        }
    }
    out
}

/// `[class names] path [width] [height] [title text [alt text]]` → `![alt](path "title")`.
/// `asset_dir` is `Some` for `asset_img`, whose path is a file of the post's asset folder.
fn image(args: &str, asset_dir: Option<Option<&str>>) -> Option<String> {
    let ws = words(args);
    let is_path = |w: &str| w.contains('/') || w.contains('.');
    let at = match asset_dir {
        // asset_img's first word is the file, whatever it looks like.
        Some(_) => 0,
        None => ws.iter().position(|w| is_path(w))?,
    };
    let path = ws.get(at)?;
    let mut rest = &ws[at + 1..];
    while let Some(w) = rest.first() {
        let size = w.trim_end_matches("px").trim_end_matches('%');
        if !size.is_empty() && size.bytes().all(|b| b.is_ascii_digit()) {
            rest = &rest[1..];
        } else {
            break;
        }
    }
    let (title, alt) = match rest {
        [] => (String::new(), String::new()),
        [one] => split_title_alt(one),
        [t, a] if args.contains('"') => (t.clone(), a.clone()),
        many => {
            let joined = many.join(" ");
            (joined.clone(), joined)
        }
    };
    let src = match asset_dir {
        Some(Some(dir)) if !path.contains('/') => format!("{dir}/{path}"),
        _ => path.clone(),
    };
    let src = if src.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", src.replace('<', "%3C").replace('>', "%3E"))
    } else {
        src
    };
    let mut md = format!("![{}]({src}", escape_inline(&alt));
    if !title.is_empty() {
        let _ = write!(md, " \"{}\"", title.replace('"', "\\\""));
    }
    md.push(')');
    Some(md)
}

/// Octopress writes title and alt as one quoted word holding two: `'"a title" "an alt"'`.
fn split_title_alt(one: &str) -> (String, String) {
    let inner = words(one);
    match inner.as_slice() {
        [t, a] if one.contains('"') => (t.clone(), a.clone()),
        _ => (one.to_string(), one.to_string()),
    }
}

/// NexT's `{% note [class] [no-icon] [summary] %}`: what is left after the class words is
/// the note's heading.
fn note_summary(args: &str) -> Option<String> {
    const CLASSES: &[&str] = &[
        "default", "primary", "success", "info", "warning", "danger", "no-icon", "flat", "modern",
        "simple", "disabled",
    ];
    let rest: Vec<String> = words(args)
        .into_iter()
        .skip_while(|w| CLASSES.contains(&w.as_str()))
        .collect();
    (!rest.is_empty()).then(|| rest.join(" "))
}

/// `{% blockquote [author[, source]] [link] [source_link_title] %}` → `author, [title](link)`.
fn blockquote_attribution(args: &str) -> Option<String> {
    if args.trim().is_empty() {
        return None;
    }
    let ws: Vec<&str> = args.split_whitespace().collect();
    let link_at = ws
        .iter()
        .position(|w| w.starts_with("http://") || w.starts_with("https://"));
    let (who, link) = match link_at {
        Some(i) => (ws[..i].join(" "), Some((ws[i], ws[i + 1..].join(" ")))),
        None => (ws.join(" "), None),
    };
    let mut by = escape_inline(&who);
    if let Some((url, title)) = link {
        let title = if title.is_empty() {
            url.to_string()
        } else {
            title
        };
        if !by.is_empty() {
            by.push_str(", ");
        }
        let _ = write!(by, "[{}]({url})", escape_inline(&title));
    }
    Some(by)
}

fn quote(out: &mut String, heading: Option<&str>, body: &str, by: Option<&str>) {
    let mut lines: Vec<String> = Vec::new();
    if let Some(h) = heading {
        lines.push(format!("**{}**", escape_inline(h)));
        lines.push(String::new());
    }
    lines.extend(body.lines().map(str::to_string));
    if let Some(by) = by {
        lines.push(String::new());
        lines.push(format!("— {by}"));
    }
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push('>');
        if !l.is_empty() {
            out.push(' ');
            out.push_str(l);
        }
    }
}

/// Text placed in Markdown inline content stays text.
fn escape_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '*' | '_' | '[' | ']' | '`' | '<' | '>' | '!') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(s: &str) -> String {
        convert(s, Context::default()).text
    }

    #[test]
    fn code_tags_become_fences() {
        assert_eq!(
            md("a\n{% codeblock lang:c %}\nint x;\n{% endcodeblock %}\nb"),
            "a\n```c\nint x;\n```\nb"
        );
        assert_eq!(
            md("{% highlight ruby linenos %}\nputs 1\n{% endhighlight %}"),
            "```ruby\nputs 1\n```"
        );
        assert_eq!(
            md("{% codeblock Time to be awesome - awesome.rb %}\nputs 1\n{% endcodeblock %}"),
            "*Time to be awesome - awesome.rb*\n\n```ruby\nputs 1\n```"
        );
        assert_eq!(
            md(
                "{% codeblock a.js http://x.org/a.js source line_number:false %}\nf()\n{% endcodeblock %}"
            ),
            "*a.js ([source](http://x.org/a.js))*\n\n```javascript\nf()\n```"
        );
    }

    #[test]
    fn code_with_backticks_gets_a_longer_fence() {
        assert_eq!(
            md("{% codeblock %}\n```\n{% endcodeblock %}"),
            "````\n```\n````"
        );
    }

    #[test]
    fn raw_keeps_its_text_and_drops_the_tags() {
        assert_eq!(
            md("x {% raw %}{{ page.title }} {% if %}{% endraw %} y"),
            "x {{ page.title }} {% if %} y"
        );
    }

    #[test]
    fn images_from_asset_folders_and_octopress() {
        let cx = Context {
            asset_dir: Some("2014-11-19-slab"),
            ..Context::default()
        };
        assert_eq!(
            convert("{% asset_img fig1.png 结构图 %}", cx).text,
            "![结构图](2014-11-19-slab/fig1.png \"结构图\")"
        );
        assert_eq!(
            convert("{% asset_img fig1.png %}", Context::default()).text,
            "![](fig1.png)"
        );
        assert_eq!(
            md("{% img left /images/a.png 300 200 '\"The title\" \"alt text\"' %}"),
            "![alt text](/images/a.png \"The title\")"
        );
        assert_eq!(
            md("{% img http://x.org/a.png A cat %}"),
            "![A cat](http://x.org/a.png \"A cat\")"
        );
    }

    #[test]
    fn notes_and_quotes_become_blockquotes() {
        assert_eq!(
            md("{% note warning 注意 %}\n先备份 **数据**。\n{% endnote %}"),
            "> **注意**\n>\n> 先备份 **数据**。"
        );
        assert_eq!(md("{% note info %}a\n\nb{% endnote %}"), "> a\n>\n> b");
        assert_eq!(
            md(
                "{% blockquote Linus, LKML https://lkml.org/x The thread %}\nTalk is cheap.\n{% endblockquote %}"
            ),
            "> Talk is cheap.\n>\n> — Linus, LKML, [The thread](https://lkml.org/x)"
        );
    }

    #[test]
    fn post_links_become_site_links() {
        assert_eq!(
            md("see {% post_link 2014-11-19-slab 分配器 %}"),
            "see [分配器](@/posts/2014-11-19-slab.md)"
        );
        assert_eq!(
            md("[slab]({% post_url 2010-07-21-name %})"),
            "[slab](@/posts/2010-07-21-name.md)"
        );
    }

    #[test]
    fn post_links_find_the_post_or_are_listed() {
        let find = |n: &str| (n == "slab").then(|| "posts/linux/slab.markdown".to_string());
        let cx = Context {
            post_file: Some(&find),
            ..Context::default()
        };
        assert_eq!(
            convert("{% post_link slab %}", cx).text,
            "[slab](@/posts/linux/slab.markdown)"
        );
        let c = convert("{% post_link gone %}", cx);
        assert_eq!(c.text, "{% post_link gone %}");
        assert_eq!(c.unknown, vec![(1, "post_link".to_string())]);
    }

    #[test]
    fn unknown_tags_stay_and_are_listed_with_their_line() {
        let c = convert(
            "a\n\n{% youtube abc %}\n{% note %}\nx\n{% include foo.html %}\n{% endnote %}",
            Context::default(),
        );
        assert!(c.text.starts_with("a\n\n{% youtube abc %}\n"), "{}", c.text);
        assert!(c.text.contains("{% include foo.html %}"), "{}", c.text);
        assert_eq!(
            c.unknown,
            vec![(3, "youtube".to_string()), (6, "include".to_string())]
        );
        let open = convert("{% codeblock %}\nx", Context::default());
        assert_eq!(open.text, "{% codeblock %}\nx");
        assert_eq!(
            open.unknown,
            vec![(1, "codeblock (never closed)".to_string())]
        );
    }

    #[test]
    fn tags_in_fenced_code_are_text() {
        let s = "```\n{% raw %}x{% endraw %}\n```\n{% raw %}y{% endraw %}";
        assert_eq!(md(s), "```\n{% raw %}x{% endraw %}\n```\ny");
        let c = convert("~~~~\n{% youtube x %}\n", Context::default());
        assert!(c.unknown.is_empty());
        assert_eq!(c.text, "~~~~\n{% youtube x %}\n");
    }

    #[test]
    fn whitespace_control_is_accepted() {
        assert_eq!(md("{%- raw -%}a{%- endraw -%}"), "a");
    }
}
