/* SPDX-License-Identifier: MIT */
/*
 * The address ranges a VM declares, seen from the guest or from the host,
 * and those of the platform: compact for the sweeps, in full for the
 * findings. And the one sweep that finds overlaps among any set of them:
 * sort by start, then walk once remembering the ranges that reach farthest.
 */
#include "internal.h"

/* The last byte of [base, base + size), or false when size is 0 or the range wraps. */
static bool range_last(uint64_t base, uint64_t size, uint64_t *last)
{
	return size != 0 && vmcfg_add_u64(base, size - 1, last);
}

/* An optional field of a passthrough entry: absent means 0 (CONFIG-SPEC). */
static uint64_t or_zero(const struct vmcfg_spec_u64 *v)
{
	return v->set ? v->v : 0;
}

/*
 * Where put() sends the ranges of one collection, numbered in order: the
 * compact ranges for a sweep, or one of them in full for a finding.
 */
struct sink {
	struct check_range *out;   /* NULL: count only */
	struct check_decl *detail; /* NULL: no detail wanted */
	size_t want;               /* the number of the range detail receives */
	size_t n;                  /* ranges so far */
	const char *file;          /* where the spans point */
	struct check_decl *all;    /* NULL, or every range in full, by number */
	enum vmcfg_arch arch;      /* which emulated devices are port I/O (CHECK_PORTS) */
};

/* Numbers [base, base + size) when valid (size not 0, no wrap) and hands it to s. */
static void put(struct sink *s, enum check_range_kind kind, uint64_t base, uint64_t size,
		uint64_t delta, uint64_t map_type, const char *name, struct vmcfg_span span)
{
	uint64_t last;
	if (!range_last(base, size, &last))
		return;
	if (s->out)
		s->out[s->n] = (struct check_range){ base, last, (uint32_t)s->n, (uint32_t)s->n };
	if (s->detail && s->n == s->want)
		*s->detail = (struct check_decl){ base, last, delta, kind, map_type, name, NULL,
						  check_loc(s->file, span) };
	if (s->all)
		s->all[s->n] = (struct check_decl){ base, last, delta, kind, map_type, name, NULL,
						    check_loc(s->file, span) };
	s->n++;
}

/* A memory region the decoder keeps (DEVICE regions are skipped with W0203). */
static bool region_is_ram(const struct vmcfg_spec_region *r)
{
	return r->gpa.set && r->size.set && !(r->flags.set && (r->flags.v & VMCFG_MEM_DEVICE));
}

/* Whether the region is host memory at its guest address (identity or reserved). */
static bool region_on_host(const struct vmcfg_spec_region *r)
{
	return r->map_type.set && r->map_type.v != VMCFG_MAP_ALLOC;
}

/* The passthrough windows both views share; host selects base_hpa over base_gpa. */
static void put_passthrough(struct sink *s, const struct vmcfg_vm_spec *spec, bool host)
{
	for (size_t i = 0; i < spec->devices.pt_count; i++) {
		const struct vmcfg_spec_pt_device *p = &spec->devices.pt[i];
		if (p->is_dt_path || !p->length.set)
			continue;
		uint64_t gpa = or_zero(&p->base_gpa), hpa = or_zero(&p->base_hpa);
		const struct vmcfg_spec_u64 *at = host ? &p->base_hpa : &p->base_gpa;
		put(s, CHECK_PT_WINDOW, host ? hpa : gpa, p->length.v, hpa - gpa, 0, p->name.s,
		    check_span_or(at, p->span));
	}
	for (size_t i = 0; i < spec->devices.pt_address_count; i++) {
		const struct vmcfg_spec_pt_address *a = &spec->devices.pt_addresses[i];
		if (a->gpa.set && a->length.set)
			put(s, CHECK_PT_ADDRESS, a->gpa.v, a->length.v, 0, 0, NULL,
			    check_span_or(&a->gpa, a->span));
	}
}

