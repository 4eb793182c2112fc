/* SPDX-License-Identifier: MIT */
/*
 * The AxVisor VM file format (CONFIG-SPEC Part 1) as data: every table,
 * key, record field, its type and range, whether it is required, what it
 * means, and the order in which documentation and the emitters list it.
 * The system file is described here too (for the schema and editors).
 */
#include <stddef.h>

#include "schema.h"
#include "names.h"
#include "../base/libc.h"

#define U64_TYPE(max_, radix_, check_)                                                          \
	{                                                                                       \
		.kind = SPEC_U64, .u64 = {.max = (max_), .radix = (radix_), .check = (check_) } \
	}
/* An integer whose valid values (or flag bits) are named in values_. */
#define ENUM_TYPE(radix_, check_, values_, bits_)                                      \
	{                                                                              \
		.kind = SPEC_U64, .u64 = {.max = UINT64_MAX, .radix = (radix_),        \
					  .check = (check_), .values = (values_),      \
					  .value_count = sizeof(values_) / sizeof((values_)[0]), \
					  .bits = (bits_) }                            \
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
#define SCALAR(name_, type_, required_, s, m, doc_)                                               \
	{                                                                                         \
		.name = (name_), .doc = (doc_), .type = &(type_), .required = (required_),        \
		.at = offsetof(s, m), .count_at = SPEC_NONE, .set_at = SPEC_NONE,                 \
		.span_at = SPEC_NONE                                                              \
	}
/* A scalar key required in the 0.8 form, optional in the guest_type form. */
#define FORM_SCALAR(name_, type_, s, m, doc_)                                                     \
	{                                                                                         \
		.name = (name_), .doc = (doc_), .type = &(type_), .required = true,               \
		.form_optional = true, .at = offsetof(s, m), .count_at = SPEC_NONE,               \
		.set_at = SPEC_NONE, .span_at = SPEC_NONE                                         \
	}
/* A list key whose items, count, set flag and span are the members items_, … of s. */
#define LIST(name_, type_, required_, s, items_, count_, set_, span_, doc_)                  \
	{                                                                                    \
		.name = (name_), .doc = (doc_), .type = &(type_), .required = (required_),   \
		.at = offsetof(s, items_), .count_at = offsetof(s, count_),                  \
		.set_at = offsetof(s, set_), .span_at = offsetof(s, span_)                   \
	}
/* A list key required in the 0.8 form, optional in the guest_type form. */
#define FORM_LIST(name_, type_, s, items_, count_, set_, span_, doc_)                             \
	{                                                                                         \
		.name = (name_), .doc = (doc_), .type = &(type_), .required = true,               \
		.form_optional = true, .at = offsetof(s, items_), .count_at = offsetof(s, count_), \
		.set_at = offsetof(s, set_), .span_at = offsetof(s, span_)                        \
	}
/* A key holding a struct vmcfg_spec_u64_list, member m of s. */
#define U64_LIST(name_, type_, required_, s, m, doc_) \
	LIST(name_, type_, required_, s, m.items, m.count, m.set, m.span, doc_)
/* The element of a list: a value of type_ at the start of the element, its span in span_at_. */
#define ELEMENT(type_, span_at_)                                                                  \
	{                                                                                         \
		.name = NULL, .type = &(type_), .required = true, .at = 0, .count_at = SPEC_NONE, \
		.set_at = SPEC_NONE, .span_at = (span_at_)                                        \
	}
/* A key of the system file: described, not decoded here. */
#define DESC(name_, type_, required_, doc_)                                                \
	{                                                                                  \
		.name = (name_), .doc = (doc_), .type = &(type_), .required = (required_), \
		.at = 0, .count_at = SPEC_NONE, .set_at = SPEC_NONE, .span_at = SPEC_NONE  \
	}

/* --- named values --- */

static const struct spec_value vm_types[] = {
	{ VMCFG_VM_HOST, "host VM", "the host OS as a VM (\"type 1.5\")" },
	{ VMCFG_VM_RTOS, "RTOS", NULL },
	{ VMCFG_VM_LINUX, "Linux", NULL },
};
static const struct spec_value map_types[] = {
	{ VMCFG_MAP_ALLOC, "MapAlloc", "the hypervisor allocates zeroed host memory anywhere" },
	{ VMCFG_MAP_IDENTICAL, "MapIdentical", "GPA == HPA; that host range is reserved" },
	{ VMCFG_MAP_RESERVED, "MapReserved", "GPA == HPA of memory the host set aside" },
};
static const struct spec_value mem_flag_bits[] = {
	{ 0x1, "READ", NULL },	  { 0x2, "WRITE", NULL },   { 0x4, "EXECUTE", NULL },
	{ 0x8, "USER", NULL },	  { 0x10, "DEVICE", NULL }, { 0x20, "UNCACHED", NULL },
};
_Static_assert((0x3f & ~(uint64_t)VMCFG_MEM_ALL) == 0 && (VMCFG_MEM_ALL & ~(uint64_t)0x3f) == 0,
	       "one named bit per memory flag");

/* --- scalars --- */

static const struct spec_type dec_u64 = U64_TYPE(UINT64_MAX, SPEC_DEC, NULL);
static const struct spec_type hex_u64 = U64_TYPE(UINT64_MAX, SPEC_HEX, NULL);
static const struct spec_type dec_u32 = U64_TYPE(UINT32_MAX, SPEC_DEC, NULL);
/* cpu_num 0 is E0202 (vmcfg_spec_finish_base), so the least valid value is 1. */
static const struct spec_type vcpu_count = {
	.kind = SPEC_U64, .u64 = { .max = VMCFG_MAX_VCPUS, .radix = SPEC_DEC, .min = 1 }
};
static const struct spec_type vm_type = ENUM_TYPE(SPEC_DEC, vmcfg_spec_check_vm_type, vm_types, false);
static const struct spec_type mem_flags =
	ENUM_TYPE(SPEC_HEX, vmcfg_spec_check_mem_flags, mem_flag_bits, true);
static const struct spec_type map_type = ENUM_TYPE(SPEC_DEC, vmcfg_spec_check_map_type, map_types, false);
/* Its values are vmcfg_spec_emu_types (names.c); vmcfg_spec_emu_type_values() lists them. */
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
static const char *const guest_types[] = { "virtualized", "passthrough" };
static const struct spec_type guest_type = {
	.kind = SPEC_STR,
	.str = { .choices = guest_types, .choice_count = 2, .valid = "`virtualized`, `passthrough`" },
};

/* --- lists of scalars --- */

static const struct spec_field hex_element = ELEMENT(hex_u64, SPEC_NONE);
static const struct spec_type hex_list = LIST_TYPE(&hex_element, sizeof(struct vmcfg_spec_u64));
static const struct spec_field string_element = ELEMENT(string, SPEC_NONE);
static const struct spec_type string_list = LIST_TYPE(&string_element, sizeof(struct vmcfg_spec_str));

/* --- records --- */

static const struct spec_field region_fields[] = {
	SCALAR("gpa", hex_u64, true, struct vmcfg_spec_region, gpa, "guest physical address of the region"),
	SCALAR("size", hex_u64, true, struct vmcfg_spec_region, size, "size of the region in bytes"),
	SCALAR("flags", mem_flags, true, struct vmcfg_spec_region, flags,
	       "access flags of the region, an OR of the bits"),
	SCALAR("map_type", map_type, true, struct vmcfg_spec_region, map_type,
	       "how the region is backed by host memory"),
};
static const struct spec_type region =
	RECORD_TYPE(SPEC_RECORD, "memory region", region_fields, vmcfg_spec_finish_region);
static const struct spec_field region_element = ELEMENT(region, offsetof(struct vmcfg_spec_region, span));
static const struct spec_type region_list = LIST_TYPE(&region_element, sizeof(struct vmcfg_spec_region));

static const struct spec_field emu_fields[] = {
	SCALAR("name", string, true, struct vmcfg_spec_emu_device, name, "device name"),
	SCALAR("base_gpa", hex_u64, true, struct vmcfg_spec_emu_device, base_gpa,
	       "guest physical base of the device's window"),
	SCALAR("length", hex_u64, true, struct vmcfg_spec_emu_device, length, "window length in bytes"),
	SCALAR("irq_id", dec_u32, true, struct vmcfg_spec_emu_device, irq_id, "interrupt id, 0 = none"),
	SCALAR("emu_type", emu_type, true, struct vmcfg_spec_emu_device, emu_type,
	       "which device is emulated"),
	U64_LIST("cfg_list", hex_list, true, struct vmcfg_spec_emu_device, cfg_list,
		 "device-specific configuration values; their number depends on emu_type (E0216)"),
};
static const struct spec_type emu_device =
	RECORD_TYPE(SPEC_RECORD, "emulated device", emu_fields, NULL);
static const struct spec_field emu_element =
	ELEMENT(emu_device, offsetof(struct vmcfg_spec_emu_device, span));
static const struct spec_type emu_list = LIST_TYPE(&emu_element, sizeof(struct vmcfg_spec_emu_device));

static const struct spec_field pt_fields[] = {
	SCALAR("name", string, true, struct vmcfg_spec_pt_device, name,
	       "device name, or a host device-tree path when it is the only field"),
	SCALAR("base_gpa", hex_u64, false, struct vmcfg_spec_pt_device, base_gpa,
	       "guest physical base of the window"),
	SCALAR("base_hpa", hex_u64, false, struct vmcfg_spec_pt_device, base_hpa,
	       "host physical base of the window"),
	SCALAR("length", hex_u64, false, struct vmcfg_spec_pt_device, length, "window length in bytes"),
	SCALAR("irq_id", dec_u32, false, struct vmcfg_spec_pt_device, irq_id,
	       "interrupt id (informational)"),
};
static const struct spec_type pt_device =
	RECORD_TYPE(SPEC_RECORD, "passthrough device", pt_fields, vmcfg_spec_finish_pt_device);
static const struct spec_field pt_element = {
	.name = NULL,
	.type = &pt_device,
	.required = true,
	.at = 0,
	.count_at = SPEC_NONE,
	.set_at = SPEC_NONE,
	.span_at = offsetof(struct vmcfg_spec_pt_device, span),
	.has_implied = true,
	.implied_at = offsetof(struct vmcfg_spec_pt_device, implied),
};
static const struct spec_type pt_list = LIST_TYPE(&pt_element, sizeof(struct vmcfg_spec_pt_device));

static const struct spec_field pt_address_fields[] = {
	SCALAR("base_gpa", hex_u64, true, struct vmcfg_spec_pt_address, gpa,
	       "guest (and host) physical base of the identity-mapped window"),
	SCALAR("length", hex_u64, true, struct vmcfg_spec_pt_address, length, "window length in bytes"),
};
static const struct spec_type pt_address =
	RECORD_TYPE(SPEC_RECORD, "passthrough address", pt_address_fields, NULL);
static const struct spec_field pt_address_element =
	ELEMENT(pt_address, offsetof(struct vmcfg_spec_pt_address, span));
static const struct spec_type pt_address_list =
	LIST_TYPE(&pt_address_element, sizeof(struct vmcfg_spec_pt_address));

static const struct spec_field pt_port_fields[] = {
	SCALAR("base", port_u16, true, struct vmcfg_spec_pt_port, base, "first I/O port (16-bit)"),
	SCALAR("length", port_u16, true, struct vmcfg_spec_pt_port, length, "number of I/O ports"),
};
static const struct spec_type pt_port = RECORD_TYPE(SPEC_RECORD, "passthrough port range", pt_port_fields, NULL);
static const struct spec_field pt_port_element = ELEMENT(pt_port, offsetof(struct vmcfg_spec_pt_port, span));
static const struct spec_type pt_port_list = LIST_TYPE(&pt_port_element, sizeof(struct vmcfg_spec_pt_port));

/* devices.passthrough and devices.disabled of the guest_type form: [{ path = "/…" }, …]. */
static const struct spec_field device_ref_fields[] = {
	SCALAR("path", string, true, struct vmcfg_spec_device_ref, path,
	       "absolute host device-tree path of the device (not `/` itself)"),
};
static const struct spec_type device_ref = {
	.kind = SPEC_RECORD,
	.what = "device reference",
	.rec = { .fields = device_ref_fields, .count = 1, .named = true },
};
static const struct spec_field device_ref_element =
	ELEMENT(device_ref, offsetof(struct vmcfg_spec_device_ref, span));
static const struct spec_type device_ref_list =
	LIST_TYPE(&device_ref_element, sizeof(struct vmcfg_spec_device_ref));

/* excluded_devices: a list of lists of device-tree paths. */
static const struct spec_field excluded_element = {
	.name = NULL,
	.type = &string_list,
	.required = true,
	.at = offsetof(struct vmcfg_spec_excluded, paths),
	.count_at = offsetof(struct vmcfg_spec_excluded, count),
	.set_at = SPEC_NONE,
	.span_at = offsetof(struct vmcfg_spec_excluded, span),
	.has_implied = true,
	.implied_at = offsetof(struct vmcfg_spec_excluded, implied),
};
static const struct spec_type excluded_list =
	LIST_TYPE(&excluded_element, sizeof(struct vmcfg_spec_excluded));

/* --- tables; their fields are relative to struct vmcfg_vm_spec --- */

static const struct spec_field base_fields[] = {
	SCALAR("id", dec_u64, true, struct vmcfg_vm_spec, base.id, "VM id, unique in a system (E0301)"),
	SCALAR("name", string, true, struct vmcfg_vm_spec, base.name,
	       "VM name, unique in a system (E0302); IVC channels name VMs by it"),
	FORM_SCALAR("vm_type", vm_type, struct vmcfg_vm_spec, base.vm_type,
		    "what the guest is (the guest_type form: optional, default 1)"),
	SCALAR("cpu_num", vcpu_count, true, struct vmcfg_vm_spec, base.cpu_num, "number of vCPUs"),
	U64_LIST("phys_cpu_ids", hex_list, false, struct vmcfg_vm_spec, base.phys_cpu_ids,
		 "per vCPU the physical CPU id (MPIDR on ARM); cpu_num entries (E0201)"),
	U64_LIST("phys_cpu_sets", hex_list, false, struct vmcfg_vm_spec, base.phys_cpu_sets,
		 "per vCPU a mask of allowed physical CPUs (bit n = pCPU n); cpu_num entries (E0201)"),
	SCALAR("guest_type", guest_type, false, struct vmcfg_vm_spec, base.guest_type,
	       "`virtualized` (default): only the devices listed are the VM's; `passthrough`: every "
	       "host device but those in devices.disabled (the guest_type form)"),
	SCALAR("dedicated_cpus", boolean, false, struct vmcfg_vm_spec, base.dedicated_cpus,
	       "the CPUs of phys_cpu_sets are this VM's alone; needs phys_cpu_sets (E0240; the "
	       "guest_type form)"),
};
static const struct spec_type base_table =
	RECORD_TYPE(SPEC_TABLE, "[base]", base_fields, vmcfg_spec_finish_base);

static const struct spec_field kernel_fields[] = {
	FORM_SCALAR("entry_point", hex_u64, struct vmcfg_vm_spec, kernel.entry_point,
		    "guest physical address where the vCPUs start (the guest_type form: optional)"),
	SCALAR("kernel_path", string, true, struct vmcfg_vm_spec, kernel.kernel.path, "kernel image file"),
	FORM_SCALAR("kernel_load_addr", hex_u64, struct vmcfg_vm_spec, kernel.kernel.load_addr,
		    "guest physical address the kernel is loaded at (the guest_type form: optional)"),
	SCALAR("bios_path", string, false, struct vmcfg_vm_spec, kernel.bios.path,
	       "firmware image file (needs bios_load_addr)"),
	SCALAR("bios_load_addr", hex_u64, false, struct vmcfg_vm_spec, kernel.bios.load_addr,
	       "guest physical address of the firmware"),
	SCALAR("dtb_path", string, false, struct vmcfg_vm_spec, kernel.dtb.path,
	       "device tree blob file (needs dtb_load_addr)"),
	SCALAR("dtb_load_addr", hex_u64, false, struct vmcfg_vm_spec, kernel.dtb.load_addr,
	       "guest physical address of the device tree blob"),
	SCALAR("ramdisk_path", string, false, struct vmcfg_vm_spec, kernel.ramdisk.path,
	       "initial ramdisk file (needs ramdisk_load_addr)"),
	SCALAR("ramdisk_load_addr", hex_u64, false, struct vmcfg_vm_spec, kernel.ramdisk.load_addr,
	       "guest physical address of the initial ramdisk"),
	SCALAR("image_location", image_location, false, struct vmcfg_vm_spec, kernel.image_location,
	       "`fs`: images are read from a file system at run time (default); "
	       "`memory`: built into the hypervisor image"),
	SCALAR("cmdline", string, false, struct vmcfg_vm_spec, kernel.cmdline,
	       "kernel command line (guest device tree /chosen/bootargs)"),
	SCALAR("disk_path", string, false, struct vmcfg_vm_spec, kernel.disk_path, "disk image file"),
	SCALAR("enable_bios", boolean, false, struct vmcfg_vm_spec, kernel.enable_bios,
	       "boot through the firmware (bios_path) rather than the kernel directly (axvmconfig 0.8)"),
	SCALAR("boot_protocol", boot_protocol, false, struct vmcfg_vm_spec, kernel.boot_protocol,
	       "how the guest is started: `direct` (aliases `kernel`), `multiboot` (`bios`, `axvm-bios`) "
	       "or `uefi` (`efi`) (axvmconfig 0.8)"),
	SCALAR("uefi_firmware_path", string, false, struct vmcfg_vm_spec, kernel.uefi_firmware_path,
	       "UEFI firmware image file, for boot_protocol = \"uefi\" (axvmconfig 0.8)"),
	FORM_LIST("memory_regions", region_list, struct vmcfg_vm_spec, kernel.regions,
		  kernel.region_count, kernel.regions_set, kernel.regions_span,
		  "guest RAM: [gpa, size, flags, map_type] per region (the guest_type form: optional)"),
};
static const struct spec_type kernel_table =
	RECORD_TYPE(SPEC_TABLE, "[kernel]", kernel_fields, vmcfg_spec_finish_kernel);

static const struct spec_field devices_fields[] = {
	FORM_LIST("emu_devices", emu_list, struct vmcfg_vm_spec, devices.emu, devices.emu_count,
		  devices.emu_set, devices.emu_span,
		  "emulated devices: [name, base_gpa, length, irq_id, emu_type, cfg_list] each (may be []; "
		  "the guest_type form: optional)"),
	FORM_LIST("passthrough_devices", pt_list, struct vmcfg_vm_spec, devices.pt, devices.pt_count,
		  devices.pt_set, devices.pt_span,
		  "host devices given to the VM: [name, base_gpa, base_hpa, length, irq_id] or "
		  "[device-tree path] each (may be []; the guest_type form: optional)"),
	{
		.name = "interrupt_mode",
		.doc = "how the VM's interrupts are delivered (default `no_irq`)",
		.type = &irq_mode,
		.required = false,
		.at = offsetof(struct vmcfg_vm_spec, devices.irq_mode),
		.count_at = SPEC_NONE,
		.set_at = SPEC_NONE,
		.span_at = offsetof(struct vmcfg_vm_spec, devices.irq_mode_span),
	},
	LIST("excluded_devices", excluded_list, false, struct vmcfg_vm_spec, devices.excluded,
	     devices.excluded_count, devices.excluded_set, devices.excluded_span,
	     "lists of host device-tree paths not to pass through"),
	LIST("passthrough_addresses", pt_address_list, false, struct vmcfg_vm_spec, devices.pt_addresses,
	     devices.pt_address_count, devices.pt_addresses_set, devices.pt_addresses_span,
	     "extra identity-mapped device windows: [base_gpa, length] each"),
	LIST("passthrough_ports", pt_port_list, false, struct vmcfg_vm_spec, devices.pt_ports,
	     devices.pt_port_count, devices.pt_ports_set, devices.pt_ports_span,
	     "x86 I/O port ranges passed through: [base, length] each, 16-bit (axvmconfig 0.8)"),
	SCALAR("address_space_policy", address_space_policy, false, struct vmcfg_vm_spec,
	       devices.address_space_policy,
	       "`virtualized` (default) or `passthrough` (axvmconfig 0.8; stored, not acted on)"),
	LIST("passthrough", device_ref_list, false, struct vmcfg_vm_spec, devices.pt_refs,
	     devices.pt_ref_count, devices.pt_refs_set, devices.pt_refs_span,
	     "host devices given to the VM by device-tree path: [{ path = \"/…\" }, …] "
	     "(the guest_type form)"),
	LIST("disabled", device_ref_list, false, struct vmcfg_vm_spec, devices.disabled,
	     devices.disabled_count, devices.disabled_set, devices.disabled_span,
	     "host devices a passthrough guest does not get: [{ path = \"/…\" }, …] "
	     "(the guest_type form)"),
	SCALAR("aarch64_virtual_timer_irq", dec_u32, false, struct vmcfg_vm_spec, devices.vtimer_irq,
	       "the virtual timer's PPI as the guest should see it (the guest_type form; stored, "
	       "not acted on: the reference gives PPI 27)"),
};
static const struct spec_type devices_table =
	RECORD_TYPE(SPEC_TABLE, "[devices]", devices_fields, NULL);

/* A table field is relative to the same struct vmcfg_vm_spec, so it sits at 0. */
#define TABLE(name_, type_, span_, doc_)                                                \
	{                                                                               \
		.name = (name_), .doc = (doc_), .type = &(type_), .required = true,     \
		.at = 0, .count_at = SPEC_NONE, .set_at = SPEC_NONE,                    \
		.span_at = offsetof(struct vmcfg_vm_spec, span_)                        \
	}

static const struct spec_field file_fields[] = {
	TABLE("base", base_table, base.span, "the VM's identity and vCPUs"),
	TABLE("kernel", kernel_table, kernel.span, "the guest's images, entry point and RAM"),
	{
		.name = "devices",
		.doc = "emulated and passthrough devices, interrupts (the guest_type form: optional)",
		.type = &devices_table,
		.required = true,
		.form_optional = true,
		.at = 0,
		.count_at = SPEC_NONE,
		.set_at = SPEC_NONE,
		.span_at = offsetof(struct vmcfg_vm_spec, devices.span),
	},
};
const struct spec_type vmcfg_spec_file_type =
	RECORD_TYPE(SPEC_TABLE, "file", file_fields, vmcfg_spec_finish_file);

/* Keys only axvmconfig's guest_type form (GuestConfig, after 0.8) has. */
const struct spec_form_marker vmcfg_spec_guest_form_markers[] = {
	{ "base", "guest_type" },     { "base", "dedicated_cpus" },
	{ "devices", "passthrough" }, { "devices", "disabled" },
	{ "devices", "aarch64_virtual_timer_irq" },
};
const size_t vmcfg_spec_guest_form_marker_count =
	sizeof vmcfg_spec_guest_form_markers / sizeof vmcfg_spec_guest_form_markers[0];

/* --- the system file (docs/system-file.md; decoded by lib/check/system_file.c) --- */

static const struct spec_type pcpu_count = {
	.kind = SPEC_U64, .u64 = { .min = 1, .max = 64, .radix = SPEC_DEC } /* VMCFG_MAX_PCPUS */
};
static const struct spec_type ipa_width = {
	.kind = SPEC_U64, .u64 = { .min = 12, .max = 64, .radix = SPEC_DEC }
};
static const struct spec_type nonzero_u64 = {
	.kind = SPEC_U64, .u64 = { .min = 1, .max = UINT64_MAX, .radix = SPEC_HEX }
};
static const char *const arch_names[] = { "aarch64", "riscv64", "x86_64" };
static const struct spec_type arch = {
	.kind = SPEC_STR,
	.str = { .choices = arch_names, .choice_count = 3, .valid = "`aarch64`, `riscv64`, `x86_64`" },
};
static const char *const access_names[] = { "ro", "rw" };
static const struct spec_type access = {
	.kind = SPEC_STR, .str = { .choices = access_names, .choice_count = 2, .valid = "`ro`, `rw`" },
};

static const struct spec_field host_range_fields[] = {
	DESC("base", hex_u64, true, "host physical base"),
	DESC("size", nonzero_u64, true, "size in bytes"),
};
static const struct spec_type host_range =
	RECORD_TYPE(SPEC_RECORD, "host range", host_range_fields, NULL);
static const struct spec_field host_range_element = ELEMENT(host_range, SPEC_NONE);
static const struct spec_type host_range_list = LIST_TYPE(&host_range_element, 0);

static const struct spec_field frame_fields[] = {
	DESC("name", string, true, "what the frame is (\"GIC distributor\")"),
	DESC("base", hex_u64, true, "host physical base"),
	DESC("size", nonzero_u64, true, "size in bytes"),
};
static const struct spec_type frame = RECORD_TYPE(SPEC_RECORD, "reserved frame", frame_fields, NULL);
static const struct spec_field frame_element = ELEMENT(frame, SPEC_NONE);
static const struct spec_type frame_list = LIST_TYPE(&frame_element, 0);

static const struct spec_field platform_fields[] = {
	DESC("arch", arch, true, "the host's architecture"),
	DESC("cpu_num", pcpu_count, true, "physical CPUs 0..cpu_num-1; a phys_cpu_sets bit beyond them is E0221"),
	DESC("phys_cpu_ids", hex_list, false,
	     "one physical id per CPU (MPIDR on ARM); a VM's phys_cpu_ids must be among them (E0225)"),
	DESC("ipa_bits", ipa_width, false, "guest-physical address width; guest ranges must lie below 2^ipa_bits (E0208)"),
	DESC("ram", host_range_list, true, "host RAM banks [base, size]; identity and reserved VM RAM must lie inside (E0307)"),
	DESC("hypervisor_memory", host_range_list, false,
	     "memory the hypervisor keeps [base, size]; no VM memory may overlap it (E0305)"),
	DESC("reserved", frame_list, false,
	     "frames no VM may map [name, base, size]: interrupt controller, IOMMU, … (E0306)"),
};
static const struct spec_type platform = {
	.kind = SPEC_TABLE,
	.what = "[platform]",
	.rec = { .fields = platform_fields,
		 .count = sizeof platform_fields / sizeof platform_fields[0],
		 .or_string = "the host's device tree (.dts or .dtb, relative to the system file)" },
};

static const struct spec_field subscriber_fields[] = {
	DESC("vm", string, true, "a subscribing VM by its base.name (E0310 if unknown)"),
	DESC("access", access, true, "`ro` read-only or `rw` read-write"),
};
static const struct spec_type subscriber = RECORD_TYPE(SPEC_RECORD, "subscriber", subscriber_fields, NULL);
static const struct spec_field subscriber_element = ELEMENT(subscriber, SPEC_NONE);
static const struct spec_type subscriber_list = LIST_TYPE(&subscriber_element, 0);

static const struct spec_field ivc_fields[] = {
	DESC("key", dec_u64, true, "channel key, unique in the system (E0312)"),
	DESC("publisher", string, true, "the publishing VM by its base.name (E0310 if unknown)"),
	DESC("size", nonzero_u64, true,
	     "bytes; each VM's IVC window must hold the page-rounded sizes of its channels (E0311)"),
	DESC("subscribers", subscriber_list, false, "VMs allowed to map the channel"),
	DESC("static", boolean, false,
	     "true: the hypervisor sets the channel up when it creates the VMs; "
	     "false (default): it only grants the guests' own publish and subscribe calls"),
};
static const struct spec_type ivc = RECORD_TYPE(SPEC_TABLE, "[[ivc]]", ivc_fields, NULL);
static const struct spec_field ivc_element = ELEMENT(ivc, SPEC_NONE);
static const struct spec_type ivc_list = LIST_TYPE(&ivc_element, 0);

static const struct spec_field system_fields[] = {
	DESC("vms", string_list, true, "the VM files; relative paths start at the system file's folder"),
	DESC("platform", platform, false,
	     "the host platform (or a string naming its device tree); without it, platform rules "
	     "are skipped (N0313)"),
	DESC("ivc", ivc_list, false, "static IVC channels between the VMs"),
};
const struct spec_type vmcfg_spec_system_file_type =
	RECORD_TYPE(SPEC_TABLE, "system file", system_fields, NULL);

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
