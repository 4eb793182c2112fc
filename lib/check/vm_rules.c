/* SPDX-License-Identifier: MIT */
/*
 * The per-VM rules (E02xx/W02xx): what one VM file gets wrong on its own,
 * or against the platform it runs on. Each rule reads only values the
 * decoder set; whatever decode rejected it reported already.
 */
#include "internal.h"
#include "../base/libc.h"

struct vm_check {
	const struct vmcfg_vm_spec *spec;
	const struct vmcfg_platform *platform; /* NULL: platform rules off */
	const struct vmcfg_check_opts *opts;   /* NULL: no image sizes */
	struct vmcfg_diags *d;
	int err; /* VMCFG_ENOMEM once an append failed */
	const struct check_decl *decls; /* during an overlap sweep: its ranges in full, or NULL */
	size_t overlaps;                /* overlaps found by the current sweep */
	struct vmcfg_loc unlisted;      /* where the first overlap past the cap is */
};

/*
 * Overlaps are reported one by one up to this many per sweep, the rest in
 * one summary: 10^4 regions at one address made 10^4 findings, 7 MB of
 * SARIF from a 250 KB file.
 */
#define MAX_OVERLAP_FINDINGS 64

/* Whether the overlap the sweep just found is past the cap (then only counted). */
static bool overlap_unlisted(struct vm_check *c, const struct check_decl *later)
{
	if (++c->overlaps <= MAX_OVERLAP_FINDINGS)
		return false;
	if (c->overlaps == MAX_OVERLAP_FINDINGS + 1)
		c->unlisted = later->loc;
	return true;
}

/* Adds a finding at span of the VM's file; returns it (NULL when memory ran out). */
__attribute__((format(printf, 4, 5))) static struct vmcfg_diag *
report(struct vm_check *c, enum vmcfg_rule rule, struct vmcfg_span span, const char *fmt, ...)
{
	struct vmcfg_diag *g = NULL;
	va_list ap;
	va_start(ap, fmt);
	char msg[512];
	vmcfg_vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (vmcfg_diag_add(c->d, rule, check_loc(c->spec->file, span), &g, "%s", msg))
		c->err = VMCFG_ENOMEM;
	return g;
}

/* Attaches a hint to g (which may be NULL after a failed report). */
__attribute__((format(printf, 3, 4))) static void hint(struct vm_check *c, struct vmcfg_diag *g,
							const char *fmt, ...)
{
	if (!g)
		return;
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vmcfg_vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (vmcfg_diag_hint(c->d, g, "%s", msg))
		c->err = VMCFG_ENOMEM;
}

/* Attaches the related declaration of a conflict to g. */
static void relate(struct vm_check *c, struct vmcfg_diag *g, struct vmcfg_span span,
		   const char *what)
{
	if (g && vmcfg_diag_relate(c->d, g, check_loc(c->spec->file, span), "%s", what))
		c->err = VMCFG_ENOMEM;
}

int vmcfg_check_pinned_pcpu(uint64_t mask)
{
	return mask && !(mask & (mask - 1)) ? __builtin_ctzll(mask) : -1;
}

enum vmcfg_arch vmcfg_check_build_arch(const struct vmcfg_check_opts *opts,
				       const struct vmcfg_platform *platform)
{
	if (opts && opts->arch)
		return opts->arch;
	return platform && platform->arch ? platform->arch : VMCFG_ARCH_AARCH64;
}

const struct vmcfg_spec_emu_device *vmcfg_check_ivc_window(const struct vmcfg_vm_spec *spec)
{
	for (size_t i = 0; i < spec->devices.emu_count; i++) {
		const struct vmcfg_spec_emu_device *e = &spec->devices.emu[i];
		if (e->emu_type.set && e->emu_type.v == VMCFG_EMU_IVC_CHANNEL)
			return e;
	}
	return NULL;
}

/* --- CPUs --- */

/* Bits of the CPUs a platform has (all 64 when it has VMCFG_MAX_PCPUS). */
static uint64_t platform_cpu_bits(const struct vmcfg_platform *p)
{
	return p->cpu_num >= 64 ? UINT64_MAX : (UINT64_C(1) << p->cpu_num) - 1;
}

static void check_cpu_masks(struct vm_check *c)
{
	const struct vmcfg_spec_u64_list *sets = &c->spec->base.phys_cpu_sets;
	for (size_t i = 0; i < sets->count; i++) {
		const struct vmcfg_spec_u64 *m = &sets->items[i];
		char hex[VMCFG_FMT_BUF], valid[VMCFG_FMT_BUF];
		if (!m->set)
			continue;
		if (m->v == 0) {
			struct vmcfg_diag *g = report(c, VMCFG_R_CPU_MASK_EMPTY, m->span,
						      "vCPU %zu has an empty CPU mask: it can run on no physical CPU", i);
			hint(c, g, "set bit n for each physical CPU n the vCPU may run on (0x1 = pCPU 0)");
		} else if (c->platform && c->platform->cpu_num &&
			   (m->v & ~platform_cpu_bits(c->platform))) {
			struct vmcfg_diag *g = report(c, VMCFG_R_CPU_MASK_PLATFORM, m->span,
						      "CPU mask %s of vCPU %zu names physical CPUs the platform lacks (it has %u)",
						      vmcfg_fmt_hex(hex, m->v), i, c->platform->cpu_num);
			hint(c, g, "valid bits: %s", vmcfg_fmt_hex(valid, platform_cpu_bits(c->platform)));
		}
	}
}

/*
 * The lists of one VM (vCPUs, emulated devices, ranges) are short: up to
 * this many elements, their rules sort and sweep on the stack.
 */
#define SMALL_LIST 32

/* Fills keys with (value, entry) of the set items of list; returns how many. */
static size_t keyed_items(const struct vmcfg_spec_u64_list *list, struct check_keyed *keys)
{
	size_t n = 0;
	for (size_t i = 0; i < list->count; i++) {
		if (list->items[i].set) {
			keys[n].key = list->items[i].v;
			keys[n].index = i;
			keys[n].aux = 0;
			n++;
		}
	}
	return n;
}

/*
 * Duplicates are reported one by one up to this many per rule and VM, the
 * rest in one summary: cpu_num = 100000 with every id 0 made 10^5 findings,
 * tens of megabytes of JSON from a 400 KB file.
 */
#define MAX_DUP_FINDINGS 16

struct dup_scan {
	struct vm_check *c;
	size_t seen; /* duplicates found so far */
};

static int report_dup_phys_id(void *ctx, const void *first, const void *prev, const void *elem)
{
	struct dup_scan *scan = ctx;
	struct vm_check *c = scan->c;
	const struct check_keyed *a = first, *b = elem;
	if (++scan->seen > MAX_DUP_FINDINGS)
		return 0;
	const struct vmcfg_spec_u64 *ids = c->spec->base.phys_cpu_ids.items;
	char hex[VMCFG_FMT_BUF];
	(void)prev;
	struct vmcfg_diag *g = report(c, VMCFG_R_DUP_PHYS_ID, ids[b->index].span,
				      "vCPUs %zu and %zu have the same physical CPU id %s", a->index,
				      b->index, vmcfg_fmt_hex(hex, b->key));
	relate(c, g, ids[a->index].span, "first given here");
	return c->err;
}

static int report_shared_pcpu(void *ctx, const void *first, const void *prev, const void *elem)
{
	struct dup_scan *scan = ctx;
	struct vm_check *c = scan->c;
	const struct check_keyed *a = first, *b = elem;
	if (++scan->seen > MAX_DUP_FINDINGS)
		return 0;
	const struct vmcfg_spec_u64 *sets = c->spec->base.phys_cpu_sets.items;
	(void)prev;
	struct vmcfg_diag *g = report(c, VMCFG_R_VCPUS_SHARE_PCPU, sets[b->index].span,
				      "vCPUs %zu and %zu are both pinned to physical CPU %llu",
				      a->index, b->index, (unsigned long long)b->key);
	relate(c, g, sets[a->index].span, "first pinned here");
	hint(c, g, "pin each vCPU to its own physical CPU, or allow several (e.g. 0x3)");
	return c->err;
}

