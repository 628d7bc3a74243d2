//! `data/redirects.yaml`: old addresses that are not posts (an old blog's list, category and
//! year pages) and where they lead now, each written as a redirect page like a post's alias.

use crate::error::Diagnostic;
use crate::route::Route;

/// One old address and the site path it sends readers to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Redirect {
    pub from: Route,
    /// Where to: a site path's route and its `#fragment` (or "").
    pub to: Route,
    pub fragment: String,
    /// The file line it is written on.
    pub line: Option<usize>,
}

const HELP: &str = "write a mapping of old site paths to new ones, each starting with `/`, e.g. \"/uid/29599891/list/2.html\": \"/page/2/\"";

/// Read `data/redirects.yaml`. Every bad entry is reported, at its line.
pub fn parse(text: &str) -> Result<Vec<Redirect>, Vec<Diagnostic>> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let map: serde_yaml::Mapping = serde_yaml::from_str(text).map_err(|e| {
        let d = Diagnostic::new(
            crate::layout::rel_redirects_file(),
            format!("invalid redirects: {e}"),
            HELP,
        );
        vec![match e.location() {
            Some(l) => d.at(l.line(), Some(l.column())),
            None => d,
        }]
    })?;
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut searched = 0;
    for (k, v) in &map {
        let (Some(from), Some(to)) = (k.as_str(), v.as_str()) else {
            problems.push(Diagnostic::new(
                crate::layout::rel_redirects_file(),
                format!("`{}` is not a pair of paths", yaml_text(k)),
                HELP,
            ));
            continue;
        };
        // Entries are in file order, so each one's line is found after the one before.
        let line = text[searched..]
            .lines()
            .position(|l| l.contains(from))
            .map(|i| {
                let at = text[searched..]
                    .split_inclusive('\n')
                    .take(i + 1)
                    .map(str::len)
                    .sum::<usize>();
                let line = text[..searched].matches('\n').count() + i + 1;
                searched += at;
                line
            });
        let (to_path, fragment) = match to.find('#') {
            Some(i) => (&to[..i], &to[i..]),
            None => (to, ""),
        };
        match (Route::from_path(from), Route::from_path(to_path)) {
            (Ok(from), Ok(to)) => out.push(Redirect {
                from,
                to,
                fragment: fragment.to_string(),
                line,
            }),
            (Err(why), _) | (_, Err(why)) => problems.push(
                Diagnostic::new(
                    crate::layout::rel_redirects_file(),
                    format!("bad redirect: {why}"),
                    HELP,
                )
                .at_line(line),
            ),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn yaml_text(v: &serde_yaml::Value) -> String {
    serde_yaml::to_string(v)
        .unwrap_or_default()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_in_file_order_with_lines() {
        let r = parse(
            "# old list pages\n\"/uid/1/list/2.html\": \"/page/2/\"\n/uid/1/cid-7-list-1.html: /categories/内存/\n\"/uid/1/year-2014-list-1.html\": \"/archives/2014/#top\"\n",
        )
        .unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].from.file(), "uid/1/list/2.html");
        assert_eq!(r[0].to.url("/blog/"), "/blog/page/2/");
        assert_eq!(r[0].line, Some(2));
        assert_eq!(r[1].to.file(), "categories/内存/index.html");
        assert_eq!(r[1].line, Some(3));
        assert_eq!(r[2].fragment, "#top");
        assert_eq!(r[2].line, Some(4));
    }

    #[test]
    fn bad_entries_are_named_at_their_line() {
        let e =
            parse("\"/a.html\": \"/b/\"\n\"x.html\": \"/c/\"\n\"/d/../e\": \"/f/\"\n").unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        assert_eq!(e[0].line, Some(2));
        assert!(e[0].message.contains("start it with `/`"), "{e:?}");
        assert_eq!(e[1].line, Some(3));
        let e = parse("- /a.html\n").unwrap_err();
        assert!(e[0].message.contains("invalid redirects"), "{e:?}");
        let e = parse("\"/a.html\": [1]\n").unwrap_err();
        assert!(e[0].message.contains("not a pair"), "{e:?}");
        let e = parse("\"/a.html\": /b/\n\"/a.html\": /c/\n").unwrap_err();
        assert!(e[0].line.is_some(), "a repeated path is refused: {e:?}");
        assert_eq!(parse(" \n"), Ok(Vec::new()));
    }
}
