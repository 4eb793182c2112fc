/* SPDX-License-Identifier: MIT */
/* Names of emulated device types and interrupt modes. */
#include "names.h"
#include "../base/libc.h"

const struct vmcfg_spec_emu_type_info vmcfg_spec_emu_types[] = {
	{ VMCFG_EMU_DUMMY, "Dummy", -1 },
	{ VMCFG_EMU_INTERRUPT_CONTROLLER, "InterruptController", -1 },
	{ VMCFG_EMU_CONSOLE, "Console", -1 },
	{ VMCFG_EMU_FW_CFG, "FwCfg", -1 },
	{ VMCFG_EMU_IVC_CHANNEL, "IVCChannel", -1 },
	{ VMCFG_EMU_GPPT_REDISTRIBUTOR, "GPPTRedistributor", 3 },
	{ VMCFG_EMU_GPPT_DISTRIBUTOR, "GPPTDistributor", -1 },
	{ VMCFG_EMU_GPPT_ITS, "GPPTITS", 1 },
	{ VMCFG_EMU_X86_IOAPIC, "X86IoApic", -1 },
	{ VMCFG_EMU_X86_PIT, "X86Pit", -1 },
	{ VMCFG_EMU_LOONGARCH_PCH_PIC, "LoongArchPchPic", -1 },
	{ VMCFG_EMU_PPPT_GLOBAL, "PPPTGlobal", 1 },
	{ VMCFG_EMU_VIRTIO_BLK, "VirtioBlk", -1 },
	{ VMCFG_EMU_VIRTIO_NET, "VirtioNet", -1 },
	{ VMCFG_EMU_VIRTIO_CONSOLE, "VirtioConsole", -1 },
};
const size_t vmcfg_spec_emu_type_count = sizeof vmcfg_spec_emu_types / sizeof vmcfg_spec_emu_types[0];

const struct vmcfg_spec_emu_type_info *vmcfg_spec_emu_type_info(uint64_t emu_type)
{
	for (size_t i = 0; i < vmcfg_spec_emu_type_count; i++)
		if (vmcfg_spec_emu_types[i].value == emu_type)
			return &vmcfg_spec_emu_types[i];
	return NULL;
}

const char *vmcfg_emu_type_name(uint64_t emu_type)
{
	const struct vmcfg_spec_emu_type_info *t = vmcfg_spec_emu_type_info(emu_type);
	return t ? t->name : NULL;
}

int vmcfg_emu_type_cfg_arity(uint64_t emu_type)
{
	const struct vmcfg_spec_emu_type_info *t = vmcfg_spec_emu_type_info(emu_type);
	return t ? t->cfg_arity : -1;
}

/* Canonical name first, then its aliases; spelling_mode[] maps each to its mode. */
const char *const vmcfg_spec_irq_mode_spellings[] = {
	"no_irq", "no", "none", "noirq", "emu", "emulated", "passthrough", "pt",
};
const size_t vmcfg_spec_irq_mode_spelling_count =
	sizeof vmcfg_spec_irq_mode_spellings / sizeof vmcfg_spec_irq_mode_spellings[0];
static const enum vmcfg_irq_mode spelling_mode[] = {
	VMCFG_IRQ_NONE, VMCFG_IRQ_NONE,	       VMCFG_IRQ_NONE,	      VMCFG_IRQ_NONE,
	VMCFG_IRQ_EMU,	VMCFG_IRQ_EMU,	       VMCFG_IRQ_PASSTHROUGH, VMCFG_IRQ_PASSTHROUGH,
};
_Static_assert(sizeof spelling_mode / sizeof spelling_mode[0] ==
		       sizeof vmcfg_spec_irq_mode_spellings / sizeof vmcfg_spec_irq_mode_spellings[0],
	       "one mode per spelling");

bool vmcfg_spec_irq_mode_parse(const char *s, size_t len, enum vmcfg_irq_mode *out)
{
	for (size_t i = 0; i < vmcfg_spec_irq_mode_spelling_count; i++) {
		const char *name = vmcfg_spec_irq_mode_spellings[i];
		if (strlen(name) == len && !memcmp(name, s, len)) {
			*out = spelling_mode[i];
			return true;
		}
	}
	return false;
}

const char *vmcfg_irq_mode_name(enum vmcfg_irq_mode m)
{
	switch (m) {
	case VMCFG_IRQ_NONE:
		return "no_irq";
	case VMCFG_IRQ_EMU:
		return "emu";
	case VMCFG_IRQ_PASSTHROUGH:
		return "passthrough";
	}
	return NULL;
}
