/* SPDX-License-Identifier: MIT */
/* The memory map of a system: built once, drawn as text (cmd_map.c) and SVG (map_svg.c). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "map_model.h"
#include "sim_host.h"
#include "vmcfg/host.h"
#include "vmcfg/ivc.h"
#include "vmcfg/vm.h"

static const char *const kind_names[MAP_KIND_COUNT] = {
	[MAP_RAM_ALLOC] = "RAM alloc",
	[MAP_RAM_IDENTICAL] = "RAM identical",
	[MAP_RAM_RESERVED] = "RAM reserved",
	[MAP_PASSTHROUGH] = "passthrough",
	[MAP_EMULATED] = "emulated device",
	[MAP_IVC_WINDOW] = "IVC window",
	[MAP_IVC_CHANNEL] = "IVC channel",
	[MAP_PAGE_TABLES] = "stage-2 tables",
	[MAP_HV_MEMORY] = "hypervisor memory",
	[MAP_RESERVED_FRAME] = "reserved frame",
	[MAP_GAP_UNMAPPED] = "unmapped",
	[MAP_GAP_FREE_RAM] = "free RAM",
	[MAP_GAP_NO_RAM] = "no RAM",
};

const char *map_kind_name(enum map_kind kind)
{
	return kind < MAP_KIND_COUNT ? kind_names[kind] : "?";
}

const char *map_owner_name(const struct map_model *m, const struct map_region *r)
{
	if (r->owner >= 0)
		return m->vms[r->owner].name;
	return r->kind == MAP_HV_MEMORY ? "hypervisor" : r->kind == MAP_RESERVED_FRAME ? "platform" : "";
}

bool map_kind_has_backing(enum map_kind kind)
{
	return kind == MAP_RAM_ALLOC || kind == MAP_RAM_IDENTICAL || kind == MAP_RAM_RESERVED ||
	       kind == MAP_PASSTHROUGH || kind == MAP_IVC_CHANNEL;
}

/* ---- growing arrays and strings ---- */

/* Makes room for one more element in *items (count used of *cap). */
static bool grow(void *items, size_t *cap, size_t count, size_t elem)
{
	void **p = items;
	if (count < *cap)
		return true;
	size_t n = *cap ? *cap * 2 : 16;
	void *q = realloc(*p, n * elem);
	if (!q)
		return false;
	*p = q;
	*cap = n;
	return true;
}

static const char *dup_str(struct map_model *m, const char *s)
{
	return vmcfg_arena_strndup(&m->arena, s ? s : "", s ? strlen(s) : 0);
}