/* The one walk over a VM's declarations behind vmcfg_check_collect and vmcfg_check_collect_detail. */
static void collect(const struct vmcfg_vm_spec *spec, enum check_view view, struct sink *s)
{
	s->file = spec->file;
	for (size_t i = 0; view != CHECK_PORTS && i < spec->kernel.region_count; i++) {
		const struct vmcfg_spec_region *r = &spec->kernel.regions[i];
		if (region_is_ram(r) && (view == CHECK_GUEST || region_on_host(r)))
			put(s, CHECK_RAM, r->gpa.v, r->size.v, 0,
			    r->map_type.set ? r->map_type.v : VMCFG_MAP_ALLOC, NULL,
			    check_span_or(&r->gpa, r->span));
	}
	if (view == CHECK_HOST_RAM)
		return;
	if (view != CHECK_PORTS)
		put_passthrough(s, spec, view == CHECK_HOST);
	if (view != CHECK_GUEST && view != CHECK_PORTS)
		return;
	for (size_t i = 0; i < spec->devices.emu_count; i++) {
		const struct vmcfg_spec_emu_device *e = &spec->devices.emu[i];
		bool pio = e->emu_type.set &&
			   vmcfg_emu_device_is_pio(e->emu_type.v, e->cfg_list.count > 0,
						   e->cfg_list.count ? e->cfg_list.items[0].v : 0, s->arch);
		if (!e->base_gpa.set || !e->length.set || pio != (view == CHECK_PORTS))
			continue;
		bool ivc = e->emu_type.set && e->emu_type.v == VMCFG_EMU_IVC_CHANNEL;
		put(s, ivc ? CHECK_IVC_WINDOW : CHECK_EMU_DEVICE, e->base_gpa.v, e->length.v, 0, 0,
		    e->name.s, check_span_or(&e->base_gpa, e->span));
	}
	for (size_t i = 0; view == CHECK_PORTS && i < spec->devices.pt_port_count; i++) {
		const struct vmcfg_spec_pt_port *p = &spec->devices.pt_ports[i];
		if (p->base.set && p->length.set)
			put(s, CHECK_PT_PORTS, p->base.v, p->length.v, 0, 0, NULL,
			    check_span_or(&p->base, p->span));
	}
}

size_t vmcfg_check_collect(const struct vmcfg_vm_spec *spec, enum check_view view,
			   enum vmcfg_arch arch, struct check_range *out)
{
	struct sink s = { out, NULL, 0, 0, NULL, NULL, arch };
	collect(spec, view, &s);
	return s.n;
}

size_t vmcfg_check_collect_max(const struct vmcfg_vm_spec *spec)
{
	return spec->kernel.region_count + spec->devices.pt_count +
	       spec->devices.pt_address_count + spec->devices.emu_count +
	       spec->devices.pt_port_count;
}

void vmcfg_check_collect_detail(const struct vmcfg_vm_spec *spec, enum check_view view,
				enum vmcfg_arch arch, uint32_t ref, struct check_decl *out)
{
	struct sink s = { NULL, out, ref, 0, NULL, NULL, arch };
	collect(spec, view, &s);
}

void vmcfg_check_collect_details(const struct vmcfg_vm_spec *spec, enum check_view view,
				 enum vmcfg_arch arch, struct check_decl *out)
{
	struct sink s = { NULL, NULL, 0, 0, NULL, out, arch };
	collect(spec, view, &s);
}

/* The valid ranges of a platform list, as kind. */
static void put_host_ranges(struct sink *s, enum check_range_kind kind,
			    const struct vmcfg_host_range *r, size_t count)
{
	for (size_t i = 0; i < count; i++)
		put(s, kind, r[i].base, r[i].size, 0, 0, r[i].name, r[i].span);
}

/* The one walk behind vmcfg_check_platform_ranges and vmcfg_check_platform_detail. */
static void collect_platform(const struct vmcfg_platform *p, struct sink *s)
{
	s->file = p->file;
	put_host_ranges(s, CHECK_HV_MEMORY, p->hv_memory, p->hv_memory_count);
	put_host_ranges(s, CHECK_RESERVED, p->reserved, p->reserved_count);
}

size_t vmcfg_check_platform_ranges(const struct vmcfg_platform *p, struct check_range *out)
{
	struct sink s = { out, NULL, 0, 0, NULL, NULL, VMCFG_ARCH_UNKNOWN };
	collect_platform(p, &s);
	return s.n;
}

void vmcfg_check_platform_detail(const struct vmcfg_platform *p, uint32_t ref, struct check_decl *out)
{
	struct sink s = { NULL, out, ref, 0, NULL, NULL, VMCFG_ARCH_UNKNOWN };
	collect_platform(p, &s);
}

