#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fetches libfdt's source as Debian packages it (the device-tree-compiler
# source package's upstream tarball, checked by apt against the signed
# Sources index) and unpacks it into DIR/src, for the hypervisor's own
# freestanding build of libfdt (hv/hv.mk). libfdt stays a dependency: none
# of its code is in this repository.
#   scripts/libfdt-src.sh DIR
# A private apt configuration under DIR/apt adds the deb-src lines without
# touching the system's. The version is the host's libfdt-dev source version
# when the archive still serves it, else the newest one listed (printed).
set -euo pipefail
dir=${1:?usage: $0 DIR}
mkdir -p "$dir/apt/lists/partial" "$dir/dl"
dir=$(cd "$dir" && pwd)
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
{
  for suite in bookworm trixie; do
    echo "deb-src [signed-by=$keyring] http://deb.debian.org/debian $suite main"
  done
} >"$dir/apt/sources.list"
# apt's own folders, empty, never /dev/null: apt (as root) sets the mode of
# its cache and that turned the machine's /dev/null into 0644.
mkdir -p "$dir/apt/parts" "$dir/apt/cache/archives/partial"
apt=(apt-get -q -o "Dir::Etc::SourceList=$dir/apt/sources.list" -o "Dir::Etc::SourceParts=$dir/apt/parts"
  -o "Dir::State::Lists=$dir/apt/lists" -o "Dir::Cache=$dir/apt/cache" -o APT::Sandbox::User=root)
"${apt[@]}" update >"$dir/apt/update.log" 2>&1 || { cat "$dir/apt/update.log" >&2; exit 1; }

# Candidates: the host's libfdt source version first, then every listed one, newest first.
host=$(dpkg-query -W -f='${source:Version}' libfdt-dev 2>/dev/null || true)
listed=$(apt-cache -o "Dir::Etc::SourceList=$dir/apt/sources.list" -o "Dir::Etc::SourceParts=$dir/apt/parts" \
  -o "Dir::State::Lists=$dir/apt/lists" showsrc device-tree-compiler |
  sed -n 's/^Version: //p' | sort -rV | uniq)
for v in $host $listed; do
  rm -f "$dir"/dl/*
  # --tar-only: the upstream tarball alone; Debian's patch set (a separate download) is not applied.
  if (cd "$dir/dl" && "${apt[@]}" source --download-only --tar-only "device-tree-compiler=$v") \
      >"$dir/apt/source.log" 2>&1; then
    tarball=$(ls "$dir"/dl/device-tree-compiler_*.orig.tar.* 2>/dev/null | head -n1)
    if [ -n "$tarball" ]; then
      rm -rf "$dir/src" && mkdir -p "$dir/src"
      tar -xf "$tarball" -C "$dir/src" --strip-components=1
      echo "$v" >"$dir/src/VERSION.debian"
      [ "$v" = "$host" ] || echo "libfdt-src: the host's version ($host) is not served; using $v" >&2
      echo "libfdt-src: device-tree-compiler $v unpacked in $dir/src" >&2
      exit 0
    fi
  fi
done
echo "libfdt-src: no version of device-tree-compiler's source could be downloaded" >&2
cat "$dir/apt/source.log" >&2
exit 1
