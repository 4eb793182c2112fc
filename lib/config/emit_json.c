/* SPDX-License-Identifier: MIT */
/*
 * The runtime config as JSON, for tools and tests (`vmcfg json`). Fields
 * come in a fixed order with the file's names (docs/json.md: the one
 * vocabulary of every JSON output); addresses, sizes, masks and flags are
 * "0x…" strings, other integers numbers; absent optional values are null. Layout: two-space
 * indent, one member or element per line, empty containers as {} and [].
 */
#include "vmcfg/config.h"
#include "vmcfg/json.h"
#include "../base/libc.h"
#include "internal.h"

/* Writing state: where the next member or element goes. */
struct out {
	const struct vmcfg_writer *w;
	unsigned depth; /* open containers */
	bool first;     /* the innermost open container is still empty */
};

static void put(struct out *o, const char *s)
{
	vmcfg_json_write_raw(o->w, s);
}

static void indent(struct out *o)
{
	for (unsigned i = 0; i < o->depth; i++)
		put(o, "  ");
}

static void begin(struct out *o, const char *bracket)
{
	put(o, bracket);
	o->depth++;
	o->first = true;
}

static void end(struct out *o, const char *bracket)
{
	o->depth--;
	if (!o->first) {
		put(o, "\n");
		indent(o);
	}
	put(o, bracket);
	o->first = false; /* the enclosing container holds at least this value */
}

/* Starts the next element of an array on a line of its own. */
static void element(struct out *o)
{
	put(o, o->first ? "\n" : ",\n");
	o->first = false;
	indent(o);
}

/* Starts the next member of an object: its key; the value follows. */
static void key(struct out *o, const char *name)
{
	element(o);
	vmcfg_json_write_string(o->w, name, strlen(name));
	put(o, ": ");
}

static void u64_value(struct out *o, uint64_t v)
{
	vmcfg_json_write_uint(o->w, v);
}

/* An address, size, mask or flags: "0x…" (exact in every JSON reader). */
static void hex_value(struct out *o, uint64_t v)
{
	vmcfg_json_write_hex(o->w, v);
}

/* A string, or null for NULL. */
static void str_value(struct out *o, const char *s)
{
	if (s)
		vmcfg_json_write_string(o->w, s, strlen(s));
	else
		put(o, "null");
}

static void u64_member(struct out *o, const char *name, uint64_t v)
{
	key(o, name);
	u64_value(o, v);
}

static void hex_member(struct out *o, const char *name, uint64_t v)
{
	key(o, name);
	hex_value(o, v);
}

static void str_member(struct out *o, const char *name, const char *s)
{
	key(o, name);
	str_value(o, s);
}

/* VmMemMappingType names, as the reference spells them. */
static const char *map_type_name(enum vmcfg_map_type t)
{
	switch (t) {
	case VMCFG_MAP_ALLOC: return "MapAlloc";
	case VMCFG_MAP_IDENTICAL: return "MapIdentical";
	case VMCFG_MAP_RESERVED: return "MapReserved";
	}
	return NULL;
}

static void emit_vcpus(struct out *o, const struct vmcfg_vm_config *cfg)
{
	key(o, "vcpus");
	begin(o, "[");
	for (uint32_t i = 0; i < cfg->cpu_num; i++) {
		struct vmcfg_vm_vcpu_affinity a = vmcfg_vm_config_vcpu_affinity(cfg, i);
		element(o);
		begin(o, "{");
		u64_member(o, "id", a.vcpu_id);
		key(o, "pcpu_mask");
		if (a.has_mask)
			hex_value(o, a.pcpu_mask);
		else
			put(o, "null"); /* any physical CPU */
		hex_member(o, "phys_id", a.phys_id);
		end(o, "}");
	}
	end(o, "]");
}

/* An image is null when absent; its path and load address may each be null. */
static void emit_image(struct out *o, const char *name, const struct vmcfg_vm_image *img)
{
	key(o, name);
	if (!img->present) {
		put(o, "null");
		return;
	}
	begin(o, "{");
	str_member(o, "path", img->path);
	key(o, "load_gpa");
	if (img->has_load_gpa)
		hex_value(o, img->load_gpa);
	else
		put(o, "null");
	end(o, "}");
}

/* The boot images, then where they come from and what the kernel is given. */
static void emit_images(struct out *o, const struct vmcfg_vm_config *cfg)
{
	key(o, "images");
	begin(o, "{");
	emit_image(o, "kernel", &cfg->kernel);
	emit_image(o, "bios", &cfg->bios);
	emit_image(o, "dtb", &cfg->dtb);
	emit_image(o, "ramdisk", &cfg->ramdisk);
	end(o, "}");
	str_member(o, "image_location",
		   cfg->image_location == VMCFG_IMAGE_MEMORY ? "memory" : "fs");
	str_member(o, "cmdline", cfg->cmdline);
	str_member(o, "disk_path", cfg->disk_path);
}

