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

/* ---- walking a range ---- */

/* What a leaf_fn returns after splitting its leaf: walk_range then walks the new table. */
#define WALK_DESCEND 1

/*
 * Called by walk_range for each leaf (or empty entry) meeting the range: the
 * leaf's slot, its first guest address and the part [lo, hi) of the range
 * inside it. Returns 0, WALK_DESCEND, or an error that ends the walk.
 */
typedef int (*leaf_fn)(void *ud, struct as_slot *slot, uint64_t leaf, uint64_t lo, uint64_t hi);

/*
 * The leaves of [start, end) in address order, reading each table once: a
 * copy of many pages costs one descriptor decoding per page, not a walk
 * from the root per page.
 */
static int walk_range(const struct vmcfg_aspace *as, uint64_t *t, unsigned level, uint64_t base,
		      uint64_t start, uint64_t end, leaf_fn fn, void *ud)
{
	uint64_t size = vmcfg_pt_level_size(level);
	for (size_t i = as_index(as, level, start); start < end; i++) {
		uint64_t leaf = base + i * size;
		uint64_t lo = start, hi = leaf + size < end ? leaf + size : end;
		struct as_slot slot = { .entry = &t[i], .level = level };
		start = hi;
		int err = as->fmt->decode(level, t[i], &slot.pte);
		if (!err && slot.pte.type != VMCFG_PTE_TABLE) {
			err = fn(ud, &slot, leaf, lo, hi);
			if (err == WALK_DESCEND)
				err = as->fmt->decode(level, t[i], &slot.pte);
		}
		if (!err && slot.pte.type == VMCFG_PTE_TABLE)
			err = walk_range(as, as_table(as, slot.pte.pa, 1), level - 1, leaf, lo, hi, fn, ud);
		if (err)
			return err;
	}
	return 0;
}

static int walk(const struct vmcfg_aspace *as, uint64_t start, uint64_t end, leaf_fn fn, void *ud)
{
	return walk_range(as, as_root(as), as_root_level(as), 0, start, end, fn, ud);
}

/* Under VMCFG_ASPACE_4K_ONLY only 4 KiB leaves become valid: a block is split first. */
static bool split_first(const struct vmcfg_aspace *as, const struct as_slot *slot)
{
	return slot->level > 0 && (as->options & VMCFG_ASPACE_4K_ONLY);
}

struct around {
	struct vmcfg_aspace *as;
	size_t made;
};

/* A deferred neighbour is zeroed and made valid; one that fails stays deferred. */
static int around_leaf(void *ud, struct as_slot *slot, uint64_t leaf, uint64_t lo, uint64_t hi)
{
	struct around *a = ud;
	(void)leaf, (void)lo, (void)hi;
	if (slot->pte.type != VMCFG_PTE_DEFERRED)
		return 0;
	if (split_first(a->as, slot))
		return vmcfg_aspace_split(a->as, slot) ? 0 : WALK_DESCEND;
	if (!vmcfg_aspace_make_present(a->as, slot, true))
		a->made += (size_t)(vmcfg_pt_level_size(slot->level) / VMCFG_PAGE_SIZE);
	return 0;
}

int vmcfg_aspace_fault_in_around(struct vmcfg_aspace *as, uint64_t gpa, uint64_t window,
				 size_t *made)
{
	struct around a = { as, 0 };
	if (made)
		*made = 0;
	if (window < VMCFG_PAGE_SIZE || (window & (window - 1)))
		return VMCFG_EINVAL;
	int err = vmcfg_aspace_fault_in(as, gpa);
	if (err)
		return err;
	/* gpa's page is valid now, so the walk passes it by. */
	uint64_t first = gpa & ~(window - 1), limit = as_limit(as);
	uint64_t end = limit - first > window ? first + window : limit;
	walk(as, first, end, around_leaf, &a);
	if (made)
		*made = a.made;
	return 0;
}

/* ---- copies ---- */

enum copy_dir { COPY_CHECK, COPY_IN, COPY_OUT };

/*
 * A copy between a buffer and [base, end) of guest memory, gathered into
 * runs of guest pages on contiguous host frames: one phys_to_virt and one
 * memcpy per run, however many leaves it spans.
 */
struct copy {
	const struct vmcfg_aspace *as;
	struct vmcfg_aspace *writable; /* COPY_IN: deferred leaves become valid on the way */
	enum copy_dir dir;
	uint64_t base;
	const uint8_t *src; /* COPY_IN */
	uint8_t *dst;       /* COPY_OUT */
	bool absent;        /* COPY_CHECK found a lazy or deferred leaf */
	uint64_t gpa, pa, len; /* the pending run; len 0: none */
};

static void copy_move(struct copy *c, uint64_t gpa, uint8_t *host, uint64_t len)
{
	if (c->dir == COPY_IN)
		memcpy(host, c->src + (gpa - c->base), (size_t)len);
	else if (c->dir == COPY_OUT)
		memcpy(c->dst + (gpa - c->base), host, (size_t)len);
}

