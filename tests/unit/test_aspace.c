/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of lib/mm's address spaces and simulated physical memory:
 * block selection, identical-mapping semantics, unmap splitting, strict
 * copies, iteration, the DESIGN.md defects as regressions, and clean
 * unwinding when the HAL fails at every allocation point in turn.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vmcfg/aspace.h"

#define R VMCFG_MEM_READ
#define W VMCFG_MEM_WRITE
#define X VMCFG_MEM_EXECUTE
#define RW (R | W)
#define RWX (R | W | X)
#define KiB 1024ull
#define MiB (1024 * KiB)
#define GiB (1024 * MiB)

#define RAM_BASE 0x40000000ull
#define RAM_SIZE (16 * MiB)

/* A simulated machine: RAM at 0x4000_0000, a HAL on it, one address space. */
struct env {
	struct vmcfg_sim_mem sim;
	struct vmcfg_hal hal;
	struct vmcfg_aspace as;
	uint8_t *ram;
	uint64_t bitmap[VMCFG_SIM_BITMAP_WORDS(RAM_SIZE)];
	int warnings;
	char last_log[256];
};

static void count_log(void *ctx, enum vmcfg_log_level level, const char *msg)
{
	struct env *e = (struct env *)((char *)ctx - offsetof(struct env, sim));
	if (level == VMCFG_LOG_WARN)
		e->warnings++;
	strncpy(e->last_log, msg, sizeof e->last_log - 1);
}

static struct env *env_new(enum vmcfg_pt_kind kind, unsigned ipa_bits, unsigned options)
{
	struct env *e = calloc(1, sizeof *e);
	assert_non_null(e);
	e->ram = malloc(RAM_SIZE);
	assert_non_null(e->ram);
	assert_int_equal(vmcfg_sim_mem_init(&e->sim, e->ram, RAM_SIZE, RAM_BASE, e->bitmap,
					    VMCFG_SIM_BITMAP_WORDS(RAM_SIZE), true),
			 0);
	e->hal = vmcfg_sim_mem_hal(&e->sim);
	e->hal.log = count_log;
	assert_int_equal(vmcfg_aspace_init(&e->as, &e->hal, kind, ipa_bits, options), 0);
	return e;
}

/* Destroys the aspace and checks that every frame came back, exactly once. */
static void env_free(struct env *e)
{
	vmcfg_aspace_destroy(&e->as);
	assert_int_equal(e->sim.in_use, 0);
	assert_int_equal(e->sim.bad_frees, 0);
	free(e->ram);
	free(e);
}

static struct vmcfg_aspace_stats stats(const struct env *e)
{
	struct vmcfg_aspace_stats s;
	vmcfg_aspace_stats(&e->as, &s);
	/* The aspace is the only user of this HAL: its counters must add up to the HAL's. */
	assert_int_equal(e->sim.in_use, s.table_pages + s.owned_frames);
	return s;
}

static struct vmcfg_translation xlate(const struct env *e, uint64_t gpa)
{
	struct vmcfg_translation t;
	assert_int_equal(vmcfg_aspace_translate(&e->as, gpa, &t), 0);
	return t;
}

static void test_init_errors(void **state)
{
	struct vmcfg_sim_mem sim;
	static uint8_t ram[16 * 4096] __attribute__((aligned(4096)));
	uint64_t bm[1];
	struct vmcfg_aspace as;
	(void)state;

	assert_int_equal(vmcfg_sim_mem_init(&sim, ram, sizeof ram, 0x1000, bm, 1, false), 0);
	struct vmcfg_hal hal = vmcfg_sim_mem_hal(&sim);
	assert_int_equal(vmcfg_aspace_init(&as, &hal, VMCFG_PT_KIND_COUNT, 40, 0), VMCFG_EINVAL);
	assert_int_equal(vmcfg_aspace_init(&as, &hal, VMCFG_PT_ARM64_S2_3L, 43, 0), VMCFG_ERANGE);
	assert_int_equal(vmcfg_aspace_init(&as, &hal, VMCFG_PT_ARM64_S2_4L, 40, 0), VMCFG_ERANGE);
	assert_int_equal(vmcfg_aspace_init(&as, &hal, VMCFG_PT_ARM64_S2_3L, 40, 0x80), VMCFG_EINVAL);
	struct vmcfg_hal broken = hal;
	broken.phys_to_virt = NULL;
	assert_int_equal(vmcfg_aspace_init(&as, &broken, VMCFG_PT_X86_EPT4, 48, 0), VMCFG_EINVAL);
	/* The riscv root needs 4 frames aligned to 16 KiB: RAM at 0x1000 has them at 0x4000. */
	assert_int_equal(vmcfg_aspace_init(&as, &hal, VMCFG_PT_RISCV_SV39X4, 41, 0), 0);
	assert_int_equal(as.root_pa, 0x4000);
	assert_int_equal(sim.in_use, 4);
	vmcfg_aspace_destroy(&as);
	assert_int_equal(sim.in_use, 0);
	/* Failing root allocation leaves nothing behind. */
	sim.fail_at = sim.calls + 1;
	assert_int_equal(vmcfg_aspace_init(&as, &hal, VMCFG_PT_X86_EPT4, 48, 0), VMCFG_ENOMEM);
	assert_int_equal(sim.in_use, 0);
	vmcfg_aspace_destroy(&as); /* harmless on a failed init */
}

/* map_linear picks 1 GiB, then 2 MiB, then 4 KiB leaves as alignment allows. */
static void test_largest_blocks(void **state)
{
	(void)state;
	for (unsigned k = 0; k < VMCFG_PT_KIND_COUNT; k++) {
		unsigned ipa = k == VMCFG_PT_ARM64_S2_4L ? 48 : 40;
		struct env *e = env_new(k, ipa, 0);
		/* [1 GiB - 8 KiB, 2 GiB + 2 MiB + 4 KiB): 2 pages, 1 GiB block, 2 MiB block, 1 page */
		uint64_t gpa = GiB - 8 * KiB, size = GiB + 2 * MiB + 12 * KiB;
		assert_int_equal(vmcfg_aspace_map_linear(&e->as, gpa, 0x100000000ull + gpa, size, RWX), 0);
		struct vmcfg_aspace_stats s = stats(e);
		assert_int_equal(s.leaves[0], 3);
		assert_int_equal(s.leaves[1], 1);
		assert_int_equal(s.leaves[2], 1);
		assert_int_equal(s.mapped_bytes, size);
		assert_int_equal(s.owned_frames, 0);
		/* tables: root + (below 1 GiB: 1 + 1) + (above 2 GiB: 1 + 1), + the
		 * 512 GiB entry's table with 4 levels */
		assert_int_equal(s.table_pages, e->as.root_pages + 4 + (e->as.fmt->levels == 4));
		struct vmcfg_translation t = xlate(e, GiB + 12345);
		assert_int_equal(t.hpa, 0x100000000ull + GiB + 12345);
		assert_int_equal(t.level, 2);
		assert_int_equal(t.flags, RWX);
		assert_true(t.present);
		assert_false(t.owned);
		/* an hpa misaligned against the gpa forces 4 KiB pages */
		assert_int_equal(vmcfg_aspace_map_linear(&e->as, 8 * GiB, 0x1000, 2 * MiB, RW), 0);
		assert_int_equal(stats(e).leaves[0], 3 + 512);
		/* the 4K-only option never uses blocks */
		struct env *p = env_new(k, ipa, VMCFG_ASPACE_4K_ONLY);
		assert_int_equal(vmcfg_aspace_map_linear(&p->as, 0, 0, 4 * MiB, RW), 0);
		assert_int_equal(stats(p).leaves[0], 1024);
		assert_int_equal(stats(p).leaves[1], 0);
		env_free(p);
		env_free(e);
	}
}

