/* SPDX-License-Identifier: MIT */
/*
 * vm_spec → vm_config, as the reference's From<AxVMCrateConfig>, and the
 * config's storage: growable arrays from the config's allocator, strings
 * and fixed-size lists (cpu lists, cfg_list) in its arena.
 *
 * The spec is checked completely before anything is allocated, so a
 * refused spec costs nothing; a conversion that runs out of memory frees
 * what it built.
 */
#include "vmcfg/config.h"
#include "../base/libc.h"
#include "internal.h"

/*
 * Names, paths and cmdlines are short: a small chunk keeps a config's
 * footprint small inside the hypervisor. Longer strings get a chunk of
 * their own (see vmcfg_arena_alloc).
 */
#define ARENA_CHUNK 1024

bool vmcfg_vm_config_grow(struct vmcfg_vm_config *cfg, void *items, size_t *cap, size_t need, size_t elem,
		    void **out)
{
	if (need <= *cap) {
		*out = items;
		return true;
	}
	size_t n = *cap <= SIZE_MAX / 2 && *cap * 2 > need ? *cap * 2 : need;
	if (n > SIZE_MAX / elem)
		return false;
	void *p = cfg->alloc.fn(cfg->alloc.ud, items, *cap * elem, n * elem);
	if (!p)
		return false;
	*cap = n;
	*out = p;
	return true;
}

/* --- what convert refuses: unset required values, values the config cannot hold --- */

static bool fits(const struct vmcfg_spec_u64 *v, uint64_t max)
{
	return v->set && v->v <= max;
}

static bool all_set(const struct vmcfg_spec_u64_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		if (!l->items[i].set)
			return false;
	return true;
}

/* phys_cpu_ids / phys_cpu_sets are optional; when given, one entry per vCPU. */
static bool cpu_list_ok(const struct vmcfg_spec_u64_list *l, uint64_t cpu_num)
{
	return !l->set || (l->count == cpu_num && all_set(l));
}

static bool str_is(const struct vmcfg_spec_str *s, const char *word)
{
	size_t n = strlen(word);
	return s->len == n && !memcmp(s->s, word, n);
}

/* kernel.image_location: "fs" (also when absent) or "memory"; false for anything else. */
static bool image_location(const struct vmcfg_spec_str *s, enum vmcfg_image_location *out)
{
	*out = s->set && str_is(s, "memory") ? VMCFG_IMAGE_MEMORY : VMCFG_IMAGE_FS;
	return !s->set || str_is(s, "fs") || str_is(s, "memory");
}

/*
 * A region must fit below 2^64, as vmcfg_vm_config_add_region demands, so every
 * region of a config can be used without further checks on wrapping.
 */
static bool region_ok(const struct vmcfg_spec_region *r)
{
	return r->gpa.set && r->size.set && fits(&r->flags, UINT32_MAX) &&
	       fits(&r->map_type, VMCFG_MAP_RESERVED) && !vm_range_wraps(r->gpa.v, r->size.v);
}

static bool emu_ok(const struct vmcfg_spec_emu_device *e)
{
	return e->name.set && e->base_gpa.set && e->length.set && fits(&e->irq_id, UINT32_MAX) &&
	       fits(&e->emu_type, UINT32_MAX) && e->cfg_list.set && all_set(&e->cfg_list);
}

/* Only the name is required: absent optional fields mean 0. */
static bool pt_ok(const struct vmcfg_spec_pt_device *p)
{
	return p->name.set && (!p->irq_id.set || p->irq_id.v <= UINT32_MAX);
}

static bool base_ok(const struct vmcfg_vm_spec *spec)
{
	uint64_t n = spec->base.cpu_num.v;
	/*
	 * A VM needs a vCPU (cpu_num 0 is E0202); the vCPU count must fit the
	 * int that vmcfg_vm_config_vcpu_affinities returns.
	 */
	return spec->base.id.set && spec->base.name.set && fits(&spec->base.vm_type, UINT32_MAX) &&
	       fits(&spec->base.cpu_num, INT32_MAX) && n != 0 &&
	       cpu_list_ok(&spec->base.phys_cpu_ids, n) &&
	       cpu_list_ok(&spec->base.phys_cpu_sets, n);
}

