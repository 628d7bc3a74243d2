#!/usr/bin/env python3
"""Make every fenced code block of a generated corpus distinct, in place.

    python3 bench/distinct_blocks.py DIR...

The generated corpus draws its code from a pool of 600 blocks, so a highlighter that does
each distinct block once (as boke does) does 1/60 of the work there; a real blog repeats
little. This adds a comment line naming the file and block at the top of every C and shell
block, so the same corpus measures the highlighter itself. Run it over each peer's copy
(e.g. WORK/ours and WORK/hugo) so that they build the same code.
"""

import os
import sys

COMMENT = {"c": "/* {} */", "shell": "# {}", "bash": "# {}", "console": "# {}"}


def rewrite(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    out, n = [], 0
    inside = False
    for line in lines:
        out.append(line)
        if line.startswith("```"):
            lang = line[3:].strip()
            if not inside and lang in COMMENT:
                n += 1
                out.append(COMMENT[lang].format(f"{os.path.basename(path)} block {n}"))
            inside = not inside
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out))
    return n


def main():
    total = 0
    for top in sys.argv[1:]:
        for root, _, files in os.walk(top):
            for name in files:
                if name.endswith(".md"):
                    total += rewrite(os.path.join(root, name))
    print(f"{total} blocks made distinct")


if __name__ == "__main__":
    main()
