/* SPDX-License-Identifier: MIT */
/*
 * Address spaces: looking through the tables — translation, lazy fault-in,
 * copies into and out of guest memory, iteration, counters, registers.
 */
#include "aspace_internal.h"
#include "../base/libc.h"

int vmcfg_aspace_translate(const struct vmcfg_aspace *as, uint64_t gpa,
			   struct vmcfg_translation *out)
{
	struct as_slot slot;

	if (gpa >= as_limit(as))
		return VMCFG_ERANGE;
	int err = vmcfg_aspace_find(as, gpa, &slot);
	if (err)
		return err;
	if (slot.pte.type == VMCFG_PTE_NONE)
		return VMCFG_EFAULT;
	uint64_t size = vmcfg_pt_level_size(slot.level);
	memset(out, 0, sizeof *out);
	out->flags = slot.pte.flags;
	out->owned = slot.pte.owned;
	out->level = slot.level;
	out->leaf_gpa = gpa & ~(size - 1);
	out->present = slot.pte.type == VMCFG_PTE_LEAF;
	if (out->present)
		out->hpa = slot.pte.pa + (gpa - out->leaf_gpa);
	return 0;
}

/*
 * Under VMCFG_ASPACE_4K_ONLY a deferred block (map_alloc_deferred) becomes
 * 4 KiB deferred leaves before any of it is made present: finds page's slot
 * again after splitting when it is such a block.
 */
static int find_for_present(struct vmcfg_aspace *as, uint64_t page, struct as_slot *slot)
{
	int err = vmcfg_aspace_find(as, page, slot);
	if (err || slot->pte.type != VMCFG_PTE_DEFERRED || slot->level == 0 ||
	    !(as->options & VMCFG_ASPACE_4K_ONLY))
		return err;
	err = vmcfg_aspace_isolate(as, page);
	if (!err)
		err = vmcfg_aspace_isolate(as, page + VMCFG_PAGE_SIZE);
	return err ? err : vmcfg_aspace_find(as, page, slot);
}

int vmcfg_aspace_fault_in(struct vmcfg_aspace *as, uint64_t gpa)
{
	struct as_slot slot;

	if (gpa >= as_limit(as))
		return VMCFG_ERANGE;
	uint64_t page = gpa & ~(VMCFG_PAGE_SIZE - 1);
	int err = find_for_present(as, page, &slot);
	if (err)
		return err;
	if (slot.pte.type == VMCFG_PTE_NONE)
		return VMCFG_EFAULT;
	if (slot.pte.type == VMCFG_PTE_LEAF)
		return 0;
	if (slot.pte.type == VMCFG_PTE_DEFERRED)
		return vmcfg_aspace_make_present(as, &slot, true);
	/* A lazy block becomes lazy leaves around one 4 KiB page: memory only where touched. */
	err = vmcfg_aspace_isolate(as, page);
	if (!err)
		err = vmcfg_aspace_isolate(as, page + VMCFG_PAGE_SIZE);
	if (!err)
		err = vmcfg_aspace_find(as, page, &slot);
	if (err)
		return err;
	return vmcfg_aspace_populate(as, &slot);
}

int vmcfg_aspace_fault_in_around(struct vmcfg_aspace *as, uint64_t gpa, uint64_t window,
				 size_t *made)
{
	size_t n = 0;
	if (made)
		*made = 0;
	if (window < VMCFG_PAGE_SIZE || (window & (window - 1)))
		return VMCFG_EINVAL;
	int err = vmcfg_aspace_fault_in(as, gpa);
	if (err)
		return err;
	uint64_t page = gpa & ~(VMCFG_PAGE_SIZE - 1), first = gpa & ~(window - 1);
	for (uint64_t p = first; p - first < window && p < as_limit(as); p += VMCFG_PAGE_SIZE) {
		struct as_slot slot;
		if (p == page || vmcfg_aspace_find(as, p, &slot) ||
		    slot.pte.type != VMCFG_PTE_DEFERRED)
			continue;
		if (!find_for_present(as, p, &slot) && !vmcfg_aspace_make_present(as, &slot, true))
			n += (size_t)(vmcfg_pt_level_size(slot.level) / VMCFG_PAGE_SIZE);
	}
	if (made)
		*made = n;
	return 0;
}

/*
 * One piece of a copy: the part of [pos, end) inside one leaf, and where it
 * is on the host (NULL for a lazy page not yet populated).
 */
