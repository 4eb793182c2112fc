#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Writes the seeds of fuzz_config and fuzz_agree into DIR: each VM file alone, and each
# system file followed by its VM files, the parts separated by "%%" lines.
set -eu
out=$1
mkdir -p "$out"
n=0
for f in examples/*/*.toml tests/data/axvisor-configs/*.toml tests/data/axvisor-tgoskits/*.toml \
  tests/check/vms/*.toml; do
  [ -f "$f" ] || continue
  grep -q '^vms *=' "$f" && continue
  cp "$f" "$out/vm-$n.toml"; n=$((n + 1))
done
# every system file of the repository (examples/, tests/)
for sys in $(grep -rl --include='*.toml' '^vms *=' examples tests | sort); do
  grep -q '^vms *=' "$sys" || continue
  dir=$(dirname "$sys")
  {
    cat "$sys"
    # the names of the vms = [...] list, on one line or one per line; a name
    # with no file (a checker case about a missing VM) is left out
    for vm in $(awk '/^vms *= *\[/ { on = 1 } on { print } on && /\]/ { exit }' "$sys" |
                sed 's/#.*//; s/^vms *= *\[//; s/\].*//' | tr -d '",'); do
      [ -f "$dir/$vm" ] || continue
      printf '%%%%\n'
      cat "$dir/$vm"
    done
  } > "$out/system-$n.toml"
  n=$((n + 1))
done
