/* SPDX-License-Identifier: MIT */
/*
 * Address spaces: building and tearing down stage-2 tables.
 *
 * The tables are the only record. Which frames the aspace owns and which
 * ranges are mapped lazily is kept in descriptor bits the MMU ignores (see
 * the format files), so map, unmap and destroy need no side list and no
 * allocator besides the HAL.
 *
 * Every operation on a range validates first, then changes tables; a
 * failure while changing undoes what this call did, so callers see each
 * call as all-or-nothing. The recursive helpers below work on one table
 * (at level, covering guest addresses from base) and the part [start, end)
 * of the range that falls into it.
 */
#include "aspace_internal.h"
#include "pt_internal.h"
#include "../base/libc.h"

/* Descriptor stores: release order, so a new table's zeroed contents are
 * visible before the entry that links it (the embedder adds the barrier
 * its MMU needs before running the guest). */
static void pte_store(uint64_t *entry, uint64_t value)
{
	__atomic_store_n(entry, value, __ATOMIC_RELEASE);
}

static uint64_t frames_of(unsigned level)
{
	return vmcfg_pt_level_size(level) / VMCFG_PAGE_SIZE;
}

static int decode(const struct vmcfg_aspace *as, unsigned level, uint64_t desc, struct vmcfg_pte *pte)
{
	return as->fmt->decode(level, desc, pte);
}

/* Whether the leaf holds frames the aspace owns (present or zeroing deferred). */
static bool has_frames(const struct vmcfg_pte *pte)
{
	return (pte->type == VMCFG_PTE_LEAF && pte->owned) || pte->type == VMCFG_PTE_DEFERRED;
}

/* Leaf bookkeeping: every leaf set or cleared goes through here (sign +1 / -1). */
static void account_leaf(struct vmcfg_aspace *as, unsigned level, const struct vmcfg_pte *pte,
			 int sign)
{
	uint64_t frames = has_frames(pte) ? frames_of(level) : 0;
	if (sign > 0) {
		as->stats.leaves[level]++;
		as->stats.mapped_bytes += vmcfg_pt_level_size(level);
		as->stats.owned_frames += frames;
	} else {
		as->stats.leaves[level]--;
		as->stats.mapped_bytes -= vmcfg_pt_level_size(level);
		as->stats.owned_frames -= frames;
	}
}

/*
 * Zeroes bytes of host memory at pa (whole frames the caller holds): the
 * HAL's zero_frames in one call when it has one, else memset through
 * phys_to_virt; VMCFG_EFAULT when the HAL cannot show them.
 */
static int zero_frames(struct vmcfg_aspace *as, uint64_t pa, uint64_t bytes)
{
	if (as->hal.zero_frames) {
		as->hal.zero_frames(as->hal.ctx, pa, (size_t)(bytes / VMCFG_PAGE_SIZE));
		return 0;
	}
	void *p = as->hal.phys_to_virt(as->hal.ctx, pa, (size_t)bytes);
	if (p) {
		memset(p, 0, (size_t)bytes);
		return 0;
	}
	/* The HAL may not show a large run in one piece; try frame by frame. */
	for (uint64_t off = 0; off < bytes; off += VMCFG_PAGE_SIZE) {
		p = as->hal.phys_to_virt(as->hal.ctx, pa + off, VMCFG_PAGE_SIZE);
		if (!p)
			return VMCFG_EFAULT;
		memset(p, 0, VMCFG_PAGE_SIZE);
	}
	return 0;
}

/*
 * Whether bytes of frames at pa lie below 2^max_pa_bits, where a descriptor
 * can point: a HAL whose memory lies above would have its frames cut to
 * other addresses by the encoding.
 */
static bool pa_fits(const struct vmcfg_aspace *as, uint64_t pa, uint64_t bytes)
{
	uint64_t end;
	return vmcfg_add_u64(pa, bytes, &end) && end <= (1ull << as->fmt->max_pa_bits);
}

/* A zeroed table page (pages > 1 only for the root). */
static int new_table(struct vmcfg_aspace *as, unsigned pages, uint64_t *pa)
{
	uint64_t align = (uint64_t)pages * VMCFG_PAGE_SIZE;
	int err = as->hal.alloc_frames(as->hal.ctx, pages, align, pa);
	if (err)
		return err;
	if (!pa_fits(as, *pa, align)) {
		as->hal.free_frames(as->hal.ctx, *pa, pages);
		return VMCFG_ERANGE;
	}
	uint64_t *t = as_table(as, *pa, pages);
	if (!t || (uintptr_t)t % 8) {
		as->hal.free_frames(as->hal.ctx, *pa, pages);
		return VMCFG_EFAULT;
	}
	memset(t, 0, (size_t)pages * VMCFG_PAGE_SIZE);
	as->stats.table_pages += pages;
	return 0;
}

