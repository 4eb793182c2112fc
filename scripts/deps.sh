#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the Debian packages the build, the tests and the demo need, if any are missing.
# Usage: scripts/deps.sh [SET]   (default: all)
#   make    make alone (./build.sh, before anything else)
#   build   compilers (host, aarch64 and riscv64 cross) for the library, CLI, hypervisor and guests
#   run     build + QEMU (aarch64, riscv64 with OpenSBI), to boot the hypervisor and the guests (make run, make demo-cli needs only build)
#   linux   run + Python and e2fsprogs, for make run-linux, bench-linux (scripts/mkcpio.py)
#           and run-axvisor (its ext4 disk: mke2fs -d)
#   perf    linux + perf, for make bench-linux-tlb
#   test    linux + cmocka: everything make test needs
#   fuzz    build + clang and its libFuzzer runtime (make fuzz-*)
#   render  headless Chromium: the PNG checks of tests/map/run and make map-picture
#   bench-toml  g++, toml++ and Python, for make bench-toml
#   editors test + Node.js and npm: the language server and taplo checks (make test-editors)
#   deb     build + what make deb needs (dpkg-buildpackage, debhelper, lintian, scdoc)
#   all     every set above (CI)
# As root apt-get runs directly; otherwise through sudo, when there is one.
set -euo pipefail

make_pkgs="make"
build_pkgs="make gcc libc6-dev gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu libfdt-dev device-tree-compiler xz-utils debian-archive-keyring"
run_pkgs="$build_pkgs qemu-system-arm qemu-system-misc qemu-system-data"
linux_pkgs="$run_pkgs python3 e2fsprogs"
test_pkgs="$linux_pkgs libcmocka-dev universal-ctags g++ scdoc pkg-config man-db python3-jsonschema strace procps"
# Node.js and npm (the LSP client and taplo come from the npm registry at test time);
# a machine that has npm already (e.g. from NodeSource) keeps it.
editors_pkgs="$test_pkgs"
command -v npm >/dev/null 2>&1 || editors_pkgs="$editors_pkgs nodejs npm"
fuzz_pkgs="$build_pkgs clang libclang-rt-14-dev"
render_pkgs="chromium"
bench_toml_pkgs="g++ libtomlplusplus-dev python3"
deb_pkgs="$build_pkgs scdoc dpkg-dev debhelper fakeroot lintian universal-ctags g++"

case "${1:-all}" in
  make) want=$make_pkgs ;;
  build) want=$build_pkgs ;;
  run) want=$run_pkgs ;;
  linux) want=$linux_pkgs ;;
  perf) want="$linux_pkgs linux-perf" ;;
  test) want=$test_pkgs ;;
  fuzz) want=$fuzz_pkgs ;;
  render) want=$render_pkgs ;;
  bench-toml) want=$bench_toml_pkgs ;;
  editors) want=$editors_pkgs ;;
  deb) want=$deb_pkgs ;;
  all) want="$editors_pkgs $fuzz_pkgs $render_pkgs $deb_pkgs" ;;
  *) echo "usage: $0 [make|build|run|linux|perf|test|fuzz|render|bench-toml|editors|deb|all]" >&2; exit 2 ;;
esac

missing=()
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || {
    echo "deps: missing Debian packages (${missing[*]}): run this as root or install sudo" >&2
    exit 1
  }
  sudo=(sudo)
fi
echo "deps: installing ${missing[*]}" >&2
# env: sudo would drop an exported DEBIAN_FRONTEND.
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  "${missing[@]}" >&2
