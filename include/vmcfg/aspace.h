/* SPDX-License-Identifier: MIT */
/*
 * vmcfg/aspace.h — guest physical address spaces over real stage-2 page
 * tables (the reference's AddrSpace), and the page-table formats they use.
 *
 * Part 1, page-table formats: one small interface (struct vmcfg_pt_format)
 * with an implementation per format — arm64 stage 2 (4 KiB granule, 3 or 4
 * levels), riscv64 Sv39x4 / Sv48x4 (G-stage), x86-64 EPT (4 levels). Each
 * encodes and decodes descriptors bit-exactly and computes the register
 * that points the MMU at a table (VTCR_EL2 + VTTBR_EL2, hgatp, EPTP) from
 * the same parameters, so table and register cannot disagree.
 *
 * Part 2, address spaces: map / unmap / translate / copy over a table whose
 * every page comes from the embedder's HAL (vmcfg/hal.h).
 *
 * Levels are numbered from the leaf up, the same for every format:
 * level 0 entries map 4 KiB, level 1 2 MiB, level 2 1 GiB, level 3 512 GiB;
 * the root is level `levels - 1`. (Arm numbers the same levels 3, 2, 1, 0;
 * RISC-V numbers them like this file.)
 *
 * Freestanding. No global state: everything lives in the caller's
 * struct vmcfg_aspace and in frames from its HAL.
 */
#ifndef VMCFG_ASPACE_H
#define VMCFG_ASPACE_H

#include "vmcfg/base.h"
#include "vmcfg/hal.h"

VMCFG_BEGIN_DECLS

/* ---------------------------------------------------------------------
 * Page-table formats
 * ------------------------------------------------------------------- */

enum vmcfg_pt_kind {
	VMCFG_PT_ARM64_S2_3L,  /* "arm64-s2-3l": 4 KiB granule, start level 1; IPA 32..42 bits
				  (> 39 bits: 2^(ipa-39) concatenated root tables, e.g. 2 for 40) */
	VMCFG_PT_ARM64_S2_4L,  /* "arm64-s2-4l": 4 KiB granule, start level 0; IPA 44..48 bits */
	VMCFG_PT_RISCV_SV39X4, /* "riscv-sv39x4": 16 KiB root; IPA 32..41 bits */
	VMCFG_PT_RISCV_SV48X4, /* "riscv-sv48x4": 16 KiB root; IPA 32..50 bits */
	VMCFG_PT_X86_EPT4,     /* "x86-ept4": 4-level EPT; IPA 32..48 bits */
	VMCFG_PT_KIND_COUNT
};

/* What a descriptor is, format-independently. */
enum vmcfg_pte_type {
	VMCFG_PTE_NONE,  /* all zero: nothing mapped */
	VMCFG_PTE_TABLE, /* points to the next level's table */
	VMCFG_PTE_LEAF,  /* maps a page or block */
	VMCFG_PTE_LAZY,  /* invalid to the MMU; mapped lazily, populated on first access */
	VMCFG_PTE_DEFERRED, /* invalid to the MMU; owns frames at pa, zeroed and made a
			       leaf on first access (vmcfg_aspace_map_alloc_deferred) */
};

struct vmcfg_pte {
	enum vmcfg_pte_type type;
	uint64_t pa;    /* TABLE: the next table; LEAF, DEFERRED: output address; else 0 */
	uint32_t flags; /* LEAF, LAZY, DEFERRED: VMCFG_MEM_* exactly as mapped; else 0 */
	bool owned;     /* LEAF: the aspace allocated or reserved the frames; LAZY, DEFERRED: true */
};

/*
 * The registers that make the MMU walk a table.
 *   arm64: root = VTTBR_EL2 (BADDR; VMID 0, CnP 0 — OR in VMID << 48),
 *          control = VTCR_EL2;
 *   riscv: root = hgatp (MODE and PPN; VMID 0 — OR in VMID << 44), control = 0;
 *   x86:   root = EPTP (memory type WB, page-walk length 4, A/D off), control = 0.
 */
struct vmcfg_pt_regs {
	uint64_t root;
	uint64_t control;
};

/*
 * A page-table format. All functions are pure (no memory access); the
 * address space does the walking. Obtain one with vmcfg_pt_format_get().
 */