/*
 * A table page taken out of the tree is not freed at once: until the
 * embedder has invalidated the TLB, a CPU's walk cache may still reach it,
 * and a page handed out again (a guest's frame, say) would then be read as
 * a table. It joins the retired list, linked through its first entry: the
 * next page's address is page-aligned, an invalid descriptor in every
 * format. vmcfg_aspace_release_retired frees the list.
 */
static void retire_table(struct vmcfg_aspace *as, uint64_t pa)
{
	uint64_t *t = as_table(as, pa, 1);
	if (!t) { /* never: the caller walked it */
		as->hal.free_frames(as->hal.ctx, pa, 1);
		as->stats.table_pages--;
		return;
	}
	pte_store(&t[0], as->retired_pa);
	as->retired_pa = pa;
	as->retired_count++;
}

static bool table_is_empty(const uint64_t *t)
{
	for (size_t i = 0; i < 512; i++)
		if (t[i])
			return false;
	return true;
}

/* ---- validation ---- */

static int check_gpa_range(const struct vmcfg_aspace *as, uint64_t gpa, uint64_t size,
			   uint64_t *end)
{
	if (size == 0)
		return VMCFG_EINVAL;
	if ((gpa | size) & (VMCFG_PAGE_SIZE - 1))
		return VMCFG_EALIGN;
	/* Beyond the IPA width is an error, never an alias of a lower address. */
	if (!vmcfg_add_u64(gpa, size, end) || *end > as_limit(as))
		return VMCFG_ERANGE;
	return 0;
}

static int check_hpa_range(const struct vmcfg_aspace *as, uint64_t hpa, uint64_t size)
{
	uint64_t end;
	if (hpa & (VMCFG_PAGE_SIZE - 1))
		return VMCFG_EALIGN;
	if (!vmcfg_add_u64(hpa, size, &end) || end > (1ull << as->fmt->max_pa_bits))
		return VMCFG_ERANGE;
	return 0;
}

/* A mapping's arguments: the guest range (end in *end), the host range when hpa is given, flags. */
static int check_map_args(const struct vmcfg_aspace *as, uint64_t gpa, uint64_t size,
			  const uint64_t *hpa, uint32_t flags, uint64_t *end)
{
	int err = check_gpa_range(as, gpa, size, end);
	if (!err && hpa)
		err = check_hpa_range(as, *hpa, size);
	if (!err)
		err = as->fmt->check_flags(flags);
	return err;
}

/* ---- range queries ---- */

/* Whether any page of [start, end) is mapped (lazily or not). */
static bool range_has_mapping(const struct vmcfg_aspace *as, const uint64_t *t, unsigned level,
			      uint64_t base, uint64_t start, uint64_t end)
{
	uint64_t size = vmcfg_pt_level_size(level);
	for (size_t i = as_index(as, level, start); start < end; i++) {
		uint64_t eb = base + i * size;
		uint64_t hi = eb + size < end ? eb + size : end;
		struct vmcfg_pte pte;
		if (t[i] && (decode(as, level, t[i], &pte) || pte.type != VMCFG_PTE_TABLE ||
			     !as_table(as, pte.pa, 1) ||
			     range_has_mapping(as, as_table(as, pte.pa, 1), level - 1, eb, start, hi)))
			return true; /* a corrupt descriptor counts as in use */
		start = hi;
	}
	return false;
}

/* Whether every page of [start, end) is mapped (lazily or not). */
static bool range_is_mapped(const struct vmcfg_aspace *as, const uint64_t *t, unsigned level,
			    uint64_t base, uint64_t start, uint64_t end)
{
	uint64_t size = vmcfg_pt_level_size(level);
	for (size_t i = as_index(as, level, start); start < end; i++) {
		uint64_t eb = base + i * size;
		uint64_t hi = eb + size < end ? eb + size : end;
		struct vmcfg_pte pte;
		if (!t[i] || decode(as, level, t[i], &pte))
			return false;
		if (pte.type == VMCFG_PTE_TABLE &&
		    !range_is_mapped(as, as_table(as, pte.pa, 1), level - 1, eb, start, hi))
			return false;
		start = hi;
	}
	return true;
}

