#!/usr/bin/env bash
# Load benchmark of `boke serve` (not a test): 64 concurrent connections from loopback fetch the
# listing and a post page for 10 s each with wrk, then the errors are counted.
#
#   bench/serve_load.sh [BOKE] [SITE]     defaults: target/release/boke, this repository's site
set -euo pipefail
cd "$(dirname "$0")/.."
boke=${1:-target/release/boke}
site=${2:-.}
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 1; }
[ -x "$boke" ] || cargo build --release -q
log=$(mktemp)
"$boke" serve --root "$site" --port 0 >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 100); do
    url=$(grep -o 'http://[^ ]*' "$log" || true)
    [ -n "$url" ] && break
    sleep 0.1
done
[ -n "$url" ] || { echo "serve did not start:"; cat "$log"; exit 1; }
post=$(curl -s "$url" | grep -o 'href="/posts/[^"]*"' | head -1 | cut -d'"' -f2)
echo "== $(nproc) cpus; server $url; 64 connections, 2 wrk threads, 10 s per page"
for path in / "$post"; do
    echo "-- GET $path"
    wrk -t2 -c64 -d10s --latency "$url${path#/}" | grep -E 'Requests/sec|Latency |Non-2xx|Socket errors|requests in|50%|99%'
done