struct vmcfg_pt_format {
	const char *name;
	enum vmcfg_pt_kind kind;
	unsigned levels;      /* 3 or 4; the root is level levels - 1 */
	unsigned leaf_levels; /* bit L set: a leaf may sit at level L (all formats: 4K, 2M, 1G) */
	unsigned min_ipa_bits, max_ipa_bits;
	unsigned max_pa_bits; /* output addresses a descriptor can hold are below 2^this */

	/* Pages in the root table for ipa_bits (a power of two; the root is aligned to its size). */
	unsigned (*root_pages)(unsigned ipa_bits);

	/*
	 * 0 when flags (VMCFG_MEM_*) can be encoded so that they read back
	 * exactly; VMCFG_EINVAL when not: unknown bits, no access at all
	 * (none of READ/WRITE/EXECUTE), DEVICE together with UNCACHED (device
	 * memory is uncached already), and for riscv and EPT WRITE without
	 * READ (those encodings are reserved). arm64 encodes write-only
	 * (S2AP = 0b10); every format encodes execute-only.
	 */
	int (*check_flags)(uint32_t flags);

	/* A descriptor pointing to the table at pa (page-aligned, below 2^max_pa_bits). */
	uint64_t (*encode_table)(uint64_t pa);

	/*
	 * A page (level 0) or block descriptor. The caller guarantees: level is
	 * in leaf_levels, pa is aligned to the level's size and below
	 * 2^max_pa_bits, and check_flags(flags) == 0. owned is kept in bits the
	 * MMU ignores.
	 */
	uint64_t (*encode_leaf)(unsigned level, uint64_t pa, uint32_t flags, bool owned);

	/* A descriptor the MMU treats as invalid, remembering a lazy mapping's flags. */
	uint64_t (*encode_lazy)(uint32_t flags);

	/*
	 * A descriptor the MMU treats as invalid, remembering the frames (pa,
	 * as for encode_leaf) and flags of a leaf whose zeroing is deferred.
	 */
	uint64_t (*encode_deferred)(unsigned level, uint64_t pa, uint32_t flags);

	/*
	 * Decodes a descriptor found at level. Returns 0, or VMCFG_EINVAL for any
	 * value the encoders above cannot produce at that level (then *out is
	 * unspecified). decode(encode_*(x)) yields x exactly.
	 */
	int (*decode)(unsigned level, uint64_t desc, struct vmcfg_pte *out);

	/*
	 * The registers for a root table at root_pa and a host with pa_bits of
	 * physical address (arm64: PARange, which sets VTCR_EL2.PS; one of 32,
	 * 36, 40, 42, 44, 48). Returns 0; VMCFG_ERANGE when ipa_bits is outside
	 * the format's range, exceeds pa_bits (arm64), or pa_bits exceeds
	 * max_pa_bits; VMCFG_EINVAL for a pa_bits arm64 cannot encode;
	 * VMCFG_EALIGN when root_pa is not aligned to the root's size or lies
	 * at or above 2^pa_bits.
	 */
	int (*regs)(unsigned ipa_bits, unsigned pa_bits, uint64_t root_pa, struct vmcfg_pt_regs *out);
};

/* The format of a kind; NULL for an unknown kind. */
const struct vmcfg_pt_format *vmcfg_pt_format_get(enum vmcfg_pt_kind kind);

/* The format named name ("arm64-s2-3l", "x86-ept4", ...); NULL if none. */
const struct vmcfg_pt_format *vmcfg_pt_format_find(const char *name);

/* "none", "table", "leaf", "lazy" or "deferred"; "?" for a value outside the enum. */
const char *vmcfg_pte_type_name(enum vmcfg_pte_type type);

/* Bytes one entry at level covers: 4 KiB << (9 * level). */
static inline uint64_t vmcfg_pt_level_size(unsigned level)
{
	return 1ull << (VMCFG_PAGE_SHIFT + 9 * level);
}

/* ---------------------------------------------------------------------
 * Address spaces
 * ------------------------------------------------------------------- */

/* Options for vmcfg_aspace_init. */
/*
 * Never use 2 MiB / 1 GiB blocks: benchmarks, debugging, and emulators
 * whose TLB makes blocks costly (hv/platform/qemu-virt/platform.h).
 */
