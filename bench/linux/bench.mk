# bench/linux/bench.mk — Debian Linux booting as a VM against the same kernel
# on bare QEMU (bench/linux/run.py; results in BENCHMARKS.md, ## linux).
#
#   make bench-linux [ROUNDS=10]   builds the Linux hypervisor image and boots
#                                  four ways per round, interleaved; prints the
#                                  boot times and per-round ratios

ROUNDS ?= 10

.PHONY: bench-linux
bench-linux:
	@scripts/deps.sh run
	$(MAKE) linux-hv
	$(PYTHON) bench/linux/run.py $(LINUX_DIR) $(ROUNDS)
