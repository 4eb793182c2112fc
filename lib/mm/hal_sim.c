/* SPDX-License-Identifier: MIT */
/*
 * Simulated physical memory: the HAL of tests and the CLI. A caller's buffer
 * poses as RAM; a bitmap (also the caller's) records which frames are in use.
 * First fit, with alignment taken on physical addresses (base need not be
 * aligned to anything but a page).
 */
#include "vmcfg/hal.h"
#include "../base/libc.h"

#define POISON_BYTE 0xA5

static bool bit_is_set(const uint64_t *bm, size_t i)
{
	return (bm[i / 64] >> (i % 64)) & 1;
}

/* First set bit in [from, to), or to when there is none. */
static size_t find_set(const uint64_t *bm, size_t from, size_t to)
{
	while (from < to) {
		uint64_t word = bm[from / 64] >> (from % 64);
		if (word) {
			size_t at = from + (size_t)__builtin_ctzll(word);
			return at < to ? at : to;
		}
		from = (from / 64 + 1) * 64;
	}
	return to;
}

/* First clear bit in [from, to), or to when there is none. */
static size_t find_clear(const uint64_t *bm, size_t from, size_t to)
{
	while (from < to) {
		uint64_t word = ~bm[from / 64] >> (from % 64);
		if (word) {
			size_t at = from + (size_t)__builtin_ctzll(word);
			return at < to ? at : to;
		}
		from = (from / 64 + 1) * 64;
	}
	return to;
}

/* Sets (value true) or clears bits [from, from + n), a word at a time where it can. */
static void assign_bits(uint64_t *bm, size_t from, size_t n, bool value)
{
	size_t i = from, end = from + n;
	while (i < end) {
		size_t bit = i % 64;
		size_t take = 64 - bit < end - i ? 64 - bit : end - i;
		uint64_t mask = take == 64 ? ~0ull : ((1ull << take) - 1) << bit;
		if (value)
			bm[i / 64] |= mask;
		else
			bm[i / 64] &= ~mask;
		i += take;
	}
}

int vmcfg_sim_mem_init(struct vmcfg_sim_mem *sim, void *ram, size_t size, uint64_t base,
		       uint64_t *bitmap, size_t bitmap_words, bool poison)
{
	uint64_t end;

	if (size == 0 || !ram || !bitmap)
		return VMCFG_EINVAL;
	if ((base | size) & (VMCFG_PAGE_SIZE - 1) || (uintptr_t)ram % 8)
		return VMCFG_EALIGN;
	if (!vmcfg_add_u64(base, size, &end))
		return VMCFG_ERANGE;
	if (bitmap_words < VMCFG_SIM_BITMAP_WORDS(size))
		return VMCFG_EINVAL;
	memset(sim, 0, sizeof *sim);
	sim->ram = ram;
	sim->base = base;
	sim->frames = size / VMCFG_PAGE_SIZE;
	sim->bitmap = bitmap;
	sim->poison = poison;
	memset(bitmap, 0, VMCFG_SIM_BITMAP_WORDS(size) * sizeof *bitmap);
	if (poison)
		memset(ram, POISON_BYTE, size);
	return 0;
}

static void take_frames(struct vmcfg_sim_mem *sim, size_t first, size_t count)
{
	assign_bits(sim->bitmap, first, count, true);
	sim->in_use += count;
	if (sim->in_use > sim->peak)
		sim->peak = sim->in_use;
}

/* Counts a call and says whether failure injection wants it to fail. */
static bool injected_failure(struct vmcfg_sim_mem *sim)
{
	sim->calls++;
	return sim->fail_at && sim->calls == sim->fail_at;
}

static int sim_alloc(void *ctx, size_t count, uint64_t align, uint64_t *pa)
{
	struct vmcfg_sim_mem *sim = ctx;

	if (count == 0 || align < VMCFG_PAGE_SIZE || (align & (align - 1)))
		return VMCFG_EINVAL;
	if (injected_failure(sim))
		return VMCFG_ENOMEM;
	if (count > sim->frames)
		return VMCFG_ENOMEM;

	/* Single frames: next fit, so a long run of them does not rescan the start. */
	if (count == 1) {
		size_t at = find_clear(sim->bitmap, sim->next_fit, sim->frames);
		if (at == sim->frames)
			at = find_clear(sim->bitmap, 0, sim->next_fit);
		if (at >= sim->frames || bit_is_set(sim->bitmap, at))
			return VMCFG_ENOMEM;
		take_frames(sim, at, 1);
		sim->next_fit = at + 1 < sim->frames ? at + 1 : 0;
		*pa = sim->base + (uint64_t)at * VMCFG_PAGE_SIZE;
		return 0;
	}

	/* Candidates are frame indexes whose physical address is a multiple of align. */
	uint64_t align_frames = align / VMCFG_PAGE_SIZE;
	uint64_t base_frame = sim->base / VMCFG_PAGE_SIZE;
	uint64_t i = (align_frames - base_frame % align_frames) % align_frames;
	while (i < sim->frames && count <= sim->frames - i) {
		size_t used = find_set(sim->bitmap, (size_t)i, (size_t)i + count);
		if (used == i + count) {
			take_frames(sim, (size_t)i, count);
			*pa = sim->base + i * VMCFG_PAGE_SIZE;
			return 0;
		}
		/* Skip to the first aligned candidate after the frame in use. */
		uint64_t next = base_frame + used + 1;
		next = (next + align_frames - 1) / align_frames * align_frames;
		i = next - base_frame;
	}
	return VMCFG_ENOMEM;
}

