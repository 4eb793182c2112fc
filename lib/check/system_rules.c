/* SPDX-License-Identifier: MIT */
/*
 * The per-system rules (E03xx): what VMs that run together get wrong
 * between them and against the host platform. Every cross-VM rule sorts
 * once and scans (O(n log n) in the number of VMs and ranges); nothing
 * compares VMs pairwise.
 *
 * One walk over the VMs runs the per-VM rules and gathers, while each
 * spec is in the cache, the little the system rules need from it (id,
 * name, host ranges, pinned pCPUs, SPIs) into compact arrays: the system
 * rules read those, in order, and go back to a spec only for a finding.
 * Walking 10,000 specs again for each rule would fetch them from memory
 * every time.
 */
#include "internal.h"
#include "vmcfg/ivc.h"
#include "../base/libc.h"

/*
 * A named VM, for sorting by name. The name's first 8 bytes ride along as
 * a number, so that comparing two names reads the names themselves
 * (spread over the VMs' memory) only when those bytes are equal.
 */
struct named_vm {
	uint64_t prefix; /* big-endian, zero-padded: orders like the bytes */
	const char *s;
	size_t len;
	size_t index; /* in specs */
};

/* Keys and ranges gathered from the VMs, appended as the walk goes. */
struct keyed_list {
	struct check_keyed *v;
	size_t count, cap;
};

struct range_list {
	struct check_range *v;
	size_t count, cap;
};

struct sys_check {
	const struct vmcfg_system *sys;        /* NULL: no IVC channels */
	const struct vmcfg_platform *platform; /* NULL: platform rules off */
	const struct vmcfg_vm_spec *const *specs;
	size_t n;
	const struct vmcfg_check_opts *opts;
	struct vmcfg_diags *d;
	const struct vmcfg_allocator *mem; /* scratch: d's allocator or a vmcfg_check_scratch */
	struct keyed_list ids;    /* (id, VM) */
	struct keyed_list pins;   /* (pCPU, VM, vCPU) of vCPUs pinned to one pCPU */
	struct keyed_list spis;   /* (SPI, VM) */
	struct named_vm *by_name; /* the named VMs (room for n), sorted by name after the walk */
	size_t named;
	struct range_list host;    /* every VM's host ranges, then the platform's */
	struct range_list banks;   /* the platform's RAM banks, merged */
	struct range_list outside; /* VM RAM outside host RAM, reported after the overlaps */
	struct check_decl **host_decls; /* per VM, its host ranges in full once one is reported */
	int err;
};

/* The VM's name for messages: its base.name, else its file. */
static const char *vm_label(const struct vmcfg_vm_spec *s)
{
	return s->base.name.set ? s->base.name.s : s->file ? s->file : "?";
}

static void note_oom(struct sys_check *c, int rc)
{
	if (rc)
		c->err = VMCFG_ENOMEM;
}

/* Relates g to loc when loc has a place (platform values may have none). */
static void relate(struct sys_check *c, struct vmcfg_diag *g, struct vmcfg_loc loc,
		   const char *what)
{
	if (g && loc.span.line)
		note_oom(c, vmcfg_diag_relate(c->d, g, loc, "%s", what));
}

static void hint(struct sys_check *c, struct vmcfg_diag *g, const char *text)
{
	if (g)
		note_oom(c, vmcfg_diag_hint(c->d, g, "%s", text));
}

/* --- duplicate ids and names --- */

static int report_dup_id(void *ctx, const void *first, const void *prev, const void *elem)
{
	struct sys_check *c = ctx;
	const struct check_keyed *a = first, *b = elem;
	const struct vmcfg_vm_spec *x = c->specs[a->index], *y = c->specs[b->index];
	struct vmcfg_diag *g = NULL;
	(void)prev;
	note_oom(c, vmcfg_diag_add(c->d, VMCFG_R_DUP_VM_ID, check_loc(y->file, y->base.id.span), &g,
				   "VM `%s` has id %llu, which VM `%s` has already", vm_label(y),
				   (unsigned long long)b->key, vm_label(x)));
	relate(c, g, check_loc(x->file, x->base.id.span), "id first given here");
	hint(c, g, "give every VM of a system its own id");
	return c->err;
}

static void check_duplicate_ids(struct sys_check *c)
{
	struct keyed_list *l = &c->ids;
	vmcfg_check_sort_in(c->mem, l->v, l->count, sizeof *l->v, vmcfg_check_cmp_keyed);
	vmcfg_check_each_duplicate(l->v, l->count, sizeof *l->v, vmcfg_check_same_key, report_dup_id, c);
}

static struct named_vm named_vm(const struct vmcfg_spec_str *name, size_t index)
{
	uint64_t prefix = 0;
	for (size_t k = 0; k < 8; k++)
		prefix = prefix << 8 | (k < name->len ? (unsigned char)name->s[k] : 0);
	return (struct named_vm){ prefix, name->s, name->len, index };
}

/* Names hold no NUL: the zero padding orders a name before its extensions, as memcmp would. */
static int same_vm_name(const void *a, const void *b)
{
	const struct named_vm *x = a, *y = b;
	size_t len = x->len < y->len ? x->len : y->len;
	int r = check_cmp_u64(x->prefix, y->prefix);
	if (!r && len > 8)
		r = memcmp(x->s + 8, y->s + 8, len - 8);
	return r ? r : check_cmp_u64(x->len, y->len);
}

static int compare_vm_names(const void *a, const void *b)
{
	int r = same_vm_name(a, b);
	return r ? r
		 : check_cmp_u64(((const struct named_vm *)a)->index,
				 ((const struct named_vm *)b)->index);
}

static int report_dup_name(void *ctx, const void *first, const void *prev, const void *elem)
{
	struct sys_check *c = ctx;
	const struct vmcfg_vm_spec *x = c->specs[((const struct named_vm *)first)->index];
	const struct vmcfg_vm_spec *y = c->specs[((const struct named_vm *)elem)->index];
	struct vmcfg_diag *g = NULL;
	(void)prev;
	note_oom(c, vmcfg_diag_add(c->d, VMCFG_R_DUP_VM_NAME, check_loc(y->file, y->base.name.span),
				   &g, "VM name `%s` is used by another VM already", y->base.name.s));
	relate(c, g, check_loc(x->file, x->base.name.span), "name first given here");
	hint(c, g, "IVC channels name VMs: give every VM of a system its own name");
	return c->err;
}

