/* SPDX-License-Identifier: MIT */
/*
 * bench_mm: page-table memory and mapping speed of lib/mm address spaces.
 *
 * 1. For a set of layouts and every format: table pages the aspace uses
 *    next to the optimum computed here by plain arithmetic (independent of
 *    lib/mm): a table at level L is needed for each aligned level-(L+1)
 *    span that some region touches without one region covering it whole
 *    (or that cannot be a leaf at all). They must be equal; exit 1 if not.
 * 2. Time to map 4 GiB identically (outside managed RAM, so linear) with
 *    blocks against 4 KiB pages only, as a ratio.
 *
 *   bench_mm [--quick]     (--quick: fewer repetitions, for smoke runs)
 *   bench_mm --map-once FORMAT [--4k]
 *                          one identical map of 4 GiB in FORMAT (a name of
 *                          the table above), for callgrind's
 *                          --toggle-collect=vmcfg_aspace_map_identical
 *                          (bench/mm/bench.mk)
 *   bench_mm --load-once FORMAT [--4k]
 *                          one 31 MiB image written into 48 MiB of RAM whose
 *                          zeroing is deferred, as vmcfg_vm_create loads a
 *                          Linux kernel (the hypervisor on QEMU: --4k), for
 *                          --toggle-collect=vmcfg_aspace_write
 *
 * lib/mm allocates no memory of its own: its tables are frames of the HAL,
 * counted as table pages, so there is no heap to measure and no allocator
 * to keep warm; the simulated RAM is touched before any timing, so no run
 * takes a page fault.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vmcfg/aspace.h"

#define KiB 1024ull
#define MiB (1024 * KiB)
#define GiB (1024 * MiB)
#define RAM_BASE 0x40000000ull
#define RAM_SIZE (64 * MiB)

struct region {
	uint64_t gpa, size;
};

struct layout {
	const char *name;
	struct region *r;
	size_t n;
};

/* ---- the optimum, by arithmetic ---- */

static uint64_t span_size(unsigned level)
{
	return 1ull << (12 + 9 * level);
}

/* Table pages the best table for regions (sorted, disjoint, gpa == hpa) needs. */
static uint64_t optimum_tables(const struct vmcfg_pt_format *f, unsigned ipa_bits,
			       const struct region *r, size_t n)
{
	uint64_t tables = f->root_pages(ipa_bits);
	for (unsigned level = 0; level + 1 < f->levels; level++) {
		/* One table at `level` per parent entry (a span of the level above) needing one. */
		uint64_t span = span_size(level + 1);
		bool parent_can_be_leaf = (f->leaf_levels >> (level + 1)) & 1;
		uint64_t last = UINT64_MAX; /* spans come in ascending order: dedup against the last */
		for (size_t i = 0; i < n; i++) {
			uint64_t end = r[i].gpa + r[i].size;
			for (uint64_t s = r[i].gpa / span; s <= (end - 1) / span; s++) {
				bool whole = s * span >= r[i].gpa && (s + 1) * span <= end;
				if (whole && parent_can_be_leaf)
					continue;
				if (s != last)
					tables++;
				last = s;
			}
		}
	}
	return tables;
}

/* ---- layouts ---- */

static struct region r_1g[] = { { 1 * GiB, 4 * GiB } };
static struct region r_2m[] = { { 0x40200000, 62 * MiB }, { 0x80000000, 6 * MiB },
				{ 0xC0400000, 2 * MiB } };
static struct region r_tails[] = { { GiB - 12 * KiB, GiB + 2 * MiB + 20 * KiB },
				   { 3 * GiB + 4 * KiB, 8 * KiB } };
static struct region r_small[512];
static struct region r_vm[] = {
	{ 0x08000000, 64 * KiB },           /* GIC distributor */
	{ 0x080A0000, 1 * MiB },            /* GIC redistributors */
	{ 0x09000000, 4 * KiB },            /* UART */
	{ 0x0A000000, 16 * KiB },           /* virtio-mmio windows */
	{ 0x40000000, 1 * GiB - 2 * MiB },  /* RAM below the DTB */
	{ 0x7FE00000, 2 * MiB },            /* DTB + IVC window */
	{ 0x8000000000ull - 4 * KiB, 8 * KiB }, /* across 2^39 (a 40-bit IPA's second root table) */
};

