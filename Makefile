# SPDX-License-Identifier: MIT
# vmcfg — top-level build. Everything is built out of tree under $(BUILD).
#
#   make               library (build/lib/libvmcfg.a) and CLI (build/bin/vmcfg)
#   make run           boot the demo system on the reference hypervisor under QEMU
#   make demo-cli      the command-line tool's tour (scripts/demo.sh)
#   make test          every test: unit tests, again under ASan+UBSan, integration
#   make freestanding  core library for aarch64 -ffreestanding; checks its symbols
#   make deps          install missing Debian packages (scripts/deps.sh)
#
# Sources are found by folder: every lib/<stage>/*.c is part of the library;
# lib/host and lib/fdt are host-only, the rest is the freestanding core.
# tests/unit/test_*.c are cmocka programs; tests/*/run are integration
# scripts. Further targets come from */*/*.mk fragments (bench, fuzz).

BUILD ?= build
CC ?= cc
AR ?= ar
CROSS ?= aarch64-linux-gnu-
PYTHON ?= python3

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wpointer-arith -Wvla -Wundef -Wformat=2 -Wno-format-nonliteral -Wcast-align \
	-Wimplicit-fallthrough -Wnull-dereference
CSTD := -std=c11
CPPFLAGS := -Iinclude
OPT ?= -O2 -g
CFLAGS_HOST := $(CSTD) $(WARN) $(OPT) -D_DEFAULT_SOURCE
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

HOST_ONLY_DIRS := lib/host lib/fdt
CORE_SRC := $(filter-out $(addsuffix /%,$(HOST_ONLY_DIRS)),$(wildcard lib/*/*.c))
HOST_SRC := $(wildcard $(addsuffix /*.c,$(HOST_ONLY_DIRS)))
LIB_SRC := $(CORE_SRC) $(HOST_SRC)
CLI_SRC := $(wildcard tools/vmcfg/*.c)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
# docs/diagnostics.md too: lib/host/diag_docs.c builds it in (.incbin).
HEADERS := $(wildcard include/vmcfg/*.h lib/*/*.h tools/vmcfg/*.h tests/unit/*.h) docs/diagnostics.md

LDLIBS_HOST := $(if $(wildcard lib/fdt/*.c),-lfdt)

LIB := $(BUILD)/lib/libvmcfg.a
CLI := $(BUILD)/bin/vmcfg
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
ASAN_LIB := $(BUILD)/asan/lib/libvmcfg.a
ASAN_CLI := $(BUILD)/asan/bin/vmcfg
ASAN_UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/asan/tests/%,$(UNIT_SRC))

.PHONY: all lib cli run demo-cli test freestanding deps clean
all: lib cli

lib: $(LIB)
cli: $(CLI)

deps:
	scripts/deps.sh all

# The main job: boot the demo system under QEMU (hv/hv.mk); demo-cli: the CLI's tour.
run: run-hv

demo-cli:
	@scripts/deps.sh build
	$(MAKE) all
	BUILD=$(BUILD) scripts/demo.sh

# --- host build ---
$(BUILD)/obj/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS_HOST) -c $< -o $@

$(LIB): $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRC))
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(CLI): $(patsubst %.c,$(BUILD)/obj/%.o,$(CLI_SRC)) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_HOST) -o $@ $^ $(LDLIBS_HOST)

$(BUILD)/tests/%: tests/unit/%.c $(LIB) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS_HOST) -o $@ $< $(LIB) -lcmocka $(LDLIBS_HOST)

# --- the same under AddressSanitizer + UndefinedBehaviorSanitizer ---
$(BUILD)/asan/obj/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS_HOST) $(SAN) -c $< -o $@

$(ASAN_LIB): $(patsubst %.c,$(BUILD)/asan/obj/%.o,$(LIB_SRC))
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(ASAN_CLI): $(patsubst %.c,$(BUILD)/asan/obj/%.o,$(CLI_SRC)) $(ASAN_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_HOST) $(SAN) -o $@ $^ $(LDLIBS_HOST)

$(BUILD)/asan/tests/%: tests/unit/%.c $(ASAN_LIB) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS_HOST) $(SAN) -o $@ $< $(ASAN_LIB) -lcmocka $(LDLIBS_HOST)

# --- tests: tests/run.sh runs each suite and prints the closing tally ---
# The dependency step runs first, before anything is compiled.
test:
	@scripts/deps.sh test
	$(MAKE) all $(UNIT_BIN) $(ASAN_UNIT_BIN) $(ASAN_CLI)
	BUILD=$(BUILD) PYTHON=$(PYTHON) tests/run.sh $(UNIT_BIN) $(ASAN_UNIT_BIN)

# --- freestanding aarch64 build of the core ---
FS_CFLAGS := $(CSTD) $(WARN) -O2 -ffreestanding -nostdlib -mgeneral-regs-only \
	-mstrict-align -mno-outline-atomics -fno-stack-protector -fno-pic
FS_OBJ := $(patsubst %.c,$(BUILD)/freestanding/%.o,$(CORE_SRC))

$(BUILD)/freestanding/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(CPPFLAGS) $(FS_CFLAGS) -c $< -o $@

$(BUILD)/freestanding/libvmcfg-core.a: $(FS_OBJ)
	rm -f $@
	$(CROSS)ar rcs $@ $^

freestanding:
	@scripts/deps.sh build
	$(MAKE) $(BUILD)/freestanding/libvmcfg-core.a
	CROSS=$(CROSS) scripts/check-freestanding.sh $(BUILD)/freestanding/libvmcfg-core.a

clean:
	rm -rf $(BUILD)

-include $(wildcard bench/*/*.mk tests/*/*.mk fuzz/*.mk hv/*.mk guests/*.mk)
