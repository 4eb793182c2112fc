/* SPDX-License-Identifier: MIT */
/*
 * The platform a system file declares against the machine's own, read from
 * its device tree (W0409). Every platform rule rests on the declared one,
 * so where the two disagree what the checks concluded may not hold there.
 */
#include "internal.h"

/* Whether the machine's RAM banks cover [first, last] (banks assumed disjoint, as a DT's are). */
static bool covered(const struct vmcfg_platform *machine, uint64_t first, uint64_t last)
{
	uint64_t left = last - first; /* bytes still to find, less one: no overflow at 2^64 */
	for (size_t i = 0; i < machine->ram_count; i++) {
		const struct vmcfg_host_range *m = &machine->ram[i];
		uint64_t m_last;
		if (!m->size || !vmcfg_add_u64(m->base, m->size - 1, &m_last))
			continue;
		uint64_t lo = m->base > first ? m->base : first, hi = m_last < last ? m_last : last;
		if (lo > hi)
			continue;
		if (hi - lo >= left)
			return true;
		left -= hi - lo + 1;
	}
	return false;
}

static bool has_id(const struct vmcfg_platform *machine, uint64_t id)
{
	for (uint32_t i = 0; machine->phys_cpu_ids && i < machine->cpu_num; i++)
		if (machine->phys_cpu_ids[i] == id)
			return true;
	return false;
}

int vmcfg_check_platform_machine(const struct vmcfg_platform *declared,
				 const struct vmcfg_platform *machine, const char *what,
				 struct vmcfg_diags *d)
{
	if (!declared || !machine || !what || !d)
		return VMCFG_EINVAL;
	int err = 0;
	struct vmcfg_diag *g = NULL;
	for (size_t i = 0; i < declared->ram_count && !err && machine->ram_count; i++) {
		const struct vmcfg_host_range *b = &declared->ram[i];
		uint64_t last;
		char r[CHECK_DESCR_BUF];
		if (!b->size || !vmcfg_add_u64(b->base, b->size - 1, &last) ||
		    covered(machine, b->base, last))
			continue;
		err = vmcfg_diag_add(d, VMCFG_R_PLATFORM_MACHINE, check_loc(declared->file, b->span), &g,
				     "platform.ram bank %s is not all RAM of the machine (%s)",
				     vmcfg_check_fmt_range(r, b->base, last), what);
		if (!err && g)
			err = vmcfg_diag_hint(d, g, "the checks assumed RAM there: VMs that need it "
						    "may not be built; declare the machine's RAM");
	}
	if (err)
		return err;
	if (machine->cpu_num && declared->cpu_num > machine->cpu_num)
		return vmcfg_diag_add(d, VMCFG_R_PLATFORM_MACHINE,
				      check_loc(declared->file, declared->cpu_num_span), NULL,
				      "platform.cpu_num = %u, but the machine has %u CPU(s) (%s)",
				      declared->cpu_num, machine->cpu_num, what);
	/* With no more CPUs than the machine's, are they its CPUs? */
	uint32_t missing = 0, first = 0;
	for (uint32_t i = 0; declared->phys_cpu_ids && machine->phys_cpu_ids && i < declared->cpu_num;
	     i++)
		if (!has_id(machine, declared->phys_cpu_ids[i]) && !missing++)
			first = i;
	if (missing)
		err = vmcfg_diag_add(d, VMCFG_R_PLATFORM_MACHINE,
				     check_loc(declared->file, declared->cpu_num_span), NULL,
				     "platform.phys_cpu_ids: %u id(s) the machine's CPUs do not have, "
				     "the first %#llx (%s)",
				     missing, (unsigned long long)declared->phys_cpu_ids[first], what);
	return err;
}