/* Sorts the named VMs by name (kept for IVC lookups) and reports names given twice. */
static void check_duplicate_names(struct sys_check *c)
{
	vmcfg_check_sort_in(c->mem, c->by_name, c->named, sizeof *c->by_name, compare_vm_names);
	vmcfg_check_each_duplicate(c->by_name, c->named, sizeof *c->by_name, same_vm_name,
			     report_dup_name, c);
}

/* --- host memory: VMs against each other and against the platform --- */

/*
 * A range of the host sweep in full, with its VM's name. A VM's ranges are
 * written out in full once, on its first finding, so that many findings
 * about one VM cost one walk of its declarations, not one each; without
 * memory for that, one walk per finding.
 */
static struct check_decl host_decl(struct sys_check *c, const struct check_range *r)
{
	struct check_decl decl;
	if (r->owner == CHECK_PLATFORM) {
		vmcfg_check_platform_detail(c->platform, r->ref, &decl);
		return decl;
	}
	const struct vmcfg_vm_spec *spec = c->specs[r->owner];
	if (!c->host_decls) {
		c->host_decls = check_alloc_in(c->mem, c->n, sizeof *c->host_decls);
		for (size_t i = 0; c->host_decls && i < c->n; i++)
			c->host_decls[i] = NULL;
	}
	if (c->host_decls && !c->host_decls[r->owner]) {
		c->host_decls[r->owner] =
			check_alloc_in(c->mem, vmcfg_check_collect_max(spec), sizeof **c->host_decls);
		if (c->host_decls[r->owner])
			vmcfg_check_collect_details(spec, CHECK_HOST, VMCFG_ARCH_UNKNOWN,
						    c->host_decls[r->owner]);
	}
	if (c->host_decls && c->host_decls[r->owner])
		decl = c->host_decls[r->owner][r->ref];
	else
		vmcfg_check_collect_detail(spec, CHECK_HOST, VMCFG_ARCH_UNKNOWN, r->ref, &decl);
	decl.vm_name = vm_label(spec);
	return decl;
}

static int report_host_overlap(void *ctx, const struct check_range *earlier,
			       const struct check_range *later, uint64_t first, uint64_t last)
{
	struct sys_check *c = ctx;
	struct check_decl e = host_decl(c, earlier), l = host_decl(c, later);
	/* The VM's declaration is what the user can change: it is the primary. */
	const struct check_decl *vm = later->owner == CHECK_PLATFORM ? &e : &l;
	const struct check_decl *other = vm == &l ? &e : &l;
	enum vmcfg_rule rule = other->kind == CHECK_HV_MEMORY  ? VMCFG_R_OVER_HV_MEMORY
			       : other->kind == CHECK_RESERVED ? VMCFG_R_OVER_RESERVED
			       : vm->kind == CHECK_PT_WINDOW && other->kind == CHECK_PT_WINDOW
				       ? VMCFG_R_PT_SHARED
				       : VMCFG_R_HOST_OVERLAP;
	return vmcfg_check_report_overlap(c->d, rule, "host-physical", other, vm, first, last);
}

/*
 * Room for max more ranges at the end of l (a collection, numbered in 32
 * bits): where to append them, or NULL with c->err set.
 */
static struct check_range *range_room(struct sys_check *c, struct range_list *l, size_t max)
{
	void *grown = max <= CHECK_MAX_COUNT
			      ? check_grow(c->mem, l->v, &l->cap, l->count + max, sizeof *l->v)
			      : NULL;
	if (!grown) {
		c->err = VMCFG_ENOMEM;
		return NULL;
	}
	l->v = grown;
	return l->v + l->count;
}

/*
 * The platform's RAM banks must lie within the physical addresses the
 * stage-2 descriptors of its arch can hold (E0228, as for passthrough
 * windows): a table or frame above them cannot be pointed at.
 */
static void check_banks_pa(struct sys_check *c)
{
	const struct vmcfg_platform *p = c->platform;
	enum vmcfg_arch arch = c->opts && c->opts->arch ? c->opts->arch : p->arch;
	unsigned bits = vmcfg_arch_max_pa_bits(arch);
	for (size_t i = 0; i < p->ram_count && !c->err; i++) {
		const struct vmcfg_host_range *b = &p->ram[i];
		char r[CHECK_DESCR_BUF], a[VMCFG_FMT_BUF];
		uint64_t last;
		if (!b->size || !vmcfg_add_u64(b->base, b->size - 1, &last) || !(last >> bits))
			continue;
		struct vmcfg_diag *g = NULL;
		note_oom(c, vmcfg_diag_add(c->d, VMCFG_R_BEYOND_PA, check_loc(p->file, b->span), &g,
					   "host RAM bank %s lies beyond the %u-bit physical address "
					   "space the stage-2 tables of %s can map",
					   vmcfg_check_fmt_range(r, b->base, last), bits,
					   vmcfg_arch_name(arch)));
		if (g)
			note_oom(c, vmcfg_diag_hint(c->d, g, "host addresses must be below %s",
						    vmcfg_fmt_hex(a, UINT64_C(1) << bits)));
	}
	/* The IPA width must be one the arch's stage-2 tables take (vmcfg_vm_create refuses others). */
	const struct vmcfg_pt_format *fmt =
		p->ipa_bits ? vmcfg_pt_format_get(vmcfg_arch_pt_kind(arch, p->ipa_bits)) : NULL;
	if (fmt && !c->err && (p->ipa_bits < fmt->min_ipa_bits || p->ipa_bits > fmt->max_ipa_bits)) {
		const struct vmcfg_pt_format *lo = vmcfg_pt_format_get(vmcfg_arch_pt_kind(arch, 12));
		const struct vmcfg_pt_format *hi = vmcfg_pt_format_get(vmcfg_arch_pt_kind(arch, 64));
		note_oom(c, vmcfg_diag_add(c->d, VMCFG_R_OUT_OF_RANGE, check_loc(p->file, p->ipa_bits_span), NULL,
					   "platform.ipa_bits = %u: the stage-2 tables of %s take IPA widths "
					   "%u to %u and %u to %u", (unsigned)p->ipa_bits,
					   vmcfg_arch_name(arch), lo->min_ipa_bits, lo->max_ipa_bits,
					   hi->min_ipa_bits, hi->max_ipa_bits));
	}
}

