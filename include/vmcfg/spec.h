/* SPDX-License-Identifier: MIT */
/*
 * vmcfg/spec.h — the file-level VM description (the reference's
 * AxVMCrateConfig): exactly what one TOML file declares, every value with
 * the span it was written at, decoded from a parsed TOML document.
 *
 * Decoding never stops at the first problem: every type, range, arity and
 * schema problem becomes a diagnostic (vmcfg/diag.h) located at the value,
 * naming its key path (`kernel.memory_regions[1][2]`), and decoding goes
 * on with the rest. A field whose value was wrong is left unset.
 *
 * Both forms of every record are read: the positional array that real
 * files use (`[0x8000_0000, 0x1000_0000, 0x7, 1]`) and a table / inline
 * table / array of tables with named fields (`{ gpa = …, size = …,
 * flags = …, map_type = … }`, `[[kernel.memory_regions]]`). Field names
 * of the named form are listed in docs/config-reference.md.
 *
 * All memory of a spec lives in the spec's own arena (strings are copied),
 * so the TOML document may be freed after decoding.
 */
#ifndef VMCFG_SPEC_H
#define VMCFG_SPEC_H

#include "vmcfg/diag.h"
#include "vmcfg/toml.h"

VMCFG_BEGIN_DECLS

/* An unsigned integer from the file. set is false when absent or invalid. */
struct vmcfg_spec_u64 {
	uint64_t v;
	bool set;
	struct vmcfg_span span; /* the value as written (line 0 when not set) */
};

/* A string from the file (NUL-terminated copy; may not contain NUL). */
struct vmcfg_spec_str {
	const char *s;
	size_t len;
	bool set;
	struct vmcfg_span span;
};

/* A boolean value (kernel.enable_bios). */
struct vmcfg_spec_bool {
	bool v;
	bool set;
	struct vmcfg_span span;
};

/* One entry of devices.passthrough_ports: [base, length], x86 I/O ports (16-bit each). */
struct vmcfg_spec_pt_port {
	struct vmcfg_spec_u64 base, length;
	struct vmcfg_span span;
};

/* A list of integers (phys_cpu_ids, phys_cpu_sets, emu cfg_list). */
struct vmcfg_spec_u64_list {
	struct vmcfg_spec_u64 *items;
	size_t count;
	bool set;               /* the key was present with an array value */
	struct vmcfg_span span; /* the whole array */
};

/* VmMemMappingType */
enum vmcfg_map_type {
	VMCFG_MAP_ALLOC = 0,     /* hypervisor allocates (zeroed) host memory anywhere */
	VMCFG_MAP_IDENTICAL = 1, /* GPA == HPA, range reserved from the allocator */
	VMCFG_MAP_RESERVED = 2   /* GPA == HPA of memory set aside by the host */
};

/* EmulatedDeviceType values of emu_devices[][4]. */
enum vmcfg_emu_type {
	VMCFG_EMU_DUMMY = 0x00,
	VMCFG_EMU_INTERRUPT_CONTROLLER = 0x01,
	VMCFG_EMU_CONSOLE = 0x02,
	VMCFG_EMU_FW_CFG = 0x03,             /* QEMU fw_cfg (axvmconfig 0.8) */
	VMCFG_EMU_IVC_CHANNEL = 0x0A,
	VMCFG_EMU_GPPT_REDISTRIBUTOR = 0x20, /* cfg_list = [cpu_num, stride, first_pcpu] */
	VMCFG_EMU_GPPT_DISTRIBUTOR = 0x21,
	VMCFG_EMU_GPPT_ITS = 0x22,           /* cfg_list = [host_gits_base] */
	VMCFG_EMU_X86_IOAPIC = 0x23,         /* axvmconfig 0.8 */
	VMCFG_EMU_X86_PIT = 0x24,            /* axvmconfig 0.8: the i8254 on ports 0x40-0x43 */
	VMCFG_EMU_LOONGARCH_PCH_PIC = 0x25,  /* axvmconfig 0.8 */
	VMCFG_EMU_PPPT_GLOBAL = 0x30,        /* cfg_list = [context_num] */
	VMCFG_EMU_VIRTIO_BLK = 0xE1,
	VMCFG_EMU_VIRTIO_NET = 0xE2,
	VMCFG_EMU_VIRTIO_CONSOLE = 0xE3
};

