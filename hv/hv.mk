# SPDX-License-Identifier: MIT
# hv/hv.mk — the reference hypervisor, built freestanding for aarch64 EL2, or
# with ARCH=riscv64 for riscv64 HS-mode under OpenSBI.
#
#   make hv        $(BUILD)/hv/hv.elf: the hypervisor with the config files of
#                  $(HV_CONFIG_DIRS) and the guests of guests/ built in
#                  (ARCH=riscv64: $(BUILD)/hv-riscv64/hv.elf, examples/qemu-riscv64)
#   make run-hv    builds it and boots the demo system (examples/demo/system.toml;
#                  ARCH=riscv64: examples/qemu-riscv64/system.toml) under QEMU;
#                  QEMU's exit status is the hypervisor's (hv/README.md).
#                  SYSTEM=examples/qemu/system.toml picks another built-in system
#                  file, VMS=hello,uart some of its VMs (default: all).
#   make hv-libfdt $(BUILD)/hv/libfdt/libfdt.a: libfdt from Debian's source, built
#                  with the hypervisor's flags (downloads it: scripts/libfdt-src.sh)
#
# Folders are the architecture: hv/arch/$(HV_ARCH), hv/platform/$(HV_PLATFORM),
# hv/core. The core library is compiled with the same flags into an archive,
# so only the objects the hypervisor references are linked.

# ARCH from the command line (make run ARCH=riscv64) or a makefile; an ARCH
# the environment happens to hold (kernel builds export one) is not ours.
ifeq ($(origin ARCH),environment)
HV_ARCH := aarch64
else
HV_ARCH := $(or $(ARCH),aarch64)
endif
ifeq ($(HV_ARCH),riscv64)
HV_PLATFORM := qemu-virt-riscv64
HV_CROSS := riscv64-linux-gnu-
HV_DIR := $(BUILD)/hv-riscv64
HV_CONFIG_DIRS := examples/qemu-riscv64
# lp64d, the ABI of Debian's cross libgcc (__clzdi2 & co.); the hypervisor
# has no floating-point code, so HS-mode runs with sstatus.FS off but for
# the FP switch (entry.S). medany: the image runs at 0x8020_0000, above
# what medlow reaches.
HV_ARCH_CFLAGS := -march=rv64imafdc_zicsr_zifencei -mabi=lp64d -mcmodel=medany -mstrict-align
HV_ARCH_LDLIBS := -lgcc
HV_ARCH_CPPFLAGS := -DHV_DEFAULT_SYSTEM='"examples/qemu-riscv64/system.toml"'
# OpenSBI fw_dynamic is QEMU's default -bios (Debian's qemu-system-data).
HV_QEMU := qemu-system-riscv64 -M virt -smp 2 -m 1G -nographic -net none
# The riscv64 test guests (guests/guests.mk, included after this file: hence
# the recursive variables and the second expansion of files.S's prerequisites).
HV_GUEST_BINS = $(GUEST_NAMES_riscv64:%=$(GUEST_DIR_riscv64)/%.bin) $(HV_DIR)/guests/hello-0x90200000.bin
else ifeq ($(HV_ARCH),aarch64)
HV_PLATFORM := qemu-virt
HV_CROSS := $(CROSS)
HV_DIR := $(BUILD)/hv
HV_CONFIG_DIRS := examples/demo examples/qemu
HV_ARCH_CFLAGS := -mgeneral-regs-only -mstrict-align -mno-outline-atomics
HV_ARCH_CPPFLAGS :=
HV_ARCH_LDLIBS :=
HV_QEMU := qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu cortex-a72 \
	-smp 2 -m 1G -nographic -net none -semihosting
