//! `boke import hexo DIR` and `boke import jekyll DIR`: an old generator's source folder
//! copied into a boke site. Posts keep their sub-folders and names (boke reads Hexo's and
//! Jekyll's front matter as they do); drafts become drafts; asset folders stay beside their
//! posts; pages go to `content/pages/`; other plain files (`source/images`, `assets/`) go to
//! `static/` at the same paths. What the old tool tolerated and boke would refuse (rolled-over
//! dates, files without front matter) is fixed in the copy and listed, as are tags with no
//! Markdown form. The old folder is only read.

use super::old_permalink::{Facts, OldPermalink};
use super::settings::Settings;
use super::{Report, Store, datefix, liquid, report::Progress};
use crate::content::MARKDOWN_EXTENSIONS;
use crate::error::{Diagnostic, Error, Result};
use crate::frontmatter::write::yaml_quote;
use chrono::NaiveDateTime;
use rayon::prelude::*;
use serde_yaml::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Hexo,
    Jekyll,
}

impl Kind {
    pub fn source(self) -> &'static str {
        match self {
            Kind::Hexo => "hexo",
            Kind::Jekyll => "jekyll",
        }
    }
}

pub struct Options {
    pub kind: Kind,
    pub dir: PathBuf,
    pub root: PathBuf,
    pub terminal: bool,
}

/// Where things are in the old folder, and how it made its addresses.
struct Layout {
    settings: Settings,
    permalink: OldPermalink,
    /// The folder pages and plain files are in (Hexo's `source/`, Jekyll's root).
    source: PathBuf,
    posts: PathBuf,
    drafts: PathBuf,
    asset_folders: bool,
    notes: Vec<String>,
}

fn layout(kind: Kind, dir: &Path) -> Result<Layout> {
    let config_path = dir.join("_config.yml");
    let text = match std::fs::read_to_string(&config_path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io("read", &config_path, e)),
    };
    Ok(match kind {
        Kind::Hexo => {
            let c = super::hexo::read_config(&config_path, &text)?;
            let source = dir.join(&c.source_dir);
            Layout {
                settings: c.settings,
                permalink: c.permalink,
                posts: source.join("_posts"),
                drafts: source.join("_drafts"),
                source,
                asset_folders: c.post_asset_folder,
                notes: c.notes,
            }
        }
        Kind::Jekyll => {
            let c = super::jekyll::read_config(&config_path, &text)?;
            Layout {
                settings: c.settings,
                permalink: c.permalink,
                posts: dir.join("_posts"),
                drafts: dir.join("_drafts"),
                source: dir.to_path_buf(),
                asset_folders: true,
                notes: c.notes,
            }
        }
    })
}

/// One file to write, made from one file of the old site.
struct Planned {
    rel: String,
    bytes: Vec<u8>,
    /// What was changed or could not be, for the report.
    notes: Vec<String>,
    failure: Option<String>,
    post: bool,
}