size_t vmcfg_check_platform_ram(const struct vmcfg_platform *p, struct check_range *out)
{
	struct sink s = { out, NULL, 0, 0, p->file, NULL, VMCFG_ARCH_UNKNOWN };
	put_host_ranges(&s, CHECK_RAM, p->ram, p->ram_count);
	return s.n;
}

char *vmcfg_check_fmt_range(char buf[CHECK_DESCR_BUF], uint64_t first, uint64_t last)
{
	char a[VMCFG_FMT_BUF], b[VMCFG_FMT_BUF];
	if (last == UINT64_MAX)
		vmcfg_snprintf(buf, CHECK_DESCR_BUF, "[%s, 2^64)", vmcfg_fmt_hex(a, first));
	else
		vmcfg_snprintf(buf, CHECK_DESCR_BUF, "[%s, %s)", vmcfg_fmt_hex(a, first),
			       vmcfg_fmt_hex(b, last + 1));
	return buf;
}

static const char *const kind_names[] = {
	[CHECK_RAM] = "memory region",
	[CHECK_PT_WINDOW] = "passthrough window",
	[CHECK_PT_ADDRESS] = "passthrough address",
	[CHECK_EMU_DEVICE] = "emulated device",
	[CHECK_IVC_WINDOW] = "IVC window",
	[CHECK_PT_PORTS] = "passthrough ports",
	[CHECK_HV_MEMORY] = "hypervisor memory",
	[CHECK_RESERVED] = "reserved frame",
};

char *vmcfg_check_describe(char buf[CHECK_DESCR_BUF], const struct check_decl *decl)
{
	char range[CHECK_DESCR_BUF];
	vmcfg_check_fmt_range(range, decl->first, decl->last);
	vmcfg_snprintf(buf, CHECK_DESCR_BUF, "%s%s%s%s %s%s%s%s", kind_names[decl->kind],
		       decl->name ? " `" : "", decl->name ? decl->name : "", decl->name ? "`" : "",
		       range, decl->vm_name ? " of VM `" : "", decl->vm_name ? decl->vm_name : "",
		       decl->vm_name ? "`" : "");
	return buf;
}

/*
 * The sweep keeps the range reaching farthest (top) and the one reaching
 * farthest among the other owners (second): whatever a new range's owner,
 * one of them is the farthest-reaching earlier range of another owner, so
 * a range that overlaps any earlier range of another owner is found.
 *
 * It sorts the 24-byte ranges themselves: the sort and the walk then read
 * memory in order, where sorting small keys and looking the ranges up
 * would jump through an array too large for the cache.
 */
int vmcfg_check_sweep(const struct vmcfg_allocator *a, struct check_range *v, size_t n,
		      check_overlap_fn fn, void *ctx)
{
	vmcfg_check_sort_in(a, v, n, sizeof *v, vmcfg_check_cmp_range);
	const struct check_range *top = NULL, *second = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct check_range *cur = &v[i];
		const struct check_range *other = top && top->owner != cur->owner ? top : second;
		if (other && other->last >= cur->first) {
			uint64_t last = other->last < cur->last ? other->last : cur->last;
			int rc = fn(ctx, other, cur, cur->first, last);
			if (rc)
				return rc;
		}
		if (!top || cur->last > top->last) {
			if (top && top->owner != cur->owner)
				second = top;
			top = cur;
		} else if (cur->owner != top->owner && (!second || cur->last > second->last)) {
			second = cur;
		}
	}
	return 0;
}

int vmcfg_check_report_overlap(struct vmcfg_diags *d, enum vmcfg_rule rule, const char *space,
			 const struct check_decl *earlier, const struct check_decl *later,
			 uint64_t first, uint64_t last)
{
	char a[CHECK_DESCR_BUF], b[CHECK_DESCR_BUF], at[CHECK_DESCR_BUF], size[VMCFG_FMT_BUF];
	struct vmcfg_diag *g;
	int rc = vmcfg_diag_add(d, rule, later->loc, &g, "%s overlaps %s in %s space: %s at %s",
				vmcfg_check_describe(a, later), vmcfg_check_describe(b, earlier), space,
				vmcfg_fmt_size(size, last - first + 1), vmcfg_check_fmt_range(at, first, last));
	if (rc)
		return rc;
	return vmcfg_diag_relate(d, g, earlier->loc, "%s declared here", kind_names[earlier->kind]);
}
