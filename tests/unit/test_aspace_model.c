/* SPDX-License-Identifier: MIT */
/*
 * Model-based test of lib/mm address spaces: random map / unmap /
 * translate / copy / fault-in operations on every page-table format,
 * checked against a plain reference model (a sorted interval list plus a
 * shadow copy of guest memory), with frame accounting back to zero at the
 * end.
 *
 *   VMCFG_SEED=N       seed (default fixed, so runs repeat); printed on failure
 *   VMCFG_MODEL_OPS=N  operations per format (default 100000)
 *
 * Two formats run again with VMCFG_ASPACE_4K_ONLY (blocks split before any
 * of them becomes valid); one copy in 256 spans megabytes, across blocks
 * and tables.
 *
 * Guest physical zones the operations use:
 *   W  [1 GiB, +16 MiB)        MapAlloc, eager, deferred and lazy: content checked
 *   I  around simulated RAM    MapIdentical: reserved, taken, straddling, fallback
 *   B  [4 GiB, 12 GiB)         linear maps to non-RAM host addresses: blocks, splits
 *   T  the top of the IPA      linear maps near and across 2^ipa_bits
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vmcfg/aspace.h"

#define PAGE 4096ull
#define MiB (1024 * 1024ull)
#define GiB (1024 * MiB)

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (32 * MiB)
#define W_BASE GiB
#define W_SIZE (16 * MiB)
#define I_BASE (RAM_BASE - 2 * MiB)
#define I_SIZE (RAM_SIZE + 4 * MiB)
#define MAX_MAPPINGS 150 /* above this, map operations turn into unmaps: keeps runs fast */
#define B_BASE (4 * GiB)
#define B_SIZE (8 * GiB)
#define HPA_OFFSET (64 * GiB) /* B and T zones map to gpa + this: never RAM */

enum kind { LIN, ALLOC, DEFER, LAZY, IDENT_RES, IDENT_FB };

struct ival {
	uint64_t gpa, size, hpa; /* hpa for LIN, IDENT_*: of gpa */
	enum kind kind;
	uint32_t flags;
};

struct model {
	struct ival *iv;
	size_t n, cap;
	uint8_t *shadow_w, *shadow_i;   /* guest bytes of zones W and I */
	uint8_t populated[W_SIZE / PAGE]; /* W pages: present (a lazy page has a frame,
					     a deferred one was zeroed) */
};

struct world {
	enum vmcfg_pt_kind kind;
	unsigned ipa_bits;
	uint64_t limit;
	struct vmcfg_sim_mem sim;
	struct vmcfg_hal hal;
	struct vmcfg_aspace as;
	uint8_t *ram;
	uint64_t bitmap[VMCFG_SIM_BITMAP_WORDS(RAM_SIZE)];
	struct model m;
	uint64_t rng;
	uint64_t op;
	unsigned long long counts[12];
};

static uint64_t seed_base;

static uint64_t rnd(struct world *w)
{
	/* xorshift64* */
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return w->rng * 0x2545F4914F6CDD1Dull;
}

static uint64_t below(struct world *w, uint64_t n)
{
	return n ? rnd(w) % n : 0;
}

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			fail_msg("%s: op %llu (VMCFG_SEED=%llu): %s", w->as.fmt->name,             \
				 (unsigned long long)w->op, (unsigned long long)seed_base, #cond); \
	} while (0)

/* ---- the reference model ---- */

static struct ival *model_find(struct model *m, uint64_t gpa)
{
	for (size_t i = 0; i < m->n; i++)
		if (gpa >= m->iv[i].gpa && gpa - m->iv[i].gpa < m->iv[i].size)
			return &m->iv[i];
	return NULL;
}

static bool model_overlaps(const struct model *m, uint64_t gpa, uint64_t end)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->iv[i].gpa < end && gpa < m->iv[i].gpa + m->iv[i].size)
			return true;
	return false;
}

static bool model_covers(struct model *m, uint64_t gpa, uint64_t end)
{
	while (gpa < end) {
		struct ival *v = model_find(m, gpa);
		if (!v)
			return false;
		gpa = v->gpa + v->size;
	}
	return true;
}