/* ---- clearing ---- */

/*
 * Clears every leaf in [start, end), freeing owned frames and the tables
 * this empties. Leaves must not straddle start or end (vmcfg_aspace_isolate).
 */
static void clear_range(struct vmcfg_aspace *as, uint64_t *t, unsigned level, uint64_t base,
			uint64_t start, uint64_t end)
{
	uint64_t size = vmcfg_pt_level_size(level);
	for (size_t i = as_index(as, level, start); start < end; i++) {
		uint64_t eb = base + i * size;
		uint64_t lo = start, hi = eb + size < end ? eb + size : end;
		struct vmcfg_pte pte;
		start = hi;
		if (!t[i] || decode(as, level, t[i], &pte))
			continue; /* never made by us: leave it alone rather than guess */
		if (pte.type == VMCFG_PTE_TABLE) {
			uint64_t *child = as_table(as, pte.pa, 1);
			clear_range(as, child, level - 1, eb, lo, hi);
			if (table_is_empty(child)) {
				pte_store(&t[i], 0);
				retire_table(as, pte.pa);
			}
			continue;
		}
		if (has_frames(&pte))
			as->hal.free_frames(as->hal.ctx, pte.pa, (size_t)frames_of(level));
		pte_store(&t[i], 0);
		account_leaf(as, level, &pte, -1);
	}
}

static void clear(struct vmcfg_aspace *as, uint64_t start, uint64_t end)
{
	clear_range(as, as_root(as), as_root_level(as), 0, start, end);
}

/* ---- splitting ---- */

/* Replaces the (lazy, deferred) leaf at *entry, level > 0, by a table of 512 equivalent ones. */
static int split_leaf(struct vmcfg_aspace *as, uint64_t *entry, unsigned level,
		      const struct vmcfg_pte *pte)
{
	uint64_t pa;
	int err = new_table(as, 1, &pa);
	if (err)
		return err;
	uint64_t *child = as_table(as, pa, 1);
	uint64_t sub = vmcfg_pt_level_size(level - 1);
	for (size_t i = 0; i < 512; i++) {
		if (pte->type == VMCFG_PTE_LAZY)
			child[i] = as->fmt->encode_lazy(pte->flags);
		else if (pte->type == VMCFG_PTE_DEFERRED)
			child[i] = as->fmt->encode_deferred(level - 1, pte->pa + i * sub, pte->flags);
		else
			child[i] = as->fmt->encode_leaf(level - 1, pte->pa + i * sub, pte->flags,
							pte->owned);
	}
	pte_store(entry, as->fmt->encode_table(pa));
	/* Same bytes, same frames: only the leaf counts move. */
	as->stats.leaves[level]--;
	as->stats.leaves[level - 1] += 512;
	return 0;
}

int vmcfg_aspace_split(struct vmcfg_aspace *as, struct as_slot *slot)
{
	return split_leaf(as, slot->entry, slot->level, &slot->pte);
}

int vmcfg_aspace_isolate(struct vmcfg_aspace *as, uint64_t addr)
{
	if (addr == 0 || addr >= as_limit(as))
		return 0;
	uint64_t *t = as_root(as);
	for (unsigned level = as_root_level(as);; level--) {
		uint64_t *entry = &t[as_index(as, level, addr)];
		struct vmcfg_pte pte;
		if (!*entry)
			return 0;
		int err = decode(as, level, *entry, &pte);
		if (err)
			return err;
		if (pte.type != VMCFG_PTE_TABLE) {
			if ((addr & (vmcfg_pt_level_size(level) - 1)) == 0)
				return 0;
			err = split_leaf(as, entry, level, &pte);
			if (err)
				return err;
			decode(as, level, *entry, &pte);
		}
		t = as_table(as, pte.pa, 1);
	}
}

int vmcfg_aspace_find(const struct vmcfg_aspace *as, uint64_t gpa, struct as_slot *slot)
{
	uint64_t *t = as_root(as);
	for (unsigned level = as_root_level(as);; level--) {
		uint64_t *entry = &t[as_index(as, level, gpa)];
		int err = decode(as, level, *entry, &slot->pte);
		if (err)
			return err;
		slot->entry = entry;
		slot->level = level;
		if (slot->pte.type != VMCFG_PTE_TABLE)
			return 0;
		t = as_table(as, slot->pte.pa, 1);
	}
}