/* Copies the pending run; VMCFG_EFAULT when the HAL cannot show some of it. */
static int copy_flush(struct copy *c)
{
	const struct vmcfg_hal *hal = &c->as->hal;
	uint64_t len = c->len;
	c->len = 0;
	if (!len)
		return 0;
	uint8_t *host = hal->phys_to_virt(hal->ctx, c->pa, (size_t)len);
	if (host) {
		copy_move(c, c->gpa, host, len);
		return 0;
	}
	/* The HAL may not show a long run in one piece; try page by page. */
	for (uint64_t off = 0, part; off < len; off += part) {
		part = VMCFG_PAGE_SIZE - ((c->pa + off) & (VMCFG_PAGE_SIZE - 1));
		if (part > len - off)
			part = len - off;
		host = hal->phys_to_virt(hal->ctx, c->pa + off, (size_t)part);
		if (!host)
			return VMCFG_EFAULT;
		copy_move(c, c->gpa + off, host, part);
	}
	return 0;
}

static int copy_leaf(void *ud, struct as_slot *slot, uint64_t leaf, uint64_t lo, uint64_t hi)
{
	struct copy *c = ud;
	enum vmcfg_pte_type type = slot->pte.type;
	if (type == VMCFG_PTE_NONE || (type == VMCFG_PTE_LAZY && c->dir == COPY_IN))
		return VMCFG_EFAULT;
	c->absent |= type != VMCFG_PTE_LEAF;
	if (type == VMCFG_PTE_LAZY || (type == VMCFG_PTE_DEFERRED && c->dir == COPY_OUT)) {
		/* Reads as zero; a lazy page has no frame to check. */
		int err = copy_flush(c);
		if (!err && c->dir == COPY_OUT)
			memset(c->dst + (lo - c->base), 0, (size_t)(hi - lo));
		return err;
	}
	if (type == VMCFG_PTE_DEFERRED && c->dir == COPY_IN) {
		/* Zeroed first unless the copy covers it whole, as it overwrites every byte. */
		bool whole = lo == leaf && hi - lo == vmcfg_pt_level_size(slot->level);
		int err = vmcfg_aspace_make_present(c->writable, slot, !whole);
		if (err) {
			copy_flush(c); /* the pages made valid so far get their bytes */
			return err;
		}
	}
	uint64_t pa = slot->pte.pa + (lo - leaf);
	if (c->len && c->gpa + c->len == lo && c->pa + c->len == pa) {
		c->len += hi - lo;
		return 0;
	}
	int err = copy_flush(c);
	c->gpa = lo;
	c->pa = pa;
	c->len = hi - lo;
	return err;
}

static int copy_range(struct copy *c, enum copy_dir dir, uint64_t end)
{
	c->dir = dir;
	int err = walk(c->as, c->base, end, copy_leaf, c);
	if (!err)
		err = copy_flush(c);
	return err;
}

/*
 * Before a write, everything that allocates: lazy pages get frames, and
 * under VMCFG_ASPACE_4K_ONLY deferred blocks are split (their 4 KiB leaves
 * become valid during the copy, which cannot fail any more).
 */
static int populate_leaf(void *ud, struct as_slot *slot, uint64_t leaf, uint64_t lo, uint64_t hi)
{
	struct vmcfg_aspace *as = ud;
	(void)leaf, (void)lo, (void)hi;
	bool lazy = slot->pte.type == VMCFG_PTE_LAZY;
	if (lazy && slot->level == 0)
		return vmcfg_aspace_populate(as, slot); /* frames only for the pages in the range */
	if (!lazy && (slot->pte.type != VMCFG_PTE_DEFERRED || !split_first(as, slot)))
		return 0;
	int err = vmcfg_aspace_split(as, slot);
	/* 4 KiB deferred leaves need nothing more now: no walk through them. */
	return err ? err : lazy || slot->level > 1 ? WALK_DESCEND : 0;
}

static int check_copy_range(const struct vmcfg_aspace *as, uint64_t gpa, size_t len, uint64_t *end)
{
	if (!vmcfg_add_u64(gpa, len, end) || *end > as_limit(as))
		return VMCFG_ERANGE;
	return 0;
}

int vmcfg_aspace_write(struct vmcfg_aspace *as, uint64_t gpa, const void *src, size_t len)
{
	uint64_t end;
	struct copy c = { .as = as, .writable = as, .base = gpa, .src = src };
	int err = check_copy_range(as, gpa, len, &end);
	if (!err)
		err = copy_range(&c, COPY_CHECK, end);
	/* Populate first: an allocation failure must come before the first byte written. */
	if (!err && c.absent)
		err = walk(as, gpa, end, populate_leaf, as);
	return err ? err : copy_range(&c, COPY_IN, end);
}

int vmcfg_aspace_read(const struct vmcfg_aspace *as, uint64_t gpa, void *dst, size_t len)
{
	uint64_t end;
	struct copy c = { .as = as, .base = gpa, .dst = dst };
	int err = check_copy_range(as, gpa, len, &end);
	if (!err)
		err = copy_range(&c, COPY_CHECK, end);
	return err ? err : copy_range(&c, COPY_OUT, end);
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
