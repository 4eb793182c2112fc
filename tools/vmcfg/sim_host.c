/* SPDX-License-Identifier: MIT */
/* The simulated host of `vmcfg build`: RAM banks behind one address-dispatching HAL. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "sim_host.h"

#define MAX_SIM_BYTES SIM_HOST_MAX_BYTES
#define POOL_SLACK (64ull << 20) /* page tables and IVC channels */
#define GIB (1ull << 30)
#define PAGE_MASK (VMCFG_PAGE_SIZE - 1)

/* ---- the HAL ---- */

static struct sim_bank *bank_at(struct sim_host *h, uint64_t pa)
{
	for (size_t i = 0; i < h->bank_count; i++) {
		struct sim_bank *b = &h->banks[i];
		if (pa >= b->sim.base && pa - b->sim.base < b->size)
			return b;
	}
	return NULL;
}

static int host_alloc(void *ctx, size_t count, uint64_t align, uint64_t *pa)
{
	struct sim_host *h = ctx;
	for (size_t i = 0; i < h->bank_count; i++) {
		struct vmcfg_hal bh = vmcfg_sim_mem_hal(&h->banks[i].sim);
		int err = bh.alloc_frames(bh.ctx, count, align, pa);
		if (err != VMCFG_ENOMEM)
			return err;
	}
	return VMCFG_ENOMEM;
}

/* Calls fn on each bank's share [at, stop) of count pages from pa, in order, up to a gap. */
static void each_bank_piece(struct sim_host *h, uint64_t pa, size_t count,
			    void (*fn)(struct sim_bank *b, uint64_t at, uint64_t stop))
{
	for (uint64_t at = pa, end = pa + (uint64_t)count * VMCFG_PAGE_SIZE; at < end;) {
		struct sim_bank *b = bank_at(h, at);
		if (!b)
			return;
		uint64_t bank_end = b->sim.base + b->size, stop = end < bank_end ? end : bank_end;
		fn(b, at, stop);
		at = stop;
	}
}

static void free_piece(struct sim_bank *b, uint64_t at, uint64_t stop)
{
	struct vmcfg_hal bh = vmcfg_sim_mem_hal(&b->sim);
	bh.free_frames(bh.ctx, at, (size_t)((stop - at) / VMCFG_PAGE_SIZE));
}

static void host_free(void *ctx, uint64_t pa, size_t count)
{
	each_bank_piece(ctx, pa, count, free_piece);
}

/* Reserves [pa, end) across the banks it meets; all of it must be banked. */
static int host_reserve(void *ctx, uint64_t pa, size_t count)
{
	struct sim_host *h = ctx;
	uint64_t end = pa + (uint64_t)count * VMCFG_PAGE_SIZE, covered = 0;
	if (count == 0 || (pa & PAGE_MASK) || end <= pa)
		return VMCFG_EINVAL;
	for (size_t i = 0; i < h->bank_count; i++) {
		const struct sim_bank *b = &h->banks[i];
		uint64_t lo = pa > b->sim.base ? pa : b->sim.base;
		uint64_t hi = end < b->sim.base + b->size ? end : b->sim.base + b->size;
		if (lo < hi)
			covered += hi - lo;
	}
	if (covered == 0)
		return VMCFG_ENOENT;
	if (covered != end - pa)
		return VMCFG_ERANGE;
	for (uint64_t at = pa; at < end;) {
		/* Fully covered by disjoint banks, so a bank holds at; checked all the same. */
		struct sim_bank *b = bank_at(h, at);
		int err = VMCFG_ERANGE;
		uint64_t stop = end;
		if (b) {
			uint64_t bank_end = b->sim.base + b->size;
			struct vmcfg_hal bh = vmcfg_sim_mem_hal(&b->sim);
			stop = end < bank_end ? end : bank_end;
			err = bh.reserve_frames(bh.ctx, at, (size_t)((stop - at) / VMCFG_PAGE_SIZE));
		}
		if (err) {
			if (at > pa) /* undo the banks already reserved */
				host_free(h, pa, (size_t)((at - pa) / VMCFG_PAGE_SIZE));
			return err;
		}
		at = stop;
	}
	return 0;
}