/* The platform's RAM banks sorted and merged where they touch or overlap. */
static void merge_banks(struct sys_check *c)
{
	const struct vmcfg_platform *p = c->platform;
	struct check_range *b = range_room(c, &c->banks, p->ram_count);
	if (!b)
		return;
	size_t n = vmcfg_check_platform_ram(p, b), m = 0;
	vmcfg_check_sort_in(c->mem, b, n, sizeof *b, vmcfg_check_cmp_range);
	for (size_t i = 0; i < n; i++) {
		if (m && (b[m - 1].last == UINT64_MAX || b[i].first <= b[m - 1].last + 1)) {
			if (b[i].last > b[m - 1].last)
				b[m - 1].last = b[i].last;
		} else {
			b[m++] = b[i];
		}
	}
	c->banks.count = m;
}

/* True when [r->first, r->last] lies in one of the merged banks (binary search). */
static bool in_host_ram(const struct sys_check *c, const struct check_range *r)
{
	const struct check_range *banks = c->banks.v;
	size_t lo = 0, hi = c->banks.count; /* first bank starting after r->first */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (banks[mid].first <= r->first)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && r->last <= banks[lo - 1].last;
}

/*
 * Identity and reserved RAM is host memory at the same address: it must
 * be host RAM. Those of the VM's RAM ranges v that are not wait in
 * c->outside, to be reported after the overlaps as before the walk
 * gathered them.
 */
static void note_outside_host_ram(struct sys_check *c, const struct check_range *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (in_host_ram(c, &v[i]))
			continue;
		struct check_range *o = range_room(c, &c->outside, 1);
		if (!o)
			return;
		*o = v[i];
		c->outside.count++;
	}
}

static void report_outside_host_ram(struct sys_check *c)
{
	const struct check_range *banks = c->banks.v;
	size_t nb = c->banks.count;
	for (size_t i = 0; i < c->outside.count && !c->err; i++) {
		struct check_decl r = host_decl(c, &c->outside.v[i]);
		char what[CHECK_DESCR_BUF], text[CHECK_DESCR_BUF * 2];
		struct vmcfg_diag *g = NULL;
		note_oom(c, vmcfg_diag_add(c->d, VMCFG_R_OUTSIDE_HOST_RAM, r.loc, &g,
					   "%s is %s but not inside the host's RAM",
					   vmcfg_check_describe(what, &r),
					   r.map_type == VMCFG_MAP_RESERVED ? "reserved" : "identity-mapped"));
		size_t len = vmcfg_snprintf(text, sizeof text, "host RAM:");
		for (size_t k = 0; k < nb && k < 4 && len < sizeof text; k++)
			len += vmcfg_snprintf(text + len, sizeof text - len, "%s %s", k ? "," : "",
					      vmcfg_check_fmt_range(what, banks[k].first, banks[k].last));
		hint(c, g, nb ? text : "the platform declares no RAM (platform.ram)");
	}
}

/*
 * VM vm's host ranges into the system sweep, owned by the VM; its RAM
 * ranges (listed first) checked against host RAM while at hand.
 */
static void gather_host_ranges(struct sys_check *c, size_t vm)
{
	const struct vmcfg_vm_spec *s = c->specs[vm];
	struct check_range *v = range_room(c, &c->host, vmcfg_check_collect_max(s));
	if (!v)
		return;
	size_t k = vmcfg_check_collect(s, CHECK_HOST, VMCFG_ARCH_UNKNOWN, v);
	for (size_t i = 0; i < k; i++)
		v[i].owner = (uint32_t)vm;
	c->host.count += k;
	if (c->platform)
		note_outside_host_ram(c, v, vmcfg_check_collect(s, CHECK_HOST_RAM, VMCFG_ARCH_UNKNOWN, NULL));
}

/*
 * All host ranges of all VMs plus the platform's hypervisor memory and
 * reserved frames, in one sweep.
 */
static void check_host_overlaps(struct sys_check *c)
{
	const struct vmcfg_platform *p = c->platform;
	if (p) {
		struct check_range *v =
			range_room(c, &c->host, p->hv_memory_count + p->reserved_count);
		if (!v)
			return;
		size_t k = vmcfg_check_platform_ranges(p, v);
		for (size_t i = 0; i < k; i++)
			v[i].owner = CHECK_PLATFORM;
		c->host.count += k;
	}
	note_oom(c, vmcfg_check_sweep(c->mem, c->host.v, c->host.count, report_host_overlap, c));
}

/* --- physical CPUs and SPIs --- */

/*
 * For runs of one key sorted by (key, VM, …): reports the first entry of
 * each further VM against the run's first, through rule.
 */
struct claim_report {
	struct sys_check *c;
	enum vmcfg_rule rule;
	const char *what; /* "physical CPU", "SPI" */
	struct vmcfg_loc (*where)(const struct vmcfg_vm_spec *s, size_t aux);
};

static int report_claimed_twice(void *ctx, const void *first, const void *prev, const void *elem)
{
	struct claim_report *r = ctx;
	struct sys_check *c = r->c;
	const struct check_keyed *a = first, *p = prev, *b = elem;
	if (b->index == p->index)
		return 0; /* the same VM again: a per-VM rule's business */
	const struct vmcfg_vm_spec *x = c->specs[a->index], *y = c->specs[b->index];
	struct vmcfg_diag *g = NULL;
	note_oom(c, vmcfg_diag_add(c->d, r->rule, r->where(y, b->aux), &g,
				   "%s %llu is claimed by VM `%s` and VM `%s`", r->what,
				   (unsigned long long)b->key, vm_label(x), vm_label(y)));
	relate(c, g, r->where(x, a->aux), "first claimed here");
	return c->err;
}

/* Sorts the keys of l and reports keys claimed by two VMs. */
static void report_claims(struct keyed_list *l, struct claim_report *r)
{
	vmcfg_check_sort_in(r->c->mem, l->v, l->count, sizeof *l->v, vmcfg_check_cmp_keyed);
	vmcfg_check_each_duplicate(l->v, l->count, sizeof *l->v, vmcfg_check_same_key, report_claimed_twice, r);
}

/* Room for more keys at the end of l; false with c->err set when there is none. */
static bool key_room(struct sys_check *c, struct keyed_list *l, size_t more)
{
	void *grown = check_grow(c->mem, l->v, &l->cap, l->count + more, sizeof *l->v);
	if (!grown) {
		c->err = VMCFG_ENOMEM;
		return false;
	}
	l->v = grown;
	return true;
}

static struct vmcfg_loc pin_loc(const struct vmcfg_vm_spec *s, size_t vcpu)
{
	return check_loc(s->file, s->base.phys_cpu_sets.items[vcpu].span);
}