/* Something the map cannot show, printed under the map (and in the SVG's footer). */
static int add_note(struct map_model *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int add_note(struct map_model *m, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	const char *s = dup_str(m, buf);
	if (!s || !grow(&m->notes, &m->note_cap, m->note_count, sizeof *m->notes))
		return VMCFG_ENOMEM;
	m->notes[m->note_count++] = s;
	return 0;
}

/* [base, base + size), saturated at UINT64_MAX (see struct map_region). */
static uint64_t end_of(uint64_t base, uint64_t size)
{
	uint64_t end;
	return vmcfg_add_u64(base, size, &end) ? end : UINT64_MAX;
}

/* Appends a row; NULL when memory ran out. The pointer lasts until the next append. */
static struct map_region *add_row(struct map_model *m, struct map_space *s, uint64_t base,
				  uint64_t end, enum map_kind kind, int owner, const char *label)
{
	const char *l = dup_str(m, label);
	if (!l || !grow(&s->rows, &s->cap, s->count, sizeof *s->rows))
		return NULL;
	struct map_region *r = &s->rows[s->count++];
	*r = (struct map_region){ .base = base, .end = end, .kind = kind, .owner = owner,
				  .sharer = -1, .label = l };
	return r;
}

static void add_code(const char **codes, unsigned *count, const char *code)
{
	for (unsigned i = 0; i < *count; i++)
		if (!strcmp(codes[i], code))
			return;
	if (*count < MAP_MAX_CODES)
		codes[(*count)++] = code;
}

/* ---- findings ---- */

/* A finding's location (primary or related), for looking findings up by place. */
struct code_ref {
	const char *file;
	uint32_t offset;
	size_t diag;
};

/*
 * The warnings' and errors' locations sorted by file and offset: a region
 * finds its findings by binary search, not by a walk over all of them (a
 * hostile file has 10^5 of both).
 */
struct code_index {
	struct code_ref *refs;
	size_t count;
	size_t *hits; /* scratch: the findings of one region, as diag indexes */
};

static int compare_code_refs(const void *a, const void *b)
{
	const struct code_ref *x = a, *y = b;
	int c = strcmp(x->file, y->file);
	if (c)
		return c;
	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return x->diag < y->diag ? -1 : x->diag > y->diag;
}

static int index_codes(struct code_index *ix, const struct vmcfg_diags *diags)
{
	ix->refs = malloc((2 * diags->count + 1) * sizeof *ix->refs);
	ix->hits = malloc((2 * diags->count + 1) * sizeof *ix->hits);
	if (!ix->refs || !ix->hits)
		return VMCFG_ENOMEM;
	for (size_t i = 0; i < diags->count; i++) {
		const struct vmcfg_diag *g = &diags->items[i];
		if (g->severity < VMCFG_SEV_WARNING || !vmcfg_rule_info(g->rule))
			continue;
		const struct vmcfg_loc *locs[2] = { &g->primary, &g->related };
		for (int k = 0; k < 2; k++)
			if (locs[k]->file && locs[k]->span.line)
				ix->refs[ix->count++] =
					(struct code_ref){ locs[k]->file, locs[k]->span.offset, i };
	}
	if (ix->count > 1)
		qsort(ix->refs, ix->count, sizeof *ix->refs, compare_code_refs);
	return 0;
}

static int compare_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

/*
 * Gives r the codes of the findings (warnings and errors) that point into
 * its source entry — the value at fault or the one it conflicts with — in
 * the findings' order.
 */
static void take_codes(const struct code_index *ix, struct map_region *r,
		       const struct vmcfg_diags *diags, const char *file, struct vmcfg_span entry)
{
	if (!file || !entry.line || !entry.length)
		return;
	size_t lo = 0, hi = ix->count;
	while (lo < hi) { /* the first ref at or after (file, entry.offset) */
		size_t mid = lo + (hi - lo) / 2;
		const struct code_ref *m = &ix->refs[mid];
		int c = strcmp(m->file, file);
		if (c < 0 || (c == 0 && m->offset < entry.offset))
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t n = 0;
	for (size_t i = lo; i < ix->count && !strcmp(ix->refs[i].file, file) &&
			    ix->refs[i].offset - entry.offset < entry.length;
	     i++)
		ix->hits[n++] = ix->refs[i].diag;
	if (n > 1)
		qsort(ix->hits, n, sizeof *ix->hits, compare_size);
	for (size_t i = 0; i < n; i++) {
		if (i && ix->hits[i] == ix->hits[i - 1])
			continue; /* primary and related both in the entry */
		const struct vmcfg_diag *g = &diags->items[ix->hits[i]];
		add_code(r->codes, &r->code_count, vmcfg_rule_info(g->rule)->code);
		if (g->severity == VMCFG_SEV_ERROR)
			r->error = true;
	}
}

/* ---- building the VMs ---- */

/* A VM's guest ranges and their host backing: the same records as arrows. */
struct runs {
	int vm;
	struct map_link *v;
	size_t count, cap;
};

static int add_run(struct runs *r, uint64_t gpa, uint64_t hpa, uint64_t size)
{
	if (!grow(&r->v, &r->cap, r->count, sizeof *r->v))
		return VMCFG_ENOMEM;
	r->v[r->count++] = (struct map_link){ r->vm, gpa, hpa, size };
	return 0;
}

/* The working state of one map_model_build. */
struct builder {
	struct map_model *m;
	const struct vm_set *set;
	const struct vmcfg_vm_config **configs; /* per file: the set's, or converted here, or NULL */
	struct vmcfg_vm_config **own;           /* those converted here (files with errors) */
	struct vmcfg_vm **vms;                  /* per file: built, or NULL */
	struct runs *runs;                /* per file: guest → host */
	struct sim_host host;
	struct sim_range *ram;
	size_t ram_count;
	struct code_index codes;
};

/*
 * Files with errors are not converted by vm_set_load; most still convert
 * (a conflict between VMs leaves every value set), and then the map can
 * draw them from their config.
 */
static int gather_configs(struct builder *b)
{
	const struct vm_set *set = b->set;
	for (size_t i = 0; i < set->count; i++) {
		const struct vm_file *f = &set->files[i];
		struct map_vm *v = &b->m->vms[i];
		const char *name;
		vm_file_identity(f, &v->id, &name);
		v->name = dup_str(b->m, name);
		v->file = dup_str(b->m, f->path);
		if (!v->name || !v->file)
			return VMCFG_ENOMEM;
		b->configs[i] = f->config;
		if (f->config || !f->spec)
			continue;
		int rc = vmcfg_vm_config_from_spec(f->spec, &vmcfg_host_allocator, &b->own[i]);
		if (rc == VMCFG_ENOMEM)
			return rc;
		b->configs[i] = b->own[i];
		if (!b->own[i])
			v->note = dup_str(b->m, "the file has values the map cannot use: not drawn");
	}
	return 0;
}

/* Builds every VM without errors side by side on one simulated host, as they would boot. */
static int build_vms(struct builder *b, enum vmcfg_arch arch)
{
	const struct vm_set *set = b->set;
	const struct vmcfg_platform *platform = vm_set_platform(set);
	char err[256] = "";
	/*
	 * The host is laid out for every config drawn, built or not, so frames
	 * are allocated away from the identical RAM of a VM shown from its
	 * config too (else its picture would overlap page tables by accident).
	 */
	int rc = sim_host_init(&b->host, b->configs, set->count, platform, err, sizeof err);
	if (rc) /* nothing can be built; every VM is drawn from its config */
		return rc == VMCFG_ENOMEM ? rc : add_note(b->m, "no VM built: %s", err);
	for (size_t i = 0; i < set->count; i++) {
		struct map_vm *v = &b->m->vms[i];
		if (!set->files[i].config) {
			if (b->configs[i])
				v->note = dup_str(b->m, "not built (the file has errors): drawn from "
							"its config, without allocated RAM");
			continue;
		}
		/* Images are not loaded: they change the contents of RAM, not the map. */
		/* As `vmcfg build` builds it: the hypervisor's devices, its allocation. */
		struct vmcfg_vm_create_opts co = { .arch = arch, .defer_zeroing = true,
						   .device_factory = vmcfg_vm_hv_model_factory,
						   .error = err, .error_size = sizeof err };
		if (vmcfg_vm_create(set->files[i].config, set->system, &b->host.hal, &co, &b->vms[i])) {
			char note[320];
			snprintf(note, sizeof note, "not built: %s; drawn from its config", err);
			v->note = dup_str(b->m, note);
		}
		v->built = b->vms[i] != NULL;
	}
	b->ram_count = sim_host_ram(&b->host, &b->ram);
	return b->ram ? 0 : VMCFG_ENOMEM;
}

static int vm_by_name(const struct builder *b, const char *name)
{
	for (size_t i = 0; i < b->set->count; i++)
		if (b->vms[i] && !strcmp(b->vms[i]->name, name))
			return (int)i;
	return -1;
}

/* A channel mapping as a child row of the VM's IVC window. */
static int add_channel_row(struct builder *b, int vm, const struct vmcfg_ivc_channel *ch,
			   uint64_t gpa, uint64_t size, bool writable)
{
	char label[64];
	snprintf(label, sizeof label, "channel %llu %s", (unsigned long long)ch->key.v,
		 writable ? "rw" : "ro");
	struct map_region *r = add_row(b->m, &b->m->vms[vm].space, gpa, end_of(gpa, size),
				       MAP_IVC_CHANNEL, vm, label);
	if (!r)
		return VMCFG_ENOMEM;
	r->child = true;
	take_codes(&b->codes, r, &b->set->diags, b->set->system->file, ch->span);
	return 0;
}

/*
 * Where static channel c lies in VM vm's window, by the placement rule (the
 * hypervisor's); a dynamic channel goes wherever the allocator puts it.
 */
static int channel_place(const struct builder *b, int vm, size_t c, uint64_t **at, uint64_t *gpa)
{
	const struct vmcfg_vm *v = b->vms[vm];
	struct vmcfg_ivc_placement p = { 0 };
	*at = NULL;
	if (!b->set->system->ivc[c].is_static)
		return 0;
	int rc = vmcfg_ivc_static_find(b->set->system, v->name, v->ivc_window_gpa,
				       v->ivc_window_size, c, &p);
	*gpa = p.gpa;
	*at = gpa;
	return rc == VMCFG_EINVAL ? VMCFG_EALIGN : rc;
}

/*
 * Maps one declared channel — its publisher publishes, then each
 * subscriber subscribes — as the hypervisor (static) or the guests'
 * hypercalls would, so the shared frames show on the host with both VMs'
 * arrows.
 */
static int map_channel(struct builder *b, struct vmcfg_ivc_registry *reg, size_t c)
{
	const struct vmcfg_ivc_channel *ch = &b->set->system->ivc[c];
	if (!ch->key.set || !ch->publisher.set)
		return 0; /* the checker reported it */
	int pub = vm_by_name(b, ch->publisher.s), rc;
	uint64_t gpa, size, *at;
	if (pub < 0)
		return add_note(b->m, "IVC channel %llu: publisher %s not built, not drawn",
				(unsigned long long)ch->key.v, ch->publisher.s);
	rc = channel_place(b, pub, c, &at, &gpa);
	if (!rc)
		rc = at ? vmcfg_ivc_publish_at(reg, b->vms[pub], ch->key.v, 0, *at, &size)
			: vmcfg_ivc_publish(reg, b->vms[pub], ch->key.v, 0, &gpa, &size);
	if (rc == VMCFG_ENOMEM || (!rc && (rc = add_channel_row(b, pub, ch, gpa, size, true))))
		return rc;
	if (rc)
		return add_note(b->m, "IVC channel %llu: %s cannot publish it: %s",
				(unsigned long long)ch->key.v, ch->publisher.s, vmcfg_strerror(rc));
	for (size_t k = 0; k < ch->subscriber_count; k++) {
		const struct vmcfg_ivc_subscriber *s = &ch->subscribers[k];
		int sub = s->vm.set ? vm_by_name(b, s->vm.s) : -1;
		bool writable;
		if (sub < 0)
			continue; /* unknown VM (E0310) or not built: its VM's note says */
		rc = channel_place(b, sub, c, &at, &gpa);
		if (!rc)
			rc = at ? vmcfg_ivc_subscribe_at(reg, b->vms[sub], b->vms[pub]->id, ch->key.v,
							 *at, &size, &writable)
				: vmcfg_ivc_subscribe(reg, b->vms[sub], b->vms[pub]->id, ch->key.v,
						      &gpa, &size, &writable);
		if (!rc)
			rc = add_channel_row(b, sub, ch, gpa, size, writable);
		else if (rc != VMCFG_ENOMEM)
			rc = add_note(b->m, "IVC channel %llu: %s cannot subscribe: %s",
				      (unsigned long long)ch->key.v, s->vm.s, vmcfg_strerror(rc));
		if (rc)
			return rc;
	}
	return 0;
}

/*
 * The system's channels: the static ones first, where the hypervisor puts
 * them when it creates the VMs, then the others in declaration order, as
 * the guests' calls would map them into what is left.
 */
static int map_channels(struct builder *b, struct vmcfg_ivc_registry *reg)
{
	const struct vmcfg_system *sys = b->set->system;
	for (int pass = 0; pass < 2; pass++)
		for (size_t c = 0; c < sys->ivc_count; c++) {
			int rc = sys->ivc[c].is_static == (pass == 0) ? map_channel(b, reg, c) : 0;
			if (rc)
				return rc;
		}
	return 0;
}

/* ---- a VM's guest rows ---- */

static enum map_kind ram_kind(enum vmcfg_map_type t)
{
	return t == VMCFG_MAP_IDENTICAL ? MAP_RAM_IDENTICAL
	       : t == VMCFG_MAP_RESERVED ? MAP_RAM_RESERVED
					 : MAP_RAM_ALLOC;
}

/* x86 consoles live in port I/O, not in guest physical memory. */
static bool in_port_space(const struct vmcfg_vm *vm, const struct vmcfg_vm_emu_device *d)
{
	for (size_t i = 0; vm && i < vm->device_count; i++)
		if (vm->devices[i].base == d->base_gpa && !strcmp(vm->devices[i].name, d->name))
			return vm->devices[i].space != VMCFG_VM_BUS_MMIO;
	return false;
}

/*
 * Adds a guest row with its codes; when the VM was not built and the host
 * address is fixed by the file (fixed_hpa), the backing run with it.
 */
static int add_guest(struct builder *b, int vm, uint64_t gpa, uint64_t size, enum map_kind kind,
		     const char *label, struct vmcfg_span entry, const uint64_t *fixed_hpa)
{
	struct map_region *r = add_row(b->m, &b->m->vms[vm].space, gpa, end_of(gpa, size), kind, vm,
				       label);
	if (!r)
		return VMCFG_ENOMEM;
	take_codes(&b->codes, r, &b->set->diags, b->set->files[vm].spec->file, entry);
	return fixed_hpa && !b->vms[vm] ? add_run(&b->runs[vm], gpa, *fixed_hpa, size) : 0;
}

/* The rows of a VM's config; entries follow the spec's, so each has its source span. */
static int add_guest_rows(struct builder *b, int vm)
{
	const struct vmcfg_vm_config *c = b->configs[vm];
	const struct vmcfg_vm_spec *s = b->set->files[vm].spec;
	int rc = 0;
	for (size_t i = 0; i < c->region_count && !rc; i++) {
		const struct vmcfg_vm_mem_region *r = &c->regions[i];
		if (r->flags & VMCFG_MEM_DEVICE)
			continue; /* not mapped (W0203 says so) */
		enum map_kind kind = ram_kind(r->map_type);
		rc = add_guest(b, vm, r->gpa, r->size, kind, "", s->kernel.regions[i].span,
			       kind == MAP_RAM_ALLOC ? NULL : &r->gpa);
	}
	for (size_t i = 0; i < c->emu_count && !rc; i++) {
		const struct vmcfg_vm_emu_device *d = &c->emu[i];
		if (d->length && !in_port_space(b->vms[vm], d))
			rc = add_guest(b, vm, d->base_gpa, d->length,
				       d->emu_type == VMCFG_EMU_IVC_CHANNEL ? MAP_IVC_WINDOW
									    : MAP_EMULATED,
				       d->name, s->devices.emu[i].span, NULL);
	}
	for (size_t i = 0; i < c->pt_count && !rc; i++) {
		const struct vmcfg_vm_pt_device *d = &c->pt[i];
		if (d->length) /* else a device-tree path: its windows need the host DT */
			rc = add_guest(b, vm, d->base_gpa, d->length, MAP_PASSTHROUGH, d->name,
				       s->devices.pt[i].span, &d->base_hpa);
	}
	for (size_t i = 0; i < c->pt_address_count && !rc; i++) {
		const struct vmcfg_vm_pt_address *a = &c->pt_addresses[i];
		rc = add_guest(b, vm, a->gpa, a->length, MAP_PASSTHROUGH, "address window",
			       s->devices.pt_addresses[i].span, &a->gpa);
	}
	return rc;
}

/* ---- host rows ---- */

static int collect_run(void *ud, const struct vmcfg_mapping *mp)
{
	struct runs *r = ud;
	/* A lazy run has no frames yet: nothing on the host to point at. */
	return mp->lazy ? 0 : add_run(r, mp->gpa, mp->hpa, mp->size);
}

/* A host row for a piece of guest row g, or the second owner of a shared channel's row. */
static int add_host_piece(struct map_model *m, const struct map_region *g, int vm, uint64_t hpa,
			  uint64_t size)
{
	uint64_t end = end_of(hpa, size);
	for (size_t i = 0; g->kind == MAP_IVC_CHANNEL && i < m->host.count; i++) {
		struct map_region *h = &m->host.rows[i];
		if (h->kind == MAP_IVC_CHANNEL && h->base == hpa && h->end == end && h->owner != vm) {
			h->sharer = vm;
			return 0;
		}
	}
	/* A channel's host row is named by its key alone: its access differs per VM. */
	const char *label = g->label;
	char key[64];
	if (g->kind == MAP_IVC_CHANNEL) {
		snprintf(key, sizeof key, "%s", g->label);
		char *space = strrchr(key, ' ');
		if (space)
			*space = '\0';
		label = key;
	}
	struct map_region *h = add_row(m, &m->host, hpa, end, g->kind, vm, label);
	if (!h)
		return VMCFG_ENOMEM;
	memcpy(h->codes, g->codes, sizeof h->codes);
	h->code_count = g->code_count;
	h->error = g->error;
	return 0;
}

/* A run in guest address order: its start, end and index among the VM's runs. */
struct run_key {
	uint64_t gpa, end;
	size_t index;
};

static int compare_run_keys(const void *a, const void *b)
{
	const struct run_key *x = a, *y = b;
	if (x->gpa != y->gpa)
		return x->gpa < y->gpa ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * Every guest row with backing gets host rows and arrows from the runs that
 * meet it, in the runs' order. Rows and runs are sorted and searched, not
 * compared pairwise. Disjoint rows and runs meet in fewer than rows + runs
 * pieces; only overlapping rows (a VM with errors, drawn from its config)
 * meet more, up to rows × runs: past that budget the rest is left out and a
 * note says so, so 10^4 regions at one address cannot take gigabytes.
 */
static int add_backing(struct builder *b, int vm)
{
	struct map_space *s = &b->m->vms[vm].space;
	const struct runs *runs = &b->runs[vm];
	size_t n = runs->count, budget = n + s->count + 64;
	bool cut = false;
	if (!n)
		return 0;
	struct run_key *keys = malloc(n * sizeof *keys);
	uint64_t *reach = malloc(n * sizeof *reach); /* reach[k]: the highest end of keys[0..k] */
	size_t *hits = malloc(n * sizeof *hits);     /* the runs one row meets, as indexes */
	int rc = keys && reach && hits ? 0 : VMCFG_ENOMEM;
	for (size_t k = 0; !rc && k < n; k++)
		keys[k] = (struct run_key){ runs->v[k].gpa, end_of(runs->v[k].gpa, runs->v[k].size), k };
	if (!rc) {
		qsort(keys, n, sizeof *keys, compare_run_keys);
		for (size_t k = 0; k < n; k++)
			reach[k] = k && reach[k - 1] > keys[k].end ? reach[k - 1] : keys[k].end;
	}
	for (size_t i = 0; i < s->count && !rc; i++) {
		const struct map_region *g = &s->rows[i];
		if (!map_kind_has_backing(g->kind))
			continue;
		if (!budget) {
			cut = true;
			break;
		}
		size_t lo = 0, hi = n;
		while (lo < hi) { /* the first run whose reach passes the row's base */
			size_t mid = lo + (hi - lo) / 2;
			if (reach[mid] <= g->base)
				lo = mid + 1;
			else
				hi = mid;
		}
		size_t nhits = 0;
		for (size_t k = lo; k < n && keys[k].gpa < g->end; k++)
			if (keys[k].end > g->base && keys[k].gpa < keys[k].end && g->base < g->end)
				hits[nhits++] = keys[k].index;
		if (nhits > 1)
			qsort(hits, nhits, sizeof *hits, compare_size);
		for (size_t h = 0; h < nhits && !rc; h++) {
			if (!budget) {
				cut = true;
				break;
			}
			const struct map_link *u = &runs->v[hits[h]];
			uint64_t ue = end_of(u->gpa, u->size);
			uint64_t a = g->base > u->gpa ? g->base : u->gpa, z = g->end < ue ? g->end : ue;
			uint64_t hpa = u->hpa + (a - u->gpa);
			budget--;
			rc = add_host_piece(b->m, g, vm, hpa, z - a);
			if (!rc && !grow(&b->m->links, &b->m->link_cap, b->m->link_count,
					 sizeof *b->m->links))
				rc = VMCFG_ENOMEM;
			if (!rc)
				b->m->links[b->m->link_count++] = (struct map_link){ vm, a, hpa, z - a };
		}
	}
	free(keys);
	free(reach);
	free(hits);
	if (!rc && cut)
		rc = add_note(b->m, "vm %s: overlapping guest ranges: their host backing is not "
				    "drawn in full", b->m->vms[vm].name);
	return rc;
}

static int collect_table(void *ud, const struct vmcfg_desc_visit *v)
{
	struct runs *r = ud;
	return v->pte.type == VMCFG_PTE_TABLE ? add_run(r, v->pte.pa, v->pte.pa, VMCFG_PAGE_SIZE) : 0;
}

static int compare_runs(const void *a, const void *b)
{
	const struct map_link *x = a, *y = b;
	return x->hpa < y->hpa ? -1 : x->hpa > y->hpa;
}

/* The host pages of a built VM's stage-2 tables (root and every next-level table), in runs. */
static int add_page_tables(struct builder *b, int vm)
{
	const struct vmcfg_aspace *as = &b->vms[vm]->aspace;
	struct runs pages = { vm, NULL, 0, 0 };
	int rc = add_run(&pages, as->root_pa, as->root_pa,
			 (uint64_t)as->root_pages * VMCFG_PAGE_SIZE);
	if (!rc)
		rc = vmcfg_aspace_for_each_desc(as, collect_table, &pages);
	if (!rc)
		qsort(pages.v, pages.count, sizeof *pages.v, compare_runs);
	for (size_t i = 0; i < pages.count && !rc;) {
		uint64_t base = pages.v[i].hpa, end = end_of(base, pages.v[i].size);
		for (i++; i < pages.count && pages.v[i].hpa == end; i++)
			end = end_of(end, pages.v[i].size);
		rc = add_row(b->m, &b->m->host, base, end, MAP_PAGE_TABLES, vm, "") ? 0 : VMCFG_ENOMEM;
	}
	free(pages.v);
	return rc;
}

static int add_platform_rows(struct builder *b, const struct vmcfg_platform *p)
{
	const struct vmcfg_host_range *lists[2] = { p->hv_memory, p->reserved };
	size_t counts[2] = { p->hv_memory_count, p->reserved_count };
	enum map_kind kinds[2] = { MAP_HV_MEMORY, MAP_RESERVED_FRAME };
	for (int l = 0; l < 2; l++)
		for (size_t i = 0; i < counts[l]; i++) {
			const struct vmcfg_host_range *h = &lists[l][i];
			struct map_region *r = add_row(b->m, &b->m->host, h->base,
						       end_of(h->base, h->size), kinds[l],
						       MAP_HOST_OWNER, h->name);
			if (!r)
				return VMCFG_ENOMEM;
			take_codes(&b->codes, r, &b->set->diags, p->file, h->span);
		}
	return 0;
}

/* ---- finishing a space: order, lanes, overlaps, gaps ---- */

static int compare_rows(const void *a, const void *b)
{
	const struct map_region *x = a, *y = b;
	if (x->base != y->base)
		return x->base < y->base ? -1 : 1;
	if (x->child != y->child) /* a parent before what it holds */
		return x->child ? 1 : -1;
	return x->end > y->end ? -1 : x->end < y->end;
}

#define MAX_LANES 8

/* The open rows of a sweep: a binary min-heap of row indexes by end. */
struct open_rows {
	size_t *v;
	size_t count;
	const struct map_region *rows;
};

static void open_push(struct open_rows *h, size_t row)
{
	size_t i = h->count++;
	while (i && h->rows[h->v[(i - 1) / 2]].end > h->rows[row].end) {
		h->v[i] = h->v[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h->v[i] = row;
}

static void open_pop(struct open_rows *h)
{
	size_t last = h->v[--h->count], i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= h->count)
			break;
		if (c + 1 < h->count && h->rows[h->v[c + 1]].end < h->rows[h->v[c]].end)
			c++;
		if (h->rows[h->v[c]].end >= h->rows[last].end)
			break;
		h->v[i] = h->v[c];
		i = c;
	}
	if (h->count)
		h->v[i] = last;
}

/*
 * Overlapping top-level rows go side by side: each takes the first lane
 * free at its base. Overlaps are found by a sweep over the rows (sorted by
 * base) that keeps the open ones in a heap by end: O(n log n). They are
 * listed by the later row, then the earlier one, both ascending; past
 * MAP_MAX_OVERLAPS per space only counted (overlaps_left_out), so 10^4
 * regions at one address cannot list 10^8 pairs.
 */
static int lay_out(struct map_space *s)
{
	uint64_t lane_end[MAX_LANES] = { 0 };
	unsigned parent_lane = 0;
	struct open_rows open = { malloc((s->count + 1) * sizeof(size_t)), 0, s->rows };
	size_t *earlier = malloc((s->count + 1) * sizeof(size_t));
	int rc = open.v && earlier ? 0 : VMCFG_ENOMEM;
	s->lanes = 1;
	for (size_t i = 0; i < s->count && !rc; i++) {
		struct map_region *r = &s->rows[i];
		if (r->child) {
			r->lane = parent_lane;
			continue;
		}
		unsigned lane = 0;
		while (lane < MAX_LANES - 1 && lane_end[lane] > r->base)
			lane++;
		r->lane = parent_lane = lane;
		lane_end[lane] = r->end;
		if (lane + 1 > s->lanes)
			s->lanes = lane + 1;
		while (open.count && s->rows[open.v[0]].end <= r->base)
			open_pop(&open);
		size_t room = MAP_MAX_OVERLAPS - s->overlap_count;
		if (open.count > room)
			s->overlaps_left_out += open.count - room;
		if (room && open.count) {
			memcpy(earlier, open.v, open.count * sizeof *earlier);
			qsort(earlier, open.count, sizeof *earlier, compare_size);
		}
		for (size_t k = 0; k < open.count && k < room; k++) {
			const struct map_region *o = &s->rows[earlier[k]];
			if (!grow(&s->overlaps, &s->overlap_cap, s->overlap_count, sizeof *s->overlaps)) {
				rc = VMCFG_ENOMEM;
				break;
			}
			struct map_overlap *v = &s->overlaps[s->overlap_count++];
			*v = (struct map_overlap){ r->base, o->end < r->end ? o->end : r->end, earlier[k],
						   i, { NULL }, 0 };
			for (unsigned a = 0; a < o->code_count; a++)
				for (unsigned c = 0; c < r->code_count; c++)
					if (!strcmp(o->codes[a], r->codes[c]))
						add_code(v->codes, &v->code_count, o->codes[a]);
			/*
			 * A conflict is drawn only where the checker reports one on both
			 * rows (docs/diagnostics.md, the contract): windows that merge,
			 * or share a page, overlap without being wrong.
			 */
			if (v->code_count == 0)
				s->overlap_count--;
		}
		open_push(&open, i);
	}
	free(open.v);
	free(earlier);
	return rc;
}

/*
 * Gap [a, b): inside host RAM free RAM, outside it `outside`. Gaps come in
 * address order, so the RAM banks before *next are behind them all.
 */
static int add_gap(struct map_model *m, struct map_space *s, uint64_t a, uint64_t b,
		   const struct sim_range *ram, size_t nram, size_t *next, enum map_kind outside)
{
	while (*next < nram && ram[*next].end <= a)
		++*next;
	for (size_t i = *next; i < nram && a < b; i++) {
		if (ram[i].end <= a)
			continue;
		if (ram[i].base >= b)
			break;
		if (ram[i].base > a && !add_row(m, s, a, ram[i].base, outside, MAP_HOST_OWNER, ""))
			return VMCFG_ENOMEM;
		uint64_t lo = ram[i].base > a ? ram[i].base : a, hi = ram[i].end < b ? ram[i].end : b;
		if (!add_row(m, s, lo, hi, MAP_GAP_FREE_RAM, MAP_HOST_OWNER, ""))
			return VMCFG_ENOMEM;
		a = hi;
	}
	return a < b && !add_row(m, s, a, b, outside, MAP_HOST_OWNER, "") ? VMCFG_ENOMEM : 0;
}

/*
 * Sorts the rows, fills the gaps between the first and the last address
 * shown (host RAM counts, so free RAM at either end shows too) and lays out
 * the overlaps.
 */
static int finish_space(struct map_model *m, struct map_space *s, const struct sim_range *ram,
			size_t nram, enum map_kind outside)
{
	if (!s->count && !nram)
		return 0;
	if (s->count > 1)
		qsort(s->rows, s->count, sizeof *s->rows, compare_rows);
	uint64_t at = s->count ? s->rows[0].base : ram[0].base;
	size_t next = 0;
	if (nram && ram[0].base < at)
		at = ram[0].base;
	size_t rows = s->count; /* the gaps are appended behind */
	int rc = 0;
	for (size_t i = 0; i < rows && !rc; i++) {
		uint64_t base = s->rows[i].base, end = s->rows[i].end;
		if (s->rows[i].child)
			continue;
		if (base > at)
			rc = add_gap(m, s, at, base, ram, nram, &next, outside);
		if (end > at)
			at = end;
	}
	if (!rc && nram && ram[nram - 1].end > at)
		rc = add_gap(m, s, at, ram[nram - 1].end, ram, nram, &next, outside);
	if (rc)
		return rc;
	/* qsort's array may not be NULL, even for no rows (UBSan aborts on it) */
	if (s->count > 1)
		qsort(s->rows, s->count, sizeof *s->rows, compare_rows);
	return lay_out(s);
}

/* ---- the whole map ---- */

/* Attaches the built VMs to an IVC registry and maps the declared channels. */
static int map_ivc(struct builder *b, struct vmcfg_ivc_registry *reg)
{
	int rc = 0;
	for (size_t i = 0; i < b->set->count && !rc; i++)
		if (b->vms[i] && (rc = vmcfg_ivc_attach(reg, b->vms[i])) != VMCFG_ENOMEM && rc) {
			rc = add_note(b->m, "vm %s: IVC channels not mapped: %s", b->vms[i]->name,
				      vmcfg_strerror(rc));
			vmcfg_vm_destroy(b->vms[i]); /* the map shows it from its config instead */
			b->vms[i] = NULL;
			b->m->vms[i].built = false;
		}
	return rc ? rc : map_channels(b, reg);
}

/* Everything the map shows, VM after VM, then the platform, then each space finished. */
static int fill(struct builder *b, const struct vmcfg_platform *platform)
{
	struct map_model *m = b->m;
	int rc = 0;
	for (size_t i = 0; i < m->vm_count && !rc; i++) {
		int vm = (int)i;
		if (!b->configs[i])
			continue;
		b->runs[i].vm = vm;
		rc = add_guest_rows(b, vm);
		if (!rc && b->vms[i])
			rc = vmcfg_aspace_for_each(&b->vms[i]->aspace, collect_run, &b->runs[i]);
		if (!rc && b->vms[i])
			rc = add_page_tables(b, vm);
		if (!rc)
			rc = add_backing(b, vm);
	}
	if (!rc && platform)
		rc = add_platform_rows(b, platform);
	if (!rc)
		rc = finish_space(m, &m->host, b->ram, b->ram_count, MAP_GAP_NO_RAM);
	if (!rc && m->host.overlaps_left_out)
		rc = add_note(m, "host: %zu more overlaps not listed", m->host.overlaps_left_out);
	for (size_t i = 0; i < m->vm_count && !rc; i++) {
		rc = finish_space(m, &m->vms[i].space, NULL, 0, MAP_GAP_UNMAPPED);
		if (!rc && m->vms[i].space.overlaps_left_out)
			rc = add_note(m, "vm %s: %zu more overlaps not listed", m->vms[i].name,
				      m->vms[i].space.overlaps_left_out);
	}
	return rc;
}

int map_model_build(struct map_model *m, const struct vm_set *set)
{
	const struct vmcfg_platform *platform = vm_set_platform(set);
	enum vmcfg_arch arch = platform && platform->arch ? platform->arch : VMCFG_ARCH_AARCH64;
	size_t n = set->count ? set->count : 1;
	struct builder b = { .m = m, .set = set };
	struct vmcfg_ivc_registry reg;
	bool have_reg = false;

	memset(m, 0, sizeof *m);
	vmcfg_arena_init(&m->arena, &vmcfg_host_allocator, 0);
	m->has_platform = platform != NULL;
	m->arch = vmcfg_arch_name(arch);
	m->vm_count = set->count;
	m->vms = calloc(n, sizeof *m->vms);
	b.configs = calloc(n, sizeof *b.configs);
	b.own = calloc(n, sizeof *b.own);
	b.vms = calloc(n, sizeof *b.vms);
	b.runs = calloc(n, sizeof *b.runs);
	int rc = m->vms && b.configs && b.own && b.vms && b.runs ? 0 : VMCFG_ENOMEM;
	if (!rc)
		rc = index_codes(&b.codes, &set->diags);
	if (!rc)
		rc = gather_configs(&b);
	if (!rc)
		rc = build_vms(&b, arch);
	if (!rc && set->system && set->system->ivc_count && b.host.bank_count) {
		have_reg = vmcfg_ivc_init(&reg, &vmcfg_host_allocator, &b.host.hal, set->system, NULL,
					  NULL, NULL) == 0;
		rc = have_reg ? map_ivc(&b, &reg) : 0;
	}
	if (!rc)
		rc = fill(&b, platform);

	if (have_reg)
		vmcfg_ivc_destroy(&reg);
	for (size_t i = 0; i < set->count; i++) {
		if (b.vms && b.vms[i])
			vmcfg_vm_destroy(b.vms[i]);
		if (b.own)
			vmcfg_vm_config_free(b.own[i]);
		if (b.runs)
			free(b.runs[i].v);
	}
	sim_host_free(&b.host);
	free(b.codes.refs);
	free(b.codes.hits);
	free(b.ram);
	free(b.configs);
	free(b.own);
	free(b.vms);
	free(b.runs);
	return rc;
}

void map_model_free(struct map_model *m)
{
	free(m->host.rows);
	free(m->host.overlaps);
	for (size_t i = 0; m->vms && i < m->vm_count; i++) {
		free(m->vms[i].space.rows);
		free(m->vms[i].space.overlaps);
	}
	free(m->vms);
	free(m->links);
	free(m->notes);
	vmcfg_arena_release(&m->arena);
	memset(m, 0, sizeof *m);
}
