//! The build pipeline's stages on a generated corpus, so a regression shows where it is:
//! load (parse posts), markdown (render bodies), render (all pages in memory) and write (pages
//! to a staging directory). `cargo bench`; BENCHMARKS.md has whole-build figures beside Hugo.
//!
//! The corpus is made here, deterministically: Chinese and English prose, headings, lists,
//! tables and code, like the blog boke mirrors.

use boke::build::output::Staging;
use boke::config::Config;
use boke::content::Post;
use boke::layout::SiteDir;
use boke::render::{self, Templates};
use boke::site::Site;
use criterion::{Criterion, criterion_group, criterion_main};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const POSTS: usize = 2000;

fn post_text(i: usize) -> String {
    let topics = [
        "slab",
        "udp_sendmsg",
        "hrtimer",
        "kvm",
        "sysrq",
        "tlb",
        "ftrace",
        "kdump",
    ];
    let cats = ["内存管理", "网络", "时间与中断", "虚拟化", "调试与工具"];
    let t = topics[i % topics.len()];
    let mut body = format!(
        "---\ntitle: \"kernel 3.10内核源码分析--{t} 第{i}篇\"\ndate: {}-{:02}-{:02} {:02}:{:02}:00\nviews: {}\ncomments: {}\nshares: {}\ncategory: {}\n---\n",
        2010 + i % 12,
        i % 12 + 1,
        i % 28 + 1,
        i % 24,
        i % 60,
        (i * 7919) % 30000,
        i % 7,
        i % 11,
        cats[i % cats.len()]
    );
    body.push_str(&format!(
        "本文分析{t}的实现原理，以及相关的数据结构和关键流程。\n\n<!-- more -->\n\n"
    ));
    for s in 0..4 {
        body.push_str(&format!("## {s}、{t}的关键流程\n\n"));
        for _ in 0..3 {
            body.push_str(&format!("内核中经常需要分配和释放大量的数据结构，{t}正是为了解决这个问题而设计的。调用 `{t}_init()` 之后，per-cpu 缓存会被建立，分配路径因此不必加锁。The fast path avoids the global lock entirely.\n\n"));
        }
        body.push_str(&format!("```c\nstatic int {t}_init(void)\n{{\n\tstruct kmem_cache *cachep = kmem_cache_create(\"{t}\", 64, 0, 0, NULL);\n\treturn cachep ? 0 : -ENOMEM;\n}}\n```\n\n"));
        body.push_str("| 字段 | 含义 |\n| --- | --- |\n| `flags` | 标志 |\n| `size` | 大小 |\n\n- 第一点\n- 第二点\n\n");
    }
    body
}

struct Corpus {
    config: Config,
    texts: Vec<(PathBuf, String)>,
}

fn corpus() -> Corpus {
    let config =
        Config::parse("title: 基准\npaginate: 10\nhighlight: false\n").expect("bench config");
    let texts = (0..POSTS)
        .map(|i| {
            (
                PathBuf::from(format!("content/posts/p{i:05}.md")),
                post_text(i),
            )
        })
        .collect();
    Corpus { config, texts }
}

fn load(c: &Corpus) -> Vec<Arc<Post>> {
    c.texts
        .par_iter()
        .map(|(p, t)| Arc::new(Post::parse(p, t.as_bytes(), &c.config).expect("valid post")))
        .collect()
}

fn stages(crit: &mut Criterion) {
    let c = corpus();
    let mut g = crit.benchmark_group(format!("pipeline/{POSTS}-posts"));
    g.sample_size(10);
    g.bench_function("load", |b| b.iter(|| load(&c)));
    let posts = load(&c);
    g.bench_function("markdown", |b| {
        b.iter(|| {
            posts
                .par_iter()
                .map(|p| p.render_body(Default::default(), &|_| None).html.len())
                .sum::<usize>()
        })
    });
    let site = Site::new(c.config.clone(), posts.clone(), false, vec![]).expect("valid site");
    g.bench_function("model", |b| {
        b.iter(|| Site::new(c.config.clone(), posts.clone(), false, vec![]).expect("valid site"))
    });
    let empty = tempfile::tempdir().expect("temp dir");
    let templates = Templates::load(&SiteDir::new(empty.path())).expect("templates");
    let (renderer, jobs) = render::plan(&site, &templates).expect("no clashes");
    g.bench_function("render", |b| {
        b.iter(|| {
            jobs.par_iter()
                .map(|j| renderer.render(&j.job).expect("renders").1.len())
                .sum::<usize>()
        })
    });
    let pages: Vec<(String, Vec<u8>)> = jobs
        .par_iter()
        .map(|j| renderer.render(&j.job).expect("renders"))
        .collect();
    let out = tempfile::tempdir_in(
        std::env::var_os("BENCH_TMP").map_or_else(std::env::temp_dir, PathBuf::from),
    )
    .expect("temp dir");
    g.bench_function("write", |b| {
        b.iter(|| {
            let staging =
                Staging::begin(Path::new("/nonexistent-site"), &out.path().join("public"))
                    .expect("staging");
            pages
                .par_iter()
                .for_each(|(f, html)| staging.write(f, html).expect("write"));
            staging.commit().expect("commit")
        })
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
