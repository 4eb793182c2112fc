# Checker benchmark: generated systems of 1,000 and 10,000 VMs (8 regions and
# 4 devices each); prints the best check time of 50 (1k) and 15 (10k) runs and the 10k/1k ratio.
#
#   make bench-check [BUILD=build]
#
# The ratio must stay at or below 15 (O(n log n)); see BENCHMARKS.md.

BENCH_CHECK_BIN := $(BUILD)/bench/bench_check

.PHONY: bench-check

$(BENCH_CHECK_BIN): bench/check/bench_check.c $(LIB) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS_HOST) -o $@ $< $(LIB) $(LDLIBS_HOST)

bench-check: $(BENCH_CHECK_BIN)
	@small=$$($(BENCH_CHECK_BIN) 1000 50) && big=$$($(BENCH_CHECK_BIN) 10000 15) || exit 1; \
	echo "$$small"; echo "$$big"; \
	t1=$${small##*best_ms=}; t10=$${big##*best_ms=}; \
	awk -v a="$$t1" -v b="$$t10" 'BEGIN { r = b / a; printf "ratio 10k/1k = %.2f (limit 15)\n", r; exit r > 15 }'
