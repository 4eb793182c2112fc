/* SPDX-License-Identifier: MIT */
/*
 * Names of the enumerated values of the format (lib/spec internal): emulated
 * device types with their cfg_list length, and the spellings of interrupt
 * modes. One table per enumeration, shared by decode, emit and messages.
 */
#ifndef VMCFG_LIB_SPEC_NAMES_H
#define VMCFG_LIB_SPEC_NAMES_H

#include "vmcfg/spec.h"

struct vmcfg_spec_emu_type_info {
	enum vmcfg_emu_type value;
	const char *name; /* "GPPTRedistributor" */
	int cfg_arity;	  /* cfg_list length, -1 = any */
};

/* The known emulated device types, in ascending value order. */
extern const struct vmcfg_spec_emu_type_info vmcfg_spec_emu_types[];
extern const size_t vmcfg_spec_emu_type_count;

/* The entry of an emu_type value, NULL when unknown. */
const struct vmcfg_spec_emu_type_info *vmcfg_spec_emu_type_info(uint64_t emu_type);

/* Every accepted spelling of interrupt_mode (canonical names and aliases). */
extern const char *const vmcfg_spec_irq_mode_spellings[];
extern const size_t vmcfg_spec_irq_mode_spelling_count;

/* For hints: the valid spellings, aliases in parentheses. */
#define SPEC_IRQ_MODE_VALID \
	"`no_irq` (or `no`, `none`, `noirq`), `emu` (or `emulated`), `passthrough` (or `pt`)"

/* The mode an exact (case-sensitive) spelling names; false when none does. */
bool vmcfg_spec_irq_mode_parse(const char *s, size_t len, enum vmcfg_irq_mode *out);

#endif /* VMCFG_LIB_SPEC_NAMES_H */
