/* SPDX-License-Identifier: MIT */
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
static inline struct vmcfg_span check_span_or(const struct vmcfg_spec_u64 *v, struct vmcfg_span fallback)
{
	return v->span.line ? v->span : fallback;
}

/*
 * --- scratch memory: the diagnostics list's allocator, or for the system
 * rules the caller's vmcfg_check_scratch (scratch.c) ---
 */

/*
 * n elements of size bytes (not zeroed) from a; NULL when n * size
 * overflows or memory runs out. n == 0 allocates one element so NULL
 * always means failure.
 */
static inline void *check_alloc_in(const struct vmcfg_allocator *a, size_t n, size_t size)
{
	size_t bytes;
	if (__builtin_mul_overflow(n ? n : 1, size, &bytes))
		return NULL;
	return a->fn(a->ud, NULL, 0, bytes);
}

/* Returns an array of check_alloc_in(a, n, size). */
static inline void check_free_in(const struct vmcfg_allocator *a, void *p, size_t n, size_t size)
{
	if (p)
		a->fn(a->ud, p, (n ? n : 1) * size, 0);
}

/* check_alloc_in from the diagnostics list's allocator. */
static inline void *check_alloc(struct vmcfg_diags *d, size_t n, size_t size)
{
	return check_alloc_in(&d->alloc, n, size);
}

/* Returns an array of check_alloc(d, n, size). */
static inline void check_free(struct vmcfg_diags *d, void *p, size_t n, size_t size)
{
	check_free_in(&d->alloc, p, n, size);
}

/*
 * The allocator over a vmcfg_check_scratch's arena (ud: the scratch):
 * frees are no-ops and a resize copies, until the call's end resets the
 * arena (scratch.c).
 */
void *vmcfg_check_scratch_fn(void *ud, void *ptr, size_t osize, size_t nsize);

/*
 * Scratch for n elements: the caller's buffer small (room for small_n) when
 * they fit, else check_alloc. Per-VM rules run once per VM of a system, and
 * their few elements should not cost an allocation each. NULL: no memory.
 */
static inline void *check_scratch(struct vmcfg_diags *d, void *small, size_t small_n, size_t n,
				  size_t size)
{
	return n <= small_n ? small : check_alloc(d, n, size);
}

/* Returns check_scratch(d, small, …, n, size). */
static inline void check_scratch_free(struct vmcfg_diags *d, void *p, const void *small, size_t n,
				      size_t size)
{
	if (p != small)
		check_free(d, p, n, size);
}

/*
 * v (capacity *cap elements of size bytes; NULL when *cap is 0) with room
 * for need elements, from a: the same array when it has, else reallocated
 * to at least double the capacity, so that appending stays linear. Never
 * NULL but when memory runs out; v is still the caller's then (free it
 * with check_free_in(a, v, *cap, size)).
 */
static inline void *check_grow(const struct vmcfg_allocator *a, void *v, size_t *cap, size_t need,
			       size_t size)
{
	size_t grown = need ? need : 1, bytes;
	if (v && need <= *cap)
		return v;
	if (*cap < SIZE_MAX / 2 && *cap * 2 > grown)
		grown = *cap * 2;
	if (__builtin_mul_overflow(grown, size, &bytes))
		return NULL;
	void *p = a->fn(a->ud, v, *cap * size, bytes);
	if (p)
		*cap = grown;
	return p;
}

/* --- sorting (sort.c) --- */

typedef int (*check_cmp_fn)(const void *a, const void *b);

/*
 * Sorts n elements of size bytes, O(n log n): a stable merge sort with a
 * scratch buffer from d (none for up to 16 elements), or an in-place
 * heapsort (not stable) when none can be had — give cmp a final
 * tie-breaker so the order is the same.
 */
void vmcfg_check_sort(struct vmcfg_diags *d, void *base, size_t n, size_t size, check_cmp_fn cmp);
/* vmcfg_check_sort with its scratch buffer from a. */
void vmcfg_check_sort_in(const struct vmcfg_allocator *a, void *base, size_t n, size_t size,
			 check_cmp_fn cmp);

/*
 * For an array sorted by same_key (then declaration order), calls
 * fn(ctx, first, prev, elem) for each element whose key equals the one
 * before it: first is the run's first element (the first declaration),
 * prev the element just before elem. Stops at and returns fn's first
 * non-zero result.
 */
