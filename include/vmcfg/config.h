/* SPDX-License-Identifier: MIT */
/*
 * vmcfg/config.h — the runtime VM configuration (the reference's
 * AxVMConfig), converted from a vm_spec, plus the operations the runtime
 * performs on it and the vCPU affinity resolution contract.
 *
 * A vm_config has no spans: it is what vmcfg_vm_create consumes. It owns its
 * memory (from the allocator given at conversion) and may be changed with
 * the operations below (adding a passthrough device, an SPI, a region).
 */
#ifndef VMCFG_CONFIG_H
#define VMCFG_CONFIG_H

#include "vmcfg/spec.h"

VMCFG_BEGIN_DECLS

struct vmcfg_vm_mem_region {
	uint64_t gpa, size;
	uint32_t flags; /* VMCFG_MEM_* */
	enum vmcfg_map_type map_type;
};

struct vmcfg_vm_emu_device {
	const char *name;
	uint64_t base_gpa, length;
	uint32_t irq_id;   /* 0 = none */
	uint32_t emu_type; /* enum vmcfg_emu_type value */
	uint64_t *cfg_list;
	size_t cfg_count;
};

struct vmcfg_vm_pt_device {
	const char *name; /* a device-tree path when the entry had only a name */
	uint64_t base_gpa, base_hpa, length;
	uint32_t irq_id; /* an SPI's INTID: the VM's in interrupt_mode "passthrough" on aarch64 (vmcfg_irq_id_is_spi) */
};

struct vmcfg_vm_pt_address {
	uint64_t gpa, length;
};

/* x86 I/O ports passed through: [base, base + length) of the 16-bit port space. */
struct vmcfg_vm_pt_port {
	uint64_t base, length;
};

struct vmcfg_vm_image {
	bool present;     /* a path or a load address was given */
	const char *path; /* NULL when no path */
	uint64_t load_gpa;
	bool has_load_gpa;
};

enum vmcfg_image_location {
	VMCFG_IMAGE_FS = 0,  /* loaded from a file system at run time (default) */
	VMCFG_IMAGE_MEMORY   /* built into the hypervisor image */
};

struct vmcfg_vm_config {
	struct vmcfg_allocator alloc;
	struct vmcfg_arena arena; /* strings and fixed-size lists (cpu lists, cfg_list) */

	uint64_t id;
	const char *name;
	uint32_t vm_type; /* enum vmcfg_vm_type */

	uint32_t cpu_num;
	uint64_t *phys_cpu_ids;  /* cpu_num entries, or NULL when not given */
	uint64_t *phys_cpu_sets; /* cpu_num entries, or NULL when not given */
	uint64_t bsp_entry;      /* vCPU 0 starts here */
	uint64_t ap_entry;       /* the others start here */

	struct vmcfg_vm_image kernel, bios, dtb, ramdisk;
	enum vmcfg_image_location image_location;
	const char *cmdline;   /* NULL when not given */
	const char *disk_path; /* NULL when not given */

	struct vmcfg_vm_mem_region *regions;
	size_t region_count, region_cap;
	struct vmcfg_vm_emu_device *emu;
	size_t emu_count, emu_cap;
	struct vmcfg_vm_pt_device *pt;
	size_t pt_count, pt_cap;
	struct vmcfg_vm_pt_address *pt_addresses;
	size_t pt_address_count, pt_address_cap;
	struct vmcfg_vm_pt_port *pt_ports; /* devices.passthrough_ports (x86 only) */
	size_t pt_port_count, pt_port_cap;
	const char **excluded; /* device-tree paths, flattened */
	size_t excluded_count, excluded_cap;
	uint32_t *spis;        /* host SPIs (riscv64: PLIC sources) routed to this VM; empty after conversion */
	size_t spi_count, spi_cap;
	enum vmcfg_irq_mode irq_mode;
};