struct piece {
	size_t len;
	bool lazy;
	bool deferred; /* the leaf's zeroing is deferred: it reads as zero */
	bool whole;    /* the piece is the whole leaf */
	uint8_t *host;
};

/* The piece at pos; VMCFG_EFAULT when pos is unmapped or its memory not host-visible. */
static int piece_at(const struct vmcfg_aspace *as, uint64_t pos, uint64_t end, struct piece *p)
{
	struct as_slot slot;
	int err = vmcfg_aspace_find(as, pos, &slot);
	if (err)
		return err;
	if (slot.pte.type == VMCFG_PTE_NONE)
		return VMCFG_EFAULT;
	uint64_t size = vmcfg_pt_level_size(slot.level);
	uint64_t leaf_end = (pos & ~(size - 1)) + size;
	p->len = (size_t)((leaf_end < end ? leaf_end : end) - pos);
	p->whole = p->len == size;
	p->lazy = slot.pte.type == VMCFG_PTE_LAZY;
	p->deferred = slot.pte.type == VMCFG_PTE_DEFERRED;
	p->host = NULL;
	if (p->lazy)
		return 0;
	p->host = as->hal.phys_to_virt(as->hal.ctx, slot.pte.pa + (pos & (size - 1)), p->len);
	return p->host ? 0 : VMCFG_EFAULT;
}

static int check_copy_range(const struct vmcfg_aspace *as, uint64_t gpa, size_t len, uint64_t *end)
{
	if (!vmcfg_add_u64(gpa, len, end) || *end > as_limit(as))
		return VMCFG_ERANGE;
	return 0;
}

/* Checks that every byte of [gpa, end) is mapped and reachable; notes whether any is not present. */
static int check_pieces(const struct vmcfg_aspace *as, uint64_t gpa, uint64_t end, bool *absent)
{
	struct piece p;
	*absent = false;
	for (uint64_t pos = gpa; pos < end; pos += p.len) {
		int err = piece_at(as, pos, end, &p);
		if (err)
			return err;
		*absent |= p.lazy || p.deferred;
	}
	return 0;
}

/*
 * Makes every page of [gpa, end) present (checked by check_pieces): lazy
 * pages get frames, deferred leaves are made valid — not zeroed when the
 * copy covers them whole, as it overwrites every byte.
 */
static int make_range_present(struct vmcfg_aspace *as, uint64_t gpa, uint64_t end)
{
	struct piece p;
	for (uint64_t pos = gpa; pos < end; pos += p.len) {
		int err = piece_at(as, pos, end, &p);
		if (!err && p.deferred) {
			struct as_slot slot;
			err = find_for_present(as, pos & ~(VMCFG_PAGE_SIZE - 1), &slot);
			/* A block split just now: the piece is one page of it. */
			if (!err && slot.level == 0 && p.len > VMCFG_PAGE_SIZE - (pos & (VMCFG_PAGE_SIZE - 1)))
				err = piece_at(as, pos, end, &p);
			if (!err)
				err = vmcfg_aspace_make_present(as, &slot, !p.whole);
		}
		for (uint64_t page = pos & ~(VMCFG_PAGE_SIZE - 1); !err && p.lazy && page < pos + p.len;
		     page += VMCFG_PAGE_SIZE)
			err = vmcfg_aspace_fault_in(as, page);
		if (err)
			return err;
	}
	return 0;
}

int vmcfg_aspace_write(struct vmcfg_aspace *as, uint64_t gpa, const void *src, size_t len)
{
	uint64_t end;
	bool absent;
	struct piece p;

	int err = check_copy_range(as, gpa, len, &end);
	if (!err)
		err = check_pieces(as, gpa, end, &absent);
	if (err)
		return err;
	/* Populate first: an allocation failure must come before the first byte written. */
	if (absent) {
		err = make_range_present(as, gpa, end);
		if (err)
			return err;
	}
	const uint8_t *from = src;
	for (uint64_t pos = gpa; pos < end; pos += p.len, from += p.len) {
		err = piece_at(as, pos, end, &p);
		if (err)
			return err; /* cannot happen after the checks above */
		memcpy(p.host, from, p.len);
	}
	return 0;
}

int vmcfg_aspace_read(const struct vmcfg_aspace *as, uint64_t gpa, void *dst, size_t len)
{
	uint64_t end;
	bool absent;
	struct piece p;

	int err = check_copy_range(as, gpa, len, &end);
	if (!err)
		err = check_pieces(as, gpa, end, &absent);
	if (err)
		return err;
	uint8_t *to = dst;
	for (uint64_t pos = gpa; pos < end; pos += p.len, to += p.len) {
		piece_at(as, pos, end, &p);
		if (p.lazy || p.deferred)
			memset(to, 0, p.len);
		else
			memcpy(to, p.host, p.len);
	}
	return 0;
}