typedef int (*check_dup_fn)(void *ctx, const void *first, const void *prev, const void *elem);
int vmcfg_check_each_duplicate(const void *base, size_t n, size_t size, check_cmp_fn same_key,
			 check_dup_fn fn, void *ctx);

/* Three-way comparison of two integers, for comparators. */
static inline int check_cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

/*
 * A key with the declaration it comes from, for the "declared twice"
 * rules: sort with vmcfg_check_cmp_keyed (key, then index, then aux), scan with
 * vmcfg_check_each_duplicate(…, vmcfg_check_same_key, …).
 */
struct check_keyed {
	uint64_t key;
	size_t index; /* e.g. the VM, or the entry of a list */
	size_t aux;   /* e.g. the vCPU within the VM */
};

int vmcfg_check_cmp_keyed(const void *a, const void *b);
int vmcfg_check_same_key(const void *a, const void *b);

/* struct check_range by (first, owner, ref): the order vmcfg_check_sweep sweeps in. */
int vmcfg_check_cmp_range(const void *a, const void *b);

/* --- declared ranges (ranges.c) --- */

/* What a range is, for messages and for choosing the rule of a conflict. */
enum check_range_kind {
	CHECK_RAM,         /* kernel.memory_regions entry; platform: a RAM bank */
	CHECK_PT_WINDOW,   /* devices.passthrough_devices entry with a window */
	CHECK_PT_ADDRESS,  /* devices.passthrough_addresses entry */
	CHECK_EMU_DEVICE,  /* devices.emu_devices entry */
	CHECK_IVC_WINDOW,  /* an emu_devices entry of type IVCChannel */
	CHECK_PT_PORTS,    /* devices.passthrough_ports entry (x86 I/O ports) */
	CHECK_HV_MEMORY,   /* platform: the hypervisor's memory */
	CHECK_RESERVED     /* platform: a reserved frame */
};

/*
 * A declared range [first, last] as the sweeps see it: inclusive, so a
 * range may end at 2^64. It is kept to 24 bytes because a system sweep
 * sorts one for every range of every VM; what the range is comes from
 * vmcfg_check_collect_detail, and only for the ranges a finding names.
 */
struct check_range {
	uint64_t first, last;
	uint32_t owner; /* the sweep only reports ranges of different owners */
	uint32_t ref;   /* the range's number in its collection (vmcfg_check_collect) */
};

/*
 * Owners and numbers are 32 bits wide, so a system has fewer than
 * CHECK_MAX_COUNT VMs and a VM or platform fewer ranges. Decoded input
 * that large cannot be in memory (an entry takes 100 bytes or more); the
 * checker still refuses it with VMCFG_ENOMEM rather than wrap.
 */
#define CHECK_MAX_COUNT UINT32_MAX

/* Owner of the platform's ranges in a system sweep: no VM's index. */
#define CHECK_PLATFORM UINT32_MAX

/* A declared range in full, for messages and for choosing the rule of a conflict. */
struct check_decl {
	uint64_t first, last;
	uint64_t delta;      /* host minus guest address (mod 2^64): 0 for identity mappings */
	enum check_range_kind kind;
	uint64_t map_type;   /* CHECK_RAM of a VM: enum vmcfg_map_type */
	const char *name;    /* device or frame name; NULL when none */
	const char *vm_name; /* in system findings: the VM's name; else NULL */
	struct vmcfg_loc loc;
};

/* Which of a VM's ranges vmcfg_check_collect lists, in this order. */
enum check_view {
	/*
	 * As the guest sees them: RAM regions (without the DEVICE ones decode
	 * skips), passthrough windows and addresses, emulated devices.
	 */
	CHECK_GUEST,
	/*
	 * On the host: identity and reserved RAM regions (host = guest
	 * address), passthrough windows at base_hpa, passthrough addresses
	 * (identity).
	 */
	CHECK_HOST,
	/* The RAM regions of CHECK_HOST alone, which it lists first. */
	CHECK_HOST_RAM,
	/*
	 * The x86 port I/O space: emulated devices there
	 * (vmcfg_emu_device_is_pio), which CHECK_GUEST leaves out, and the
	 * passthrough_ports ranges.
	 */
	CHECK_PORTS
};

