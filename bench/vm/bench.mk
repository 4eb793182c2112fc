# SPDX-License-Identifier: MIT
# bench/vm: MMIO dispatch through the device bus (binary search) against a
# linear scan, 4 to 4096 devices; vmcfg_vm_create of a 1 GiB MapAlloc VM against a
# plain memset of 1 GiB: wall clock and page faults, then (with valgrind)
# instructions of one vm_create against one memset, counted by callgrind.
#   make bench-vm
$(BUILD)/bench/vm/bench_vm: bench/vm/bench_vm.c $(LIB) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS_HOST) -o $@ $< $(LIB) $(LDLIBS_HOST)

.PHONY: bench-vm
bench-vm: $(BUILD)/bench/vm/bench_vm
	$(BUILD)/bench/vm/bench_vm
	@if command -v valgrind > /dev/null; then \
	  for f in vmcfg_vm_create vmcfg_bench_memset; do \
	    valgrind --tool=callgrind --callgrind-out-file=$(BUILD)/bench/vm/callgrind.$$f \
	      --toggle-collect=$$f $(BUILD)/bench/vm/bench_vm --create-once > /dev/null 2>&1 && \
	    printf '  instructions in %-16s %s\n' $$f \
	      "$$(callgrind_annotate $(BUILD)/bench/vm/callgrind.$$f | awk '/PROGRAM TOTALS/ { print $$1 }')"; \
	  done; \
	else echo "bench-vm: no valgrind, no instruction counts"; fi