/* Duplicate physical ids and vCPUs pinned to one pCPU: sorted, not pairwise. */
static void check_cpu_duplicates(struct vm_check *c)
{
	const struct vmcfg_spec_u64_list *ids = &c->spec->base.phys_cpu_ids;
	const struct vmcfg_spec_u64_list *sets = &c->spec->base.phys_cpu_sets;
	size_t cap = ids->count > sets->count ? ids->count : sets->count;
	struct check_keyed small[SMALL_LIST];
	struct check_keyed *keys = check_scratch(c->d, small, SMALL_LIST, cap, sizeof *keys);
	if (!keys) {
		c->err = VMCFG_ENOMEM;
		return;
	}
	size_t n = keyed_items(ids, keys);
	struct dup_scan scan = { c, 0 };
	vmcfg_check_sort(c->d, keys, n, sizeof *keys, vmcfg_check_cmp_keyed);
	vmcfg_check_each_duplicate(keys, n, sizeof *keys, vmcfg_check_same_key, report_dup_phys_id,
				   &scan);
	if (scan.seen > MAX_DUP_FINDINGS)
		report(c, VMCFG_R_DUP_PHYS_ID, ids->span,
		       "%zu more vCPUs repeat the physical CPU id of an earlier vCPU (not listed)",
		       scan.seen - MAX_DUP_FINDINGS);

	n = 0;
	for (size_t i = 0; i < sets->count; i++) {
		int pcpu = sets->items[i].set ? vmcfg_check_pinned_pcpu(sets->items[i].v) : -1;
		if (pcpu >= 0)
			keys[n++] = (struct check_keyed){ (uint64_t)pcpu, i, 0 };
	}
	scan.seen = 0;
	vmcfg_check_sort(c->d, keys, n, sizeof *keys, vmcfg_check_cmp_keyed);
	vmcfg_check_each_duplicate(keys, n, sizeof *keys, vmcfg_check_same_key, report_shared_pcpu,
				   &scan);
	if (scan.seen > MAX_DUP_FINDINGS)
		report(c, VMCFG_R_VCPUS_SHARE_PCPU, sets->span,
		       "%zu more vCPUs are pinned to the physical CPU of an earlier vCPU (not listed)",
		       scan.seen - MAX_DUP_FINDINGS);
	check_scratch_free(c->d, keys, small, cap, sizeof *keys);
}

static enum vmcfg_arch build_arch(const struct vm_check *c);

/* On aarch64 a vCPU's physical id becomes its MPIDR: vm_create refuses other bits. */
static void check_phys_ids_mpidr(struct vm_check *c)
{
	const struct vmcfg_spec_u64_list *ids = &c->spec->base.phys_cpu_ids;
	char hex[VMCFG_FMT_BUF], fix[VMCFG_FMT_BUF];
	if (build_arch(c) != VMCFG_ARCH_AARCH64)
		return;
	for (size_t i = 0; i < ids->count; i++) {
		const struct vmcfg_spec_u64 *id = &ids->items[i];
		if (!id->set || !(id->v & ~VMCFG_MPIDR_AFFINITY_MASK))
			continue;
		struct vmcfg_diag *g = report(c, VMCFG_R_PHYS_ID_MPIDR, id->span,
					      "physical CPU id %s of vCPU %zu has bits outside the MPIDR "
					      "affinity fields (Aff3 bits 39:32, Aff2..Aff0 bits 23:0)",
					      vmcfg_fmt_hex(hex, id->v), i);
		hint(c, g, "the affinity bits alone: %s", vmcfg_fmt_hex(fix, id->v & VMCFG_MPIDR_AFFINITY_MASK));
	}
}

static void check_phys_ids_on_platform(struct vm_check *c)
{
	const struct vmcfg_platform *p = c->platform;
	if (!p || !p->phys_cpu_ids || !p->cpu_num)
		return;
	const struct vmcfg_spec_u64_list *ids = &c->spec->base.phys_cpu_ids;
	for (size_t i = 0; i < ids->count; i++) {
		const struct vmcfg_spec_u64 *id = &ids->items[i];
		bool found = false;
		for (uint32_t k = 0; id->set && k < p->cpu_num && !found; k++)
			found = p->phys_cpu_ids[k] == id->v;
		if (id->set && !found) {
			char hex[VMCFG_FMT_BUF];
			struct vmcfg_diag *g = report(c, VMCFG_R_PHYS_ID_PLATFORM, id->span,
						      "physical CPU id %s of vCPU %zu is not a CPU of the platform",
						      vmcfg_fmt_hex(hex, id->v), i);
			hint(c, g, "the platform's ids are listed in platform.phys_cpu_ids");
		}
	}
}

/* --- ranges: size, wrap, alignment, IPA width --- */

/* The build's architecture: opts->arch (--arch), the platform's, else aarch64 (as `vmcfg build`). */
static enum vmcfg_arch build_arch(const struct vm_check *c)
{
	return vmcfg_check_build_arch(c->opts, c->platform);
}

/*
 * The guest-physical width a build gives the VM: the platform's, else
 * vmcfg_vm_create's default for the arch, so that a range check passes
 * is one the stage-2 tables take.
 */
static uint32_t guest_bits(const struct vm_check *c)
{
	if (c->platform && c->platform->ipa_bits)
		return c->platform->ipa_bits;
	return vmcfg_arch_default_ipa_bits(build_arch(c));
}

/* What check_extent verifies beyond "wraps past 2^64". */
enum {
	EXTENT_NONZERO = 1,     /* size 0 is an error */
	EXTENT_ALIGN = 2,       /* base and size must be page-aligned (E0205) */
	EXTENT_ROUNDING = 4,    /* unaligned base/size exposes neighbours (W0224) */
	EXTENT_IPA = 8,         /* a guest range: must end within the IPA width */
	EXTENT_BASE_ONLY = 16   /* alignment of the base only (size checked elsewhere) */
};

static void check_alignment(struct vm_check *c, const char *what, const struct vmcfg_spec_u64 *base,
			    const struct vmcfg_spec_u64 *size, unsigned how)
{
	enum vmcfg_rule rule = how & EXTENT_ALIGN ? VMCFG_R_NOT_ALIGNED : VMCFG_R_PT_ROUNDING;
	char a[VMCFG_FMT_BUF], b[VMCFG_FMT_BUF], x[VMCFG_FMT_BUF];
	uint64_t down = base->v & ~(uint64_t)(VMCFG_PAGE_SIZE - 1), up;
	if (base->v != down) {
		struct vmcfg_diag *g = report(c, rule, base->span, "%s address %s is not 4 KiB-aligned%s",
					      what, vmcfg_fmt_hex(x, base->v),
					      rule == VMCFG_R_PT_ROUNDING
						      ? ": the page mapping exposes the bytes before it"
						      : "");
		if (vmcfg_add_u64(down, VMCFG_PAGE_SIZE, &up))
			hint(c, g, "use %s or %s", vmcfg_fmt_hex(a, down), vmcfg_fmt_hex(b, up));
	}
	if (!(how & EXTENT_BASE_ONLY) && size->v % VMCFG_PAGE_SIZE) {
		struct vmcfg_diag *g = report(c, rule, size->span, "%s size %s is not a multiple of 4 KiB%s",
					      what, vmcfg_fmt_hex(x, size->v),
					      rule == VMCFG_R_PT_ROUNDING
						      ? ": the page mapping exposes the bytes after it"
						      : "");
		if (vmcfg_add_u64(size->v | (VMCFG_PAGE_SIZE - 1), 1, &up))
			hint(c, g, "round it up to %s", vmcfg_fmt_hex(a, up));
	}
}