/*
 * The valid ranges of spec in view: writes them to out when not NULL, each
 * its own owner (owner = ref = its number), and returns how many there are.
 * Ranges with unset fields, size 0 or wrapping are left out (other rules
 * report those).
 */
size_t vmcfg_check_collect(const struct vmcfg_vm_spec *spec, enum check_view view,
			   enum vmcfg_arch arch, struct check_range *out);

/* At least vmcfg_check_collect's count in any view, from the spec's list lengths alone. */
size_t vmcfg_check_collect_max(const struct vmcfg_vm_spec *spec);

/* Range number ref of vmcfg_check_collect(spec, view, …) in full; vm_name is NULL. */
void vmcfg_check_collect_detail(const struct vmcfg_vm_spec *spec, enum check_view view,
				enum vmcfg_arch arch, uint32_t ref,
			  struct check_decl *out);

/*
 * Every range of vmcfg_check_collect(spec, view, …) in full, out[ref] for
 * range ref (out has room for vmcfg_check_collect_max): one walk for a sweep
 * that reports many overlaps, where a walk per finding is quadratic.
 */
void vmcfg_check_collect_details(const struct vmcfg_vm_spec *spec, enum check_view view, enum vmcfg_arch arch,
				 struct check_decl *out);

/*
 * The platform's ranges VM memory must stay clear of (hypervisor memory,
 * then reserved frames) and the detail of one, like vmcfg_check_collect.
 */
size_t vmcfg_check_platform_ranges(const struct vmcfg_platform *p, struct check_range *out);
void vmcfg_check_platform_detail(const struct vmcfg_platform *p, uint32_t ref, struct check_decl *out);

/* The platform's RAM banks, like vmcfg_check_collect. */
size_t vmcfg_check_platform_ram(const struct vmcfg_platform *p, struct check_range *out);

/* Room for vmcfg_check_fmt_range/vmcfg_check_describe output. */
#define CHECK_DESCR_BUF 160

/* "[0x8000_0000, 0x9000_0000)" (the end may be "2^64"); returns buf. */
char *vmcfg_check_fmt_range(char buf[CHECK_DESCR_BUF], uint64_t first, uint64_t last);

/* "passthrough window `gpu` [0xfb00_0000, 0xfb20_0000) of VM `linux`"; returns buf. */
char *vmcfg_check_describe(char buf[CHECK_DESCR_BUF], const struct check_decl *decl);

/*
 * Called for an overlap of later with earlier (a range of a different
 * owner that starts no later), on [first, last]. Non-zero stops the sweep.
 */
typedef int (*check_overlap_fn)(void *ctx, const struct check_range *earlier,
				const struct check_range *later, uint64_t first, uint64_t last);

/*
 * Sorts v by start (ties: owner, then ref) and sweeps it once: each range
 * that overlaps an earlier range of another owner is reported once,
 * against the earlier range of another owner that reaches farthest.
 * O(n log n); sort memory from a. Returns fn's first non-zero result or 0.
 */
int vmcfg_check_sweep(const struct vmcfg_allocator *a, struct check_range *v, size_t n, check_overlap_fn fn,
		void *ctx);

/*
 * Reports an overlap as rule at later's location, related to earlier's,
 * naming both ranges, the space ("guest-physical", "host-physical") and
 * the overlapping bytes. 0 or VMCFG_ENOMEM.
 */
int vmcfg_check_report_overlap(struct vmcfg_diags *d, enum vmcfg_rule rule, const char *space,
			 const struct check_decl *earlier, const struct check_decl *later,
			 uint64_t first, uint64_t last);

/* --- per-VM rules (vm_rules.c), shared with the system checks --- */

/* The pCPU a phys_cpu_sets mask pins its vCPU to, or -1 when not exactly one bit. */
int vmcfg_check_pinned_pcpu(uint64_t mask);

/* The arch the VMs are built for: opts->arch, else the platform's, else aarch64 (`vmcfg build`). */
enum vmcfg_arch vmcfg_check_build_arch(const struct vmcfg_check_opts *opts,
				       const struct vmcfg_platform *platform);

/* The first emulated device of type IVCChannel (the IVC window), or NULL. */
const struct vmcfg_spec_emu_device *vmcfg_check_ivc_window(const struct vmcfg_vm_spec *spec);

#endif /* VMCFG_LIB_CHECK_INTERNAL_H */