#define VMCFG_ASPACE_4K_ONLY 0x1u
/*
 * The memory-type flags VMCFG_MEM_DEVICE and VMCFG_MEM_UNCACHED are left
 * out of leaves (they then read back without them): for a riscv64 host
 * without Svpbmt, where a G-stage leaf with PBMT bits is invalid and the
 * platform's PMAs give device windows their type.
 */
#define VMCFG_ASPACE_NO_MEMTYPE 0x2u

/*
 * Counting the page-table pages an address space of fmt takes for a set of
 * mappings, without building it (lib/mm/pt_count.c): the tables
 * vmcfg_aspace_map_* create when the HAL has aligned frames to give. The
 * checker counts with it what vmcfg_vm_create takes from host RAM (E0315).
 * Fields are private.
 */
struct vmcfg_pt_count {
	const struct vmcfg_pt_format *fmt;
	unsigned ipa_bits, options;
	uint64_t pages;   /* table pages so far, the root's included */
	uint64_t next[4]; /* per table level: the first window not counted yet */
	bool seen[4];
	bool any;
	uint64_t end;     /* where the last range ended */
};

/*
 * Starts a count for an address space of fmt, ipa_bits and VMCFG_ASPACE_*
 * options (as vmcfg_aspace_init takes them): pages holds the root's.
 * Returns 0 or VMCFG_EINVAL (NULL, ipa_bits outside the format's range).
 */
int vmcfg_pt_count_init(struct vmcfg_pt_count *c, const struct vmcfg_pt_format *fmt,
			unsigned ipa_bits, unsigned options);

/*
 * Adds the mapping of [gpa, gpa + size) to c->pages: linear to hpa (an
 * identity, reserved or passthrough mapping: blocks where hpa - gpa is
 * aligned to them), or, with any_pa, allocated memory (frames aligned to
 * any block, as the HAL gives them when it has such runs; a fragmented
 * host can make the walk use smaller leaves and more tables). Mappings
 * come in rising gpa order; the part of one that overlaps those before is
 * left out (vmcfg_vm_create merges such passthrough windows). Returns 0 or
 * VMCFG_EINVAL (size 0, not page-aligned, wrapping, beyond ipa_bits).
 */
int vmcfg_pt_count_add(struct vmcfg_pt_count *c, uint64_t gpa, uint64_t size, bool any_pa,
		       uint64_t hpa);

struct vmcfg_aspace_stats {
	uint64_t table_pages;  /* page-table pages held, the root's included */
	uint64_t owned_frames; /* frames mapped that the aspace allocated or reserved (deferred too) */
	uint64_t mapped_bytes; /* guest bytes mapped, lazy and deferred ones included */
	uint64_t leaves[4];    /* leaf descriptors (present, lazy or deferred) per level */
};

/*
 * An address space. The caller owns the struct (embed it anywhere); its
 * fields are private — use the functions below. Bookkeeping lives in the
 * page tables themselves (ownership and lazy mappings are kept in
 * descriptor bits the MMU ignores), so the aspace needs no allocator other
 * than the HAL, which supplies every table page and every owned frame.
 *
 * Not thread-safe. The aspace does no TLB maintenance and no cache or
 * barrier instructions: after unmap (and before a vCPU may use a changed
 * table) the embedder invalidates the VM's stage-2 TLB entries
 * (TLBI IPAS2E1IS / HFENCE.GVMA / INVEPT). Unmapping part of a block
 * replaces it with a table in place; on a running arm64 VM that needs the
 * vCPUs stopped or the embedder's break-before-make. Populating a lazy
 * mapping only ever turns invalid entries valid, so it is safe while the
 * VM runs.
 */
struct vmcfg_aspace {
	struct vmcfg_hal hal;
	const struct vmcfg_pt_format *fmt;
	unsigned ipa_bits;
	unsigned options;
	unsigned root_pages;
	uint64_t root_pa;
	uint64_t retired_pa; /* the retired table pages: a list through their first entries */
	uint64_t retired_count;
	struct vmcfg_aspace_stats stats;
};

