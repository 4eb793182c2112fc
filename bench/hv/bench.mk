# SPDX-License-Identifier: MIT
# bench/hv/bench.mk — the hypervisor's costs under QEMU (bench/hv/run.py).
#
#   make bench-hv [ARCH=riscv64]
#                   builds the hypervisor and runs bench/hv/run.py: trap and
#                   hypercall round trips and a 1 MiB IVC channel in guest
#                   timer ticks (guests/bench.c), and QEMU start to the first
#                   guest line against the same guest run bare-metal.
# QEMU TCG numbers are relative: the script prints ratios (BENCHMARKS.md, ## hv).

.PHONY: bench-hv
bench-hv: hv
	python3 bench/hv/run.py --arch $(HV_ARCH) $(HV_ELF) $(GUEST_DIR_$(HV_ARCH))/hello.elf