int vmcfg_aspace_make_present(struct vmcfg_aspace *as, struct as_slot *slot, bool zero)
{
	if (zero) {
		int err = zero_frames(as, slot->pte.pa, vmcfg_pt_level_size(slot->level));
		if (err)
			return err;
	}
	/* Same frames, flags and level: the counters do not move. */
	slot->pte.type = VMCFG_PTE_LEAF;
	pte_store(slot->entry, as->fmt->encode_leaf(slot->level, slot->pte.pa, slot->pte.flags, true));
	return 0;
}

int vmcfg_aspace_populate(struct vmcfg_aspace *as, struct as_slot *slot)
{
	uint64_t pa;
	int err = as->hal.alloc_frames(as->hal.ctx, 1, VMCFG_PAGE_SIZE, &pa);
	if (err)
		return err;
	err = zero_frames(as, pa, VMCFG_PAGE_SIZE);
	if (err) {
		as->hal.free_frames(as->hal.ctx, pa, 1);
		return err;
	}
	struct vmcfg_pte lazy = slot->pte;
	account_leaf(as, 0, &lazy, -1);
	slot->pte.type = VMCFG_PTE_LEAF;
	slot->pte.pa = pa;
	pte_store(slot->entry, as->fmt->encode_leaf(0, pa, slot->pte.flags, true));
	account_leaf(as, 0, &slot->pte, +1);
	return 0;
}

/* ---- mapping ---- */

/* Where the leaves of a map call get their output addresses. */
enum map_kind { MAP_LINEAR, MAP_ALLOC, MAP_LAZY };

struct map_src {
	enum map_kind kind;
	uint64_t gpa, hpa; /* MAP_LINEAR: gpa maps to hpa */
	uint32_t flags;
	bool owned;          /* MAP_LINEAR: the frames were reserved for this mapping */
	bool defer;          /* MAP_ALLOC: leave the frames unzeroed, leaves DEFERRED */
	unsigned alloc_fail; /* MAP_ALLOC: levels >= this failed once; don't retry them */
	uint64_t done;       /* end of the last leaf installed (unwinding clears up to here) */
	uint64_t end;        /* end of the range being mapped */
	uint64_t run_pa;     /* MAP_ALLOC: frames allocated (and zeroed) ahead for 4 KiB leaves */
	uint64_t run_left;   /* how many frames remain at run_pa */
	uint64_t zero_pa;    /* MAP_ALLOC: frames taken but not zeroed yet, [zero_pa, +zero_len) */
	uint64_t zero_len;
};

/*
 * Zeroing of freshly allocated frames waits here while they come out
 * physically adjacent, so a region is zeroed in as few HAL calls as it has
 * contiguous runs (one 1 GiB memset streams; 512 of 2 MiB do not).
 */
static int zero_flush(struct vmcfg_aspace *as, struct map_src *src)
{
	int err = src->zero_len ? zero_frames(as, src->zero_pa, src->zero_len) : 0;
	src->zero_len = 0;
	return err;
}

static int zero_later(struct vmcfg_aspace *as, struct map_src *src, uint64_t pa, uint64_t bytes)
{
	if (src->defer)
		return 0;
	if (src->zero_len && src->zero_pa + src->zero_len == pa) {
		src->zero_len += bytes;
		return 0;
	}
	int err = zero_flush(as, src);
	src->zero_pa = pa;
	src->zero_len = bytes;
	return err;
}

/*
 * A zeroed frame for a 4 KiB leaf at eb, from a run allocated and zeroed in
 * one piece up to the end of the level-0 table's span or of the mapped
 * range, whichever comes first: 4 KiB leaves cost one allocation and one
 * memset per 2 MiB, not per page. Each frame is still owned and freed on
 * its own (the HAL lets any sub-run be freed). Falls back to single frames.
 */