/*
 * Prepares an empty address space of ipa_bits (guest addresses are below
 * 2^ipa_bits) in format kind, allocating its root table from hal (hal is
 * copied; its ctx must outlive the aspace). options: VMCFG_ASPACE_*.
 * Returns 0; VMCFG_EINVAL for an unknown kind or option, or a HAL lacking
 * alloc_frames / free_frames / phys_to_virt; VMCFG_ERANGE when ipa_bits is
 * outside the format's range; VMCFG_ENOMEM; VMCFG_EFAULT when the HAL
 * cannot show the root it allocated. On failure nothing is held.
 */
int vmcfg_aspace_init(struct vmcfg_aspace *as, const struct vmcfg_hal *hal, enum vmcfg_pt_kind kind,
		      unsigned ipa_bits, unsigned options);

/* Unmaps everything, returns every owned frame and table page (retired ones too) to the HAL. */
void vmcfg_aspace_destroy(struct vmcfg_aspace *as);

/*
 * The map functions below share these rules. gpa, size (and hpa) must be
 * page-aligned, size > 0, flags acceptable to the format. Each uses the
 * largest leaves the alignment of gpa (and hpa) allows: 1 GiB, 2 MiB,
 * 4 KiB. Each either maps the whole range or, on failure, leaves the
 * aspace and the HAL as they were, but for table pages it made and took
 * back, which wait for vmcfg_aspace_release_retired (a CPU may have
 * cached them, and the leaves, meanwhile: a map into a range a running
 * vCPU may reach is followed by a TLB invalidation on failure). Errors:
 *   VMCFG_EINVAL   size 0, or flags the format rejects (see check_flags);
 *   VMCFG_EALIGN   gpa, hpa or size not page-aligned;
 *   VMCFG_ERANGE   gpa + size wraps or exceeds 2^ipa_bits, or hpa + size
 *                  wraps or exceeds the format's physical address width;
 *   VMCFG_EOVERLAP some page of the range is already mapped;
 *   VMCFG_ENOMEM   the HAL ran out of frames.
 */

/* Maps [gpa, gpa + size) to host [hpa, hpa + size); the frames are not the aspace's. */
int vmcfg_aspace_map_linear(struct vmcfg_aspace *as, uint64_t gpa, uint64_t hpa, uint64_t size,
			    uint32_t flags);

/*
 * MapAlloc, eager: backs [gpa, gpa + size) with zeroed frames from the HAL
 * (not necessarily contiguous; 1 GiB and 2 MiB runs are used when the HAL
 * has them and gpa is aligned). The frames are owned: unmap frees them.
 * Zeroing is one HAL zero_frames call (or memset) per physically
 * contiguous run of the frames, done before the call returns but after
 * the leaves are written: map into a range no vCPU can access meanwhile
 * (VM creation). Also VMCFG_EFAULT when the HAL cannot show a frame it
 * allocated (only without zero_frames).
 */
int vmcfg_aspace_map_alloc(struct vmcfg_aspace *as, uint64_t gpa, uint64_t size, uint32_t flags);

/*
 * MapAlloc, lazy: maps [gpa, gpa + size) without backing; each 4 KiB page
 * gets a zeroed owned frame on first access (vmcfg_aspace_fault_in, or a
 * vmcfg_aspace_write touching it). Needs table pages only.
 */
int vmcfg_aspace_map_lazy(struct vmcfg_aspace *as, uint64_t gpa, uint64_t size, uint32_t flags);

/*
 * MapAlloc, zeroing deferred: takes owned frames exactly as
 * vmcfg_aspace_map_alloc does (so the memory is the guest's from the
 * start and nothing can run out later) but does not zero them; each leaf
 * (a whole 4 KiB page, 2 MiB or 1 GiB block) stays invalid to the MMU
 * until its first access — vmcfg_aspace_fault_in, or a vmcfg_aspace_write
 * touching it — zeroes it and makes it a normal leaf. Creating a VM then
 * costs no pass over its RAM, and RAM the guest never touches is never
 * written. The embedder's stage-2 fault handler must call
 * vmcfg_aspace_fault_in. Errors as vmcfg_aspace_map_alloc, without
 * VMCFG_EFAULT.
 */
int vmcfg_aspace_map_alloc_deferred(struct vmcfg_aspace *as, uint64_t gpa, uint64_t size,
				    uint32_t flags);

/* How vmcfg_aspace_map_identical mapped a range. */
enum vmcfg_ident_how {
	VMCFG_IDENT_RESERVED, /* the HAL reserved the host range; the aspace owns the frames */
	VMCFG_IDENT_FALLBACK, /* outside the HAL's memory: mapped linearly, not owned (warned once) */
};