static void test_argument_errors(void **state)
{
	struct env *e = env_new(VMCFG_PT_ARM64_S2_3L, 40, 0);
	enum vmcfg_ident_how how;
	(void)state;

	assert_int_equal(vmcfg_aspace_map_linear(&e->as, 0x1000, 0x1000, 0, RW), VMCFG_EINVAL);
	assert_int_equal(vmcfg_aspace_map_linear(&e->as, 0x1001, 0x1000, 0x1000, RW), VMCFG_EALIGN);
	assert_int_equal(vmcfg_aspace_map_linear(&e->as, 0x1000, 0x1800, 0x1000, RW), VMCFG_EALIGN);
	assert_int_equal(vmcfg_aspace_map_linear(&e->as, 0x1000, 0x1000, 0x1800, RW), VMCFG_EALIGN);
	assert_int_equal(vmcfg_aspace_map_linear(&e->as, 0x1000, 0x1000, 0x1000, 0), VMCFG_EINVAL);
	assert_int_equal(vmcfg_aspace_map_linear(&e->as, 0x1000, 0x1000, 0x1000, 0x40 | R),
			 VMCFG_EINVAL);
	assert_int_equal(vmcfg_aspace_map_alloc(&e->as, 0x1000, 0x1000,
						R | VMCFG_MEM_DEVICE | VMCFG_MEM_UNCACHED),
			 VMCFG_EINVAL);
	/* base + size wraps: an error, not a small range */
	assert_int_equal(vmcfg_aspace_map_linear(&e->as, UINT64_MAX - 0xfff, 0, 0x2000, RW),
			 VMCFG_ERANGE);
	assert_int_equal(vmcfg_aspace_map_linear(&e->as, 0, UINT64_MAX - 0xfff, 0x2000, RW),
			 VMCFG_ERANGE);
	assert_int_equal(vmcfg_aspace_map_linear(&e->as, 0x1000, 0xfffffffffffff000ull, 0x1000, RW),
			 VMCFG_ERANGE); /* beyond the 48-bit output address */
	assert_int_equal(vmcfg_aspace_map_identical(&e->as, UINT64_MAX - 0xfff, 0x2000, RW, &how),
			 VMCFG_ERANGE);
	assert_int_equal(vmcfg_aspace_unmap(&e->as, UINT64_MAX - 0xfff, 0x2000), VMCFG_ERANGE);
	char b[4];
	assert_int_equal(vmcfg_aspace_write(&e->as, UINT64_MAX - 1, b, 4), VMCFG_ERANGE);
	assert_int_equal(vmcfg_aspace_read(&e->as, UINT64_MAX - 1, b, 4), VMCFG_ERANGE);
	struct vmcfg_translation t;
	assert_int_equal(vmcfg_aspace_translate(&e->as, 0x1000, &t), VMCFG_EFAULT);
	assert_int_equal(vmcfg_aspace_fault_in(&e->as, 0x1000), VMCFG_EFAULT);
	assert_int_equal(e->sim.in_use, e->as.root_pages);
	env_free(e);
}

/* DESIGN.md: three levels silently aliased guest addresses at or above 2^39. */
static void test_no_alias_above_ipa(void **state)
{
	struct vmcfg_translation t;
	(void)state;

	/* 39-bit IPA: 2^39 is out of range, whatever the table could index */
	struct env *e = env_new(VMCFG_PT_ARM64_S2_3L, 39, 0);
	assert_int_equal(vmcfg_aspace_map_linear(&e->as, 1ull << 39, 0, 0x1000, RW), VMCFG_ERANGE);
	assert_int_equal(vmcfg_aspace_map_linear(&e->as, (1ull << 39) - 0x1000, 0, 0x2000, RW),
			 VMCFG_ERANGE);
	assert_int_equal(vmcfg_aspace_translate(&e->as, 1ull << 39, &t), VMCFG_ERANGE);
	assert_int_equal(vmcfg_aspace_map_linear(&e->as, (1ull << 39) - 0x1000, 0x5000, 0x1000, RW), 0);
	env_free(e);

	/* 40-bit IPA: 2^39 lands in the second concatenated root table, not on 0 */
	for (unsigned k = 0; k < VMCFG_PT_KIND_COUNT; k++) {
		if (k == VMCFG_PT_ARM64_S2_4L)
			continue;
		e = env_new(k, 40, 0);
		assert_int_equal(vmcfg_aspace_map_linear(&e->as, 1ull << 39, 0x200000, 0x1000, RW), 0);
		assert_int_equal(vmcfg_aspace_translate(&e->as, 0, &t), VMCFG_EFAULT);
		assert_int_equal(xlate(e, 1ull << 39).hpa, 0x200000);
		assert_int_equal(vmcfg_aspace_map_linear(&e->as, 0, 0x300000, 0x1000, RW), 0);
		assert_int_equal(xlate(e, 0).hpa, 0x300000);
		assert_int_equal(xlate(e, 1ull << 39).hpa, 0x200000);
		assert_int_equal(vmcfg_aspace_map_linear(&e->as, 1ull << 40, 0, 0x1000, RW), VMCFG_ERANGE);
		assert_int_equal(vmcfg_aspace_map_linear(&e->as, (1ull << 40) - 0x1000, 0, 0x1000, RW), 0);
		env_free(e);
	}
}

/* Overlap checks: adjacency is fine, any shared page is not (DESIGN.md: overflow-safe). */
static void test_overlap(void **state)
{
	struct env *e = env_new(VMCFG_PT_X86_EPT4, 48, 0);
	(void)state;

	assert_int_equal(vmcfg_aspace_map_linear(&e->as, 4 * GiB, 4 * GiB, GiB, RW), 0);
	assert_int_equal(vmcfg_aspace_map_linear(&e->as, 5 * GiB, 0, 0x1000, RW), 0); /* adjacent */
	assert_int_equal(vmcfg_aspace_map_linear(&e->as, 4 * GiB - 0x1000, 0, 0x1000, RW), 0);
	uint64_t before = e->sim.in_use;
	assert_int_equal(vmcfg_aspace_map_linear(&e->as, 4 * GiB + 0x1000, 0, 0x1000, RW),
			 VMCFG_EOVERLAP); /* inside a block */
	assert_int_equal(vmcfg_aspace_map_alloc(&e->as, 3 * GiB, GiB + 0x1000, RW), VMCFG_EOVERLAP);
	assert_int_equal(vmcfg_aspace_map_lazy(&e->as, 5 * GiB - 0x1000, 0x2000, RW), VMCFG_EOVERLAP);
	assert_int_equal(vmcfg_aspace_map_linear(&e->as, 2 * GiB, 0, 8 * GiB, RW), VMCFG_EOVERLAP);
	assert_int_equal(e->sim.in_use, before); /* refusals allocate nothing */
	/* DESIGN.md: a range spanning adjacent mappings is contained, not missed */
	assert_int_equal(vmcfg_aspace_unmap(&e->as, 4 * GiB - 0x1000, GiB + 0x2000), 0);
	assert_int_equal(stats(e).mapped_bytes, 0);
	/* and a range reaching past the last one is refused whole */
	assert_int_equal(vmcfg_aspace_map_linear(&e->as, 4 * GiB, 4 * GiB, 0x2000, RW), 0);
	assert_int_equal(vmcfg_aspace_unmap(&e->as, 4 * GiB, 0x3000), VMCFG_EFAULT);
	assert_int_equal(stats(e).mapped_bytes, 0x2000);
	env_free(e);
}

/* DESIGN.md: W-only mappings came out invalid. arm64 encodes them; riscv and EPT refuse. */
static void test_write_only(void **state)
{
	(void)state;
	struct env *e = env_new(VMCFG_PT_ARM64_S2_3L, 40, 0);
	assert_int_equal(vmcfg_aspace_map_linear(&e->as, 0x10000, 0x10000, 0x1000, W), 0);
	struct vmcfg_translation t = xlate(e, 0x10000);
	assert_int_equal(t.flags, W);
	assert_true(t.present);
	env_free(e);
	const enum vmcfg_pt_kind refusing[] = { VMCFG_PT_RISCV_SV39X4, VMCFG_PT_X86_EPT4 };
	for (unsigned i = 0; i < 2; i++) {
		e = env_new(refusing[i], 40, 0);
		assert_int_equal(vmcfg_aspace_map_linear(&e->as, 0x10000, 0x10000, 0x1000, W),
				 VMCFG_EINVAL);
		assert_int_equal(vmcfg_aspace_map_lazy(&e->as, 0x10000, 0x1000, W | X), VMCFG_EINVAL);
		env_free(e);
	}
}

static int check_no_pbmt(void *ud, const struct vmcfg_desc_visit *v)
{
	int *leaves = ud;
	if (v->pte.type == VMCFG_PTE_LEAF) {
		assert_int_equal(v->desc >> 61 & 3, 0); /* PBMT */
		(*leaves)++;
	}
	return 0;
}

