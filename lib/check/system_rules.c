/*
 * The per-system rules (E03xx): what VMs that run together get wrong
 * between them and against the host platform. Every cross-VM rule sorts
 * once and scans (O(n log n) in the number of VMs and ranges); nothing
 * compares VMs pairwise.
 */
#include "internal.h"
#include "../base/libc.h"

struct named_vm;

struct sys_check {
	const struct vmcfg_system *sys;        /* NULL: no IVC channels */
	const struct vmcfg_platform *platform; /* NULL: platform rules off */
	const struct vm_spec *const *specs;
	size_t n;
	const struct vmcfg_check_opts *opts;
	struct vmcfg_diags *d;
	struct named_vm *by_name; /* the named VMs, sorted by name */
	size_t named;
	int err;
};

/* The VM's name for messages: its base.name, else its file. */
static const char *vm_label(const struct vm_spec *s)
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
	const struct vm_spec *x = c->specs[a->index], *y = c->specs[b->index];
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
	struct check_keyed *keys = check_alloc(c->d, c->n, sizeof *keys);
	size_t k = 0;
	if (!keys) {
		c->err = VMCFG_ENOMEM;
		return;
	}
	for (size_t i = 0; i < c->n; i++)
		if (c->specs[i] && c->specs[i]->base.id.set)
			keys[k++] = (struct check_keyed){ c->specs[i]->base.id.v, i, 0 };
	check_sort(c->d, keys, k, sizeof *keys, check_cmp_keyed);
	check_each_duplicate(keys, k, sizeof *keys, check_same_key, report_dup_id, c);
	check_free(c->d, keys, c->n, sizeof *keys);
}

/* A named VM, for sorting by name. */
struct named_vm {
	const struct spec_str *name;
	size_t index; /* in specs */
};

static int same_vm_name(const void *a, const void *b)
{
	const struct spec_str *x = ((const struct named_vm *)a)->name;
	const struct spec_str *y = ((const struct named_vm *)b)->name;
	int r = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);
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
	const struct vm_spec *x = c->specs[((const struct named_vm *)first)->index];
	const struct vm_spec *y = c->specs[((const struct named_vm *)elem)->index];
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
	c->by_name = check_alloc(c->d, c->n, sizeof *c->by_name);
	if (!c->by_name) {
		c->err = VMCFG_ENOMEM;
		return;
	}
	for (size_t i = 0; i < c->n; i++)
		if (c->specs[i] && c->specs[i]->base.name.set)
			c->by_name[c->named++] = (struct named_vm){ &c->specs[i]->base.name, i };
	check_sort(c->d, c->by_name, c->named, sizeof *c->by_name, compare_vm_names);
	check_each_duplicate(c->by_name, c->named, sizeof *c->by_name, same_vm_name,
			     report_dup_name, c);
}

/* --- host memory: VMs against each other and against the platform --- */

/* The platform's ranges of one kind (hypervisor memory, reserved frames), appended at v + n. */
static size_t put_platform_ranges(const struct vmcfg_platform *p, enum check_range_kind kind,
				  const struct vmcfg_host_range *r, size_t count,
				  struct check_interval *v, size_t n)
{
	for (size_t i = 0; i < count; i++) {
		uint64_t last;
		if (!r[i].size || !vmcfg_add_u64(r[i].base, r[i].size - 1, &last))
			continue;
		struct check_interval *iv = &v[n++];
		memset(iv, 0, sizeof *iv);
		iv->first = r[i].base;
		iv->last = last;
		iv->owner = iv->vm = CHECK_PLATFORM;
		iv->kind = kind;
		iv->name = r[i].name;
		iv->loc = check_loc(p->file, r[i].span);
	}
	return n;
}

static int report_host_overlap(void *ctx, const struct check_interval *earlier,
			       const struct check_interval *later, uint64_t first, uint64_t last)
{
	struct sys_check *c = ctx;
	/* The VM's declaration is what the user can change: it is the primary. */
	const struct check_interval *vm = later->vm == CHECK_PLATFORM ? earlier : later;
	const struct check_interval *other = vm == later ? earlier : later;
	enum vmcfg_rule rule = other->kind == CHECK_HV_MEMORY  ? VMCFG_R_OVER_HV_MEMORY
			       : other->kind == CHECK_RESERVED ? VMCFG_R_OVER_RESERVED
			       : vm->kind == CHECK_PT_WINDOW && other->kind == CHECK_PT_WINDOW
				       ? VMCFG_R_PT_SHARED
				       : VMCFG_R_HOST_OVERLAP;
	return check_report_overlap(c->d, rule, "host-physical", other, vm, first, last);
}

