# SPDX-License-Identifier: MIT
# TOML parser benchmark: vmcfg against toml++ and Python's tomllib.
#
#   make bench-toml [BENCH_MIN_TIME=2.0] [BENCH_MIN_ITERS=10]
#
# Inputs: (a) a generated ~10 MB file shaped like AxVisor VM configs
# (bench/toml/gen_configs.py, fixed seed), (b) every valid toml-test document.
# Needs g++, libtomlplusplus-dev and Python >= 3.11 (installed when missing:
# scripts/deps.sh bench-toml).
# Prints a Markdown table (bench/toml/run_bench.py); see BENCHMARKS.md.

BENCH_MIN_TIME ?= 2.0
BENCH_MIN_ITERS ?= 10
BENCH_TOML_DIR := $(BUILD)/bench
BENCH_TOML_GEN := $(BENCH_TOML_DIR)/vm-configs-10mb.toml
TOML_TEST_DIR := tests/data/toml-test/tests

.PHONY: bench-toml bench-toml-deps

bench-toml-deps:
	@scripts/deps.sh bench-toml

$(BENCH_TOML_DIR)/bench_toml: bench/toml/bench_toml.c $(LIB) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS_HOST) -o $@ $< $(LIB) $(LDLIBS_HOST)

$(BENCH_TOML_DIR)/bench_tomlpp: bench/toml/bench_tomlpp.cpp
	@mkdir -p $(dir $@)
	g++ -O2 -std=c++17 -Wall -Wextra -Werror -o $@ $<

$(BENCH_TOML_GEN): bench/toml/gen_configs.py
	@mkdir -p $(dir $@)
	$(PYTHON) bench/toml/gen_configs.py $@

bench-toml: bench-toml-deps
	$(MAKE) $(LIB) $(BENCH_TOML_DIR)/bench_toml $(BENCH_TOML_DIR)/bench_tomlpp $(BENCH_TOML_GEN)
	$(PYTHON) bench/toml/run_bench.py --vmcfg $(BENCH_TOML_DIR)/bench_toml \
	  --tomlpp $(BENCH_TOML_DIR)/bench_tomlpp --python $(PYTHON) \
	  --generated $(BENCH_TOML_GEN) --toml-test $(TOML_TEST_DIR) --min-time $(BENCH_MIN_TIME) \
	  --min-iters $(BENCH_MIN_ITERS)
