/* SPDX-License-Identifier: MIT */
/* Host allocators: plain libc, and a counting one with failure injection. */
#include <stdlib.h>

#include "vmcfg/host.h"

static void *host_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	(void)ud;
	(void)osize;
	if (nsize == 0) {
		free(ptr);
		return NULL;
	}
	return realloc(ptr, nsize);
}

const struct vmcfg_allocator vmcfg_host_allocator = { host_alloc, NULL };

static void *counting_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct vmcfg_counting_alloc *st = ud;
	if (nsize == 0) {
		if (ptr)
			st->in_use -= osize;
		free(ptr);
		return NULL;
	}
	st->calls++;
	if (st->fail_at && st->calls == st->fail_at)
		return NULL;
	void *p = realloc(ptr, nsize);
	if (!p)
		return NULL;
	st->in_use = st->in_use - (ptr ? osize : 0) + nsize;
	if (st->in_use > st->peak)
		st->peak = st->in_use;
	return p;
}

struct vmcfg_allocator vmcfg_counting_allocator(struct vmcfg_counting_alloc *state)
{
	struct vmcfg_allocator a = { counting_alloc, state };
	return a;
}