/*
 * VMCFG_ASPACE_NO_MEMTYPE: a riscv64 device window without Svpbmt's PBMT
 * bits (a hart without Svpbmt faults on them), reading back without DEVICE;
 * without the option the same window is PBMT IO.
 */
static void test_no_memtype(void **state)
{
	(void)state;
	for (int opt = 0; opt < 2; opt++) {
		struct env *e = env_new(VMCFG_PT_RISCV_SV39X4, 41, opt ? VMCFG_ASPACE_NO_MEMTYPE : 0);
		int leaves = 0;
		assert_int_equal(vmcfg_aspace_map_linear(&e->as, 0x10000000, 0x10000000, 0x1000,
							 RW | VMCFG_MEM_DEVICE),
				 0);
		struct vmcfg_translation t = xlate(e, 0x10000000);
		assert_int_equal(t.flags, opt ? RW : RW | VMCFG_MEM_DEVICE);
		if (opt) {
			assert_int_equal(vmcfg_aspace_for_each_desc(&e->as, check_no_pbmt, &leaves), 0);
			assert_int_equal(leaves, 1);
		}
		env_free(e);
	}
}

static int check_leaf_xn(void *ud, const struct vmcfg_desc_visit *v)
{
	int *leaves = ud;
	if (v->pte.type == VMCFG_PTE_LEAF) {
		assert_true(v->desc & (1ull << 54));
		assert_true(v->desc & 1);
		(*leaves)++;
	}
	return 0;
}

/* DESIGN.md: stage-2 descriptors never set execute-never. */
static void test_xn_on_every_leaf(void **state)
{
	struct env *e = env_new(VMCFG_PT_ARM64_S2_3L, 40, 0);
	int leaves = 0;
	(void)state;
	assert_int_equal(vmcfg_aspace_map_linear(&e->as, GiB - 0x1000, GiB - 0x1000,
						 GiB + 2 * MiB + 0x2000, RW),
			 0);
	assert_int_equal(vmcfg_aspace_map_linear(&e->as, 0x09000000, 0x09000000, 0x1000,
						 RW | VMCFG_MEM_DEVICE),
			 0);
	assert_int_equal(vmcfg_aspace_map_alloc(&e->as, 0x100000, 0x3000, R), 0);
	/* split the 1 GiB block: the new leaves keep XN */
	assert_int_equal(vmcfg_aspace_unmap(&e->as, GiB + 0x5000, 0x1000), 0);
	assert_int_equal(vmcfg_aspace_for_each_desc(&e->as, check_leaf_xn, &leaves), 0);
	assert_true(leaves > 1000);
	env_free(e);
}

/*
 * Zeroing goes through the HAL's zero_frames once per physically contiguous
 * run: the two 2 MiB blocks come out adjacent (one call), the three 4 KiB
 * leaves are a run of their own after a table page (a second call).
 * Without the hook, memset through phys_to_virt still zeroes everything.
 */
static void test_map_alloc_zero_runs(void **state)
{
	(void)state;
	for (unsigned k = 0; k < VMCFG_PT_KIND_COUNT; k++) {
		unsigned ipa = k == VMCFG_PT_ARM64_S2_4L ? 48 : 40;
		struct env *e = env_new(k, ipa, 0);
		uint64_t size = 4 * MiB + 0x3000;
		assert_int_equal(vmcfg_aspace_map_alloc(&e->as, 0x80000000, size, RWX), 0);
		assert_int_equal(stats(e).leaves[1], 2);
		assert_int_equal(e->sim.zero_calls, 2);
		env_free(e);

		e = env_new(k, ipa, 0);
		e->as.hal.zero_frames = NULL;
		assert_int_equal(vmcfg_aspace_map_alloc(&e->as, 0x80000000, size, RWX), 0);
		assert_int_equal(e->sim.zero_calls, 0);
		uint8_t *buf = malloc(size);
		assert_non_null(buf);
		assert_int_equal(vmcfg_aspace_read(&e->as, 0x80000000, buf, size), 0);
		for (uint64_t i = 0; i < size; i++)
			if (buf[i])
				fail_msg("byte %llu not zeroed", (unsigned long long)i);
		free(buf);
		env_free(e);
	}
}

static void test_map_alloc_zeroed(void **state)
{
	(void)state;
	for (unsigned k = 0; k < VMCFG_PT_KIND_COUNT; k++) {
		unsigned ipa = k == VMCFG_PT_ARM64_S2_4L ? 48 : 40;
		struct env *e = env_new(k, ipa, 0);
		uint64_t size = 4 * MiB + 0x3000;
		/* The sim poisons free RAM with 0xA5: what the guest sees must be zero. */
		assert_int_equal(vmcfg_aspace_map_alloc(&e->as, 0x80000000, size, RWX), 0);
		struct vmcfg_aspace_stats s = stats(e);
		assert_int_equal(s.owned_frames, size / 4096);
		assert_int_equal(s.leaves[1], 2); /* the HAL had 2 MiB runs */
		assert_int_equal(s.leaves[0], 3);
		uint8_t *buf = malloc(size);
		memset(buf, 0x5a, size);
		assert_int_equal(vmcfg_aspace_read(&e->as, 0x80000000, buf, size), 0);
		for (uint64_t i = 0; i < size; i++)
			if (buf[i])
				fail_msg("byte %llu not zeroed", (unsigned long long)i);
		struct vmcfg_translation t = xlate(e, 0x80000000 + 4 * MiB);
		assert_true(t.owned);
		assert_true(vmcfg_sim_mem_frame_in_use(&e->sim, t.hpa));
		free(buf);
		/* unmap frees the frames; the tables it empties wait for the release */
		size_t tables = (size_t)s.table_pages, held = e->sim.in_use;
		assert_int_equal(vmcfg_aspace_unmap(&e->as, 0x80000000, size), 0);
		s = stats(e);
		assert_int_equal(s.owned_frames, 0);
		assert_int_equal(s.table_pages, tables);
		assert_int_equal(e->sim.in_use, held - size / 4096);
		vmcfg_aspace_release_retired(&e->as);
		s = stats(e);
		assert_int_equal(s.table_pages, e->as.root_pages);
		assert_int_equal(e->sim.in_use, e->as.root_pages);
		assert_int_equal(s.mapped_bytes, 0);
		env_free(e);
	}
}

/* When the HAL has no 2 MiB runs, MapAlloc falls back to scattered 4 KiB frames. */
static void test_map_alloc_fragmented(void **state)
{
	struct env *e = env_new(VMCFG_PT_ARM64_S2_3L, 40, 0);
	uint64_t pa;
	(void)state;
	/* Fragment RAM: take every other frame (the root has the first ones). */
	for (uint64_t f = 2; f < e->sim.frames; f += 2)
		assert_int_equal(e->hal.reserve_frames(e->hal.ctx, RAM_BASE + f * 4096, 1), 0);
	assert_int_equal(e->hal.alloc_frames(e->hal.ctx, 2, 4096, &pa), VMCFG_ENOMEM);
	assert_int_equal(vmcfg_aspace_map_alloc(&e->as, 0x200000, 2 * MiB, RW), 0);
	assert_int_equal(e->as.stats.leaves[0], 512);
	/* a copy across scattered frames lands in the right places */
	uint8_t src[3 * 4096 + 10], dst[sizeof src];
	for (size_t i = 0; i < sizeof src; i++)
		src[i] = (uint8_t)(i * 7 + 1);
	assert_int_equal(vmcfg_aspace_write(&e->as, 0x200000 + 4000, src, sizeof src), 0);
	assert_int_equal(vmcfg_aspace_read(&e->as, 0x200000 + 4000, dst, sizeof dst), 0);
	assert_memory_equal(src, dst, sizeof src);
	struct vmcfg_translation a = xlate(e, 0x201000), b = xlate(e, 0x202000);
	assert_int_not_equal(a.hpa + 4096, b.hpa);
	assert_int_equal(e->ram[b.hpa - RAM_BASE], src[4096 + 96]);
	vmcfg_aspace_destroy(&e->as);
	for (uint64_t f = 2; f < e->sim.frames; f += 2)
		e->hal.free_frames(e->hal.ctx, RAM_BASE + f * 4096, 1);
	assert_int_equal(e->sim.in_use, 0);
	assert_int_equal(e->sim.bad_frees, 0);
	free(e->ram);
	free(e);
}

