# SPDX-License-Identifier: MIT
# What comments cost `vmcfg fmt` (issue 21: a 10 MB commented file in under
# 2x the time of the same file without comments), taplo beside it.
#
#   make bench-fmt [FMT_SIZE=10000000] [FMT_RUNS=3]
#
# bench/fmt/gen_commented.py writes the pair; bench/fmt/measure_fmt.py prints
# a Markdown table (instructions from callgrind, page faults, time, peak
# RSS). taplo (npm @taplo/cli) is installed into $(BUILD)/bench/taplo when
# npm is there; without it the table has vmcfg only. Needs valgrind.
FMT_SIZE ?= 10000000
FMT_RUNS ?= 3
BENCH_FMT_DIR := $(BUILD)/bench/fmt
BENCH_FMT_TAPLO := $(BUILD)/bench/taplo/node_modules/.bin/taplo

.PHONY: bench-fmt

$(BENCH_FMT_DIR)/commented.toml $(BENCH_FMT_DIR)/plain.toml: bench/fmt/gen_commented.py
	@mkdir -p $(BENCH_FMT_DIR)
	$(PYTHON) bench/fmt/gen_commented.py $(BENCH_FMT_DIR)/commented.toml --size $(FMT_SIZE)
	$(PYTHON) bench/fmt/gen_commented.py $(BENCH_FMT_DIR)/plain.toml --size $(FMT_SIZE) --no-comments

bench-fmt: $(CLI) $(BENCH_FMT_DIR)/commented.toml $(BENCH_FMT_DIR)/plain.toml
	@[ -x $(BENCH_FMT_TAPLO) ] || ! command -v npm >/dev/null || \
	  npm install --no-audit --no-fund -s --prefix $(BUILD)/bench/taplo @taplo/cli >&2 || true
	$(PYTHON) bench/fmt/measure_fmt.py --vmcfg $(CLI) --runs $(FMT_RUNS) \
	  $(if $(wildcard $(BENCH_FMT_TAPLO)),--taplo $(BENCH_FMT_TAPLO)) \
	  $(BENCH_FMT_DIR)/commented.toml $(BENCH_FMT_DIR)/plain.toml

# --- bench-fmt-measure: the same pair formatted in one process (bench/fmt/bench_fmt.c) ---
#
#   make bench-fmt-measure [FMT_RUNS=3]
#
# Instructions per format, page faults and time one-shot (the first format of
# a fresh process, default malloc) and warm (the formats after the first,
# glibc keeping its memory), and the library's peak heap; then the
# whole-process table of bench-fmt. Needs valgrind.
BENCH_FMT_BIN := $(BUILD)/bench/bench_fmt

.PHONY: bench-fmt-measure

$(BENCH_FMT_BIN): bench/fmt/bench_fmt.c $(LIB) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS_HOST) -o $@ $< $(LIB) $(LDLIBS_HOST)

bench-fmt-measure: $(BENCH_FMT_BIN) $(CLI) $(BENCH_FMT_DIR)/commented.toml $(BENCH_FMT_DIR)/plain.toml
	@[ -x $(BENCH_FMT_TAPLO) ] || ! command -v npm >/dev/null || \
	  npm install --no-audit --no-fund -s --prefix $(BUILD)/bench/taplo @taplo/cli >&2 || true
	$(PYTHON) bench/fmt/measure_fmt.py --vmcfg $(CLI) --bench $(BENCH_FMT_BIN) --runs $(FMT_RUNS) \
	  $(if $(wildcard $(BENCH_FMT_TAPLO)),--taplo $(BENCH_FMT_TAPLO)) \
	  $(BENCH_FMT_DIR)/commented.toml $(BENCH_FMT_DIR)/plain.toml
