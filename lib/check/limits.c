/* SPDX-License-Identifier: MIT */
/*
 * The widths vmcfg_vm_create and the page-table formats accept, in one
 * place: the checker reports against them what a build would refuse.
 */
#include "vmcfg/check.h"

unsigned vmcfg_arch_default_ipa_bits(enum vmcfg_arch arch)
{
	switch (arch) {
	case VMCFG_ARCH_RISCV64:
		return 41;
	case VMCFG_ARCH_X86_64:
		return 48;
	default:
		return 40;
	}
}

bool vmcfg_emu_device_is_pio(uint64_t emu_type, bool has_cfg0, uint64_t cfg0, enum vmcfg_arch arch)
{
	/* lib/vm/console.c's model choice: 3 = 16550 on ports, 0 = the arch's default. */
	if (emu_type == VMCFG_EMU_X86_PIT)
		return true;
	if (emu_type != VMCFG_EMU_CONSOLE)
		return false;
	return has_cfg0 && cfg0 ? cfg0 == 3 : arch == VMCFG_ARCH_X86_64;
}

bool vmcfg_emu_type_is_gppt(uint64_t emu_type)
{
	return emu_type == VMCFG_EMU_GPPT_REDISTRIBUTOR || emu_type == VMCFG_EMU_GPPT_DISTRIBUTOR ||
	       emu_type == VMCFG_EMU_GPPT_ITS;
}

enum vmcfg_pt_kind vmcfg_arch_pt_kind(enum vmcfg_arch arch, unsigned ipa_bits)
{
	switch (arch) {
	case VMCFG_ARCH_RISCV64:
		return ipa_bits <= 41 ? VMCFG_PT_RISCV_SV39X4 : VMCFG_PT_RISCV_SV48X4;
	case VMCFG_ARCH_X86_64:
		return VMCFG_PT_X86_EPT4;
	default:
		return ipa_bits <= 42 ? VMCFG_PT_ARM64_S2_3L : VMCFG_PT_ARM64_S2_4L;
	}
}

bool vmcfg_emu_type_built(uint64_t emu_type)
{
	return emu_type == VMCFG_EMU_DUMMY || emu_type == VMCFG_EMU_CONSOLE ||
	       emu_type == VMCFG_EMU_IVC_CHANNEL || emu_type == VMCFG_EMU_INTERRUPT_CONTROLLER;
}

unsigned vmcfg_arch_max_pa_bits(enum vmcfg_arch arch)
{
	/* The output-address fields of lib/mm's formats (pt_arm64.c, pt_riscv.c, pt_ept.c). */
	switch (arch) {
	case VMCFG_ARCH_RISCV64:
		return 56;
	case VMCFG_ARCH_X86_64:
		return 52;
	default:
		return 48;
	}
}