/* vmcfg_aspace_read of len bytes at gpa succeeds and gives zeros only. */
static void expect_zeros(const struct env *e, uint64_t gpa, size_t len)
{
	uint8_t buf[8192];
	assert_true(len <= sizeof buf);
	memset(buf, 1, len);
	assert_int_equal(vmcfg_aspace_read(&e->as, gpa, buf, len), 0);
	for (size_t i = 0; i < len; i++)
		assert_int_equal(buf[i], 0);
}

static void test_lazy(void **state)
{
	(void)state;
	for (unsigned k = 0; k < VMCFG_PT_KIND_COUNT; k++) {
		unsigned ipa = k == VMCFG_PT_ARM64_S2_4L ? 48 : 40;
		struct env *e = env_new(k, ipa, 0);
		assert_int_equal(vmcfg_aspace_map_lazy(&e->as, GiB, GiB + 4 * MiB, RW), 0);
		struct vmcfg_aspace_stats s = stats(e);
		assert_int_equal(s.owned_frames, 0);
		assert_int_equal(s.leaves[2], 1); /* lazy blocks cost no tables below them */
		assert_int_equal(s.leaves[1], 2);
		struct vmcfg_translation t = xlate(e, GiB + 5);
		assert_false(t.present);
		assert_int_equal(t.flags, RW);
		/* reads see zeros and populate nothing */
		expect_zeros(e, GiB + 0x1ff000, 8192);
		assert_int_equal(stats(e).owned_frames, 0);
		/* a write populates exactly the pages it touches (2 here), zeroed */
		assert_int_equal(vmcfg_aspace_write(&e->as, GiB + 0x1ffffe, "abcd", 4), 0);
		s = stats(e);
		assert_int_equal(s.owned_frames, 2);
		assert_int_equal(s.mapped_bytes, GiB + 4 * MiB);
		uint8_t buf[8192];
		assert_int_equal(vmcfg_aspace_read(&e->as, GiB + 0x1ff000, buf, sizeof buf), 0);
		assert_int_equal(buf[0], 0);
		assert_memory_equal(buf + 0xffe, "abcd", 4);
		t = xlate(e, GiB + 0x200000);
		assert_true(t.present);
		assert_true(t.owned);
		assert_int_equal(t.level, 0);
		/* fault-in on a present page is a no-op; on an unmapped page an error */
		assert_int_equal(vmcfg_aspace_fault_in(&e->as, GiB + 0x200123), 0);
		assert_int_equal(vmcfg_aspace_fault_in(&e->as, 3 * GiB), VMCFG_EFAULT);
		assert_int_equal(vmcfg_aspace_fault_in(&e->as, 2 * GiB + 4096), 0);
		assert_int_equal(stats(e).owned_frames, 3);
		/* a populate failure writes nothing */
		e->sim.fail_at = e->sim.calls + 1;
		assert_int_equal(vmcfg_aspace_write(&e->as, GiB + 0x500000, "x", 1), VMCFG_ENOMEM);
		e->sim.fail_at = 0;
		env_free(e);
	}
}

/* A host byte of the simulated RAM. */
static uint8_t host_byte(const struct env *e, uint64_t hpa)
{
	return e->ram[hpa - RAM_BASE];
}

static int first_run(void *ud, const struct vmcfg_mapping *m)
{
	*(struct vmcfg_mapping *)ud = *m;
	return 1;
}

static struct vmcfg_mapping run_at(const struct env *e)
{
	struct vmcfg_mapping m = { 0 };
	assert_int_equal(vmcfg_aspace_for_each(&e->as, first_run, &m), 1);
	return m;
}

/*
 * Deferred zeroing: the frames are held (and counted) from the map call on,
 * but stay as the HAL gave them — poisoned with 0xA5 here — until their
 * leaf is first touched, and the guest never sees anything but zeros.
 */
/* Counts valid leaves above level 0, which VMCFG_ASPACE_4K_ONLY forbids. */
static int count_big_leaves(void *ud, const struct vmcfg_desc_visit *v)
{
	if (v->pte.type == VMCFG_PTE_LEAF && v->level > 0)
		(*(int *)ud)++;
	return 0;
}

/*
 * Deferred zeroing under VMCFG_ASPACE_4K_ONLY: the map call writes one
 * (invalid) descriptor per 2 MiB, and whatever makes part of a block
 * present — a first touch, an image written over part of it or all of it —
 * splits it into 4 KiB leaves first: no valid block is ever made.
 */
static void test_deferred_4k_only(void **state)
{
	(void)state;
	for (unsigned k = 0; k < VMCFG_PT_KIND_COUNT; k++) {
		unsigned ipa = k == VMCFG_PT_ARM64_S2_4L ? 48 : 40;
		struct env *e = env_new(k, ipa, VMCFG_ASPACE_4K_ONLY);
		const uint64_t g = 0x80000000, size = 6 * MiB;
		int big = 0;
		assert_int_equal(vmcfg_aspace_map_alloc_deferred(&e->as, g, size, RW), 0);
		struct vmcfg_aspace_stats s = stats(e);
		assert_int_equal(s.owned_frames, size / 4096);
		assert_int_equal(s.leaves[1], 3);
		assert_int_equal(s.leaves[0], 0);

		/* a first touch: one page zeroed and present, the rest of its block deferred pages */
		assert_int_equal(vmcfg_aspace_fault_in(&e->as, g + 0x123456), 0);
		struct vmcfg_translation t = xlate(e, g + 0x123456);
		assert_true(t.present && t.owned);
		assert_int_equal(t.level, 0);
		assert_int_equal(host_byte(e, t.hpa & ~0xfffull), 0);
		assert_int_equal(host_byte(e, (t.hpa & ~0xfffull) + 0xfff), 0);
		assert_false(xlate(e, g + 0x124000).present);
		assert_false(xlate(e, g + 0x122000).present);
		s = stats(e);
		assert_int_equal(s.leaves[1], 2);
		assert_int_equal(s.leaves[0], 512);
		assert_int_equal(s.owned_frames, size / 4096);

		/* an image over a whole block and part of the next: pages, the partial one zeroed */
		uint8_t *img = malloc(2 * MiB + 0x10);
		memset(img, 0x77, 2 * MiB + 0x10);
		assert_int_equal(vmcfg_aspace_write(&e->as, g + 2 * MiB, img, 2 * MiB + 0x10), 0);
		free(img);
		t = xlate(e, g + 2 * MiB);
		assert_true(t.present);
		assert_int_equal(t.level, 0);
		assert_int_equal(host_byte(e, t.hpa), 0x77);
		t = xlate(e, g + 4 * MiB);
		assert_true(t.present);
		assert_int_equal(host_byte(e, t.hpa + 0xf), 0x77);
		assert_int_equal(host_byte(e, t.hpa + 0x10), 0);
		assert_int_equal(host_byte(e, t.hpa + 0xfff), 0);
		assert_false(xlate(e, g + 4 * MiB + 0x1000).present);
		expect_zeros(e, g + 5 * MiB, 4096);

		assert_int_equal(vmcfg_aspace_for_each_desc(&e->as, count_big_leaves, &big), 0);
		assert_int_equal(big, 0);
		s = stats(e);
		assert_int_equal(s.owned_frames, size / 4096);
		assert_int_equal(s.leaves[1], 0);
		assert_int_equal(s.leaves[0], 3 * 512);
		env_free(e);
	}
}

/*
 * vmcfg_aspace_fault_in_around: the touched page and every other deferred
 * page of its aligned window are zeroed and present; pages outside the
 * window, lazy ones and unmapped ones are left as they were.
 */
