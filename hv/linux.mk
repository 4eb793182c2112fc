# SPDX-License-Identifier: MIT
# hv/linux.mk — Debian Linux guests on the reference hypervisor (issue 11).
#
#   make linux-hv   $(BUILD)/linux/hv-linux.elf: the hypervisor with the
#                   systems of examples/linux built in, with Debian's arm64
#                   kernel (fetched at build time, never committed), the
#                   initramfs and each VM's generated device tree
#   make run-linux  builds it and boots examples/linux/system.toml under QEMU
#   make run-linux-plain   the same kernel and initramfs booted directly by
#                   QEMU (no hypervisor), one CPU: the baseline of the boot ratio
#
# ARCH=riscv64: the same for Debian's riscv64 kernel (from trixie) and the
# riscv64 hypervisor, from examples/linux-riscv64 into $(BUILD)/riscv64/linux;
# linux-hv and run-linux need hv/arch/riscv64 (they say so while it is not
# in the tree), run-linux-plain does not.
#
# The kernel comes from scripts/fetch-linux.sh (cached in $(LINUX_DIR)); the
# initramfs is guests/linux-init/init.c packed by scripts/mkcpio.py; each
# VM's DT is `vmcfg dtb` of its TOML against the QEMU virt platform DTS and
# the system file that names it (--system: the DT describes the VM's static
# IVC channels where the hypervisor maps them). A VM file has one dtb_path,
# so every system file that names it must give it the same DT (the same
# static channels: one-cpu.toml and one.toml run the same VM on different
# hosts); the build compares them and stops when they differ.
# Only this image carries the 30 MiB kernel: the boot tests' hv.elf stays small.

