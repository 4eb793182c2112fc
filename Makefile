# SPDX-License-Identifier: MIT
# vmcfg — top-level build. Everything is built out of tree under $(BUILD).
#
#   make               libraries (build/lib/libvmcfg.a, .so) and CLI (build/bin/vmcfg)
#   make run           boot the demo system on the reference hypervisor under QEMU
#                      (ARCH=riscv64: the riscv64 hypervisor and its demo, hv/README.md)
#   make demo-cli      the command-line tool's tour (scripts/demo.sh)
#   make test          every test: unit tests, again under ASan+UBSan, integration
#   make freestanding  core library for aarch64 -ffreestanding; checks its symbols
#   make deps          install missing Debian packages (scripts/deps.sh)
#   ./build.sh ARGS    make ARGS on a machine without make (installs it first)
#   make install       install into $(DESTDIR)$(PREFIX) (uninstall removes it again)
#   make deb           Debian packages into build/deb, checked by lintian
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

# The one version number (VERSION): the soname, the .pc file and the Debian
# changelog take it from there; vmcfg/base.h's VMCFG_VERSION must equal it.
VERSION := $(shell cat VERSION)
SOMAJOR := $(firstword $(subst ., ,$(VERSION)))

LIB := $(BUILD)/lib/libvmcfg.a
SO := $(BUILD)/lib/libvmcfg.so.$(VERSION)
SONAME := libvmcfg.so.$(SOMAJOR)
CLI := $(BUILD)/bin/vmcfg
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
ASAN_LIB := $(BUILD)/asan/lib/libvmcfg.a
ASAN_CLI := $(BUILD)/asan/bin/vmcfg
ASAN_UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/asan/tests/%,$(UNIT_SRC))

.PHONY: all lib cli run demo-cli test freestanding deps clean
all: lib cli

lib: $(LIB) $(SO)
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

# Library objects serve both libraries: position-independent, and hidden
# unless a public header declares them (VMCFG_BEGIN_DECLS in vmcfg/base.h).
LIB_CFLAGS := -fPIC -fvisibility=hidden
$(BUILD)/obj/lib/%.o: lib/%.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS_HOST) $(LIB_CFLAGS) -c $< -o $@

$(LIB): $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRC)) | $(BUILD)/version.ok
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(SO): $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRC)) | $(BUILD)/version.ok
	@mkdir -p $(dir $@)
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--no-undefined $(LDFLAGS) -o $@ $^ $(LDLIBS_HOST)
	ln -sf $(notdir $@) $(dir $@)$(SONAME)
	ln -sf $(SONAME) $(dir $@)libvmcfg.so

# VERSION is the one place; the header and debian/changelog must agree with it.
$(BUILD)/version.ok: VERSION include/vmcfg/base.h $(wildcard debian/changelog)
	scripts/check-version.sh
	@mkdir -p $(dir $@)
	touch $@

$(CLI): $(patsubst %.c,$(BUILD)/obj/%.o,$(CLI_SRC)) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_HOST) $(LDFLAGS) -o $@ $^ $(LDLIBS_HOST)

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

# --- man pages (scdoc), pkg-config file, install ---
# PREFIX and DESTDIR as usual; LIBDIR may be a multiarch directory
# (Debian: LIBDIR=/usr/lib/x86_64-linux-gnu). uninstall removes exactly what
# install wrote.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
MAN_SRC := $(wildcard docs/man/*.scd)
MAN := $(patsubst docs/man/%.scd,$(BUILD)/man/%,$(MAN_SRC))
PUBLIC_HEADERS := $(wildcard include/vmcfg/*.h)

.PHONY: man install uninstall deb
man: $(MAN)

$(BUILD)/man/%: docs/man/%.scd
	@mkdir -p $(dir $@)
	scdoc <$< >$@

# The prefix is only known at install time, so the .pc file is written then.
$(BUILD)/pkgconfig/vmcfg.pc: VERSION FORCE
	@mkdir -p $(dir $@)
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' 'includedir=$(INCLUDEDIR)' '' \
		'Name: vmcfg' \
		'Description: VM configuration files of a partitioning hypervisor: parse, check, convert, build' \
		'Version: $(VERSION)' \
		'Libs: -L$${libdir} -lvmcfg' \
		'Libs.private: $(LDLIBS_HOST)' \
		'Cflags: -I$${includedir}' >$@
FORCE:

install: all man $(BUILD)/pkgconfig/vmcfg.pc
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/vmcfg \
		$(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man5
	install -m 0755 $(CLI) $(DESTDIR)$(BINDIR)/vmcfg
	install -m 0644 $(LIB) $(DESTDIR)$(LIBDIR)/libvmcfg.a
	install -m 0644 $(SO) $(DESTDIR)$(LIBDIR)/$(notdir $(SO))
	ln -sf $(notdir $(SO)) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libvmcfg.so
	install -m 0644 $(PUBLIC_HEADERS) $(DESTDIR)$(INCLUDEDIR)/vmcfg/
	install -m 0644 $(BUILD)/pkgconfig/vmcfg.pc $(DESTDIR)$(PKGCONFIGDIR)/vmcfg.pc
	install -m 0644 tools/vmcfg/completion.bash $(DESTDIR)$(BASHCOMPDIR)/vmcfg
	install -m 0644 $(filter %.1,$(MAN)) $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 $(filter %.3,$(MAN)) $(DESTDIR)$(MANDIR)/man3/
	install -m 0644 $(filter %.5,$(MAN)) $(DESTDIR)$(MANDIR)/man5/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/vmcfg $(DESTDIR)$(LIBDIR)/libvmcfg.a \
		$(DESTDIR)$(LIBDIR)/$(notdir $(SO)) $(DESTDIR)$(LIBDIR)/$(SONAME) \
		$(DESTDIR)$(LIBDIR)/libvmcfg.so $(DESTDIR)$(PKGCONFIGDIR)/vmcfg.pc \
		$(DESTDIR)$(BASHCOMPDIR)/vmcfg \
		$(addprefix $(DESTDIR)$(INCLUDEDIR)/vmcfg/,$(notdir $(PUBLIC_HEADERS))) \
		$(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(filter %.1,$(MAN)))) \
		$(addprefix $(DESTDIR)$(MANDIR)/man3/,$(notdir $(filter %.3,$(MAN)))) \
		$(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(filter %.5,$(MAN))))
	rmdir $(DESTDIR)$(INCLUDEDIR)/vmcfg 2>/dev/null || true

# Debian packages (debian/) built from a copy of the tree, into $(BUILD)/deb;
# fails when lintian reports an error.
deb:
	@scripts/deps.sh deb
	BUILD=$(BUILD) scripts/build-deb.sh

clean:
	rm -rf $(BUILD)

-include $(wildcard bench/*/*.mk tests/*/*.mk fuzz/*.mk hv/*.mk guests/*.mk)