static void *host_phys_to_virt(void *ctx, uint64_t pa, size_t len)
{
	struct sim_bank *b = bank_at(ctx, pa);
	if (!b)
		return NULL;
	struct vmcfg_hal bh = vmcfg_sim_mem_hal(&b->sim);
	return bh.phys_to_virt(bh.ctx, pa, len);
}

/* Dropping the pages makes them read as zero again without touching them. */
static void scrub_piece(struct sim_bank *b, uint64_t at, uint64_t stop)
{
	uint8_t *p = (uint8_t *)b->ram + (at - b->sim.base);
	if (madvise(p, (size_t)(stop - at), MADV_DONTNEED))
		memset(p, 0, (size_t)(stop - at));
}

static void host_scrub(void *ctx, uint64_t pa, size_t count)
{
	each_bank_piece(ctx, pa, count, scrub_piece);
}

static void zero_piece(struct sim_bank *b, uint64_t at, uint64_t stop)
{
	memset((uint8_t *)b->ram + (at - b->sim.base), 0, (size_t)(stop - at));
}

/* One memset per bank piece: lib/mm hands over whole contiguous runs. */
static void host_zero(void *ctx, uint64_t pa, size_t count)
{
	each_bank_piece(ctx, pa, count, zero_piece);
}

static void host_log(void *ctx, enum vmcfg_log_level level, const char *msg)
{
	struct sim_host *h = ctx;
	if (h->log_count == h->log_cap) {
		size_t cap = h->log_cap ? h->log_cap * 2 : 16;
		struct sim_log_line *p = realloc(h->log, cap * sizeof *p);
		if (!p)
			return;
		h->log = p;
		h->log_cap = cap;
	}
	char *copy = strdup(msg);
	if (copy)
		h->log[h->log_count++] = (struct sim_log_line){ level, copy };
}

/* ---- the banks ---- */

static int add_bank(struct sim_host *h, uint64_t base, uint64_t end, bool identical)
{
	struct sim_bank *banks = realloc(h->banks, (h->bank_count + 1) * sizeof *banks);
	if (!banks)
		return VMCFG_ENOMEM;
	h->banks = banks;
	struct sim_bank *b = &banks[h->bank_count];
	memset(b, 0, sizeof *b);
	b->size = (size_t)(end - base);
	b->identical = identical;
	b->ram = mmap(NULL, b->size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (b->ram == MAP_FAILED)
		return VMCFG_ENOMEM;
	size_t words = VMCFG_SIM_BITMAP_WORDS(b->size);
	b->bitmap = calloc(words, sizeof *b->bitmap);
	if (!b->bitmap) {
		munmap(b->ram, b->size);
		return VMCFG_ENOMEM;
	}
	int err = vmcfg_sim_mem_init(&b->sim, b->ram, b->size, base, b->bitmap, words, false);
	if (err) {
		munmap(b->ram, b->size);
		free(b->bitmap);
		return err;
	}
	h->bank_count++;
	return 0;
}

static int compare_ranges(const void *a, const void *b)
{
	const struct sim_range *x = a, *y = b;
	return x->base < y->base ? -1 : x->base > y->base;
}

/* Sorts r and merges the ranges that overlap or touch; returns how many are left. */
static size_t merge_ranges(struct sim_range *r, size_t count)
{
	if (count)
		qsort(r, count, sizeof *r, compare_ranges);
	size_t merged = 0;
	for (size_t i = 0; i < count; i++) {
		if (merged && r[i].base <= r[merged - 1].end) {
			if (r[i].end > r[merged - 1].end)
				r[merged - 1].end = r[i].end;
		} else {
			r[merged++] = r[i];
		}
	}
	return merged;
}

/* The identical regions of every config, page-rounded, sorted and merged. */
static size_t identical_union(const struct vmcfg_vm_config *const *configs, size_t n,
			      struct sim_range **out)
{
	size_t count = 0, cap = 0;
	struct sim_range *r = NULL;
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; configs[i] && k < configs[i]->region_count; k++) {
			const struct vmcfg_vm_mem_region *m = &configs[i]->regions[k];
			uint64_t end;
			if (m->map_type != VMCFG_MAP_IDENTICAL || (m->flags & VMCFG_MEM_DEVICE) ||
			    !vmcfg_add_u64(m->gpa, m->size, &end) || end > UINT64_MAX - PAGE_MASK)
				continue;
			if (count == cap) {
				cap = cap ? cap * 2 : 8;
				struct sim_range *p = realloc(r, cap * sizeof *r);
				if (!p)
					break;
				r = p;
			}
			r[count++] = (struct sim_range){ m->gpa & ~PAGE_MASK,
							 (end + PAGE_MASK) & ~PAGE_MASK };
		}
	}
	*out = r;
	return merge_ranges(r, count);
}

