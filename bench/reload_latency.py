#!/usr/bin/env python3
"""Measure `boke serve`'s save -> reload-event latency on a site.

    python3 bench/reload_latency.py BOKE SITE_DIR [EDITS]

Starts `BOKE serve --port 0 --root SITE_DIR`, subscribes to its live-reload events, then edits
one post body EDITS times (default 20, one at a time, restoring it at the end) and reports the
time from the write to the `reload` event: median, p90 and max, in milliseconds.
Bounded: every wait times out, and the server is stopped at the end.
"""
import glob
import os
import socket
import statistics
import subprocess
import sys
import time


def main():
    boke, site = sys.argv[1], sys.argv[2]
    edits = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    server = subprocess.Popen([boke, "serve", "--port", "0", "--root", site],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = None
        deadline = time.time() + 120
        while url is None and time.time() < deadline:
            line = server.stdout.readline()
            if "http://" in line:
                url = line[line.index("http://"):].split()[0]
        if url is None:
            sys.exit("serve printed no URL")
        host, port = url[len("http://"):].rstrip("/").split(":")
        events = socket.create_connection((host, int(port)), timeout=10)
        events.sendall(b"GET /__boke/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
        events.recv(4096)  # response head
        post = sorted(glob.glob(os.path.join(site, "content/posts/*.md")))[len(glob.glob(os.path.join(site, "content/posts/*.md"))) // 2]
        original = open(post, encoding="utf-8").read()
        times = []
        try:
            for i in range(edits):
                time.sleep(0.3)
                start = time.perf_counter()
                with open(post, "w", encoding="utf-8") as f:
                    f.write(original + f"\n\n第 {i} 次修改。\n")
                buf = b""
                while b"event: reload" not in buf:
                    chunk = events.recv(4096)
                    if not chunk:
                        sys.exit("event stream closed")
                    buf += chunk
                times.append((time.perf_counter() - start) * 1000)
        finally:
            with open(post, "w", encoding="utf-8") as f:
                f.write(original)
        times.sort()
        print(f"{len(times)} edits of {os.path.basename(post)}: median {statistics.median(times):.1f} ms, "
              f"p90 {times[int(len(times) * 0.9) - 1]:.1f} ms, max {times[-1]:.1f} ms")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