/*
 * The rules every declared range shares; how selects the optional ones.
 * kind and name say what the range is in messages ("passthrough window
 * `uart`"); the text is made only when there is something to report.
 */
static void check_extent(struct vm_check *c, const char *kind, const struct vmcfg_spec_str *name,
			 const struct vmcfg_spec_u64 *base, const struct vmcfg_spec_u64 *size, unsigned how)
{
	char a[VMCFG_FMT_BUF], b[VMCFG_FMT_BUF], what[96];
	uint64_t last;
	if (!base->set || !size->set)
		return;
	bool aligned = !((base->v | size->v) % VMCFG_PAGE_SIZE);
	uint32_t bits = guest_bits(c);
	if (size->v && vmcfg_add_u64(base->v, size->v - 1, &last) && aligned &&
	    !((how & EXTENT_IPA) && bits && bits < 64 && (last >> bits)))
		return; /* the common case: nothing to report */
	vmcfg_snprintf(what, sizeof what, "%s%s%s%s", kind, name ? " `" : "",
		       name && name->s ? name->s : "", name ? "`" : "");
	if (size->v == 0) {
		if (how & EXTENT_NONZERO) {
			struct vmcfg_diag *g = report(c, VMCFG_R_SIZE_ZERO, size->span, "%s has size 0", what);
			hint(c, g, "give it a size (a multiple of 4 KiB) or remove it");
		}
		return;
	}
	if (!vmcfg_add_u64(base->v, size->v - 1, &last)) {
		report(c, VMCFG_R_RANGE_WRAPS, size->span, "%s %s + %s wraps past 2^64", what,
		       vmcfg_fmt_hex(a, base->v), vmcfg_fmt_hex(b, size->v));
		return;
	}
	if (how & (EXTENT_ALIGN | EXTENT_ROUNDING))
		check_alignment(c, what, base, size, how);
	if ((how & EXTENT_IPA) && bits && bits < 64 && (last >> bits)) {
		char r[CHECK_DESCR_BUF];
		struct vmcfg_diag *g = report(c, VMCFG_R_BEYOND_IPA, base->span,
					      "%s %s lies beyond the %s%u-bit guest-physical address space",
					      what, vmcfg_check_fmt_range(r, base->v, last),
					      c->platform && c->platform->ipa_bits ? "platform's " : "default ",
					      bits);
		hint(c, g, "guest addresses must be below %s",
		     vmcfg_fmt_hex(a, UINT64_C(1) << bits));
	}
}

/*
 * A passthrough window's host side as vmcfg_vm_create maps it: pages map
 * GPA to HPA at one offset, so both must sit at the same offset within
 * their page, and the host range must fit the descriptors' output width.
 */
static void check_pt_host(struct vm_check *c, const struct vmcfg_spec_pt_device *p)
{
	char a[VMCFG_FMT_BUF], b[VMCFG_FMT_BUF], r[CHECK_DESCR_BUF];
	const char *name = p->name.s ? p->name.s : "";
	uint64_t last;
	if (!p->base_gpa.set || !p->base_hpa.set || !p->length.set || !p->length.v)
		return;
	if ((p->base_gpa.v ^ p->base_hpa.v) & (VMCFG_PAGE_SIZE - 1)) {
		struct vmcfg_diag *g = report(c, VMCFG_R_PT_PAGE_OFFSET, p->base_hpa.span,
					      "passthrough window `%s`: GPA %s and HPA %s differ in their offset "
					      "within a 4 KiB page, so no page mapping can honour both",
					      name, vmcfg_fmt_hex(a, p->base_gpa.v), vmcfg_fmt_hex(b, p->base_hpa.v));
		relate(c, g, p->base_gpa.span, "GPA given here");
		hint(c, g, "make the low 12 bits of base_gpa and base_hpa equal");
	}
	unsigned bits = vmcfg_arch_max_pa_bits(build_arch(c));
	if (vmcfg_add_u64(p->base_hpa.v, p->length.v - 1, &last) && (last >> bits)) {
		struct vmcfg_diag *g = report(c, VMCFG_R_BEYOND_PA, p->base_hpa.span,
					      "passthrough window `%s` at host %s lies beyond the %u-bit physical "
					      "address space the stage-2 tables of %s can map",
					      name, vmcfg_check_fmt_range(r, p->base_hpa.v, last), bits,
					      vmcfg_arch_name(build_arch(c)));
		hint(c, g, "host addresses must be below %s", vmcfg_fmt_hex(a, UINT64_C(1) << bits));
	}
}

static void check_region_flags(struct vm_check *c, const struct vmcfg_spec_region *r)
{
	char hex[VMCFG_FMT_BUF], fix[VMCFG_FMT_BUF];
	uint64_t f = r->flags.v;
	if (!r->flags.set)
		return;
	if (!(f & VMCFG_MEM_DEVICE) && !(f & (VMCFG_MEM_READ | VMCFG_MEM_WRITE | VMCFG_MEM_EXECUTE))) {
		/* The page-table formats refuse a mapping without any access (vm_create: EINVAL). */
		struct vmcfg_diag *g = report(c, VMCFG_R_NO_ACCESS, r->flags.span,
					      "memory region flags %s grant no access: neither READ, WRITE "
					      "nor EXECUTE", vmcfg_fmt_hex(hex, f));
		hint(c, g, "RAM is usually 0x7 (READ | WRITE | EXECUTE): %s",
		     vmcfg_fmt_hex(fix, f | VMCFG_MEM_READ | VMCFG_MEM_WRITE | VMCFG_MEM_EXECUTE));
	}
	if ((f & VMCFG_MEM_WRITE) && !(f & VMCFG_MEM_READ)) {
		/* RISC-V (W without R is a reserved PTE) and EPT cannot map it; arm64's S2AP can. */
		enum vmcfg_arch arch = build_arch(c);
		bool refused = arch == VMCFG_ARCH_RISCV64 || arch == VMCFG_ARCH_X86_64;
		struct vmcfg_diag *g =
			refused ? report(c, VMCFG_R_WRITE_ONLY_REFUSED, r->flags.span,
					 "memory region flags %s allow writing but not reading, which %s's "
					 "stage-2 tables cannot express",
					 vmcfg_fmt_hex(hex, f), vmcfg_arch_name(arch))
				: report(c, VMCFG_R_WRITE_WITHOUT_READ, r->flags.span,
					 "memory region flags %s allow writing but not reading",
					 vmcfg_fmt_hex(hex, f));
		hint(c, g, "add READ (0x1): %s", vmcfg_fmt_hex(fix, f | VMCFG_MEM_READ));
	}
	/*
	 * DEVICE with EXECUTE (E0210) is no longer an error: the region is
	 * skipped like any DEVICE region (W0203), as AxVisor's loader and
	 * vmcfg_vm_create skip it, so nothing executable is ever mapped.
	 */
}

