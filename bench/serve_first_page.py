#!/usr/bin/env python3
"""Time `boke serve` from its start to its first page served.

    python3 bench/serve_first_page.py BOKE SITE_DIR [RUNS]

Starts `BOKE serve --port 1111 --root SITE_DIR` (`PORT=` another port), waits for the address it prints, then asks for
`/` until a page comes back; prints each run's time from the start of the process to the
page, and the median, in milliseconds. Run it once before to time a site built before (the
build cache in SITE_DIR/.boke/ warm). Bounded: every wait times out, the server is stopped.
"""
import os
import statistics
import subprocess
import sys
import time
import urllib.request

# A fixed port, as a person serves on: the build kept from the last run is the one for this
# address (.boke/serve/127.0.0.1-PORT/), so a new port each run would always build afresh.
PORT = os.environ.get("PORT", "1111")


def once(boke, site):
    start = time.monotonic()
    server = subprocess.Popen([boke, "serve", "--port", PORT, "--root", site],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = None
        deadline = start + 120
        while url is None and time.monotonic() < deadline:
            line = server.stdout.readline()
            if not line:
                sys.exit("serve stopped before printing its address")
            if "http://" in line:
                url = line[line.index("http://"):].split()[0]
        if url is None:
            sys.exit("serve printed no address")
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=10) as r:
                    if r.status == 200 and b"<html" in r.read(4096).lower():
                        return (time.monotonic() - start) * 1000
            except OSError:
                pass
            time.sleep(0.005)
        sys.exit("no page within 120 s")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def main():
    boke, site = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    times = [once(boke, site) for _ in range(runs)]
    print(" ".join(f"{t:.0f}" for t in times), "ms; median", f"{statistics.median(times):.0f} ms")


if __name__ == "__main__":
    main()