/* Banks by start (equal starts in any order: merging does not care). */
static int compare_bank_start(const void *a, const void *b)
{
	return check_cmp_u64(((const struct check_interval *)a)->first,
			     ((const struct check_interval *)b)->first);
}

/* The platform's RAM banks sorted and merged where they touch or overlap; returns the count. */
static size_t merge_banks(struct sys_check *c, struct check_interval *banks)
{
	const struct vmcfg_platform *p = c->platform;
	size_t n = put_platform_ranges(p, CHECK_RAM, p->ram, p->ram_count, banks, 0), m = 0;
	check_sort(c->d, banks, n, sizeof *banks, compare_bank_start);
	for (size_t i = 0; i < n; i++) {
		if (m && (banks[m - 1].last == UINT64_MAX || banks[i].first <= banks[m - 1].last + 1)) {
			if (banks[i].last > banks[m - 1].last)
				banks[m - 1].last = banks[i].last;
		} else {
			banks[m++] = banks[i];
		}
	}
	return m;
}

/* True when [iv->first, iv->last] lies in one of the merged banks (binary search). */
static bool in_host_ram(const struct check_interval *banks, size_t n,
			const struct check_interval *iv)
{
	size_t lo = 0, hi = n; /* first bank starting after iv->first */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (banks[mid].first <= iv->first)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && iv->last <= banks[lo - 1].last;
}

/* Identity and reserved RAM is host memory at the same address: it must be host RAM. */
static void check_ram_in_host_ram(struct sys_check *c, const struct check_interval *v, size_t n)
{
	const struct vmcfg_platform *p = c->platform;
	struct check_interval *banks = check_alloc(c->d, p->ram_count, sizeof *banks);
	if (!banks) {
		c->err = VMCFG_ENOMEM;
		return;
	}
	size_t nb = merge_banks(c, banks);
	for (size_t i = 0; i < n && !c->err; i++) {
		if (v[i].vm == CHECK_PLATFORM || v[i].kind != CHECK_RAM || in_host_ram(banks, nb, &v[i]))
			continue;
		char what[CHECK_DESCR_BUF], text[CHECK_DESCR_BUF * 2];
		struct vmcfg_diag *g = NULL;
		note_oom(c, vmcfg_diag_add(c->d, VMCFG_R_OUTSIDE_HOST_RAM, v[i].loc, &g,
					   "%s is %s but not inside the host's RAM",
					   check_describe(what, &v[i]),
					   v[i].map_type == VMCFG_MAP_RESERVED ? "reserved" : "identity-mapped"));
		size_t len = vmcfg_snprintf(text, sizeof text, "host RAM:");
		for (size_t k = 0; k < nb && k < 4 && len < sizeof text; k++)
			len += vmcfg_snprintf(text + len, sizeof text - len, "%s %s", k ? "," : "",
					      check_fmt_range(what, banks[k].first, banks[k].last));
		hint(c, g, nb ? text : "the platform declares no RAM (platform.ram)");
	}
	check_free(c->d, banks, p->ram_count, sizeof *banks);
}

/*
 * All host ranges of all VMs plus the platform's hypervisor memory and
 * reserved frames, in one sweep; then RAM containment on the same array.
 */
static void check_host_memory(struct sys_check *c)
{
	const struct vmcfg_platform *p = c->platform;
	size_t n = 0;
	for (size_t i = 0; i < c->n; i++)
		if (c->specs[i])
			n += check_host_ranges(c->specs[i], NULL);
	size_t cap = n + (p ? p->hv_memory_count + p->reserved_count : 0);
	struct check_interval *v = check_alloc(c->d, cap, sizeof *v);
	if (!v) {
		c->err = VMCFG_ENOMEM;
		return;
	}
	n = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (!c->specs[i])
			continue;
		size_t k = check_host_ranges(c->specs[i], v + n);
		for (size_t j = n; j < n + k; j++) {
			v[j].owner = v[j].vm = i;
			v[j].vm_name = vm_label(c->specs[i]);
		}
		n += k;
	}
	if (p) {
		n = put_platform_ranges(p, CHECK_HV_MEMORY, p->hv_memory, p->hv_memory_count, v, n);
		n = put_platform_ranges(p, CHECK_RESERVED, p->reserved, p->reserved_count, v, n);
	}
	note_oom(c, check_sweep(c->d, v, n, report_host_overlap, c));
	if (p && !c->err)
		check_ram_in_host_ram(c, v, n);
	check_free(c->d, v, cap, sizeof *v);
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
	struct vmcfg_loc (*where)(const struct vm_spec *s, size_t aux);
};

