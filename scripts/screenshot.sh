#!/usr/bin/env bash
# Build the default site and render its listing page to a PNG with headless Chromium
# (Debian's `chromium`), so a person can look at what boke makes.
#
#   scripts/screenshot.sh [OUT.png] [WIDTH]      default: target/screenshot.png, 1280
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/screenshot.png}
width=${2:-1280}
command -v chromium >/dev/null || { echo "chromium is not installed: apt-get install -y chromium fonts-noto-cjk" >&2; exit 1; }
cargo build --release -q
site=$(mktemp -d)
profile=$(mktemp -d)
trap 'rm -rf "$site" "$profile"' EXIT
target/release/boke build --output "$site/public"
mkdir -p "$(dirname "$out")"
# The flags keep Chromium off the network (this machine has none) and out of the user's profile.
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --hide-scrollbars \
    --window-size="$width,2400" --screenshot="$(realpath -m "$out")" \
    "file://$site/public/index.html" 2>/dev/null
echo "wrote $out"