static void test_fault_in_around(void **state)
{
	(void)state;
	struct env *e = env_new(VMCFG_PT_ARM64_S2_3L, 40, VMCFG_ASPACE_4K_ONLY);
	const uint64_t g = 0x80000000;
	size_t made = 99;
	assert_int_equal(vmcfg_aspace_map_alloc_deferred(&e->as, g, 2 * MiB - 64 * KiB, RW), 0);
	assert_int_equal(vmcfg_aspace_map_lazy(&e->as, g + 2 * MiB - 64 * KiB, 64 * KiB, RW), 0);
	assert_int_equal(vmcfg_aspace_fault_in_around(&e->as, g + 0x5123, 0x3000, &made), VMCFG_EINVAL);
	/* a present page in the window stays as it is */
	assert_int_equal(vmcfg_aspace_fault_in(&e->as, g + 0x3000), 0);
	assert_int_equal(vmcfg_aspace_fault_in_around(&e->as, g + 0x5123, 64 * KiB, &made), 0);
	assert_int_equal(made, 14);
	for (uint64_t p = 0; p < 64 * KiB; p += 4096) {
		struct vmcfg_translation t = xlate(e, g + p);
		assert_true(t.present);
		assert_int_equal(host_byte(e, t.hpa), 0);
		assert_int_equal(host_byte(e, t.hpa + 4095), 0);
	}
	assert_false(xlate(e, g + 64 * KiB).present);
	struct vmcfg_translation none;
	assert_int_equal(vmcfg_aspace_translate(&e->as, g - 4096, &none), VMCFG_EFAULT);
	/* the last window of the region reaches into lazy pages: they stay lazy */
	assert_int_equal(vmcfg_aspace_fault_in_around(&e->as, g + 2 * MiB - 64 * KiB - 1, 128 * KiB,
						     &made), 0);
	assert_int_equal(made, 15);
	assert_false(xlate(e, g + 2 * MiB - 64 * KiB).present);
	assert_int_equal(stats(e).owned_frames, 512 - 16); /* no lazy page populated */
	/* an unmapped address is the caller's fault to report */
	assert_int_equal(vmcfg_aspace_fault_in_around(&e->as, 0x10000000, 64 * KiB, &made), VMCFG_EFAULT);
	env_free(e);
}

/*
 * Deferred 2 MiB blocks under VMCFG_ASPACE_4K_ONLY, as the hypervisor holds
 * guest RAM on QEMU: a window wider than a block splits every block it meets
 * and makes exactly the window's pages valid 4 KiB leaves; a write across
 * blocks makes exactly the pages it covers valid, zeroing only the two it
 * covers in part, and its bytes land where a read finds them.
 */
static void test_blocks_4k_only(void **state)
{
	(void)state;
	struct env *e = env_new(VMCFG_PT_ARM64_S2_3L, 40, VMCFG_ASPACE_4K_ONLY);
	const uint64_t g = 0x80000000;
	size_t made = 0;
	assert_int_equal(vmcfg_aspace_map_alloc_deferred(&e->as, g, 8 * MiB, RW), 0);
	assert_int_equal(stats(e).leaves[1], 4);
	assert_int_equal(vmcfg_aspace_fault_in_around(&e->as, g + 2 * MiB + 0x5123, 4 * MiB, &made),
			 0);
	assert_int_equal(made, 1023);
	for (uint64_t p = 0; p < 4 * MiB; p += 4096) {
		struct vmcfg_translation t = xlate(e, g + p);
		assert_true(t.present);
		assert_int_equal(t.level, 0);
		assert_int_equal(host_byte(e, t.hpa), 0);
		assert_int_equal(host_byte(e, t.hpa + 4095), 0);
	}
	assert_false(xlate(e, g + 4 * MiB).present);
	assert_int_equal(stats(e).leaves[1], 2);

	/* From inside block 2 to inside block 3: both split. */
	static uint8_t buf[2 * MiB + 0x1234], back[sizeof buf];
	const uint64_t at = g + 5 * MiB - 0x800, end = at + sizeof buf;
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (uint8_t)(i * 7 + 1);
	assert_int_equal(vmcfg_aspace_write(&e->as, at, buf, sizeof buf), 0);
	assert_int_equal(vmcfg_aspace_read(&e->as, at, back, sizeof back), 0);
	assert_memory_equal(buf, back, sizeof buf);
	assert_int_equal(stats(e).leaves[1], 0);
	assert_false(xlate(e, (at & ~4095ull) - 4096).present);
	assert_false(xlate(e, (end + 4095) & ~4095ull).present);
	for (uint64_t p = at & ~4095ull; p < end; p += 4096)
		assert_true(xlate(e, p).present);
	struct vmcfg_translation first = xlate(e, at), last = xlate(e, end - 1);
	assert_int_equal(host_byte(e, first.hpa - 1), 0);       /* before the copy: zeroed */
	assert_int_equal(host_byte(e, last.hpa + 1), 0);        /* after it: zeroed */
	assert_int_equal(host_byte(e, first.hpa), buf[0]);
	assert_int_equal(host_byte(e, last.hpa), buf[sizeof buf - 1]);
	env_free(e);
}

static void test_deferred(void **state)
{
	(void)state;
	for (unsigned k = 0; k < VMCFG_PT_KIND_COUNT; k++) {
		unsigned ipa = k == VMCFG_PT_ARM64_S2_4L ? 48 : 40;
		struct env *e = env_new(k, ipa, 0);
		const uint64_t g = 0x80000000, size = 4 * MiB + 0x2000;
		assert_int_equal(vmcfg_aspace_map_alloc_deferred(&e->as, g, size, RW), 0);
		struct vmcfg_aspace_stats s = stats(e);
		assert_int_equal(s.owned_frames, size / 4096);
		assert_int_equal(s.leaves[1], 2);
		assert_int_equal(s.leaves[0], 2);
		struct vmcfg_mapping m = run_at(e);
		assert_true(m.deferred && m.owned && !m.lazy);
		assert_int_equal(m.size, 4 * MiB); /* the 4 KiB pages come from another run */
		uint64_t block0 = m.hpa;
		assert_int_equal(host_byte(e, block0 + 5), 0xA5); /* not zeroed */
		struct vmcfg_translation t = xlate(e, g + 5);
		assert_false(t.present);
		assert_true(t.owned);
		assert_int_equal(t.flags, RW);

		/* a read sees zeros and changes nothing */
		expect_zeros(e, g + 0x1fffe0, 64);
		assert_int_equal(host_byte(e, block0 + 0x1fffe0), 0xA5);

		/* the first touch zeroes its whole leaf, a 2 MiB block, and maps it in place */
		assert_int_equal(vmcfg_aspace_fault_in(&e->as, g + 0x123456), 0);
		t = xlate(e, g + 0x1fffff);
		assert_true(t.present && t.owned);
		assert_int_equal(t.level, 1);
		assert_int_equal(t.hpa, block0 + 0x1fffff);
		assert_int_equal(host_byte(e, block0), 0);
		assert_int_equal(host_byte(e, block0 + 0x1fffff), 0);
		assert_int_equal(host_byte(e, block0 + 2 * MiB), 0xA5); /* the next block waits */
		assert_int_equal(vmcfg_aspace_fault_in(&e->as, g + 7), 0); /* present: no-op */
		s = stats(e);
		assert_int_equal(s.owned_frames, size / 4096);
		assert_int_equal(s.leaves[1], 2);

		/* a write over a whole block fills it; a partial one zeroes the rest of its leaf */
		uint8_t *blk = malloc(2 * MiB);
		memset(blk, 0x77, 2 * MiB);
		assert_int_equal(vmcfg_aspace_write(&e->as, g + 2 * MiB, blk, 2 * MiB), 0);
		free(blk);
		t = xlate(e, g + 2 * MiB);
		assert_true(t.present);
		assert_int_equal(host_byte(e, t.hpa), 0x77);
		assert_int_equal(host_byte(e, t.hpa + 2 * MiB - 1), 0x77);
		assert_int_equal(vmcfg_aspace_write(&e->as, g + 4 * MiB + 0x10, "abcd", 4), 0);
		t = xlate(e, g + 4 * MiB);
		assert_true(t.present);
		assert_int_equal(t.level, 0);
		assert_int_equal(host_byte(e, t.hpa), 0);
		assert_memory_equal(&e->ram[t.hpa + 0x10 - RAM_BASE], "abcd", 4);
		assert_int_equal(host_byte(e, t.hpa + 0xfff), 0);
		assert_false(xlate(e, g + 4 * MiB + 0x1000).present);

		/* unmapping inside a deferred block splits it into deferred pages */
		assert_int_equal(vmcfg_aspace_map_alloc_deferred(&e->as, 0x90000000, 2 * MiB, RW), 0);
		assert_int_equal(vmcfg_aspace_unmap(&e->as, 0x90001000, 0x1000), 0);
		assert_int_equal(stats(e).owned_frames, size / 4096 + 511);
		assert_false(xlate(e, 0x90002000).present);
		assert_int_equal(vmcfg_aspace_fault_in(&e->as, 0x90000000), 0);
		t = xlate(e, 0x90000000);
		assert_true(t.present);
		assert_int_equal(t.level, 0);
		assert_int_equal(host_byte(e, t.hpa), 0);
		assert_int_equal(host_byte(e, t.hpa + 0x2000), 0xA5); /* its neighbour waits */
		assert_int_equal(vmcfg_aspace_fault_in(&e->as, 0x90001000), VMCFG_EFAULT);

		/* out of frames: nothing held, nothing mapped */
		e->sim.fail_at = e->sim.calls + 1;
		assert_int_equal(vmcfg_aspace_map_alloc_deferred(&e->as, 0xa0000000, 4096, RW),
				 VMCFG_ENOMEM);
		e->sim.fail_at = 0;
		assert_int_equal(stats(e).owned_frames, size / 4096 + 511);
		env_free(e); /* every frame back, deferred or not */
	}
}