static int take_frame(struct vmcfg_aspace *as, struct map_src *src, uint64_t eb, uint64_t *pa)
{
	if (!src->run_left) {
		/* Up to the end of this level-0 table's span: the rest may take blocks. */
		uint64_t span = vmcfg_pt_level_size(1);
		uint64_t stop = (eb | (span - 1)) + 1;
		if (stop > src->end || stop == 0)
			stop = src->end;
		uint64_t want = (stop - eb) / VMCFG_PAGE_SIZE;
		int err = as->hal.alloc_frames(as->hal.ctx, (size_t)want, VMCFG_PAGE_SIZE,
					       &src->run_pa);
		if (err == VMCFG_ENOMEM && want > 1) {
			want = 1;
			err = as->hal.alloc_frames(as->hal.ctx, 1, VMCFG_PAGE_SIZE, &src->run_pa);
		}
		if (err)
			return err;
		if (!pa_fits(as, src->run_pa, want * VMCFG_PAGE_SIZE)) {
			as->hal.free_frames(as->hal.ctx, src->run_pa, (size_t)want);
			return VMCFG_ERANGE;
		}
		src->run_left = want;
		err = zero_later(as, src, src->run_pa, want * VMCFG_PAGE_SIZE);
		if (err)
			return err; /* map() frees the run and unwinds the earlier leaves */
	}
	*pa = src->run_pa;
	src->run_pa += VMCFG_PAGE_SIZE;
	src->run_left--;
	return 0;
}

/*
 * The leaf for the whole entry at level starting at gpa eb, in *desc.
 * VMCFG_ENOSPC: no leaf of this size fits (alignment, options, HAL has no
 * such run) — use a table and smaller leaves; other errors are final.
 */
static int make_leaf(struct vmcfg_aspace *as, struct map_src *src, unsigned level, uint64_t eb,
		     uint64_t *desc, struct vmcfg_pte *pte)
{
	uint64_t size = vmcfg_pt_level_size(level);
	/*
	 * 4K_ONLY is about valid leaves: a deferred block is an invalid
	 * descriptor holding a run of frames, split into 4 KiB leaves where it
	 * is first made present (vmcfg_aspace_fault_in, image writes). One
	 * descriptor per 2 MiB at creation instead of 512.
	 */
	bool deferred_block = src->kind == MAP_ALLOC && src->defer;
	if (!(as->fmt->leaf_levels & (1u << level)) ||
	    (level > 0 && (as->options & VMCFG_ASPACE_4K_ONLY) && !deferred_block))
		return VMCFG_ENOSPC;
	*pte = (struct vmcfg_pte){ 0 };
	pte->type = VMCFG_PTE_LEAF;
	pte->flags = src->flags;
	switch (src->kind) {
	case MAP_LINEAR:
		pte->pa = src->hpa + (eb - src->gpa);
		if (pte->pa & (size - 1))
			return VMCFG_ENOSPC;
		pte->owned = src->owned;
		break;
	case MAP_ALLOC: {
		if (level >= src->alloc_fail)
			return VMCFG_ENOSPC;
		if (level == 0) {
			int err = take_frame(as, src, eb, &pte->pa);
			if (err)
				return err;
			pte->owned = true;
			break;
		}
		int err = as->hal.alloc_frames(as->hal.ctx, (size_t)frames_of(level), size, &pte->pa);
		if (err == VMCFG_ENOMEM && level > 0) {
			src->alloc_fail = level;
			return VMCFG_ENOSPC;
		}
		if (err)
			return err;
		if (!pa_fits(as, pte->pa, size)) {
			as->hal.free_frames(as->hal.ctx, pte->pa, (size_t)frames_of(level));
			return VMCFG_ERANGE;
		}
		err = zero_later(as, src, pte->pa, size);
		if (err) {
			as->hal.free_frames(as->hal.ctx, pte->pa, (size_t)frames_of(level));
			return err;
		}
		pte->owned = true;
		break;
	}
	case MAP_LAZY:
		pte->type = VMCFG_PTE_LAZY;
		pte->owned = true;
		*desc = as->fmt->encode_lazy(src->flags);
		return 0;
	}
	if (src->defer) {
		pte->type = VMCFG_PTE_DEFERRED;
		*desc = as->fmt->encode_deferred(level, pte->pa, src->flags);
		return 0;
	}
	*desc = as->fmt->encode_leaf(level, pte->pa, src->flags, pte->owned);
	return 0;
}

