/* SPDX-License-Identifier: MIT */
/*
 * Growable scratch buffers on the caller's allocator (see struct buf), and
 * the slow path of the arena window (parser.win).
 */
#include "internal.h"

int vmcfg_tp_buf_grow(struct buf *b, const struct vmcfg_allocator *a, size_t extra)
{
	if (extra > SIZE_MAX / 2 - b->len)
		return VMCFG_ENOMEM;
	size_t want = b->len + extra;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < want)
		cap += cap / 2; /* amortised O(1), and less left unused at the peak than doubling */
	void *data = a->fn(a->ud, b->data, b->cap, cap);
	if (!data)
		return VMCFG_ENOMEM;
	b->data = data;
	b->cap = cap;
	return 0;
}

void vmcfg_tp_buf_free(struct buf *b, const struct vmcfg_allocator *a)
{
	if (b->data)
		a->fn(a->ud, b->data, b->cap, 0);
	b->data = NULL;
	b->len = b->cap = 0;
}

void *vmcfg_tp_alloc_slow(struct parser *p, size_t size, size_t align)
{
	const struct vmcfg_arena_chunk *head = p->arena->head;
	/*
	 * Nothing is given back: the top of the window's chunk may hold
	 * strings. The chunk stays full for the arena, so a request that
	 * gets a chunk of its own (larger than a chunk, behind the newest)
	 * leaves the window to go on with.
	 */
	vmcfg_arena_unlend(p->arena, p->win_top);
	void *r = vmcfg_arena_alloc(p->arena, size, align);
	if (!p->win || p->arena->head != head) {
		vmcfg_arena_lend(p->arena, &p->win, &p->win_end);
		p->win_top = p->win_end;
	}
	return r;
}
