# SPDX-License-Identifier: MIT
# bench/vm: MMIO dispatch through the device bus (binary search) against a
# linear scan, 4 to 4096 devices; vmcfg_vm_create of a 1 GiB MapAlloc VM against a
# plain memset of 1 GiB.   make bench-vm
$(BUILD)/bench/vm/bench_vm: bench/vm/bench_vm.c $(LIB) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS_HOST) -o $@ $< $(LIB) $(LDLIBS_HOST)

.PHONY: bench-vm
bench-vm: $(BUILD)/bench/vm/bench_vm
	$(BUILD)/bench/vm/bench_vm