pub fn import(opts: &Options) -> Result<Report> {
    let dir = opts.dir.canonicalize().map_err(|e| {
        Error::from(Diagnostic::new(
            &opts.dir,
            format!("cannot read the old site's folder: {e}"),
            "give the folder that holds _config.yml",
        ))
    })?;
    // Checked before anything is made: not even an empty folder goes into the old site.
    let root = std::path::absolute(&opts.root).map_err(|e| Error::io("read", &opts.root, e))?;
    let root = root.canonicalize().unwrap_or(root);
    let dir_abs = std::path::absolute(&opts.dir).unwrap_or_else(|_| dir.clone());
    let overlaps = |r: &Path| r.starts_with(&dir) || dir.starts_with(r) || r.starts_with(&dir_abs);
    if overlaps(&root) {
        return Err(Diagnostic::new(
            &opts.root,
            "the new site would be inside the old one (or the other way round)",
            "import into a folder of its own, e.g. `--root ../new-blog`; the old site is never written to",
        )
        .into());
    }
    std::fs::create_dir_all(&opts.root).map_err(|e| Error::io("create", &opts.root, e))?;
    let progress = Progress::new(opts.terminal);
    let lay = layout(opts.kind, &dir)?;
    let mut report = Report::default();
    report.notes.extend(lay.notes.iter().cloned());
    let posts_dir = crate::layout::rel_posts_dir()
        .to_string_lossy()
        .into_owned();
    let pages_dir = crate::layout::rel_pages_dir()
        .to_string_lossy()
        .into_owned();
    let static_dir = crate::layout::rel_static_dir()
        .to_string_lossy()
        .into_owned();

    // Every file of the old site that is carried over, as (old path, kind).
    let mut sources: Vec<(PathBuf, Role)> = Vec::new();
    for (folder, draft) in [(&lay.posts, false), (&lay.drafts, true)] {
        for f in files(folder) {
            let role = if is_markdown(&f) && !in_asset_folder(folder, &f) {
                Role::Post { draft }
            } else {
                Role::Asset
            };
            sources.push((f, role));
        }
    }
    for f in files(&lay.source) {
        let rel = f.strip_prefix(&lay.source).unwrap_or(&f);
        if skipped(opts.kind, rel) {
            continue;
        }
        sources.push((
            f.clone(),
            if is_markdown(&f) {
                Role::Page
            } else {
                Role::Static
            },
        ));
    }
    // `post_link`/`post_url` name a post by its path under the posts folder without the
    // extension, or by its file name alone.
    let mut by_name: HashMap<String, String> = HashMap::new();
    for (f, role) in &sources {
        if *role == (Role::Post { draft: false }) {
            let rel = f
                .strip_prefix(&lay.posts)
                .unwrap_or(f)
                .to_string_lossy()
                .replace('\\', "/");
            let stem = rel
                .rsplit_once('.')
                .map_or(rel.as_str(), |(s, _)| s)
                .to_string();
            let file = stem.rsplit('/').next().unwrap_or(&stem).to_string();
            by_name
                .entry(file)
                .or_insert_with(|| format!("posts/{rel}"));
            by_name.insert(stem, format!("posts/{rel}"));
        }
    }
    let find = |name: &str| by_name.get(name).cloned();
    let cx = Cx {
        kind: opts.kind,
        lay: &lay,
        posts_dir: &posts_dir,
        pages_dir: &pages_dir,
        static_dir: &static_dir,
        find: &find,
    };
    progress.stage("converting", Some(sources.len()));
    let planned: Vec<Planned> = sources
        .par_iter()
        .map(|(path, role)| {
            let p = plan(&cx, path, *role);
            progress.step();
            p
        })
        .collect();

    let title = lay.settings.title.clone().unwrap_or_default();
    super::site::prepare_site(&opts.root, &title, &lay.settings.site_yaml(), &mut report)?;
    let work = crate::layout::SiteDir::new(&opts.root).import_dir(opts.kind.source());
    let mut store = Store::open(&opts.root, &work)?;
    progress.stage("writing", Some(planned.len()));
    for p in planned {
        if let Some(f) = p.failure {
            report.failures.push(f);
            continue;
        }
        let outcome = store.write(&p.rel, &p.bytes)?;
        report.record(&p.rel, outcome);
        if p.post {
            report.posts += 1;
        } else if !p.rel.ends_with(".md") {
            report.images += 1;
        }
        report.notes.extend(p.notes);
        progress.step();
    }
    store.save()?;
    progress.finish();
    Ok(report)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Post {
        draft: bool,
    },
    /// A file of a post's asset folder (or any non-Markdown file among the posts).
    Asset,
    Page,
    Static,
}

/// Files under `dir`, sorted, hidden ones left out.
fn files(dir: &Path) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

fn is_markdown(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| MARKDOWN_EXTENSIONS.contains(&e))
}

/// A Markdown file inside a post's asset folder (`slab/notes.md` beside `slab.md`) is one of
/// its files, not a post.
fn in_asset_folder(posts: &Path, f: &Path) -> bool {
    f.ancestors().skip(1).take_while(|a| *a != posts).any(|a| {
        MARKDOWN_EXTENSIONS
            .iter()
            .any(|ext| a.with_extension(ext).is_file())
    })
}

/// What of the source folder is not the site's content: the generator's own folders
/// (`_posts`, `_layouts` …, taken elsewhere or not at all) and Jekyll's build files.
fn skipped(kind: Kind, rel: &Path) -> bool {
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    if first.starts_with('_') || first.starts_with('.') {
        return true;
    }
    kind == Kind::Jekyll
        && matches!(
            first.as_str(),
            "Gemfile"
                | "Gemfile.lock"
                | "node_modules"
                | "vendor"
                | "README.md"
                | "LICENSE"
                | "CNAME"
                | "package.json"
                | "Rakefile"
        )
}

/// What every file's conversion needs.
struct Cx<'a> {
    kind: Kind,
    lay: &'a Layout,
    posts_dir: &'a str,
    pages_dir: &'a str,
    static_dir: &'a str,
    find: &'a (dyn Fn(&str) -> Option<String> + Sync),
}

