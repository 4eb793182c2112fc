/* SPDX-License-Identifier: MIT */
/*
 * The AxVisor VM file format (CONFIG-SPEC Part 1) as data: every table,
 * key, record field, its type and range, whether it is required, and the
 * order in which documentation and the emitters list it.
 */
#include <stddef.h>

#include "schema.h"
#include "../base/libc.h"

#define U64_TYPE(max_, radix_, check_)                                                          \
	{                                                                                       \
		.kind = SPEC_U64, .u64 = {.max = (max_), .radix = (radix_), .check = (check_) } \
	}
#define LIST_TYPE(elem_, elem_size_)                                                     \
	{                                                                                \
		.kind = SPEC_LIST, .list = {.elem = (elem_), .elem_size = (elem_size_) } \
	}
#define RECORD_TYPE(kind_, what_, fields_, finish_)                      \
	{                                                                \
		.kind = (kind_), .what = (what_),                        \
		.rec = {.fields = (fields_),                             \
			.count = sizeof(fields_) / sizeof((fields_)[0]), \
			.finish = (finish_) }                            \
	}

/* A scalar key of struct s, member m. */
#define SCALAR(name_, type_, required_, s, m)                                                     \
	{                                                                                         \
		.name = (name_), .type = &(type_), .required = (required_), .at = offsetof(s, m), \
		.count_at = SPEC_NONE, .set_at = SPEC_NONE, .span_at = SPEC_NONE                  \
	}
/* A list key whose items, count, set flag and span are the members items_, … of s. */
#define LIST(name_, type_, required_, s, items_, count_, set_, span_)       \
	{                                                                   \
		.name = (name_), .type = &(type_), .required = (required_), \
		.at = offsetof(s, items_), .count_at = offsetof(s, count_), \
		.set_at = offsetof(s, set_), .span_at = offsetof(s, span_)  \
	}
/* A key holding a struct vmcfg_spec_u64_list, member m of s. */
#define U64_LIST(name_, type_, required_, s, m) \
	LIST(name_, type_, required_, s, m.items, m.count, m.set, m.span)
/* The element of a list: a value of type_ at the start of the element, its span in span_at_. */
#define ELEMENT(type_, span_at_)                                                                  \
	{                                                                                         \
		.name = NULL, .type = &(type_), .required = true, .at = 0, .count_at = SPEC_NONE, \
		.set_at = SPEC_NONE, .span_at = (span_at_)                                        \
	}

/* --- scalars --- */

static const struct spec_type dec_u64 = U64_TYPE(UINT64_MAX, SPEC_DEC, NULL);
static const struct spec_type hex_u64 = U64_TYPE(UINT64_MAX, SPEC_HEX, NULL);
static const struct spec_type dec_u32 = U64_TYPE(UINT32_MAX, SPEC_DEC, NULL);
static const struct spec_type vcpu_count = U64_TYPE(VMCFG_MAX_VCPUS, SPEC_DEC, NULL);
static const struct spec_type vm_type = U64_TYPE(UINT64_MAX, SPEC_DEC, vmcfg_spec_check_vm_type);
static const struct spec_type mem_flags = U64_TYPE(UINT64_MAX, SPEC_HEX, vmcfg_spec_check_mem_flags);
static const struct spec_type map_type = U64_TYPE(UINT64_MAX, SPEC_DEC, vmcfg_spec_check_map_type);
static const struct spec_type emu_type = U64_TYPE(UINT64_MAX, SPEC_HEX, vmcfg_spec_check_emu_type);

static const struct spec_type string = { .kind = SPEC_STR };
static const char *const image_locations[] = { "fs", "memory" };
static const struct spec_type image_location = {
	.kind = SPEC_STR,
	.str = { .choices = image_locations, .choice_count = 2, .valid = "`fs`, `memory`" },
};
static const struct spec_type irq_mode = { .kind = SPEC_IRQ_MODE };
static const struct spec_type boolean = { .kind = SPEC_BOOL };
/* axvmconfig's VMBootProtocol: the names and the serde aliases it accepts. */
static const char *const boot_protocols[] = { "direct", "kernel", "multiboot", "bios", "axvm-bios",
					      "uefi", "efi" };
