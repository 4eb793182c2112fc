/* SPDX-License-Identifier: MIT */
/*
 * vmcfg/hal.h — what the embedder supplies: physical frames, a view of them,
 * and an optional log sink. One struct of function pointers plus a context,
 * so the same library runs inside a hypervisor and in host tools.
 *
 * Also here: a simulated physical memory that implements the HAL for tests
 * and the CLI. The mapping flags (VMCFG_MEM_*) are in vmcfg/base.h.
 *
 * Freestanding: needs only vmcfg/base.h.
 */
#ifndef VMCFG_HAL_H
#define VMCFG_HAL_H

#include "vmcfg/base.h"

VMCFG_BEGIN_DECLS

enum vmcfg_log_level {
	VMCFG_LOG_ERROR,
	VMCFG_LOG_WARN,
	VMCFG_LOG_INFO,
	VMCFG_LOG_DEBUG,
};

/*
 * The embedder's side. Every function gets ctx as its first argument.
 * Physical addresses are host physical addresses; counts are in frames of
 * VMCFG_PAGE_SIZE bytes. Callers (the address space, VM creation) never
 * touch physical memory except through phys_to_virt.
 */
struct vmcfg_hal {
	void *ctx;

	/*
	 * alloc_frames: finds count (>= 1) contiguous free frames whose first
	 * address is a multiple of align (a power of two >= VMCFG_PAGE_SIZE),
	 * marks them in use and stores the first address in *pa.
	 * The frames' contents are unspecified (callers zero what a guest sees).
	 * Returns 0; VMCFG_ENOMEM when no such run is free (callers may retry
	 * with a smaller count); VMCFG_EINVAL when count is 0 or align is not a
	 * power of two >= VMCFG_PAGE_SIZE. *pa is untouched on failure.
	 */
	int (*alloc_frames)(void *ctx, size_t count, uint64_t align, uint64_t *pa);

	/*
	 * reserve_frames: marks exactly the frames [pa, pa + count * PAGE) in
	 * use, for a mapping that must use that host range (MapIdentical).
	 * Returns 0 when all of them were free and are now the caller's (free
	 * them with free_frames);
	 *   VMCFG_ENOENT: no frame of the range is memory this HAL manages
	 *                 (the caller may map it without owning it);
	 *   VMCFG_ERANGE: the range is partly managed and partly not;
	 *   VMCFG_EBUSY:  managed, but at least one frame is already in use;
	 *   VMCFG_EINVAL: pa not page-aligned, count 0, or the range wraps;
	 *   VMCFG_ENOMEM: the HAL could not record the reservation.
	 * Nothing is reserved when it fails. May be NULL in a HAL whose
	 * embedder never asks for identical mappings (they then fail with
	 * VMCFG_ENOSYS).
	 */
	int (*reserve_frames)(void *ctx, uint64_t pa, size_t count);

	/*
	 * free_frames: returns count frames starting at pa. They must be in use
	 * through alloc_frames or reserve_frames; any sub-run of an earlier
	 * allocation may be freed on its own (frames are the unit, not calls).
	 */
	void (*free_frames)(void *ctx, uint64_t pa, size_t count);

	/*
	 * phys_to_virt: returns a pointer through which the len bytes at host
	 * physical address pa can be read and written as one contiguous range
	 * (aligned as pa is), or NULL when they cannot be (not memory, not
	 * mapped by the embedder). len >= 1. For frames it handed out, the
	 * answer must not change while they stay allocated (page tables are
	 * reached through it on every walk).
	 */
	void *(*phys_to_virt)(void *ctx, uint64_t pa, size_t len);

	/* log: optional (may be NULL); msg is one line without a newline. */
	void (*log)(void *ctx, enum vmcfg_log_level level, const char *msg);

	/*
	 * scrub_frames: optional (may be NULL). Makes the count frames at pa,
	 * which are in use by the caller, read as zero — the embedder's fastest
	 * way (a host tool can drop and re-fault its pages, a hypervisor can use
	 * a cache-line zeroing instruction). Without it callers use zero_frames,
	 * else memset through phys_to_virt. Used by vmcfg_vm_destroy before
	 * frames go back.
	 */
	void (*scrub_frames)(void *ctx, uint64_t pa, size_t count);

