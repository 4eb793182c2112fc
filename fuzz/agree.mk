# SPDX-License-Identifier: MIT
# Differential fuzzing of check against build and map with libFuzzer (clang): fuzz/fuzz_agree.c.
#
#   make fuzz-agree [FUZZ_SECONDS=60]   build and run it for N seconds
#
# Seeds, made at run time into $(BUILD)/fuzz/seeds-agree: every VM file in
# the repository (examples/, tests/, the AxVisor files) alone, and every
# system file joined with its VM files ("%%" lines between the parts,
# fuzz/config-seeds.sh). New inputs go to $(BUILD)/fuzz/corpus-agree. A
# disagreement aborts and leaves its reproducer in $(BUILD)/fuzz/. The
# target links the CLI's loader, simulated host and map model
# (tools/vmcfg) and lib/fdt (libfdt). Uses FUZZ_CC/CFLAGS and fuzz-deps
# from fuzz/fuzz.mk (paths are this file's own: fragments are read in any
# order).

AGREE_FUZZ_DIR := $(BUILD)/fuzz
FUZZ_AGREE := $(AGREE_FUZZ_DIR)/fuzz_agree
FUZZ_AGREE_SRC := fuzz/fuzz_agree.c tools/vmcfg/sim_host.c tools/vmcfg/load.c \
	tools/vmcfg/map_model.c tools/vmcfg/report.c $(wildcard lib/*/*.c)

.PHONY: fuzz-agree

$(FUZZ_AGREE): $(FUZZ_AGREE_SRC) $(HEADERS) fuzz/agree.mk
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -o $@ $(FUZZ_AGREE_SRC) -lfdt -lm

fuzz-agree: fuzz-deps
	$(MAKE) $(FUZZ_AGREE)
	rm -rf $(AGREE_FUZZ_DIR)/seeds-agree
	fuzz/config-seeds.sh $(AGREE_FUZZ_DIR)/seeds-agree
	n=0; for f in $$(grep -rlZ --include='*.toml' -e '^\[base\]' examples tests | tr '\0' ' '); do \
	  n=$$((n + 1)); cp "$$f" $(AGREE_FUZZ_DIR)/seeds-agree/file-$$n.toml; done
	mkdir -p $(AGREE_FUZZ_DIR)/corpus-agree
	$(FUZZ_AGREE) -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 \
	  -artifact_prefix=$(AGREE_FUZZ_DIR)/ $(FUZZ_LIMIT) \
	  $(AGREE_FUZZ_DIR)/corpus-agree $(AGREE_FUZZ_DIR)/seeds-agree