static void check_ranges(struct vm_check *c)
{
	const struct vmcfg_vm_spec *s = c->spec;
	for (size_t i = 0; i < s->kernel.region_count; i++) {
		const struct vmcfg_spec_region *r = &s->kernel.regions[i];
		check_extent(c, "memory region", NULL, &r->gpa, &r->size,
			     EXTENT_NONZERO | EXTENT_ALIGN | EXTENT_IPA);
		check_region_flags(c, r);
	}
	for (size_t i = 0; i < s->devices.pt_count; i++) {
		const struct vmcfg_spec_pt_device *p = &s->devices.pt[i];
		if (p->is_dt_path)
			continue;
		check_extent(c, "passthrough window", &p->name, &p->base_gpa, &p->length,
			     EXTENT_NONZERO | EXTENT_ROUNDING | EXTENT_IPA);
		check_extent(c, "passthrough window", &p->name, &p->base_hpa, &p->length,
			     EXTENT_ROUNDING | EXTENT_BASE_ONLY);
		check_pt_host(c, p);
	}
	for (size_t i = 0; i < s->devices.pt_address_count; i++) {
		const struct vmcfg_spec_pt_address *a = &s->devices.pt_addresses[i];
		check_extent(c, "passthrough address", NULL, &a->gpa, &a->length,
			     EXTENT_NONZERO | EXTENT_ROUNDING | EXTENT_IPA);
	}
	for (size_t i = 0; i < s->devices.emu_count; i++) {
		const struct vmcfg_spec_emu_device *e = &s->devices.emu[i];
		/* The IVC window maps channels in whole pages: vm_create refuses it unaligned. */
		bool ivc = e->emu_type.set && e->emu_type.v == VMCFG_EMU_IVC_CHANNEL;
		check_extent(c, ivc ? "IVC window" : "emulated device", &e->name, &e->base_gpa,
			     &e->length, EXTENT_NONZERO | EXTENT_IPA | (ivc ? EXTENT_ALIGN : 0));
	}
}

/* --- overlaps --- */

/* The two ranges of an overlap in the view swept, in full. */
static void overlap_decls(const struct vm_check *c, enum check_view view,
			  const struct check_range *earlier, const struct check_range *later,
			  struct check_decl *e, struct check_decl *l)
{
	if (c->decls) {
		*e = c->decls[earlier->ref];
		*l = c->decls[later->ref];
		return;
	}
	vmcfg_check_collect_detail(c->spec, view, build_arch(c), earlier->ref, e);
	vmcfg_check_collect_detail(c->spec, view, build_arch(c), later->ref, l);
}

static int report_guest_overlap(void *ctx, const struct check_range *earlier,
				const struct check_range *later, uint64_t first, uint64_t last)
{
	struct vm_check *c = ctx;
	struct check_decl e, l;
	overlap_decls(c, CHECK_GUEST, earlier, later, &e, &l);
	if (overlap_unlisted(c, &l))
		return 0;
	return vmcfg_check_report_overlap(c->d, VMCFG_R_GUEST_OVERLAP, "guest-physical", &e, &l, first,
				    last);
}

static int report_port_overlap(void *ctx, const struct check_range *earlier,
			       const struct check_range *later, uint64_t first, uint64_t last)
{
	struct vm_check *c = ctx;
	struct check_decl e, l;
	overlap_decls(c, CHECK_PORTS, earlier, later, &e, &l);
	return vmcfg_check_report_overlap(c->d, VMCFG_R_GUEST_OVERLAP, "port I/O", &e, &l, first, last);
}

/*
 * Host-side overlaps within the VM that guest space does not show: when
 * both ranges map with the same host−guest offset, the overlap was found
 * (and reported) in guest space already.
 */
static int report_host_self_overlap(void *ctx, const struct check_range *earlier,
				    const struct check_range *later, uint64_t first, uint64_t last)
{
	struct vm_check *c = ctx;
	struct check_decl e, l;
	overlap_decls(c, CHECK_HOST, earlier, later, &e, &l);
	if (e.delta == l.delta || overlap_unlisted(c, &l))
		return 0;
	return vmcfg_check_report_overlap(c->d, VMCFG_R_HOST_SELF_OVERLAP, "host-physical", &e, &l,
				    first, last);
}

/* Sweeps the VM's ranges in view, each its own owner, reporting through fn (as rule). */
static void sweep_own_ranges(struct vm_check *c, enum check_view view, check_overlap_fn fn,
			     enum vmcfg_rule rule)
{
	size_t max = vmcfg_check_collect_max(c->spec);
	struct check_range small[SMALL_LIST];
	struct check_range *v = max <= CHECK_MAX_COUNT
					? check_scratch(c->d, small, SMALL_LIST, max, sizeof *v)
					: NULL;
	if (!v) {
		c->err = VMCFG_ENOMEM;
		return;
	}
	/* Many ranges: each in full once, not one walk per finding (10^4 overlaps). */
	struct check_decl *decls = max > SMALL_LIST ? check_alloc(c->d, max, sizeof *decls) : NULL;
	if (decls)
		vmcfg_check_collect_details(c->spec, view, build_arch(c), decls);
	c->decls = decls;
	if (vmcfg_check_sweep(&c->d->alloc, v, vmcfg_check_collect(c->spec, view, build_arch(c), v), fn, c))
		c->err = VMCFG_ENOMEM;
	c->decls = NULL;
	if (c->overlaps > MAX_OVERLAP_FINDINGS &&
	    vmcfg_diag_add(c->d, rule, c->unlisted, NULL,
			   "%zu more overlaps in %s space (not listed)",
			   c->overlaps - MAX_OVERLAP_FINDINGS,
			   view == CHECK_GUEST   ? "guest-physical"
			   : view == CHECK_PORTS ? "port I/O"
						 : "host-physical"))
		c->err = VMCFG_ENOMEM;
	c->overlaps = 0;
	check_free(c->d, decls, max, sizeof *decls);
	check_scratch_free(c->d, v, small, max, sizeof *v);
}

/* --- entry point and images --- */

/* The RAM region (not DEVICE) that contains addr, or NULL. */
static const struct vmcfg_spec_region *region_at(const struct vmcfg_vm_spec *s, uint64_t addr)
{
	for (size_t i = 0; i < s->kernel.region_count; i++) {
		const struct vmcfg_spec_region *r = &s->kernel.regions[i];
		uint64_t last;
		if (!r->gpa.set || !r->size.set || !r->size.v ||
		    (r->flags.set && (r->flags.v & VMCFG_MEM_DEVICE)) ||
		    !vmcfg_add_u64(r->gpa.v, r->size.v - 1, &last))
			continue;
		if (addr >= r->gpa.v && addr <= last)
			return r;
	}
	return NULL;
}

/*
 * Whether every memory region decoded with its address and size. When one
 * did not, "in no memory region" may be the decode error's echo, not a
 * mistake of its own: those findings are left out.
 */
static bool regions_complete(const struct vmcfg_vm_spec *s)
{
	for (size_t i = 0; i < s->kernel.region_count; i++)
		if (!s->kernel.regions[i].gpa.set || !s->kernel.regions[i].size.set)
			return false;
	return s->kernel.regions_set;
}

static void check_entry_point(struct vm_check *c)
{
	const struct vmcfg_spec_u64 *e = &c->spec->kernel.entry_point;
	char hex[VMCFG_FMT_BUF], fl[VMCFG_FMT_BUF];
	if (!e->set)
		return;
	const struct vmcfg_spec_region *r = region_at(c->spec, e->v);
	if (!r && !regions_complete(c->spec))
		return;
	if (!r) {
		struct vmcfg_diag *g = report(c, VMCFG_R_ENTRY_NOT_EXEC, e->span,
					      "entry point %s is in no memory region",
					      vmcfg_fmt_hex(hex, e->v));
		hint(c, g, "the vCPUs start here: point it into executable RAM (usually kernel_load_addr)");
	} else if (r->flags.set && !(r->flags.v & VMCFG_MEM_EXECUTE)) {
		struct vmcfg_diag *g = report(c, VMCFG_R_ENTRY_NOT_EXEC, e->span,
					      "entry point %s is in a memory region that is not executable (flags %s)",
					      vmcfg_fmt_hex(hex, e->v), vmcfg_fmt_hex(fl, r->flags.v));
		relate(c, g, r->flags.span, "flags given here");
		hint(c, g, "add EXECUTE (0x4) to the region's flags");
	}
}

struct image {
	const char *name; /* "kernel" */
	enum vmcfg_image_kind kind;
	const struct vmcfg_spec_image *spec;
	uint64_t size; /* 0: unknown */
};

