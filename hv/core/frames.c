/* SPDX-License-Identifier: MIT */
/*
 * A bitmap frame allocator over [lowest RAM address, highest RAM end): one
 * bit per 4 KiB frame, set = in use. Frames between RAM banks are set
 * forever and count as not managed. First fit, at the requested alignment.
 * One lock: any CPU may allocate.
 */
#include "core/arch.h"
#include "core/console.h"
#include "core/frames.h"
#include "core/libc.h"
#include "core/spinlock.h"

#define PAGE VMCFG_PAGE_SIZE

struct frame_pool {
	struct spinlock lock;
	uint64_t base;    /* physical address of frame 0 */
	size_t frames;    /* frames the bitmap covers */
	uint64_t *bitmap; /* in RAM, right after the hypervisor image */
	size_t managed;   /* frames in RAM banks */
	size_t in_use;    /* managed frames in use (the permanent ones included) */
	size_t low;       /* no frame below it is free (a hint: it may be in use) */
	const struct dtb_info *ram;
};

static struct frame_pool pool;

extern char __hv_end[]; /* hv.ld: end of the image, page aligned */

static bool bit_get(size_t i)
{
	return pool.bitmap[i / 64] >> (i % 64) & 1;
}

static void bit_put(size_t i, bool v)
{
	if (v)
		pool.bitmap[i / 64] |= 1ull << (i % 64);
	else
		pool.bitmap[i / 64] &= ~(1ull << (i % 64));
}

/* Set bits of x (the hypervisor links no libgcc, and builds without SIMD's CNT). */
static size_t bits_set(uint64_t x)
{
	if (x == 0 || x == ~0ull)
		return x ? 64 : 0; /* nearly every word of a bank at boot */
	x -= x >> 1 & 0x5555555555555555ull;
	x = (x & 0x3333333333333333ull) + (x >> 2 & 0x3333333333333333ull);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (size_t)(x * 0x0101010101010101ull >> 56);
}

/*
 * Sets (v true) or clears frames [first, first + count), a word at a time
 * where it can and whole words by memset (a RAM bank at boot is 4,096 words
 * per GiB); returns how many of them changed.
 */
static size_t put_range(size_t first, size_t count, bool v)
{
	size_t changed = 0;

	for (size_t i = first, end = first + count; i < end;) {
		size_t bit = i % 64, take = 64 - bit < end - i ? 64 - bit : end - i;
		uint64_t mask = take == 64 ? ~0ull : ((1ull << take) - 1) << bit;
		uint64_t *w = &pool.bitmap[i / 64];

		if (take == 64 && end - i >= 128) {
			size_t words = (end - i) / 64;

			for (size_t k = 0; k < words; k++)
				changed += bits_set(v ? ~w[k] : w[k]);
			memset(w, v ? 0xff : 0, words * 8);
			i += words * 64;
			continue;
		}
		changed += bits_set(v ? mask & ~*w : mask & *w);
		if (v)
			*w |= mask;
		else
			*w &= ~mask;
		i += take;
	}
	return changed;
}

/* The first frame at or after i that is free, or pool.frames: whole words of used frames skipped. */
static size_t next_free(size_t i)
{
	while (i < pool.frames) {
		uint64_t w = ~pool.bitmap[i / 64] >> (i % 64);

		if (w) {
			i += (size_t)__builtin_ctzll(w);
			return i < pool.frames ? i : pool.frames;
		}
		i = (i / 64 + 1) * 64;
	}
	return pool.frames;
}

/* The first frame in [i, end) that is in use, or end. */
static size_t next_used(size_t i, size_t end)
{
	while (i < end) {
		uint64_t w = pool.bitmap[i / 64] >> (i % 64);

		if (w) {
			i += (size_t)__builtin_ctzll(w);
			return i < end ? i : end;
		}
		i = (i / 64 + 1) * 64;
	}
	return end;
}

/* Whether frame i lies in a RAM bank. */
static bool frame_managed(size_t i)
{
	uint64_t pa = pool.base + i * PAGE;

	for (uint32_t b = 0; b < pool.ram->mem_count; b++)
		if (pa >= pool.ram->mem[b].base && pa - pool.ram->mem[b].base < pool.ram->mem[b].size)
			return true;
	return false;
}