/* Above every host address the configs name (identity RAM and passthrough HPAs). */
static uint64_t highest_host_address(const struct vmcfg_vm_config *const *configs, size_t n)
{
	uint64_t top = 0, end;
	for (size_t i = 0; i < n; i++) {
		const struct vmcfg_vm_config *c = configs[i];
		for (size_t k = 0; c && k < c->region_count; k++)
			if (c->regions[k].map_type != VMCFG_MAP_ALLOC &&
			    vmcfg_add_u64(c->regions[k].gpa, c->regions[k].size, &end) && end > top)
				top = end;
		for (size_t k = 0; c && k < c->pt_count; k++)
			if (vmcfg_add_u64(c->pt[k].base_hpa, c->pt[k].length, &end) && end > top)
				top = end;
		for (size_t k = 0; c && k < c->pt_address_count; k++)
			if (vmcfg_add_u64(c->pt_addresses[k].gpa, c->pt_addresses[k].length, &end) &&
			    end > top)
				top = end;
	}
	return top;
}

/*
 * Adds [base, end) cut at the identical regions: the pieces outside them
 * first (allocation order), the pieces inside them after.
 */
static int add_ram_cut(struct sim_host *h, uint64_t base, uint64_t end, const struct sim_range *id,
		       size_t nid, bool inside_pass)
{
	uint64_t at = base;
	for (size_t i = 0; i <= nid && at < end; i++) {
		uint64_t lo = i < nid ? id[i].base : end, hi = i < nid ? id[i].end : end;
		if (lo < at)
			lo = at;
		if (lo > end)
			lo = end;
		if (hi > end)
			hi = end;
		if (!inside_pass && at < lo) {
			int err = add_bank(h, at, lo, false);
			if (err)
				return err;
		}
		if (inside_pass && lo < hi) {
			int err = add_bank(h, lo, hi, true);
			if (err)
				return err;
		}
		if (hi > at)
			at = hi;
	}
	return 0;
}

/*
 * The platform's RAM banks, page-rounded inward, in the platform's order
 * (the order frames are handed out in); when some overlap, their union,
 * sorted, instead: banks that overlap are the same RAM once, as check
 * merges them and as the hypervisor's frame allocator marks them (a frame
 * is free or not, however many banks name it). *out (*count ranges) is
 * malloc'ed; 0 or VMCFG_ENOMEM.
 */
