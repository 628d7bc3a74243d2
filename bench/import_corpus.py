#!/usr/bin/env python3
"""Turn a corpus made by gen_corpus.py (flavor `ours`) into the two import benchmarks:

    python3 bench/import_corpus.py CORPUS OUT

OUT/hexo/: a Hexo site (_config.yml, source/_posts/*.md with tab-indented tag and category
lists, as the blogs of issue 15 write them); OUT/export.xml: a WordPress export (WXR 1.2) of
the same posts with their bodies as simple HTML, two categories nested, a comment each.
Stdlib only; the same corpus gives the same bytes.
"""

import html
import os
import sys


def posts(corpus):
    d = os.path.join(corpus, "content", "posts")
    for name in sorted(os.listdir(d)):
        with open(os.path.join(d, name), encoding="utf-8") as f:
            text = f.read()
        _, front, body = text.split("---\n", 2)
        meta = {}
        for line in front.splitlines():
            k, _, v = line.partition(": ")
            meta[k] = v.strip().strip('"')
        yield name[:-3], meta, body


def to_html(md):
    out, code = [], None
    for block in md.split("\n\n"):
        if code is not None:
            code.append(block)
            if block.rstrip().endswith("```"):
                out.append("<pre><code>" + html.escape("\n\n".join(code)) + "</code></pre>")
                code = None
            continue
        if block.startswith("```"):
            if block.rstrip().endswith("```") and block.count("```") >= 2:
                out.append("<pre><code>" + html.escape(block) + "</code></pre>")
            else:
                code = [block]
            continue
        if block.strip() == "<!-- more -->":
            out.append("<!--more-->")
        elif block.strip():
            out.append("<p>" + html.escape(block) + "</p>")
    return "\n".join(out)


def main(corpus, out):
    hexo = os.path.join(out, "hexo")
    os.makedirs(os.path.join(hexo, "source", "_posts"), exist_ok=True)
    with open(os.path.join(hexo, "_config.yml"), "w", encoding="utf-8") as f:
        f.write("title: 基准\nlanguage: zh-CN\ntimezone: Asia/Shanghai\n"
                "url: http://bench.example.org\nroot: /\npermalink: :year/:month/:day/:title/\n")
    items = []
    for i, (stem, meta, body) in enumerate(posts(corpus)):
        cat = meta.get("category", "")
        with open(os.path.join(hexo, "source", "_posts", stem + ".md"), "w", encoding="utf-8") as f:
            f.write(f"---\ntitle: \"{meta['title']}\"\ndate: {meta['date']}\n"
                    f"tags:\n\t- 内核\n\t- t{i % 50}\ncategories:\n\t- {cat}\n---\n{body}")
        slug = stem[11:]
        day = meta["date"]
        items.append(f"""<item>
<title>{html.escape(meta['title'])}</title>
<link>http://bench.example.org/{day[:4]}/{day[5:7]}/{slug}/</link>
<dc:creator><![CDATA[bench]]></dc:creator>
<content:encoded><![CDATA[{to_html(body)}]]></content:encoded>
<wp:post_id>{i + 1}</wp:post_id>
<wp:post_date><![CDATA[{day}]]></wp:post_date>
<wp:post_date_gmt><![CDATA[{day}]]></wp:post_date_gmt>
<wp:post_name><![CDATA[{slug}]]></wp:post_name>
<wp:status><![CDATA[publish]]></wp:status>
<wp:post_type><![CDATA[post]]></wp:post_type>
<category domain="category" nicename="tech"><![CDATA[技术]]></category>
<category domain="category" nicename="c{i % 12}"><![CDATA[{html.escape(cat)}]]></category>
<wp:comment><wp:comment_id>{i + 1}</wp:comment_id><wp:comment_author><![CDATA[读者]]></wp:comment_author>
<wp:comment_date><![CDATA[{day}]]></wp:comment_date><wp:comment_date_gmt><![CDATA[{day}]]></wp:comment_date_gmt>
<wp:comment_content><![CDATA[谢谢分享]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved>
<wp:comment_type>comment</wp:comment_type><wp:comment_parent>0</wp:comment_parent></wp:comment>
</item>""")
    cats = "".join(
        f"<wp:category><wp:category_nicename>c{k}</wp:category_nicename>"
        f"<wp:category_parent>tech</wp:category_parent><wp:cat_name>c{k}</wp:cat_name></wp:category>\n"
        for k in range(12))
    with open(os.path.join(out, "export.xml"), "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
                'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
                'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
                'xmlns:dc="http://purl.org/dc/elements/1.1/" '
                'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
                '<title>基准</title><link>http://bench.example.org</link>'
                '<wp:wxr_version>1.2</wp:wxr_version>\n'
                '<wp:category><wp:category_nicename>tech</wp:category_nicename>'
                '<wp:category_parent></wp:category_parent><wp:cat_name>技术</wp:cat_name></wp:category>\n'
                + cats + "\n".join(items) + "\n</channel>\n</rss>\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
