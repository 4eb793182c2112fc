# SPDX-License-Identifier: MIT
# bench/mm: page-table pages against the computed optimum, and the time to
# map 4 GiB with blocks against 4 KiB pages only.   make bench-mm
# Linked from base and mm objects only (lib/mm depends on nothing else).
BENCH_MM_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard lib/base/*.c lib/mm/*.c))

$(BUILD)/bench/mm/bench_mm: bench/mm/bench_mm.c $(BENCH_MM_OBJ) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS_HOST) -o $@ $< $(BENCH_MM_OBJ)

.PHONY: bench-mm
bench-mm: $(BUILD)/bench/mm/bench_mm
	$(BUILD)/bench/mm/bench_mm