/*
 * MapIdentical (CONFIG-SPEC): maps [gpa, gpa + size) to the same host
 * addresses. Asks the HAL to reserve exactly that host range; when the HAL
 * does not manage any of it, maps it linearly without owning it, logs one
 * warning through the HAL and reports VMCFG_IDENT_FALLBACK in *how (how may
 * be NULL). Contents are left as they are (not zeroed). Also:
 *   VMCFG_EBUSY   managed, but some frame is owned already (never shared);
 *   VMCFG_ERANGE  the range is partly managed by the HAL;
 *   VMCFG_ENOSYS  the HAL has no reserve_frames;
 *   any other error of the HAL's reserve_frames.
 */
int vmcfg_aspace_map_identical(struct vmcfg_aspace *as, uint64_t gpa, uint64_t size,
			       uint32_t flags, enum vmcfg_ident_how *how);

/*
 * Unmaps [gpa, gpa + size), which may cut through earlier mappings and
 * blocks (blocks are split into smaller leaves; tables left empty are
 * retired: see vmcfg_aspace_release_retired; owned frames are returned to
 * the HAL at once, so unmap owned memory only while none of the VM's
 * vCPUs runs). Every page of the range
 * must be mapped (lazily or not). Returns 0; VMCFG_EALIGN; VMCFG_EINVAL
 * (size 0); VMCFG_ERANGE; VMCFG_EFAULT when some page is not mapped
 * (nothing changed); VMCFG_ENOMEM when splitting a block needed a table
 * page the HAL did not have (nothing unmapped; blocks already split stay
 * split, which maps the same).
 */
int vmcfg_aspace_unmap(struct vmcfg_aspace *as, uint64_t gpa, uint64_t size);

/*
 * Frees the table pages that unmapping emptied, and those a failed map made
 * and took back. They are held until this call, not freed when they leave
 * the tree, because a CPU's TLB or walk cache may still reach them: a page
 * freed and handed out again (as a guest's frame, say) would be walked as a
 * table. Call it after invalidating the stage-2 TLB entries of the ranges
 * unmapped, on every CPU that ran the VM; vmcfg_aspace_destroy calls it too.
 * Until then they count in the stats' table_pages.
 */
void vmcfg_aspace_release_retired(struct vmcfg_aspace *as);

/* Where a guest address goes. */
struct vmcfg_translation {
	uint64_t hpa;       /* host address of the guest address; 0 when !present */
	uint32_t flags;     /* VMCFG_MEM_* exactly as mapped */
	bool present;       /* false: mapped lazily or deferred, not populated yet */
	bool owned;         /* the frame is the aspace's (MapAlloc, reserved identical) */
	unsigned level;     /* the leaf's level (0 = 4 KiB page) */
	uint64_t leaf_gpa;  /* first guest address the leaf maps */
};

/*
 * Translates gpa (any byte address). Returns 0; VMCFG_ERANGE when gpa is at
 * or above 2^ipa_bits; VMCFG_EFAULT when it is not mapped. Allocates nothing.
 */
int vmcfg_aspace_translate(const struct vmcfg_aspace *as, uint64_t gpa,
			   struct vmcfg_translation *out);

/*
 * Handles a stage-2 fault at gpa: when the page is mapped lazily and not
 * populated, gives it a zeroed owned frame; when its leaf's zeroing is
 * deferred, zeroes the whole leaf and makes it valid — under
 * VMCFG_ASPACE_4K_ONLY a deferred block is first split into 4 KiB deferred
 * leaves (a table page: VMCFG_ENOMEM possible) and only gpa's page is
 * zeroed and made valid. Returns 0 (also when the page was present already:
 * the caller retries the access); VMCFG_EFAULT when gpa is not mapped (a
 * real fault for the embedder to report) or the HAL cannot show the
 * frames; VMCFG_ERANGE; VMCFG_ENOMEM. Only invalid entries become valid,
 * so no TLB maintenance is needed and the VM may run meanwhile (not
 * thread-safe: one caller at a time per aspace).
 */
int vmcfg_aspace_fault_in(struct vmcfg_aspace *as, uint64_t gpa);

