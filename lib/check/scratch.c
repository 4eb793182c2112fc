/* SPDX-License-Identifier: MIT */
/*
 * The system rules' scratch memory kept across calls (vmcfg_check_scratch):
 * an arena that each vmcfg_check_system_scratch call empties at its end
 * without returning its chunks, so the next call reuses memory already
 * obtained and touched.
 */
#include "internal.h"
#include "../base/libc.h"

void vmcfg_check_scratch_init(struct vmcfg_check_scratch *s, const struct vmcfg_allocator *alloc)
{
	vmcfg_arena_init(&s->arena, alloc, 0);
}

void vmcfg_check_scratch_release(struct vmcfg_check_scratch *s)
{
	if (s)
		vmcfg_arena_release(&s->arena);
}

/*
 * Nothing is freed one by one: the call's end resets the arena. A resize
 * copies into a new block; the lists grow by doubling, so the dead copies
 * add up to less than the final size.
 */
void *vmcfg_check_scratch_fn(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct vmcfg_check_scratch *s = ud;
	if (nsize == 0)
		return NULL;
	if (ptr && nsize <= osize)
		return ptr;
	void *p = vmcfg_arena_alloc(&s->arena, nsize, 16);
	if (p && ptr)
		memcpy(p, ptr, osize);
	return p;
}
