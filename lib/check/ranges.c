/*
 * The address ranges a VM declares, seen from the guest or from the host,
 * and the one sweep that finds overlaps among any set of them: sort by
 * start, then walk once remembering the ranges that reach farthest.
 */
#include "internal.h"
#include "../base/libc.h"

/* The last byte of [base, base + size), or false when size is 0 or the range wraps. */
static bool range_last(uint64_t base, uint64_t size, uint64_t *last)
{
	return size != 0 && vmcfg_add_u64(base, size - 1, last);
}

/* An optional field of a passthrough entry: absent means 0 (CONFIG-SPEC). */
static uint64_t or_zero(const struct spec_u64 *v)
{
	return v->set ? v->v : 0;
}

/*
 * Appends [base, base + size) to out (when not NULL) at index n; returns
 * the new count, unchanged when the range is invalid (size 0 or wrapping).
 */
static size_t put(struct check_interval *out, size_t n, enum check_range_kind kind,
		  uint64_t base, uint64_t size, uint64_t delta, const char *name,
		  const char *file, struct vmcfg_span span)
{
	uint64_t last;
	if (!range_last(base, size, &last))
		return n;
	if (out) {
		struct check_interval *iv = &out[n];
		memset(iv, 0, sizeof *iv);
		iv->first = base;
		iv->last = last;
		iv->delta = delta;
		iv->kind = kind;
		iv->name = name;
		iv->loc = check_loc(file, span);
	}
	return n + 1;
}

/* A memory region the decoder keeps (DEVICE regions are skipped with W0203). */
static bool region_is_ram(const struct spec_region *r)
{
	return r->gpa.set && r->size.set && !(r->flags.set && (r->flags.v & VMCFG_MEM_DEVICE));
}

/* Sets map_type on the region range put() just appended. */
static size_t put_region(struct check_interval *out, size_t n, const struct vm_spec *spec,
			 const struct spec_region *r)
{
	size_t m = put(out, n, CHECK_RAM, r->gpa.v, r->size.v, 0, NULL, spec->file,
		       check_span_or(&r->gpa, r->span));
	if (out && m > n)
		out[n].map_type = r->map_type.set ? r->map_type.v : VMCFG_MAP_ALLOC;
	return m;
}

/* The passthrough windows both views share; host selects base_hpa over base_gpa. */
static size_t put_passthrough(const struct vm_spec *spec, struct check_interval *out, size_t n,
			      bool host)
{
	for (size_t i = 0; i < spec->devices.pt_count; i++) {
		const struct spec_pt_device *p = &spec->devices.pt[i];
		if (p->is_dt_path || !p->length.set)
			continue;
		uint64_t gpa = or_zero(&p->base_gpa), hpa = or_zero(&p->base_hpa);
		const struct spec_u64 *at = host ? &p->base_hpa : &p->base_gpa;
		n = put(out, n, CHECK_PT_WINDOW, host ? hpa : gpa, p->length.v, hpa - gpa,
			p->name.s, spec->file, check_span_or(at, p->span));
	}
	for (size_t i = 0; i < spec->devices.pt_address_count; i++) {
		const struct spec_pt_address *a = &spec->devices.pt_addresses[i];
		if (a->gpa.set && a->length.set)
			n = put(out, n, CHECK_PT_ADDRESS, a->gpa.v, a->length.v, 0, NULL,
				spec->file, check_span_or(&a->gpa, a->span));
	}
	return n;
}

size_t check_guest_ranges(const struct vm_spec *spec, struct check_interval *out)
{
	size_t n = 0;
	for (size_t i = 0; i < spec->kernel.region_count; i++)
		if (region_is_ram(&spec->kernel.regions[i]))
			n = put_region(out, n, spec, &spec->kernel.regions[i]);
	n = put_passthrough(spec, out, n, false);
	for (size_t i = 0; i < spec->devices.emu_count; i++) {
		const struct spec_emu_device *e = &spec->devices.emu[i];
		if (!e->base_gpa.set || !e->length.set)
			continue;
		bool ivc = e->emu_type.set && e->emu_type.v == VMCFG_EMU_IVC_CHANNEL;
		n = put(out, n, ivc ? CHECK_IVC_WINDOW : CHECK_EMU_DEVICE, e->base_gpa.v,
			e->length.v, 0, e->name.s, spec->file, check_span_or(&e->base_gpa, e->span));
	}
	return n;
}

