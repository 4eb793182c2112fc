#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the Debian packages the build, the tests and the demo need, if any are missing.
# Usage: scripts/deps.sh [build|run|perf|test|all]   (default: all)
#   build  compilers (host and aarch64 cross) for the library, CLI and hypervisor
#   run    build + QEMU, to boot the hypervisor
#   perf   run + perf, for make bench-linux-tlb
#   test, all  everything the test suite, fuzzers and device-tree tools need
set -euo pipefail

build_pkgs="make gcc libc6-dev gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libfdt-dev device-tree-compiler"
run_pkgs="$build_pkgs qemu-system-arm"
test_pkgs="libcmocka-dev clang libclang-rt-14-dev python3 chromium strace python3-jsonschema npm"
all_pkgs="$run_pkgs $test_pkgs"

case "${1:-all}" in
  build) want=$build_pkgs ;;
  run) want=$run_pkgs ;;
  perf) want="$run_pkgs linux-perf" ;;
  test|all) want=$all_pkgs ;;
  *) echo "usage: $0 [build|run|perf|test|all]" >&2; exit 2 ;;
esac

missing=()
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
