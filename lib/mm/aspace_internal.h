/* SPDX-License-Identifier: MIT */
/*
 * What aspace.c (building and tearing down tables) and aspace_access.c
 * (looking through them) share: table addressing and the leaf lookup.
 */
#ifndef VMCFG_LIB_MM_ASPACE_INTERNAL_H
#define VMCFG_LIB_MM_ASPACE_INTERNAL_H

#include "vmcfg/aspace.h"

static inline unsigned as_root_level(const struct vmcfg_aspace *as)
{
	return as->fmt->levels - 1;
}

/* One past the highest guest address. */
static inline uint64_t as_limit(const struct vmcfg_aspace *as)
{
	return 1ull << as->ipa_bits;
}

/* Entries a table at level has: 512, or what of the (maybe concatenated) root the IPA uses. */
static inline size_t as_entries(const struct vmcfg_aspace *as, unsigned level)
{
	unsigned shift = VMCFG_PAGE_SHIFT + 9 * level;
	if (level != as_root_level(as))
		return 512;
	return as->ipa_bits > shift ? (size_t)1 << (as->ipa_bits - shift) : 1;
}

/* Index of gpa's entry in the table at level (gpa is below the IPA limit). */
static inline size_t as_index(const struct vmcfg_aspace *as, unsigned level, uint64_t gpa)
{
	return (size_t)(gpa >> (VMCFG_PAGE_SHIFT + 9 * level)) & (as_entries(as, level) - 1);
}

/*
 * The table at pa. Tables are only ever made by aspace_new_table, which
 * checked that the HAL shows them, and the HAL's view of a frame it handed
 * out does not change while it is allocated.
 */
static inline uint64_t *as_table(const struct vmcfg_aspace *as, uint64_t pa, unsigned pages)
{
	return as->hal.phys_to_virt(as->hal.ctx, pa, (size_t)pages * VMCFG_PAGE_SIZE);
}

static inline uint64_t *as_root(const struct vmcfg_aspace *as)
{
	return as_table(as, as->root_pa, as->root_pages);
}

/* The entry that maps gpa (the deepest on its walk), its level and its decoding. */
struct as_slot {
	uint64_t *entry;
	unsigned level;
	struct vmcfg_pte pte; /* VMCFG_PTE_NONE when the walk ends in an empty entry */
};

/* Walks to gpa (below the IPA limit). VMCFG_EINVAL only for a corrupt descriptor. */
int vmcfg_aspace_find(const struct vmcfg_aspace *as, uint64_t gpa, struct as_slot *slot);

/* Replaces the (lazy, deferred) leaf at slot, level > 0, by a table of 512 equivalent ones. */
int vmcfg_aspace_split(struct vmcfg_aspace *as, struct as_slot *slot);

/* Splits leaves until none straddles addr (a page boundary). VMCFG_ENOMEM possible. */
int vmcfg_aspace_isolate(struct vmcfg_aspace *as, uint64_t addr);

/* A zeroed, owned frame for a lazy page at level 0 (slot from vmcfg_aspace_find). */
int vmcfg_aspace_populate(struct vmcfg_aspace *as, struct as_slot *slot);

/*
 * Makes the deferred leaf at slot (from vmcfg_aspace_find) valid, its frames
 * zeroed first when zero is set (not when the caller overwrites them
 * whole). VMCFG_EFAULT when the HAL cannot show them.
 */
int vmcfg_aspace_make_present(struct vmcfg_aspace *as, struct as_slot *slot, bool zero);

#endif
