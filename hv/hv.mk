# SPDX-License-Identifier: MIT
# hv/hv.mk — the reference hypervisor, built freestanding for aarch64 EL2.
#
#   make hv        $(BUILD)/hv/hv.elf: the hypervisor with the config files of
#                  $(HV_CONFIG_DIRS) and the guests of guests/ built in
#   make run-hv    builds it and boots the demo system (examples/demo/system.toml)
#                  under QEMU; QEMU's exit status is the hypervisor's (hv/README.md).
#                  SYSTEM=examples/qemu/system.toml picks another built-in system
#                  file, VMS=hello,uart some of its VMs (default: all).
#   make hv-libfdt $(BUILD)/hv/libfdt/libfdt.a: libfdt from Debian's source, built
#                  with the hypervisor's flags (downloads it: scripts/libfdt-src.sh)
#
# Folders are the architecture: hv/arch/$(HV_ARCH), hv/platform/$(HV_PLATFORM),
# hv/core. The core library is compiled with the same flags into an archive,
# so only the objects the hypervisor references are linked.

HV_ARCH := aarch64
HV_PLATFORM := qemu-virt
HV_DIR := $(BUILD)/hv
HV_ELF := $(HV_DIR)/hv.elf
HV_LDS := hv/arch/$(HV_ARCH)/hv.ld