static void model_push(struct model *m, struct ival v)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->iv = realloc(m->iv, m->cap * sizeof *m->iv);
		assert_non_null(m->iv);
	}
	m->iv[m->n++] = v;
}

/* Removes [gpa, end) from every interval, keeping the parts outside. */
static void model_remove(struct model *m, uint64_t gpa, uint64_t end)
{
	size_t n = m->n;
	for (size_t i = 0; i < n; i++) {
		struct ival v = m->iv[i];
		uint64_t vend = v.gpa + v.size;
		if (vend <= gpa || v.gpa >= end)
			continue;
		m->iv[i].size = 0; /* dropped below; remnants appended */
		if (v.gpa < gpa) {
			struct ival left = v;
			left.size = gpa - v.gpa;
			model_push(m, left);
		}
		if (vend > end) {
			struct ival right = v;
			right.gpa = end;
			right.size = vend - end;
			right.hpa = v.hpa + (end - v.gpa);
			model_push(m, right);
		}
	}
	size_t j = 0;
	for (size_t i = 0; i < m->n; i++)
		if (m->iv[i].size)
			m->iv[j++] = m->iv[i];
	m->n = j;
}

static uint8_t *shadow(struct model *m, uint64_t gpa)
{
	if (gpa >= W_BASE && gpa - W_BASE < W_SIZE)
		return m->shadow_w + (gpa - W_BASE);
	if (gpa >= I_BASE && gpa - I_BASE < I_SIZE)
		return m->shadow_i + (gpa - I_BASE);
	return NULL;
}

/* The shadow byte of a guest address the model says is copyable (so it has one). */
static uint8_t *shadow_byte(struct world *w, uint64_t gpa)
{
	static uint8_t none;
	uint8_t *p = shadow(&w->m, gpa);
	CHECK(p != NULL);
	return p ? p : &none;
}

static bool in_w(uint64_t gpa)
{
	return gpa >= W_BASE && gpa - W_BASE < W_SIZE;
}

static uint64_t model_owned_frames(struct model *m)
{
	uint64_t frames = 0;
	for (size_t i = 0; i < m->n; i++) {
		struct ival *v = &m->iv[i];
		if (v->kind == ALLOC || v->kind == DEFER || v->kind == IDENT_RES)
			frames += v->size / PAGE;
		if (v->kind == LAZY)
			for (uint64_t g = v->gpa; g < v->gpa + v->size; g += PAGE)
				frames += m->populated[(g - W_BASE) / PAGE];
	}
	return frames;
}

/* Whether a copy over [gpa, end) can succeed: mapped and host-visible throughout. */
static bool model_copyable(struct model *m, uint64_t gpa, uint64_t end)
{
	while (gpa < end) {
		struct ival *v = model_find(m, gpa);
		if (!v || v->kind == LIN || v->kind == IDENT_FB)
			return false;
		gpa = v->gpa + v->size;
	}
	return true;
}

/* ---- random ranges ---- */

static uint64_t pick_align(struct world *w, bool allow_1g)
{
	uint64_t r = below(w, 10);
	if (r < 5)
		return PAGE;
	if (r < 8 || !allow_1g)
		return 2 * MiB;
	return GiB;
}

static uint64_t pick_addr(struct world *w, uint64_t base, uint64_t size, uint64_t align)
{
	uint64_t slots = size / align;
	return base + below(w, slots) * align;
}

static uint64_t pick_size(struct world *w, uint64_t align, uint64_t max)
{
	uint64_t r = below(w, 10), size;
	if (r < 5)
		size = (1 + below(w, 64)) * PAGE;
	else if (r < 8)
		size = (1 + below(w, 4)) * 2 * MiB + below(w, 3) * PAGE;
	else
		size = (1 + below(w, 3)) * align;
	return size > max ? max : size;
}

/* ---- operations ---- */

