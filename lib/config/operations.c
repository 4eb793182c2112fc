/* SPDX-License-Identifier: MIT */
/*
 * What the runtime does to a config after conversion (the reference's
 * AxVMConfig methods): passthrough devices and SPIs found in the host
 * device tree are added, regions appended, and load ranges looked up.
 * Every failure leaves the config as it was.
 */
#include "vmcfg/config.h"
#include "../base/libc.h"
#include "internal.h"

/*
 * The name is copied into the config's arena; a removed device's name
 * stays there until the config is freed (names are small and removal rare).
 */
int vmcfg_vm_config_add_pt_device(struct vmcfg_vm_config *cfg, const struct vmcfg_vm_pt_device *dev)
{
	void *p;
	if (!vmcfg_vm_config_grow(cfg, cfg->pt, &cfg->pt_cap, cfg->pt_count + 1, sizeof *cfg->pt, &p))
		return VMCFG_ENOMEM;
	cfg->pt = p;
	struct vmcfg_vm_pt_device d = *dev;
	if (dev->name) {
		d.name = vmcfg_arena_strndup(&cfg->arena, dev->name, strlen(dev->name));
		if (!d.name)
			return VMCFG_ENOMEM;
	}
	cfg->pt[cfg->pt_count++] = d;
	return 0;
}

static bool same_name(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	size_t n = strlen(a);
	return strlen(b) == n && !memcmp(a, b, n);
}

static bool same_pt_device(const struct vmcfg_vm_pt_device *a, const struct vmcfg_vm_pt_device *b)
{
	return same_name(a->name, b->name) && a->base_gpa == b->base_gpa &&
	       a->base_hpa == b->base_hpa && a->length == b->length && a->irq_id == b->irq_id;
}

/*
 * The reference's remove_pass_through_device kept the matching entry and
 * dropped every other one (retain with the test inverted); this keeps the
 * others, in order, and drops only the matches.
 */
int vmcfg_vm_config_remove_pt_device(struct vmcfg_vm_config *cfg, const struct vmcfg_vm_pt_device *dev)
{
	size_t kept = 0;
	for (size_t i = 0; i < cfg->pt_count; i++)
		if (!same_pt_device(&cfg->pt[i], dev))
			cfg->pt[kept++] = cfg->pt[i];
	size_t removed = cfg->pt_count - kept;
	cfg->pt_count = kept;
	return (int)removed;
}

int vmcfg_vm_config_add_spi(struct vmcfg_vm_config *cfg, uint32_t spi)
{
	for (size_t i = 0; i < cfg->spi_count; i++)
		if (cfg->spis[i] == spi)
			return 0;
	void *p;
	if (!vmcfg_vm_config_grow(cfg, cfg->spis, &cfg->spi_cap, cfg->spi_count + 1, sizeof *cfg->spis,
			    &p))
		return VMCFG_ENOMEM;
	cfg->spis = p;
	cfg->spis[cfg->spi_count++] = spi;
	return 0;
}

int vmcfg_vm_config_add_region(struct vmcfg_vm_config *cfg, const struct vmcfg_vm_mem_region *region)
{
	if (vm_range_wraps(region->gpa, region->size))
		return VMCFG_ERANGE;
	void *p;
	if (!vmcfg_vm_config_grow(cfg, cfg->regions, &cfg->region_cap, cfg->region_count + 1,
			    sizeof *cfg->regions, &p))
		return VMCFG_ENOMEM;
	cfg->regions = p;
	cfg->regions[cfg->region_count++] = *region;
	return 0;
}

/*
 * Walks the range from its start: at each step some region must contain
 * the first byte not yet covered, and the walk jumps past the furthest
 * last byte of such regions. Regions may come in any order, be adjacent
 * or overlap. Each step leaves at least one region behind for good (the
 * walk is past its last byte), so there are at most region_count steps.
 * Positions are last bytes, never ends, so nothing is computed at 2^64.
 */
bool vmcfg_vm_config_contains_range(const struct vmcfg_vm_config *cfg, uint64_t start, uint64_t size)
{
	if (vm_range_wraps(start, size))
		return false;
	uint64_t last = size ? start + (size - 1) : start;
	uint64_t at = start;
	for (;;) {
		bool found = false;
		uint64_t reach = 0;
		for (size_t i = 0; i < cfg->region_count; i++) {
			const struct vmcfg_vm_mem_region *r = &cfg->regions[i];
			/*
			 * DEVICE regions are not guest memory (vmcfg_vm_create skips
			 * them). Convert and add_region keep wrapping regions
			 * out; one written into the struct directly is ignored.
			 * For the others, at - gpa < size is gpa ≤ at < gpa +
			 * size without computing the end.
			 */
			if ((r->flags & VMCFG_MEM_DEVICE) || vm_range_wraps(r->gpa, r->size) ||
			    at - r->gpa >= r->size)
				continue;
			uint64_t r_last = r->gpa + (r->size - 1);
			if (!found || r_last > reach)
				reach = r_last;
			found = true;
		}
		if (!found)
			return false;
		if (reach >= last)
			return true;
		at = reach + 1; /* reach < last, so no wrap */
	}
}