fn plan(cx: &Cx<'_>, path: &Path, role: Role) -> Planned {
    let lay = cx.lay;
    let (posts_dir, pages_dir, static_dir) = (cx.posts_dir, cx.pages_dir, cx.static_dir);
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            return Planned {
                rel: String::new(),
                bytes: Vec::new(),
                notes: Vec::new(),
                failure: Some(format!("{}: cannot be read: {e}", path.display())),
                post: false,
            };
        }
    };
    let base = match role {
        Role::Post { draft: true } => &lay.drafts,
        Role::Post { .. } | Role::Asset => {
            if path.starts_with(&lay.drafts) {
                &lay.drafts
            } else {
                &lay.posts
            }
        }
        Role::Page | Role::Static => &lay.source,
    };
    let rel = path
        .strip_prefix(base)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    let mut planned = Planned {
        rel: String::new(),
        bytes: Vec::new(),
        notes: Vec::new(),
        failure: None,
        post: matches!(role, Role::Post { .. }),
    };
    match role {
        Role::Asset => {
            planned.rel = format!("{posts_dir}/{rel}");
            planned.bytes = bytes;
        }
        // A file with front matter is a template of the old generator (Jekyll's
        // `index.html` listing `site.posts`): boke makes those pages itself.
        Role::Static if bytes.starts_with(b"---\n") || bytes.starts_with(b"---\r\n") => {
            planned.failure = Some(format!(
                "{}: a template of the old generator; boke makes its own pages, so it was not copied",
                path.display()
            ));
        }
        Role::Static => {
            planned.rel = format!("{static_dir}/{rel}");
            planned.bytes = bytes;
        }
        Role::Post { draft } => {
            let Ok(text) = String::from_utf8(bytes) else {
                planned.failure = Some(format!(
                    "{}: not UTF-8 text; convert it (iconv -f GBK -t UTF-8) and import again",
                    path.display()
                ));
                return planned;
            };
            let stem_rel = rel
                .rsplit_once('.')
                .map_or(rel.as_str(), |(s, _)| s)
                .to_string();
            let (text, notes) = post_text(cx, path, &stem_rel, &text, draft);
            planned.rel = format!("{posts_dir}/{rel}");
            planned.bytes = text.into_bytes();
            planned.notes = notes;
        }
        Role::Page => {
            let Ok(text) = String::from_utf8(bytes) else {
                planned.failure = Some(format!("{}: not UTF-8 text", path.display()));
                return planned;
            };
            // `about/index.md` is the page `/about/`, `links.md` the page `/links.html`.
            let (name, old) = match rel.rsplit_once('/') {
                Some((dir, file)) if file.starts_with("index.") => {
                    (dir.replace('/', "-"), format!("/{dir}/"))
                }
                _ => {
                    let stem = rel.rsplit_once('.').map_or(rel.as_str(), |(s, _)| s);
                    (stem.replace('/', "-"), format!("/{stem}.html"))
                }
            };
            // A page is built at `/<name>/`; only another old address needs an alias.
            let old = (old != format!("/{name}/")).then_some(old);
            let (text, notes) = page_text(cx, path, &text, old.as_deref());
            planned.rel = format!("{pages_dir}/{name}.md");
            planned.bytes = text.into_bytes();
            planned.notes = notes;
        }
    }
    planned
}

/// A front matter block and the body after it, the way Hexo splits them: `---` fences, or
/// (Hexo's older form) `key: value` lines ended by a `---` line without an opening fence.
fn split_front(text: &str) -> Option<(&str, &str)> {
    let t = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(rest) = t
        .strip_prefix("---\n")
        .or_else(|| t.strip_prefix("---\r\n"))
    {
        let end = rest
            .find("\n---")
            .map(|i| i + 1)
            .or_else(|| rest.starts_with("---").then_some(0))?;
        let after = &rest[end + 3..];
        let after = after.trim_start_matches('-');
        let body = after
            .strip_prefix("\r\n")
            .or(after.strip_prefix('\n'))
            .unwrap_or(after);
        return Some((&rest[..end], body));
    }
    let first = t.lines().next()?;
    let looks_like_yaml = first.split_once(':').is_some_and(|(k, _)| {
        !k.is_empty() && k.trim().chars().all(|c| c.is_alphanumeric() || c == '_')
    });
    if looks_like_yaml && let Some(end) = t.find("\n---\n") {
        return Some((&t[..end + 1], &t[end + 5..]));
    }
    None
}