static int platform_ranges(const struct vmcfg_platform *p, struct sim_range **out, size_t *count)
{
	size_t n = 0, cap = p->ram_count ? p->ram_count : 1;
	struct sim_range *r = malloc(cap * sizeof *r), *sorted = malloc(cap * sizeof *sorted);
	if (!r || !sorted) {
		free(r);
		free(sorted);
		return VMCFG_ENOMEM;
	}
	for (size_t i = 0; i < p->ram_count; i++) {
		uint64_t base = (p->ram[i].base + PAGE_MASK) & ~PAGE_MASK;
		uint64_t end = (p->ram[i].base + p->ram[i].size) & ~PAGE_MASK;
		if (base < end)
			r[n++] = (struct sim_range){ base, end };
	}
	memcpy(sorted, r, n * sizeof *r);
	if (n)
		qsort(sorted, n, sizeof *sorted, compare_ranges);
	bool overlap = false;
	for (size_t i = 1; i < n && !overlap; i++)
		overlap = sorted[i].base < sorted[i - 1].end;
	if (overlap) {
		free(r);
		*out = sorted;
		*count = merge_ranges(sorted, n);
		return 0;
	}
	free(sorted);
	*out = r;
	*count = n;
	return 0;
}

/* The bytes in n ranges, saturating at UINT64_MAX. */
static uint64_t ranges_bytes(const struct sim_range *r, size_t n)
{
	uint64_t total = 0;
	for (size_t i = 0; i < n; i++)
		total = total <= UINT64_MAX - (r[i].end - r[i].base) ? total + (r[i].end - r[i].base)
								      : UINT64_MAX;
	return total;
}

uint64_t sim_host_platform_ram(const struct vmcfg_platform *p)
{
	struct sim_range *ram;
	size_t nram;
	if (platform_ranges(p, &ram, &nram))
		return UINT64_MAX; /* no memory to tell: more than can be simulated */
	uint64_t total = ranges_bytes(ram, nram);
	free(ram);
	return total;
}

static int platform_banks(struct sim_host *h, const struct vmcfg_platform *p,
			  const struct sim_range *id, size_t nid, char *err, size_t err_size)
{
	struct sim_range *ram;
	size_t nram;
	if (platform_ranges(p, &ram, &nram)) {
		snprintf(err, err_size, "out of memory");
		return VMCFG_ENOMEM;
	}
	uint64_t total = ranges_bytes(ram, nram);
	if (total > MAX_SIM_BYTES) {
		snprintf(err, err_size, "platform RAM of %llu bytes is more than this tool simulates",
			 (unsigned long long)total);
		free(ram);
		return VMCFG_ELIMIT;
	}
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < nram; i++) {
			int rc = add_ram_cut(h, ram[i].base, ram[i].end, id, nid, pass == 1);
			if (rc) {
				free(ram);
				return rc;
			}
		}
	}
	free(ram);
	/* The hypervisor's own memory is in use from the start. */
	for (size_t i = 0; i < p->hv_memory_count; i++) {
		uint64_t base = p->hv_memory[i].base & ~PAGE_MASK;
		uint64_t end = (p->hv_memory[i].base + p->hv_memory[i].size + PAGE_MASK) & ~PAGE_MASK;
		if (base < end)
			host_reserve(h, base, (size_t)((end - base) / VMCFG_PAGE_SIZE));
	}
	return 0;
}

static int default_banks(struct sim_host *h, const struct vmcfg_vm_config *const *configs, size_t n,
			 const struct sim_range *id, size_t nid, char *err, size_t err_size)
{
	uint64_t pool = POOL_SLACK, total = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; configs[i] && k < configs[i]->region_count; k++)
			if (configs[i]->regions[k].map_type == VMCFG_MAP_ALLOC)
				pool += (configs[i]->regions[k].size + PAGE_MASK) & ~PAGE_MASK;
	for (size_t i = 0; i < nid; i++)
		total += id[i].end - id[i].base;
	if (pool > MAX_SIM_BYTES || total > MAX_SIM_BYTES - pool) {
		snprintf(err, err_size, "the configs need more memory than this tool simulates");
		return VMCFG_ELIMIT;
	}
	uint64_t base = (highest_host_address(configs, n) + GIB - 1) & ~(GIB - 1);
	if (base + pool < base) {
		snprintf(err, err_size, "no host address range left for the allocation pool");
		return VMCFG_ERANGE;
	}
	int rc = add_bank(h, base, base + pool, false);
	for (size_t i = 0; i < nid && !rc; i++)
		rc = add_bank(h, id[i].base, id[i].end, true);
	return rc;
}