/* A vCPU whose mask has one bit owns that pCPU: no other VM may pin it. */
static void gather_pins(struct sys_check *c, size_t vm)
{
	const struct vmcfg_spec_u64_list *sets = &c->specs[vm]->base.phys_cpu_sets;
	if (!key_room(c, &c->pins, sets->count))
		return;
	for (size_t v = 0; v < sets->count; v++) {
		int pcpu = sets->items[v].set ? vmcfg_check_pinned_pcpu(sets->items[v].v) : -1;
		if (pcpu >= 0)
			c->pins.v[c->pins.count++] = (struct check_keyed){ (uint64_t)pcpu, vm, v };
	}
}

/* SPIs come without spans: point at the VM's passthrough devices. */
static struct vmcfg_loc spi_loc(const struct vmcfg_vm_spec *s, size_t unused)
{
	(void)unused;
	return check_loc(s->file, s->devices.pt_span.line ? s->devices.pt_span : s->devices.span);
}

/* The SPIs the caller knows for the VM (the host device tree routes them). */
static void gather_spis(struct sys_check *c, size_t vm)
{
	const struct vmcfg_check_opts *o = c->opts;
	const struct vmcfg_vm_spec *s = c->specs[vm];
	const uint32_t *spis;
	size_t count;
	/* In passthrough mode on aarch64 an explicit device's irq_id SPI is the VM's too (lib/vm). */
	if (s->devices.irq_mode == VMCFG_IRQ_PASSTHROUGH &&
	    vmcfg_check_build_arch(c->opts, c->platform) == VMCFG_ARCH_AARCH64 &&
	    key_room(c, &c->spis, s->devices.pt_count))
		for (size_t i = 0; i < s->devices.pt_count; i++) {
			const struct vmcfg_spec_pt_device *d = &s->devices.pt[i];
			if (!d->is_dt_path && d->irq_id.set && vmcfg_irq_id_is_spi(d->irq_id.v))
				c->spis.v[c->spis.count++] =
					(struct check_keyed){ d->irq_id.v - 32, vm, 0 };
		}
	if (!o || !o->vm_spis || !o->vm_spis(o->ud, s, &spis, &count))
		return;
	if (!key_room(c, &c->spis, count))
		return;
	for (size_t k = 0; k < count; k++)
		c->spis.v[c->spis.count++] = (struct check_keyed){ spis[k], vm, 0 };
}

/* --- IVC channels --- */

static int report_dup_ivc_key(void *ctx, const void *first, const void *prev, const void *elem)
{
	struct sys_check *c = ctx;
	const struct vmcfg_ivc_channel *a = &c->sys->ivc[((const struct check_keyed *)first)->index];
	const struct vmcfg_ivc_channel *b = &c->sys->ivc[((const struct check_keyed *)elem)->index];
	struct vmcfg_diag *g = NULL;
	(void)prev;
	note_oom(c, vmcfg_diag_add(c->d, VMCFG_R_IVC_DUP_KEY, check_loc(c->sys->file, b->key.span),
				   &g, "IVC key %llu is declared twice", (unsigned long long)b->key.v));
	relate(c, g, check_loc(c->sys->file, a->key.span), "first declared here");
	return c->err;
}

/* The VM named name (binary search over the sorted names), or SIZE_MAX. */
static size_t find_vm(const struct sys_check *c, const struct vmcfg_spec_str *name)
{
	const struct named_vm key = named_vm(name, 0);
	size_t lo = 0, hi = c->named;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = same_vm_name(&c->by_name[mid], &key);
		if (r == 0)
			return c->by_name[mid].index;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return SIZE_MAX;
}

/* Space a channel takes in a VM's IVC window: whole pages (saturating). */
static uint64_t channel_pages(uint64_t size)
{
	uint64_t up;
	return vmcfg_add_u64(size, VMCFG_PAGE_SIZE - 1, &up) ? up & ~(uint64_t)(VMCFG_PAGE_SIZE - 1)
							      : UINT64_MAX;
}

/* A VM's part in the IVC channels. */
struct ivc_use {
	const struct vmcfg_spec_emu_device *window; /* looked up once: a VM may be in many channels */
	uint64_t used; /* what its channels take of the window */
	bool full;     /* reported: one finding per VM */
	/* Its static channels against the registry's quotas (VMCFG_IVC_DEFAULT_MAX_*). */
	uint32_t published, subscribed;
	uint64_t published_bytes;
	bool over_quota; /* reported: one finding per VM */
};

/*
 * The hypervisor publishes and subscribes static channels at boot under
 * the registry's default quotas; one beyond them is not set up.
 */
static void check_static_quota(struct sys_check *c, const struct vmcfg_ivc_channel *ch,
			       const struct vmcfg_spec_str *name, struct ivc_use *u)
{
	char a[VMCFG_FMT_BUF];
	struct vmcfg_diag *g = NULL;
	bool publisher = name == &ch->publisher;
	uint64_t size = channel_pages(ch->size.v);
	const char *why = NULL;
	if (!ch->is_static || u->over_quota)
		return;
	if (publisher) {
		u->published++;
		if (!vmcfg_add_u64(u->published_bytes, size, &u->published_bytes))
			u->published_bytes = UINT64_MAX;
		if (ch->size.v > VMCFG_IVC_DEFAULT_MAX_CHANNEL_SIZE)
			why = "a channel takes at most 16 MiB";
		else if (u->published > VMCFG_IVC_DEFAULT_MAX_PUBLISHED)
			why = "it publishes more than 16 static channels";
		else if (u->published_bytes > VMCFG_IVC_DEFAULT_MAX_BYTES)
			why = "its static channels take more than 64 MiB";
	} else if (++u->subscribed > VMCFG_IVC_DEFAULT_MAX_SUBSCRIBED) {
		why = "it subscribes to more than 16 static channels";
	}
	if (!why)
		return;
	u->over_quota = true;
	note_oom(c, vmcfg_diag_add(c->d, VMCFG_R_IVC_QUOTA, check_loc(c->sys->file, name->span), &g,
				   "static IVC channel %llu (%s) of VM `%s` is not set up: %s",
				   (unsigned long long)ch->key.v, vmcfg_fmt_size(a, size), name->s, why));
	hint(c, g, "make some channels non-static (the guests publish them), or fewer");
}

/*
 * One participant of a channel (publisher or subscriber): the VM must
 * exist and its IVC window must hold every channel it takes part in.
 */
