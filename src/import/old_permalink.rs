//! The address a post had under Hexo's or Jekyll's `permalink:` (`:year/:month/:day/:title/`,
//! Jekyll's `pretty`, `/blog/:year/:i_month/:title.html` …), and the boke pattern that gives
//! every post the same address when there is one. Where no boke pattern can say it, or one
//! post's old address differs from what boke's pattern gives, the importer writes an alias.

use chrono::{Datelike, NaiveDateTime, Timelike};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Year,
    ShortYear,
    Month,
    IMonth,
    Day,
    IDay,
    YDay,
    Hour,
    Minute,
    Second,
    /// Hexo's `:title` and Jekyll's `:title`/`:slug`: the file's name without its date.
    Title,
    /// Hexo's `:name`: the file's name without folders.
    Name,
    PostTitle,
    Id,
    /// Hexo's `:category`: the last category.
    Category,
    /// Jekyll's `:categories`: all of them, one folder each.
    Categories,
    OutputExt,
}

/// What a post's old address was made of.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    /// The file's path under the posts folder without its extension and date prefix
    /// (`linux/slab` for `source/_posts/linux/2014-11-19-slab.md`), or the front matter's
    /// `slug:`.
    pub title: &'a str,
    pub post_title: &'a str,
    pub date: NaiveDateTime,
    pub categories: &'a [String],
    pub id: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OldPermalink {
    parts: Vec<Part>,
    /// Jekyll collapses the `//` an empty `:categories` leaves; Hexo does not have the case.
    jekyll: bool,
}

impl OldPermalink {
    /// Hexo's `permalink:` (relative to the site's root; default `:year/:month/:day/:title/`).
    pub fn hexo(pattern: &str) -> OldPermalink {
        OldPermalink {
            parts: parse(pattern, false),
            jekyll: false,
        }
    }

    /// Jekyll's `permalink:`, a style name or a pattern (default `date`).
    pub fn jekyll(pattern: &str) -> OldPermalink {
        let expanded = match pattern.trim() {
            "" | "date" => "/:categories/:year/:month/:day/:title:output_ext",
            "pretty" => "/:categories/:year/:month/:day/:title/",
            "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
            "none" => "/:categories/:title:output_ext",
            p => p,
        };
        OldPermalink {
            parts: parse(expanded, true),
            jekyll: true,
        }
    }

    /// The old site path of a post (from the site's root, starting with `/`).
    pub fn path(&self, f: &Facts<'_>) -> String {
        let d = f.date;
        let mut s = String::from("/");
        for p in &self.parts {
            match p {
                Part::Text(t) => s.push_str(t),
                Part::Year => s.push_str(&format!("{:04}", d.year())),
                Part::ShortYear => s.push_str(&format!("{:02}", d.year() % 100)),
                Part::Month => s.push_str(&format!("{:02}", d.month())),
                Part::IMonth => s.push_str(&d.month().to_string()),
                Part::Day => s.push_str(&format!("{:02}", d.day())),
                Part::IDay => s.push_str(&d.day().to_string()),
                Part::YDay => s.push_str(&format!("{:03}", d.ordinal())),
                Part::Hour => s.push_str(&format!("{:02}", d.hour())),
                Part::Minute => s.push_str(&format!("{:02}", d.minute())),
                Part::Second => s.push_str(&format!("{:02}", d.second())),
                Part::Title => s.push_str(f.title),
                Part::Name => s.push_str(f.title.rsplit('/').next().unwrap_or(f.title)),
                Part::PostTitle => s.push_str(f.post_title),
                Part::Id => s.push_str(f.id.unwrap_or("")),
                Part::Category => s.push_str(f.categories.last().map_or("uncategorized", |c| c)),
                Part::Categories => {
                    let cats: Vec<String> = f.categories.iter().map(|c| c.to_lowercase()).collect();
                    s.push_str(&cats.join("/"));
                }
                Part::OutputExt => s.push_str(".html"),
            }
        }
        // What an empty part leaves (`//` from no categories) is one `/`, as Jekyll serves it.
        while self.jekyll && s.contains("//") {
            s = s.replace("//", "/");
        }
        s.replace("//", "/")
    }