static const struct spec_type boot_protocol = {
	.kind = SPEC_STR,
	.str = { .choices = boot_protocols, .choice_count = 7,
		 .valid = "`direct` (`kernel`), `multiboot` (`bios`, `axvm-bios`), `uefi` (`efi`)" },
};
static const char *const address_space_policies[] = { "virtualized", "passthrough" };
static const struct spec_type address_space_policy = {
	.kind = SPEC_STR,
	.str = { .choices = address_space_policies, .choice_count = 2,
		 .valid = "`virtualized`, `passthrough`" },
};
static const struct spec_type port_u16 = U64_TYPE(0xffff, SPEC_HEX, NULL);

/* --- lists of scalars --- */

static const struct spec_field hex_element = ELEMENT(hex_u64, SPEC_NONE);
static const struct spec_type hex_list = LIST_TYPE(&hex_element, sizeof(struct vmcfg_spec_u64));
static const struct spec_field string_element = ELEMENT(string, SPEC_NONE);
static const struct spec_type string_list = LIST_TYPE(&string_element, sizeof(struct vmcfg_spec_str));

/* --- records --- */

static const struct spec_field region_fields[] = {
	SCALAR("gpa", hex_u64, true, struct vmcfg_spec_region, gpa),
	SCALAR("size", hex_u64, true, struct vmcfg_spec_region, size),
	SCALAR("flags", mem_flags, true, struct vmcfg_spec_region, flags),
	SCALAR("map_type", map_type, true, struct vmcfg_spec_region, map_type),
};
static const struct spec_type region =
	RECORD_TYPE(SPEC_RECORD, "memory region", region_fields, vmcfg_spec_finish_region);
static const struct spec_field region_element = ELEMENT(region, offsetof(struct vmcfg_spec_region, span));
static const struct spec_type region_list = LIST_TYPE(&region_element, sizeof(struct vmcfg_spec_region));

static const struct spec_field emu_fields[] = {
	SCALAR("name", string, true, struct vmcfg_spec_emu_device, name),
	SCALAR("base_gpa", hex_u64, true, struct vmcfg_spec_emu_device, base_gpa),
	SCALAR("length", hex_u64, true, struct vmcfg_spec_emu_device, length),
	SCALAR("irq_id", dec_u32, true, struct vmcfg_spec_emu_device, irq_id),
	SCALAR("emu_type", emu_type, true, struct vmcfg_spec_emu_device, emu_type),
	U64_LIST("cfg_list", hex_list, true, struct vmcfg_spec_emu_device, cfg_list),
};
static const struct spec_type emu_device =
	RECORD_TYPE(SPEC_RECORD, "emulated device", emu_fields, NULL);
static const struct spec_field emu_element =
	ELEMENT(emu_device, offsetof(struct vmcfg_spec_emu_device, span));
static const struct spec_type emu_list = LIST_TYPE(&emu_element, sizeof(struct vmcfg_spec_emu_device));

static const struct spec_field pt_fields[] = {
	SCALAR("name", string, true, struct vmcfg_spec_pt_device, name),
	SCALAR("base_gpa", hex_u64, false, struct vmcfg_spec_pt_device, base_gpa),
	SCALAR("base_hpa", hex_u64, false, struct vmcfg_spec_pt_device, base_hpa),
	SCALAR("length", hex_u64, false, struct vmcfg_spec_pt_device, length),
	SCALAR("irq_id", dec_u32, false, struct vmcfg_spec_pt_device, irq_id),
};
static const struct spec_type pt_device =
	RECORD_TYPE(SPEC_RECORD, "passthrough device", pt_fields, vmcfg_spec_finish_pt_device);
static const struct spec_field pt_element =
	ELEMENT(pt_device, offsetof(struct vmcfg_spec_pt_device, span));
static const struct spec_type pt_list = LIST_TYPE(&pt_element, sizeof(struct vmcfg_spec_pt_device));

static const struct spec_field pt_address_fields[] = {
	SCALAR("base_gpa", hex_u64, true, struct vmcfg_spec_pt_address, gpa),
	SCALAR("length", hex_u64, true, struct vmcfg_spec_pt_address, length),
};
static const struct spec_type pt_address =
	RECORD_TYPE(SPEC_RECORD, "passthrough address", pt_address_fields, NULL);