/* Marks the managed frames overlapping [base, base + size) in use, for good. */
static void mark_busy(uint64_t base, uint64_t size)
{
	uint64_t end, top = pool.base + pool.frames * PAGE;
	size_t first, last;

	if (!vmcfg_add_u64(base, size, &end))
		end = UINT64_MAX;
	if (end <= pool.base || base >= top)
		return;
	first = base < pool.base ? 0 : (size_t)((base - pool.base) / PAGE);
	last = end >= top ? pool.frames : (size_t)((end - pool.base + PAGE - 1) / PAGE);
	pool.in_use += put_range(first, last - first, true);
}

int frames_init(const struct dtb_info *info, const struct dtb_range *busy, size_t busy_count)
{
	uint64_t lo = UINT64_MAX, hi = 0, bitmap_pa, bitmap_bytes;

	if (info->mem_count == 0)
		return VMCFG_EINVAL;
	for (uint32_t b = 0; b < info->mem_count; b++) {
		const struct dtb_range *m = &info->mem[b];
		uint64_t end;

		if ((m->base | m->size) % PAGE || !vmcfg_add_u64(m->base, m->size, &end))
			return VMCFG_EINVAL;
		lo = m->base < lo ? m->base : lo;
		hi = end > hi ? end : hi;
	}
	pool.ram = info;
	pool.base = lo;
	pool.frames = (hi - lo) / PAGE;
	bitmap_bytes = (pool.frames + 63) / 64 * 8;
	bitmap_pa = (uint64_t)(uintptr_t)__hv_end;
	if (bitmap_pa < lo || bitmap_pa >= hi || hi - bitmap_pa < bitmap_bytes)
		return VMCFG_ENOMEM;
	pool.bitmap = (uint64_t *)(uintptr_t)bitmap_pa;
	/* Everything in use (holes between banks for good), then each bank freed a word at a time. */
	memset(pool.bitmap, 0xff, bitmap_bytes);
	for (uint32_t b = 0; b < info->mem_count; b++) {
		size_t first = (size_t)((info->mem[b].base - lo) / PAGE);
		size_t count = (size_t)(info->mem[b].size / PAGE);

		put_range(first, count, false);
		pool.managed += count;
	}
	mark_busy(bitmap_pa, bitmap_bytes);
	for (size_t i = 0; i < busy_count; i++)
		mark_busy(busy[i].base, busy[i].size);
	for (uint32_t i = 0; i < info->reserved_count; i++)
		mark_busy(info->reserved[i].base, info->reserved[i].size);
	return 0;
}

/* First i >= from whose frame address is a multiple of align. */
static size_t align_index(size_t from, uint64_t align)
{
	uint64_t pa = pool.base + from * PAGE;
	uint64_t aligned = (pa + align - 1) & ~(align - 1);

	return aligned < pa ? pool.frames : (size_t)((aligned - pool.base) / PAGE);
}

static int hal_alloc(void *ctx, size_t count, uint64_t align, uint64_t *pa)
{
	int err = VMCFG_ENOMEM;

	(void)ctx;
	if (count == 0 || align < PAGE || (align & (align - 1)))
		return VMCFG_EINVAL;
	spin_lock(&pool.lock);
	/*
	 * First fit, a word of the bitmap at a time: a bit-by-bit scan from
	 * frame 0 cost every allocation a walk over all frames in use (the
	 * heap's blocks, 32,768 frames of a 128 MiB VM), most of a VM's
	 * creation under TCG. No frame below pool.low is free.
	 */
	pool.low = next_free(pool.low);
	for (size_t start = pool.low;;) {
		size_t used;

		start = align_index(next_free(start), align);
		if (start >= pool.frames || pool.frames - start < count)
			break;
		used = next_used(start, start + count);
		if (used == start + count) {
			put_range(start, count, true);
			pool.in_use += count;
			*pa = pool.base + start * PAGE;
			err = 0;
			break;
		}
		start = used + 1; /* frame `used` is busy: no run through it */
	}
	spin_unlock(&pool.lock);
	return err;
}