/* The image's file size from the caller, 0 when not known. */
static uint64_t image_size(const struct vm_check *c, const struct image *im)
{
	uint64_t size = 0;
	const struct vmcfg_check_opts *o = c->opts;
	if (!o || !o->image_size || !im->spec->path.set)
		return 0;
	return o->image_size(o->ud, c->spec, im->kind, im->spec->path.s, &size) ? size : 0;
}

/* Load address in RAM, and the whole image before its region's end when its size is known. */
static void check_image_fits(struct vm_check *c, struct image *im)
{
	const struct vmcfg_spec_u64 *at = &im->spec->load_addr;
	char a[VMCFG_FMT_BUF], b[VMCFG_FMT_BUF], sz[VMCFG_FMT_BUF];
	const struct vmcfg_spec_region *r = region_at(c->spec, at->v);
	if (!r && !regions_complete(c->spec)) {
		im->size = 0;
		return;
	}
	if (!r) {
		struct vmcfg_diag *g = report(c, VMCFG_R_IMAGE_OUTSIDE_RAM, at->span,
					      "%s load address %s is in no memory region", im->name,
					      vmcfg_fmt_hex(a, at->v));
		hint(c, g, "load images into RAM declared in kernel.memory_regions");
		im->size = 0; /* no overlap check for an image that cannot load */
		return;
	}
	uint64_t room = r->gpa.v + (r->size.v - 1) - at->v + 1; /* region_at checked the sum */
	if (room != 0 && im->size > room) { /* room 0: the region ends at 2^64 */
		struct vmcfg_diag *g = report(c, VMCFG_R_IMAGE_TOO_BIG, at->span,
					      "%s image (%s) at %s does not fit: its memory region ends %s later",
					      im->name, vmcfg_fmt_size(sz, im->size), vmcfg_fmt_hex(a, at->v),
					      vmcfg_fmt_size(b, room));
		relate(c, g, r->size.span, "region size given here");
	}
}

static void check_images(struct vm_check *c)
{
	const struct vmcfg_vm_spec *s = c->spec;
	struct image ims[] = {
		{ "kernel", VMCFG_IMAGE_KERNEL, &s->kernel.kernel, 0 },
		{ "bios", VMCFG_IMAGE_BIOS, &s->kernel.bios, 0 },
		{ "dtb", VMCFG_IMAGE_DTB, &s->kernel.dtb, 0 },
		{ "ramdisk", VMCFG_IMAGE_RAMDISK, &s->kernel.ramdisk, 0 },
	};
	const size_t n = sizeof ims / sizeof ims[0];
	for (size_t i = 0; i < n; i++) {
		if (!ims[i].spec->load_addr.set)
			continue;
		ims[i].size = image_size(c, &ims[i]);
		check_image_fits(c, &ims[i]);
	}
	/* At most four images: every pair, when both sizes are known. */
	for (size_t i = 0; i < n; i++) {
		for (size_t k = i + 1; k < n; k++) {
			const struct image *x = &ims[i], *y = &ims[k];
			uint64_t xl, yl;
			if (!x->size || !y->size ||
			    !vmcfg_add_u64(x->spec->load_addr.v, x->size - 1, &xl) ||
			    !vmcfg_add_u64(y->spec->load_addr.v, y->size - 1, &yl) ||
			    xl < y->spec->load_addr.v || yl < x->spec->load_addr.v)
				continue;
			char rx[CHECK_DESCR_BUF], ry[CHECK_DESCR_BUF];
			struct vmcfg_diag *g = report(c, VMCFG_R_IMAGES_OVERLAP, y->spec->load_addr.span,
						      "%s image %s overlaps %s image %s", y->name,
						      vmcfg_check_fmt_range(ry, y->spec->load_addr.v, yl), x->name,
						      vmcfg_check_fmt_range(rx, x->spec->load_addr.v, xl));
			relate(c, g, x->spec->load_addr.span, "the other image is loaded here");
		}
	}
}

/* --- emulated devices and interrupts --- */

static int report_shared_irq(void *ctx, const void *first, const void *prev, const void *elem)
{
	struct vm_check *c = ctx;
	const struct check_keyed *a = first, *b = elem;
	const struct vmcfg_spec_emu_device *emu = c->spec->devices.emu;
	(void)prev;
	struct vmcfg_diag *g = report(c, VMCFG_R_SHARED_EMU_IRQ, emu[b->index].irq_id.span,
				      "emulated devices `%s` and `%s` both raise IRQ %llu",
				      emu[a->index].name.s ? emu[a->index].name.s : "",
				      emu[b->index].name.s ? emu[b->index].name.s : "",
				      (unsigned long long)b->key);
	relate(c, g, emu[a->index].irq_id.span, "IRQ first given here");
	hint(c, g, "give each device its own IRQ, or 0 for none");
	return c->err;
}

static void check_emu_device(struct vm_check *c, const struct vmcfg_spec_emu_device *e)
{
	const char *name = e->name.s ? e->name.s : "";
	if (e->emu_type.set && vmcfg_emu_type_is_gppt(e->emu_type.v)) {
		/* lib/vm's model factory and the hypervisor's refuse them alike. */
		struct vmcfg_diag *g = report(c, VMCFG_R_VGIC_LIMIT, check_span_or(&e->emu_type, e->span),
					      "emulated device `%s` of type %s: the reference hypervisor keeps "
					      "the physical GIC, which all VMs share, and gives no VM its frames",
					      name, vmcfg_emu_type_name(e->emu_type.v));
		hint(c, g, "remove it: the VM gets the hypervisor's vGIC (an InterruptController "
			   "device with interrupt_mode = \"emu\", or none with \"passthrough\")");
	} else if (e->emu_type.set && !vmcfg_emu_type_built(e->emu_type.v) &&
		   vmcfg_emu_type_name(e->emu_type.v)) {
		struct vmcfg_diag *g = report(c, VMCFG_R_EMU_NOT_BUILT, check_span_or(&e->emu_type, e->span),
					      "emulated device `%s` of type %s: the reference hypervisor does not "
					      "emulate it; the VM starts there with an inert window (reads 0, "
					      "writes ignored) in its place",
					      name, vmcfg_emu_type_name(e->emu_type.v));
		hint(c, g, "AxVisor emulates it; on the reference hypervisor a guest driver for it "
			   "finds no device");
	}
	if (e->emu_type.set && e->cfg_list.set) {
		int arity = vmcfg_emu_type_cfg_arity(e->emu_type.v);
		if (arity >= 0 && e->cfg_list.count != (size_t)arity) {
			struct vmcfg_diag *g = report(c, VMCFG_R_CFG_ARITY, e->cfg_list.span,
						      "emulated device `%s` of type %s takes %d cfg_list values, not %zu",
						      name, vmcfg_emu_type_name(e->emu_type.v), arity,
						      e->cfg_list.count);
			hint(c, g, "see the emu_type table in docs/config-reference.md");
		}
	}
	/* The console's first cfg_list value picks its model (lib/vm/console.c); vm_create refuses others. */
	if (e->emu_type.set && e->emu_type.v == VMCFG_EMU_CONSOLE && e->cfg_list.set &&
	    e->cfg_list.count && e->cfg_list.items[0].set && e->cfg_list.items[0].v > 3) {
		struct vmcfg_diag *g = report(c, VMCFG_R_CFG_ARITY, e->cfg_list.items[0].span,
					      "console `%s`: cfg_list[0] = %llu selects no console model", name,
					      (unsigned long long)e->cfg_list.items[0].v);
		hint(c, g, "0: the arch's default, 1: PL011, 2: 16550 on MMIO, 3: 16550 on I/O ports");
	}
	if (e->emu_type.set && e->emu_type.v == VMCFG_EMU_INTERRUPT_CONTROLLER &&
	    c->spec->devices.irq_mode == VMCFG_IRQ_PASSTHROUGH) {
		struct vmcfg_diag *g = report(c, VMCFG_R_EMU_GIC_PT_MODE, check_span_or(&e->emu_type, e->span),
					      "emulated interrupt controller `%s` in a VM with interrupt_mode \"passthrough\"",
					      name);
		if (c->spec->devices.irq_mode_span.line)
			relate(c, g, c->spec->devices.irq_mode_span, "interrupt mode set here");
		hint(c, g, "use interrupt_mode = \"emu\", or remove the emulated controller");
	}
	if (e->irq_id.set && e->irq_id.v && c->spec->devices.irq_mode == VMCFG_IRQ_NONE) {
		struct vmcfg_diag *g = report(c, VMCFG_R_IRQ_UNDER_NO_IRQ, e->irq_id.span,
					      "emulated device `%s` raises IRQ %llu but the VM's interrupt_mode is \"no_irq\"",
					      name, (unsigned long long)e->irq_id.v);
		if (c->spec->devices.irq_mode_span.line)
			relate(c, g, c->spec->devices.irq_mode_span, "interrupt mode set here");
		hint(c, g, "set interrupt_mode = \"emu\", or irq_id = 0");
	}
}