static void expect_unchanged_frames(struct world *w, size_t before, int err)
{
	vmcfg_aspace_release_retired(&w->as); /* what the embedder does after its TLBI */
	if (err == VMCFG_ENOMEM)
		CHECK(w->sim.in_use == before);
}

static void op_map_linear(struct world *w)
{
	uint64_t gpa, size, hpa;
	bool top = below(w, 5) == 0;
	uint64_t align = pick_align(w, true);
	if (top) {
		uint64_t base = w->limit - 2 * GiB;
		gpa = pick_addr(w, base, 3 * GiB, align);
		size = pick_size(w, align, 2 * GiB);
	} else {
		gpa = pick_addr(w, B_BASE, B_SIZE, align);
		size = pick_size(w, align, 3 * GiB);
	}
	/* below 2^41 whatever the IPA, so every format can hold it; never RAM */
	hpa = (gpa & ((1ull << 40) - 1)) + HPA_OFFSET;
	if (size <= 64 * PAGE && below(w, 2))
		hpa += PAGE * (1 + below(w, 7)); /* misaligned against gpa: pages only */
	uint32_t flags = VMCFG_MEM_READ | (below(w, 2) ? VMCFG_MEM_WRITE : 0) |
			 (below(w, 3) == 0 ? VMCFG_MEM_DEVICE : VMCFG_MEM_EXECUTE);
	size_t before = w->sim.in_use;
	int err = vmcfg_aspace_map_linear(&w->as, gpa, hpa, size, flags);
	uint64_t end = gpa + size;
	if (end > w->limit)
		CHECK(err == VMCFG_ERANGE);
	else if (model_overlaps(&w->m, gpa, end))
		CHECK(err == VMCFG_EOVERLAP);
	else
		CHECK(err == 0 || err == VMCFG_ENOMEM);
	expect_unchanged_frames(w, before, err);
	if (err)
		return;
	model_push(&w->m, (struct ival){ gpa, size, hpa, LIN, flags });
}

static void op_map_alloc(struct world *w, enum kind kind)
{
	uint64_t align = pick_align(w, false);
	uint64_t gpa = pick_addr(w, W_BASE, W_SIZE, align);
	uint64_t size = pick_size(w, align, W_BASE + W_SIZE - gpa);
	uint32_t flags = VMCFG_MEM_READ | VMCFG_MEM_WRITE | (below(w, 2) ? VMCFG_MEM_EXECUTE : 0) |
			 (below(w, 4) == 0 ? VMCFG_MEM_UNCACHED : 0);
	size_t before = w->sim.in_use;
	int err = kind == LAZY	  ? vmcfg_aspace_map_lazy(&w->as, gpa, size, flags)
		  : kind == DEFER ? vmcfg_aspace_map_alloc_deferred(&w->as, gpa, size, flags)
				  : vmcfg_aspace_map_alloc(&w->as, gpa, size, flags);
	if (model_overlaps(&w->m, gpa, gpa + size))
		CHECK(err == VMCFG_EOVERLAP);
	else
		CHECK(err == 0 || err == VMCFG_ENOMEM);
	expect_unchanged_frames(w, before, err);
	if (err)
		return;
	model_push(&w->m, (struct ival){ gpa, size, 0, kind, flags });
	memset(shadow(&w->m, gpa), 0, size);
	for (uint64_t g = gpa; g < gpa + size; g += PAGE)
		w->m.populated[(g - W_BASE) / PAGE] = kind == ALLOC;
}

