#!/usr/bin/env python3
"""Write a Chinaunix blog of N posts as `wget --mirror` saves one, for the import benchmark.

    python3 bench/chinaunix_mirror.py N DIR

Writes DIR/blog.chinaunix.net/: the home page, the 全部博文 list pages (10 posts a page) and
N post pages, GBK-encoded like the pages of that era, each with the sidebar, a body of a few
paragraphs (every fifth with a code widget, every seventh with a table) and a comment. Then

    boke import chinaunix DIR/blog.chinaunix.net --root SITE

imports it; serving DIR/blog.chinaunix.net over loopback (python3 -m http.server) measures
the import over HTTP. Deterministic: the same N writes the same bytes.
"""
import os
import sys

UID = "10000001"
PER_PAGE = 10
CATS = [("内核", "11"), ("网络", "12"), ("工具", "13"), ("随笔", "14")]


def post_time(i):
    # Newest first in the lists; spread over 2008-2016.
    day = i * 7 // 24
    year = 2008 + (day // 336) % 9
    month = 1 + (day // 28) % 12
    return "%04d-%02d-%02d %02d:%02d:00" % (year, month, 1 + day % 28, i % 24, (i * 7) % 60)


def sidebar(n, years):
    cats = "".join(
        '<li><a href="/uid/%s/cid-%s-list-1.html">%s</a>（%d）</li>' % (UID, cid, name, (n + 3 - k) // 4)
        for k, (name, cid) in enumerate(CATS))
    yrs = "".join(
        '<p class="Blog_p4"><a href="/uid/%s/year-%s-list-1.html">%s年</a>（%d）</p>' % (UID, y, y, c)
        for y, c in sorted(years.items(), reverse=True))
    return ('<div class="Blog_left"><div class="Blog_left1"><div class="Blog_left1_1"><img src="/a.jpg">'
            '<p><a href="/uid/%s.html">测试者</a></p></div><ul class="Blog_ul1"><li>博客访问： 1000 </li>'
            '<li>博文数量： %d </li><li>博客等级： 上将 </li></ul></div><div class="Blog_left2">'
            '<div class="Blog_left2_1"><p class="Blog_p4"><a href="/uid/%s/list/1.html">全部博文</a>（%d）</p>'
            '<ul id="blogCla">%s</ul></div></div><div class="Blog_left2"><div id="blogdtr">%s</div></div></div>'
            % (UID, n, UID, n, cats, yrs))


def page(side, right):
    return ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>'
            '<div class="Blog_header1"><p class="Blog_p1"><a href="/uid/%s.html">基准博客</a></p>'
            '<p class="Blog_p2">一万篇文章</p><div class="Blog_header1_3"><a href="/uid/%s.html">首页</a></div></div>'
            '<div class="Blog_contain">%s<div class="Blog_right1">%s</div></div></body></html>' % (UID, UID, side, right))


def body(i):
    b = "<DIV>第%d篇的开头，说一说今天调试的问题。</DIV>" % i
    for k in range(6):
        b += ("<DIV>&nbsp;&nbsp;&nbsp;&nbsp;第%d段：内核在处理这个请求时先检查参数，再分配内存，"
              "失败时回滚并返回错误码。<BR>　　这一段写得长一些，好让正文接近真实的篇幅。</DIV>" % k)
    if i % 5 == 0:
        b += ('<div class="codeText"><div class="codeHead">点击(此处)折叠或打开</div><ol class="dp-c">'
              + "".join("<li>int f%d(int x) { return x + %d; }</li>" % (k, k) for k in range(12)) + "</ol></div>")
    if i % 7 == 0:
        b += "<table><tr><th>参数</th><th>含义</th></tr><tr><td>-n</td><td>次数</td></tr></table>"
    return b


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    host = os.path.join(out, "blog.chinaunix.net")
    posts = [(str(20000000 + i), post_time(i), CATS[i % 4][0]) for i in range(n)]
    posts.sort(key=lambda p: p[1], reverse=True)
    years = {}
    for _, t, _ in posts:
        years[t[:4]] = years.get(t[:4], 0) + 1
    side = sidebar(n, years)

    def write(rel, html):
        path = os.path.join(host, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(html.encode("gbk", "xmlcharrefreplace"))

    pages = max(1, -(-n // PER_PAGE))
    for p in range(1, pages + 1):
        entries = ""
        for pid, t, _ in posts[(p - 1) * PER_PAGE:p * PER_PAGE]:
            entries += ('<div class="Blog_right1_2"><div class="Blog_tit4"><a href="/uid-%s-id-%s.html">文章%s</a>'
                        '<em>%s</em></div><p class="Blog_p10">第%s篇的开头，说一说今天调试的问题。......'
                        '<a href="/uid-%s-id-%s.html">【阅读全文】</a></p><p class="Blog_p7">阅读(1) | 评论(1) | 转发(0)</p></div>'
                        % (UID, pid, pid, t, int(pid) - 20000000, UID, pid))
        nxt = '<ul><li class="next"><a href="/uid/%s/list/%d.html">下一页</a></li></ul>' % (UID, p + 1) if p < pages else ""
        write("uid/%s/list/%d.html" % (UID, p), page(side, entries + nxt))
        if p == 1:
            write("uid/%s.html" % UID, page(side, entries))
    for pid, t, cat in posts:
        i = int(pid) - 20000000
        right = ('<div class="Blog_right1_2"><div class="Blog_tit4 Blog_tit5"><a href="/uid-%s-id-%s.html">文章%s</a>'
                 '<em>%s</em></div><div class="Blog_con2"><div class="Blog_con3"><p>分类： <span>%s</span></p></div>'
                 '<div class="Blog_wz1">%s</div><p class="Blog_p7">阅读(1) | 评论(1) | 转发(0) |</p></div>'
                 '<div class="Blog_comment"><div class="Blog_comm1"><dl><dd><p class="Blog_p11"><a href="/uid/5.html">读者</a>'
                 '<span>2016-01-01 10:00:00</span></p><div class="Blog_p12">好文，收藏。</div></dd></dl></div></div></div>'
                 % (UID, pid, pid, t, cat, body(i)))
        write("uid-%s-id-%s.html" % (UID, pid), page(side, right))


if __name__ == "__main__":
    main()
