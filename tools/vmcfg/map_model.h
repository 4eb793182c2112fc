/* SPDX-License-Identifier: MIT */
/*
 * The memory map of a system, as `vmcfg map` draws it (text and SVG): one
 * address space for the host's physical memory and one per VM for its
 * guest physical memory, each a list of rows sorted by address — regions
 * and the gaps between them — plus the guest→host links (the arrows) and
 * the overlaps within a space.
 *
 * Built once from a loaded vm_set (load.h), so both renderers show the same
 * thing:
 *   - VMs without errors are built with vmcfg_vm_create on the simulated host of
 *     `vmcfg build` (sim_host.h), all side by side, and the system's IVC
 *     channels are published and subscribed as declared; host backing comes
 *     from the stage-2 tables (vmcfg_aspace_for_each), so MapAlloc RAM shows
 *     the real frames it got, and the page-table pages are shown too;
 *   - VMs with errors (or that vmcfg_vm_create refuses) are drawn from their
 *     config alone when the file converts: guest ranges as written, host
 *     ranges only where the file fixes them (identical and reserved RAM at
 *     GPA == HPA, passthrough at base_hpa); MapAlloc RAM then has no host
 *     frames to show. That is when a map is needed most: a conflict is
 *     drawn where it is, instead of the VM missing from the picture.
 *   - the checker's findings (warnings and errors) are attached to every
 *     region whose source entry (a memory region, device, passthrough
 *     window, platform range, IVC channel) holds the finding's primary or
 *     related span, so a conflict is marked on both sides with its code.
 */
#ifndef VMCFG_TOOLS_MAP_MODEL_H
#define VMCFG_TOOLS_MAP_MODEL_H

#include "load.h"

enum map_kind {
	MAP_RAM_ALLOC,      /* MapAlloc RAM: frames the hypervisor allocates */
	MAP_RAM_IDENTICAL,  /* MapIdentical RAM: GPA == HPA, reserved from host RAM */
	MAP_RAM_RESERVED,   /* MapReserved RAM: GPA == HPA, memory the host set aside */
	MAP_PASSTHROUGH,    /* a device window mapped to host MMIO */
	MAP_EMULATED,       /* an emulated device (traps; no host memory) */
	MAP_IVC_WINDOW,     /* the guest window IVC channels are mapped into */
	MAP_IVC_CHANNEL,    /* a channel's shared frames (in a window; on the host) */
	MAP_PAGE_TABLES,    /* a VM's stage-2 page-table pages (host) */
	MAP_HV_MEMORY,      /* the hypervisor's own memory (platform) */
	MAP_RESERVED_FRAME, /* a platform frame no VM may map: GIC, IOMMU, … */
	MAP_GAP_UNMAPPED,   /* gap: guest addresses nothing maps */
	MAP_GAP_FREE_RAM,   /* gap: host RAM nothing uses */
	MAP_GAP_NO_RAM,     /* gap: host addresses that are no RAM */
	MAP_KIND_COUNT
};

/* "RAM alloc", "identical", …, for both renderers and their legends. */
const char *map_kind_name(enum map_kind kind);

/*
 * Whether a guest range of this kind is backed by host memory (an arrow
 * leaves it); an emulated device traps, an IVC window only holds channels.
 */
bool map_kind_has_backing(enum map_kind kind);

static inline bool map_kind_is_gap(enum map_kind kind)
{
	return kind >= MAP_GAP_UNMAPPED;
}

#define MAP_HOST_OWNER (-1)  /* a platform range (hypervisor, reserved frame) or a gap */
#define MAP_MAX_CODES 4      /* findings' codes kept per region (the rest are in the report) */
#define MAP_MAX_OVERLAPS 256 /* overlaps listed per space; the rest only counted */

/*
 * One row of a space: [base, end). end is exclusive; a range that runs to
 * 2^64 ends at UINT64_MAX (the one byte lost is never drawn).
 */
struct map_region {
	uint64_t base, end;
	enum map_kind kind;
	int owner;       /* index into map_model.vms, or MAP_HOST_OWNER */
	int sharer;      /* a second VM mapping the same frames (IVC channel), else -1 */
	const char *label;  /* device, channel or range name; "" when none */
	bool child;      /* lies inside the parent region before it (a channel in its window) */
	unsigned lane;   /* 0, or the column an overlapping region is moved to */
	const char *codes[MAP_MAX_CODES]; /* codes of the findings on it, no repeats */
	unsigned code_count;
	bool error;      /* one of those findings is an error (drawn as a conflict) */
};

/* A part of a space covered by two regions at once; codes both of them carry. */
struct map_overlap {
	uint64_t base, end;
	size_t a, b; /* the regions' indexes in the space */
	const char *codes[MAP_MAX_CODES];
	unsigned code_count;
};

struct map_space {
	struct map_region *rows; /* sorted by base (children after their parent); gaps included */
	size_t count, cap;
	unsigned lanes;          /* 1 + the highest lane used */
	struct map_overlap *overlaps; /* ordered by b, then a */
	size_t overlap_count, overlap_cap;
	size_t overlaps_left_out; /* overlaps past MAP_MAX_OVERLAPS, not listed */
};

/* A guest range and the host range backing it: one arrow. */
struct map_link {
	int vm;
	uint64_t gpa, hpa, size;
};

struct map_vm {
	uint64_t id;
	const char *name;
	const char *file;
	bool built;       /* by vmcfg_vm_create; else drawn from the config alone */
	const char *note; /* why not built, or NULL */
	struct map_space space;
};

struct map_model {
	struct vmcfg_arena arena; /* every string above */
	bool has_platform;
	const char *arch;
	struct map_space host;
	struct map_vm *vms;
	size_t vm_count;
	struct map_link *links;
	size_t link_count, link_cap;
	const char **notes; /* things the map could not show (a channel not mapped, …) */
	size_t note_count, note_cap;
};

/*
 * Builds the map of set (loaded with or without a system file). What cannot
 * be built or mapped becomes a VM's note or one of m->notes, never a
 * failure. Returns 0 or VMCFG_ENOMEM; free the model in either case.
 */
int map_model_build(struct map_model *m, const struct vm_set *set);

void map_model_free(struct map_model *m);

/* The name to show for a region's owner: a VM name, "hypervisor"/"platform", or "". */
const char *map_owner_name(const struct map_model *m, const struct map_region *r);

#endif