static void op_map_identical(struct world *w)
{
	uint64_t align = below(w, 3) ? PAGE : 2 * MiB;
	uint64_t gpa = pick_addr(w, I_BASE, I_SIZE, align);
	uint64_t size = (1 + below(w, 256)) * PAGE;
	if (gpa + size > I_BASE + I_SIZE)
		size = I_BASE + I_SIZE - gpa;
	uint64_t end = gpa + size;
	uint32_t flags = VMCFG_MEM_READ | VMCFG_MEM_WRITE | VMCFG_MEM_EXECUTE;
	enum vmcfg_ident_how how;
	/* The oracle for "taken" is the HAL's state before the call. */
	bool outside = end <= RAM_BASE || gpa >= RAM_BASE + RAM_SIZE;
	bool straddles = !outside && (gpa < RAM_BASE || end > RAM_BASE + RAM_SIZE);
	bool taken = false;
	for (uint64_t g = gpa; !outside && !straddles && g < end; g += PAGE)
		taken |= vmcfg_sim_mem_frame_in_use(&w->sim, g);
	size_t before = w->sim.in_use;
	int err = vmcfg_aspace_map_identical(&w->as, gpa, size, flags, &how);
	if (model_overlaps(&w->m, gpa, end))
		CHECK(err == VMCFG_EOVERLAP);
	else if (straddles)
		CHECK(err == VMCFG_ERANGE);
	else if (taken)
		CHECK(err == VMCFG_EBUSY);
	else
		CHECK(err == 0 || err == VMCFG_ENOMEM);
	expect_unchanged_frames(w, before, err);
	if (err)
		return;
	CHECK(how == (outside ? VMCFG_IDENT_FALLBACK : VMCFG_IDENT_RESERVED));
	model_push(&w->m, (struct ival){ gpa, size, gpa, outside ? IDENT_FB : IDENT_RES, flags });
	/* Reserved RAM keeps its contents: the sim poisons every frame it gets back. */
	if (!outside)
		memset(shadow(&w->m, gpa), 0xA5, size);
}

static void op_unmap(struct world *w)
{
	uint64_t gpa, size;
	if (w->m.n && below(w, 5)) {
		/* part of one mapping, page-aligned, often cutting blocks */
		struct ival *v = &w->m.iv[below(w, w->m.n)];
		uint64_t pages = v->size / PAGE;
		uint64_t first = below(w, 3) ? below(w, pages) : 0;
		uint64_t count = below(w, 3) ? 1 + below(w, pages - first) : pages - first;
		gpa = v->gpa + first * PAGE;
		size = count * PAGE;
	} else {
		/* anywhere: across several mappings or holes */
		uint64_t zone = below(w, 3);
		uint64_t base = zone == 0 ? W_BASE : zone == 1 ? I_BASE : B_BASE;
		uint64_t zsize = zone == 0 ? W_SIZE : zone == 1 ? I_SIZE : B_SIZE;
		gpa = pick_addr(w, base, zsize, PAGE);
		size = (1 + below(w, 1024)) * PAGE;
	}
	uint64_t end = gpa + size;
	int err = vmcfg_aspace_unmap(&w->as, gpa, size);
	vmcfg_aspace_release_retired(&w->as);
	if (end > w->limit)
		CHECK(err == VMCFG_ERANGE);
	else if (!model_covers(&w->m, gpa, end))
		CHECK(err == VMCFG_EFAULT);
	else
		CHECK(err == 0 || err == VMCFG_ENOMEM);
	if (err)
		return;
	model_remove(&w->m, gpa, end);
	for (uint64_t g = gpa; g < end; g += PAGE)
		if (in_w(g))
			w->m.populated[(g - W_BASE) / PAGE] = 0;
}

/* Unmaps one whole mapping of the model (keeps the number of mappings bounded). */
static void op_unmap_whole(struct world *w)
{
	struct ival v = w->m.iv[below(w, w->m.n)];
	CHECK(vmcfg_aspace_unmap(&w->as, v.gpa, v.size) == 0);
	model_remove(&w->m, v.gpa, v.gpa + v.size);
	for (uint64_t g = v.gpa; g < v.gpa + v.size; g += PAGE)
		if (in_w(g))
			w->m.populated[(g - W_BASE) / PAGE] = 0;
}

static uint64_t pick_any_gpa(struct world *w)
{
	switch (below(w, 5)) {
	case 0:
	case 1:
		return W_BASE + below(w, W_SIZE);
	case 2:
		return I_BASE + below(w, I_SIZE);
	case 3:
		return B_BASE + below(w, B_SIZE);
	default:
		return w->limit - GiB + below(w, 2 * GiB);
	}
}

