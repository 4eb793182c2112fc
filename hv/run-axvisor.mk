# SPDX-License-Identifier: MIT
# hv/run-axvisor.mk — AxVisor's own aarch64 QEMU files on the reference
# hypervisor (issue 19). After hv.mk and linux.mk (hv/*.mk are included in
# name order): it reuses their objects, the kernel and the init.
#
#   make axvisor-hv    $(BUILD)/axvisor/hv-axvisor.elf: the hypervisor with
#                      examples/axvisor built in (AxVisor's files, this
#                      project's system files for them, Debian's kernel as
#                      "vmlinuz", the guests of guests/)
#   make axvisor-disk  $(BUILD)/axvisor/disk.img, the Linux VM's root disk: an
#                      ext4 image made by mke2fs -d from a folder (no root, no
#                      mount) holding the init and the file it reads, and
#                      $(BUILD)/axvisor/initrd.cpio: the init with the kernel
#                      modules that disk needs (Debian builds virtio_mmio,
#                      virtio_blk and ext4 as modules)
#   make run-axvisor   both, then tests/axvisor/run -v: every system of
#                      examples/axvisor booted under QEMU with its console shown
#                      and its markers checked (typing into the PL011 included)

AXV_DIR := $(BUILD)/axvisor
AXV_ELF := $(AXV_DIR)/hv-axvisor.elf
AXV_CONFIG_DIR := examples/axvisor
AXV_FILES := $(foreach f,$(wildcard $(AXV_CONFIG_DIR)/*.toml),$(f)=$(f)) \
	$(AXV_CONFIG_DIR)/vmlinuz=$(LINUX_DIR)/vmlinuz \
	$(foreach b,$(HV_GUEST_BINS),$(AXV_CONFIG_DIR)/$(notdir $(b))=$(b)) \
	$(foreach b,$(HV_GUEST_BINS),fs/$(notdir $(b))=$(b))
# What the Linux VM's init reads from its root disk and prints.
AXV_DISK_TEXT := vmcfg: this line comes from the ext4 root disk

.PHONY: axvisor-hv axvisor-disk run-axvisor
axvisor-hv: $(AXV_ELF)
axvisor-disk: $(AXV_DIR)/disk.img $(AXV_DIR)/initrd.cpio

run-axvisor:
	@scripts/deps.sh linux
	$(MAKE) axvisor-hv axvisor-disk
	BUILD=$(BUILD) tests/axvisor/run -v

# The modules come with the kernel (one download); after it, so that two
# fetches never run at once.
$(LINUX_DIR)/modules/order: $(LINUX_DIR)/vmlinuz
	scripts/fetch-linux.sh $(LINUX_DIR)

$(AXV_DIR)/initrd.cpio: $(LINUX_DIR)/init $(LINUX_DIR)/modules/order scripts/mkcpio.py
	@mkdir -p $(dir $@)
	$(PYTHON) scripts/mkcpio.py $@ $(LINUX_DIR)/init modules/order=$(LINUX_DIR)/modules/order \
		$$(for m in $$(cat $(LINUX_DIR)/modules/order); do \
			echo modules/$$m=$(LINUX_DIR)/modules/$$m; done)

# /dev, /proc and /sys are mount points of the init; the disk is mounted read-only.
$(AXV_DIR)/disk.img: $(LINUX_DIR)/init hv/run-axvisor.mk
	rm -rf $(AXV_DIR)/root $@.tmp
	mkdir -p $(AXV_DIR)/root/dev $(AXV_DIR)/root/proc $(AXV_DIR)/root/sys
	cp $(LINUX_DIR)/init $(AXV_DIR)/root/init
	echo "$(AXV_DISK_TEXT)" >$(AXV_DIR)/root/vmcfg-disk.txt
	mke2fs -q -F -t ext4 -L vmcfg-root -d $(AXV_DIR)/root $@.tmp 8M
	mv $@.tmp $@

$(AXV_DIR)/files.S: $(wildcard $(AXV_CONFIG_DIR)/*.toml) $(LINUX_DIR)/vmlinuz $(HV_GUEST_BINS) \
		hv/embed.sh hv/run-axvisor.mk
	@mkdir -p $(dir $@)
	hv/embed.sh $@ $(AXV_FILES)

$(AXV_DIR)/files.o: $(AXV_DIR)/files.S
	$(CROSS)gcc -c $< -o $@

$(AXV_ELF): $(filter-out $(HV_DIR)/files.o,$(HV_OBJ)) $(AXV_DIR)/files.o $(HV_FDT_OBJ) $(HV_LIB) \
		$(HV_LIBFDT) $(HV_LDS)
	$(CROSS)gcc $(HV_LDFLAGS) -o $@ $(filter-out $(HV_DIR)/files.o,$(HV_OBJ)) \
		$(AXV_DIR)/files.o $(HV_FDT_OBJ) $(HV_LIB) $(HV_LIBFDT)