static struct layout layouts[] = {
	{ "1 GiB aligned (4 GiB)", r_1g, 1 },
	{ "2 MiB aligned (3 regions)", r_2m, 3 },
	{ "unaligned tails", r_tails, 2 },
	{ "many small regions (512 x 12 KiB)", r_small, 512 },
	{ "VM-like (devices, RAM, > 2^39)", r_vm, 7 },
};

static void make_small_regions(void)
{
	/* 12 KiB every 1.5 MiB: some share a 2 MiB span, some straddle two. */
	for (size_t i = 0; i < 512; i++) {
		r_small[i].gpa = 0x10000000 + i * (3 * MiB / 2);
		r_small[i].size = 12 * KiB;
	}
}

/* ---- simulated machine ---- */

struct machine {
	struct vmcfg_sim_mem sim;
	struct vmcfg_hal hal;
	void *ram;
	uint64_t bitmap[VMCFG_SIM_BITMAP_WORDS(RAM_SIZE)];
};

static struct machine *machine_new(void)
{
	struct machine *m = calloc(1, sizeof *m);
	if (!m || !(m->ram = malloc(RAM_SIZE)) ||
	    vmcfg_sim_mem_init(&m->sim, m->ram, RAM_SIZE, RAM_BASE, m->bitmap,
			       VMCFG_SIM_BITMAP_WORDS(RAM_SIZE), false)) {
		fprintf(stderr, "bench_mm: out of memory\n");
		exit(2);
	}
	/* Touch the buffer now, so first-touch page faults of the host stay out of the timings. */
	memset(m->ram, 0, RAM_SIZE);
	m->hal = vmcfg_sim_mem_hal(&m->sim); /* no log sink: fallback warnings are expected here */
	return m;
}

static void machine_free(struct machine *m)
{
	free(m->ram);
	free(m);
}

static unsigned ipa_for(const struct vmcfg_pt_format *f)
{
	return f->max_ipa_bits >= 48 ? 48 : 40;
}

static int table_pages_report(void)
{
	int mismatches = 0;
	printf("| layout | format | IPA | table pages | optimum | |\n");
	printf("|---|---|---|---|---|---|\n");
	for (size_t l = 0; l < sizeof layouts / sizeof layouts[0]; l++) {
		for (unsigned k = 0; k < VMCFG_PT_KIND_COUNT; k++) {
			const struct vmcfg_pt_format *f = vmcfg_pt_format_get(k);
			unsigned ipa = ipa_for(f);
			struct machine *m = machine_new();
			struct vmcfg_aspace as;
			int err = vmcfg_aspace_init(&as, &m->hal, k, ipa, 0);
			for (size_t i = 0; !err && i < layouts[l].n; i++) {
				const struct region *r = &layouts[l].r[i];
				err = vmcfg_aspace_map_linear(&as, r->gpa, r->gpa, r->size,
							      VMCFG_MEM_READ | VMCFG_MEM_WRITE);
			}
			if (err) {
				fprintf(stderr, "bench_mm: %s on %s: %s\n", layouts[l].name, f->name,
					vmcfg_strerror(err));
				return -1;
			}
			struct vmcfg_aspace_stats st;
			vmcfg_aspace_stats(&as, &st);
			uint64_t opt = optimum_tables(f, ipa, layouts[l].r, layouts[l].n);
			bool same = st.table_pages == opt;
			mismatches += !same;
			printf("| %s | %s | %u | %llu | %llu | %s |\n", layouts[l].name, f->name, ipa,
			       (unsigned long long)st.table_pages, (unsigned long long)opt,
			       same ? "=" : "MISMATCH");
			vmcfg_aspace_destroy(&as);
			machine_free(m);
		}
	}
	return mismatches;
}

/* ---- timing ---- */

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * Best-of-reps seconds to map 4 GiB identically at 4 GiB (outside RAM: the
 * linear fallback). The best run, not the mean: this machine is shared.
 */
static double time_identical_4g(enum vmcfg_pt_kind kind, unsigned options, int reps,
				uint64_t *tables)
{
	struct machine *m = machine_new();
	const struct vmcfg_pt_format *f = vmcfg_pt_format_get(kind);
	double best = 1e30;
	for (int i = 0; i < reps; i++) {
		struct vmcfg_aspace as;
		enum vmcfg_ident_how how;
		if (vmcfg_aspace_init(&as, &m->hal, kind, ipa_for(f), options))
			exit(2);
		double t0 = now_seconds();
		int err = vmcfg_aspace_map_identical(&as, 4 * GiB, 4 * GiB,
						     VMCFG_MEM_READ | VMCFG_MEM_WRITE, &how);
		double t = now_seconds() - t0;
		best = t < best ? t : best;
		if (err || how != VMCFG_IDENT_FALLBACK) {
			fprintf(stderr, "bench_mm: identical 4 GiB: %s\n", vmcfg_strerror(err));
			exit(2);
		}
		*tables = as.stats.table_pages;
		vmcfg_aspace_destroy(&as);
	}
	machine_free(m);
	return best;
}