static void op_translate(struct world *w)
{
	uint64_t gpa = pick_any_gpa(w);
	struct vmcfg_translation t;
	int err = vmcfg_aspace_translate(&w->as, gpa, &t);
	if (gpa >= w->limit) {
		CHECK(err == VMCFG_ERANGE);
		return;
	}
	struct ival *v = model_find(&w->m, gpa);
	if (!v) {
		CHECK(err == VMCFG_EFAULT);
		return;
	}
	CHECK(err == 0);
	CHECK(t.flags == v->flags);
	CHECK(t.leaf_gpa <= gpa && gpa - t.leaf_gpa < vmcfg_pt_level_size(t.level));
	switch (v->kind) {
	case LIN:
	case IDENT_FB:
	case IDENT_RES:
		CHECK(t.present);
		CHECK(t.hpa == v->hpa + (gpa - v->gpa));
		CHECK(t.owned == (v->kind == IDENT_RES));
		break;
	case ALLOC:
	case DEFER:
	case LAZY: {
		bool present = w->m.populated[(gpa - W_BASE) / PAGE];
		CHECK(t.present == present);
		CHECK(t.owned);
		if (present)
			CHECK(vmcfg_sim_mem_frame_in_use(&w->sim, t.hpa));
		break;
	}
	}
}

/* A random byte range for a copy, mostly inside W and I. */
#define COPY_MAX (5 * MiB / 2)

static void pick_copy(struct world *w, uint64_t *gpa, size_t *len)
{
	*gpa = below(w, 4) ? (below(w, 2) ? W_BASE + below(w, W_SIZE) : I_BASE + below(w, I_SIZE))
			   : pick_any_gpa(w);
	*len = (size_t)(1 + below(w, below(w, 256) ? 3 * PAGE + 100 : COPY_MAX));
}

/*
 * A deferred leaf is zeroed and made present whole on its first touch: the
 * pages of gpa's leaf (which the model does not track) become present.
 */
static void mark_leaf_present(struct world *w, uint64_t gpa)
{
	struct vmcfg_translation t;
	if (vmcfg_aspace_translate(&w->as, gpa, &t) || !t.present)
		return;
	uint64_t end = t.leaf_gpa + vmcfg_pt_level_size(t.level);
	for (uint64_t g = t.leaf_gpa; g < end; g += PAGE)
		if (in_w(g))
			w->m.populated[(g - W_BASE) / PAGE] = 1;
}

static void resync_populated(struct world *w, uint64_t gpa, uint64_t end)
{
	for (uint64_t g = gpa & ~(PAGE - 1); g < end; g += PAGE) {
		struct vmcfg_translation t;
		if (in_w(g) && vmcfg_aspace_translate(&w->as, g, &t) == 0) {
			w->m.populated[(g - W_BASE) / PAGE] = t.present;
			mark_leaf_present(w, g);
		}
	}
}

static void op_write(struct world *w)
{
	static uint8_t buf[COPY_MAX];
	uint64_t gpa;
	size_t len;
	pick_copy(w, &gpa, &len);
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)rnd(w);
	uint64_t end = gpa + len;
	int err = vmcfg_aspace_write(&w->as, gpa, buf, len);
	if (end > w->limit)
		CHECK(err == VMCFG_ERANGE);
	else if (!model_copyable(&w->m, gpa, end))
		CHECK(err == VMCFG_EFAULT);
	else
		CHECK(err == 0 || err == VMCFG_ENOMEM);
	if (err == VMCFG_ENOMEM)
		resync_populated(w, gpa, end);
	if (err)
		return;
	for (size_t i = 0; i < len; i++)
		*shadow_byte(w, gpa + i) = buf[i];
	for (uint64_t g = gpa & ~(PAGE - 1); g < end; g += PAGE)
		if (in_w(g))
			mark_leaf_present(w, g);
}