	/*
	 * zero_frames: optional (may be NULL). Writes zeros over the count
	 * (>= 1) frames at pa, which are in use by the caller and about to be
	 * used (guest RAM handed out zeroed), with the embedder's fastest
	 * stores (the host: memset; a hypervisor: DC ZVA or its widest
	 * stores). Must not fail: the frames came from alloc_frames
	 * or reserve_frames, so the embedder can reach them. lib/mm calls it
	 * once per physically contiguous run it zeroes (a whole region whose
	 * frames came out adjacent is one call, however many leaves map it);
	 * without it, lib/mm memsets through phys_to_virt. vmcfg_vm_destroy
	 * uses it when scrub_frames is NULL.
	 */
	void (*zero_frames)(void *ctx, uint64_t pa, size_t count);
};

/*
 * Formats a message and hands it to hal->log when there is one (lines
 * longer than 256 bytes are cut). Does nothing when hal->log is NULL.
 */
void vmcfg_hal_logf(const struct vmcfg_hal *hal, enum vmcfg_log_level level, const char *fmt,
		    ...) __attribute__((format(printf, 3, 4)));

/*
 * Simulated physical memory: a buffer of the caller's posing as RAM at
 * physical address base, with a first-fit frame allocator over a bitmap the
 * caller also supplies (one bit per frame, VMCFG_SIM_BITMAP_WORDS words).
 * It counts frames in use exactly, can fail the Nth allocation on purpose
 * (fail_at, counted as in `calls`), and can poison
 * freed frames with 0xA5 so a missing zeroing shows up in tests.
 * Freestanding; nothing global: each instance is its own memory.
 *
 * Fields are the caller's to read; only fail_at and poison are the
 * caller's to write.
 */
struct vmcfg_sim_mem {
	uint8_t *ram;      /* the buffer; ram[0] is physical address base */
	uint64_t base;     /* page-aligned */
	size_t frames;     /* buffer size / VMCFG_PAGE_SIZE */
	uint64_t *bitmap;  /* bit i set = frame i in use */
	size_t in_use;     /* frames in use now */
	size_t peak;       /* most frames ever in use at once */
	uint64_t calls;    /* alloc_frames calls + reserve_frames calls on managed memory */
	uint64_t fail_at;  /* 1-based call number that fails with ENOMEM; 0 = never */
	bool poison;       /* fill frames with 0xA5 when they are freed (and at init) */
	size_t next_fit;   /* where single-frame searches start (keeps them O(1) on average) */
	uint64_t bad_frees; /* free_frames calls naming frames not managed or not in use */
	uint64_t zero_calls; /* zero_frames calls (one per contiguous run lib/mm zeroes) */
};

#define VMCFG_SIM_BITMAP_WORDS(bytes) (((bytes) / VMCFG_PAGE_SIZE + 63) / 64)

/*
 * Prepares sim over ram (size bytes, a multiple of VMCFG_PAGE_SIZE, at least
 * one frame; ram aligned to 8 bytes) posing as physical [base, base + size).
 * bitmap must hold VMCFG_SIM_BITMAP_WORDS(size) words. All frames start
 * free. With poison, the buffer is filled with 0xA5 now.
 * Returns 0; VMCFG_EALIGN when base, size or ram are misaligned;
 * VMCFG_EINVAL when size is 0 or bitmap_words is too small; VMCFG_ERANGE
 * when base + size wraps.
 */
int vmcfg_sim_mem_init(struct vmcfg_sim_mem *sim, void *ram, size_t size, uint64_t base,
		       uint64_t *bitmap, size_t bitmap_words, bool poison);

/*
 * A HAL over sim (sim must outlive it). log is NULL; set it if wanted.
 * zero_frames is a memset of the buffer (counted in zero_calls).
 */
struct vmcfg_hal vmcfg_sim_mem_hal(struct vmcfg_sim_mem *sim);

/* Whether the frame holding pa is managed by sim and in use. */
bool vmcfg_sim_mem_frame_in_use(const struct vmcfg_sim_mem *sim, uint64_t pa);

VMCFG_END_DECLS

#endif /* VMCFG_HAL_H */
