#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What a co-located VM sees of the IVC work another VM makes the hypervisor
# do (BENCHMARKS.md, "IVC work and a co-located VM"): boots ivc-storm
# (publish + unpublish of the largest channel the hypervisor allows, 40
# times) beside deadline (on the same CPU, recording the largest gap in its
# own run) RUNS times and prints each run's two lines.
#   bench/hv/ivc-latency.sh [RUNS]      (after make hv)
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
runs=${1:-5}
for ((i = 1; i <= runs; i++)); do
  timeout 200 qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu cortex-a72 \
    -smp 2 -m 1G -nographic -net none -semihosting -kernel "$BUILD/hv/hv.elf" \
    -append "system=examples/qemu/system.toml vms=ivc-storm,deadline" </dev/null 2>&1 |
    grep -E '^\[(ivc-storm|deadline)\] [a-z-]+: ([0-9rc]|calls)' | sed "s/^/run $i: /"
done