static void test_identical(void **state)
{
	enum vmcfg_ident_how how = VMCFG_IDENT_FALLBACK;
	(void)state;

	struct env *e = env_new(VMCFG_PT_ARM64_S2_3L, 40, 0);
	/* managed and free: reserved, owned, contents kept */
	e->ram[8 * MiB] = 0x42;
	assert_int_equal(vmcfg_aspace_map_identical(&e->as, RAM_BASE + 8 * MiB, 2 * MiB, RWX, &how), 0);
	assert_int_equal(how, VMCFG_IDENT_RESERVED);
	assert_int_equal(e->warnings, 0);
	struct vmcfg_translation t = xlate(e, RAM_BASE + 8 * MiB);
	assert_int_equal(t.hpa, RAM_BASE + 8 * MiB);
	assert_true(t.owned);
	assert_int_equal(t.level, 1);
	uint8_t byte;
	assert_int_equal(vmcfg_aspace_read(&e->as, RAM_BASE + 8 * MiB, &byte, 1), 0);
	assert_int_equal(byte, 0x42);
	assert_int_equal(stats(e).owned_frames, 512);

	/* the same range for a second VM: taken, an error, never shared */
	struct vmcfg_aspace other;
	assert_int_equal(vmcfg_aspace_init(&other, &e->hal, VMCFG_PT_ARM64_S2_3L, 40, 0), 0);
	assert_int_equal(vmcfg_aspace_map_identical(&other, RAM_BASE + 9 * MiB, 4096, RW, &how),
			 VMCFG_EBUSY);
	/* partly managed: refused as well */
	assert_int_equal(vmcfg_aspace_map_identical(&other, RAM_BASE - 4096, 8192, RW, &how),
			 VMCFG_ERANGE);
	/* outside managed memory: mapped linearly, one warning, once, and only one mapping */
	assert_int_equal(vmcfg_aspace_map_identical(&other, 0x08000000, 0x10000, RW, &how), 0);
	assert_int_equal(how, VMCFG_IDENT_FALLBACK);
	assert_int_equal(e->warnings, 1);
	assert_non_null(strstr(e->last_log, "0x800_0000"));
	struct vmcfg_aspace_stats s;
	vmcfg_aspace_stats(&other, &s);
	assert_int_equal(s.mapped_bytes, 0x10000);
	assert_int_equal(s.owned_frames, 0);
	assert_int_equal(vmcfg_aspace_translate(&other, 0x08000000 + 0x1234, &t), 0);
	assert_int_equal(t.hpa, 0x08001234);
	assert_false(t.owned);
	/* not host-visible: a copy fails before writing */
	assert_int_equal(vmcfg_aspace_write(&other, 0x08000000, "x", 1), VMCFG_EFAULT);
	/* mapping it again is an overlap, not a second fallback */
	assert_int_equal(vmcfg_aspace_map_identical(&other, 0x08000000, 0x1000, RW, &how),
			 VMCFG_EOVERLAP);
	assert_int_equal(e->warnings, 1);
	vmcfg_aspace_destroy(&other);

	/* unmapping part of it returns exactly those frames to the HAL */
	assert_int_equal(vmcfg_aspace_unmap(&e->as, RAM_BASE + 9 * MiB, MiB), 0);
	assert_false(vmcfg_sim_mem_frame_in_use(&e->sim, RAM_BASE + 9 * MiB));
	assert_true(vmcfg_sim_mem_frame_in_use(&e->sim, RAM_BASE + 9 * MiB - 4096));
	assert_int_equal(stats(e).owned_frames, 256);
	env_free(e);
}

/*
 * Tables an unmap empties stay allocated until vmcfg_aspace_release_retired
 * (a CPU may still walk them until the embedder's TLB invalidation): a map
 * made meanwhile gets fresh tables, and destroy frees what is still held.
 */
static void test_unmap_retires_tables(void **state)
{
	(void)state;
	for (unsigned k = 0; k < VMCFG_PT_KIND_COUNT; k++) {
		unsigned ipa = k == VMCFG_PT_ARM64_S2_4L ? 48 : 40;
		struct env *e = env_new(k, ipa, 0);
		size_t root = e->as.root_pages, below = e->as.fmt->levels - 1;
		assert_int_equal(vmcfg_aspace_map_linear(&e->as, 2 * GiB, 6 * GiB, 0x1000, RW), 0);
		assert_int_equal(e->sim.in_use, root + below);
		assert_int_equal(vmcfg_aspace_unmap(&e->as, 2 * GiB, 0x1000), 0);
		assert_int_equal(stats(e).table_pages, root + below);
		assert_int_equal(e->sim.in_use, root + below);
		/* the same range again: new tables, the retired ones untouched */
		assert_int_equal(vmcfg_aspace_map_linear(&e->as, 2 * GiB, 6 * GiB, 0x1000, RW), 0);
		assert_int_equal(e->sim.in_use, root + 2 * below);
		assert_int_equal(xlate(e, 2 * GiB + 8).hpa, 6 * GiB + 8);
		assert_int_equal(vmcfg_aspace_unmap(&e->as, 2 * GiB, 0x1000), 0);
		assert_int_equal(e->sim.in_use, root + 2 * below);
		vmcfg_aspace_release_retired(&e->as);
		assert_int_equal(stats(e).table_pages, root);
		assert_int_equal(e->sim.in_use, root);
		assert_int_equal(e->sim.bad_frees, 0);
		vmcfg_aspace_release_retired(&e->as); /* nothing left: a no-op */
		assert_int_equal(e->sim.in_use, root);
		/* retired and never released: destroy frees them (env_free checks) */
		assert_int_equal(vmcfg_aspace_map_linear(&e->as, 2 * GiB, 6 * GiB, 0x1000, RW), 0);
		assert_int_equal(vmcfg_aspace_unmap(&e->as, 2 * GiB, 0x1000), 0);
		env_free(e);
	}
}

static void test_unmap_splits(void **state)
{
	(void)state;
	for (unsigned k = 0; k < VMCFG_PT_KIND_COUNT; k++) {
		unsigned ipa = k == VMCFG_PT_ARM64_S2_4L ? 48 : 40;
		struct env *e = env_new(k, ipa, 0);
		assert_int_equal(vmcfg_aspace_map_linear(&e->as, 2 * GiB, 6 * GiB, GiB, RWX), 0);
		/* punch a page out of the middle of the 1 GiB block */
		assert_int_equal(vmcfg_aspace_unmap(&e->as, 2 * GiB + 3 * MiB + 0x5000, 0x1000), 0);
		struct vmcfg_aspace_stats s = stats(e);
		assert_int_equal(s.leaves[2], 0);
		assert_int_equal(s.leaves[1], 511);
		assert_int_equal(s.leaves[0], 511);
		assert_int_equal(s.mapped_bytes, GiB - 0x1000);
		struct vmcfg_translation t;
		assert_int_equal(vmcfg_aspace_translate(&e->as, 2 * GiB + 3 * MiB + 0x5800, &t),
				 VMCFG_EFAULT);
		assert_int_equal(xlate(e, 2 * GiB + 3 * MiB + 0x6000).hpa, 6 * GiB + 3 * MiB + 0x6000);
		assert_int_equal(xlate(e, 2 * GiB + 3 * MiB + 0x4fff).hpa, 6 * GiB + 3 * MiB + 0x4fff);
		assert_int_equal(xlate(e, 3 * GiB - 1).hpa, 7 * GiB - 1);
		/* a range with a hole is refused whole */
		assert_int_equal(vmcfg_aspace_unmap(&e->as, 2 * GiB + 3 * MiB, 2 * MiB), VMCFG_EFAULT);
		assert_int_equal(stats(e).mapped_bytes, GiB - 0x1000);
		/* unmapping around the hole empties the tables: only the root remains */
		assert_int_equal(vmcfg_aspace_unmap(&e->as, 2 * GiB, 3 * MiB + 0x5000), 0);
		assert_int_equal(vmcfg_aspace_unmap(&e->as, 2 * GiB + 3 * MiB + 0x6000,
						    GiB - 3 * MiB - 0x6000),
				 0);
		vmcfg_aspace_release_retired(&e->as);
		s = stats(e);
		assert_int_equal(s.mapped_bytes, 0);
		assert_int_equal(s.table_pages, e->as.root_pages);
		/* a split that runs out of table pages leaves the mapping as it was */
		assert_int_equal(vmcfg_aspace_map_linear(&e->as, 2 * GiB, 6 * GiB, GiB, RWX), 0);
		e->sim.fail_at = e->sim.calls + 2;
		assert_int_equal(vmcfg_aspace_unmap(&e->as, 2 * GiB + 0x1000, 0x1000), VMCFG_ENOMEM);
		e->sim.fail_at = 0;
		assert_int_equal(xlate(e, 2 * GiB + 0x1000).hpa, 6 * GiB + 0x1000);
		assert_int_equal(stats(e).mapped_bytes, GiB);
		env_free(e);
	}
}

