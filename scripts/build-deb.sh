#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the Debian packages (debian/) from a clean copy of the tree — the
# committed files plus any uncommitted changes to them, nothing untracked —
# with dpkg-buildpackage -us -uc -b, puts them into $BUILD/deb, and runs lintian
# on them: fails when the build fails or lintian reports an error (E:).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
version=$(cat VERSION)
out=$PWD/$BUILD/deb
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# dpkg-buildpackage writes its results next to the source tree: build in $tmp.
src=$tmp/vmcfg-$version
mkdir "$src"
tree=$(git stash create)   # the working tree's tracked files as a commit; empty when clean
git archive "${tree:-HEAD}" | tar -x -C "$src"
(cd "$src" && dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1 || {
  tail -n 60 "$tmp/build.log"; echo "deb: dpkg-buildpackage failed" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$out"
cp "$tmp"/*.deb "$tmp"/*.changes "$tmp"/*.buildinfo "$out"/
cp "$tmp/build.log" "$out/build.log"
ls -1 "$out"/*.deb

lintian --info "$out"/*.changes | tee "$out/lintian.log" || true
if grep -q '^E: ' "$out/lintian.log"; then
  echo "deb: lintian reports errors" >&2
  exit 1
fi
echo "deb: $(ls "$out"/*.deb | wc -l) packages in $out, lintian: $(grep -c '^W: ' "$out/lintian.log" || true) warnings, no errors"
