# SPDX-License-Identifier: MIT
# bench/linux/bench.mk — Debian Linux booting as a VM against the same kernel
# on bare QEMU (bench/linux/run.py; results in BENCHMARKS.md, ## linux).
#
#   make bench-linux [ROUNDS=10] [BASELINE=old/hv-linux.elf]
#       builds the Linux hypervisor image and boots seven ways per round,
#       interleaved (eight with BASELINE: another build of the image, booted
#       as hv-1 is, to measure a change side by side); prints the boot
#       times and per-round ratios
#   make bench-linux-tlb [BASELINE=old/hv-linux.elf]
#       counts QEMU's TLB fills and the guest's TLBIs by VA up to the marker,
#       plain and under the hypervisor (and BASELINE): bench/linux/tlb-fills.sh;
#       needs root for perf's uprobes
#   make bench-linux-icount [BASELINE=old/hv-linux.elf]
#       instructions (guest and hypervisor) to the kernel's init under QEMU's
#       -icount, plain and under the hypervisor (and BASELINE), with the exits:
#       bench/linux/instructions.sh

ROUNDS ?= 10
BASELINE ?=

.PHONY: bench-linux bench-linux-tlb bench-linux-icount
bench-linux:
	@scripts/deps.sh linux
	$(MAKE) linux-hv $(LINUX_DIR)/plain-linux.elf
	$(PYTHON) bench/linux/run.py $(LINUX_DIR) $(ROUNDS) $(BASELINE)

bench-linux-tlb:
	@scripts/deps.sh perf
	$(MAKE) linux-hv
	bench/linux/tlb-fills.sh $(LINUX_DIR) $(LINUX_ELF) $(BASELINE)

bench-linux-icount:
	@scripts/deps.sh linux
	$(MAKE) linux-hv $(LINUX_DIR)/plain-linux.elf
	bench/linux/instructions.sh $(LINUX_DIR) $(LINUX_ELF) $(BASELINE)