HV_GUEST_BINS = $(patsubst guests/%.c,$(BUILD)/guests/%.bin,$(wildcard guests/*.c))
else
$(error ARCH=$(HV_ARCH): the hypervisor is built for aarch64 or riscv64)
endif
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
# "memory" (relative to its config file) finds it, and again under fs/, the
# hypervisor's file system, where an image_location "fs" path "NAME.bin" finds
# it (core/files.h). A device tree source of a
# config folder (a dtb_path = "NAME.dts") is built in compiled by dtc, under its
# own path: the hypervisor reads no DTS, and `vmcfg dtb` compiles the same file
# with the same dtc when it reads it, so both start from the same blob.
HV_CONFIGS := $(wildcard $(addsuffix /*.toml,$(HV_CONFIG_DIRS)))
HV_DTS := $(wildcard $(addsuffix /*.dts,$(HV_CONFIG_DIRS)))
HV_DTS_BLOBS := $(patsubst %.dts,$(HV_DIR)/dts/%.dtb,$(HV_DTS))
HV_FILES = $(foreach f,$(HV_CONFIGS),$(f)=$(f)) \
	$(foreach f,$(HV_DTS),$(f)=$(HV_DIR)/dts/$(f:.dts=.dtb)) \
	$(foreach d,$(HV_CONFIG_DIRS),$(foreach b,$(HV_GUEST_BINS),$(d)/$(notdir $(b))=$(b))) \
	$(foreach b,$(HV_GUEST_BINS),fs/$(notdir $(b))=$(b))

HV_CPPFLAGS := $(CPPFLAGS) -Ihv -Ihv/arch/$(HV_ARCH) $(HV_ARCH_CPPFLAGS)
# FS_CFLAGS less its aarch64 flags, plus the architecture's.
HV_CFLAGS := $(filter-out -mgeneral-regs-only -mstrict-align -mno-outline-atomics,$(FS_CFLAGS)) \
	$(HV_ARCH_CFLAGS) -g
HV_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-T,$(HV_LDS)

HV_OBJ := $(patsubst %,$(HV_DIR)/%.o,$(basename $(HV_SRC))) $(HV_DIR)/files.o
# lib/fdt, unchanged, for guest DTs at boot (core/guest_dt.c): all but dtc.c,
# which runs the dtc program.
HV_FDT_SRC := $(filter-out lib/fdt/dtc.c,$(wildcard lib/fdt/*.c))
HV_FDT_OBJ := $(patsubst %.c,$(HV_DIR)/fdt/%.o,$(HV_FDT_SRC))
HV_LIB_OBJ := $(patsubst %.c,$(HV_DIR)/%.o,$(HV_LIB_SRC))
HV_LIB := $(HV_DIR)/libvmcfg-core.a

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
	$(HV_CROSS)gcc $(HV_CPPFLAGS) $(HV_CFLAGS) -c $< -o $@

$(HV_DIR)/%.o: %.S $(HV_HEADERS)
	@mkdir -p $(dir $@)
	$(HV_CROSS)gcc $(HV_CPPFLAGS) -c $< -o $@

# memcpy & co. must not be turned back into calls to themselves.
$(HV_DIR)/hv/core/libc.o: HV_CFLAGS += -fno-tree-loop-distribute-patterns

# The built-in files as a table of {path, bytes, size} (struct hv_file).
.SECONDEXPANSION:
$(HV_DIR)/files.S: $(HV_CONFIGS) $(HV_DTS_BLOBS) $$(HV_GUEST_BINS) hv/embed.sh hv/hv.mk
	@mkdir -p $(dir $@)
	hv/embed.sh $@ $(HV_FILES)

# AxVisor's nimbos-riscv64-qemu-smp1.toml (examples/qemu-riscv64/nimbos.toml)
# loads its kernel at 0x9020_0000: the hello guest linked there.
$(HV_DIR)/guests/hello-0x90200000.elf: $$(GUEST_DIR_riscv64)/hello.o $$(GUEST_COMMON_OBJ_riscv64) \
		guests/arch/riscv64/guest.ld
	@mkdir -p $(dir $@)
	$(GUEST_CROSS_riscv64)gcc -nostdlib -static -no-pie -Wl,--build-id=none \
		-Wl,-T,guests/arch/riscv64/guest.ld -Wl,--defsym=GUEST_LOAD=0x90200000 \
		$(filter -march=% -mabi=% -mcmodel=%,$(GUEST_CFLAGS_riscv64)) \
		-o $@ $(GUEST_DIR_riscv64)/hello.o $(GUEST_COMMON_OBJ_riscv64)

$(HV_DIR)/guests/hello-0x90200000.bin: $(HV_DIR)/guests/hello-0x90200000.elf
	$(GUEST_CROSS_riscv64)objcopy -O binary $< $@

# As vmcfg_fdt_read compiles a DTS (lib/fdt/dtc.c: dtc -q -I dts -O dtb).
$(HV_DIR)/dts/%.dtb: %.dts
	@mkdir -p $(dir $@)
	dtc -q -I dts -O dtb -o $@ $<

$(HV_DIR)/files.o: $(HV_DIR)/files.S
	$(HV_CROSS)gcc -c $< -o $@

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
	$(HV_CROSS)gcc $(HV_LIBFDT_CPPFLAGS) $(HV_LIBFDT_CFLAGS) -c $(HV_LIBFDT_DIR)/src/libfdt/$*.c -o $@

$(HV_LIBFDT): $(HV_LIBFDT_OBJ)
	rm -f $@
	$(HV_CROSS)ar rcs $@ $^

$(HV_LIB): $(HV_LIB_OBJ)
	rm -f $@
	$(HV_CROSS)ar rcs $@ $^

# lib/fdt's sources as they are, against libfdt's headers and hv/libfdt-env.
$(HV_DIR)/fdt/%.o: %.c $(HEADERS) $(HV_LIBFDT_DIR)/src/VERSION.debian $(wildcard hv/libfdt-env/*.h)
	@mkdir -p $(dir $@)
	$(HV_CROSS)gcc $(HV_LIBFDT_CPPFLAGS) $(CPPFLAGS) $(HV_CFLAGS) -c $< -o $@

$(HV_ELF): $(HV_OBJ) $(HV_FDT_OBJ) $(HV_LIB) $(HV_LIBFDT) $(HV_LDS)
	$(HV_CROSS)gcc $(HV_LDFLAGS) -o $@ $(HV_OBJ) $(HV_FDT_OBJ) $(HV_LIB) $(HV_LIBFDT) $(HV_ARCH_LDLIBS)