static void emit_regions(struct out *o, const struct vmcfg_vm_config *cfg)
{
	key(o, "memory_regions");
	begin(o, "[");
	for (size_t i = 0; i < cfg->region_count; i++) {
		const struct vmcfg_vm_mem_region *r = &cfg->regions[i];
		element(o);
		begin(o, "{");
		hex_member(o, "gpa", r->gpa);
		hex_member(o, "size", r->size);
		hex_member(o, "flags", r->flags);
		str_member(o, "map_type", map_type_name(r->map_type));
		end(o, "}");
	}
	end(o, "]");
}

static void emit_emu_devices(struct out *o, const struct vmcfg_vm_config *cfg)
{
	key(o, "emu_devices");
	begin(o, "[");
	for (size_t i = 0; i < cfg->emu_count; i++) {
		const struct vmcfg_vm_emu_device *d = &cfg->emu[i];
		element(o);
		begin(o, "{");
		str_member(o, "name", d->name);
		hex_member(o, "base_gpa", d->base_gpa);
		hex_member(o, "length", d->length);
		u64_member(o, "irq_id", d->irq_id);
		hex_member(o, "emu_type", d->emu_type);
		key(o, "cfg_list");
		begin(o, "[");
		for (size_t j = 0; j < d->cfg_count; j++) {
			element(o);
			hex_value(o, d->cfg_list[j]);
		}
		end(o, "]");
		end(o, "}");
	}
	end(o, "]");
}

static void emit_pt_devices(struct out *o, const struct vmcfg_vm_config *cfg)
{
	key(o, "passthrough_devices");
	begin(o, "[");
	for (size_t i = 0; i < cfg->pt_count; i++) {
		const struct vmcfg_vm_pt_device *d = &cfg->pt[i];
		element(o);
		begin(o, "{");
		str_member(o, "name", d->name);
		hex_member(o, "base_gpa", d->base_gpa);
		hex_member(o, "base_hpa", d->base_hpa);
		hex_member(o, "length", d->length);
		u64_member(o, "irq_id", d->irq_id);
		end(o, "}");
	}
	end(o, "]");
}

static void emit_pt_addresses(struct out *o, const struct vmcfg_vm_config *cfg)
{
	key(o, "passthrough_addresses");
	begin(o, "[");
	for (size_t i = 0; i < cfg->pt_address_count; i++) {
		element(o);
		begin(o, "{");
		hex_member(o, "gpa", cfg->pt_addresses[i].gpa);
		hex_member(o, "length", cfg->pt_addresses[i].length);
		end(o, "}");
	}
	end(o, "]");
}

static void emit_pt_ports(struct out *o, const struct vmcfg_vm_config *cfg)
{
	key(o, "passthrough_ports");
	begin(o, "[");
	for (size_t i = 0; i < cfg->pt_port_count; i++) {
		element(o);
		begin(o, "{");
		hex_member(o, "base", cfg->pt_ports[i].base);
		hex_member(o, "length", cfg->pt_ports[i].length);
		end(o, "}");
	}
	end(o, "]");
}

static void emit_excluded(struct out *o, const struct vmcfg_vm_config *cfg)
{
	key(o, "excluded_devices");
	begin(o, "[");
	for (size_t i = 0; i < cfg->excluded_count; i++) {
		element(o);
		str_value(o, cfg->excluded[i]);
	}
	end(o, "]");
}

static void emit_spis(struct out *o, const struct vmcfg_vm_config *cfg)
{
	key(o, "spis");
	begin(o, "[");
	for (size_t i = 0; i < cfg->spi_count; i++) {
		element(o);
		u64_value(o, cfg->spis[i]);
	}
	end(o, "]");
}

void vmcfg_vm_config_emit_json(const struct vmcfg_vm_config *cfg, const struct vmcfg_writer *w)
{
	struct out o = { w, 0, true };
	begin(&o, "{");
	u64_member(&o, "id", cfg->id);
	str_member(&o, "name", cfg->name);
	u64_member(&o, "vm_type", cfg->vm_type);
	u64_member(&o, "cpu_num", cfg->cpu_num);
	hex_member(&o, "bsp_entry", cfg->bsp_entry);
	hex_member(&o, "ap_entry", cfg->ap_entry);
	emit_vcpus(&o, cfg);
	emit_images(&o, cfg);
	emit_regions(&o, cfg);
	emit_emu_devices(&o, cfg);
	emit_pt_devices(&o, cfg);
	emit_pt_addresses(&o, cfg);
	emit_pt_ports(&o, cfg);
	emit_excluded(&o, cfg);
	emit_spis(&o, cfg);
	str_member(&o, "interrupt_mode", vmcfg_irq_mode_name(cfg->irq_mode));
	end(&o, "}");
	put(&o, "\n");
}