/* Frames of [pa, end) that lie in RAM banks. */
static size_t managed_in(uint64_t pa, uint64_t end)
{
	size_t n = 0;

	for (uint32_t b = 0; b < pool.ram->mem_count; b++) {
		const struct dtb_range *m = &pool.ram->mem[b];
		uint64_t lo = pa > m->base ? pa : m->base;
		uint64_t hi = end < m->base + m->size ? end : m->base + m->size;

		if (lo < hi)
			n += (hi - lo) / PAGE;
	}
	return n;
}

static int hal_reserve(void *ctx, uint64_t pa, size_t count)
{
	uint64_t bytes, end;
	size_t managed, first;
	int err = 0;

	(void)ctx;
	if (pa % PAGE || count == 0 || !vmcfg_mul_u64(count, PAGE, &bytes) ||
	    !vmcfg_add_u64(pa, bytes, &end))
		return VMCFG_EINVAL;
	managed = managed_in(pa, end);
	if (managed == 0)
		return VMCFG_ENOENT;
	if (managed != count)
		return VMCFG_ERANGE;
	first = (size_t)((pa - pool.base) / PAGE); /* all of it is in RAM, so in the bitmap */
	spin_lock(&pool.lock);
	for (size_t i = first; i < first + count && !err; i++)
		if (bit_get(i))
			err = VMCFG_EBUSY;
	if (!err) {
		for (size_t i = first; i < first + count; i++)
			bit_put(i, true);
		pool.in_use += count;
	}
	spin_unlock(&pool.lock);
	return err;
}

static void hal_free(void *ctx, uint64_t pa, size_t count)
{
	size_t first, bad = 0;

	(void)ctx;
	/* A bad free is a hypervisor bug: report it, and never corrupt the bitmap. */
	first = pa >= pool.base ? (size_t)((pa - pool.base) / PAGE) : pool.frames;
	if (pa % PAGE || first >= pool.frames || count > pool.frames - first) {
		hv_log("frames: free of %zu frames at %#llx outside RAM ignored", count,
		       (unsigned long long)pa);
		return;
	}
	spin_lock(&pool.lock);
	if (first < pool.low)
		pool.low = first;
	for (size_t i = first; i < first + count; i++)
		if (frame_managed(i) && bit_get(i)) {
			bit_put(i, false);
			pool.in_use--;
		} else {
			bad++;
		}
	spin_unlock(&pool.lock);
	if (bad)
		hv_log("frames: free of %zu frames at %#llx: %zu were not in use", count,
		       (unsigned long long)pa, bad);
}

static void *hal_phys_to_virt(void *ctx, uint64_t pa, size_t len)
{
	uint64_t end;

	(void)ctx;
	if (len == 0 || !vmcfg_add_u64(pa, len, &end))
		return NULL;
	for (uint32_t b = 0; b < pool.ram->mem_count; b++) {
		const struct dtb_range *m = &pool.ram->mem[b];

		if (pa >= m->base && end <= m->base + m->size)
			return (void *)(uintptr_t)pa;
	}
	return NULL;
}

/* Zeroes whole frames, the architecture's fastest way; lib/mm calls this once per contiguous run. */
static void hal_zero(void *ctx, uint64_t pa, size_t count)
{
	(void)ctx;
	hv_arch_zero((void *)(uintptr_t)pa, count * PAGE);
}

static void hal_log(void *ctx, enum vmcfg_log_level level, const char *msg)
{
	static const char *const names[] = { "error", "warning", "info", "debug" };

	(void)ctx;
	hv_log("%s: %s", (unsigned)level < 4 ? names[level] : "log", msg);
}

static const struct vmcfg_hal hal = {
	.ctx = &pool,
	.alloc_frames = hal_alloc,
	.reserve_frames = hal_reserve,
	.free_frames = hal_free,
	.phys_to_virt = hal_phys_to_virt,
	.log = hal_log,
	.zero_frames = hal_zero,
};

const struct vmcfg_hal *frames_hal(void)
{
	return &hal;
}

size_t frames_free(void)
{
	return pool.managed - pool.in_use;
}

size_t frames_total(void)
{
	return pool.managed;
}