static int kind_by_name(const char *name)
{
	for (unsigned k = 0; k < VMCFG_PT_KIND_COUNT; k++)
		if (!strcmp(vmcfg_pt_format_get(k)->name, name))
			return (int)k;
	fprintf(stderr, "bench_mm: no format %s\n", name);
	return -1;
}

/* One identical map of 4 GiB in the format named name: what callgrind counts. */
static int map_once(const char *name, unsigned options)
{
	int k = kind_by_name(name);
	if (k < 0)
		return 2;
	uint64_t tables;
	time_identical_4g((enum vmcfg_pt_kind)k, options, 1, &tables);
	printf("%s: %llu table pages\n", name, (unsigned long long)tables);
	return 0;
}

#define IMAGE_SIZE (31 * MiB + 123 * KiB) /* a Debian arm64 kernel's size, not page-aligned */

/* One image load into deferred RAM at a kernel's address: what callgrind counts. */
static int load_once(const char *name, unsigned options)
{
	int k = kind_by_name(name);
	if (k < 0)
		return 2;
	struct machine *m = machine_new();
	struct vmcfg_aspace as;
	uint8_t *image = malloc(IMAGE_SIZE);
	if (!image || vmcfg_aspace_init(&as, &m->hal, (enum vmcfg_pt_kind)k,
					ipa_for(vmcfg_pt_format_get((enum vmcfg_pt_kind)k)), options))
		return 2;
	memset(image, 0x5a, IMAGE_SIZE);
	int err = vmcfg_aspace_map_alloc_deferred(&as, 0x40000000, 48 * MiB,
						  VMCFG_MEM_READ | VMCFG_MEM_WRITE | VMCFG_MEM_EXECUTE);
	if (!err)
		err = vmcfg_aspace_write(&as, 0x40200000, image, IMAGE_SIZE);
	if (err) {
		fprintf(stderr, "bench_mm: image load: %s\n", vmcfg_strerror(err));
		return 2;
	}
	printf("%s: %llu table pages, %llu 4 KiB leaves\n", name,
	       (unsigned long long)as.stats.table_pages, (unsigned long long)as.stats.leaves[0]);
	vmcfg_aspace_destroy(&as);
	machine_free(m);
	free(image);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned once_options = argc > 3 && !strcmp(argv[3], "--4k") ? VMCFG_ASPACE_4K_ONLY : 0;
	if (argc > 2 && !strcmp(argv[1], "--map-once"))
		return map_once(argv[2], once_options);
	if (argc > 2 && !strcmp(argv[1], "--load-once"))
		return load_once(argv[2], once_options);
	bool quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
	make_small_regions();

	printf("## page-table pages: aspace vs computed optimum (linear maps, gpa == hpa)\n\n");
	int mismatches = table_pages_report();
	if (mismatches < 0)
		return 2;

	printf("\n## map 4 GiB identically: blocks vs 4 KiB pages only (best of 20000 / 7 runs)\n\n");
	printf("| format | blocks: time | tables | 4 KiB only: time | tables | ratio |\n");
	printf("|---|---|---|---|---|---|\n");
	for (unsigned k = 0; k < VMCFG_PT_KIND_COUNT; k++) {
		uint64_t tb, tp;
		double blocks = time_identical_4g(k, 0, quick ? 100 : 20000, &tb);
		double pages = time_identical_4g(k, VMCFG_ASPACE_4K_ONLY, quick ? 1 : 7, &tp);
		printf("| %s | %.2f us | %llu | %.2f ms | %llu | %.0fx |\n", vmcfg_pt_format_get(k)->name,
		       blocks * 1e6, (unsigned long long)tb, pages * 1e3, (unsigned long long)tp,
		       pages / blocks);
	}
	if (mismatches)
		printf("\n%d layout(s) use more table pages than the optimum\n", mismatches);
	return mismatches ? 1 : 0;
}