static int report_claimed_twice(void *ctx, const void *first, const void *prev, const void *elem)
{
	struct claim_report *r = ctx;
	struct sys_check *c = r->c;
	const struct check_keyed *a = first, *p = prev, *b = elem;
	if (b->index == p->index)
		return 0; /* the same VM again: a per-VM rule's business */
	const struct vm_spec *x = c->specs[a->index], *y = c->specs[b->index];
	struct vmcfg_diag *g = NULL;
	note_oom(c, vmcfg_diag_add(c->d, r->rule, r->where(y, b->aux), &g,
				   "%s %llu is claimed by VM `%s` and VM `%s`", r->what,
				   (unsigned long long)b->key, vm_label(x), vm_label(y)));
	relate(c, g, r->where(x, a->aux), "first claimed here");
	return c->err;
}

/* Sorts keys[0..n) and reports keys claimed by two VMs. */
static void report_claims(struct check_keyed *keys, size_t n, struct claim_report *r)
{
	check_sort(r->c->d, keys, n, sizeof *keys, check_cmp_keyed);
	check_each_duplicate(keys, n, sizeof *keys, check_same_key, report_claimed_twice, r);
}

static struct vmcfg_loc pin_loc(const struct vm_spec *s, size_t vcpu)
{
	return check_loc(s->file, s->base.phys_cpu_sets.items[vcpu].span);
}

/* A vCPU whose mask has one bit owns that pCPU: no other VM may pin it. */
static void check_pinned_pcpus(struct sys_check *c)
{
	size_t n = 0, k = 0;
	for (size_t i = 0; i < c->n; i++)
		if (c->specs[i])
			n += c->specs[i]->base.phys_cpu_sets.count;
	struct check_keyed *keys = check_alloc(c->d, n, sizeof *keys);
	if (!keys) {
		c->err = VMCFG_ENOMEM;
		return;
	}
	for (size_t i = 0; i < c->n; i++) {
		const struct spec_u64_list *sets = c->specs[i] ? &c->specs[i]->base.phys_cpu_sets : NULL;
		for (size_t v = 0; sets && v < sets->count; v++) {
			int pcpu = sets->items[v].set ? check_pinned_pcpu(sets->items[v].v) : -1;
			if (pcpu >= 0)
				keys[k++] = (struct check_keyed){ (uint64_t)pcpu, i, v };
		}
	}
	struct claim_report r = { c, VMCFG_R_PCPU_TWO_VMS, "physical CPU", pin_loc };
	report_claims(keys, k, &r);
	check_free(c->d, keys, n, sizeof *keys);
}

/* SPIs come without spans: point at the VM's passthrough devices. */
static struct vmcfg_loc spi_loc(const struct vm_spec *s, size_t unused)
{
	(void)unused;
	return check_loc(s->file, s->devices.pt_span.line ? s->devices.pt_span : s->devices.span);
}

/* The SPIs the caller knows per VM (the host device tree routes them). */
static void check_spis(struct sys_check *c)
{
	const struct vmcfg_check_opts *o = c->opts;
	if (!o || !o->vm_spis)
		return;
	size_t n = 0, k = 0;
	const uint32_t *spis;
	size_t count;
	for (size_t i = 0; i < c->n; i++)
		if (c->specs[i] && o->vm_spis(o->ud, c->specs[i], &spis, &count))
			n += count;
	struct check_keyed *keys = check_alloc(c->d, n, sizeof *keys);
	if (!keys) {
		c->err = VMCFG_ENOMEM;
		return;
	}
	for (size_t i = 0; i < c->n; i++) {
		if (!c->specs[i] || !o->vm_spis(o->ud, c->specs[i], &spis, &count))
			continue;
		for (size_t s = 0; s < count && k < n; s++)
			keys[k++] = (struct check_keyed){ spis[s], i, 0 };
	}
	struct claim_report r = { c, VMCFG_R_SPI_TWO_VMS, "SPI", spi_loc };
	report_claims(keys, k, &r);
	check_free(c->d, keys, n, sizeof *keys);
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
static size_t find_vm(const struct sys_check *c, const struct spec_str *name)
{
	size_t lo = 0, hi = c->named;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		struct named_vm key = { name, 0 };
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

/*
 * One participant of a channel (publisher or subscriber): the VM must
 * exist and its IVC window must hold every channel it takes part in.
 * used[vm] accumulates; full[vm] keeps one finding per VM.
 */
static void check_participant(struct sys_check *c, const struct vmcfg_ivc_channel *ch,
			      const struct spec_str *name, uint64_t *used, bool *full)
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
			names[i] = c->by_name[i].name->s;
		const char *near = vmcfg_nearest_name(name->s, name->len, names, n);
		note_oom(c, vmcfg_diag_add(c->d, VMCFG_R_IVC_UNKNOWN_VM, check_loc(file, name->span), &g,
					   "IVC channel %llu names VM `%s`, which is not in the system",
					   (unsigned long long)ch->key.v, name->s));
		if (g && near)
			note_oom(c, vmcfg_diag_hint(c->d, g, "did you mean `%s`?", near));
		return;
	}
	if (full[vm])
		return;
	const struct vm_spec *s = c->specs[vm];
	const struct spec_emu_device *w = check_ivc_window(s);
	if (!w || !w->length.set) {
		full[vm] = true;
		note_oom(c, vmcfg_diag_add(c->d, VMCFG_R_IVC_WINDOW, check_loc(file, name->span), &g,
					   "VM `%s` takes part in IVC channel %llu but has no IVC window",
					   name->s, (unsigned long long)ch->key.v));
		hint(c, g, "add an emu_devices entry of type 0x0A (IVCChannel) to the VM");
		return;
	}
	uint64_t need = channel_pages(ch->size.v);
	if (!vmcfg_add_u64(used[vm], need, &used[vm]) || used[vm] > w->length.v) {
		full[vm] = true;
		note_oom(c, vmcfg_diag_add(c->d, VMCFG_R_IVC_WINDOW, check_loc(file, name->span), &g,
					   "IVC channel %llu does not fit VM `%s`'s IVC window: its channels need %s, the window holds %s",
					   (unsigned long long)ch->key.v, name->s,
					   vmcfg_fmt_size(a, used[vm] < need ? UINT64_MAX : used[vm]),
					   vmcfg_fmt_size(b, w->length.v)));
		relate(c, g, check_loc(s->file, w->length.span), "IVC window size given here");
	}
}

