/* SPDX-License-Identifier: MIT */
/*
 * Tables and the arrays [[name]] headers build, both growing in the arena.
 * A table keeps its entries in document order; once it has more than
 * TABLE_LINEAR_MAX of them, a hash index (open addressing, linear
 * probing, at most half full) makes lookups O(1) on average.
 */
#include "internal.h"

/* FNV-1a: keys are short; simple, with a spread good enough for linear probing. */
uint32_t vmcfg_tp_key_hash(const char *s, size_t n)
{
	uint32_t h = KEY_HASH_INIT;
	for (size_t i = 0; i < n; i++)
		h = key_hash_step(h, (unsigned char)s[i]);
	return h;
}

struct toml_table *vmcfg_tp_table_new(struct parser *p, uint8_t kind, uint32_t depth)
{
	struct toml_table *t = vmcfg_arena_zalloc(p->arena, sizeof *t, 8);
	if (!t) {
		vmcfg_tp_fail_nomem(p);
		return NULL;
	}
	t->kind = kind;
	t->depth = (uint16_t)depth;
	return t;
}

static bool same_key(const struct toml_entry *e, const char *key, size_t len, uint32_t hash)
{
	return e->hash == hash && e->key_len == len && !memcmp(e->key, key, len);
}

struct toml_entry *vmcfg_tp_table_find(const struct toml_table *t, const char *key, size_t len,
				 uint32_t hash)
{
	if (!t->slots) {
		for (uint32_t i = 0; i < t->count; i++)
			if (same_key(&t->entries[i], key, len, hash))
				return &t->entries[i];
		return NULL;
	}
	uint32_t mask = t->nslots - 1;
	for (uint32_t i = hash & mask; t->slots[i]; i = (i + 1) & mask) {
		struct toml_entry *e = &t->entries[t->slots[i] - 1];
		if (same_key(e, key, len, hash))
			return e;
	}
	return NULL;
}

/* Builds the index anew with nslots slots (a power of two). */
static int reindex(struct parser *p, struct toml_table *t, uint32_t nslots)
{
	uint32_t *slots = vmcfg_arena_zalloc(p->arena, (size_t)nslots * sizeof *slots, 4);
	if (!slots)
		return vmcfg_tp_fail_nomem(p);
	for (uint32_t n = 0; n < t->count; n++) {
		uint32_t i = t->entries[n].hash & (nslots - 1);
		while (slots[i])
			i = (i + 1) & (nslots - 1);
		slots[i] = n + 1;
	}
	t->slots = slots;
	t->nslots = nslots;
	return 0;
}

int vmcfg_tp_table_add(struct parser *p, struct toml_table *t, const struct key_part *k,
		 struct vmcfg_toml_value **slot)
{
	if (t->count == t->cap) {
		/* Each entry takes 2 bytes of input at least, so this cannot wrap. */
		uint32_t cap = t->cap ? t->cap * 2 : 4;
		struct toml_entry *e = vmcfg_arena_alloc(p->arena, (size_t)cap * sizeof *e, 8);
		if (!e)
			return vmcfg_tp_fail_nomem(p);
		if (t->count)
			memcpy(e, t->entries, (size_t)t->count * sizeof *e);
		t->entries = e;
		t->cap = cap;
	}
	struct toml_entry *e = &t->entries[t->count];
	e->key = k->borrowed ? vmcfg_arena_strndup(p->arena, k->name, k->len) : k->name;
	if (!e->key)
		return vmcfg_tp_fail_nomem(p);
	e->key_len = k->len;
	e->hash = k->hash;
	e->key_off = k->off;
	e->key_span_len = k->span_len;
	memset(&e->val, 0, sizeof e->val);
	t->count++;

	int rc = 0;
	if (t->slots && t->count * 2 > t->nslots) {
		rc = reindex(p, t, t->nslots * 2);
	} else if (t->slots) {
		uint32_t i = e->hash & (t->nslots - 1);
		while (t->slots[i])
			i = (i + 1) & (t->nslots - 1);
		t->slots[i] = t->count;
	} else if (t->count > TABLE_LINEAR_MAX) {
		rc = reindex(p, t, 4 * TABLE_LINEAR_MAX);
	}
	*slot = &e->val;
	return rc;
}

int vmcfg_tp_aot_append(struct parser *p, struct vmcfg_toml_value *arr, struct vmcfg_toml_value **slot)
{
	uint32_t n = arr->n;

	/*
	 * The capacity follows from the length (4, then powers of two), so
	 * the node needs no field for it: grow when n is 0 or a power of two
	 * from 4 on.
	 */
	if (n == 0 || (n >= 4 && (n & (n - 1)) == 0)) {
		size_t bytes = (size_t)(n ? n * 2 : 4) * sizeof *arr->as.items;
		struct vmcfg_toml_value *items = vmcfg_arena_alloc(p->arena, bytes, 8);
		if (!items)
			return vmcfg_tp_fail_nomem(p);
		if (n)
			memcpy(items, arr->as.items, (size_t)n * sizeof *items);
		arr->as.items = items;
	}
	*slot = &arr->as.items[n];
	memset(*slot, 0, sizeof **slot);
	arr->n = n + 1;
	return 0;
}