static bool kernel_ok(const struct vmcfg_vm_spec *spec)
{
	enum vmcfg_image_location loc;
	if (!spec->kernel.entry_point.set || !spec->kernel.kernel.path.set ||
	    !spec->kernel.kernel.load_addr.set || !spec->kernel.regions_set ||
	    !image_location(&spec->kernel.image_location, &loc))
		return false;
	for (size_t i = 0; i < spec->kernel.region_count; i++)
		if (!region_ok(&spec->kernel.regions[i]))
			return false;
	return true;
}

static bool devices_ok(const struct vmcfg_vm_spec *spec)
{
	if (!spec->devices.emu_set || !spec->devices.pt_set ||
	    (unsigned)spec->devices.irq_mode > VMCFG_IRQ_PASSTHROUGH)
		return false;
	for (size_t i = 0; i < spec->devices.emu_count; i++)
		if (!emu_ok(&spec->devices.emu[i]))
			return false;
	for (size_t i = 0; i < spec->devices.pt_count; i++)
		if (!pt_ok(&spec->devices.pt[i]))
			return false;
	for (size_t i = 0; i < spec->devices.pt_address_count; i++) {
		const struct vmcfg_spec_pt_address *a = &spec->devices.pt_addresses[i];
		if (!a->gpa.set || !a->length.set)
			return false;
	}
	for (size_t i = 0; i < spec->devices.excluded_count; i++) {
		const struct vmcfg_spec_excluded *x = &spec->devices.excluded[i];
		for (size_t j = 0; j < x->count; j++)
			if (!x->paths[j].set)
				return false;
	}
	return true;
}

/* --- copying into the config --- */

static int copy_str(struct vmcfg_vm_config *cfg, const struct vmcfg_spec_str *s, const char **out)
{
	*out = NULL;
	if (!s->set)
		return 0;
	*out = vmcfg_arena_strndup(&cfg->arena, s->s, s->len);
	return *out ? 0 : VMCFG_ENOMEM;
}

/* The values of l in the arena; NULL when l is absent or empty. */
static int copy_list(struct vmcfg_vm_config *cfg, const struct vmcfg_spec_u64_list *l, uint64_t **out)
{
	*out = NULL;
	if (!l->set || l->count == 0)
		return 0;
	/* count * 8 cannot overflow: the spec already holds count larger items. */
	uint64_t *v = vmcfg_arena_alloc(&cfg->arena, l->count * sizeof *v, _Alignof(uint64_t));
	if (!v)
		return VMCFG_ENOMEM;
	for (size_t i = 0; i < l->count; i++)
		v[i] = l->items[i].v;
	*out = v;
	return 0;
}

static int copy_image(struct vmcfg_vm_config *cfg, const struct vmcfg_spec_image *in, struct vmcfg_vm_image *out)
{
	out->present = in->path.set || in->load_addr.set;
	out->has_load_gpa = in->load_addr.set;
	out->load_gpa = in->load_addr.set ? in->load_addr.v : 0;
	return copy_str(cfg, &in->path, &out->path);
}

/*
 * Regions flagged DEVICE are kept as written: vmcfg_vm_create skips them with a
 * warning (W0203), and the JSON dump shows what the file said.
 */
static int copy_regions(struct vmcfg_vm_config *cfg, const struct vmcfg_vm_spec *spec)
{
	void *p;
	size_t n = spec->kernel.region_count;
	if (!vmcfg_vm_config_grow(cfg, cfg->regions, &cfg->region_cap, n, sizeof *cfg->regions, &p))
		return VMCFG_ENOMEM;
	cfg->regions = p;
	for (size_t i = 0; i < n; i++) {
		const struct vmcfg_spec_region *r = &spec->kernel.regions[i];
		struct vmcfg_vm_mem_region m = { .gpa = r->gpa.v, .size = r->size.v,
					   .flags = (uint32_t)r->flags.v,
					   .map_type = (enum vmcfg_map_type)r->map_type.v };
		int rc = vmcfg_vm_config_add_region(cfg, &m); /* has room, fits: cannot fail */
		if (rc)
			return rc;
	}
	return 0;
}

