# SPDX-License-Identifier: MIT
# hv/linux.mk — Debian Linux guests on the reference hypervisor (issue 11).
#
#   make linux-hv   $(BUILD)/linux/hv-linux.elf: the hypervisor with the
#                   systems of examples/linux built in, with Debian's arm64
#                   kernel (fetched at build time, never committed), the
#                   initramfs and each VM's generated device tree
#   make run-linux  builds it and boots examples/linux/system.toml under QEMU
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

LINUX_DIR := $(BUILD)/linux
LINUX_ELF := $(LINUX_DIR)/hv-linux.elf
LINUX_PLATFORM := tests/data/platforms/qemu-virt-aarch64.dts
LINUX_CONFIG_DIR := examples/linux
# VM files are the ones with a [base] table; the others are system files.
LINUX_VM_FILES := $(shell grep -l "^\[base\]" $(LINUX_CONFIG_DIR)/*.toml)
LINUX_SYSTEM_FILES := $(filter-out $(LINUX_VM_FILES),$(wildcard $(LINUX_CONFIG_DIR)/*.toml))
LINUX_DTBS := $(patsubst $(LINUX_CONFIG_DIR)/%.toml,$(LINUX_DIR)/%.dtb,$(LINUX_VM_FILES))
LINUX_FILES := $(foreach f,$(wildcard $(LINUX_CONFIG_DIR)/*.toml),$(f)=$(f)) \
	$(LINUX_CONFIG_DIR)/vmlinuz=$(LINUX_DIR)/vmlinuz \
	$(LINUX_CONFIG_DIR)/initrd.cpio=$(LINUX_DIR)/initrd.cpio \
	$(foreach d,$(LINUX_DTBS),$(LINUX_CONFIG_DIR)/$(notdir $(d))=$(d)) \
	$(foreach b,$(HV_GUEST_BINS),$(LINUX_CONFIG_DIR)/$(notdir $(b))=$(b))
LINUX_INIT_CFLAGS := $(CSTD) $(WARN) -O2 -ffreestanding -nostdlib -static -no-pie -fno-pic \
	-fno-stack-protector -mgeneral-regs-only -Wl,--build-id=none

.PHONY: linux-hv run-linux
linux-hv: $(LINUX_ELF)

run-linux:
	@scripts/deps.sh linux
	$(MAKE) linux-hv
	$(HV_QEMU) -kernel $(LINUX_ELF) -append "system=$(LINUX_CONFIG_DIR)/system.toml"

$(LINUX_DIR)/vmlinuz: scripts/fetch-linux.sh
	scripts/fetch-linux.sh $(LINUX_DIR)

$(LINUX_DIR)/init: guests/linux-init/init.c
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(LINUX_INIT_CFLAGS) -o $@ $<

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

$(LINUX_DIR)/files.S: $(wildcard $(LINUX_CONFIG_DIR)/*.toml) $(LINUX_DIR)/vmlinuz \
		$(LINUX_DIR)/initrd.cpio $(LINUX_DTBS) $(HV_GUEST_BINS) hv/embed.sh hv/linux.mk
	hv/embed.sh $@ $(LINUX_FILES)

$(LINUX_DIR)/files.o: $(LINUX_DIR)/files.S
	$(CROSS)gcc -c $< -o $@

$(LINUX_ELF): $(filter-out $(HV_DIR)/files.o,$(HV_OBJ)) $(LINUX_DIR)/files.o $(HV_FDT_OBJ) $(HV_LIB) \
		$(HV_LIBFDT) $(HV_LDS)
	$(CROSS)gcc $(HV_LDFLAGS) -o $@ $(filter-out $(HV_DIR)/files.o,$(HV_OBJ)) \
		$(LINUX_DIR)/files.o $(HV_FDT_OBJ) $(HV_LIB) $(HV_LIBFDT)