/* Name of an emu_type ("Console", "IVCChannel"), NULL if not a known value. */
const char *vmcfg_emu_type_name(uint64_t emu_type);

/*
 * The cfg_list arity an emu_type requires: 0..n exact count, or -1 when
 * any length is accepted (types without a documented cfg_list).
 */
int vmcfg_emu_type_cfg_arity(uint64_t emu_type);

enum vmcfg_irq_mode {
	VMCFG_IRQ_NONE = 0,   /* "no_irq" (aliases "no", "none"); the default */
	VMCFG_IRQ_EMU,        /* "emu" ("emulated") */
	VMCFG_IRQ_PASSTHROUGH /* "passthrough" ("pt") */
};

/* Canonical name of an interrupt mode: "no_irq", "emu", "passthrough". */
const char *vmcfg_irq_mode_name(enum vmcfg_irq_mode m);

/*
 * The most vCPUs a VM may have (cpu_num). Far above any partitioning use;
 * it keeps per-vCPU state and outputs bounded for any input.
 */
#define VMCFG_MAX_VCPUS 512

enum vmcfg_vm_type {
	VMCFG_VM_HOST = 0,  /* host VM ("type 1.5") */
	VMCFG_VM_RTOS = 1,
	VMCFG_VM_LINUX = 2
};

/* One entry of kernel.memory_regions: [gpa, size, flags, map_type]. */
struct vmcfg_spec_region {
	struct vmcfg_spec_u64 gpa, size, flags, map_type;
	struct vmcfg_span span; /* the whole entry */
};

/* One entry of devices.emu_devices: [name, base_gpa, length, irq_id, emu_type, cfg_list]. */
struct vmcfg_spec_emu_device {
	struct vmcfg_spec_str name;
	struct vmcfg_spec_u64 base_gpa, length, irq_id, emu_type;
	struct vmcfg_spec_u64_list cfg_list;
	struct vmcfg_span span;
};

/*
 * One entry of devices.passthrough_devices: [name, base_gpa?, base_hpa?,
 * length?, irq_id?]. Absent optional fields are not set (and mean 0).
 * An entry with only a name is a device-tree path (is_dt_path).
 */
struct vmcfg_spec_pt_device {
	struct vmcfg_spec_str name;
	struct vmcfg_spec_u64 base_gpa, base_hpa, length, irq_id;
	bool is_dt_path;
	bool implied; /* added for the guest_type form (devices.passthrough, guest_type), not written */
	struct vmcfg_span span;
};

/* One entry of devices.passthrough_addresses: [gpa, length]. */
struct vmcfg_spec_pt_address {
	struct vmcfg_spec_u64 gpa, length;
	struct vmcfg_span span;
};

/* One entry of devices.excluded_devices: a list of device-tree paths. */
struct vmcfg_spec_excluded {
	struct vmcfg_spec_str *paths;
	size_t count;
	bool implied; /* added for the guest_type form's devices.disabled, not written */
	struct vmcfg_span span;
};

/*
 * One entry of devices.passthrough or devices.disabled (axvmconfig's
 * guest_type form): { path = "/soc/serial@10000000" }.
 */
struct vmcfg_spec_device_ref {
	struct vmcfg_spec_str path;
	struct vmcfg_span span;
};

/* An image: path and load address (kernel, bios, dtb, ramdisk). */
struct vmcfg_spec_image {
	struct vmcfg_spec_str path;
	struct vmcfg_spec_u64 load_addr;
};

struct vmcfg_vm_spec {
	const char *file;        /* the file's name as given (for locations) */
	struct vmcfg_arena arena; /* owns everything below */
	/*
	 * Written in axvmconfig's guest_type form (base.guest_type,
	 * base.dedicated_cpus, devices.passthrough / disabled, or
	 * devices.aarch64_virtual_timer_irq present): every key but id, name,
	 * cpu_num and kernel_path may be left out, and the decoder fills in
	 * what the form implies (docs/config-reference.md, "The guest_type
	 * form"); the spec then reads as a file of the older form would.
	 */
	bool guest_form;

