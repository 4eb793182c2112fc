/* SPDX-License-Identifier: MIT */
/*
 * How many page-table pages an address space takes for a set of mappings,
 * without building it: the tables lib/mm's map walk (aspace.c map_range)
 * creates. That walk puts a leaf wherever a whole entry of a leaf level
 * lies inside one mapping and its output address is aligned to the entry
 * (any address for allocated memory, whose frames come aligned), and a
 * table below every other entry the mapping touches. The checker (E0315)
 * counts with it what vmcfg_vm_create will take from host RAM.
 */
#include "pt_internal.h"
#include "../base/libc.h"

int vmcfg_pt_count_init(struct vmcfg_pt_count *c, const struct vmcfg_pt_format *fmt,
			unsigned ipa_bits, unsigned options)
{
	if (!c || !fmt || ipa_bits < fmt->min_ipa_bits || ipa_bits > fmt->max_ipa_bits)
		return VMCFG_EINVAL;
	memset(c, 0, sizeof *c);
	c->fmt = fmt;
	c->ipa_bits = ipa_bits;
	c->options = options;
	c->pages = fmt->root_pages(ipa_bits);
	return 0;
}

/* Counts the window ids [x, y] of level k's tables not counted yet (ids rise with the ranges). */
static void count_windows(struct vmcfg_pt_count *c, unsigned k, uint64_t x, uint64_t y)
{
	if (c->seen[k] && x < c->next[k])
		x = c->next[k];
	if (x > y || (c->seen[k] && y < c->next[k]))
		return;
	c->pages += y - x + 1;
	c->next[k] = y + 1;
	c->seen[k] = true;
}

int vmcfg_pt_count_add(struct vmcfg_pt_count *c, uint64_t gpa, uint64_t size, bool any_pa,
		       uint64_t hpa)
{
	uint64_t last;
	if (!c || !c->fmt || size == 0 || !vmcfg_add_u64(gpa, size - 1, &last) ||
	    (c->ipa_bits < 64 && last >> c->ipa_bits) || ((gpa | size) & (VMCFG_PAGE_SIZE - 1)))
		return VMCFG_EINVAL;
	if (c->any && gpa < c->end) { /* overlapping what came before: the rest only */
		if (last < c->end)
			return 0;
		size = last - c->end + 1;
		hpa += c->end - gpa;
		gpa = c->end;
	}
	c->any = true;
	c->end = last + 1; /* 0 when the range ends at 2^64 */
	if (c->end == 0)
		c->end = UINT64_MAX;
	const struct vmcfg_pt_format *f = c->fmt;
	unsigned root = f->levels - 1;
	/* The largest leaf level the output address allows (the frames of allocated memory: any). */
	unsigned top = 0;
	for (unsigned j = 1; j <= root; j++)
		if ((f->leaf_levels >> j & 1) && !(c->options & VMCFG_ASPACE_4K_ONLY) &&
		    (any_pa || !((hpa - gpa) & (vmcfg_pt_level_size(j) - 1))))
			top = j;
	/* Tables at level k (entries of level k) cover one entry of level k + 1 each. */
	for (unsigned k = 0; k < root; k++) {
		unsigned shift = VMCFG_PAGE_SHIFT + 9 * (k + 1);
		uint64_t first = gpa >> shift, lastw = last >> shift;
		/* The smallest leaf level above k whose whole entries the range covers. */
		unsigned j = k + 1;
		while (j <= top && !(f->leaf_levels >> j & 1))
			j++;
		if (j > top) {
			count_windows(c, k, first, lastw);
			continue;
		}
		uint64_t s = vmcfg_pt_level_size(j), lo = (gpa + s - 1) & ~(s - 1);
		uint64_t hi = (last + 1) & ~(s - 1); /* last + 1 == 0: 2^64, hi stays 0 */
		if (last == UINT64_MAX)
			hi = ~(s - 1);
		if (lo >= hi || lo < gpa) { /* no whole entry of level j inside */
			count_windows(c, k, first, lastw);
			continue;
		}
		/* Windows [lo, hi) are leaves at level j or above: no tables at level k there. */
		if (lo >> shift > first)
			count_windows(c, k, first, (lo >> shift) - 1);
		if (((hi - 1) >> shift) < lastw)
			count_windows(c, k, hi >> shift, lastw);
	}
	return 0;
}
