//! A fixture blog in Chinaunix's markup, written for these tests: 33 posts over 2014–2016 on
//! four list pages, GBK-encoded (the 2016 pages UTF-8), with the cases an import must handle.
#![allow(dead_code)]

use super::http::Resource;
use std::collections::BTreeMap;
use std::fmt::Write as _;

pub const UID: &str = "20201234";
pub const TITLE: &str = "山间小站";
pub const SUBTITLE: &str = "记录 Linux 与网络的点滴";
pub const PER_PAGE: usize = 10;
pub const CATEGORIES: [(&str, &str); 4] = [
    ("内核", "101"),
    ("网络协议", "102"),
    ("杂谈", "103"),
    ("未分配的博文", "-1"),
];

/// The posts with something special, by index.
pub const TITLELESS: usize = 3;
pub const CODE: usize = 7;
pub const TABLE: usize = 8;
pub const IMAGES: usize = 10;
pub const COMMENTS: usize = 12;
pub const LINKS: usize = 15;
/// Linked from LINKS by its old showart address.
pub const OLD_ADDRESS: usize = 2;
pub const NEW_YEAR: usize = 20;
pub const UNCATEGORISED: usize = 5;
pub const HOSTILE_TITLE: usize = 25;
pub const COUNT: usize = 33;

#[derive(Debug, Clone)]
pub struct FixturePost {
    pub id: String,
    pub title: Option<String>,
    /// `2014-01-03 09:15:00`, China time.
    pub time: String,
    pub category: &'static str,
    pub views: u64,
    pub shares: u64,
    /// Comments shown, replies included.
    pub comments: u64,
    pub utf8: bool,
}

impl FixturePost {
    pub fn path(&self) -> String {
        format!("/uid-{UID}-id-{}.html", self.id)
    }
    pub fn year(&self) -> &str {
        &self.time[..4]
    }
    /// The file name the import gives it.
    pub fn stem(&self) -> String {
        format!("{}-{}", &self.time[..10], self.id)
    }
}

pub fn posts() -> Vec<FixturePost> {
    (0..COUNT)
        .map(|i| {
            let time = if i < 20 {
                format!(
                    "2014-{:02}-{:02} {:02}:15:00",
                    1 + i / 2,
                    3 + (i % 2) * 12,
                    9 + i % 10
                )
            } else if i == NEW_YEAR {
                "2015-01-01 00:30:00".to_string()
            } else if i < 30 {
                format!("2015-{:02}-08 20:05:00", 2 + (i - 21))
            } else {
                format!("2016-{:02}-14 07:45:00", 3 + (i - 30))
            };
            let category = if i == UNCATEGORISED {
                CATEGORIES[3].0
            } else {
                CATEGORIES[i % 3].0
            };
            let title = match i {
                TITLELESS => None,
                HOSTILE_TITLE => {
                    Some("<script>alert('t')</script> {{ site.title }} 标题".to_string())
                }
                _ => Some(format!("第{}篇：{}小记", i + 1, category)),
            };
            FixturePost {
                id: (4_000_001 + i).to_string(),
                title,
                time,
                category,
                views: 100 + 7 * i as u64,
                shares: (i % 4) as u64,
                comments: match i {
                    COMMENTS => 4,
                    1 | 9 => 1,
                    _ => 0,
                },
                utf8: i >= 30,
            }
        })
        .collect()
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn cid(name: &str) -> &'static str {
    CATEGORIES.iter().find(|(n, _)| *n == name).unwrap().1
}

/// The first paragraph: what the list pages show as the excerpt.
fn first_paragraph(i: usize) -> String {
    format!("这是第{}篇的开头，讲一件小事。", i + 1)
}