static void op_read(struct world *w)
{
	static uint8_t buf[COPY_MAX];
	uint64_t gpa;
	size_t len;
	pick_copy(w, &gpa, &len);
	uint64_t end = gpa + len;
	int err = vmcfg_aspace_read(&w->as, gpa, buf, len);
	if (end > w->limit)
		CHECK(err == VMCFG_ERANGE);
	else if (!model_copyable(&w->m, gpa, end))
		CHECK(err == VMCFG_EFAULT);
	else
		CHECK(err == 0);
	if (err)
		return;
	for (size_t i = 0; i < len; i++)
		if (buf[i] != *shadow_byte(w, gpa + i))
			CHECK(!"guest byte differs from the model");
}

static void op_fault_in(struct world *w)
{
	uint64_t gpa = W_BASE + below(w, W_SIZE);
	struct ival *v = model_find(&w->m, gpa);
	int err = vmcfg_aspace_fault_in(&w->as, gpa);
	if (!v)
		CHECK(err == VMCFG_EFAULT);
	else
		CHECK(err == 0 || (err == VMCFG_ENOMEM && v->kind == LAZY));
	if (err == 0)
		mark_leaf_present(w, gpa);
}

/* Whether gpa's page is present; its leaf's first address and size in *leaf, *size. */
static bool page_present(struct world *w, uint64_t gpa, uint64_t *leaf, uint64_t *size)
{
	struct vmcfg_translation t;
	*leaf = gpa;
	*size = PAGE;
	if (vmcfg_aspace_translate(&w->as, gpa, &t))
		return false;
	*leaf = t.leaf_gpa;
	*size = vmcfg_pt_level_size(t.level);
	return t.present;
}

/*
 * Fault-in with a window: exactly the deferred leaves meeting the window
 * become present (gpa's own leaf by the fault-in itself), and *made counts
 * their pages.
 */
static void op_fault_in_around(struct world *w)
{
	static bool before[4 * MiB / PAGE];
	uint64_t window = PAGE << below(w, 11), gpa = W_BASE + below(w, W_SIZE);
	uint64_t first = gpa & ~(window - 1), leaf = 0, size = 0, own_leaf = ~0ull;
	struct ival *v = model_find(&w->m, gpa);
	for (uint64_t i = 0; i < window / PAGE; i++)
		before[i] = page_present(w, first + i * PAGE, &leaf, &size);
	size_t made = 12345;
	int err = vmcfg_aspace_fault_in_around(&w->as, gpa, window, &made);
	if (!v)
		CHECK(err == VMCFG_EFAULT);
	else
		CHECK(err == 0 || (err == VMCFG_ENOMEM && v->kind == LAZY));
	if (err) {
		CHECK(made == 0);
		return;
	}
	page_present(w, gpa, &own_leaf, &size);
	size_t expect = 0;
	uint64_t last_leaf = ~0ull;
	for (uint64_t i = 0; i < window / PAGE; i++) {
		uint64_t g = first + i * PAGE;
		bool now = page_present(w, g, &leaf, &size);
		struct ival *u = model_find(&w->m, g);
		CHECK(now || !before[i]);
		/* A deferred page stays so only when no frame was left for a table to split into. */
		CHECK(now || !u || u->kind != DEFER || w->sim.in_use == w->sim.frames);
		if (now == before[i] || leaf == own_leaf)
			continue;
		CHECK(u && u->kind == DEFER); /* only deferred leaves are made present */
		if (leaf != last_leaf)
			expect += (size_t)(size / PAGE);
		last_leaf = leaf;
	}
	CHECK(made == expect);
	resync_populated(w, first, first + window);
}

/* ---- whole-state check ---- */

struct walk_check {
	struct world *w;
	uint64_t bytes, last_end;
	uint8_t *frame_seen; /* per RAM frame */
};

