/* SPDX-License-Identifier: MIT */
/* Bump allocation in chunks from the embedder's allocator. */
#include "vmcfg/base.h"
#include "libc.h"

struct vmcfg_arena_chunk {
	struct vmcfg_arena_chunk *next;
	size_t size; /* bytes after the header */
	size_t used;
	/* data follows, 16-byte aligned */
};

#define HDR ((sizeof(struct vmcfg_arena_chunk) + 15) & ~(size_t)15)

void vmcfg_arena_init(struct vmcfg_arena *arena, const struct vmcfg_allocator *alloc,
		      size_t chunk_size)
{
	arena->alloc = *alloc;
	arena->head = NULL;
	arena->chunk_size = chunk_size ? chunk_size : 64 * 1024;
	arena->bytes = 0;
	arena->spare = NULL;
}

static void *chunk_data(struct vmcfg_arena_chunk *c)
{
	return (char *)c + HDR;
}

void *vmcfg_arena_alloc(struct vmcfg_arena *arena, size_t size, size_t align)
{
	struct vmcfg_arena_chunk *c = arena->head;

	if (align == 0 || align > 16 || (align & (align - 1)))
		return NULL;
	if (c) {
		size_t at = (c->used + align - 1) & ~(align - 1);
		if (at <= c->size && size <= c->size - at) {
			c->used = at + size;
			return (char *)chunk_data(c) + at;
		}
	}
	if (size > SIZE_MAX - HDR - 16)
		return NULL;
	size_t want = size > arena->chunk_size ? size : arena->chunk_size;
	/* The smallest kept chunk that fits (already obtained and touched), so that big ones stay for big requests. */
	struct vmcfg_arena_chunk *n = NULL, **best = NULL;
	for (struct vmcfg_arena_chunk **link = &arena->spare; *link; link = &(*link)->next)
		if ((*link)->size >= size && (!best || (*link)->size < (*best)->size))
			best = link;
	if (best) {
		n = *best;
		*best = n->next;
		want = n->size;
	} else {
		n = arena->alloc.fn(arena->alloc.ud, NULL, 0, HDR + want);
		if (!n)
			return NULL;
		n->size = want;
		arena->bytes += HDR + want;
	}
	n->used = size;
	/*
	 * An oversized request gets its own chunk behind the current one, so
	 * the space left in the current chunk is not wasted.
	 */
	if (c && want > arena->chunk_size) {
		n->next = c->next;
		c->next = n;
	} else {
		n->next = c;
		arena->head = n;
	}
	return chunk_data(n);
}

void *vmcfg_arena_zalloc(struct vmcfg_arena *arena, size_t size, size_t align)
{
	void *p = vmcfg_arena_alloc(arena, size, align);
	if (p)
		memset(p, 0, size);
	return p;
}

char *vmcfg_arena_strndup(struct vmcfg_arena *arena, const char *s, size_t len)
{
	if (len == SIZE_MAX)
		return NULL;
	char *p = vmcfg_arena_alloc(arena, len + 1, 1);
	if (p) {
		if (len)
			memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

void vmcfg_arena_lend(struct vmcfg_arena *arena, char **next, char **end)
{
	struct vmcfg_arena_chunk *c = arena->head;
	if (!c) {
		*next = *end = NULL;
		return;
	}
	*next = (char *)chunk_data(c) + c->used;
	*end = (char *)chunk_data(c) + c->size;
	c->used = c->size;
}

void vmcfg_arena_unlend(struct vmcfg_arena *arena, char *next)
{
	struct vmcfg_arena_chunk *c = arena->head;
	if (c && next)
		c->used = (size_t)(next - (char *)chunk_data(c));
}

static void free_chunks(struct vmcfg_arena *arena, struct vmcfg_arena_chunk *c)
{
	while (c) {
		struct vmcfg_arena_chunk *next = c->next;
		arena->alloc.fn(arena->alloc.ud, c, HDR + c->size, 0);
		c = next;
	}
}

void vmcfg_arena_release(struct vmcfg_arena *arena)
{
	free_chunks(arena, arena->head);
	free_chunks(arena, arena->spare);
	arena->head = NULL;
	arena->spare = NULL;
	arena->bytes = 0;
}

void vmcfg_arena_reset(struct vmcfg_arena *arena)
{
	struct vmcfg_arena_chunk *c = arena->head;
	while (c) {
		struct vmcfg_arena_chunk *next = c->next;
		c->used = 0;
		c->next = arena->spare;
		arena->spare = c;
		c = next;
	}
	arena->head = NULL;
}