static void check_participant(struct sys_check *c, const struct vmcfg_ivc_channel *ch,
			      const struct vmcfg_spec_str *name, struct ivc_use *uses)
{
	const char *file = c->sys->file;
	struct vmcfg_diag *g = NULL;
	char a[VMCFG_FMT_BUF], b[VMCFG_FMT_BUF];
	if (!name->set || !ch->size.set)
		return;
	size_t vm = find_vm(c, name);
	if (vm == SIZE_MAX) {
		const char *names[16];
		size_t n = c->named < 16 ? c->named : 16;
		for (size_t i = 0; i < n; i++)
			names[i] = c->by_name[i].s;
		const char *near = vmcfg_nearest_name(name->s, name->len, names, n);
		note_oom(c, vmcfg_diag_add(c->d, VMCFG_R_IVC_UNKNOWN_VM, check_loc(file, name->span), &g,
					   "IVC channel %llu names VM `%s`, which is not in the system",
					   (unsigned long long)ch->key.v, name->s));
		if (g && near) {
			char quoted[72];
			note_oom(c, vmcfg_diag_hint(c->d, g, "did you mean `%s`?", near));
			/* A fix only when near fits and the name was written as a plain "string". */
			if (strlen(near) < sizeof quoted - 2 && name->span.length == name->len + 2) {
				vmcfg_snprintf(quoted, sizeof quoted, "\"%s\"", near);
				note_oom(c, vmcfg_diag_fix(c->d, g, name->span, quoted));
			}
		}
		return;
	}
	struct ivc_use *u = &uses[vm];
	const struct vmcfg_vm_spec *s = c->specs[vm];
	check_static_quota(c, ch, name, u);
	if (u->full)
		return;
	if (!u->window) /* the VM's first channel; without a window it ends up full */
		u->window = vmcfg_check_ivc_window(s);
	const struct vmcfg_spec_emu_device *w = u->window;
	if (!w || !w->length.set) {
		u->full = true;
		note_oom(c, vmcfg_diag_add(c->d, VMCFG_R_IVC_WINDOW, check_loc(file, name->span), &g,
					   "VM `%s` takes part in IVC channel %llu but has no IVC window",
					   name->s, (unsigned long long)ch->key.v));
		hint(c, g, "add an emu_devices entry of type 0x0A (IVCChannel) to the VM");
		return;
	}
	uint64_t need = channel_pages(ch->size.v);
	if (!vmcfg_add_u64(u->used, need, &u->used) || u->used > w->length.v) {
		u->full = true;
		note_oom(c, vmcfg_diag_add(c->d, VMCFG_R_IVC_WINDOW, check_loc(file, name->span), &g,
					   "IVC channel %llu does not fit VM `%s`'s IVC window: its channels need %s, the window holds %s",
					   (unsigned long long)ch->key.v, name->s,
					   vmcfg_fmt_size(a, u->used < need ? UINT64_MAX : u->used),
					   vmcfg_fmt_size(b, w->length.v)));
		relate(c, g, check_loc(s->file, w->length.span), "IVC window size given here");
	}
}

/*
 * The number of the first `ivc=` word of a kernel command line (0x… or
 * decimal, as Linux's kstrtoull reads it): a static channel's address
 * written by hand, which `vmcfg dtb --system` now puts in the guest DT.
 * False when there is none, or it is no number.
 */
static bool cmdline_ivc(const struct vmcfg_spec_str *cmdline, uint64_t *value)
{
	const char *s = cmdline->s, *end = s + cmdline->len;
	while (s < end) {
		while (s < end && *s == ' ')
			s++;
		const char *word = s;
		while (s < end && *s != ' ')
			s++;
		if (s - word < 5 || memcmp(word, "ivc=", 4))
			continue;
		const char *d = word + 4;
		unsigned base = s - d > 2 && d[0] == '0' && (d[1] == 'x' || d[1] == 'X') ? 16 : 10;
		uint64_t v = 0;
		if (base == 16)
			d += 2;
		for (; d < s; d++) {
			unsigned digit = *d >= '0' && *d <= '9'   ? (unsigned)(*d - '0')
					 : *d >= 'a' && *d <= 'f' ? (unsigned)(*d - 'a' + 10)
					 : *d >= 'A' && *d <= 'F' ? (unsigned)(*d - 'A' + 10)
								  : 16;
			if (digit >= base || v > (UINT64_MAX - digit) / base)
				return false;
			v = v * base + digit;
		}
		*value = v;
		return true;
	}
	return false;
}

/*
 * A VM whose command line says ivc=ADDR where the system maps none of its
 * static channels (vmcfg_ivc_static_layout, the hypervisor's placement
 * rule): the guest would read the wrong memory. Skipped when the channels do not fit the
 * window (E0311 says so).
 */
static void check_cmdline_ivc(struct sys_check *c, size_t vm)
{
	const struct vmcfg_vm_spec *s = c->specs[vm];
	uint64_t addr;
	if (!s || !s->base.name.set || !s->kernel.cmdline.set || !cmdline_ivc(&s->kernel.cmdline, &addr))
		return;
	const struct vmcfg_spec_emu_device *w = vmcfg_check_ivc_window(s);
	uint64_t gpa = w && w->base_gpa.set ? w->base_gpa.v : 0;
	uint64_t size = w && w->length.set ? w->length.v : 0;
	struct vmcfg_ivc_placement p, first = { 0 };
	bool any = false;
	for (size_t i = 0; i < c->sys->ivc_count; i++) {
		int err = vmcfg_ivc_static_find(c->sys, s->base.name.s, gpa, size, i, &p);
		if (err == VMCFG_ENOENT)
			continue;
		if (err)
			return;
		if (p.gpa == addr)
			return;
		if (!any)
			first = p;
		any = true;
	}
	struct vmcfg_diag *g = NULL;
	char a[VMCFG_FMT_BUF], b[VMCFG_FMT_BUF];
	if (any)
		note_oom(c, vmcfg_diag_add(c->d, VMCFG_R_IVC_CMDLINE,
					   check_loc(s->file, s->kernel.cmdline.span), &g,
					   "`ivc=` of VM `%s`'s command line says %s, where the system maps none of its static IVC channels: channel %llu of `%s` is at %s",
					   s->base.name.s, vmcfg_fmt_hex(a, addr),
					   (unsigned long long)first.key, first.publisher,
					   vmcfg_fmt_hex(b, first.gpa)));
	else
		note_oom(c, vmcfg_diag_add(c->d, VMCFG_R_IVC_CMDLINE,
					   check_loc(s->file, s->kernel.cmdline.span), &g,
					   "`ivc=` of VM `%s`'s command line says %s, but the system maps no static IVC channel into it",
					   s->base.name.s, vmcfg_fmt_hex(a, addr)));
	if (any)
		relate(c, g, check_loc(c->sys->file, c->sys->ivc[first.decl].span),
		       "channel declared here");
	hint(c, g, "drop `ivc=`: `vmcfg dtb --system` describes each static channel in the guest DT (/reserved-memory, docs/device-tree.md)");
}

