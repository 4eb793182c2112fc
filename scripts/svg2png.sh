#!/bin/sh
# SPDX-License-Identifier: MIT
# Renders an SVG to PNG with headless Chromium (Debian package `chromium`).
# Usage: scripts/svg2png.sh IN.svg OUT.png [WIDTH,HEIGHT]
# Without a size the window is the SVG's own width and height, so the PNG is
# the picture and nothing else. Exit status 3 when no Chromium is installed.
set -eu
[ $# -ge 2 ] || { echo "usage: $0 IN.svg OUT.png [WIDTH,HEIGHT]" >&2; exit 2; }
svg=$1 png=$2
chrome=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chrome" ] || { echo "svg2png: chromium not found (apt-get install chromium)" >&2; exit 3; }
if [ $# -ge 3 ]; then
  size=$3
else # the root element's width="W" height="H"
  size=$(sed -n 's/^<svg [^>]*width="\([0-9]*\)" height="\([0-9]*\)".*/\1,\2/p' "$svg" | head -1)
  [ -n "$size" ] || { echo "svg2png: no width/height on the <svg> of $svg" >&2; exit 2; }
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
out=$(cd "$(dirname "$png")" && pwd)/$(basename "$png")
# A throw-away profile and no network, sync or updates: nothing outside $profile is touched.
"$chrome" --headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run \
  --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$profile" \
  --screenshot="$out" --window-size="$size" "file://$(cd "$(dirname "$svg")" && pwd)/$(basename "$svg")" \
  >/dev/null 2>&1
[ -s "$out" ] || { echo "svg2png: chromium wrote no $png" >&2; exit 1; }
