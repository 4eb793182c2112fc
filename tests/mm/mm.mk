# SPDX-License-Identifier: MIT
# tests/mm: the page-table walk printer that tests/mm/run checks.
# Linked from base and mm objects only: lib/mm depends on nothing else, so
# this suite keeps working while other stages are mid-change.
MM_CORE_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard lib/base/*.c lib/mm/*.c))

$(BUILD)/tests/mm/ptwalk: tests/mm/ptwalk.c $(MM_CORE_OBJ) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS_HOST) -o $@ $< $(MM_CORE_OBJ)
