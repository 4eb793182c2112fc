# SPDX-License-Identifier: MIT
# The hypervisor's guest-side fuzzer (guests/fuzz.c, or guests/fuzz-riscv64.c with
# ARCH=riscv64, beside guests/deadline.c).
#
#   make fuzz-hv [ARCH=riscv64] [FUZZ_SEEDS=200] [FUZZ_SEED=1]
#                                  seeds FUZZ_SEED .. FUZZ_SEED+FUZZ_SEEDS-1
#
# fuzz/hv-run.sh says what fails a run; replay one seed with FUZZ_SEEDS=1 FUZZ_SEED=N.

FUZZ_SEEDS ?= 200
FUZZ_SEED ?= 1

.PHONY: fuzz-hv
fuzz-hv: hv
	BUILD=$(BUILD) ARCH=$(ARCH) fuzz/hv-run.sh $(FUZZ_SEEDS) $(FUZZ_SEED)
