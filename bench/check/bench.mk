# SPDX-License-Identifier: MIT
# Checker benchmark: generated systems of 1,000 and 10,000 VMs (8 regions and
# 4 devices each); prints the best check time of 50 (1k) and 30 (10k) runs,
# the end-to-end time (parse + decode + check, best of 3) and the 10k/1k
# ratios.
#
#   make bench-check [BUILD=build]
#
# The ratio of the checker's CPU time must stay at or below 15 (O(n log n));
# the wall-clock ratio is printed beside it. See BENCHMARKS.md.

BENCH_CHECK_BIN := $(BUILD)/bench/bench_check

.PHONY: bench-check

$(BENCH_CHECK_BIN): bench/check/bench_check.c $(LIB) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS_HOST) -o $@ $< $(LIB) $(LDLIBS_HOST)

bench-check: $(BENCH_CHECK_BIN)
	@small=$$($(BENCH_CHECK_BIN) 1000 50) && big=$$($(BENCH_CHECK_BIN) 10000 30) || exit 1; \
	echo "$$small"; echo "$$big"; \
	echo "$$small $$big" | awk '{ \
		for (i = 1; i <= NF; i++) { split($$i, kv, "="); v[kv[1], i <= NF / 2] = kv[2] } \
		cpu = v["check_cpu_ms", 0] / v["check_cpu_ms", 1]; \
		wall = v["check_wall_ms", 0] / v["check_wall_ms", 1]; \
		printf "ratio 10k/1k: check CPU time %.2f (limit 15), wall-clock %.2f\n", cpu, wall; \
		exit cpu > 15 }'

# --- bench-check-measure: instructions, page faults, peak heap and time (bench/check/measure.py) ---
#
#   make bench-check-measure [CHECK_MEASURE_RUNS=5]
#
# Systems of 100, 1k and 10k VMs: vmcfg_check_system one-shot and warm, and
# vmcfg_check_system_scratch with one scratch kept across checks; then whole
# processes on the same systems as files: vmcfg check --system, and taplo
# check (npm @taplo/cli, syntax only) when npm is there. Needs valgrind.
CHECK_MEASURE_RUNS ?= 5
BENCH_CHECK_TAPLO := $(BUILD)/bench/taplo/node_modules/.bin/taplo

.PHONY: bench-check-measure

bench-check-measure: $(BENCH_CHECK_BIN) $(CLI)
	@[ -x $(BENCH_CHECK_TAPLO) ] || ! command -v npm >/dev/null || \
	  npm install --no-audit --no-fund -s --prefix $(BUILD)/bench/taplo @taplo/cli >&2 || true
	$(PYTHON) bench/check/measure.py --bench $(BENCH_CHECK_BIN) --vmcfg $(CLI) \
	  $(if $(wildcard $(BENCH_CHECK_TAPLO)),--taplo $(BENCH_CHECK_TAPLO)) \
	  --runs $(CHECK_MEASURE_RUNS) 100 1000 10000