static int copy_emu_devices(struct vmcfg_vm_config *cfg, const struct vmcfg_vm_spec *spec)
{
	void *p;
	size_t n = spec->devices.emu_count;
	if (!vmcfg_vm_config_grow(cfg, cfg->emu, &cfg->emu_cap, n, sizeof *cfg->emu, &p))
		return VMCFG_ENOMEM;
	cfg->emu = p;
	for (size_t i = 0; i < n; i++) {
		const struct vmcfg_spec_emu_device *e = &spec->devices.emu[i];
		struct vmcfg_vm_emu_device *d = &cfg->emu[cfg->emu_count];
		d->base_gpa = e->base_gpa.v;
		d->length = e->length.v;
		d->irq_id = (uint32_t)e->irq_id.v;
		d->emu_type = (uint32_t)e->emu_type.v;
		d->cfg_count = e->cfg_list.count;
		int rc = copy_str(cfg, &e->name, &d->name);
		if (rc || (rc = copy_list(cfg, &e->cfg_list, &d->cfg_list)))
			return rc;
		cfg->emu_count++;
	}
	return 0;
}

static uint64_t value_or_0(const struct vmcfg_spec_u64 *v)
{
	return v->set ? v->v : 0;
}

static int copy_pt_devices(struct vmcfg_vm_config *cfg, const struct vmcfg_vm_spec *spec)
{
	void *p;
	size_t n = spec->devices.pt_count;
	if (!vmcfg_vm_config_grow(cfg, cfg->pt, &cfg->pt_cap, n, sizeof *cfg->pt, &p))
		return VMCFG_ENOMEM;
	cfg->pt = p;
	for (size_t i = 0; i < n; i++) {
		const struct vmcfg_spec_pt_device *s = &spec->devices.pt[i];
		struct vmcfg_vm_pt_device d = { .name = s->name.s,
					  .base_gpa = value_or_0(&s->base_gpa),
					  .base_hpa = value_or_0(&s->base_hpa),
					  .length = value_or_0(&s->length),
					  .irq_id = (uint32_t)value_or_0(&s->irq_id) };
		int rc = vmcfg_vm_config_add_pt_device(cfg, &d); /* copies the name */
		if (rc)
			return rc;
	}
	return 0;
}

static int copy_pt_addresses(struct vmcfg_vm_config *cfg, const struct vmcfg_vm_spec *spec)
{
	void *p;
	size_t n = spec->devices.pt_address_count;
	if (!vmcfg_vm_config_grow(cfg, cfg->pt_addresses, &cfg->pt_address_cap, n,
			    sizeof *cfg->pt_addresses, &p))
		return VMCFG_ENOMEM;
	cfg->pt_addresses = p;
	for (size_t i = 0; i < n; i++) {
		const struct vmcfg_spec_pt_address *a = &spec->devices.pt_addresses[i];
		cfg->pt_addresses[i] = (struct vmcfg_vm_pt_address){ .gpa = a->gpa.v,
							       .length = a->length.v };
	}
	cfg->pt_address_count = n;
	return 0;
}

static int copy_pt_ports(struct vmcfg_vm_config *cfg, const struct vmcfg_vm_spec *spec)
{
	void *p;
	size_t n = spec->devices.pt_port_count;
	if (!vmcfg_vm_config_grow(cfg, cfg->pt_ports, &cfg->pt_port_cap, n, sizeof *cfg->pt_ports, &p))
		return VMCFG_ENOMEM;
	cfg->pt_ports = p;
	for (size_t i = 0; i < n; i++)
		cfg->pt_ports[i] = (struct vmcfg_vm_pt_port){ .base = spec->devices.pt_ports[i].base.v,
							      .length = spec->devices.pt_ports[i].length.v };
	cfg->pt_port_count = n;
	return 0;
}

/* excluded_devices is a list of lists of paths; the config keeps one flat list. */
static int copy_excluded(struct vmcfg_vm_config *cfg, const struct vmcfg_vm_spec *spec)
{
	void *p;
	size_t n = 0;
	for (size_t i = 0; i < spec->devices.excluded_count; i++)
		n += spec->devices.excluded[i].count;
	if (!vmcfg_vm_config_grow(cfg, cfg->excluded, &cfg->excluded_cap, n, sizeof *cfg->excluded, &p))
		return VMCFG_ENOMEM;
	cfg->excluded = p;
	for (size_t i = 0; i < spec->devices.excluded_count; i++) {
		const struct vmcfg_spec_excluded *x = &spec->devices.excluded[i];
		for (size_t j = 0; j < x->count; j++) {
			int rc = copy_str(cfg, &x->paths[j], &cfg->excluded[cfg->excluded_count]);
			if (rc)
				return rc;
			cfg->excluded_count++;
		}
	}
	return 0;
}