/*
 * The emulated GICv3 the reference hypervisor builds (VMCFG_VGIC_*): one
 * per VM, a distributor window of at least 64 KiB, a redistributor per
 * vCPU for at most VMCFG_VGIC_MAX_VCPUS vCPUs.
 */
/*
 * The redistributors sit on the VM's device bus at a fixed place; another
 * emulated device there makes the bus, and vmcfg_vm_create, refuse the GIC.
 */
static void check_gicr_window(struct vm_check *c, const struct vmcfg_spec_emu_device *gic)
{
	const struct vmcfg_vm_spec *s = c->spec;
	uint64_t vcpus = s->base.cpu_num.set ? s->base.cpu_num.v : 1, last, end;
	char r[CHECK_DESCR_BUF], w[CHECK_DESCR_BUF];
	if (vcpus == 0 || vcpus > VMCFG_VGIC_MAX_VCPUS)
		return;
	end = VMCFG_VGIC_GICR_BASE + vcpus * VMCFG_VGIC_GICR_FRAME - 1;
	/* The distributor takes its 64 KiB whatever length says. */
	if (gic->base_gpa.set && gic->base_gpa.v <= end &&
	    vmcfg_add_u64(gic->base_gpa.v, VMCFG_VGIC_GICD_SIZE - 1, &last) && last >= VMCFG_VGIC_GICR_BASE) {
		report(c, VMCFG_R_VGIC_LIMIT, gic->base_gpa.span,
		       "the distributor of emulated GIC `%s` %s overlaps its redistributors %s",
		       gic->name.s ? gic->name.s : "", vmcfg_check_fmt_range(w, gic->base_gpa.v, last),
		       vmcfg_check_fmt_range(r, VMCFG_VGIC_GICR_BASE, end));
	}
	for (size_t i = 0; i < s->devices.emu_count; i++) {
		const struct vmcfg_spec_emu_device *e = &s->devices.emu[i];
		if (e == gic || !e->base_gpa.set || !e->length.set || !e->length.v ||
		    !vmcfg_add_u64(e->base_gpa.v, e->length.v - 1, &last) ||
		    last < VMCFG_VGIC_GICR_BASE || e->base_gpa.v > end)
			continue;
		struct vmcfg_diag *g = report(c, VMCFG_R_VGIC_LIMIT, e->base_gpa.span,
					      "emulated device `%s` %s overlaps the redistributors %s of the "
					      "emulated GIC (%llu vCPUs)",
					      e->name.s ? e->name.s : "",
					      vmcfg_check_fmt_range(w, e->base_gpa.v, last),
					      vmcfg_check_fmt_range(r, VMCFG_VGIC_GICR_BASE, end),
					      (unsigned long long)vcpus);
		relate(c, g, check_span_or(&gic->emu_type, gic->span), "emulated GIC declared here");
	}
}

/*
 * riscv64 (vmcfg/check.h's VMCFG_VPLIC_*): the hypervisor emulates one PLIC
 * per VM (a second InterruptController device is refused in every
 * interrupt mode); with interrupt_mode "emu" it sits at that device's
 * window or else QEMU virt's, and nothing else of the VM may lie there,
 * RAM included, as no emulated device claims the default window for E0211.
 */
static void check_vplic(struct vm_check *c)
{
	const struct vmcfg_vm_spec *s = c->spec;
	const struct vmcfg_spec_emu_device *ic = NULL;
	char a[CHECK_DESCR_BUF], b[CHECK_DESCR_BUF];
	uint64_t last, end;
	for (size_t i = 0; i < s->devices.emu_count; i++) {
		const struct vmcfg_spec_emu_device *e = &s->devices.emu[i];
		if (!e->emu_type.set || e->emu_type.v != VMCFG_EMU_INTERRUPT_CONTROLLER)
			continue;
		if (ic) {
			struct vmcfg_diag *g = report(c, VMCFG_R_VGIC_LIMIT, check_span_or(&e->emu_type, e->span),
						      "a second emulated interrupt controller `%s`: the riscv64 "
						      "hypervisor emulates one PLIC per VM",
						      e->name.s ? e->name.s : "");
			relate(c, g, check_span_or(&ic->emu_type, ic->span), "the first one");
			continue;
		}
		ic = e;
	}
	uint64_t vcpus = s->base.cpu_num.set ? s->base.cpu_num.v : 1;
	if ((ic || s->devices.irq_mode == VMCFG_IRQ_EMU) && s->base.cpu_num.set &&
	    vcpus > VMCFG_VPLIC_MAX_CONTEXTS / VMCFG_VPLIC_CONTEXTS_PER_HART) {
		report(c, VMCFG_R_VGIC_LIMIT, s->base.cpu_num.span,
		       "%llu vCPUs with a PLIC: the riscv64 hypervisor's PLIC serves at most %d",
		       (unsigned long long)vcpus, VMCFG_VPLIC_MAX_CONTEXTS / VMCFG_VPLIC_CONTEXTS_PER_HART);
	} else if (ic && ic->length.set && ic->length.v && ic->length.v < VMCFG_VPLIC_MIN_SIZE(vcpus)) {
		struct vmcfg_diag *g = report(c, VMCFG_R_VGIC_LIMIT, ic->length.span,
					      "emulated PLIC `%s` of %s does not reach the contexts of its %llu "
					      "vCPU(s), which end at offset %s",
					      ic->name.s ? ic->name.s : "", vmcfg_fmt_size(a, ic->length.v),
					      (unsigned long long)vcpus, vmcfg_fmt_hex(b, VMCFG_VPLIC_MIN_SIZE(vcpus)));
		hint(c, g, "give it QEMU virt's %s", vmcfg_fmt_size(a, VMCFG_VPLIC_SIZE));
	}
	if (s->devices.irq_mode != VMCFG_IRQ_EMU || (ic && !ic->base_gpa.set))
		return;
	uint64_t base = ic ? ic->base_gpa.v : VMCFG_VPLIC_BASE;
	uint64_t size = ic && ic->length.set && ic->length.v ? ic->length.v : VMCFG_VPLIC_SIZE;
	if (!vmcfg_add_u64(base, size - 1, &end))
		return;
	vmcfg_check_fmt_range(b, base, end);
	for (size_t i = 0; i < s->kernel.region_count; i++) {
		const struct vmcfg_spec_region *r = &s->kernel.regions[i];
		if (!r->gpa.set || !r->size.set || !r->size.v || !vmcfg_add_u64(r->gpa.v, r->size.v - 1, &last) ||
		    last < base || r->gpa.v > end)
			continue;
		struct vmcfg_diag *g = report(c, VMCFG_R_VGIC_LIMIT, r->gpa.span,
					      "memory region %s overlaps the virtual PLIC %s",
					      vmcfg_check_fmt_range(a, r->gpa.v, last), b);
		if (ic)
			relate(c, g, check_span_or(&ic->emu_type, ic->span), "emulated PLIC declared here");
		else
			hint(c, g, "the riscv64 hypervisor puts the PLIC of an interrupt_mode \"emu\" VM there "
				   "(QEMU virt's); move the region, or the PLIC with an InterruptController device");
	}
	/* Over a declared PLIC, E0211 reports the device already. */
	for (size_t i = 0; !ic && i < s->devices.emu_count; i++) {
		const struct vmcfg_spec_emu_device *e = &s->devices.emu[i];
		if (!e->base_gpa.set || !e->length.set || !e->length.v ||
		    !vmcfg_add_u64(e->base_gpa.v, e->length.v - 1, &last) || last < base || e->base_gpa.v > end)
			continue;
		report(c, VMCFG_R_VGIC_LIMIT, e->base_gpa.span,
		       "emulated device `%s` %s overlaps the virtual PLIC %s", e->name.s ? e->name.s : "",
		       vmcfg_check_fmt_range(a, e->base_gpa.v, last), b);
	}
}

