# SPDX-License-Identifier: MIT
# Fuzzing the CLI's rendering with libFuzzer (clang): the library's text
# renderer, the report writers (text, JSON, SARIF) and the memory map.
#
#   make fuzz-render [FUZZ_SECONDS=60]   build and run fuzz/fuzz_render.c for N seconds
#
# Seeds: the VM files of examples/ and tests/check/ (read, never written);
# new inputs go to $(BUILD)/fuzz/corpus-render. Uses FUZZ_CC/CFLAGS/FLAGS and
# fuzz-deps from fuzz/fuzz.mk in its recipes (fragments are read in any order).

RENDER_FUZZ_DIR := $(BUILD)/fuzz
FUZZ_RENDER := $(RENDER_FUZZ_DIR)/fuzz_render
FUZZ_RENDER_SRC := fuzz/fuzz_render.c $(wildcard lib/*/*.c) \
	$(addprefix tools/vmcfg/,report.c load.c map_model.c map_svg.c sim_host.c)

.PHONY: fuzz-render

$(FUZZ_RENDER): $(FUZZ_RENDER_SRC) $(HEADERS) fuzz/render.mk
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) -Itools/vmcfg $(FUZZ_CFLAGS) -o $@ $(FUZZ_RENDER_SRC) -lfdt -lm

fuzz-render: fuzz-deps
	$(MAKE) $(FUZZ_RENDER)
	rm -rf $(RENDER_FUZZ_DIR)/seeds-render
	mkdir -p $(RENDER_FUZZ_DIR)/corpus-render $(RENDER_FUZZ_DIR)/seeds-render
	for f in examples/*/*.toml tests/check/*.toml; do \
	  cp "$$f" "$(RENDER_FUZZ_DIR)/seeds-render/$$(echo "$$f" | tr / _)"; \
	done
	$(FUZZ_RENDER) $(FUZZ_FLAGS) $(FUZZ_LIMIT) \
	  $(RENDER_FUZZ_DIR)/corpus-render $(RENDER_FUZZ_DIR)/seeds-render