static int copy_spec(struct vmcfg_vm_config *cfg, const struct vmcfg_vm_spec *spec)
{
	int rc;
	cfg->id = spec->base.id.v;
	cfg->vm_type = (uint32_t)spec->base.vm_type.v;
	cfg->cpu_num = (uint32_t)spec->base.cpu_num.v;
	/* As in the reference, the BSP and the APs all start at entry_point. */
	cfg->bsp_entry = cfg->ap_entry = spec->kernel.entry_point.v;
	image_location(&spec->kernel.image_location, &cfg->image_location);
	cfg->irq_mode = spec->devices.irq_mode;
	/* The SPI list starts empty: SPIs come from the host DT or emulated devices. */
	if ((rc = copy_str(cfg, &spec->base.name, &cfg->name)) ||
	    (rc = copy_list(cfg, &spec->base.phys_cpu_ids, &cfg->phys_cpu_ids)) ||
	    (rc = copy_list(cfg, &spec->base.phys_cpu_sets, &cfg->phys_cpu_sets)) ||
	    (rc = copy_image(cfg, &spec->kernel.kernel, &cfg->kernel)) ||
	    (rc = copy_image(cfg, &spec->kernel.bios, &cfg->bios)) ||
	    (rc = copy_image(cfg, &spec->kernel.dtb, &cfg->dtb)) ||
	    (rc = copy_image(cfg, &spec->kernel.ramdisk, &cfg->ramdisk)) ||
	    (rc = copy_str(cfg, &spec->kernel.cmdline, &cfg->cmdline)) ||
	    (rc = copy_str(cfg, &spec->kernel.disk_path, &cfg->disk_path)) ||
	    (rc = copy_regions(cfg, spec)) || (rc = copy_emu_devices(cfg, spec)) ||
	    (rc = copy_pt_devices(cfg, spec)) || (rc = copy_pt_addresses(cfg, spec)) ||
	    (rc = copy_pt_ports(cfg, spec)) ||
	    (rc = copy_excluded(cfg, spec)))
		return rc;
	return 0;
}

int vmcfg_vm_config_from_spec(const struct vmcfg_vm_spec *spec, const struct vmcfg_allocator *alloc,
			struct vmcfg_vm_config **out)
{
	if (!out)
		return VMCFG_EINVAL;
	*out = NULL;
	if (!spec || !alloc || !alloc->fn)
		return VMCFG_EINVAL;
	if (!base_ok(spec) || !kernel_ok(spec) || !devices_ok(spec))
		return VMCFG_EINVALID;

	struct vmcfg_vm_config *cfg = alloc->fn(alloc->ud, NULL, 0, sizeof *cfg);
	if (!cfg)
		return VMCFG_ENOMEM;
	memset(cfg, 0, sizeof *cfg);
	cfg->alloc = *alloc;
	vmcfg_arena_init(&cfg->arena, alloc, ARENA_CHUNK);
	int rc = copy_spec(cfg, spec);
	if (rc) {
		vmcfg_vm_config_free(cfg);
		return rc;
	}
	*out = cfg;
	return 0;
}

void vmcfg_vm_config_free(struct vmcfg_vm_config *cfg)
{
	if (!cfg)
		return;
	struct vmcfg_allocator a = cfg->alloc;
	/* Freeing NULL is part of the allocator contract: empty arrays need no test. */
	a.fn(a.ud, cfg->regions, cfg->region_cap * sizeof *cfg->regions, 0);
	a.fn(a.ud, cfg->emu, cfg->emu_cap * sizeof *cfg->emu, 0);
	a.fn(a.ud, cfg->pt, cfg->pt_cap * sizeof *cfg->pt, 0);
	a.fn(a.ud, cfg->pt_addresses, cfg->pt_address_cap * sizeof *cfg->pt_addresses, 0);
	a.fn(a.ud, cfg->pt_ports, cfg->pt_port_cap * sizeof *cfg->pt_ports, 0);
	a.fn(a.ud, cfg->excluded, cfg->excluded_cap * sizeof *cfg->excluded, 0);
	a.fn(a.ud, cfg->spis, cfg->spi_cap * sizeof *cfg->spis, 0);
	vmcfg_arena_release(&cfg->arena);
	a.fn(a.ud, cfg, sizeof *cfg, 0);
}
