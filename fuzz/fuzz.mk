# SPDX-License-Identifier: MIT
# Fuzzing the TOML parser with libFuzzer (clang).
#
#   make fuzz-toml [FUZZ_SECONDS=60]   build and run fuzz/fuzz_toml.c for N seconds
#   make fuzz-toml FUZZ_RUNS=N [FUZZ_SEED=S]   for N inputs from seed S instead
#   make fuzz-toml-merge               add the inputs of the build corpus that reach
#                                      new edges to the checked-in seeds, within their
#                                      budget of 60 files / 100 KiB (fuzz/merge_corpus.sh)
#
# Running reads the seeds in fuzz/corpus/toml (never written) and the toml-test
# files ($(TOML_TEST_DIR)); new inputs go to $(BUILD)/fuzz/corpus-toml.
# A crash (or leak, timeout, violated invariant) fails the target and leaves its
# reproducer in $(BUILD)/fuzz/; run `$(BUILD)/fuzz/fuzz_toml FILE` to replay it.
# lib/host is linked for vmcfg_toml_float_to_double(), which the target checks.

FUZZ_SECONDS ?= 60
# FUZZ_RUNS=N [FUZZ_SEED=S] replaces the time limit by N inputs from a fixed
# seed (default 1): the same tree then fuzzes the same inputs on every machine,
# so a CI run is reproducible and does not fail on whatever a random seed finds
# first. Every fuzz target of fuzz/*.mk takes its limit from here.
FUZZ_LIMIT = $(if $(FUZZ_RUNS),-runs=$(FUZZ_RUNS) -seed=$(or $(FUZZ_SEED),1),-max_total_time=$(FUZZ_SECONDS))
FUZZ_CC ?= clang
TOML_TEST_DIR := tests/data/toml-test/tests
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_TOML := $(FUZZ_DIR)/fuzz_toml
FUZZ_TOML_SRC := fuzz/fuzz_toml.c $(wildcard lib/base/*.c lib/toml/*.c lib/host/*.c)
FUZZ_CFLAGS := $(CSTD) $(WARN) -O1 -g -D_DEFAULT_SOURCE -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
# -timeout: an input that takes this long (seconds) is a finding too.
FUZZ_FLAGS := -dict=fuzz/toml.dict -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	-artifact_prefix=$(FUZZ_DIR)/

.PHONY: fuzz-toml fuzz-toml-merge fuzz-deps

fuzz-deps:
	@scripts/deps.sh fuzz

$(FUZZ_TOML): $(FUZZ_TOML_SRC) $(HEADERS) fuzz/fuzz.mk
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -o $@ $(FUZZ_TOML_SRC) -lm

fuzz-toml: fuzz-deps
	$(MAKE) $(FUZZ_TOML)
	rm -rf $(FUZZ_DIR)/seeds-toml-test
	mkdir -p $(FUZZ_DIR)/corpus-toml $(FUZZ_DIR)/seeds-toml-test
	[ -d $(TOML_TEST_DIR) ] || { echo "fuzz-toml: no toml-test cases under $(TOML_TEST_DIR)" >&2; exit 1; }
	cd $(TOML_TEST_DIR) && find . -name '*.toml' -type f | while read -r f; do \
	  n=$${f#./}; cp "$$f" "$(abspath $(FUZZ_DIR))/seeds-toml-test/$$(echo "$$n" | tr / _)"; \
	done
	$(FUZZ_TOML) $(FUZZ_FLAGS) $(FUZZ_LIMIT) \
	  $(FUZZ_DIR)/corpus-toml fuzz/corpus/toml $(FUZZ_DIR)/seeds-toml-test

fuzz-toml-merge: fuzz-deps
	$(MAKE) $(FUZZ_TOML)
	fuzz/merge_corpus.sh $(FUZZ_TOML) fuzz/corpus/toml $(FUZZ_DIR)/merge-toml $(FUZZ_DIR)/corpus-toml
