# SPDX-License-Identifier: MIT
# guests/guests.mk — tiny guest programs for the reference hypervisor, per architecture.
#
#   make guests                 $(BUILD)/guests/<name>.elf and .bin: aarch64, every guests/<name>.c
#   make guests ARCH=riscv64    $(BUILD)/riscv64/guests/<name>.elf and .bin: GUEST_NAMES_riscv64
#
# Each is freestanding and runs with its MMU off (aarch64 EL1; riscv64
# S-mode, VS-mode under a hypervisor), on the runtime of its architecture
# (guests/arch/<arch>: entry, linker script, console and hypervisor calls)
# and the shared code of guests/common. Each is linked at its guest-physical
# load address: aarch64 GUEST_LOAD_<name> when set, else 0x4008_0000;
# riscv64 GUEST_LOAD_riscv64_<name> when set, else 0x8020_0000 (where
# OpenSBI's fw_dynamic enters a -kernel too). It must match kernel_load_addr
# and entry_point of the VM files that name the guest; the .bin is the raw
# image loaded there. The rules of both architectures always exist (the
# aarch64 hypervisor embeds $(BUILD)/guests, whatever ARCH says).

# ARCH from the command line or a makefile (an ARCH the environment holds, as
# kernel builds export one, is not ours: hv/hv.mk takes it the same way).
ifeq ($(origin ARCH),environment)
GUEST_ARCH := aarch64
else
GUEST_ARCH := $(or $(ARCH),aarch64)
endif
GUEST_DIR := $(BUILD)/guests

GUEST_NAMES_aarch64 := $(patsubst guests/%.c,%,$(wildcard guests/*.c))
# The guests that make sense on both architectures (the others test GIC, PSCI, SVE, ... details).
GUEST_NAMES_riscv64 := hello uart smp ivc-pub ivc-sub ivc-peer rogue fault reset plic rogue-ram rogue-mmio rogue-exec ivc-race flood count fuzz-riscv64 deadline ivc-storm leak stimer bench pt-plic pt-plic-rtc sbi-input

GUEST_DIR_aarch64 := $(GUEST_DIR)
GUEST_DIR_riscv64 := $(BUILD)/riscv64/guests
GUEST_CROSS_aarch64 := $(CROSS)
GUEST_CROSS_riscv64 := riscv64-linux-gnu-
GUEST_CFLAGS_aarch64 := $(FS_CFLAGS) -g
# No FP/vector registers (as -mgeneral-regs-only), code at any address (medany: RAM is above 2 GiB).
GUEST_CFLAGS_riscv64 := $(CSTD) $(WARN) -O2 -ffreestanding -nostdlib -fno-stack-protector -fno-pic \
	-march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany -g
GUEST_LOAD_DEFAULT_aarch64 := 0x40080000
GUEST_LOAD_DEFAULT_riscv64 := 0x80200000
GUEST_LOAD_ivc-pub := 0x40200000 # examples/demo/rtos.toml, examples/qemu/ivc-pub.toml
GUEST_LOAD_uart-irq := 0x80200000 # examples/axvisor/arceos-aarch64-qemu-smp1.toml
GUEST_LOAD_virtio-irq := 0xa0080000 # examples/axvisor/split-rng.toml (identity-mapped RAM)

# The per-architecture rules: $(1) the architecture.
define GUEST_ARCH_RULES
GUEST_COMMON_SRC_$(1) := $$(wildcard guests/common/*.c guests/arch/$(1)/*.c guests/arch/$(1)/*.S)
GUEST_COMMON_OBJ_$(1) := $$(patsubst guests/%,$$(GUEST_DIR_$(1))/%.o,$$(basename $$(GUEST_COMMON_SRC_$(1))))
GUEST_HEADERS_$(1) := guests/common/guest.h guests/common/fuzz.h guests/arch/$(1)/arch.h include/vmcfg/ivc.h
GUEST_INCLUDES_$(1) := -Iguests/common -Iguests/arch/$(1) -Iinclude

.PHONY: guests-$(1)
guests-$(1): $$(GUEST_NAMES_$(1):%=$$(GUEST_DIR_$(1))/%.elf) $$(GUEST_NAMES_$(1):%=$$(GUEST_DIR_$(1))/%.bin)

$$(GUEST_DIR_$(1))/%.o: guests/%.c $$(GUEST_HEADERS_$(1))
	@mkdir -p $$(dir $$@)
	$$(GUEST_CROSS_$(1))gcc $$(GUEST_CFLAGS_$(1)) $$(GUEST_INCLUDES_$(1)) -c $$< -o $$@

$$(GUEST_DIR_$(1))/%.o: guests/%.S
	@mkdir -p $$(dir $$@)
	$$(GUEST_CROSS_$(1))gcc $$(filter -march=% -mabi=%,$$(GUEST_CFLAGS_$(1))) -c $$< -o $$@

$$(GUEST_DIR_$(1))/%.elf: $$(GUEST_DIR_$(1))/%.o $$(GUEST_COMMON_OBJ_$(1)) guests/arch/$(1)/guest.ld
	$$(GUEST_CROSS_$(1))gcc -nostdlib -static -no-pie -Wl,--build-id=none \
		-Wl,-T,guests/arch/$(1)/guest.ld \
		-Wl,--defsym=GUEST_LOAD=$$(or $$(GUEST_LOAD_$(if $(filter aarch64,$(1)),,$(1)_)$$*),$$(GUEST_LOAD_DEFAULT_$(1))) \
		$$(filter -march=% -mabi=% -mcmodel=%,$$(GUEST_CFLAGS_$(1))) \
		-o $$@ $$< $$(GUEST_COMMON_OBJ_$(1))

$$(GUEST_DIR_$(1))/%.bin: $$(GUEST_DIR_$(1))/%.elf
	$$(GUEST_CROSS_$(1))objcopy -O binary $$< $$@

.SECONDARY: $$(GUEST_NAMES_$(1):%=$$(GUEST_DIR_$(1))/%.o) $$(GUEST_NAMES_$(1):%=$$(GUEST_DIR_$(1))/%.elf) \
	$$(GUEST_COMMON_OBJ_$(1))
endef
$(foreach a,aarch64 riscv64,$(eval $(call GUEST_ARCH_RULES,$(a))))
# Guests that are another one built with a different define.
$(GUEST_DIR_aarch64)/pt-rtc.o: guests/pt-uart.c
$(GUEST_DIR_riscv64)/pt-plic-rtc.o: guests/pt-plic.c

.PHONY: guests
guests: guests-$(GUEST_ARCH)