HV_SRC := $(wildcard hv/core/*.c hv/arch/$(HV_ARCH)/*.c hv/arch/$(HV_ARCH)/*.S \
	hv/platform/$(HV_PLATFORM)/*.c)
HV_HEADERS := $(wildcard hv/core/*.h hv/arch/$(HV_ARCH)/*.h hv/platform/$(HV_PLATFORM)/*.h)
# The whole freestanding core: the same code the CLI runs (parse, check,
# convert, build), so the hypervisor has no second implementation of any rule.
HV_LIB_SRC := $(CORE_SRC)

# The files built into the image (core/files.h), each under the path the
# hypervisor looks it up by: every TOML file of the config folders at its own
# path, and every guest of guests/ (guests/guests.mk builds them) as an image
# in each config folder, where a kernel_path = "NAME.bin" of image_location
# "memory" (relative to its config file) finds it. A device tree source of a
# config folder (a dtb_path = "NAME.dts") is built in compiled by dtc, under its
# own path: the hypervisor reads no DTS, and `vmcfg dtb` compiles the same file
# with the same dtc when it reads it, so both start from the same blob.
HV_CONFIG_DIRS := examples/demo examples/qemu
HV_CONFIGS := $(wildcard $(addsuffix /*.toml,$(HV_CONFIG_DIRS)))
HV_DTS := $(wildcard $(addsuffix /*.dts,$(HV_CONFIG_DIRS)))
HV_DTS_BLOBS := $(patsubst %.dts,$(HV_DIR)/dts/%.dtb,$(HV_DTS))
HV_GUEST_BINS := $(patsubst guests/%.c,$(BUILD)/guests/%.bin,$(wildcard guests/*.c))
HV_FILES := $(foreach f,$(HV_CONFIGS),$(f)=$(f)) \
	$(foreach f,$(HV_DTS),$(f)=$(HV_DIR)/dts/$(f:.dts=.dtb)) \
	$(foreach d,$(HV_CONFIG_DIRS),$(foreach b,$(HV_GUEST_BINS),$(d)/$(notdir $(b))=$(b)))

HV_CPPFLAGS := $(CPPFLAGS) -Ihv
HV_CFLAGS := $(FS_CFLAGS) -g
HV_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-T,$(HV_LDS)

HV_OBJ := $(patsubst %,$(HV_DIR)/%.o,$(basename $(HV_SRC))) $(HV_DIR)/files.o
# lib/fdt, unchanged, for guest DTs at boot (core/guest_dt.c): all but dtc.c,
# which runs the dtc program.
HV_FDT_SRC := $(filter-out lib/fdt/dtc.c,$(wildcard lib/fdt/*.c))
HV_FDT_OBJ := $(patsubst %.c,$(HV_DIR)/fdt/%.o,$(HV_FDT_SRC))
HV_LIB_OBJ := $(patsubst %.c,$(HV_DIR)/%.o,$(HV_LIB_SRC))
HV_LIB := $(HV_DIR)/libvmcfg-core.a

HV_QEMU := qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu cortex-a72 \
	-smp 2 -m 1G -nographic -net none -semihosting

HV_BOOTARGS := $(strip $(if $(SYSTEM),system=$(SYSTEM)) $(if $(VMS),vms=$(VMS)))

.PHONY: hv run-hv
hv: $(HV_ELF)

# deps.sh run: QEMU and the cross compiler, so a fresh Debian machine needs nothing else.
run-hv:
	@scripts/deps.sh run
	$(MAKE) hv
	$(HV_QEMU) -kernel $(HV_ELF) $(if $(HV_BOOTARGS),-append "$(HV_BOOTARGS)")

$(HV_DIR)/%.o: %.c $(HEADERS) $(HV_HEADERS)
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(HV_CPPFLAGS) $(HV_CFLAGS) -c $< -o $@

$(HV_DIR)/%.o: %.S $(HV_HEADERS)
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(HV_CPPFLAGS) -c $< -o $@

# memcpy & co. must not be turned back into calls to themselves.
$(HV_DIR)/hv/core/libc.o: HV_CFLAGS += -fno-tree-loop-distribute-patterns

# The built-in files as a table of {path, bytes, size} (struct hv_file).
$(HV_DIR)/files.S: $(HV_CONFIGS) $(HV_DTS_BLOBS) $(HV_GUEST_BINS) hv/embed.sh hv/hv.mk
	@mkdir -p $(dir $@)
	hv/embed.sh $@ $(HV_FILES)

# As vmcfg_fdt_read compiles a DTS (lib/fdt/dtc.c: dtc -q -I dts -O dtb).
$(HV_DIR)/dts/%.dtb: %.dts
	@mkdir -p $(dir $@)
	dtc -q -I dts -O dtb -o $@ $<

$(HV_DIR)/files.o: $(HV_DIR)/files.S
	$(CROSS)gcc -c $< -o $@

# libfdt for the hypervisor, from Debian's packaged source (scripts/libfdt-src.sh
# downloads and unpacks it into $(HV_LIBFDT_DIR)/src at build time: none of its
# code is in this repository), compiled with the hypervisor's freestanding flags;
# <string.h>, <stdlib.h> and <limits.h> come from hv/libfdt-env (hv/core/libc.c's functions).
# Linked into hv.elf with lib/fdt (HV_FDT_OBJ), so `make hv` downloads it once
# per build folder.
HV_LIBFDT_DIR := $(HV_DIR)/libfdt
HV_LIBFDT := $(HV_LIBFDT_DIR)/libfdt.a
HV_LIBFDT_NAMES := fdt fdt_ro fdt_rw fdt_sw fdt_wip fdt_strerror fdt_empty_tree fdt_addresses fdt_check
HV_LIBFDT_OBJ := $(HV_LIBFDT_NAMES:%=$(HV_LIBFDT_DIR)/obj/%.o)
HV_LIBFDT_CPPFLAGS := -Ihv/libfdt-env -Ihv -I$(HV_LIBFDT_DIR)/src/libfdt
# Its code, not ours: -Wcast-align flags its struct pointer casts into the
# blob, whose fields it reads through fdt32_ld & co. byte by byte.
HV_LIBFDT_CFLAGS := $(filter-out -Wcast-align,$(HV_CFLAGS))

.PHONY: hv-libfdt
hv-libfdt: $(HV_LIBFDT)

$(HV_LIBFDT_DIR)/src/VERSION.debian: scripts/libfdt-src.sh
	scripts/libfdt-src.sh $(HV_LIBFDT_DIR)

$(HV_LIBFDT_DIR)/obj/%.o: $(HV_LIBFDT_DIR)/src/VERSION.debian hv/libfdt-env/string.h \
		hv/libfdt-env/stdlib.h hv/libfdt-env/limits.h hv/core/libc.h
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(HV_LIBFDT_CPPFLAGS) $(HV_LIBFDT_CFLAGS) -c $(HV_LIBFDT_DIR)/src/libfdt/$*.c -o $@

$(HV_LIBFDT): $(HV_LIBFDT_OBJ)
	rm -f $@
	$(CROSS)ar rcs $@ $^

$(HV_LIB): $(HV_LIB_OBJ)
	rm -f $@
	$(CROSS)ar rcs $@ $^

# lib/fdt's sources as they are, against libfdt's headers and hv/libfdt-env.
$(HV_DIR)/fdt/%.o: %.c $(HEADERS) $(HV_LIBFDT_DIR)/src/VERSION.debian $(wildcard hv/libfdt-env/*.h)
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(HV_LIBFDT_CPPFLAGS) $(CPPFLAGS) $(HV_CFLAGS) -c $< -o $@

$(HV_ELF): $(HV_OBJ) $(HV_FDT_OBJ) $(HV_LIB) $(HV_LIBFDT) $(HV_LDS)
	$(CROSS)gcc $(HV_LDFLAGS) -o $@ $(HV_OBJ) $(HV_FDT_OBJ) $(HV_LIB) $(HV_LIBFDT)