static void check_ivc(struct sys_check *c)
{
	const struct vmcfg_system *sys = c->sys;
	struct check_keyed *keys = check_alloc_in(c->mem, sys->ivc_count, sizeof *keys);
	struct ivc_use *uses = check_alloc_in(c->mem, c->n, sizeof *uses);
	if (keys && uses) {
		size_t k = 0;
		memset(uses, 0, (c->n ? c->n : 1) * sizeof *uses);
		for (size_t i = 0; i < sys->ivc_count; i++) {
			const struct vmcfg_ivc_channel *ch = &sys->ivc[i];
			if (ch->key.set)
				keys[k++] = (struct check_keyed){ ch->key.v, i, 0 };
			check_participant(c, ch, &ch->publisher, uses);
			for (size_t s = 0; s < ch->subscriber_count; s++)
				check_participant(c, ch, &ch->subscribers[s].vm, uses);
		}
		vmcfg_check_sort_in(c->mem, keys, k, sizeof *keys, vmcfg_check_cmp_keyed);
		vmcfg_check_each_duplicate(keys, k, sizeof *keys, vmcfg_check_same_key, report_dup_ivc_key, c);
		for (size_t vm = 0; vm < c->n && !c->err; vm++)
			check_cmdline_ivc(c, vm);
	} else {
		c->err = VMCFG_ENOMEM;
	}
	check_free_in(c->mem, keys, sys->ivc_count, sizeof *keys);
	check_free_in(c->mem, uses, c->n, sizeof *uses);
}

/*
 * What the hypervisor holds (VMCFG_HV_MAX_VMS VMs, VMCFG_HV_MAX_VM_VCPUS
 * vCPUs each): limits of the system it boots, so only with a system file.
 */
static void check_hv_limits(struct sys_check *c)
{
	size_t loaded = 0;
	for (size_t i = 0; i < c->sys->vm_count && !c->err; i++) {
		if (!c->sys->vms[i].set || ++loaded != VMCFG_HV_MAX_VMS + 1)
			continue;
		struct vmcfg_diag *g = NULL;
		note_oom(c, vmcfg_diag_add(c->d, VMCFG_R_HV_LIMIT, check_loc(c->sys->file, c->sys->vms[i].span),
					   &g, "VM file %zu of %zu: the hypervisor runs at most %d VMs",
					   loaded, c->sys->vm_count, VMCFG_HV_MAX_VMS));
		hint(c, g, "split the system, or drop VMs from `vms`");
	}
	for (size_t i = 0; i < c->n && !c->err; i++) {
		const struct vmcfg_vm_spec *s = c->specs[i];
		if (!s || !s->base.cpu_num.set || s->base.cpu_num.v <= VMCFG_HV_MAX_VM_VCPUS)
			continue;
		struct vmcfg_diag *g = NULL;
		note_oom(c, vmcfg_diag_add(c->d, VMCFG_R_HV_LIMIT, check_loc(s->file, s->base.cpu_num.span),
					   &g, "VM `%s` has %llu vCPUs: the hypervisor runs at most %d per VM",
					   vm_label(s), (unsigned long long)s->base.cpu_num.v,
					   VMCFG_HV_MAX_VM_VCPUS));
	}
}

/* A VM's mappings fit on the stack up to this many; more take the allocator. */
#define SMALL_MAPS 16

/* One stage-2 mapping of a VM, for counting its tables. */
struct s2_map {
	uint64_t gpa, size, hpa;
	bool any_pa; /* allocated: frames at any (aligned) address */
};

static int cmp_s2_map(const void *a, const void *b)
{
	const struct s2_map *x = a, *y = b;
	return x->gpa < y->gpa ? -1 : x->gpa > y->gpa;
}

/* Adds [gpa, gpa + len) page-rounded, linear to hpa (rounded alike) or allocated; skips bad ones. */
static void add_s2_map(struct s2_map *m, size_t *n, uint64_t gpa, uint64_t len, uint64_t hpa,
		       bool any_pa)
{
	uint64_t end, hend;
	if (!len || !vmcfg_add_u64(gpa, len, &end) || end > UINT64_MAX - VMCFG_PAGE_SIZE ||
	    !vmcfg_add_u64(hpa, len, &hend))
		return;
	uint64_t lo = gpa & ~(uint64_t)(VMCFG_PAGE_SIZE - 1);
	end = (end + VMCFG_PAGE_SIZE - 1) & ~(uint64_t)(VMCFG_PAGE_SIZE - 1);
	m[(*n)++] = (struct s2_map){ lo, end - lo, hpa & ~(uint64_t)(VMCFG_PAGE_SIZE - 1), any_pa };
}

/*
 * The stage-2 table pages vmcfg_vm_create builds for VM s — its RAM
 * regions, passthrough windows and addresses — counted by lib/mm's
 * vmcfg_pt_count in the format, width and VMCFG_ASPACE_* options the VM
 * is built with. 0 when the VM's ranges do not build (other rules say why).
 */
static uint64_t vm_table_pages(struct sys_check *c, const struct vmcfg_vm_spec *s)
{
	enum vmcfg_arch arch = vmcfg_check_build_arch(c->opts, c->platform);
	unsigned bits = c->platform && c->platform->ipa_bits ? c->platform->ipa_bits
							      : vmcfg_arch_default_ipa_bits(arch);
	struct vmcfg_pt_count count;
	if (vmcfg_pt_count_init(&count, vmcfg_pt_format_get(vmcfg_arch_pt_kind(arch, bits)), bits,
				c->opts ? c->opts->aspace_options : 0))
		return 0;
	size_t cap = s->kernel.region_count + s->devices.pt_count + s->devices.pt_address_count, n = 0;
	struct s2_map small[SMALL_MAPS];
	struct s2_map *m = check_scratch(c->d, small, SMALL_MAPS, cap, sizeof *m);
	if (!m) {
		c->err = VMCFG_ENOMEM;
		return 0;
	}
	for (size_t i = 0; i < s->kernel.region_count; i++) {
		const struct vmcfg_spec_region *r = &s->kernel.regions[i];
		uint64_t mt = r->map_type.set ? r->map_type.v : VMCFG_MAP_ALLOC;
		if (r->gpa.set && r->size.set && !(r->flags.set && (r->flags.v & VMCFG_MEM_DEVICE)))
			add_s2_map(m, &n, r->gpa.v, r->size.v, r->gpa.v, mt == VMCFG_MAP_ALLOC);
	}
	for (size_t i = 0; i < s->devices.pt_count; i++) {
		const struct vmcfg_spec_pt_device *p = &s->devices.pt[i];
		if (!p->is_dt_path && p->base_gpa.set && p->base_hpa.set && p->length.set)
			add_s2_map(m, &n, p->base_gpa.v, p->length.v, p->base_hpa.v, false);
	}
	for (size_t i = 0; i < s->devices.pt_address_count; i++) {
		const struct vmcfg_spec_pt_address *a = &s->devices.pt_addresses[i];
		if (a->gpa.set && a->length.set)
			add_s2_map(m, &n, a->gpa.v, a->length.v, a->gpa.v, false);
	}
	vmcfg_check_sort(c->d, m, n, sizeof *m, cmp_s2_map);
	bool ok = true;
	for (size_t i = 0; i < n && ok; i++)
		ok = !vmcfg_pt_count_add(&count, m[i].gpa, m[i].size, m[i].any_pa, m[i].hpa);
	check_scratch_free(c->d, m, small, cap, sizeof *m);
	return ok ? count.pages : 0;
}