static void check_vgic(struct vm_check *c)
{
	const struct vmcfg_vm_spec *s = c->spec;
	if (build_arch(c) == VMCFG_ARCH_RISCV64) {
		check_vplic(c);
		return;
	}
	const struct vmcfg_spec_emu_device *first = NULL;
	char a[VMCFG_FMT_BUF], b[VMCFG_FMT_BUF];
	for (size_t i = 0; i < s->devices.emu_count; i++) {
		const struct vmcfg_spec_emu_device *e = &s->devices.emu[i];
		const char *name = e->name.s ? e->name.s : "";
		if (!e->emu_type.set || e->emu_type.v != VMCFG_EMU_INTERRUPT_CONTROLLER)
			continue;
		if (first) {
			struct vmcfg_diag *g = report(c, VMCFG_R_VGIC_LIMIT, check_span_or(&e->emu_type, e->span),
						      "a second emulated interrupt controller `%s`: the hypervisor "
						      "emulates one GIC per VM", name);
			relate(c, g, check_span_or(&first->emu_type, first->span), "the first one");
			continue;
		}
		first = e;
		if (e->length.set && e->length.v && e->length.v < VMCFG_VGIC_GICD_SIZE) {
			struct vmcfg_diag *g = report(c, VMCFG_R_VGIC_LIMIT, e->length.span,
						      "emulated interrupt controller `%s` has a %s window: the GIC "
						      "distributor takes %s",
						      name, vmcfg_fmt_size(a, e->length.v),
						      vmcfg_fmt_size(b, VMCFG_VGIC_GICD_SIZE));
			hint(c, g, "give it length 0x1_0000");
		}
		if (s->base.cpu_num.set && s->base.cpu_num.v > VMCFG_VGIC_MAX_VCPUS) {
			struct vmcfg_diag *g = report(c, VMCFG_R_VGIC_LIMIT, s->base.cpu_num.span,
						      "%llu vCPUs with an emulated interrupt controller: the "
						      "hypervisor's vGIC serves at most %d",
						      (unsigned long long)s->base.cpu_num.v, VMCFG_VGIC_MAX_VCPUS);
			relate(c, g, check_span_or(&e->emu_type, e->span), "emulated GIC declared here");
		}
	}
	if (first)
		check_gicr_window(c, first);
}

/* Whether [base, base + len) meets [lo, hi] (len 0: never). */
static bool meets(uint64_t base, uint64_t len, uint64_t lo, uint64_t hi)
{
	uint64_t last;
	return len && vmcfg_add_u64(base, len - 1, &last) && base <= hi && last >= lo;
}

/* A window of the VM over the implicit vGIC's frame [lo, hi] (check_pt_vgic). */
static void vgic_clash(struct vm_check *c, struct vmcfg_span at, const char *what, const char *name,
		       const char *frame, uint64_t lo, uint64_t hi)
{
	char r[CHECK_DESCR_BUF];
	struct vmcfg_diag *g = report(c, VMCFG_R_VGIC_LIMIT, at,
				      "%s%s overlaps the vGIC %s %s that interrupt_mode \"passthrough\" "
				      "gives the VM",
				      what, name, frame, vmcfg_check_fmt_range(r, lo, hi));
	if (c->spec->devices.irq_mode_span.line)
		relate(c, g, c->spec->devices.irq_mode_span, "interrupt mode set here");
	hint(c, g, "the hypervisor keeps the GIC and emulates it at QEMU virt's frames: move "
		   "the window, or pass through the GIC's neighbours only");
}

/*
 * interrupt_mode "passthrough" on aarch64: the hypervisor builds its vGIC
 * without an emu_devices entry (lib/vm, VMCFG_VGIC_GICD_BASE) and refuses
 * the VM when something of the VM lies over the distributor or the
 * redistributors. An emulated interrupt controller there is E0217's.
 */
static void check_pt_vgic(struct vm_check *c)
{
	const struct vmcfg_vm_spec *s = c->spec;
	if (s->devices.irq_mode != VMCFG_IRQ_PASSTHROUGH || build_arch(c) != VMCFG_ARCH_AARCH64)
		return;
	uint64_t vcpus = s->base.cpu_num.set ? s->base.cpu_num.v : 1;
	/* More vCPUs: no vGIC is built, and the hypervisor refuses the VM (E0316). */
	if (vcpus == 0 || vcpus > VMCFG_VGIC_MAX_VCPUS)
		return;
	const uint64_t frames[2][2] = {
		{ VMCFG_VGIC_GICD_BASE, VMCFG_VGIC_GICD_BASE + VMCFG_VGIC_GICD_SIZE - 1 },
		{ VMCFG_VGIC_GICR_BASE, VMCFG_VGIC_GICR_BASE + vcpus * VMCFG_VGIC_GICR_FRAME - 1 }
	};
	static const char *const frame_names[2] = { "distributor", "redistributors" };
	const uint64_t page = VMCFG_PAGE_SIZE - 1;
	for (int f = 0; f < 2; f++) {
		uint64_t lo = frames[f][0], hi = frames[f][1];
		const char *fn = frame_names[f];
		for (size_t i = 0; i < s->kernel.region_count; i++) {
			const struct vmcfg_spec_region *r = &s->kernel.regions[i];
			if (r->gpa.set && r->size.set && !(r->flags.set && (r->flags.v & VMCFG_MEM_DEVICE)) &&
			    meets(r->gpa.v, r->size.v, lo, hi))
				vgic_clash(c, r->gpa.span, "memory region", "", fn, lo, hi);
		}
		for (size_t i = 0; i < s->devices.emu_count; i++) {
			const struct vmcfg_spec_emu_device *e = &s->devices.emu[i];
			/* E0217 and the GPPT refusal cover these. */
			bool gic = e->emu_type.set && (e->emu_type.v == VMCFG_EMU_INTERRUPT_CONTROLLER ||
						       vmcfg_emu_type_is_gppt(e->emu_type.v));
			if (!gic && e->base_gpa.set && e->length.set &&
			    meets(e->base_gpa.v, e->length.v, lo, hi))
				vgic_clash(c, e->base_gpa.span, "emulated device ", e->name.s ? e->name.s : "",
					   fn, lo, hi);
		}
		/* Passthrough windows are mapped in whole pages (lib/vm/passthrough.c). */
		for (size_t i = 0; i < s->devices.pt_count; i++) {
			const struct vmcfg_spec_pt_device *d = &s->devices.pt[i];
			uint64_t end;
			if (d->is_dt_path || !d->base_gpa.set || !d->length.set || !d->length.v ||
			    !vmcfg_add_u64(d->base_gpa.v, d->length.v, &end) || end > UINT64_MAX - page)
				continue;
			uint64_t base = d->base_gpa.v & ~page;
			if (meets(base, ((end + page) & ~page) - base, lo, hi))
				vgic_clash(c, d->base_gpa.span, "passthrough device ",
					   d->name.s ? d->name.s : "", fn, lo, hi);
		}
		for (size_t i = 0; f == 0 && i < s->devices.pt_count; i++) {
			const struct vmcfg_spec_pt_device *d = &s->devices.pt[i];
			if (!d->is_dt_path && d->irq_id.set && vmcfg_irq_id_is_spi(d->irq_id.v) &&
			    d->irq_id.v >= 32 + VMCFG_VGIC_NR_SPIS) {
				/* The hypervisor routes none beyond the vGIC's SPIs. */
				struct vmcfg_diag *g = report(c, VMCFG_R_FDT_IRQ, d->irq_id.span,
							      "passthrough device `%s`: INTID %llu not "
							      "routed: the vGIC delivers SPIs up to INTID %d",
							      d->name.s ? d->name.s : "",
							      (unsigned long long)d->irq_id.v,
							      31 + VMCFG_VGIC_NR_SPIS);
				if (s->devices.irq_mode_span.line)
					relate(c, g, s->devices.irq_mode_span, "interrupt mode set here");
			}
		}
		for (size_t i = 0; i < s->devices.pt_address_count; i++) {
			const struct vmcfg_spec_pt_address *a = &s->devices.pt_addresses[i];
			uint64_t end;
			if (!a->gpa.set || !a->length.set || !a->length.v ||
			    !vmcfg_add_u64(a->gpa.v, a->length.v, &end) || end > UINT64_MAX - page)
				continue;
			uint64_t base = a->gpa.v & ~page;
			if (meets(base, ((end + page) & ~page) - base, lo, hi))
				vgic_clash(c, a->gpa.span, "passthrough address", "", fn, lo, hi);
		}
	}
}

