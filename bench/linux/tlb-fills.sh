#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/linux/tlb-fills.sh — what QEMU's TCG does for a Linux boot, counted
# rather than timed: on these shared machines one boot's wall clock moves by
# a second, a count does not.
#
#   bench/linux/tlb-fills.sh BUILD_LINUX_DIR [ELF...]
#
# Boots the kernel of BUILD_LINUX_DIR once plain (as bench/linux/run.py's
# plain-1) and once under each hypervisor image given (default: the
# directory's hv-linux.elf, as hv-1), each up to the initramfs marker, and
# counts with perf uprobes on qemu-system-aarch64:
#   tlb_set_page_full   softmmu TLB fills: each one a guest page-table walk
#                       (under the hypervisor a two-stage one)
#   tlb_flush_page_bits_by_mmuidx_all_cpus_synced
#                       the guest's TLBI by VA (inner shareable)
# Needs root (uprobes) and perf (Debian: linux-perf); the probes are removed
# again at the end.
set -euo pipefail

dir=${1:?usage: $0 BUILD_LINUX_DIR [ELF...]}
shift
elfs=("$@")
[ ${#elfs[@]} -gt 0 ] || elfs=("$dir/hv-linux.elf")
qemu=$(command -v qemu-system-aarch64)
command -v perf > /dev/null || { echo "tlb-fills: needs perf (apt-get install linux-perf)" >&2; exit 2; }
marker="vmcfg-linux: init of VM"
funcs=(tlb_set_page_full tlb_flush_page_bits_by_mmuidx_all_cpus_synced)

cleanup() {
	for f in "${funcs[@]}"; do perf probe -q -x "$qemu" --del "probe_qemu:$f" 2> /dev/null || true; done
	rm -rf "$tmp"
}
tmp=$(mktemp -d)
trap cleanup EXIT
for f in "${funcs[@]}"; do perf probe -q -x "$qemu" --add "$f"; done
events=$(printf 'probe_qemu:%s,' "${funcs[@]}")

# boot NAME QEMU-ARGS...: counts up to the marker, then stops QEMU.
boot() {
	local name=$1
	shift
	perf stat -x, -e "${events%,}" -o "$tmp/stat" -- "$qemu" "$@" > "$tmp/out" 2>&1 &
	local perf_pid=$! i
	for i in $(seq 1 1200); do
		grep -q "$marker" "$tmp/out" && break
		sleep 0.05
	done
	grep -q "$marker" "$tmp/out" || { echo "tlb-fills: $name: no marker" >&2; tail "$tmp/out" >&2; exit 1; }
	pkill -INT -P "$perf_pid" -f qemu-system-aarch64 || true
	wait "$perf_pid" || true
	awk -F, -v n="$name" '/probe_qemu/ { sub("probe_qemu:", "", $3); c[$3] = $1 }
		END { printf "%-28s %12s %14s\n", n, c["tlb_set_page_full"],
		      c["tlb_flush_page_bits_by_mmuidx_all_cpus_synced"] }' "$tmp/stat"
}

printf "%-28s %12s %14s\n" "boot (to the marker)" "TLB fills" "TLBI by VA"
boot plain -M virt -cpu cortex-a72 -m 128M -nographic -net none -smp 1 \
	-kernel "$dir/vmlinuz" -initrd "$dir/initrd.cpio" -append "console=ttyAMA0 vm=plain"
for elf in "${elfs[@]}"; do
	boot "hv: $(basename "$elf")" -M virt,virtualization=on,gic-version=3 -cpu cortex-a72 \
		-m 1G -nographic -net none -semihosting -smp 1 -kernel "$elf" \
		-append system=examples/linux/one-cpu.toml
done
