/* SPDX-License-Identifier: MIT */
/*
 * vCPU affinity resolution, the reference's get_vcpu_affinities_pcpu_ids():
 * vCPU i runs where phys_cpu_sets[i] allows (anywhere without a set) and
 * presents phys_cpu_ids[i] as its physical id (i without ids).
 */
#include "vmcfg/config.h"
#include "internal.h"

struct vmcfg_vm_vcpu_affinity vmcfg_vm_config_vcpu_affinity(const struct vmcfg_vm_config *cfg, uint32_t i)
{
	struct vmcfg_vm_vcpu_affinity a = { .vcpu_id = i, .phys_id = i };
	if (cfg->phys_cpu_sets) {
		a.has_mask = true;
		a.pcpu_mask = cfg->phys_cpu_sets[i];
	}
	if (cfg->phys_cpu_ids)
		a.phys_id = cfg->phys_cpu_ids[i];
	return a;
}

int vmcfg_vm_config_vcpu_affinities(const struct vmcfg_vm_config *cfg, struct vmcfg_vm_vcpu_affinity *out,
			      size_t n)
{
	if (n < cfg->cpu_num)
		return VMCFG_ENOSPC;
	for (uint32_t i = 0; i < cfg->cpu_num; i++)
		out[i] = vmcfg_vm_config_vcpu_affinity(cfg, i);
	/* Convert keeps cpu_num ≤ INT32_MAX, so the count fits. */
	return (int)cfg->cpu_num;
}
