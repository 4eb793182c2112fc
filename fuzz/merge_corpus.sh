#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Adds to a checked-in seed corpus the fuzzer inputs that reach new code, within a budget.
#   fuzz/merge_corpus.sh FUZZER SEEDS_DIR WORK_DIR FROM_DIR [MAX_FILES] [MAX_BYTES]
# A libFuzzer -merge=1 on edges only (-use_counters=0) of FROM_DIR into a copy of
# SEEDS_DIR picks the inputs that cover new edges; the largest of them (each at most
# 4 KiB: they tend to reach deep states that take the fuzzer longest to find again;
# the tiny ones it finds in seconds) are copied into SEEDS_DIR while it stays within
# MAX_FILES (60) files and MAX_BYTES (100 KiB).
set -euo pipefail
fuzzer=$1 seeds=$2 work=$3 from=$4 max_files=${5:-60} max_bytes=${6:-102400}

rm -rf "$work"
mkdir -p "$work" "$from"
cp "$seeds"/* "$work"/
"$fuzzer" -merge=1 -use_counters=0 -use_value_profile=0 "$work" "$from" 2>&1 | grep MERGE-OUTER || true

files=$(find "$seeds" -type f | wc -l)
bytes=$(find "$seeds" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
added=0 left=0
while read -r size name; do
  [ -e "$seeds/$name" ] && continue
  if [ "$files" -lt "$max_files" ] && [ $((bytes + size)) -le "$max_bytes" ]; then
    cp "$work/$name" "$seeds/$name"
    files=$((files + 1)) bytes=$((bytes + size)) added=$((added + 1))
  else
    left=$((left + 1))
  fi
done < <(find "$work" -type f -size -4097c -printf '%s %f\n' | sort -rn)
echo "$seeds: added $added inputs with new edges ($left left out by the budget);" \
  "now $files files, $bytes bytes (budget $max_files files, $max_bytes bytes)"