int sim_host_init(struct sim_host *h, const struct vmcfg_vm_config *const *configs, size_t n,
		  const struct vmcfg_platform *platform, char *err, size_t err_size)
{
	memset(h, 0, sizeof *h);
	h->hal = (struct vmcfg_hal){ .ctx = h,
				     .alloc_frames = host_alloc,
				     .reserve_frames = host_reserve,
				     .free_frames = host_free,
				     .phys_to_virt = host_phys_to_virt,
				     .log = host_log,
				     .scrub_frames = host_scrub,
				     .zero_frames = host_zero };
	struct sim_range *id = NULL;
	size_t nid = identical_union(configs, n, &id);
	int rc = platform && platform->ram_count
			 ? platform_banks(h, platform, id, nid, err, err_size)
			 : default_banks(h, configs, n, id, nid, err, err_size);
	free(id);
	if (rc == VMCFG_ENOMEM)
		snprintf(err, err_size, "cannot map the simulated host RAM");
	return rc;
}

void sim_host_clear_log(struct sim_host *h)
{
	for (size_t i = 0; i < h->log_count; i++)
		free(h->log[i].text);
	h->log_count = 0;
}

void sim_host_free(struct sim_host *h)
{
	sim_host_clear_log(h);
	free(h->log);
	for (size_t i = 0; i < h->bank_count; i++) {
		munmap(h->banks[i].ram, h->banks[i].size);
		free(h->banks[i].bitmap);
	}
	free(h->banks);
	memset(h, 0, sizeof *h);
}

size_t sim_host_frames_in_use(const struct sim_host *h)
{
	size_t n = 0;
	for (size_t i = 0; i < h->bank_count; i++)
		n += h->banks[i].sim.in_use;
	return n;
}

void sim_host_describe(const struct sim_host *h, FILE *out)
{
	for (size_t i = 0; i < h->bank_count; i++) {
		const struct sim_bank *b = &h->banks[i];
		char x[VMCFG_FMT_BUF], y[VMCFG_FMT_BUF], z[VMCFG_FMT_BUF];
		fprintf(out, "  [%s, %s)  %-9s %s\n", vmcfg_fmt_hex(x, b->sim.base),
			vmcfg_fmt_hex(y, b->sim.base + b->size), vmcfg_fmt_size(z, b->size),
			b->identical ? "RAM holding identical regions (allocated from last)" : "RAM");
	}
}

size_t sim_host_ram(const struct sim_host *h, struct sim_range **out)
{
	*out = malloc((h->bank_count ? h->bank_count : 1) * sizeof **out);
	if (!*out)
		return 0;
	for (size_t i = 0; i < h->bank_count; i++)
		(*out)[i] = (struct sim_range){ h->banks[i].sim.base,
						h->banks[i].sim.base + h->banks[i].size };
	return merge_ranges(*out, h->bank_count);
}

void sim_host_drop_dt_paths(struct sim_host *h, struct vmcfg_vm_config *cfg)
{
	size_t kept = 0;
	for (size_t i = 0; i < cfg->pt_count; i++) {
		const struct vmcfg_vm_pt_device *d = &cfg->pt[i];
		if (!(d->name && d->base_gpa == 0 && d->base_hpa == 0 && d->length == 0)) {
			cfg->pt[kept++] = *d;
			continue;
		}
		char msg[320];
		snprintf(msg, sizeof msg, "passthrough '%.200s' is a device-tree path: not resolved "
			 "without the host device tree (--platform); built without it", d->name);
		host_log(h, VMCFG_LOG_WARN, msg);
	}
	cfg->pt_count = kept;
}
