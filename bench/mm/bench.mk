# SPDX-License-Identifier: MIT
# bench/mm: page-table pages against the computed optimum, and the time to
# map 4 GiB with blocks against 4 KiB pages only, then (with valgrind) the
# instructions of one such map per format and of one 31 MiB image load into
# deferred RAM.   make bench-mm
# Linked from base and mm objects only (lib/mm depends on nothing else).
BENCH_MM_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard lib/base/*.c lib/mm/*.c))

$(BUILD)/bench/mm/bench_mm: bench/mm/bench_mm.c $(BENCH_MM_OBJ) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS_HOST) -o $@ $< $(BENCH_MM_OBJ)

.PHONY: bench-mm
bench-mm: $(BUILD)/bench/mm/bench_mm
	$(BUILD)/bench/mm/bench_mm
	@if command -v valgrind > /dev/null; then \
	  count() { valgrind --tool=callgrind --callgrind-out-file=$(BUILD)/bench/mm/callgrind.out \
	      --toggle-collect=$$1 $(BUILD)/bench/mm/bench_mm $$2 $$3 $$4 > /dev/null 2>&1 && \
	    callgrind_annotate $(BUILD)/bench/mm/callgrind.out | \
	      awk '/PROGRAM TOTALS/ { gsub(",", "", $$1); print $$1 }'; }; \
	  table() { printf '\n## instructions of %s (callgrind)\n\n' "$$1"; \
	    printf '| format | blocks | 4 KiB only | per 4 KiB page, 4 KiB only |\n|---|---|---|---|\n'; \
	    for f in arm64-s2-3l arm64-s2-4l riscv-sv39x4 riscv-sv48x4 x86-ept4; do \
	      n=$$(count $$2 $$3 $$f) && n4k=$$(count $$2 $$3 $$f --4k) || return 1; \
	      printf '| %s | %s | %s | %s |\n' $$f $$n $$n4k $$((n4k / $$4)); \
	    done; }; \
	  table 'one identical map of 4 GiB' vmcfg_aspace_map_identical --map-once 1048576 && \
	  table 'one 31 MiB image load into deferred RAM' vmcfg_aspace_write --load-once 7968; \
	else echo "bench-mm: no valgrind, no instruction counts"; fi