size_t check_host_ranges(const struct vm_spec *spec, struct check_interval *out)
{
	size_t n = 0;
	for (size_t i = 0; i < spec->kernel.region_count; i++) {
		const struct spec_region *r = &spec->kernel.regions[i];
		if (region_is_ram(r) && r->map_type.set && r->map_type.v != VMCFG_MAP_ALLOC)
			n = put_region(out, n, spec, r);
	}
	return put_passthrough(spec, out, n, true);
}

char *check_fmt_range(char buf[CHECK_DESCR_BUF], uint64_t first, uint64_t last)
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
	[CHECK_HV_MEMORY] = "hypervisor memory",
	[CHECK_RESERVED] = "reserved frame",
};

char *check_describe(char buf[CHECK_DESCR_BUF], const struct check_interval *iv)
{
	char range[CHECK_DESCR_BUF];
	check_fmt_range(range, iv->first, iv->last);
	vmcfg_snprintf(buf, CHECK_DESCR_BUF, "%s%s%s%s %s%s%s%s", kind_names[iv->kind],
		       iv->name ? " `" : "", iv->name ? iv->name : "", iv->name ? "`" : "", range,
		       iv->vm_name ? " of VM `" : "", iv->vm_name ? iv->vm_name : "",
		       iv->vm_name ? "`" : "");
	return buf;
}

/*
 * The sweep keeps the range reaching farthest (top) and the one reaching
 * farthest among the other owners (second): whatever a new range's owner,
 * one of them is the farthest-reaching earlier range of another owner, so
 * a range that overlaps any earlier range of another owner is found.
 *
 * It sorts 16-byte (start, index) keys rather than the ranges themselves:
 * heapsort jumps around its array, and a small array stays in cache.
 */
int check_sweep(struct vmcfg_diags *d, const struct check_interval *v, size_t n,
		check_overlap_fn fn, void *ctx)
{
	struct check_keyed *order = check_alloc(d, n, sizeof *order);
	if (!order)
		return VMCFG_ENOMEM;
	for (size_t i = 0; i < n; i++)
		order[i] = (struct check_keyed){ v[i].first, i, 0 };
	check_sort(d, order, n, sizeof *order, check_cmp_keyed);
	const struct check_interval *top = NULL, *second = NULL;
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		const struct check_interval *cur = &v[order[i].index];
		const struct check_interval *other = top && top->owner != cur->owner ? top : second;
		if (other && other->last >= cur->first) {
			uint64_t last = other->last < cur->last ? other->last : cur->last;
			rc = fn(ctx, other, cur, cur->first, last);
		}
		if (!top || cur->last > top->last) {
			if (top && top->owner != cur->owner)
				second = top;
			top = cur;
		} else if (cur->owner != top->owner && (!second || cur->last > second->last)) {
			second = cur;
		}
	}
	check_free(d, order, n, sizeof *order);
	return rc;
}

int check_report_overlap(struct vmcfg_diags *d, enum vmcfg_rule rule, const char *space,
			 const struct check_interval *earlier, const struct check_interval *later,
			 uint64_t first, uint64_t last)
{
	char a[CHECK_DESCR_BUF], b[CHECK_DESCR_BUF], at[CHECK_DESCR_BUF], size[VMCFG_FMT_BUF];
	struct vmcfg_diag *g;
	int rc = vmcfg_diag_add(d, rule, later->loc, &g, "%s overlaps %s in %s space: %s at %s",
				check_describe(a, later), check_describe(b, earlier), space,
				vmcfg_fmt_size(size, last - first + 1), check_fmt_range(at, first, last));
	if (rc)
		return rc;
	return vmcfg_diag_relate(d, g, earlier->loc, "%s declared here", kind_names[earlier->kind]);
}