static const struct spec_field pt_address_element =
	ELEMENT(pt_address, offsetof(struct vmcfg_spec_pt_address, span));
static const struct spec_type pt_address_list =
	LIST_TYPE(&pt_address_element, sizeof(struct vmcfg_spec_pt_address));

static const struct spec_field pt_port_fields[] = {
	SCALAR("base", port_u16, true, struct vmcfg_spec_pt_port, base),
	SCALAR("length", port_u16, true, struct vmcfg_spec_pt_port, length),
};
static const struct spec_type pt_port = RECORD_TYPE(SPEC_RECORD, "passthrough port range", pt_port_fields, NULL);
static const struct spec_field pt_port_element = ELEMENT(pt_port, offsetof(struct vmcfg_spec_pt_port, span));
static const struct spec_type pt_port_list = LIST_TYPE(&pt_port_element, sizeof(struct vmcfg_spec_pt_port));

/* excluded_devices: a list of lists of device-tree paths. */
static const struct spec_field excluded_element = {
	.name = NULL,
	.type = &string_list,
	.required = true,
	.at = offsetof(struct vmcfg_spec_excluded, paths),
	.count_at = offsetof(struct vmcfg_spec_excluded, count),
	.set_at = SPEC_NONE,
	.span_at = offsetof(struct vmcfg_spec_excluded, span),
};
static const struct spec_type excluded_list =
	LIST_TYPE(&excluded_element, sizeof(struct vmcfg_spec_excluded));

/* --- tables; their fields are relative to struct vmcfg_vm_spec --- */

static const struct spec_field base_fields[] = {
	SCALAR("id", dec_u64, true, struct vmcfg_vm_spec, base.id),
	SCALAR("name", string, true, struct vmcfg_vm_spec, base.name),
	SCALAR("vm_type", vm_type, true, struct vmcfg_vm_spec, base.vm_type),
	SCALAR("cpu_num", vcpu_count, true, struct vmcfg_vm_spec, base.cpu_num),
	U64_LIST("phys_cpu_ids", hex_list, false, struct vmcfg_vm_spec, base.phys_cpu_ids),
	U64_LIST("phys_cpu_sets", hex_list, false, struct vmcfg_vm_spec, base.phys_cpu_sets),
};
static const struct spec_type base_table =
	RECORD_TYPE(SPEC_TABLE, "[base]", base_fields, vmcfg_spec_finish_base);

static const struct spec_field kernel_fields[] = {
	SCALAR("entry_point", hex_u64, true, struct vmcfg_vm_spec, kernel.entry_point),
	SCALAR("kernel_path", string, true, struct vmcfg_vm_spec, kernel.kernel.path),
	SCALAR("kernel_load_addr", hex_u64, true, struct vmcfg_vm_spec, kernel.kernel.load_addr),
	SCALAR("bios_path", string, false, struct vmcfg_vm_spec, kernel.bios.path),
	SCALAR("bios_load_addr", hex_u64, false, struct vmcfg_vm_spec, kernel.bios.load_addr),
	SCALAR("dtb_path", string, false, struct vmcfg_vm_spec, kernel.dtb.path),
	SCALAR("dtb_load_addr", hex_u64, false, struct vmcfg_vm_spec, kernel.dtb.load_addr),
	SCALAR("ramdisk_path", string, false, struct vmcfg_vm_spec, kernel.ramdisk.path),
	SCALAR("ramdisk_load_addr", hex_u64, false, struct vmcfg_vm_spec, kernel.ramdisk.load_addr),
	SCALAR("image_location", image_location, false, struct vmcfg_vm_spec, kernel.image_location),
	SCALAR("cmdline", string, false, struct vmcfg_vm_spec, kernel.cmdline),
	SCALAR("disk_path", string, false, struct vmcfg_vm_spec, kernel.disk_path),
	SCALAR("enable_bios", boolean, false, struct vmcfg_vm_spec, kernel.enable_bios),
	SCALAR("boot_protocol", boot_protocol, false, struct vmcfg_vm_spec, kernel.boot_protocol),
	SCALAR("uefi_firmware_path", string, false, struct vmcfg_vm_spec, kernel.uefi_firmware_path),
	LIST("memory_regions", region_list, true, struct vmcfg_vm_spec, kernel.regions,
	     kernel.region_count, kernel.regions_set, kernel.regions_span),
};
static const struct spec_type kernel_table =
	RECORD_TYPE(SPEC_TABLE, "[kernel]", kernel_fields, vmcfg_spec_finish_kernel);