static void check_ivc(struct sys_check *c)
{
	const struct vmcfg_system *sys = c->sys;
	struct check_keyed *keys = check_alloc(c->d, sys->ivc_count, sizeof *keys);
	uint64_t *used = check_alloc(c->d, c->n, sizeof *used);
	bool *full = check_alloc(c->d, c->n, sizeof *full);
	if (keys && used && full) {
		size_t k = 0;
		memset(used, 0, (c->n ? c->n : 1) * sizeof *used);
		memset(full, 0, (c->n ? c->n : 1) * sizeof *full);
		for (size_t i = 0; i < sys->ivc_count; i++) {
			const struct vmcfg_ivc_channel *ch = &sys->ivc[i];
			if (ch->key.set)
				keys[k++] = (struct check_keyed){ ch->key.v, i, 0 };
			check_participant(c, ch, &ch->publisher, used, full);
			for (size_t s = 0; s < ch->subscriber_count; s++)
				check_participant(c, ch, &ch->subscribers[s].vm, used, full);
		}
		check_sort(c->d, keys, k, sizeof *keys, check_cmp_keyed);
		check_each_duplicate(keys, k, sizeof *keys, check_same_key, report_dup_ivc_key, c);
	} else {
		c->err = VMCFG_ENOMEM;
	}
	check_free(c->d, keys, sys->ivc_count, sizeof *keys);
	check_free(c->d, used, c->n, sizeof *used);
	check_free(c->d, full, c->n, sizeof *full);
}

/* One note for every rule a missing platform turns off. */
static void note_platform_skipped(struct sys_check *c)
{
	note_oom(c, vmcfg_diag_add(c->d, VMCFG_R_PLATFORM_SKIPPED,
				   check_loc(c->sys ? c->sys->file : NULL, (struct vmcfg_span){ 0, 0, 0, 0 }),
				   NULL,
				   "no platform given: skipped E0208 (IPA width), E0221 (CPU masks), "
				   "E0225 (CPU ids), E0305 (hypervisor memory), E0306 (reserved frames), "
				   "E0307 (host RAM)"));
}

int vmcfg_check_system(const struct vmcfg_system *sys, const struct vmcfg_platform *platform,
		       const struct vm_spec *const *specs, size_t n,
		       const struct vmcfg_check_opts *opts, struct vmcfg_diags *diags)
{
	if (!diags || (n && !specs))
		return VMCFG_EINVAL;
	struct sys_check c = { sys, platform, specs, n, opts, diags, NULL, 0, 0 };
	for (size_t i = 0; i < n && !c.err; i++)
		if (specs[i])
			c.err = vmcfg_check_vm(specs[i], platform, opts, diags);
	if (!platform && !c.err)
		note_platform_skipped(&c);
	if (!c.err)
		check_duplicate_ids(&c);
	if (!c.err)
		check_duplicate_names(&c);
	if (!c.err)
		check_host_memory(&c);
	if (!c.err)
		check_pinned_pcpus(&c);
	if (!c.err)
		check_spis(&c);
	if (!c.err && sys && c.by_name)
		check_ivc(&c);
	check_free(diags, c.by_name, n, sizeof *c.by_name);
	return c.err;
}