/*
 * Converts spec into a new runtime config, as the reference's
 * From<AxVMCrateConfig> does (BSP and AP entry = entry_point, images,
 * regions, devices, passthrough addresses, excluded paths, empty SPI list,
 * interrupt mode). The spec must be free of errors: a spec whose required
 * values are unset, or whose cpu lists do not have cpu_num entries, is
 * refused with VMCFG_EINVALID (decode reports why). So is a spec with a
 * value the config cannot hold: cpu_num 0 or above INT32_MAX, an image
 * location other than "fs"/"memory", a map_type above 2, a region that
 * runs past 2^64, flags, vm_type, irq_id or emu_type above 32 bits.
 * Regions flagged VMCFG_MEM_DEVICE are kept as written (vmcfg_vm_create skips
 * them with a warning). Returns 0, VMCFG_EINVALID, VMCFG_ENOMEM or
 * VMCFG_EINVAL; *out is NULL on failure and nothing is left allocated.
 * Free with vmcfg_vm_config_free (NULL is fine).
 */
int vmcfg_vm_config_from_spec(const struct vmcfg_vm_spec *spec, const struct vmcfg_allocator *alloc,
			struct vmcfg_vm_config **out);

void vmcfg_vm_config_free(struct vmcfg_vm_config *cfg);

/* Appends a passthrough device (name copied). 0 or VMCFG_ENOMEM. */
int vmcfg_vm_config_add_pt_device(struct vmcfg_vm_config *cfg, const struct vmcfg_vm_pt_device *dev);

/*
 * Removes the passthrough devices equal to dev (same name and all fields)
 * and keeps every other one, in order. Returns the number removed (≥ 0).
 */
int vmcfg_vm_config_remove_pt_device(struct vmcfg_vm_config *cfg, const struct vmcfg_vm_pt_device *dev);

/* Appends a host SPI unless it is listed already. 0 or VMCFG_ENOMEM. */
int vmcfg_vm_config_add_spi(struct vmcfg_vm_config *cfg, uint32_t spi);

/*
 * Appends a memory region. 0, VMCFG_ENOMEM, or VMCFG_ERANGE if gpa + size
 * wraps (a region may end exactly at 2^64).
 */
int vmcfg_vm_config_add_region(struct vmcfg_vm_config *cfg, const struct vmcfg_vm_mem_region *region);

/*
 * True when every byte of [start, start + size) lies in the config's
 * memory regions, possibly across several adjacent or overlapping ones,
 * in any order. Regions flagged VMCFG_MEM_DEVICE do not count (they are
 * not guest memory). size 0 is contained when start lies in a region.
 * Never overflows: a range whose end would pass 2^64 is not contained.
 */
bool vmcfg_vm_config_contains_range(const struct vmcfg_vm_config *cfg, uint64_t start, uint64_t size);

/* get_vcpu_affinities_pcpu_ids(): one entry per vCPU. */
struct vmcfg_vm_vcpu_affinity {
	uint32_t vcpu_id;
	bool has_mask;     /* false: may run on any physical CPU */
	uint64_t pcpu_mask; /* bit n = physical CPU n (phys_cpu_sets[i]) */
	uint64_t phys_id;   /* phys_cpu_ids[i], or i when not given (MPIDR on ARM) */
};

/*
 * Fills out[0..cfg->cpu_num) with vCPU i → (i, phys_cpu_sets[i] or any,
 * phys_cpu_ids[i] or i). Returns cpu_num, or VMCFG_ENOSPC when n is less.
 */
int vmcfg_vm_config_vcpu_affinities(const struct vmcfg_vm_config *cfg, struct vmcfg_vm_vcpu_affinity *out,
			      size_t n);

/*
 * Writes the runtime config as one JSON object and a newline: fields in a
 * fixed order (id, name, vm_type, cpu_num, bsp_entry, ap_entry, vcpus,
 * images, image_location, cmdline, disk_path, memory_regions, emu_devices,
 * passthrough_devices, passthrough_addresses, excluded_devices, spis,
 * interrupt_mode), numbers as JSON integers, absent values as null.
 */
void vmcfg_vm_config_emit_json(const struct vmcfg_vm_config *cfg, const struct vmcfg_writer *w);

VMCFG_END_DECLS

#endif /* VMCFG_CONFIG_H */
