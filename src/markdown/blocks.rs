//! Formulas and diagrams checked when a post is read, so that a page cannot fail later.

use super::*;

/// A block that cannot be rendered: where it starts in the body (a byte offset), what is
/// wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockError {
    pub offset: usize,
    pub message: String,
    pub help: String,
}

/// Check the formulas and diagrams of a body, which render at build time and must not fail
/// later on a page; drawing a diagram here also caches it for the page. Bodies without a `$`
/// or a `mermaid` fence are not parsed at all.
pub fn check_blocks(md: &str) -> Vec<BlockError> {
    if !may_have_blocks(md) {
        return Vec::new();
    }
    let mut errors = Vec::new();
    let mut in_mermaid: Option<(usize, String)> = None;
    for (e, range) in Parser::new_ext(md, options()).into_offset_iter() {
        match e {
            Event::InlineMath(tex) | Event::DisplayMath(tex) => {
                if let Err(e) = crate::math::to_mathml(&tex, crate::math::Mode::Inline) {
                    errors.push(BlockError {
                        offset: range.start,
                        message: format!("the formula `{tex}` does not parse: {}", e.reason),
                        help: "fix the LaTeX; a `$` meant as a dollar sign is written \\$".into(),
                    });
                }
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if is_mermaid(&info) => {
                in_mermaid = Some((range.start, String::new()));
            }
            Event::Text(t) => {
                if let Some((_, src)) = &mut in_mermaid {
                    src.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((offset, src)) = in_mermaid.take() {
                    if let Err(why) = crate::diagram::to_svg(&src) {
                        errors.push(BlockError {
                            offset,
                            message: format!("the mermaid diagram cannot be drawn: {why}"),
                            help: "fix the diagram (the syntax is mermaid's: flowchart, sequenceDiagram, classDiagram …), or fence it as ```text to show it as code".into(),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    errors
}

/// Whether a body may hold a formula or a diagram, without parsing it: a `mermaid` fence, or
/// outside fenced code a line with two `$` (a formula opens and closes on one line; `$$`
/// blocks start with a line of their own). Most dollars are in shell code, which this skips:
/// parsing every such body again cost a tenth of a large build.
fn may_have_blocks(md: &str) -> bool {
    let bytes = md.as_bytes();
    if memchr::memchr(b'$', bytes).is_none() {
        return memchr::memmem::find(bytes, b"mermaid").is_some();
    }
    let mut fence: Option<(u8, usize)> = None;
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len())) {
        let line = &bytes[start..end];
        start = end + 1;
        let indent = line
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        let trimmed = &line[indent..];
        if let Some(&m @ (b'`' | b'~')) = trimmed.first() {
            let run = trimmed.iter().take_while(|&&b| b == m).count();
            if run >= 3 {
                match fence {
                    None if trimmed[run..].trim_ascii_start().starts_with(b"mermaid") => {
                        return true;
                    }
                    None => fence = Some((m, run)),
                    Some((open, len)) if open == m && run >= len => fence = None,
                    Some(_) => {}
                }
                continue;
            }
        }
        if fence.is_none() && memchr::memchr_iter(b'$', line).nth(1).is_some() {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_mathml_and_bad_ones_are_found_with_their_place() {
        let html = render(
            "质能 $E = mc^2$。\n\n$$\\sum_{i=1}^n i$$\n",
            Style::default(),
            &|_| None,
        )
        .html;
        assert!(html.contains("<math display=\"inline\">"), "{html}");
        assert!(html.contains("<math display=\"block\">"), "{html}");
        assert!(!html.contains('$'), "{html}");
        // In a heading and in an excerpt too.
        let heading = render("## 复杂度 $O(n)$\n", Style::default(), &|_| None).html;
        assert!(heading.contains("<math"), "{heading}");
        assert!(
            excerpt("摘要 $x^2$ 在此\n\n<!-- more -->\n正文\n", None, 200)
                .html
                .contains("<msup>")
        );
        // Code keeps its dollars.
        let code = render(
            "`$PATH` and\n\n```sh\necho $HOME $USER\n```\n",
            Style::default(),
            &|_| None,
        )
        .html;
        assert!(
            code.contains("$PATH") && code.contains("$HOME $USER"),
            "{code}"
        );
        assert!(check_blocks("no math, $5 here and $ there").is_empty());
        let md = "一行\n\n坏公式 $\\nosuchcmd{x}$ 在这里\n";
        let errors = check_blocks(md);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(&md[..errors[0].offset].matches('\n').count(), &2);
        assert!(errors[0].message.contains("\\nosuchcmd{x}"), "{errors:?}");
    }

    #[test]
    fn mermaid_blocks_become_svg_and_bad_ones_are_errors() {
        let md = "前文\n\n```mermaid\nflowchart LR\n  A[用户态] --> B[内核态]\n```\n";
        assert!(check_blocks(md).is_empty());
        let html = render(md, Style::default(), &|_| None).html;
        assert!(html.contains("<figure class=\"diagram\"><svg"), "{html}");
        assert!(html.contains(">用户态<"), "{html}");
        let bad = "x\n\n```mermaid\nnot a diagram at all\n```\n";
        let errors = check_blocks(bad);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].offset, 3);
        assert!(errors[0].message.contains("mermaid"), "{errors:?}");
    }

    #[test]
    fn bodies_without_formulas_or_diagrams_are_not_parsed_again() {
        assert!(!may_have_blocks(
            "```sh\n$ echo $HOME $USER\n```\n正文 $5\n"
        ));
        assert!(!may_have_blocks("~~~\n$a $b\n~~~\n"));
        assert!(may_have_blocks("正文 $x$ 公式\n"));
        assert!(may_have_blocks("$$\nx\n$$\n"));
        assert!(may_have_blocks("```mermaid\ngraph TD\n```\n"));
        assert!(may_have_blocks("````\n```\n$a$\n````\n$b$\n"));
        assert!(!may_have_blocks("````\n```\n$a$\n````\n"));
    }
}