	struct {
		struct vmcfg_spec_u64 id;
		struct vmcfg_spec_str name;
		struct vmcfg_spec_u64 vm_type;
		struct vmcfg_spec_u64 cpu_num;
		struct vmcfg_spec_u64_list phys_cpu_ids;
		struct vmcfg_spec_u64_list phys_cpu_sets;
		struct vmcfg_spec_str guest_type;     /* "virtualized" or "passthrough" */
		struct vmcfg_spec_bool dedicated_cpus; /* phys_cpu_sets are this VM's alone */
		struct vmcfg_span span; /* the [base] header (line 0 when missing) */
	} base;

	struct {
		struct vmcfg_spec_u64 entry_point;
		struct vmcfg_spec_image kernel, bios, dtb, ramdisk;
		struct vmcfg_spec_str image_location; /* "fs" or "memory" when set */
		struct vmcfg_spec_str cmdline;
		struct vmcfg_spec_str disk_path;
		/*
		 * axvmconfig 0.8: the firmware boot flow. boot_protocol is
		 * "direct", "multiboot" or "uefi" or an alias the Rust enum
		 * accepts ("kernel"; "bios", "axvm-bios"; "efi"), as written.
		 */
		struct vmcfg_spec_bool enable_bios;
		struct vmcfg_spec_str boot_protocol;
		struct vmcfg_spec_str uefi_firmware_path;
		struct vmcfg_spec_region *regions;
		size_t region_count;
		bool regions_set;
		struct vmcfg_span regions_span;
		struct vmcfg_span span;
	} kernel;

	struct {
		struct vmcfg_spec_emu_device *emu;
		size_t emu_count;
		bool emu_set;
		struct vmcfg_span emu_span; /* the whole array */
		struct vmcfg_spec_pt_device *pt;
		size_t pt_count;
		bool pt_set;
		struct vmcfg_span pt_span;
		enum vmcfg_irq_mode irq_mode;
		struct vmcfg_span irq_mode_span; /* line 0 when not written (default) */
		struct vmcfg_spec_excluded *excluded;
		size_t excluded_count;
		bool excluded_set;
		struct vmcfg_span excluded_span;
		struct vmcfg_spec_pt_address *pt_addresses;
		size_t pt_address_count;
		bool pt_addresses_set;
		struct vmcfg_span pt_addresses_span;
		/* axvmconfig 0.8: x86 I/O port ranges passed through, and the address-space policy. */
		struct vmcfg_spec_pt_port *pt_ports;
		size_t pt_port_count;
		bool pt_ports_set;
		struct vmcfg_span pt_ports_span;
		struct vmcfg_spec_str address_space_policy; /* "virtualized" or "passthrough" */
		/*
		 * The guest_type form's device selection, as written; the
		 * decoder also appends them to pt (the paths) and excluded.
		 */
		struct vmcfg_spec_device_ref *pt_refs;
		size_t pt_ref_count;
		bool pt_refs_set;
		struct vmcfg_span pt_refs_span;
		struct vmcfg_spec_device_ref *disabled;
		size_t disabled_count;
		bool disabled_set;
		struct vmcfg_span disabled_span;
		struct vmcfg_spec_u64 vtimer_irq; /* aarch64_virtual_timer_irq: stored, not acted on */
		struct vmcfg_span span;
	} devices;
};

/*
 * Decodes doc (parsed from file) into a new spec. Every problem found is
 * appended to diags (which must be initialised); decoding goes on after
 * each. Returns 0 when a spec was produced — even if diags holds errors;
 * check diags->errors — or VMCFG_ENOMEM / VMCFG_EINVAL (then *out is NULL).
 * file is copied. Unknown keys and tables are warnings (VMCFG_R_UNKNOWN_KEY,
 * with the nearest valid name as hint); callers promote them for --strict.
 * Free the spec with vmcfg_vm_spec_free.
 */
int vmcfg_vm_spec_decode(const struct vmcfg_toml_doc *doc, const char *file,
		   const struct vmcfg_allocator *alloc, struct vmcfg_diags *diags,
		   struct vmcfg_vm_spec **out);