# ARCH from the command line or a makefile, as hv/hv.mk takes it (an ARCH the
# environment holds, as kernel builds export one, is not ours).
ifeq ($(origin ARCH),environment)
LINUX_ARCH := aarch64
else
LINUX_ARCH := $(or $(ARCH),aarch64)
endif
ifeq ($(LINUX_ARCH),riscv64)
LINUX_DIR := $(BUILD)/riscv64/linux
LINUX_PLATFORM := tests/data/platforms/qemu-virt-riscv64.dts
LINUX_CONFIG_DIR := examples/linux-riscv64
LINUX_FETCH_ARCH := riscv64
LINUX_CROSS := riscv64-linux-gnu-
LINUX_INIT_ARCH_CFLAGS := -march=rv64imac_zicsr -mabi=lp64
# Recursive: guests/guests.mk, which defines these, is included after this file.
LINUX_GUEST_BINS = $(GUEST_NAMES_riscv64:%=$(GUEST_DIR_riscv64)/%.bin)
LINUX_PLAIN_QEMU := qemu-system-riscv64 -M virt -smp 1 -m 128M -nographic -net none
LINUX_CONSOLE := ttyS0
LINUX_HV_MISSING := $(if $(wildcard hv/arch/riscv64),,the riscv64 hypervisor (hv/arch/riscv64) is not in this tree)
else
LINUX_DIR := $(BUILD)/linux
LINUX_PLATFORM := tests/data/platforms/qemu-virt-aarch64.dts
LINUX_CONFIG_DIR := examples/linux
LINUX_FETCH_ARCH := arm64
LINUX_CROSS := $(CROSS)
LINUX_INIT_ARCH_CFLAGS := -mgeneral-regs-only
LINUX_GUEST_BINS = $(HV_GUEST_BINS)
LINUX_PLAIN_QEMU := qemu-system-aarch64 -M virt -cpu cortex-a72 -smp 1 -m 128M -nographic -net none
LINUX_CONSOLE := ttyAMA0
LINUX_HV_MISSING :=
endif
LINUX_ELF := $(LINUX_DIR)/hv-linux.elf
# The hypervisor's cross compiler (hv/hv.mk's, per architecture) for its image.
LINUX_HV_CROSS = $(or $(HV_CROSS),$(CROSS))
# VM files are the ones with a [base] table; the others are system files.
LINUX_VM_FILES := $(shell grep -l "^\[base\]" $(LINUX_CONFIG_DIR)/*.toml)
LINUX_SYSTEM_FILES := $(filter-out $(LINUX_VM_FILES),$(wildcard $(LINUX_CONFIG_DIR)/*.toml))
LINUX_DTBS := $(patsubst $(LINUX_CONFIG_DIR)/%.toml,$(LINUX_DIR)/%.dtb,$(LINUX_VM_FILES))
LINUX_FILES = $(foreach f,$(wildcard $(LINUX_CONFIG_DIR)/*.toml),$(f)=$(f)) \
	$(LINUX_CONFIG_DIR)/vmlinuz=$(LINUX_DIR)/vmlinuz \
	$(LINUX_CONFIG_DIR)/initrd.cpio=$(LINUX_DIR)/initrd.cpio \
	$(foreach d,$(LINUX_DTBS),$(LINUX_CONFIG_DIR)/$(notdir $(d))=$(d)) \
	$(foreach b,$(LINUX_GUEST_BINS),$(LINUX_CONFIG_DIR)/$(notdir $(b))=$(b))
LINUX_INIT_CFLAGS := $(CSTD) $(WARN) -O2 -ffreestanding -nostdlib -static -no-pie -fno-pic \
	-fno-stack-protector $(LINUX_INIT_ARCH_CFLAGS) -Wl,--build-id=none

.PHONY: linux-hv run-linux run-linux-plain linux-initrd
ifeq ($(LINUX_HV_MISSING),)
linux-hv: $(LINUX_ELF)

run-linux:
	@scripts/deps.sh linux
	$(MAKE) linux-hv
	$(HV_QEMU) -kernel $(LINUX_ELF) -append "system=$(LINUX_CONFIG_DIR)/system.toml"
else
linux-hv run-linux:
	@echo "make $@ ARCH=$(LINUX_ARCH): $(LINUX_HV_MISSING); make run-linux-plain ARCH=$(LINUX_ARCH) boots the kernel without it" >&2
	@exit 1
endif

# The kernel and the initramfs alone (what run-linux-plain and the tests boot).
linux-initrd: $(LINUX_DIR)/vmlinuz $(LINUX_DIR)/initrd.cpio

run-linux-plain:
	@scripts/deps.sh linux
	$(MAKE) linux-initrd
	$(LINUX_PLAIN_QEMU) -kernel $(LINUX_DIR)/vmlinuz -initrd $(LINUX_DIR)/initrd.cpio \
		-append "console=$(LINUX_CONSOLE) vm=plain"

$(LINUX_DIR)/vmlinuz: scripts/fetch-linux.sh
	scripts/fetch-linux.sh $(LINUX_DIR) $(LINUX_FETCH_ARCH)

# The same kernel and initramfs as one ELF, booted directly: bench-linux's
# like-for-like baseline (bench/linux/run.py, elf-1; its trampoline is arm64's).
ifeq ($(LINUX_ARCH),aarch64)
$(LINUX_DIR)/plain-linux.elf: bench/linux/plain-elf.S bench/linux/plain-elf.ld \
		$(LINUX_DIR)/vmlinuz $(LINUX_DIR)/initrd.cpio
	$(LINUX_CROSS)gcc -c -I$(LINUX_DIR) bench/linux/plain-elf.S -o $(LINUX_DIR)/plain-elf.o
	$(LINUX_CROSS)ld -T bench/linux/plain-elf.ld -o $@ $(LINUX_DIR)/plain-elf.o
endif

$(LINUX_DIR)/init: guests/linux-init/init.c
	@mkdir -p $(dir $@)
	$(LINUX_CROSS)gcc $(LINUX_INIT_CFLAGS) -o $@ $<

$(LINUX_DIR)/initrd.cpio: $(LINUX_DIR)/init scripts/mkcpio.py
	$(PYTHON) scripts/mkcpio.py $@ $<

# linux,initrd-end needs the ramdisk's size: the built file's, not one beside the TOML.
# The systems are the system files whose `vms = [...]` line names the VM file.
$(LINUX_DIR)/%.dtb: $(LINUX_CONFIG_DIR)/%.toml $(LINUX_SYSTEM_FILES) $(LINUX_DIR)/initrd.cpio $(CLI)
	@systems=$$(grep -l '^vms *=.*"$*\.toml"' $(LINUX_SYSTEM_FILES)); \
	if [ -z "$$systems" ]; then \
		echo "hv/linux.mk: no system file of $(LINUX_CONFIG_DIR) names $<" >&2; exit 1; \
	fi; \
	rm -f $@; \
	for sys in $$systems; do \
		echo $(CLI) dtb $< --generate --system $$sys --platform $(LINUX_PLATFORM) -o $@.new; \
		$(CLI) dtb $< --generate --system $$sys --platform $(LINUX_PLATFORM) \
			--ramdisk-size $$(wc -c <$(LINUX_DIR)/initrd.cpio) -o $@.new || exit 1; \
		if [ -e $@ ] && ! cmp -s $@ $@.new; then \
			echo "hv/linux.mk: $< gets different device trees from its systems:" \
				"$$systems" >&2; \
			rm -f $@ $@.new; exit 1; \
		fi; \
		mv $@.new $@; \
	done

.SECONDEXPANSION:
$(LINUX_DIR)/files.S: $(wildcard $(LINUX_CONFIG_DIR)/*.toml) $(LINUX_DIR)/vmlinuz \
		$(LINUX_DIR)/initrd.cpio $(LINUX_DTBS) $$(LINUX_GUEST_BINS) hv/embed.sh hv/linux.mk
	hv/embed.sh $@ $(LINUX_FILES)

$(LINUX_DIR)/files.o: $(LINUX_DIR)/files.S
	$(LINUX_HV_CROSS)gcc -c $< -o $@

$(LINUX_ELF): $(filter-out $(HV_DIR)/files.o,$(HV_OBJ)) $(LINUX_DIR)/files.o $(HV_FDT_OBJ) $(HV_LIB) \
		$(HV_LIBFDT) $(HV_LDS)
	$(LINUX_HV_CROSS)gcc $(HV_LDFLAGS) -o $@ $(filter-out $(HV_DIR)/files.o,$(HV_OBJ)) \
		$(LINUX_DIR)/files.o $(HV_FDT_OBJ) $(HV_LIB) $(HV_LIBFDT) $(HV_ARCH_LDLIBS)
