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

# --- bench-toml-measure: instructions, page faults, peak heap and time (bench/toml/measure.py) ---
#
#   make bench-toml-measure [MEASURE_RUNS=5]
#
# Both 10 MB documents (the VM-shaped one and gen_configs.py --dense), vmcfg
# against toml++, the Rust `toml` crate and tomllib, one-shot (default malloc)
# and warm. The Rust peer is built offline (bench/toml/rust, Debian's
# librust-toml-dev through .cargo/config.toml) into $(BUILD)/bench/rust;
# without cargo or the crate its row is left out. Needs valgrind. tomllib's
# instructions are not counted (minutes under callgrind).
MEASURE_RUNS ?= 5
BENCH_TOML_DENSE := $(BENCH_TOML_DIR)/dense-10mb.toml
BENCH_TOML_RUST := $(abspath $(BENCH_TOML_DIR))/rust/release/bench-toml-rust

.PHONY: bench-toml-measure bench-toml-rust

$(BENCH_TOML_DENSE): bench/toml/gen_configs.py
	@mkdir -p $(dir $@)
	$(PYTHON) bench/toml/gen_configs.py $@ --dense

bench-toml-rust:
	@if command -v cargo >/dev/null && [ -d /usr/share/cargo/registry ] && \
	    ls /usr/share/cargo/registry | grep -q '^toml-0'; then \
	  cd bench/toml/rust && cargo build --release --offline -q \
	    --target-dir $(abspath $(BENCH_TOML_DIR))/rust; \
	else echo "bench-toml-rust: no cargo or librust-toml-dev; the Rust peer is left out" >&2; fi

bench-toml-measure: bench-toml-deps bench-toml-rust
	$(MAKE) $(LIB) $(BENCH_TOML_DIR)/bench_toml $(BENCH_TOML_DIR)/bench_tomlpp $(BENCH_TOML_GEN) \
	  $(BENCH_TOML_DENSE)
	$(PYTHON) bench/toml/measure.py --vmcfg $(BENCH_TOML_DIR)/bench_toml \
	  --tomlpp $(BENCH_TOML_DIR)/bench_tomlpp --python $(PYTHON) --runs $(MEASURE_RUNS) \
	  $(if $(wildcard $(BENCH_TOML_RUST)),--rust $(BENCH_TOML_RUST)) --no-callgrind tomllib \
	  vm-shaped=$(BENCH_TOML_GEN) dense=$(BENCH_TOML_DENSE)
