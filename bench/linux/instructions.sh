#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/linux/instructions.sh — a Linux boot counted in instructions, which
# the machine's load cannot move.
#
#   bench/linux/instructions.sh BUILD_LINUX_DIR [ELF...]
#
# Boots the kernel of BUILD_LINUX_DIR plain (as bench/linux/run.py's plain-1
# and dt-1; ratios are to dt-1, whose device tree is the VM's) and under
# each hypervisor image given (default: the directory's hv-linux.elf, as
# hv-1 and hv-pt-1) with QEMU's -icount shift=0,sleep=off: the virtual
# clock then advances 1 ns per instruction executed, guest and hypervisor
# alike, and never while a CPU idles. The kernel's timestamp of "Run /init
# as init process" is then the instructions executed from its clock's start
# to its init, exits handled at EL2 included. Prints them, the ratio to
# plain, and the hypervisor's exits line (the boot runs to its power-off).
set -euo pipefail

dir=${1:?usage: $0 BUILD_LINUX_DIR [ELF...]}
shift
elfs=("$@")
[ ${#elfs[@]} -gt 0 ] || elfs=("$dir/hv-linux.elf")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ic=(-icount shift=0,sleep=off)

# init_insns LOG: the "Run /init" timestamp in instructions (1 us = 1,000).
init_insns() {
	sed -n 's/.*\[ *\([0-9]*\)\.\([0-9]*\)\] Run \/init as init process.*/\1\2/p' "$1" |
		head -1 | sed 's/^0*//;s/$/000/'
}

# plain_insns NAME QEMU-ARGS...: a plain boot's instructions to its init.
plain_insns() {
	local name=$1
	shift
	timeout 600 qemu-system-aarch64 -cpu cortex-a72 -m 128M -nographic -net none -smp 1 \
		"${ic[@]}" -kernel "$dir/vmlinuz" -initrd "$dir/initrd.cpio" "$@" \
		-append "console=ttyAMA0 vm=plain" < /dev/null > "$tmp/$name" 2>&1 || true
	init_insns "$tmp/$name"
}

# QEMU's own DT (what run.py's plain-1 boots), and the VM's DT on the VM's
# GIC (dt-1: the like-for-like baseline, the same devices as the VM).
qemu_dt=$(plain_insns plain -M virt)
plain=$(plain_insns dt -M virt,gic-version=3 -dtb "$dir/linux.dtb")
[ -n "$plain" ] && [ -n "$qemu_dt" ] ||
	{ echo "instructions: a plain boot reached no init" >&2; tail "$tmp/plain" "$tmp/dt" >&2; exit 1; }
printf '%-28s %14s %7s\n' "boot (to Run /init)" instructions ratio
printf '%-28s %14s %7s\n' "plain, QEMU's DT" "$qemu_dt" "$(awk -v a="$qemu_dt" -v b="$plain" 'BEGIN { printf "%.3f", a / b }')"
printf '%-28s %14s %7s\n' "plain, the VM's DT" "$plain" 1.000
# The VM with its emulated PL011 (hv-1) and with the PL011 passed through
# (hv-pt-1; an image built before one-cpu-pt.toml existed has no such system).
for elf in "${elfs[@]}"; do
	for sys in one-cpu one-cpu-pt; do
		timeout 600 qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu cortex-a72 \
			-m 1G -nographic -net none -semihosting -smp 1 "${ic[@]}" -kernel "$elf" \
			-append "system=examples/linux/$sys.toml" < /dev/null > "$tmp/hv" 2>&1 || true
		grep -q "no such built-in system file" "$tmp/hv" && continue
		n=$(init_insns "$tmp/hv")
		[ -n "$n" ] || { echo "instructions: $elf $sys: no init" >&2; tail "$tmp/hv" >&2; exit 1; }
		printf '%-28s %14s %7s\n' "hv: $(basename "$elf"), $sys" "$n" \
			"$(awk -v a="$n" -v b="$plain" 'BEGIN { printf "%.3f", a / b }')"
		grep -m1 "exits:" "$tmp/hv" | sed 's/^/    /'
	done
done
