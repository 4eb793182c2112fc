# SPDX-License-Identifier: MIT
# Differential fuzzing of check against build with libFuzzer (clang): fuzz/fuzz_agree.c.
#
#   make fuzz-agree [FUZZ_SECONDS=60]   build and run it for N seconds
#
# Seeds, copied at run time into $(BUILD)/fuzz/seeds-agree: every VM file in
# the repository (examples/, tests/, the newest AxVisor files; system files
# left out). New inputs go to $(BUILD)/fuzz/corpus-agree. A disagreement
# aborts and leaves its reproducer in $(BUILD)/fuzz/. Uses FUZZ_CC/CFLAGS and
# fuzz-deps from fuzz/fuzz.mk (paths are this file's own: fragments are read
# in any order).

AGREE_FUZZ_DIR := $(BUILD)/fuzz
FUZZ_AGREE := $(AGREE_FUZZ_DIR)/fuzz_agree
FUZZ_AGREE_SRC := fuzz/fuzz_agree.c tools/vmcfg/sim_host.c \
	$(filter-out lib/fdt/%,$(wildcard lib/*/*.c))

.PHONY: fuzz-agree

$(FUZZ_AGREE): $(FUZZ_AGREE_SRC) $(HEADERS) fuzz/agree.mk
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -o $@ $(FUZZ_AGREE_SRC) -lm

fuzz-agree: fuzz-deps
	$(MAKE) $(FUZZ_AGREE)
	rm -rf $(AGREE_FUZZ_DIR)/seeds-agree
	mkdir -p $(AGREE_FUZZ_DIR)/seeds-agree $(AGREE_FUZZ_DIR)/corpus-agree
	n=0; for f in $$(grep -rlZ --include='*.toml' -e '^\[base\]' examples tests | tr '\0' ' '); do \
	  n=$$((n + 1)); cp "$$f" $(AGREE_FUZZ_DIR)/seeds-agree/$$n.toml; done
	$(FUZZ_AGREE) -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 \
	  -artifact_prefix=$(AGREE_FUZZ_DIR)/ -max_total_time=$(FUZZ_SECONDS) \
	  $(AGREE_FUZZ_DIR)/corpus-agree $(AGREE_FUZZ_DIR)/seeds-agree