/*
 * The host RAM the VMs take — allocated (MapAlloc) regions and identity
 * regions inside host RAM, page-rounded, and each VM's stage-2 tables
 * (vm_table_pages, counted with its first region) — plus the hypervisor's
 * own memory, against the platform's RAM. Reported at the region that
 * passes the total.
 */
static void check_host_ram_total(struct sys_check *c)
{
	const struct vmcfg_platform *p = c->platform;
	uint64_t total = 0, need = 0;
	char a[VMCFG_FMT_BUF], b[VMCFG_FMT_BUF];
	for (size_t i = 0; i < c->banks.count; i++) {
		uint64_t size = c->banks.v[i].last - c->banks.v[i].first + 1;
		total = size && total <= UINT64_MAX - size ? total + size : UINT64_MAX;
	}
	if (!total)
		return;
	for (size_t i = 0; i < p->hv_memory_count; i++) {
		struct check_range hv = { p->hv_memory[i].base, 0, 0, 0 };
		uint64_t size = p->hv_memory[i].size;
		if (size && vmcfg_add_u64(hv.first, size - 1, &hv.last) && in_host_ram(c, &hv) &&
		    need <= UINT64_MAX - size)
			need += size; /* the hypervisor's memory in host RAM is not the VMs' */
	}
	for (size_t i = 0; i < c->n && !c->err; i++) {
		const struct vmcfg_vm_spec *s = c->specs[i];
		/* The tables are the VM's too: they count with its first region. */
		uint64_t tables = s ? vm_table_pages(c, s) * VMCFG_PAGE_SIZE : 0;
		for (size_t k = 0; s && k < s->kernel.region_count; k++) {
			const struct vmcfg_spec_region *r = &s->kernel.regions[k];
			uint64_t mt = r->map_type.set ? r->map_type.v : VMCFG_MAP_ALLOC, size;
			if (!r->size.set || (r->flags.set && (r->flags.v & VMCFG_MEM_DEVICE)) ||
			    (mt != VMCFG_MAP_ALLOC && mt != VMCFG_MAP_IDENTICAL) ||
			    !vmcfg_add_u64(r->size.v, VMCFG_PAGE_SIZE - 1, &size))
				continue;
			size &= ~(uint64_t)(VMCFG_PAGE_SIZE - 1);
			/* Identity RAM outside host RAM is mapped, not taken from it (E0307 says so). */
			struct check_range at = { r->gpa.set ? r->gpa.v : 0, 0, 0, 0 };
			if (mt == VMCFG_MAP_IDENTICAL &&
			    (!r->gpa.set || !size || !vmcfg_add_u64(at.first, size - 1, &at.last) ||
			     !in_host_ram(c, &at)))
				continue;
			size = size <= UINT64_MAX - tables ? size + tables : UINT64_MAX;
			tables = 0;
			if (need <= total && size <= total - need) {
				need += size;
				continue;
			}
			struct vmcfg_diag *g = NULL;
			note_oom(c, vmcfg_diag_add(c->d, VMCFG_R_HOST_RAM_EXCEEDED,
						   check_loc(s->file, r->size.span), &g,
						   "with this region of VM `%s` (and its stage-2 tables) the VMs and "
						   "the hypervisor need more than the host's %s of RAM (%s before it)",
						   vm_label(s), vmcfg_fmt_size(a, total), vmcfg_fmt_size(b, need)));
			hint(c, g, "shrink the VMs' memory, or run fewer VMs");
			return;
		}
	}
}

/* Device-tree-path passthrough entries of the VMs (["/"]): only a host DT resolves them. */
static size_t count_dt_paths(const struct sys_check *c)
{
	size_t n = 0;
	for (size_t i = 0; i < c->n; i++)
		for (size_t k = 0; c->specs[i] && k < c->specs[i]->devices.pt_count; k++)
			n += c->specs[i]->devices.pt[k].is_dt_path;
	return n;
}

/* One note for every rule a missing platform turns off. */
static void note_platform_skipped(struct sys_check *c)
{
	char dt[200] = "";
	size_t paths = count_dt_paths(c);
	if (paths)
		vmcfg_snprintf(dt, sizeof dt, "; %zu device-tree-path passthrough entr%s not resolved "
			       "(E0306, E0402, W0224 not checked for %s): `vmcfg build` builds the VMs "
			       "without %s", paths, paths == 1 ? "y was" : "ies were",
			       paths == 1 ? "it" : "them", paths == 1 ? "it" : "them");
	note_oom(c, vmcfg_diag_add(c->d, VMCFG_R_PLATFORM_SKIPPED,
				   check_loc(c->sys ? c->sys->file : NULL, (struct vmcfg_span){ 0, 0, 0, 0 }),
				   NULL,
				   "no platform given: skipped E0221 (CPU masks), E0225 (CPU ids), "
				   "E0305 (hypervisor memory), E0306 (reserved frames), E0307 and E0315 "
				   "(host RAM); E0208 and E0228 used the default %s address widths%s%s",
				   vmcfg_arch_name(vmcfg_check_build_arch(c->opts, NULL)), dt,
				   c->sys ? ""
					  : "; without a system file, the IVC rules (E0310-E0312, W0314) and "
					    "the hypervisor's limits (E0316) need --system"));
}

