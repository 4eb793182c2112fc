# SPDX-License-Identifier: MIT
# Fuzzing decode, checks, conversion and formatting with libFuzzer (clang).
#
#   make fuzz-config [FUZZ_SECONDS=60]   build and run fuzz/fuzz_config.c for N seconds
#
# Seeds, made at run time into $(BUILD)/fuzz/seeds-config: every VM file of
# examples/ and the AxVisor corpus alone, and every system file of
# examples/ and tests/check/ joined with its VM files ("%%" lines between
# the parts, the format fuzz_config.c reads). New inputs go to
# $(BUILD)/fuzz/corpus-config. Uses FUZZ_CC/CFLAGS/FLAGS and fuzz-deps from
# fuzz/fuzz.mk in its recipes; paths are this file's own, since fragments are
# read in any order (immediate variables of fuzz.mk may not exist yet here).

CONFIG_FUZZ_DIR := $(BUILD)/fuzz
FUZZ_CONFIG := $(CONFIG_FUZZ_DIR)/fuzz_config
FUZZ_CONFIG_SRC := fuzz/fuzz_config.c \
	$(wildcard lib/base/*.c lib/toml/*.c lib/spec/*.c lib/config/*.c lib/check/*.c lib/mm/*.c lib/host/*.c)

.PHONY: fuzz-config

$(FUZZ_CONFIG): $(FUZZ_CONFIG_SRC) $(HEADERS) fuzz/config.mk
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -o $@ $(FUZZ_CONFIG_SRC) -lm

fuzz-config: fuzz-deps
	$(MAKE) $(FUZZ_CONFIG)
	rm -rf $(CONFIG_FUZZ_DIR)/seeds-config
	fuzz/config-seeds.sh $(CONFIG_FUZZ_DIR)/seeds-config
	mkdir -p $(CONFIG_FUZZ_DIR)/corpus-config
	$(FUZZ_CONFIG) $(FUZZ_FLAGS) $(FUZZ_LIMIT) \
	  $(CONFIG_FUZZ_DIR)/corpus-config $(CONFIG_FUZZ_DIR)/seeds-config