/* Installs leaves for [start, end) in table t; the range is known to be empty. */
static int map_range(struct vmcfg_aspace *as, uint64_t *t, unsigned level, uint64_t base,
		     uint64_t start, uint64_t end, struct map_src *src)
{
	uint64_t size = vmcfg_pt_level_size(level);
	for (size_t i = as_index(as, level, start); start < end; i++) {
		uint64_t eb = base + i * size;
		uint64_t lo = start, hi = eb + size < end ? eb + size : end;
		struct vmcfg_pte pte;
		int err;
		start = hi;
		if (!t[i] && lo == eb && hi == eb + size) {
			uint64_t desc;
			err = make_leaf(as, src, level, eb, &desc, &pte);
			if (err == 0) {
				pte_store(&t[i], desc);
				account_leaf(as, level, &pte, +1);
				src->done = hi;
				continue;
			}
			/* Level 0 has no smaller leaves; every kind fits there anyway. */
			if (err != VMCFG_ENOSPC || level == 0)
				return err;
		}
		bool fresh = !t[i];
		if (fresh) {
			uint64_t pa;
			err = new_table(as, 1, &pa);
			if (err)
				return err;
			pte_store(&t[i], as->fmt->encode_table(pa));
		}
		err = decode(as, level, t[i], &pte);
		if (err || pte.type != VMCFG_PTE_TABLE)
			return err ? err : VMCFG_EOVERLAP; /* callers checked; defensive */
		uint64_t *child = as_table(as, pte.pa, 1);
		if (!child)
			return VMCFG_EFAULT; /* a table the HAL cannot show: never walk NULL */
		err = map_range(as, child, level - 1, eb, lo, hi, src);
		if (err) {
			/* A table this call made and filled with nothing would outlive the unwind. */
			if (fresh && table_is_empty(child)) {
				pte_store(&t[i], 0);
				retire_table(as, pte.pa);
			}
			return err;
		}
	}
	return 0;
}

/* Maps [gpa, end) from src, or on failure undoes every leaf it made. */
static int map(struct vmcfg_aspace *as, uint64_t gpa, uint64_t end, struct map_src *src)
{
	if (range_has_mapping(as, as_root(as), as_root_level(as), 0, gpa, end))
		return VMCFG_EOVERLAP;
	if (as->options & VMCFG_ASPACE_NO_MEMTYPE)
		src->flags &= ~(uint32_t)(VMCFG_MEM_DEVICE | VMCFG_MEM_UNCACHED);
	src->gpa = gpa;
	src->done = gpa;
	src->end = end;
	src->alloc_fail = ~0u;
	src->zero_len = 0;
	int err = map_range(as, as_root(as), as_root_level(as), 0, gpa, end, src);
	if (!err)
		err = zero_flush(as, src); /* on failure the frames go back unzeroed: no one saw them */
	if (src->run_left) /* taken ahead but not used: the mapping failed part way */
		as->hal.free_frames(as->hal.ctx, src->run_pa, (size_t)src->run_left);
	if (err && src->done > gpa)
		clear(as, gpa, src->done);
	return err;
}

/* ---- public functions ---- */

int vmcfg_aspace_init(struct vmcfg_aspace *as, const struct vmcfg_hal *hal, enum vmcfg_pt_kind kind,
		      unsigned ipa_bits, unsigned options)
{
	const struct vmcfg_pt_format *fmt = vmcfg_pt_format_get(kind);

	memset(as, 0, sizeof *as);
	if (!fmt || !hal || !hal->alloc_frames || !hal->free_frames || !hal->phys_to_virt ||
	    (options & ~(VMCFG_ASPACE_4K_ONLY | VMCFG_ASPACE_NO_MEMTYPE)))
		return VMCFG_EINVAL;
	if (ipa_bits < fmt->min_ipa_bits || ipa_bits > fmt->max_ipa_bits)
		return VMCFG_ERANGE;
	as->hal = *hal;
	as->fmt = fmt;
	as->ipa_bits = ipa_bits;
	as->options = options;
	as->root_pages = fmt->root_pages(ipa_bits);
	int err = new_table(as, as->root_pages, &as->root_pa);
	if (err) {
		memset(as, 0, sizeof *as);
		return err;
	}
	return 0;
}

void vmcfg_aspace_release_retired(struct vmcfg_aspace *as)
{
	while (as->fmt && as->retired_count) {
		uint64_t pa = as->retired_pa;
		const uint64_t *t = as_table(as, pa, 1);
		as->retired_pa = t ? t[0] : 0;
		as->retired_count--;
		as->hal.free_frames(as->hal.ctx, pa, 1);
		as->stats.table_pages--;
	}
}

void vmcfg_aspace_destroy(struct vmcfg_aspace *as)
{
	if (!as->fmt)
		return;
	clear(as, 0, as_limit(as));
	vmcfg_aspace_release_retired(as);
	as->hal.free_frames(as->hal.ctx, as->root_pa, as->root_pages);
	memset(as, 0, sizeof *as);
}