/*
 * The walk meets each spec once, and at thousands of VMs the specs are not
 * in the cache: left to the rules, each of a spec's 40-odd cache lines
 * would be a wait on memory in turn. So the walk asks for them while it
 * checks the VMs before: the spec itself two VMs ahead, the lists it
 * points to one VM ahead (its pointers have arrived by then). Only a
 * list's first PREFETCH_LIST bytes: the hardware follows a long list on
 * its own.
 */
#define CACHE_LINE 64
#define PREFETCH_LIST 2048

/*
 * Always inlined: GCC deems a function that only prefetches free of side
 * effects and drops the calls to it.
 */
#define PREFETCH_FN static inline __attribute__((always_inline)) void

PREFETCH_FN prefetch(const void *p, size_t count, size_t size)
{
	size_t bytes = count < PREFETCH_LIST / size ? count * size : PREFETCH_LIST;
	for (size_t at = 0; at < bytes; at += CACHE_LINE)
		__builtin_prefetch((const char *)p + at);
}

/* The lists vmcfg_check_vm reads. */
PREFETCH_FN prefetch_lists(const struct vmcfg_vm_spec *s)
{
	prefetch(s->base.phys_cpu_ids.items, s->base.phys_cpu_ids.count, sizeof(struct vmcfg_spec_u64));
	prefetch(s->base.phys_cpu_sets.items, s->base.phys_cpu_sets.count, sizeof(struct vmcfg_spec_u64));
	prefetch(s->kernel.regions, s->kernel.region_count, sizeof *s->kernel.regions);
	prefetch(s->devices.emu, s->devices.emu_count, sizeof *s->devices.emu);
	prefetch(s->devices.pt, s->devices.pt_count, sizeof *s->devices.pt);
	prefetch(s->devices.pt_addresses, s->devices.pt_address_count,
		 sizeof *s->devices.pt_addresses);
}

PREFETCH_FN prefetch_ahead(const struct sys_check *c, size_t vm)
{
	if (vm + 2 < c->n && c->specs[vm + 2])
		prefetch(c->specs[vm + 2], 1, sizeof *c->specs[vm + 2]);
	if (vm + 1 < c->n && c->specs[vm + 1])
		prefetch_lists(c->specs[vm + 1]);
}

/*
 * What the system rules need of VM vm, gathered while its spec is in the
 * cache: id, name, host ranges (RAM checked against host RAM here),
 * pinned pCPUs and SPIs.
 */
static void gather(struct sys_check *c, size_t vm)
{
	const struct vmcfg_vm_spec *s = c->specs[vm];
	if (s->base.id.set && key_room(c, &c->ids, 1))
		c->ids.v[c->ids.count++] = (struct check_keyed){ s->base.id.v, vm, 0 };
	if (s->base.name.set)
		c->by_name[c->named++] = named_vm(&s->base.name, vm);
	if (!c->err)
		gather_host_ranges(c, vm);
	if (!c->err)
		gather_pins(c, vm);
	if (!c->err)
		gather_spis(c, vm);
}

static void free_keys(struct sys_check *c, struct keyed_list *l)
{
	check_free_in(c->mem, l->v, l->cap, sizeof *l->v);
}

static void free_ranges(struct sys_check *c, struct range_list *l)
{
	check_free_in(c->mem, l->v, l->cap, sizeof *l->v);
}

int vmcfg_check_system_scratch(const struct vmcfg_system *sys, const struct vmcfg_platform *platform,
			       const struct vmcfg_vm_spec *const *specs, size_t n,
			       const struct vmcfg_check_opts *opts, struct vmcfg_check_scratch *scratch,
			       struct vmcfg_diags *diags)
{
	if (!diags || (n && !specs))
		return VMCFG_EINVAL;
	if (n >= CHECK_MAX_COUNT) /* VM indices stay below CHECK_PLATFORM */
		return VMCFG_ENOMEM;
	struct vmcfg_allocator kept = { vmcfg_check_scratch_fn, scratch };
	struct sys_check c = { .sys = sys, .platform = platform, .specs = specs, .n = n,
			       .opts = opts, .d = diags, .mem = scratch ? &kept : &diags->alloc };
	c.by_name = check_alloc_in(c.mem, n, sizeof *c.by_name);
	if (!c.by_name)
		c.err = VMCFG_ENOMEM;
	if (platform && !c.err)
		check_banks_pa(&c);
	if (platform && !c.err)
		merge_banks(&c);
	for (size_t i = 0; i < n && !c.err; i++) {
		prefetch_ahead(&c, i);
		if (!specs[i])
			continue;
		c.err = vmcfg_check_vm(specs[i], platform, opts, diags);
		if (!c.err)
			gather(&c, i);
	}
	if (!platform && !c.err)
		note_platform_skipped(&c);
	if (!c.err)
		check_duplicate_ids(&c);
	if (!c.err)
		check_duplicate_names(&c);
	if (!c.err)
		check_host_overlaps(&c);
	if (!c.err)
		report_outside_host_ram(&c);
	if (!c.err)
		report_claims(&c.pins, &(struct claim_report){ &c, VMCFG_R_PCPU_TWO_VMS,
							       "physical CPU", pin_loc });
	if (!c.err)
		report_claims(&c.spis, &(struct claim_report){
			&c, VMCFG_R_SPI_TWO_VMS,
			vmcfg_arch_host_irq_name(vmcfg_check_build_arch(opts, platform)),
			spi_loc });
	if (!c.err && sys)
		check_ivc(&c);
	if (!c.err && sys)
		check_hv_limits(&c);
	if (!c.err && platform)
		check_host_ram_total(&c);
	free_keys(&c, &c.ids);
	free_keys(&c, &c.pins);
	free_keys(&c, &c.spis);
	check_free_in(c.mem, c.by_name, n, sizeof *c.by_name);
	free_ranges(&c, &c.host);
	free_ranges(&c, &c.banks);
	free_ranges(&c, &c.outside);
	for (size_t i = 0; c.host_decls && i < n; i++)
		if (c.host_decls[i])
			check_free_in(c.mem, c.host_decls[i], vmcfg_check_collect_max(specs[i]),
				      sizeof **c.host_decls);
	check_free_in(c.mem, c.host_decls, n, sizeof *c.host_decls);
	if (scratch)
		vmcfg_arena_reset(&scratch->arena);
	return c.err;
}

int vmcfg_check_system(const struct vmcfg_system *sys, const struct vmcfg_platform *platform,
		       const struct vmcfg_vm_spec *const *specs, size_t n,
		       const struct vmcfg_check_opts *opts, struct vmcfg_diags *diags)
{
	return vmcfg_check_system_scratch(sys, platform, specs, n, opts, NULL, diags);
}