    /// The same addresses as a boke `permalinks.posts` pattern, when boke's placeholders can
    /// say them all (`{slug}` is the file name with its date taken off, as `:title` is).
    pub fn boke_pattern(&self) -> Option<String> {
        let mut s = String::from("/");
        for p in &self.parts {
            match p {
                Part::Text(t) => s.push_str(t),
                Part::Year => s.push_str("{year}"),
                Part::Month => s.push_str("{month}"),
                Part::Day => s.push_str("{day}"),
                Part::Title | Part::Name => s.push_str("{slug}"),
                Part::OutputExt => s.push_str(".html"),
                // An empty `:categories` is what boke's pattern would have to leave out.
                _ => return None,
            }
        }
        Some(s.replace("//", "/"))
    }
}

fn parse(pattern: &str, jekyll: bool) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut rest = pattern.trim().trim_start_matches('/');
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix(':') {
            let len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            let name = &after[..len];
            let part = match name {
                "year" => Some(Part::Year),
                "short_year" => Some(Part::ShortYear),
                "month" => Some(Part::Month),
                "i_month" => Some(Part::IMonth),
                "day" => Some(Part::Day),
                "i_day" => Some(Part::IDay),
                "y_day" => Some(Part::YDay),
                "hour" => Some(Part::Hour),
                "minute" => Some(Part::Minute),
                "second" => Some(Part::Second),
                "title" | "slug" => Some(Part::Title),
                "name" if !jekyll => Some(Part::Name),
                "name" => Some(Part::Title),
                "post_title" => Some(Part::PostTitle),
                "id" => Some(Part::Id),
                "category" => Some(Part::Category),
                "categories" => Some(Part::Categories),
                "output_ext" => Some(Part::OutputExt),
                _ => None,
            };
            if let Some(part) = part {
                if !text.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut text)));
                }
                parts.push(part);
                rest = &after[len..];
                continue;
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        text.push(c);
        rest = &rest[c.len_utf8()..];
    }
    if !text.is_empty() {
        parts.push(Part::Text(text));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn facts<'a>(title: &'a str, cats: &'a [String]) -> Facts<'a> {
        Facts {
            title,
            post_title: "Slab 分配器",
            date: NaiveDate::from_ymd_opt(2014, 3, 9)
                .unwrap()
                .and_hms_opt(8, 5, 7)
                .unwrap(),
            categories: cats,
            id: Some("42"),
        }
    }

    #[test]
    fn hexo_default_is_a_boke_pattern() {
        let p = OldPermalink::hexo(":year/:month/:day/:title/");
        assert_eq!(p.path(&facts("slab", &[])), "/2014/03/09/slab/");
        assert_eq!(p.path(&facts("linux/slab", &[])), "/2014/03/09/linux/slab/");
        assert_eq!(
            p.boke_pattern().as_deref(),
            Some("/{year}/{month}/{day}/{slug}/")
        );
        let html = OldPermalink::hexo("/blog/:year/:title.html");
        assert_eq!(
            html.boke_pattern().as_deref(),
            Some("/blog/{year}/{slug}.html")
        );
    }

    #[test]
    fn what_boke_cannot_say_has_no_pattern() {
        let cats = vec!["内核".to_string()];
        let p = OldPermalink::hexo(":category/:i_month/:title-:id.html");
        assert_eq!(p.path(&facts("slab", &cats)), "/内核/3/slab-42.html");
        assert_eq!(p.path(&facts("slab", &[])), "/uncategorized/3/slab-42.html");
        assert_eq!(p.boke_pattern(), None);
        assert_eq!(
            OldPermalink::hexo(":year:month:day:hour:minute:second/").path(&facts("x", &[])),
            "/20140309080507/"
        );
    }

    #[test]
    fn jekyll_styles() {
        let cats = vec!["Linux".to_string(), "mm".to_string()];
        let pretty = OldPermalink::jekyll("pretty");
        assert_eq!(
            pretty.path(&facts("slab", &cats)),
            "/linux/mm/2014/03/09/slab/"
        );
        assert_eq!(pretty.path(&facts("slab", &[])), "/2014/03/09/slab/");
        assert_eq!(pretty.boke_pattern(), None);
        let date = OldPermalink::jekyll("");
        assert_eq!(date.path(&facts("slab", &[])), "/2014/03/09/slab.html");
        assert_eq!(
            OldPermalink::jekyll("ordinal").path(&facts("slab", &[])),
            "/2014/068/slab.html"
        );
        assert_eq!(
            OldPermalink::jekyll("/:year/:slug/")
                .boke_pattern()
                .as_deref(),
            Some("/{year}/{slug}/")
        );
    }

    #[test]
    fn unknown_placeholders_are_text() {
        let p = OldPermalink::hexo("p/:hash:x/");
        assert_eq!(p.path(&facts("a", &[])), "/p/:hash:x/");
    }
}
