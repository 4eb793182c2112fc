/* SPDX-License-Identifier: MIT */
/*
 * hv_heap: blocks of whole frames from frames_hal(). Its phys_to_virt is
 * the identity (frames.h), so a block's address is its first frame's.
 */
#include "core/frames.h"
#include "core/heap.h"
#include "core/libc.h"
#include "vmcfg/host.h"

#define PAGE VMCFG_PAGE_SIZE

static size_t frames_for(size_t bytes)
{
	return bytes / PAGE + (bytes % PAGE != 0);
}

static void *heap_fn(void *ud, void *ptr, size_t osize, size_t nsize)
{
	const struct vmcfg_hal *hal = frames_hal();
	uint64_t pa;
	void *p;

	(void)ud;
	if (nsize == 0) {
		if (ptr)
			hal->free_frames(hal->ctx, (uintptr_t)ptr, frames_for(osize));
		return NULL;
	}
	/* A resize within the frames the block has already needs no copy. */
	if (ptr && frames_for(osize) == frames_for(nsize))
		return ptr;
	if (hal->alloc_frames(hal->ctx, frames_for(nsize), PAGE, &pa))
		return NULL;
	p = hal->phys_to_virt(hal->ctx, pa, nsize);
	if (ptr) {
		memcpy(p, ptr, osize < nsize ? osize : nsize);
		hal->free_frames(hal->ctx, (uintptr_t)ptr, frames_for(osize));
	}
	return p;
}

const struct vmcfg_allocator hv_heap = { .fn = heap_fn, .ud = NULL };

/* lib/fdt's allocator (lib/host's on the host), for the guest DTs of core/guest_dt.c. */
const struct vmcfg_allocator vmcfg_host_allocator = { .fn = heap_fn, .ud = NULL };
