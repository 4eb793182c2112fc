#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fetches Debian's current kernel for the Linux guests (never committed):
#   scripts/fetch-linux.sh OUT_DIR [arm64]   → OUT_DIR/vmlinuz (a raw arm64 Image),
#                                              OUT_DIR/modules/*.ko, OUT_DIR/modules/order
#   scripts/fetch-linux.sh OUT_DIR riscv64   → OUT_DIR/vmlinuz (a raw riscv64 Image)
# Debian ships the kernel only as a package, so: add arm64 as a foreign
# architecture for as long as this takes (removed again on every exit, unless
# it was there before), find the image package linux-image-arm64 depends on,
# download it without installing, and unpack boot/vmlinuz-* and the modules a
# root file system on a virtio-mmio disk needs (Debian builds virtio_mmio,
# virtio_blk and ext4 as modules: make run-axvisor's initramfs loads them in
# the order of modules/order, dependencies first). riscv64 is an official
# Debian architecture from trixie on, so its kernel comes from trixie through
# apt with a configuration of its own in a temporary folder (its own sources
# list, package lists and cache: the machine's apt setup is not touched, and
# no root is needed); apt checks the signed Release file (debian-archive-keyring
# has trixie's keys) and the .deb's SHA-256 as for arm64, and the Image's
# header is checked here. Its package holds the Image as boot/vmlinux-*. A
# cached kernel is kept. Exit status 0 with the kernel in place, else non-zero
# with the reason on standard error (callers skip the Linux tests then).
set -euo pipefail
out=${1:?usage: scripts/fetch-linux.sh OUT_DIR [arm64|riscv64]}
arch=${2:-arm64}
mkdir -p "$out"
# Dependencies before their users (ext4: jbd2, mbcache, crc16 by its modinfo;
# crc32c through the crypto API, which cannot ask for it without modprobe).
modules="lib/crc16 fs/mbcache fs/jbd2/jbd2 crypto/crc32c_generic fs/ext4/ext4
drivers/virtio/virtio_mmio drivers/block/virtio_blk"
if [ "$arch" = riscv64 ]; then
  [ -s "$out/vmlinuz" ] && exit 0
  suite=trixie
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  chmod 755 "$work" # apt-get download runs as _apt where it can
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/parts"
  : >"$work/status" # no installed packages, and never /dev/null (apt sets modes)
  echo "deb [arch=riscv64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]" \
    "http://deb.debian.org/debian $suite main" >"$work/sources.list"
  apt_opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=$work/parts"
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o "Dir::State::status=$work/status"
    -o APT::Architecture=riscv64 -o APT::Architectures::=riscv64 -o Debug::NoLocking=1)
  apt-get "${apt_opts[@]}" update -qq ||
    { echo "fetch-linux: apt-get update of Debian $suite (riscv64) failed" >&2; exit 1; }
  pkg=$(apt-cache "${apt_opts[@]}" depends linux-image-riscv64 |
    sed -n 's/^ *Depends: \(linux-image-[0-9][^ :]*\).*/\1/p' | head -n1)
  [ -n "$pkg" ] || { echo "fetch-linux: no linux-image-*-riscv64 package in $suite" >&2; exit 1; }
  echo "fetch-linux: $pkg ($suite)" >&2
  (cd "$work" && apt-get "${apt_opts[@]}" download -q "$pkg" >/dev/null 2>&1) ||
    { echo "fetch-linux: apt-get download $pkg failed" >&2; exit 1; }
  deb=$(ls "$work"/*.deb)
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work" --wildcards './boot/vmlinux-*'
  img=$(ls "$work"/boot/vmlinux-*)
  # A riscv64 Image: "RSC\x05" at offset 56 (Documentation/arch/riscv/boot-image-header.rst).
  if [ "$(od -An -tx1 -j56 -N4 "$img" | tr -d ' ')" != 52534305 ]; then
    echo "fetch-linux: $img is not a raw riscv64 Image (no RSC\\x05 magic)" >&2
    exit 1
  fi
  cp "$img" "$out/vmlinuz.tmp"
  mv "$out/vmlinuz.tmp" "$out/vmlinuz"
  echo "$pkg" >"$out/version"
  exit 0
fi
[ "$arch" = arm64 ] || { echo "fetch-linux: no kernel for architecture '$arch' (arm64, riscv64)" >&2; exit 2; }
# Kept, and made newer than this script, so that make does not run it again and again.
if [ -s "$out/vmlinuz" ] && [ -s "$out/modules/order" ]; then
  touch "$out/vmlinuz" "$out/modules/order"
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "fetch-linux: needs root or sudo (dpkg --add-architecture arm64)" >&2; exit 1; }
  as_root=(sudo -n)
fi

added=0
work=$(mktemp -d)
chmod 755 "$work" # apt-get download runs as _apt where it can
cleanup() {
  rm -rf "$work"
  if [ "$added" = 1 ]; then
    "${as_root[@]}" dpkg --remove-architecture arm64 ||
      echo "fetch-linux: could not remove the arm64 architecture again" >&2
    # The package lists of arm64 go with it; a later apt-get update refreshes the rest.
  fi
}
trap cleanup EXIT

if ! dpkg --print-foreign-architectures | grep -qx arm64 &&
  [ "$(dpkg --print-architecture)" != arm64 ]; then
  "${as_root[@]}" dpkg --add-architecture arm64
  added=1
fi
"${as_root[@]}" apt-get update -qq
# linux-image-arm64 is the metapackage; its dependency is the versioned image.
pkg=$(apt-cache depends linux-image-arm64:arm64 |
  sed -n 's/^ *Depends: \(linux-image-[0-9][^ :]*\).*/\1/p' | head -n1)
[ -n "$pkg" ] || { echo "fetch-linux: no linux-image-*-arm64 package found" >&2; exit 1; }
echo "fetch-linux: $pkg" >&2
(cd "$work" && apt-get download -q "$pkg:arm64" >/dev/null)
deb=$(ls "$work"/*.deb)
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work" --wildcards './boot/vmlinuz-*' \
  $(for m in $modules; do printf "./lib/modules/*/kernel/%s.ko " "$m"; done)
img=$(ls "$work"/boot/vmlinuz-*)
rm -rf "$out/modules"
mkdir -p "$out/modules"
for m in $modules; do
  cp "$work"/lib/modules/*/kernel/"$m".ko "$out/modules/"
  basename "$m.ko" >>"$out/modules/order"
done

# An arm64 Image: "ARM\x64" at offset 56 (Documentation/arch/arm64/booting.rst).
if [ "$(od -An -tx1 -j56 -N4 "$img" | tr -d ' ')" != 41524d64 ]; then
  echo "fetch-linux: $img is not a raw arm64 Image (no ARM\\x64 magic)" >&2
  exit 1
fi
cp "$img" "$out/vmlinuz.tmp"
mv "$out/vmlinuz.tmp" "$out/vmlinuz"
echo "$pkg" >"$out/version"