pub fn body(i: usize, all: &[FixturePost]) -> String {
    let mut b = String::new();
    let _ = write!(b, "<DIV>{}</DIV>", first_paragraph(i));
    let _ = write!(
        b,
        "<DIV>&nbsp;&nbsp;&nbsp;&nbsp;第二段写得长一些，说明缘由。<BR>　　接着换行，再补一句。</DIV>"
    );
    let _ = write!(
        b,
        "<P>要点是 <B>耐心</B> 与 <span href=\"http://bbs.chinaunix.net/tag.php?name=x\">细心</span>。</P>"
    );
    match i {
        CODE => {
            b.push_str(r#"<div id="codeText" class="codeText"><div class="codeHead"><span class="lantxt">点击(<a href="javascript:void(0)">此处</a>)折叠或打开</span></div><ol start="1" class="dp-c"><li>#include &lt;stdio.h&gt;</li><li>int main(void)</li><li>{</li><li>&nbsp;&nbsp;&nbsp;&nbsp;printf("a &amp; b\n");</li><li>}</li></ol></div>"#);
            b.push_str(r#"<div class="codeText"><div class="codeHead"><span class="lantxt">点击(此处)折叠或打开</span></div><ol class="dp-css"><li>make -j2</li></ol></div>"#);
            b.push_str("<pre>  $ uname -r\n  3.10.0</pre>");
        }
        TABLE => b.push_str(
            "<table border=\"1\"><tr><th>参数</th><th>含义</th></tr><tr><td>-n</td><td>次数</td></tr><tr><td>-q</td><td>安静</td></tr></table><ul><li>其一</li><li>其二</li></ul>",
        ),
        IMAGES => b.push_str(&format!(
            "<DIV><IMG src=\"/attachment/201406/3/{UID}_1401780000aB3d.png\" alt=\"示意图\"></DIV><DIV><img src=\"http://blog.chinaunix.net/attachment/201406/3/{UID}_1401780001Xy9z.jpg\"></DIV><DIV><img src=\"/attachment/201406/3/{UID}_1401780002gone.gif\"></DIV><DIV><img src=\"http://example.org/outside.png\"></DIV>"
        )),
        LINKS => b.push_str(&format!(
            "<DIV>参见<A href=\"/uid-{UID}-id-{}.html\">上一篇</A>、<a href=\"http://blog.chinaunix.net/u/{UID}/showart_{}.html\">旧文</a>与<a href=\"http://www.kernel.org/\">官网</a>。</DIV>",
            all[LINKS - 1].id, all[OLD_ADDRESS].id
        )),
        _ => {}
    }
    b
}

fn comment(author: &str, href: &str, time: &str, text_html: &str, replies: &str) -> String {
    format!(
        "<div class=\"Blog_comm1\"><dl><dt><a href=\"{href}\"><img src=\"/avatar/x_small.jpg\"></a></dt><dd><p class=\"Blog_p11\"><a href=\"{href}\" class=\"Blog_a11\">{}</a><span>{time}</span></p><div class=\"Blog_p12\">{text_html}</div><p class=\"Blog_p13\"><a href=\"#\">回复</a> | <a href=\"#\">举报</a></p>{}</dd></dl></div>",
        esc(author),
        if replies.is_empty() {
            String::new()
        } else {
            format!("<div class=\"Blog_reply\">{replies}</div>")
        }
    )
}

fn comment_block(inner: &str, next: Option<&str>) -> String {
    let pager = next
        .map(|n| format!("<div class=\"Blog_page\"><ul><li class=\"page selected\">1</li><li class=\"next\"><a href=\"{n}\">下一页</a></li></ul></div>"))
        .unwrap_or_default();
    format!(
        "<div class=\"Blog_tit3\">给主人留下些什么吧！~~</div><div class=\"Blog_comment\">{inner}{pager}</div><p>评论热议</p><p>请登录后评论。</p>"
    )
}

pub fn comments_page_2(post: &FixturePost) -> String {
    format!("/comment/{UID}/{}/2.html", post.id)
}

fn comments_html(i: usize, post: &FixturePost) -> String {
    match i {
        COMMENTS => comment_block(
            &(comment(
                "路人甲",
                "/uid/555.html",
                "2014-07-20 10:00:00",
                "写得好！<br>第二行 &lt;b&gt;不粗&lt;/b&gt;",
                &comment(
                    "山间小站",
                    &format!("/uid/{UID}.html"),
                    "2014-07-20 11:00:00",
                    "谢谢。",
                    "",
                ),
            ) + &comment(
                "<img src=x onerror=alert(1)>",
                "javascript:alert(1)",
                "2014-07-21 12:30:00",
                "&lt;script&gt;alert('c')&lt;/script&gt; {{ site.title }} {% if x %}",
                "",
            )),
            Some(&comments_page_2(post)),
        ),
        1 | 9 => comment_block(
            &comment(
                "读者",
                "/uid/777.html",
                "2014-03-01 08:00:00",
                "收藏了。",
                "",
            ),
            None,
        ),
        _ => comment_block("", None),
    }
}

fn second_comments_page() -> String {
    comment_block(
        &comment(
            "乙",
            "http://example.org/~b/",
            "2014-07-22 09:09:09",
            "<a href=\"javascript:alert(2)\">点我</a> 看 http://example.org/",
            "",
        ),
        None,
    )
}

fn sidebar(all: &[FixturePost]) -> String {
    let mut s = format!(
        "<div class=\"Blog_left\"><div class=\"Blog_left1 Blog_bg1\"><div class=\"Blog_left1_1\"><a href=\"/uid/{UID}.html\"><img src=\"/avatar/020/20/12/34_avatar_middle.jpg\"></a><p><a href=\"/uid/{UID}.html\">小林</a></p></div><ul class=\"Blog_ul1 Blog_noline1\"><li>博客访问： 4321 </li><li>博文数量： {COUNT} </li><li>博客积分： 650 </li><li>博客等级： 上尉 </li><li>技术积分： 120 </li><li>用  户  组：  普通用户</li><li>注册时间： 2013-10-02 18:20 </li></ul></div>"
    );
    let _ = write!(
        s,
        "<div class=\"Blog_left2 Blog_bg1\"><div class=\"Blog_tit1\">文章分类</div><div class=\"Blog_left2_1\"><p class=\"Blog_p4\"><a href=\"/uid/{UID}/list/1.html\">全部博文</a>（{COUNT}）</p><ul id=\"blogCla\">"
    );
    for (name, cid) in CATEGORIES {
        let n = all.iter().filter(|p| p.category == name).count();
        let _ = write!(
            s,
            "<li><a href=\"/uid/{UID}/cid-{cid}-list-1.html\" title=\"{name}\">{name}</a>（{n}）{}</li>",
            if cid == "101" {
                format!(
                    "<div style=\"display:none;\" class=\"zk\"><p><a href=\"/uid/{UID}/sid-201-list-1.html\">调度</a>（2）</p></div>"
                )
            } else {
                String::new()
            }
        );
    }
    s.push_str("</ul></div></div><div class=\"Blog_left2 Blog_bg1\"><div class=\"Blog_tit1\">文章存档</div><div class=\"Blog_left2_1\" id=\"blogdtr\">");
    for y in ["2016", "2015", "2014"] {
        let n = all.iter().filter(|p| p.year() == y).count();
        let _ = write!(
            s,
            "<p class=\"Blog_p4\"><span class=\"Blog_jia1\"></span><a href=\"/uid/{UID}/year-{y}-list-1.html\">{y}年</a>（{n}）</p><ul style=\"display:none;\" class=\"Blog_ul3 zk\"><li><a href=\"/uid/{UID}/year-{y}01-list-1.html\">{y}年01月</a>（1）</li></ul>"
        );
    }
    s.push_str("</div></div><div class=\"Blog_left2 Blog_bg1\"><div class=\"Blog_tit1\">我的朋友</div><ul class=\"Blog_ul4\"><li><p><a href=\"/uid/555.html\">路人甲</a></p></li></ul></div></div>");
    s
}

fn page(title: &str, all: &[FixturePost], right: &str, utf8: bool) -> String {
    let charset = if utf8 { "utf-8" } else { "gb2312" };
    format!(
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\"><html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset={charset}\" /><title>{}</title><script>var x = '<div class=\"Blog_wz1\">';</script></head><body>\
<div class=\"Blog_nav1\"><div class=\"Blog_nav1_2\"><a href=\"http://www.chinaunix.net\">Chinaunix首页</a> | <a href=\"http://bbs.chinaunix.net\">论坛</a> | <a href=\"/site/login.html\">登录</a></div></div>\
<div class=\"Blog_header1\"><div class=\"Blog_header1_1\"><p class=\"Blog_p1\"><em><a href=\"/uid/{UID}.html\">{TITLE}</a></em></p><p class=\"Blog_p2\" style=\"color:#125A94\">{SUBTITLE}</p></div>\
<div class=\"Blog_header1_3\"><a href=\"/uid/{UID}.html\">首页</a>　| 　<a href=\"/uid/{UID}/abstract/1.html\">博文目录</a>　| 　<a href=\"/member/profile/uid/{UID}.html\">关于我</a></div></div>\
<div class=\"Blog_contain\">{}<div class=\"Blog_right1\">{right}</div></div></body></html>",
        esc(title),
        sidebar(all)
    )
}

fn list_entries(posts: &[&FixturePost], all: &[FixturePost]) -> String {
    let mut s = String::from("<div class=\"Blog_right1_1\">");
    for p in posts {
        let i = all.iter().position(|q| q.id == p.id).unwrap();
        let _ = write!(
            s,
            "<div class=\"Blog_right1_2\"><div class=\"Blog_tit4\"><b class=\"Blog_b1\"></b><a href=\"{}\">{}</a><em>{}</em></div><p class=\"Blog_p10\">{}......<a href=\"{}\">【阅读全文】</a></p><p class=\"Blog_p7\">阅读({}) | 评论({}) | 转发({})</p></div>",
            p.path(),
            esc(p.title.as_deref().unwrap_or("")),
            p.time,
            first_paragraph(i),
            p.path(),
            p.views,
            p.comments,
            p.shares
        );
    }
    s.push_str("</div>");
    s
}

fn pager(n: usize, total: usize, link: &dyn Fn(usize) -> String) -> String {
    let mut s = String::from("<div class=\"Blog_page1\"><ul>");
    let _ = write!(s, "<li class=\"page selected\">{n}</li>");
    if n < total {
        let _ = write!(
            s,
            "<li class=\"next\"><a href=\"{}\">下一页</a></li>",
            link(n + 1)
        );
    }
    let _ = write!(
        s,
        "<li class=\"last\"><a href=\"{}\">末页</a></li></ul></div>",
        link(total)
    );
    s
}

/// A list of posts (newest first) in pages: (path of page n, its HTML).
fn list_pages(
    all: &[FixturePost],
    chosen: Vec<&FixturePost>,
    link: &dyn Fn(usize) -> String,
    title: &str,
) -> Vec<(String, String)> {
    let total = chosen.len().div_ceil(PER_PAGE).max(1);
    (1..=total)
        .map(|n| {
            let slice: Vec<&FixturePost> = chosen
                .iter()
                .skip((n - 1) * PER_PAGE)
                .take(PER_PAGE)
                .copied()
                .collect();
            (
                link(n),
                page(
                    title,
                    all,
                    &(list_entries(&slice, all) + &pager(n, total, link)),
                    false,
                ),
            )
        })
        .collect()
}

fn encode(html: &str, utf8: bool) -> Vec<u8> {
    if utf8 {
        html.as_bytes().to_vec()
    } else {
        encoding_rs::GBK.encode(html).0.into_owned()
    }
}

/// Every file of the blog: path → (content type, bytes).
pub fn site() -> BTreeMap<String, Resource> {
    let all = posts();
    let mut files: BTreeMap<String, Resource> = BTreeMap::new();
    let mut add = |path: String, html: String, utf8: bool, header_charset: bool| {
        let ctype = match (header_charset, utf8) {
            (false, _) => "text/html".to_string(),
            (true, true) => "text/html; charset=utf-8".to_string(),
            (true, false) => "text/html; charset=GBK".to_string(),
        };
        files.insert(
            path,
            Resource {
                content_type: ctype,
                body: encode(&html, utf8),
            },
        );
    };
    let mut newest: Vec<&FixturePost> = all.iter().collect();
    newest.sort_by(|a, b| b.time.cmp(&a.time));

    let guestbook = comment_block(
        &(comment(
            "访客一",
            "/uid/888.html",
            "2016-05-01 12:00:00",
            "路过，留个脚印。",
            "",
        ) + &comment(
            "访客二",
            "/uid/999.html",
            "2016-05-02 13:00:00",
            "&lt;script&gt;alert('g')&lt;/script&gt; {{ x }}",
            "",
        )),
        None,
    );
    let home_list: Vec<&FixturePost> = newest.iter().take(PER_PAGE).copied().collect();
    add(
        format!("/uid/{UID}.html"),
        page(
            TITLE,
            &all,
            &(list_entries(&home_list, &all) + &guestbook),
            false,
        ),
        false,
        true,
    );
    let all_link = |n: usize| format!("/uid/{UID}/list/{n}.html");
    for (i, (path, html)) in list_pages(&all, newest.clone(), &all_link, TITLE)
        .into_iter()
        .enumerate()
    {
        add(path, html, false, i % 2 == 0);
    }
    for y in ["2014", "2015", "2016"] {
        let link = move |n: usize| format!("/uid/{UID}/year-{y}-list-{n}.html");
        let chosen = newest.iter().filter(|p| p.year() == y).copied().collect();
        for (path, html) in list_pages(&all, chosen, &link, TITLE) {
            add(path, html, false, false);
        }
    }
    for (i, p) in all.iter().enumerate() {
        let right = format!(
            "<div class=\"Blog_right1_1 Blog_right1_11\"><div class=\"Blog_right1_2 \"><div class=\"Blog_tit4 Blog_tit5\"><b class=\"Blog_b1\"></b><a href=\"{}\">{}</a><em>{}</em></div><div class=\"Blog_con2\"><div class=\"Blog_con3\"><p>分类： <span>{}</span></p></div><div class=\"Blog_wz1\" style='word-wrap: break-word;'>{}</div><p class=\"Blog_p7\">阅读({}) | 评论({}) | 转发({}) |</p><div class=\"Blog_con3_1\">上一篇：<a href=\"/uid-{UID}-id-1.html\">x</a></div></div>{}<div class=\"Blog_con2_1 Blog_con3_2\"></div></div></div>",
            p.path(),
            esc(p.title.as_deref().unwrap_or("")),
            p.time,
            esc(p.category),
            body(i, &all),
            p.views,
            p.comments,
            p.shares,
            comments_html(i, p)
        );
        let title = format!("{}-{TITLE}-ChinaUnix博客", p.title.as_deref().unwrap_or(""));
        add(
            p.path(),
            page(&title, &all, &right, p.utf8),
            p.utf8,
            i % 3 == 0,
        );
        if i == COMMENTS {
            add(
                comments_page_2(p),
                page("评论", &all, &second_comments_page(), false),
                false,
                false,
            );
        }
    }
    let bin = |b: &[u8]| Resource {
        content_type: "image/png".into(),
        body: b.to_vec(),
    };
    files.insert(
        format!("/attachment/201406/3/{UID}_1401780000aB3d.png"),
        bin(b"\x89PNG fixture one"),
    );
    files.insert(
        format!("/attachment/201406/3/{UID}_1401780001Xy9z.jpg"),
        bin(b"\xff\xd8 fixture two"),
    );
    files.insert(
        "/avatar/020/20/12/34_avatar_middle.jpg".into(),
        bin(b"\xff\xd8 avatar"),
    );
    files
}

/// The blog as `wget --mirror` would have saved it: `dir/blog.chinaunix.net/PATH`.
pub fn write_mirror(dir: &std::path::Path) -> std::path::PathBuf {
    let host = dir.join("blog.chinaunix.net");
    for (path, r) in site() {
        let p = host.join(path.trim_start_matches('/'));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, &r.body).unwrap();
    }
    host
}