static int sim_reserve(void *ctx, uint64_t pa, size_t count)
{
	struct vmcfg_sim_mem *sim = ctx;
	uint64_t bytes, end, ram_end = sim->base + (uint64_t)sim->frames * VMCFG_PAGE_SIZE;

	if (count == 0 || (pa & (VMCFG_PAGE_SIZE - 1)))
		return VMCFG_EINVAL;
	if (!vmcfg_mul_u64(count, VMCFG_PAGE_SIZE, &bytes) || !vmcfg_add_u64(pa, bytes, &end))
		return VMCFG_EINVAL;
	if (end <= sim->base || pa >= ram_end)
		return VMCFG_ENOENT;
	if (pa < sim->base || end > ram_end)
		return VMCFG_ERANGE;
	if (injected_failure(sim))
		return VMCFG_ENOMEM;
	size_t first = (size_t)((pa - sim->base) / VMCFG_PAGE_SIZE);
	if (find_set(sim->bitmap, first, first + count) != first + count)
		return VMCFG_EBUSY;
	take_frames(sim, first, count);
	return 0;
}

static void sim_free(void *ctx, uint64_t pa, size_t count)
{
	struct vmcfg_sim_mem *sim = ctx;
	uint64_t ram_end = sim->base + (uint64_t)sim->frames * VMCFG_PAGE_SIZE;

	if (count == 0 || pa < sim->base || pa >= ram_end || (pa & (VMCFG_PAGE_SIZE - 1)) ||
	    count > (ram_end - pa) / VMCFG_PAGE_SIZE) {
		sim->bad_frees++;
		return;
	}
	size_t first = (size_t)((pa - sim->base) / VMCFG_PAGE_SIZE);
	if (find_clear(sim->bitmap, first, first + count) != first + count) {
		sim->bad_frees++; /* double free: leave the bitmap as it is */
		return;
	}
	assign_bits(sim->bitmap, first, count, false);
	sim->in_use -= count;
	if (sim->poison)
		memset(sim->ram + (size_t)first * VMCFG_PAGE_SIZE, POISON_BYTE,
		       count * VMCFG_PAGE_SIZE);
}

static void *sim_phys_to_virt(void *ctx, uint64_t pa, size_t len)
{
	struct vmcfg_sim_mem *sim = ctx;
	uint64_t size = (uint64_t)sim->frames * VMCFG_PAGE_SIZE;

	if (len == 0 || pa < sim->base || pa - sim->base >= size || len > size - (pa - sim->base))
		return NULL;
	return sim->ram + (pa - sim->base);
}

/* Frames are reachable by construction (in the buffer), so zeroing cannot fail. */
static void sim_zero(void *ctx, uint64_t pa, size_t count)
{
	struct vmcfg_sim_mem *sim = ctx;

	sim->zero_calls++;
	memset(sim->ram + (pa - sim->base), 0, count * VMCFG_PAGE_SIZE);
}

struct vmcfg_hal vmcfg_sim_mem_hal(struct vmcfg_sim_mem *sim)
{
	struct vmcfg_hal hal = {
		.ctx = sim,
		.alloc_frames = sim_alloc,
		.reserve_frames = sim_reserve,
		.free_frames = sim_free,
		.phys_to_virt = sim_phys_to_virt,
		.log = NULL,
		.zero_frames = sim_zero,
	};
	return hal;
}

bool vmcfg_sim_mem_frame_in_use(const struct vmcfg_sim_mem *sim, uint64_t pa)
{
	if (pa < sim->base || (pa - sim->base) / VMCFG_PAGE_SIZE >= sim->frames)
		return false;
	return bit_is_set(sim->bitmap, (size_t)((pa - sim->base) / VMCFG_PAGE_SIZE));
}
