/*
 * Private to lib/check: scratch memory, sorting, declared ranges and the
 * overlap sweep that the per-VM and per-system rules share.
 */
#ifndef VMCFG_LIB_CHECK_INTERNAL_H
#define VMCFG_LIB_CHECK_INTERNAL_H

#include "vmcfg/check.h"

/* A place in file; the checker's findings all point into some file. */
static inline struct vmcfg_loc check_loc(const char *file, struct vmcfg_span span)
{
	struct vmcfg_loc loc = { file, span };
	return loc;
}

/* The span of v when it was written, else fallback (e.g. the whole record). */
static inline struct vmcfg_span check_span_or(const struct spec_u64 *v, struct vmcfg_span fallback)
{
	return v->span.line ? v->span : fallback;
}

/* --- scratch memory from the diagnostics list's allocator --- */

/*
 * n elements of size bytes (not zeroed); NULL when n * size overflows or
 * memory runs out. n == 0 allocates one element so NULL always means failure.
 */
static inline void *check_alloc(struct vmcfg_diags *d, size_t n, size_t size)
{
	size_t bytes;
	if (__builtin_mul_overflow(n ? n : 1, size, &bytes))
		return NULL;
	return d->alloc.fn(d->alloc.ud, NULL, 0, bytes);
}

/* Returns an array of check_alloc(d, n, size). */
static inline void check_free(struct vmcfg_diags *d, void *p, size_t n, size_t size)
{
	if (p)
		d->alloc.fn(d->alloc.ud, p, (n ? n : 1) * size, 0);
}

/* --- sorting (sort.c) --- */

typedef int (*check_cmp_fn)(const void *a, const void *b);

/*
 * Sorts n elements of size bytes, O(n log n): a stable merge sort with a
 * scratch buffer from d, or an in-place heapsort (not stable) when none
 * can be had — give cmp a final tie-breaker so the order is the same.
 */
void check_sort(struct vmcfg_diags *d, void *base, size_t n, size_t size, check_cmp_fn cmp);

/*
 * For an array sorted by same_key (then declaration order), calls
 * fn(ctx, first, prev, elem) for each element whose key equals the one
 * before it: first is the run's first element (the first declaration),
 * prev the element just before elem. Stops at and returns fn's first
 * non-zero result.
 */
typedef int (*check_dup_fn)(void *ctx, const void *first, const void *prev, const void *elem);
int check_each_duplicate(const void *base, size_t n, size_t size, check_cmp_fn same_key,
			 check_dup_fn fn, void *ctx);

/* Three-way comparison of two integers, for comparators. */
static inline int check_cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

/*
 * A key with the declaration it comes from, for the "declared twice"
 * rules: sort with check_cmp_keyed (key, then index, then aux), scan with
 * check_each_duplicate(…, check_same_key, …).
 */
struct check_keyed {
	uint64_t key;
	size_t index; /* e.g. the VM, or the entry of a list */
	size_t aux;   /* e.g. the vCPU within the VM */
};

int check_cmp_keyed(const void *a, const void *b);
int check_same_key(const void *a, const void *b);

/* --- declared ranges (ranges.c) --- */

/* What a range is, for messages and for choosing the rule of a conflict. */
enum check_range_kind {
	CHECK_RAM,         /* kernel.memory_regions entry */
	CHECK_PT_WINDOW,   /* devices.passthrough_devices entry with a window */
	CHECK_PT_ADDRESS,  /* devices.passthrough_addresses entry */
	CHECK_EMU_DEVICE,  /* devices.emu_devices entry */
	CHECK_IVC_WINDOW,  /* an emu_devices entry of type IVCChannel */
	CHECK_HV_MEMORY,   /* platform: the hypervisor's memory */
	CHECK_RESERVED     /* platform: a reserved frame */
};

/* Owner of the platform's ranges in a system sweep. */
#define CHECK_PLATFORM SIZE_MAX

/*
 * A declared range [first, last]: inclusive, so a range may end at 2^64.
 * delta is host minus guest address (mod 2^64): 0 for identity mappings.
 */
struct check_interval {
	uint64_t first, last, delta;
	size_t owner;        /* the sweep only reports ranges of different owners */
	size_t vm;           /* index of the VM in the system; CHECK_PLATFORM */
	enum check_range_kind kind;
	uint64_t map_type;   /* CHECK_RAM: enum vmcfg_map_type */
	const char *name;    /* device or frame name; NULL when none */
	const char *vm_name; /* in system findings: the VM's name; else NULL */
	struct vmcfg_loc loc;
};

/*
 * The valid ranges of spec as the guest sees them: RAM regions (without
 * the DEVICE ones decode skips), passthrough windows and addresses,
 * emulated devices. Writes them to out when not NULL and returns how many
 * there are; ranges with unset fields, size 0 or wrapping are left out
 * (other rules report those). vm, owner and vm_name are the caller's.
 */
size_t check_guest_ranges(const struct vm_spec *spec, struct check_interval *out);

/*
 * The valid ranges of spec on the host: identity and reserved RAM regions
 * (host = guest address), passthrough windows at base_hpa, passthrough
 * addresses (identity). Like check_guest_ranges otherwise.
 */
size_t check_host_ranges(const struct vm_spec *spec, struct check_interval *out);

/* Room for check_fmt_range/check_describe output. */
#define CHECK_DESCR_BUF 160

/* "[0x8000_0000, 0x9000_0000)" (the end may be "2^64"); returns buf. */
char *check_fmt_range(char buf[CHECK_DESCR_BUF], uint64_t first, uint64_t last);

/* "passthrough window `gpu` [0xfb00_0000, 0xfb20_0000) of VM `linux`"; returns buf. */
char *check_describe(char buf[CHECK_DESCR_BUF], const struct check_interval *iv);

/*
 * Called for an overlap of later with earlier (an interval of a different
 * owner that starts no later), on [first, last]. Non-zero stops the sweep.
 */
typedef int (*check_overlap_fn)(void *ctx, const struct check_interval *earlier,
				const struct check_interval *later, uint64_t first, uint64_t last);

/*
 * Sweeps v once in order of start (ties: array order): each range that
 * overlaps an earlier range of another owner is reported once, against the
 * earlier range of another owner that reaches farthest. O(n log n);
 * scratch memory from d. Returns fn's first non-zero result, VMCFG_ENOMEM,
 * or 0.
 */
int check_sweep(struct vmcfg_diags *d, const struct check_interval *v, size_t n,
		check_overlap_fn fn, void *ctx);

/*
 * Reports an overlap as rule at later's location, related to earlier's,
 * naming both ranges, the space ("guest-physical", "host-physical") and
 * the overlapping bytes. 0 or VMCFG_ENOMEM.
 */
int check_report_overlap(struct vmcfg_diags *d, enum vmcfg_rule rule, const char *space,
			 const struct check_interval *earlier, const struct check_interval *later,
			 uint64_t first, uint64_t last);

/* --- per-VM rules (vm_rules.c), shared with the system checks --- */

/* The pCPU a phys_cpu_sets mask pins its vCPU to, or -1 when not exactly one bit. */
int check_pinned_pcpu(uint64_t mask);

/* The first emulated device of type IVCChannel (the IVC window), or NULL. */
const struct spec_emu_device *check_ivc_window(const struct vm_spec *spec);

#endif /* VMCFG_LIB_CHECK_INTERNAL_H */
