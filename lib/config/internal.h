/* SPDX-License-Identifier: MIT */
/* Private to lib/config: array storage, range arithmetic, per-vCPU affinity. */
#ifndef VMCFG_LIB_CONFIG_INTERNAL_H
#define VMCFG_LIB_CONFIG_INTERNAL_H

#include "vmcfg/config.h"

/*
 * Makes room for need elements of elem bytes in items, an array of the
 * config's allocator with *cap elements (NULL when *cap is 0). On success
 * *out is the (possibly moved) array and *cap its new capacity; on failure
 * returns false and items is untouched. Doubles the capacity when it grows
 * by one, so repeated appends stay linear; a first reservation is exact.
 */
bool vmcfg_vm_config_grow(struct vmcfg_vm_config *cfg, void *items, size_t *cap, size_t need, size_t elem,
		    void **out);

/*
 * True when [start, start + size) runs past 2^64. A range may end exactly
 * at 2^64 (its last byte is UINT64_MAX), so the test is on the last byte.
 */
static inline bool vm_range_wraps(uint64_t start, uint64_t size)
{
	return size != 0 && size - 1 > UINT64_MAX - start;
}

/* The affinity of vCPU i < cfg->cpu_num (see vmcfg_vm_config_vcpu_affinities). */
struct vmcfg_vm_vcpu_affinity vmcfg_vm_config_vcpu_affinity(const struct vmcfg_vm_config *cfg, uint32_t i);

#endif
