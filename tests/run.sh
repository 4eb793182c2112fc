#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs every test suite and prints one closing tally: "N passed, N failed".
#   tests/run.sh UNIT_BINARY...   (the Makefile passes the plain and the sanitizer builds)
# Then runs each executable tests/*/run script (integration suites), whose last
# line must be "N passed, N failed" (", N skipped" may follow).
set -u
cd "$(dirname "$0")/.."
export BUILD=${BUILD:-build} PYTHON=${PYTHON:-python3}
passed=0 failed=0 skipped=0
failures=()

tally() { # $1 = suite name, $2 = passed, $3 = failed, $4 = skipped
  passed=$((passed + $2)); failed=$((failed + $3)); skipped=$((skipped + ${4:-0}))
  [ "$3" -gt 0 ] && failures+=("$1")
}

for bin in "$@"; do
  log=$(mktemp)
  "$bin" >"$log" 2>&1; rc=$?
  p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
  f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
  s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
  p=${p:-0} f=${f:-0} s=${s:-0}
  if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi   # crashed or failed to start
  if [ "$f" -ne 0 ]; then cat "$log"; fi
  printf '%-40s %4d passed, %d failed\n' "$bin" "$p" "$f"
  tally "$bin" "$p" "$f" "$s"
  rm -f "$log"
done

for script in tests/*/run; do
  [ -x "$script" ] || continue
  log=$(mktemp)
  "$script" >"$log" 2>&1; rc=$?
  last=$(grep -E '^[A-Za-z-]*:? *[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
  p=$(sed -n 's/.*\b\([0-9]\+\) passed.*/\1/p' <<<"$last")
  f=$(sed -n 's/.*\b\([0-9]\+\) failed.*/\1/p' <<<"$last")
  s=$(sed -n 's/.*\b\([0-9]\+\) skipped.*/\1/p' <<<"$last")
  p=${p:-0} f=${f:-0} s=${s:-0}
  if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  if [ "$f" -ne 0 ] || [ "$s" -ne 0 ]; then tail -n 60 "$log"; fi
  printf '%-40s %4d passed, %d failed%s\n' "$script" "$p" "$f" "$([ "$s" -ne 0 ] && echo ", $s skipped")"
  tally "$script" "$p" "$f" "$s"
  rm -f "$log"
done

[ ${#failures[@]} -gt 0 ] && echo "failing suites: ${failures[*]}"
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