static int check_run(void *ud, const struct vmcfg_mapping *r)
{
	struct walk_check *c = ud;
	struct world *w = c->w;
	CHECK(r->gpa >= c->last_end);
	c->last_end = r->gpa + r->size;
	c->bytes += r->size;
	for (uint64_t g = r->gpa; g < r->gpa + r->size;) {
		struct ival *v = model_find(&w->m, g);
		CHECK(v != NULL);
		if (!v)
			return 1;
		CHECK(v->flags == r->flags);
		uint64_t stop = v->gpa + v->size < r->gpa + r->size ? v->gpa + v->size : r->gpa + r->size;
		switch (v->kind) {
		case LIN:
		case IDENT_FB:
		case IDENT_RES:
			CHECK(!r->lazy && !r->deferred && r->owned == (v->kind == IDENT_RES));
			CHECK(r->hpa + (g - r->gpa) == v->hpa + (g - v->gpa));
			break;
		case ALLOC:
		case DEFER:
		case LAZY:
			CHECK(r->owned);
			CHECK(!r->lazy || v->kind == LAZY);
			CHECK(!r->deferred || v->kind == DEFER);
			for (uint64_t p = g; p < stop; p += PAGE)
				CHECK(w->m.populated[(p - W_BASE) / PAGE] ==
				      !(r->lazy || r->deferred));
			break;
		}
		if (r->owned && !r->lazy) {
			/* no frame is mapped twice */
			for (uint64_t p = g; p < stop; p += PAGE) {
				uint64_t hpa = r->hpa + (p - r->gpa);
				CHECK(hpa >= RAM_BASE && hpa < RAM_BASE + RAM_SIZE);
				CHECK(!c->frame_seen[(hpa - RAM_BASE) / PAGE]);
				c->frame_seen[(hpa - RAM_BASE) / PAGE] = 1;
				CHECK(vmcfg_sim_mem_frame_in_use(&w->sim, hpa));
			}
		}
		g = stop;
	}
	return 0;
}

static void check_all(struct world *w)
{
	static uint8_t seen[RAM_SIZE / PAGE];
	memset(seen, 0, sizeof seen);
	struct walk_check c = { .w = w, .frame_seen = seen };
	CHECK(vmcfg_aspace_for_each(&w->as, check_run, &c) == 0);
	uint64_t model_bytes = 0;
	for (size_t i = 0; i < w->m.n; i++)
		model_bytes += w->m.iv[i].size;
	CHECK(c.bytes == model_bytes);
	struct vmcfg_aspace_stats s;
	vmcfg_aspace_stats(&w->as, &s);
	CHECK(s.mapped_bytes == model_bytes);
	CHECK(s.owned_frames == model_owned_frames(&w->m));
	CHECK(w->sim.in_use == s.table_pages + s.owned_frames);
	CHECK(w->sim.bad_frees == 0);
}

/* ---- driver ---- */

static uint64_t env_u64(const char *name, uint64_t dflt)
{
	const char *s = getenv(name);
	return s && *s ? strtoull(s, NULL, 0) : dflt;
}