static const struct spec_field devices_fields[] = {
	LIST("emu_devices", emu_list, true, struct vmcfg_vm_spec, devices.emu, devices.emu_count,
	     devices.emu_set, devices.emu_span),
	LIST("passthrough_devices", pt_list, true, struct vmcfg_vm_spec, devices.pt, devices.pt_count,
	     devices.pt_set, devices.pt_span),
	{
		.name = "interrupt_mode",
		.type = &irq_mode,
		.required = false,
		.at = offsetof(struct vmcfg_vm_spec, devices.irq_mode),
		.count_at = SPEC_NONE,
		.set_at = SPEC_NONE,
		.span_at = offsetof(struct vmcfg_vm_spec, devices.irq_mode_span),
	},
	LIST("excluded_devices", excluded_list, false, struct vmcfg_vm_spec, devices.excluded,
	     devices.excluded_count, devices.excluded_set, devices.excluded_span),
	LIST("passthrough_addresses", pt_address_list, false, struct vmcfg_vm_spec, devices.pt_addresses,
	     devices.pt_address_count, devices.pt_addresses_set, devices.pt_addresses_span),
	LIST("passthrough_ports", pt_port_list, false, struct vmcfg_vm_spec, devices.pt_ports,
	     devices.pt_port_count, devices.pt_ports_set, devices.pt_ports_span),
	SCALAR("address_space_policy", address_space_policy, false, struct vmcfg_vm_spec,
	       devices.address_space_policy),
};
static const struct spec_type devices_table =
	RECORD_TYPE(SPEC_TABLE, "[devices]", devices_fields, NULL);

/* A table field is relative to the same struct vmcfg_vm_spec, so it sits at 0. */
#define TABLE(name_, type_, span_)                                            \
	{                                                                     \
		.name = (name_), .type = &(type_), .required = true, .at = 0, \
		.count_at = SPEC_NONE, .set_at = SPEC_NONE,                   \
		.span_at = offsetof(struct vmcfg_vm_spec, span_)                    \
	}

static const struct spec_field file_fields[] = {
	TABLE("base", base_table, base.span),
	TABLE("kernel", kernel_table, kernel.span),
	TABLE("devices", devices_table, devices.span),
};
const struct spec_type vmcfg_spec_file_type = RECORD_TYPE(SPEC_TABLE, "file", file_fields, NULL);

size_t vmcfg_spec_record_min_fields(const struct spec_type *t)
{
	size_t n = 0;
	while (n < t->rec.count && t->rec.fields[n].required)
		n++;
	return n;
}

static const void *member(const void *base, size_t offset)
{
	return (const char *)base + offset;
}

bool vmcfg_spec_field_present(const struct spec_field *f, const void *base)
{
	switch (f->type->kind) {
	case SPEC_U64:
		return ((const struct vmcfg_spec_u64 *)member(base, f->at))->set;
	case SPEC_STR:
		return ((const struct vmcfg_spec_str *)member(base, f->at))->set;
	case SPEC_BOOL:
		return ((const struct vmcfg_spec_bool *)member(base, f->at))->set;
	case SPEC_LIST: /* a list without a set flag is an element of another list */
		return f->set_at == SPEC_NONE || *(const bool *)member(base, f->set_at);
	case SPEC_IRQ_MODE:
	case SPEC_RECORD:
	case SPEC_TABLE:
		break;
	}
	return true;
}

const char *vmcfg_spec_list_items(const struct spec_field *f, const void *base, size_t *count)
{
	const char *items;
	/* The member has the element's pointer type; read its representation. */
	memcpy(&items, member(base, f->at), sizeof items);
	*count = *(const size_t *)member(base, f->count_at);
	return items;
}