fn mapping(yaml: &str) -> serde_yaml::Mapping {
    let spaced: String = yaml
        .split_inclusive('\n')
        .map(|l| {
            let tabs = l.bytes().take_while(|b| *b == b'\t').count();
            format!("{}{}", "  ".repeat(tabs), &l[tabs..])
        })
        .collect();
    match serde_yaml::from_str::<Value>(&spaced) {
        Ok(Value::Mapping(m)) => m,
        _ => serde_yaml::Mapping::new(),
    }
}

fn scalar(m: &serde_yaml::Mapping, key: &str) -> Option<String> {
    super::hexo::scalar(m.get(key))
}

/// A post's text for boke: its front matter with fixes, its body with tags made Markdown.
fn post_text(
    cx: &Cx<'_>,
    path: &Path,
    stem_rel: &str,
    text: &str,
    draft: bool,
) -> (String, Vec<String>) {
    let (kind, lay) = (cx.kind, cx.lay);
    let shown = path.display();
    let mut notes = Vec::new();
    let file_stem = stem_rel.rsplit('/').next().unwrap_or(stem_rel);
    let named = crate::datetime::from_file_stem(file_stem);
    let (yaml, body) = match split_front(text) {
        Some((y, b)) => (y.to_string(), b),
        None => {
            let title = first_heading(text)
                .unwrap_or_else(|| named.map_or(file_stem, |(_, rest)| rest).replace('-', " "));
            notes.push(format!(
                "{shown}: no front matter; the title `{title}` was taken from {}",
                if first_heading(text).is_some() {
                    "its first heading"
                } else {
                    "its file name"
                }
            ));
            (format!("title: {}\n", yaml_quote(&title)), text)
        }
    };
    let map = mapping(&yaml);
    let mut lines: Vec<String> = yaml.lines().map(str::to_string).collect();
    // The date, fixed as the old tool read it.
    let date_text = scalar(&map, "date");
    let mut date: Option<NaiveDateTime> = None;
    match date_text.as_deref().map(|d| (d, datefix::fix(d))) {
        Some((d, datefix::DateFix::AsWritten)) => date = naive(d),
        Some((_, datefix::DateFix::Fixed { fixed, why })) => {
            set_key(&mut lines, "date", &fixed);
            notes.push(format!("{shown}: {why}; written as `{fixed}`"));
            date = naive(&fixed);
        }
        Some((d, datefix::DateFix::Unreadable)) => match named {
            Some((day, _)) => {
                let fixed = day.format("%Y-%m-%d").to_string();
                set_key(&mut lines, "date", &fixed);
                notes.push(format!(
                    "{shown}: the date `{d}` cannot be read; the file name's {fixed} was used"
                ));
                date = day.and_hms_opt(0, 0, 0);
            }
            None => notes.push(format!(
                "{shown}: the date `{d}` cannot be read and the file name has none; set `date:` by hand"
            )),
        },
        None => match named {
            Some((day, _)) => date = day.and_hms_opt(0, 0, 0),
            None if draft => {
                // Jekyll dates a draft by its file's time; so does this copy, once.
                let modified = std::fs::metadata(path)
                    .and_then(|m| m.modified())
                    .ok()
                    .map(chrono::DateTime::<chrono::Utc>::from);
                if let Some(m) = modified {
                    let d = m.format("%Y-%m-%d %H:%M:%S").to_string();
                    lines.push(format!("date: {d}"));
                    date = naive(&d);
                    notes.push(format!("{shown}: a draft without a date; its file's time {d} was used"));
                }
            }
            None => notes.push(format!(
                "{shown}: no `date` and none in the file name; set `date:` by hand"
            )),
        },
    }
    if draft && !map.contains_key("draft") && !map.contains_key("published") {
        lines.push("draft: true".into());
    }
    // The old address, kept as an alias where boke's pattern does not give it.
    let categories: Vec<String> = match map.get("categories").or(map.get("category")) {
        Some(Value::Sequence(s)) => s
            .iter()
            .filter_map(|v| match v {
                Value::Sequence(inner) => inner.first().and_then(Value::as_str).map(String::from),
                other => other.as_str().map(String::from),
            })
            .collect(),
        Some(Value::String(s)) if kind == Kind::Jekyll => {
            s.split_whitespace().map(String::from).collect()
        }
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    };
    // Hexo's `:title` keeps the post's folders; Jekyll's is the file name's part only.
    let name_part = named.map_or(file_stem, |(_, rest)| rest);
    let title_part = match stem_rel.rsplit_once('/') {
        Some((dir, _)) if kind == Kind::Hexo => format!("{dir}/{name_part}"),
        _ => name_part.to_string(),
    };
    let slug = scalar(&map, "slug")
        .unwrap_or_else(|| title_part.rsplit('/').next().unwrap_or("").to_string());
    if let (Some(date), false) = (date, draft) {
        let post_title = scalar(&map, "title").unwrap_or_default();
        let facts = |title| Facts {
            title,
            post_title: &post_title,
            date,
            categories: &categories,
            id: None,
        };
        let old_title = scalar(&map, "slug").unwrap_or(title_part.clone());
        let old = match scalar(&map, "permalink") {
            Some(p) => format!("/{}", p.trim_start_matches('/')),
            None => lay.permalink.path(&facts(old_title.as_str())),
        };
        let same =
            lay.settings.permalink.is_some() && old == lay.permalink.path(&facts(slug.as_str()));
        if !same && !has_alias(&map, &old) {
            add_alias(&mut lines, &map, &old);
        }
    }
    let asset_dir = lay.asset_folders.then(|| {
        let dir = path.with_extension("");
        dir.is_dir().then(|| file_stem.to_string())
    });
    let converted = liquid::convert(
        body,
        liquid::Context {
            asset_dir: asset_dir.flatten().as_deref(),
            post_file: Some(cx.find),
        },
    );
    let (out, more) = file_text(path, &lines, converted);
    notes.extend(more);
    (out, notes)
}