/* A copy that leaves the mapped area fails before any byte is written. */
static void test_copy_strict(void **state)
{
	struct env *e = env_new(VMCFG_PT_RISCV_SV39X4, 41, 0);
	(void)state;
	assert_int_equal(vmcfg_aspace_map_alloc(&e->as, 0x10000, 0x3000, RW), 0);
	assert_int_equal(vmcfg_aspace_map_linear(&e->as, 0x13000, 0x0a000000, 0x1000,
						 RW | VMCFG_MEM_DEVICE),
			 0);
	uint8_t src[0x3000 + 1], dst[sizeof src];
	memset(src, 0x77, sizeof src);
	assert_int_equal(vmcfg_aspace_write(&e->as, 0x10000, src, sizeof src), VMCFG_EFAULT);
	assert_int_equal(vmcfg_aspace_write(&e->as, 0xf000, src, 0x1001), VMCFG_EFAULT);
	memset(dst, 1, sizeof dst);
	assert_int_equal(vmcfg_aspace_read(&e->as, 0x10000, dst, 0x3000), 0);
	for (size_t i = 0; i < 0x3000; i++)
		assert_int_equal(dst[i], 0);
	assert_int_equal(vmcfg_aspace_read(&e->as, 0x12fff, dst, 2), VMCFG_EFAULT);
	assert_int_equal(vmcfg_aspace_write(&e->as, 0x10000, src, 0), 0);
	assert_int_equal(vmcfg_aspace_write(&e->as, 0x10000, src, 0x3000), 0);
	env_free(e);
}

struct runs {
	struct vmcfg_mapping m[16];
	int n;
};

static int collect(void *ud, const struct vmcfg_mapping *m)
{
	struct runs *r = ud;
	assert_true(r->n < 16);
	r->m[r->n++] = *m;
	return 0;
}

static int stop_at_two(void *ud, const struct vmcfg_mapping *m)
{
	(void)m;
	return ++*(int *)ud == 2 ? 99 : 0;
}

static void test_for_each(void **state)
{
	struct env *e = env_new(VMCFG_PT_ARM64_S2_4L, 48, 0);
	struct runs r = { .n = 0 };
	(void)state;
	/* one linear run of mixed leaf sizes, a different-flags neighbour, a lazy run */
	assert_int_equal(vmcfg_aspace_map_linear(&e->as, GiB - 0x1000, 5 * GiB - 0x1000,
						 GiB + 0x3000, RWX),
			 0);
	assert_int_equal(vmcfg_aspace_map_linear(&e->as, 2 * GiB + 0x2000, 6 * GiB + 0x2000, 0x1000, R),
			 0);
	assert_int_equal(vmcfg_aspace_map_lazy(&e->as, 4 * GiB, 4 * MiB, RW), 0);
	assert_int_equal(vmcfg_aspace_for_each(&e->as, collect, &r), 0);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.m[0].gpa, GiB - 0x1000);
	assert_int_equal(r.m[0].size, GiB + 0x3000);
	assert_int_equal(r.m[0].hpa, 5 * GiB - 0x1000);
	assert_int_equal(r.m[0].leaf_sizes, 0x5); /* 4 KiB pages and a 1 GiB block */
	assert_int_equal(r.m[1].flags, R);
	assert_true(r.m[2].lazy);
	assert_int_equal(r.m[2].size, 4 * MiB);
	assert_int_equal(r.m[2].leaf_sizes, 0x2);
	int calls = 0;
	assert_int_equal(vmcfg_aspace_for_each(&e->as, stop_at_two, &calls), 99);
	env_free(e);
}

/*
 * Allocation-failure unwinding: a multi-region layout is built with the
 * HAL failing its k-th allocation, for every k. A failing map leaves the
 * HAL exactly as before the call; the counters always add up; destroy
 * returns every frame.
 */
static int build_layout(struct env *e, enum vmcfg_pt_kind kind, unsigned ipa, bool *failed)
{
	enum vmcfg_ident_how how;
	int err = vmcfg_aspace_init(&e->as, &e->hal, kind, ipa, 0);
	if (err)
		return err;
	size_t before;
#define STEP(call, strict)                                                                     \
	do {                                                                                   \
		before = e->sim.in_use;                                                        \
		err = (call);                                                                  \
		vmcfg_aspace_release_retired(&e->as); /* as after the embedder's TLBI */       \
		stats(e);                                                                      \
		if (err) {                                                                     \
			assert_int_equal(err, VMCFG_ENOMEM);                                   \
			if (strict)                                                            \
				assert_int_equal(e->sim.in_use, before);                       \
			*failed = true;                                                        \
			return 0; /* later steps build on this one */                          \
		}                                                                              \
	} while (0)
	STEP(vmcfg_aspace_map_linear(&e->as, 4 * GiB - 0x3000, 4 * GiB - 0x3000,
				     GiB + 2 * MiB + 0x5000, RWX),
	     true);
	STEP(vmcfg_aspace_map_alloc(&e->as, 0x80000000, 4 * MiB + 0x2000, RW), true);
	STEP(vmcfg_aspace_map_lazy(&e->as, 0x90000000, 2 * MiB + 0x1000, RW), true);
	STEP(vmcfg_aspace_write(&e->as, 0x90001ffe, "abcd", 4), false);
	STEP(vmcfg_aspace_map_identical(&e->as, RAM_BASE + 14 * MiB, 2 * MiB, RWX, &how), true);
	STEP(vmcfg_aspace_map_linear(&e->as, 0x09000000, 0x09000000, 0x3000,
				     RW | VMCFG_MEM_DEVICE),
	     true);
	STEP(vmcfg_aspace_unmap(&e->as, 4 * GiB + 0x7000, 0x1000), false);
	STEP(vmcfg_aspace_unmap(&e->as, 0x80000000 + 0x1000, 3 * MiB), false);
#undef STEP
	return 0;
}

static void test_alloc_failure_unwinding(void **state)
{
	(void)state;
	for (unsigned k = 0; k < VMCFG_PT_KIND_COUNT; k++) {
		unsigned ipa = k == VMCFG_PT_ARM64_S2_4L ? 48 : 40;
		unsigned points = 0;
		for (uint64_t fail_at = 1;; fail_at++) {
			struct env *e = env_new(k, ipa, 0);
			vmcfg_aspace_destroy(&e->as); /* env_new made one; build_layout makes its own */
			e->sim.calls = 0;
			e->sim.fail_at = fail_at;
			bool failed = false;
			int err = build_layout(e, k, ipa, &failed);
			if (err) {
				assert_int_equal(err, VMCFG_ENOMEM);
				failed = true;
				assert_int_equal(e->sim.in_use, 0);
			}
			/* A failed 1 GiB / 2 MiB attempt falls back to smaller runs: not every
			 * injected failure fails a call. Stop once fail_at was never reached. */
			bool reached = e->sim.calls >= fail_at;
			env_free(e);
			if (!reached) {
				assert_false(failed);
				break;
			}
			points++;
		}
		assert_true(points > 10);
	}
}