/*
 * vmcfg_aspace_fault_in for gpa, then also for every other page of the
 * window-aligned window holding gpa whose leaf is deferred (window: a power
 * of two >= VMCFG_PAGE_SIZE): those are zeroed now rather than at an exit
 * of their own, when a guest that touches a page soon touches its
 * neighbours. Lazy and unmapped pages of the window are left alone, and a
 * neighbour that fails stays deferred. Returns what vmcfg_aspace_fault_in
 * returned for gpa (VMCFG_EINVAL for a bad window); *made, when not NULL,
 * gets the number of pages made present besides gpa's.
 */
int vmcfg_aspace_fault_in_around(struct vmcfg_aspace *as, uint64_t gpa, uint64_t window,
				 size_t *made);

/*
 * Copies len bytes into guest memory at gpa, across any backing (blocks,
 * scattered frames). All-or-nothing for the bytes: the whole range is
 * checked first — every page mapped and visible through the HAL's
 * phys_to_virt — and lazy pages are populated before the first byte is
 * written; deferred leaves are made valid, zeroed first unless the copy
 * covers them whole. Guest permissions are not consulted (the hypervisor
 * loads images into read-only memory). len 0 does nothing. Returns 0;
 * VMCFG_ERANGE when gpa + len wraps or exceeds 2^ipa_bits; VMCFG_EFAULT
 * when a page is not mapped or not host-visible (e.g. a device window);
 * VMCFG_ENOMEM while populating (no byte written; pages populated so far
 * stay, zeroed).
 */
int vmcfg_aspace_write(struct vmcfg_aspace *as, uint64_t gpa, const void *src, size_t len);

/*
 * Copies len bytes of guest memory at gpa out to dst, with the same
 * checks as vmcfg_aspace_write; lazy pages not yet populated and deferred
 * leaves read as zero (and stay so). Nothing is copied when it fails.
 */
int vmcfg_aspace_read(const struct vmcfg_aspace *as, uint64_t gpa, void *dst, size_t len);

/* One run of guest addresses mapped alike, as vmcfg_aspace_for_each reports it. */
struct vmcfg_mapping {
	uint64_t gpa, size;
	uint64_t hpa;        /* host address of gpa (runs are host-contiguous); 0 when lazy */
	uint32_t flags;
	bool owned;
	bool lazy;           /* not populated (a populated lazy page is a normal owned page) */
	bool deferred;       /* owned frames at hpa, not zeroed yet: invalid to the MMU */
	unsigned leaf_sizes; /* bit L set: leaves of level L make up the run */
};

/*
 * Calls fn for each maximal run of mapped guest addresses in ascending
 * order, a run being adjacent leaves with the same flags, ownership,
 * laziness and deferral whose host addresses continue each other. Stops
 * when fn returns non-zero and returns that value; else 0.
 */
int vmcfg_aspace_for_each(const struct vmcfg_aspace *as,
			  int (*fn)(void *ud, const struct vmcfg_mapping *m), void *ud);

/* One descriptor as vmcfg_aspace_for_each_desc reports it. */
struct vmcfg_desc_visit {
	unsigned level;    /* level of the table holding it */
	uint64_t table_pa; /* that table's host address (root: the first root page) */
	unsigned index;    /* entry index in the table (root: across concatenated pages) */
	uint64_t gpa;      /* first guest address the entry covers */
	uint64_t desc;     /* the raw descriptor */
	struct vmcfg_pte pte;
};

/*
 * Calls fn for every non-zero descriptor, depth first in address order
 * (a table entry before the entries of its table). Stops like for_each.
 */
int vmcfg_aspace_for_each_desc(const struct vmcfg_aspace *as,
			       int (*fn)(void *ud, const struct vmcfg_desc_visit *v), void *ud);

/* Page-table memory and mapping counters (kept exactly, no walk). */
void vmcfg_aspace_stats(const struct vmcfg_aspace *as, struct vmcfg_aspace_stats *out);

/*
 * The registers for this aspace's root on a host with pa_bits of physical
 * address (see struct vmcfg_pt_format.regs for errors).
 */
int vmcfg_aspace_regs(const struct vmcfg_aspace *as, unsigned pa_bits, struct vmcfg_pt_regs *out);

VMCFG_END_DECLS

#endif /* VMCFG_ASPACE_H */