static void run_model(enum vmcfg_pt_kind kind, unsigned ipa_bits, unsigned options)
{
	struct world *w = calloc(1, sizeof *w);
	assert_non_null(w);
	w->kind = kind;
	w->ipa_bits = ipa_bits;
	w->limit = 1ull << ipa_bits;
	w->ram = malloc(RAM_SIZE);
	w->m.shadow_w = malloc(W_SIZE);
	w->m.shadow_i = malloc(I_SIZE);
	assert_true(w->ram && w->m.shadow_w && w->m.shadow_i);
	assert_int_equal(vmcfg_sim_mem_init(&w->sim, w->ram, RAM_SIZE, RAM_BASE, w->bitmap,
					    VMCFG_SIM_BITMAP_WORDS(RAM_SIZE), true),
			 0);
	w->hal = vmcfg_sim_mem_hal(&w->sim);
	assert_int_equal(vmcfg_aspace_init(&w->as, &w->hal, kind, ipa_bits, options), 0);
	w->rng = (seed_base ^ (0x9E3779B97F4A7C15ull * (kind + 1))) | 1;

	uint64_t ops = env_u64("VMCFG_MODEL_OPS", 100000);
	for (w->op = 0; w->op < ops; w->op++) {
		uint64_t r = below(w, 200);
		unsigned which;
		if (r < 72 && w->m.n > MAX_MAPPINGS) {
			op_unmap_whole(w);
			w->counts[4]++;
			continue;
		}
		if (r < 24)
			op_map_linear(w), which = 0;
		else if (r < 36)
			op_map_alloc(w, ALLOC), which = 1;
		else if (r < 44)
			op_map_alloc(w, DEFER), which = 10;
		else if (r < 60)
			op_map_alloc(w, LAZY), which = 2;
		else if (r < 72)
			op_map_identical(w), which = 3;
		else if (r < 112)
			op_unmap(w), which = 4;
		else if (r < 140)
			op_translate(w), which = 5;
		else if (r < 164)
			op_write(w), which = 6;
		else if (r < 188)
			op_read(w), which = 7;
		else if (r < 194)
			op_fault_in(w), which = 8;
		else if (r < 199)
			op_fault_in_around(w), which = 11;
		else
			check_all(w), which = 9;
		w->counts[which]++;
	}
	check_all(w);
	vmcfg_aspace_destroy(&w->as);
	CHECK(w->sim.in_use == 0);
	CHECK(w->sim.bad_frees == 0);
	print_message("%-13s ipa %u%s: %llu ops (map-linear %llu, alloc %llu, deferred %llu, "
		      "lazy %llu, identical %llu, unmap %llu, translate %llu, write %llu, read %llu, "
		      "fault %llu, fault around %llu, full checks %llu), "
		      "peak %zu frames, %zu mappings at the end\n",
		      w->as.fmt ? w->as.fmt->name : vmcfg_pt_format_get(kind)->name, ipa_bits,
		      options & VMCFG_ASPACE_4K_ONLY ? " 4k-only" : "", (unsigned long long)ops,
		      w->counts[0], w->counts[1], w->counts[10], w->counts[2], w->counts[3],
		      w->counts[4], w->counts[5], w->counts[6], w->counts[7], w->counts[8],
		      w->counts[11], w->counts[9], w->sim.peak, w->m.n);
	free(w->m.iv);
	free(w->m.shadow_w);
	free(w->m.shadow_i);
	free(w->ram);
	free(w);
}

static void test_model_arm64_3l(void **state)
{
	(void)state;
	run_model(VMCFG_PT_ARM64_S2_3L, 40, 0);
}

static void test_model_arm64_4l(void **state)
{
	(void)state;
	run_model(VMCFG_PT_ARM64_S2_4L, 48, 0);
}

static void test_model_sv39x4(void **state)
{
	(void)state;
	run_model(VMCFG_PT_RISCV_SV39X4, 41, 0);
}

static void test_model_sv48x4(void **state)
{
	(void)state;
	run_model(VMCFG_PT_RISCV_SV48X4, 48, 0);
}

static void test_model_ept(void **state)
{
	(void)state;
	run_model(VMCFG_PT_X86_EPT4, 48, 0);
}

/* A narrow IPA: most top-zone operations cross 2^36 and must be refused. */
static void test_model_arm64_3l_36(void **state)
{
	(void)state;
	run_model(VMCFG_PT_ARM64_S2_3L, 36, 0);
}

/* As the hypervisor maps guest RAM on QEMU: only 4 KiB leaves become valid. */
static void test_model_arm64_3l_4k(void **state)
{
	(void)state;
	run_model(VMCFG_PT_ARM64_S2_3L, 40, VMCFG_ASPACE_4K_ONLY);
}

static void test_model_sv39x4_4k(void **state)
{
	(void)state;
	run_model(VMCFG_PT_RISCV_SV39X4, 41, VMCFG_ASPACE_4K_ONLY);
}

int main(void)
{
	seed_base = env_u64("VMCFG_SEED", 20240601);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model_arm64_3l),
		cmocka_unit_test(test_model_arm64_4l),
		cmocka_unit_test(test_model_sv39x4),
		cmocka_unit_test(test_model_sv48x4),
		cmocka_unit_test(test_model_ept),
		cmocka_unit_test(test_model_arm64_3l_36),
		cmocka_unit_test(test_model_arm64_3l_4k),
		cmocka_unit_test(test_model_sv39x4_4k),
	};
	print_message("model seed %llu (override with VMCFG_SEED)\n", (unsigned long long)seed_base);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
