#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The AxVisor files of examples/axvisor/ are the originals of
# tests/data/axvisor-configs/ with kernel_path alone changed: prints every
# other difference (nothing when there is none) and exits 1 if it found one.
#   tests/axvisor/copies.sh [EXAMPLES_DIR [ORIGINALS_DIR]]
set -u
cd "$(dirname "$0")/../.."
ex=${1:-examples/axvisor} orig=${2:-tests/data/axvisor-configs}
status=0
for name in linux-aarch64-qemu-smp1 nimbos-aarch64-qemu-smp1 arceos-aarch64-qemu-smp1; do
  a=$orig/$name.toml b=$ex/$name.toml
  if [ ! -f "$b" ]; then
    echo "$b: missing"
    status=1
    continue
  fi
  # The line counts must agree and every line but the one `kernel_path = ...` must be equal.
  if [ "$(wc -l <"$a")" != "$(wc -l <"$b")" ] || [ "$(tail -c1 "$a" | od -An -c)" != "$(tail -c1 "$b" | od -An -c)" ]; then
    echo "$b: not the same lines as $a"
    status=1
    continue
  fi
  changed=$(paste -d '\n' "$a" "$b" | awk 'NR % 2 { a = $0; next } a != $0 { print NR / 2 ": " a " -> " $0 }')
  others=$(grep -v '^[0-9]*: kernel_path = "[^"]*" -> kernel_path = "[^"]*"$' <<<"$changed" | grep -v '^$')
  if [ -n "$others" ]; then
    echo "$b: lines other than kernel_path differ from $a:"
    sed 's/^/  line /' <<<"$others"
    status=1
  fi
  if ! grep -q '^kernel_path = ' "$b"; then
    echo "$b: no kernel_path line"
    status=1
  fi
done
[ -f "$ex/LICENSE" ] && cmp -s "$ex/LICENSE" "$orig/LICENSE" || {
  echo "$ex/LICENSE: not AxVisor's licence (the copy of $orig/LICENSE)"
  status=1
}
exit $status
