#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fails if the freestanding core references any undefined symbol outside the
# short list the embedder must supply (documented in include/vmcfg/base.h).
set -euo pipefail
lib=$1
allowed="memcpy memmove memset memcmp strlen"
nm=${CROSS:-aarch64-linux-gnu-}nm
undef=$($nm -u "$lib" | awk 'NF==2 && $1=="U" {print $2}' | sort -u)
defined=$($nm --defined-only "$lib" | awk 'NF==3 {print $3}' | sort -u)
bad=()
for s in $undef; do
  grep -qx "$s" <<<"$defined" && continue
  grep -qw -- "$s" <<<"$allowed" && continue
  bad+=("$s")
done
if [ ${#bad[@]} -ne 0 ]; then
  echo "freestanding: FAIL: undefined symbols outside [$allowed]: ${bad[*]}" >&2
  for s in "${bad[@]}"; do $nm -A -u "$lib" 2>/dev/null | grep -w -- "$s" >&2 || true; done
  exit 1
fi
used=$(for s in $undef; do grep -qx "$s" <<<"$defined" || echo "$s"; done | tr '\n' ' ')
echo "freestanding: OK ($(${CROSS:-aarch64-linux-gnu-}ar t "$lib" | wc -l) objects; external symbols: ${used:-none})"