/*
 * vmcfg_pt_count (the checker's E0315) against the tables the map walk
 * builds: random linear mappings at random offsets, and lazy ones (leaves
 * at any level, like allocated memory with aligned frames), in rising
 * order, on every format, with and without VMCFG_ASPACE_4K_ONLY.
 */
static void test_pt_count_matches(void **state)
{
	static const enum vmcfg_pt_kind kinds[] = { VMCFG_PT_ARM64_S2_3L, VMCFG_PT_ARM64_S2_4L,
						    VMCFG_PT_RISCV_SV39X4, VMCFG_PT_X86_EPT4 };
	static const unsigned bits[] = { 40, 44, 41, 48 };
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	(void)state;
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		for (unsigned opt = 0; opt < 2; opt++) {
			for (int round = 0; round < 40; round++) {
				struct env *e = env_new(kinds[k], bits[k], opt ? VMCFG_ASPACE_4K_ONLY : 0);
				struct vmcfg_pt_count c;
				assert_int_equal(vmcfg_pt_count_init(&c, vmcfg_pt_format_get(kinds[k]),
								     bits[k], opt ? VMCFG_ASPACE_4K_ONLY : 0),
						 0);
				uint64_t gpa = 0;
				for (int m = 0; m < 6; m++) {
					seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
					/* a gap, a size up to 4 GiB (64 MiB with 4 KiB leaves), an offset */
					uint64_t unit = seed & 1 ? 0x1000 : 0x200000;
					gpa += (seed >> 8 & 0x3ff) * unit;
					uint64_t size = ((seed >> 20 & 0x7ff) + 1) *
							(opt ? 0x1000 : (seed & 2 ? 0x200000 : 0x1000));
					if (seed & 4 && !opt)
						size = ((seed >> 32 & 3) + 1) << 30;
					uint64_t off = seed & 8 ? 0 : (seed >> 40 & 0xff) * 0x1000;
					bool lazy = seed & 16;
					if (!lazy && off && size > 256 * MiB) /* 4 KiB leaves: tables fit the RAM */
						size = 256 * MiB;
					if (gpa + size > (1ull << bits[k]) - (1ull << 32))
						break;
					if (lazy)
						assert_int_equal(vmcfg_aspace_map_lazy(&e->as, gpa, size, RW), 0);
					else
						assert_int_equal(vmcfg_aspace_map_linear(&e->as, gpa, gpa + off, size, RW), 0);
					assert_int_equal(vmcfg_pt_count_add(&c, gpa, size, lazy, gpa + off), 0);
					gpa += size;
				}
				struct vmcfg_aspace_stats st;
				vmcfg_aspace_stats(&e->as, &st);
				assert_int_equal(c.pages, st.table_pages);
				env_free(e);
			}
		}
	}
}

static void test_sim_hal(void **state)
{
	static uint8_t ram[64 * 4096] __attribute__((aligned(4096)));
	uint64_t bm[1], pa;
	struct vmcfg_sim_mem sim;
	(void)state;

	assert_int_equal(vmcfg_sim_mem_init(&sim, ram, sizeof ram, 0x1000, bm, 0, false), VMCFG_EINVAL);
	assert_int_equal(vmcfg_sim_mem_init(&sim, ram, 100, 0x1000, bm, 1, false), VMCFG_EALIGN);
	assert_int_equal(vmcfg_sim_mem_init(&sim, ram, sizeof ram, UINT64_MAX - 0xfff, bm, 1, false),
			 VMCFG_ERANGE);
	/* base 0x3000: the first 16 KiB-aligned frame is 0x4000, index 1 */
	assert_int_equal(vmcfg_sim_mem_init(&sim, ram, sizeof ram, 0x3000, bm, 1, true), 0);
	assert_int_equal(ram[0], 0xA5);
	struct vmcfg_hal hal = vmcfg_sim_mem_hal(&sim);
	assert_int_equal(hal.alloc_frames(hal.ctx, 4, 0x4000, &pa), 0);
	assert_int_equal(pa, 0x4000);
	assert_int_equal(hal.alloc_frames(hal.ctx, 1, 4096, &pa), 0);
	assert_int_equal(pa, 0x3000);
	assert_int_equal(hal.alloc_frames(hal.ctx, 2, 0x2000, &pa), 0);
	assert_int_equal(pa, 0x8000);
	assert_int_equal(sim.in_use, 7);
	assert_int_equal(hal.alloc_frames(hal.ctx, 0, 4096, &pa), VMCFG_EINVAL);
	assert_int_equal(hal.alloc_frames(hal.ctx, 1, 0x3000, &pa), VMCFG_EINVAL);
	assert_int_equal(hal.alloc_frames(hal.ctx, 65, 4096, &pa), VMCFG_ENOMEM);
	/* reserve: taken / not managed / straddling / fine */
	assert_int_equal(hal.reserve_frames(hal.ctx, 0x5000, 1), VMCFG_EBUSY);
	assert_int_equal(hal.reserve_frames(hal.ctx, 0x100000, 1), VMCFG_ENOENT);
	assert_int_equal(hal.reserve_frames(hal.ctx, 0x0, 3), VMCFG_ENOENT);
	assert_int_equal(hal.reserve_frames(hal.ctx, 0x2000, 2), VMCFG_ERANGE);
	assert_int_equal(hal.reserve_frames(hal.ctx, 0x42000, 2), VMCFG_ERANGE);
	assert_int_equal(hal.reserve_frames(hal.ctx, 0x42000 - 0x1000, 1), 0);
	assert_int_equal(hal.reserve_frames(hal.ctx, 0x1001, 1), VMCFG_EINVAL);
	assert_true(vmcfg_sim_mem_frame_in_use(&sim, 0x41000));
	/* free a sub-run of an allocation; double frees and foreign frames are counted */
	memset(hal.phys_to_virt(hal.ctx, 0x5000, 4096), 0, 4096);
	hal.free_frames(hal.ctx, 0x5000, 2);
	assert_int_equal(ram[0x2000], 0xA5); /* poisoned again */
	hal.free_frames(hal.ctx, 0x5000, 1);
	hal.free_frames(hal.ctx, 0x100000, 1);
	assert_int_equal(sim.bad_frees, 2);
	assert_int_equal(sim.in_use, 6);
	/* phys_to_virt: inside RAM only, whole length */
	assert_ptr_equal(hal.phys_to_virt(hal.ctx, 0x3000, 64 * 4096), ram);
	assert_null(hal.phys_to_virt(hal.ctx, 0x3000, 64 * 4096 + 1));
	assert_null(hal.phys_to_virt(hal.ctx, 0x2fff, 1));
	/* failure injection counts allocations and reservations */
	sim.fail_at = sim.calls + 2;
	assert_int_equal(hal.alloc_frames(hal.ctx, 1, 4096, &pa), 0);
	assert_int_equal(hal.alloc_frames(hal.ctx, 1, 4096, &pa), VMCFG_ENOMEM);
	assert_int_equal(sim.peak, 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_errors),
		cmocka_unit_test(test_largest_blocks),
		cmocka_unit_test(test_argument_errors),
		cmocka_unit_test(test_no_alias_above_ipa),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_write_only),
		cmocka_unit_test(test_no_memtype),
		cmocka_unit_test(test_xn_on_every_leaf),
		cmocka_unit_test(test_map_alloc_zeroed),
		cmocka_unit_test(test_map_alloc_fragmented),
		cmocka_unit_test(test_lazy),
		cmocka_unit_test(test_deferred),
		cmocka_unit_test(test_identical),
		cmocka_unit_test(test_unmap_retires_tables),
		cmocka_unit_test(test_unmap_splits),
		cmocka_unit_test(test_copy_strict),
		cmocka_unit_test(test_for_each),
		cmocka_unit_test(test_alloc_failure_unwinding),
		cmocka_unit_test(test_map_alloc_zero_runs),
		cmocka_unit_test(test_deferred_4k_only),
		cmocka_unit_test(test_fault_in_around),
		cmocka_unit_test(test_blocks_4k_only),
		cmocka_unit_test(test_pt_count_matches),
		cmocka_unit_test(test_sim_hal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
