# SPDX-License-Identifier: MIT
# Fuzzing the host device-tree reader with libFuzzer (clang).
#
#   make fuzz-fdt [FUZZ_SECONDS=60]   build and run fuzz/fuzz_fdt.c for N seconds
#
# Seeds are built at run time with dtc from the QEMU virt platform and the
# AxVisor guest DTs ($(FDT_DATA_DIR)); nothing is checked in. New inputs go
# to $(BUILD)/fuzz/corpus-fdt. A crash leaves its reproducer in $(BUILD)/fuzz/;
# run `$(BUILD)/fuzz/fuzz_fdt FILE` to replay it. libfdt is the system's
# (not instrumented): the target checks what vmcfg does with its answers.
# Variables are this file's own: fuzz/*.mk fragments are read in any order.

FDT_DATA_DIR := tests/data
FDT_FUZZ_DIR := $(BUILD)/fuzz
FUZZ_FDT := $(FDT_FUZZ_DIR)/fuzz_fdt
FUZZ_FDT_SRC := fuzz/fuzz_fdt.c $(wildcard lib/base/*.c lib/toml/*.c lib/spec/*.c lib/config/*.c \
	lib/check/*.c lib/mm/*.c lib/host/*.c lib/fdt/*.c)
FUZZ_FDT_FLAGS := -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
	-artifact_prefix=$(FDT_FUZZ_DIR)/

.PHONY: fuzz-fdt

$(FUZZ_FDT): $(FUZZ_FDT_SRC) $(HEADERS) fuzz/fdt.mk
	@mkdir -p $(dir $@)
	$(or $(FUZZ_CC),clang) $(CPPFLAGS) $(CSTD) $(WARN) -O1 -g -D_DEFAULT_SOURCE \
	  -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	  -o $@ $(FUZZ_FDT_SRC) -lfdt -lm

fuzz-fdt:
	@scripts/deps.sh fuzz
	$(MAKE) $(FUZZ_FDT)
	rm -rf $(FDT_FUZZ_DIR)/seeds-fdt
	mkdir -p $(FDT_FUZZ_DIR)/corpus-fdt $(FDT_FUZZ_DIR)/seeds-fdt
	for f in $(FDT_DATA_DIR)/platforms/*.dts $(FDT_DATA_DIR)/axvisor-configs/*.dts; do \
	  dtc -q -I dts -O dtb -o $(FDT_FUZZ_DIR)/seeds-fdt/$$(basename $$f .dts).dtb $$f || exit 1; \
	done
	$(FUZZ_FDT) $(FUZZ_FDT_FLAGS) $(FUZZ_LIMIT) \
	  $(FDT_FUZZ_DIR)/corpus-fdt $(FDT_FUZZ_DIR)/seeds-fdt