int vmcfg_aspace_map_linear(struct vmcfg_aspace *as, uint64_t gpa, uint64_t hpa, uint64_t size,
			    uint32_t flags)
{
	uint64_t end;
	int err = check_map_args(as, gpa, size, &hpa, flags, &end);
	if (err)
		return err;
	struct map_src src = { .kind = MAP_LINEAR, .hpa = hpa, .flags = flags };
	return map(as, gpa, end, &src);
}

int vmcfg_aspace_map_alloc(struct vmcfg_aspace *as, uint64_t gpa, uint64_t size, uint32_t flags)
{
	uint64_t end;
	int err = check_map_args(as, gpa, size, NULL, flags, &end);
	if (err)
		return err;
	struct map_src src = { .kind = MAP_ALLOC, .flags = flags };
	return map(as, gpa, end, &src);
}

int vmcfg_aspace_map_alloc_deferred(struct vmcfg_aspace *as, uint64_t gpa, uint64_t size,
				    uint32_t flags)
{
	uint64_t end;
	int err = check_map_args(as, gpa, size, NULL, flags, &end);
	if (err)
		return err;
	struct map_src src = { .kind = MAP_ALLOC, .flags = flags, .defer = true };
	return map(as, gpa, end, &src);
}

int vmcfg_aspace_map_lazy(struct vmcfg_aspace *as, uint64_t gpa, uint64_t size, uint32_t flags)
{
	uint64_t end;
	int err = check_map_args(as, gpa, size, NULL, flags, &end);
	if (err)
		return err;
	struct map_src src = { .kind = MAP_LAZY, .flags = flags };
	return map(as, gpa, end, &src);
}

int vmcfg_aspace_map_identical(struct vmcfg_aspace *as, uint64_t gpa, uint64_t size,
			       uint32_t flags, enum vmcfg_ident_how *how)
{
	uint64_t end;
	int err = check_map_args(as, gpa, size, &gpa, flags, &end);
	if (err)
		return err;
	/* Refuse an overlap before reserving, so a refused call never touches the HAL. */
	if (range_has_mapping(as, as_root(as), as_root_level(as), 0, gpa, end))
		return VMCFG_EOVERLAP;
	if (!as->hal.reserve_frames)
		return VMCFG_ENOSYS;

	size_t frames = (size_t)(size / VMCFG_PAGE_SIZE);
	struct map_src src = { .kind = MAP_LINEAR, .hpa = gpa, .flags = flags };
	err = as->hal.reserve_frames(as->hal.ctx, gpa, frames);
	if (err == 0) {
		src.owned = true;
		err = map(as, gpa, end, &src);
		/* The unwind freed the frames of the leaves it cleared; the rest were never mapped. */
		if (err && end > src.done)
			as->hal.free_frames(as->hal.ctx, src.done,
					    (size_t)((end - src.done) / VMCFG_PAGE_SIZE));
		if (!err && how)
			*how = VMCFG_IDENT_RESERVED;
		return err;
	}
	if (err != VMCFG_ENOENT)
		return err;
	/* Not the HAL's memory (e.g. reserved by the platform): map it as it is, and say so once. */
	err = map(as, gpa, end, &src);
	if (err)
		return err;
	char a[VMCFG_FMT_BUF], b[VMCFG_FMT_BUF];
	vmcfg_hal_logf(&as->hal, VMCFG_LOG_WARN,
		       "identical mapping [%s, %s): host range is outside managed memory; "
		       "mapped linearly without reserving it",
		       vmcfg_fmt_hex(a, gpa), vmcfg_fmt_hex(b, end));
	if (how)
		*how = VMCFG_IDENT_FALLBACK;
	return 0;
}

int vmcfg_aspace_unmap(struct vmcfg_aspace *as, uint64_t gpa, uint64_t size)
{
	uint64_t end;
	int err = check_gpa_range(as, gpa, size, &end);
	if (err)
		return err;
	if (!range_is_mapped(as, as_root(as), as_root_level(as), 0, gpa, end))
		return VMCFG_EFAULT;
	/* Splitting only refines the tables (same mapping), so failing here changes nothing visible. */
	err = vmcfg_aspace_isolate(as, gpa);
	if (!err)
		err = vmcfg_aspace_isolate(as, end);
	if (err)
		return err;
	clear(as, gpa, end);
	return 0;
}