/* vmcfg_vm_create gives a VM one IVC window, its first IVCChannel device, and refuses a second. */
static void check_ivc_windows(struct vm_check *c)
{
	const struct vmcfg_vm_spec *s = c->spec;
	const struct vmcfg_spec_emu_device *first = vmcfg_check_ivc_window(s), *second = NULL;
	size_t more = 0;
	for (size_t i = 0; first && i < s->devices.emu_count; i++) {
		const struct vmcfg_spec_emu_device *e = &s->devices.emu[i];
		if (e != first && e->emu_type.set && e->emu_type.v == VMCFG_EMU_IVC_CHANNEL) {
			second = second ? second : e;
			more++;
		}
	}
	if (!second)
		return;
	/* One finding however many there are: a hostile file may hold thousands. */
	struct vmcfg_diag *g = report(c, VMCFG_R_IVC_WINDOWS, check_span_or(&second->emu_type, second->span),
				      "%zu more IVC window(s) after `%s`: a VM has one", more,
				      first->name.s ? first->name.s : "");
	relate(c, g, check_span_or(&first->emu_type, first->span), "the VM's IVC window");
	hint(c, g, "one IVCChannel (0x0A) device holds all of the VM's channels: size it for them "
		   "and remove the others");
}

static void check_emu_devices(struct vm_check *c)
{
	check_vgic(c);
	check_ivc_windows(c);
	check_pt_vgic(c);
	const struct vmcfg_vm_spec *s = c->spec;
	struct check_keyed small[SMALL_LIST];
	struct check_keyed *keys =
		check_scratch(c->d, small, SMALL_LIST, s->devices.emu_count, sizeof *keys);
	if (!keys) {
		c->err = VMCFG_ENOMEM;
		return;
	}
	size_t n = 0;
	for (size_t i = 0; i < s->devices.emu_count; i++) {
		const struct vmcfg_spec_emu_device *e = &s->devices.emu[i];
		check_emu_device(c, e);
		if (e->irq_id.set && e->irq_id.v)
			keys[n++] = (struct check_keyed){ e->irq_id.v, i, 0 };
	}
	vmcfg_check_sort(c->d, keys, n, sizeof *keys, vmcfg_check_cmp_keyed);
	vmcfg_check_each_duplicate(keys, n, sizeof *keys, vmcfg_check_same_key, report_shared_irq, c);
	check_scratch_free(c->d, keys, small, s->devices.emu_count, sizeof *keys);
}

/*
 * x86 I/O port ranges (passthrough_ports) as vmcfg_vm_create gives them:
 * ports exist on x86_64 only, and a range is 1 to 0x10000 ports of the
 * 16-bit space. Overlaps in the port space are E0211 (sweep_own_ranges).
 */
static void check_pt_ports(struct vm_check *c)
{
	const struct vmcfg_vm_spec *s = c->spec;
	char a[VMCFG_FMT_BUF], b[VMCFG_FMT_BUF];
	enum vmcfg_arch arch = build_arch(c);
	if (s->devices.pt_port_count && arch != VMCFG_ARCH_X86_64) {
		struct vmcfg_diag *g = report(c, VMCFG_R_PT_PORTS, s->devices.pt_ports_span,
					      "passthrough_ports on %s: I/O ports exist on x86_64 only",
					      vmcfg_arch_name(arch));
		hint(c, g, "check and build the VM for x86_64 (`--arch x86_64` or platform.arch), "
			   "or drop passthrough_ports");
		return;
	}
	for (size_t i = 0; i < s->devices.pt_port_count; i++) {
		const struct vmcfg_spec_pt_port *p = &s->devices.pt_ports[i];
		if (!p->base.set || !p->length.set)
			continue;
		if (p->length.v == 0) {
			struct vmcfg_diag *g = report(c, VMCFG_R_PT_PORTS, p->length.span,
						      "passthrough ports at %s: length 0 passes nothing",
						      vmcfg_fmt_hex(a, p->base.v));
			hint(c, g, "give the number of ports, or remove the entry");
		} else if (p->base.v + p->length.v > 0x10000) {
			struct vmcfg_diag *g = report(c, VMCFG_R_PT_PORTS, p->length.span,
						      "passthrough ports [%s, %s) run past port 0xffff",
						      vmcfg_fmt_hex(a, p->base.v),
						      vmcfg_fmt_hex(b, p->base.v + p->length.v));
			hint(c, g, "at most %s ports from %s", vmcfg_fmt_hex(a, 0x10000 - p->base.v),
			     vmcfg_fmt_hex(b, p->base.v));
		}
	}
}

int vmcfg_check_vm(const struct vmcfg_vm_spec *spec, const struct vmcfg_platform *platform,
		   const struct vmcfg_check_opts *opts, struct vmcfg_diags *diags)
{
	if (!spec || !diags)
		return VMCFG_EINVAL;
	struct vm_check c = { spec, platform, opts, diags, 0, NULL, 0, { NULL, { 0, 0, 0, 0 } } };
	check_cpu_masks(&c);
	check_cpu_duplicates(&c);
	check_phys_ids_on_platform(&c);
	check_phys_ids_mpidr(&c);
	check_ranges(&c);
	sweep_own_ranges(&c, CHECK_GUEST, report_guest_overlap, VMCFG_R_GUEST_OVERLAP);
	sweep_own_ranges(&c, CHECK_PORTS, report_port_overlap, VMCFG_R_GUEST_OVERLAP);
	sweep_own_ranges(&c, CHECK_HOST, report_host_self_overlap, VMCFG_R_HOST_SELF_OVERLAP);
	check_entry_point(&c);
	check_images(&c);
	check_emu_devices(&c);
	check_pt_ports(&c);
	return c.err;
}
