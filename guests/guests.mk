# SPDX-License-Identifier: MIT
# guests/guests.mk — tiny aarch64 guest programs for the reference hypervisor.
#
#   make guests    $(BUILD)/guests/<name>.elf and <name>.bin for every guests/<name>.c
#
# Each is freestanding, runs at EL1 with its MMU off, and is linked at its
# guest-physical load address: GUEST_LOAD_<name> when set, else 0x4008_0000
# (guests/common/guest.ld). It must match kernel_load_addr and entry_point of
# the VM files that name the guest; the .bin is the raw image loaded there.

GUEST_DIR := $(BUILD)/guests
GUEST_NAMES := $(patsubst guests/%.c,%,$(wildcard guests/*.c))
GUEST_COMMON_SRC := $(wildcard guests/common/*.c guests/common/*.S)
GUEST_COMMON_OBJ := $(patsubst guests/common/%,$(GUEST_DIR)/common/%.o,$(basename $(GUEST_COMMON_SRC)))
GUEST_LDS := guests/common/guest.ld
GUEST_CFLAGS := $(FS_CFLAGS) -g
GUEST_LOAD_DEFAULT := 0x40080000
GUEST_LOAD_ivc-pub := 0x40200000 # examples/demo/rtos.toml, examples/qemu/ivc-pub.toml
GUEST_LOAD_uart-irq := 0x80200000 # examples/axvisor/arceos-aarch64-qemu-smp1.toml
GUEST_LOAD_virtio-irq := 0xa0080000 # examples/axvisor/split-rng.toml (identity-mapped RAM)

.PHONY: guests
guests: $(GUEST_NAMES:%=$(GUEST_DIR)/%.elf) $(GUEST_NAMES:%=$(GUEST_DIR)/%.bin)

$(GUEST_DIR)/%.o: guests/%.c guests/common/guest.h
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(GUEST_CFLAGS) -Iguests/common -c $< -o $@

$(GUEST_DIR)/common/%.o: guests/common/%.c guests/common/guest.h
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(GUEST_CFLAGS) -Iguests/common -c $< -o $@

$(GUEST_DIR)/common/%.o: guests/common/%.S
	@mkdir -p $(dir $@)
	$(CROSS)gcc -c $< -o $@

$(GUEST_DIR)/%.elf: $(GUEST_DIR)/%.o $(GUEST_COMMON_OBJ) $(GUEST_LDS)
	$(CROSS)gcc -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-T,$(GUEST_LDS) \
		-Wl,--defsym=GUEST_LOAD=$(or $(GUEST_LOAD_$*),$(GUEST_LOAD_DEFAULT)) \
		-o $@ $< $(GUEST_COMMON_OBJ)

$(GUEST_DIR)/%.bin: $(GUEST_DIR)/%.elf
	$(CROSS)objcopy -O binary $< $@

.SECONDARY: $(GUEST_NAMES:%=$(GUEST_DIR)/%.o) $(GUEST_NAMES:%=$(GUEST_DIR)/%.elf)
