#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The hypervisor's guest-side fuzzer (make fuzz-hv): runs seeds FIRST ..
# FIRST+COUNT-1 of guests/fuzz.c (aarch64) or guests/fuzz-riscv64.c
# (ARCH=riscv64) beside guests/deadline.c under QEMU.
#
#   [ARCH=riscv64] fuzz/hv-run.sh COUNT [FIRST]   (after make [ARCH=riscv64] hv;
#                                                  BUILD=build by default)
#
# One QEMU boot runs up to 100 seeds in a row (the guest resets its VM between
# seeds, PSCI SYSTEM_RESET or SBI SRST); the seed reaches it as the
# hypervisor's boot argument seed= (bits 31:0 the first seed, 63:32 how many). Every 16th seed
# ends with a lethal action that the hypervisor must answer by stopping
# the VM with a reason; the next boot goes on from the seed after it.
# Fails (exit 1) on: a hypervisor panic or a non-zero exit status, a boot
# that does not end (timeout: the last lines and the seed are printed), the
# watchdog's "no progress" stop, a stop in a seed that had no lethal
# action, a lethal action that was not stopped, a vCPU that did not finish
# its actions, deadline's "MISSED". Replay a seed: fuzz/hv-run.sh 1 SEED.
# Last line: "fuzz-hv: N seeds from S in B boots: N lethal stops, 0 failures".
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
ARCH=${ARCH:-aarch64}
case $ARCH in
  aarch64)
    qemu=(qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu cortex-a72 -semihosting
      -kernel "$BUILD/hv/hv.elf")
    system=examples/qemu/system.toml ;;
  riscv64)
    qemu=(qemu-system-riscv64 -M virt -kernel "$BUILD/hv-riscv64/hv.elf")
    system=examples/qemu-riscv64/hostile-system.toml ;;
  *) echo "fuzz/hv-run.sh: ARCH is aarch64 or riscv64, not $ARCH" >&2; exit 2 ;;
esac
count=${1:?usage: fuzz/hv-run.sh COUNT [FIRST]}
first=${2:-1}
end=$((first + count))
seed=$first boots=0 lethal=0 failures=0 max_gap=0
log=$(mktemp) exits=$(mktemp)
trap 'rm -f "$log" "$exits"' EXIT
start=$(date +%s)

fail() {
  echo "FAIL seed $1: $2"
  sed 's/^/  | /' "$log" | grep -aEv 'IVC (publish|subscribe|unpublish|unsubscribe)' | tail -${3:-25}
  failures=$((failures + 1))
}

while [ "$seed" -lt "$end" ]; do
  # At most 100 seeds a boot (about 50 s): deadline, which cannot see the
  # fuzzer stopped, gives up after 120 s, well inside the boot's 200 s.
  n=$((end - seed > 100 ? 100 : end - seed))
  boots=$((boots + 1))
  timeout 200 "${qemu[@]}" -smp 2 -m 1G -nographic -net none \
    -append "system=$system vms=fuzz,deadline seed=$(((n << 32) + seed))" </dev/null >"$log" 2>&1
  status=$?
  # The fuzzer's exits by class, summed over the boots.
  LC_ALL=C sed -nE "s/^\[hv\] exits: vm 'fuzz': //p" "$log" | tr ',' '\n' >>"$exits"
  last=$(LC_ALL=C sed -nE 's/^\[fuzz\] .*fuzz: seed ([0-9]+)$/\1/p' "$log" | tail -1)
  last=${last:-$seed}
  gap=$(LC_ALL=C sed -nE 's/.*deadline: ran .* largest gap ([0-9]+) us.*/\1/p' "$log" | tail -1)
  [ -n "$gap" ] && [ "$gap" -gt "$max_gap" ] && max_gap=$gap
  if [ "$status" -eq 124 ]; then
    fail "$last" "the boot did not end in 200 s (hang)" 40
  elif [ "$status" -ne 0 ]; then
    fail "$last" "exit status $status (3: hypervisor panic)"
  fi
  grep -aq 'watchdog' "$log" && fail "$last" "the watchdog stopped a vCPU that made no progress"
  grep -aq 'UNFINISHED' "$log" && fail "$last" "a vCPU did not finish its actions"
  grep -aq 'lethal action survived' "$log" && fail "$last" "a lethal action was not stopped"
  grep -aq 'deadline: MISSED' "$log" && fail "$last" "the well-behaved VM missed its deadline"
  grep -aq 'PANIC' "$log" && fail "$last" "hypervisor panic"
  if grep -aq "^\[hv\] summary: vm 'fuzz': stopped:" "$log"; then
    if grep -aq "fuzz: lethal $last:" "$log"; then
      lethal=$((lethal + 1))
    else
      fail "$last" "the VM was stopped in a seed without a lethal action"
    fi
    seed=$((last + 1))
  elif grep -aq "fuzz: done, $n seeds from $seed" "$log"; then
    seed=$((seed + n))
  else
    [ "$status" -eq 124 ] || fail "$last" "the fuzzer neither finished nor was stopped"
    seed=$((last + 1))
  fi
done
echo "fuzz-hv: the fuzzer's exits: $(awk '{ n = $NF; $NF = ""; sub(/^ +| +$/, ""); t[$0] += n }
  END { for (k in t) { printf "%s%s %d", s, k, t[k]; s = ", " } }' "$exits")"
echo "fuzz-hv ($ARCH): $count seeds from $first in $boots boots, $(($(date +%s) - start)) s:" \
  "$lethal lethal stops, deadline's largest gap $max_gap us, $failures failures"
[ "$failures" -eq 0 ]