/*
 * Parses text (len bytes) as TOML the way every vmcfg file is read (64-bit
 * integers allowed, for addresses): a syntax error becomes one
 * VMCFG_R_TOML_SYNTAX diagnostic located in file, *doc stays NULL and the
 * return is 0. Returns 0, VMCFG_ENOMEM or VMCFG_EINVAL. Free with vmcfg_toml_free.
 */
int vmcfg_vm_spec_parse_toml(const char *text, size_t len, const char *file,
		       const struct vmcfg_allocator *alloc, struct vmcfg_diags *diags,
		       struct vmcfg_toml_doc **doc);

/*
 * Parses text (len bytes) as TOML and decodes it: a TOML syntax error
 * becomes one VMCFG_R_TOML_SYNTAX diagnostic (and *out stays NULL, return
 * 0). The parser is run with allow_u64 so 64-bit addresses can be written.
 * Returns 0, VMCFG_ENOMEM or VMCFG_EINVAL.
 */
int vmcfg_vm_spec_load(const char *text, size_t len, const char *file,
		 const struct vmcfg_allocator *alloc, struct vmcfg_diags *diags,
		 struct vmcfg_vm_spec **out);

void vmcfg_vm_spec_free(struct vmcfg_vm_spec *spec);

/*
 * Writes spec as canonical TOML: tables [base], [kernel], [devices] with
 * keys in the order of docs/config-reference.md, addresses and sizes in
 * hex with '_' every 4 digits, records in positional form, unset optional
 * keys left out. Re-reading the output yields an equal spec (spans aside).
 * Values that were invalid (unset) are left out.
 */
void vmcfg_vm_spec_emit_toml(const struct vmcfg_vm_spec *spec, const struct vmcfg_writer *w);

/*
 * Like vmcfg_vm_spec_emit_toml, keeping the comments of text (len bytes), the
 * TOML spec was decoded from: the file header, the comments above and at
 * the end of each table header, key and array element, and those between
 * array elements (a commented-out element stays inside its array). Every
 * comment is written once, verbatim, trailing blanks removed; one that
 * belongs to nothing written (an unknown key left out) goes above the next
 * line written after it in the source. Re-reading the output yields an
 * equal spec, and formatting it again gives the same text. The rules are
 * in lib/spec/comments.h. Working memory comes from alloc; returns 0,
 * VMCFG_ENOMEM (nothing written) or VMCFG_EINVAL.
 */
int vmcfg_vm_spec_emit_toml_commented(const struct vmcfg_vm_spec *spec, const char *text, size_t len,
				const struct vmcfg_allocator *alloc, const struct vmcfg_writer *w);

/*
 * Writes a system file (text, len bytes; docs/system-file.md) in canonical
 * TOML with its comments, placed by the rules of the VM emitter: `vms`,
 * then [platform], one [[platform.reserved]] per frame and one [[ivc]] per
 * channel, keys in the order of docs/system-file.md, ranges positional,
 * subscribers as inline tables, addresses and sizes in hex with '_' every 4
 * digits, lists on one line when the line fits in 100 columns. It writes
 * what the text says, not a decoded system: a key it does not know or a
 * value of a type it cannot write makes it refuse rather than drop it.
 * Formatting the output again gives the same text. Returns 0, VMCFG_EINVALID
 * (not TOML, an unknown key or a wrongly typed value; nothing written),
 * VMCFG_ENOMEM (nothing written) or VMCFG_EINVAL (NULL w or alloc).
 */
int vmcfg_system_emit_toml_commented(const char *text, size_t len,
				     const struct vmcfg_allocator *alloc,
				     const struct vmcfg_writer *w);

/* What a parsed file is, by its top-level keys. */
enum vmcfg_file_kind {
	VMCFG_FILE_VM,    /* anything else: read as a VM file */
	VMCFG_FILE_SYSTEM /* a `vms` key and no [base] table: a system file */
};

/* The kind of the document; NULL is a VM file. */
enum vmcfg_file_kind vmcfg_file_kind_of(const struct vmcfg_toml_doc *doc);

/* Writes spec as JSON (named fields, numbers as JSON integers). */
void vmcfg_vm_spec_emit_json(const struct vmcfg_vm_spec *spec, const struct vmcfg_writer *w);

VMCFG_END_DECLS

#endif /* VMCFG_SPEC_H */
