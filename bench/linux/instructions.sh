#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/linux/instructions.sh — a Linux boot counted in instructions, which
# the machine's load cannot move.
#
#   bench/linux/instructions.sh BUILD_LINUX_DIR [ELF...]
#
# Boots the kernel of BUILD_LINUX_DIR plain (as bench/linux/run.py's plain-1)
# and under each hypervisor image given (default: the directory's
# hv-linux.elf, as hv-1) with QEMU's -icount shift=0,sleep=off: the virtual
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

timeout 600 qemu-system-aarch64 -M virt -cpu cortex-a72 -m 128M -nographic -net none -smp 1 \
	"${ic[@]}" -kernel "$dir/vmlinuz" -initrd "$dir/initrd.cpio" \
	-append "console=ttyAMA0 vm=plain" < /dev/null > "$tmp/plain" 2>&1 || true
plain=$(init_insns "$tmp/plain")
[ -n "$plain" ] || { echo "instructions: plain boot reached no init" >&2; tail "$tmp/plain" >&2; exit 1; }
printf '%-28s %14s %7s\n' "boot (to Run /init)" instructions ratio
printf '%-28s %14s %7s\n' plain "$plain" 1.000
for elf in "${elfs[@]}"; do
	timeout 600 qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu cortex-a72 \
		-m 1G -nographic -net none -semihosting -smp 1 "${ic[@]}" -kernel "$elf" \
		-append system=examples/linux/one-cpu.toml < /dev/null > "$tmp/hv" 2>&1 || true
	n=$(init_insns "$tmp/hv")
	[ -n "$n" ] || { echo "instructions: $elf: no init" >&2; tail "$tmp/hv" >&2; exit 1; }
	printf '%-28s %14s %7s\n' "hv: $(basename "$elf")" "$n" "$(awk -v a="$n" -v b="$plain" 'BEGIN { printf "%.3f", a / b }')"
	grep -m1 "exits:" "$tmp/hv" | sed 's/^/    /'
done
