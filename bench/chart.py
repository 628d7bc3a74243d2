#!/usr/bin/env python3
"""Draw BENCHMARKS.md's chart from the benchmark's figures, with nothing but Python.

    python3 bench/chart.py [bench/figures.csv] [bench/chart.svg]

The figures file has one measured build a line: `series,posts,wall_s` (a `#` starts a
comment). Each series becomes one line of the chart: wall time against posts, both on
logarithmic axes, since the sites span 1,000 to 100,000 posts and the walls 0.1 s to minutes.
"""

import csv
import math
import sys
from collections import OrderedDict

W, H = 720, 440
LEFT, RIGHT, TOP, BOTTOM = 70, 210, 30, 50
COLOURS = ["#d73a49", "#f0a0a8", "#005cc5", "#8cb4e8", "#22863a", "#6f42c1", "#e36209"]
DASHED = ("highlighting off",)


def read(path):
    series = OrderedDict()
    with open(path, newline="", encoding="utf-8") as f:
        rows = (r for r in csv.reader(f) if r and not r[0].lstrip().startswith("#"))
        for name, posts, wall in rows:
            series.setdefault(name.strip(), []).append((int(posts), float(wall)))
    for points in series.values():
        points.sort()
    return series


def ticks(lo, hi):
    """Powers of ten, with 2 and 5 between them, covering lo..hi."""
    out = []
    e = math.floor(math.log10(lo))
    while 10**e <= hi * 1.0001:
        for m in (1, 2, 5):
            v = m * 10**e
            if lo / 1.0001 <= v <= hi * 1.0001:
                out.append(v)
        e += 1
    return out


def label(v):
    if v >= 1000:
        return f"{v // 1000:g}k" if v % 1000 == 0 else f"{v:g}"
    return f"{v:g}"


def svg(series):
    xs = [p for pts in series.values() for p, _ in pts]
    ys = [w for pts in series.values() for _, w in pts]
    x0, x1 = min(xs), max(xs)
    y0 = 10 ** math.floor(math.log10(min(ys)))
    y1 = 10 ** math.ceil(math.log10(max(ys)))
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def px(v):
        return LEFT + (math.log10(v) - math.log10(x0)) / (math.log10(x1) - math.log10(x0)) * pw

    def py(v):
        return TOP + ph - (math.log10(v) - math.log10(y0)) / (math.log10(y1) - math.log10(y0)) * ph

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
        f'viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">',
        f'<rect width="{W}" height="{H}" fill="#fff"/>',
    ]
    for v in ticks(y0, y1):
        y = py(v)
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + pw}" y2="{y:.1f}" stroke="#eee"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{label(v)} s</text>')
    for v in sorted(set(xs)):
        x = px(v)
        out.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{TOP + ph}" stroke="#eee"/>')
        out.append(f'<text x="{x:.1f}" y="{TOP + ph + 18}" text-anchor="middle">{label(v)}</text>')
    out.append(f'<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="none" stroke="#999"/>')
    out.append(f'<text x="{LEFT + pw / 2}" y="{H - 10}" text-anchor="middle">posts</text>')
    out.append(f'<text x="{LEFT}" y="{TOP - 10}">wall time (log scale), lower is better</text>')
    for i, (name, pts) in enumerate(series.items()):
        colour = COLOURS[i % len(COLOURS)]
        dash = ' stroke-dasharray="6 4"' if any(d in name for d in DASHED) else ""
        path = " ".join(f"{px(p):.1f},{py(w):.1f}" for p, w in pts)
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        for p, w in pts:
            out.append(f'<circle cx="{px(p):.1f}" cy="{py(w):.1f}" r="3" fill="{colour}"/>')
        ly = TOP + 10 + i * 20
        lx = LEFT + pw + 14
        out.append(f'<line x1="{lx}" y1="{ly}" x2="{lx + 24}" y2="{ly}" stroke="{colour}" stroke-width="2"{dash}/>')
        out.append(f'<text x="{lx + 30}" y="{ly + 4}">{escape(name)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "bench/figures.csv"
    dst = sys.argv[2] if len(sys.argv) > 2 else "bench/chart.svg"
    with open(dst, "w", encoding="utf-8") as f:
        f.write(svg(read(src)))


if __name__ == "__main__":
    main()