/// The file: front matter lines in fences, then the converted body; and the tags it could not
/// convert, for the report.
fn file_text(path: &Path, lines: &[String], body: liquid::Converted) -> (String, Vec<String>) {
    let notes = body
        .unknown
        .iter()
        .map(|(line, tag)| {
            format!(
                "{}: body line {line}: the tag {{% {tag} %}} has no Markdown form; it is left as written",
                path.display()
            )
        })
        .collect();
    let mut out = String::from("---\n");
    for l in lines {
        out.push_str(l);
        out.push('\n');
    }
    out.push_str("---\n");
    out.push_str(&body.text);
    (out, notes)
}

fn page_text(cx: &Cx<'_>, path: &Path, text: &str, old: Option<&str>) -> (String, Vec<String>) {
    let (yaml, body) = split_front(text).map_or((String::new(), text), |(y, b)| (y.to_string(), b));
    let map = mapping(&yaml);
    let mut lines: Vec<String> = yaml.lines().map(str::to_string).collect();
    if !map.contains_key("title")
        && let Some(h) = first_heading(body)
    {
        lines.push(format!("title: {}", yaml_quote(&h)));
    }
    if let Some(old) = old {
        add_alias(&mut lines, &map, old);
    }
    let converted = liquid::convert(
        body,
        liquid::Context {
            asset_dir: None,
            post_file: Some(cx.find),
        },
    );
    file_text(path, &lines, converted)
}

fn naive(s: &str) -> Option<NaiveDateTime> {
    let tz = chrono::FixedOffset::east_opt(0)?;
    crate::datetime::parse(s, tz).ok().map(|d| d.naive_local())
}

fn first_heading(text: &str) -> Option<String> {
    text.lines()
        .find_map(|l| l.strip_prefix("# ").map(|h| h.trim().to_string()))
        .filter(|h| !h.is_empty())
}

/// Replace a top-level key's value (its whole line), or add the key.
fn set_key(lines: &mut Vec<String>, key: &str, value: &str) {
    let line = format!("{key}: {value}");
    match lines.iter().position(|l| crate::yaml_lines::names(l, key)) {
        Some(i) => lines[i] = line,
        None => lines.push(line),
    }
}

fn has_alias(map: &serde_yaml::Mapping, old: &str) -> bool {
    ["aliases", "redirect_from"]
        .iter()
        .any(|k| match map.get(*k) {
            Some(Value::Sequence(s)) => s.iter().any(|v| v.as_str() == Some(old)),
            Some(Value::String(s)) => s == old,
            _ => false,
        })
}

/// Add `old` to the post's aliases: a new `aliases:` list, or one more entry of the post's
/// own block list. (boke reads `aliases` and `redirect_from` alike, one of them.)
fn add_alias(lines: &mut Vec<String>, map: &serde_yaml::Mapping, old: &str) {
    if has_alias(map, old) {
        return;
    }
    let entry = format!("  - {}", yaml_quote(old));
    for key in ["aliases", "redirect_from"] {
        if let Some(i) = lines.iter().position(|l| crate::yaml_lines::names(l, key)) {
            if lines[i].trim_end() == format!("{key}:") {
                lines.insert(i + 1, entry);
            }
            return;
        }
    }
    lines.push("aliases:".into());
    lines.push(entry);
}