/* ---- iteration ---- */

struct run_builder {
	int (*fn)(void *ud, const struct vmcfg_mapping *m);
	void *ud;
	struct vmcfg_mapping run; /* run.size == 0: none pending */
};

static int flush_run(struct run_builder *b)
{
	int r = 0;
	if (b->run.size)
		r = b->fn(b->ud, &b->run);
	b->run.size = 0;
	return r;
}

static int add_leaf(struct run_builder *b, unsigned level, uint64_t gpa, const struct vmcfg_pte *pte)
{
	struct vmcfg_mapping *m = &b->run;
	uint64_t size = vmcfg_pt_level_size(level);
	bool lazy = pte->type == VMCFG_PTE_LAZY;
	bool deferred = pte->type == VMCFG_PTE_DEFERRED;
	if (m->size && m->gpa + m->size == gpa && m->flags == pte->flags && m->owned == pte->owned &&
	    m->lazy == lazy && m->deferred == deferred && (lazy || m->hpa + m->size == pte->pa)) {
		m->size += size;
		m->leaf_sizes |= 1u << level;
		return 0;
	}
	int r = flush_run(b);
	if (r)
		return r;
	m->gpa = gpa;
	m->size = size;
	m->hpa = lazy ? 0 : pte->pa;
	m->flags = pte->flags;
	m->owned = pte->owned;
	m->lazy = lazy;
	m->deferred = deferred;
	m->leaf_sizes = 1u << level;
	return 0;
}

static int walk_leaves(const struct vmcfg_aspace *as, const uint64_t *t, unsigned level,
		       uint64_t base, struct run_builder *b)
{
	size_t n = as_entries(as, level);
	for (size_t i = 0; i < n; i++) {
		struct vmcfg_pte pte;
		uint64_t gpa = base + i * vmcfg_pt_level_size(level);
		if (!t[i] || as->fmt->decode(level, t[i], &pte))
			continue;
		int r = pte.type == VMCFG_PTE_TABLE
				? walk_leaves(as, as_table(as, pte.pa, 1), level - 1, gpa, b)
				: add_leaf(b, level, gpa, &pte);
		if (r)
			return r;
	}
	return 0;
}

int vmcfg_aspace_for_each(const struct vmcfg_aspace *as,
			  int (*fn)(void *ud, const struct vmcfg_mapping *m), void *ud)
{
	struct run_builder b = { .fn = fn, .ud = ud };
	int r = walk_leaves(as, as_root(as), as_root_level(as), 0, &b);
	return r ? r : flush_run(&b);
}

static int walk_descs(const struct vmcfg_aspace *as, uint64_t table_pa, unsigned level,
		      uint64_t base, int (*fn)(void *ud, const struct vmcfg_desc_visit *v), void *ud)
{
	const uint64_t *t = level == as_root_level(as) ? as_root(as) : as_table(as, table_pa, 1);
	size_t n = as_entries(as, level);
	for (size_t i = 0; i < n; i++) {
		if (!t[i])
			continue;
		struct vmcfg_desc_visit v = {
			.level = level,
			.table_pa = table_pa,
			.index = (unsigned)i,
			.gpa = base + i * vmcfg_pt_level_size(level),
			.desc = t[i],
		};
		int bad = as->fmt->decode(level, t[i], &v.pte);
		int r = fn(ud, &v);
		if (r)
			return r;
		if (!bad && v.pte.type == VMCFG_PTE_TABLE) {
			r = walk_descs(as, v.pte.pa, level - 1, v.gpa, fn, ud);
			if (r)
				return r;
		}
	}
	return 0;
}

int vmcfg_aspace_for_each_desc(const struct vmcfg_aspace *as,
			       int (*fn)(void *ud, const struct vmcfg_desc_visit *v), void *ud)
{
	return walk_descs(as, as->root_pa, as_root_level(as), 0, fn, ud);
}

void vmcfg_aspace_stats(const struct vmcfg_aspace *as, struct vmcfg_aspace_stats *out)
{
	*out = as->stats;
}

int vmcfg_aspace_regs(const struct vmcfg_aspace *as, unsigned pa_bits, struct vmcfg_pt_regs *out)
{
	return as->fmt->regs(as->ipa_bits, pa_bits, as->root_pa, out);
}
