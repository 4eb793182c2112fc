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
	struct toml_table *t = tp_alloc(p, sizeof *t, 8);
	if (!t) {
		vmcfg_tp_fail_nomem(p);
		return NULL;
	}
	memset(t, 0, sizeof *t);
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
	uint32_t *slots = tp_alloc(p, (size_t)nslots * sizeof *slots, 4);
	if (!slots)
		return vmcfg_tp_fail_nomem(p);
	memset(slots, 0, (size_t)nslots * sizeof *slots);
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

/* A dead entry array waiting for reuse (parser.spare). */
struct spare_entries {
	struct spare_entries *next;
	uint32_t cap;
};

/* A key copied into the arena (parser.keys_seen); s NULL: free slot. */
struct interned_key {
	const char *s;
	uint32_t len, hash;
};

static unsigned log2_floor(uint32_t n)
{
	return 31u - (unsigned)__builtin_clz(n);
}

static void spare_put(struct parser *p, struct toml_entry *e, uint32_t cap)
{
	struct spare_entries *s = (struct spare_entries *)(void *)e;
	unsigned k = log2_floor(cap);
	s->next = p->spare[k];
	s->cap = cap;
	p->spare[k] = s;
}

/* An entry array of at least want entries (*cap: how many it holds), reused or new. */
static struct toml_entry *entries_get(struct parser *p, uint32_t want, uint32_t *cap)
{
	unsigned k = want > 1 ? log2_floor(want - 1) + 1 : 0; /* 2^k >= want */
	if (k < 32 && p->spare[k]) {
		struct spare_entries *s = p->spare[k];
		p->spare[k] = s->next;
		*cap = s->cap;
		return (struct toml_entry *)(void *)s;
	}
	*cap = want;
	return tp_alloc(p, (size_t)want * sizeof(struct toml_entry), 8);
}

/* The arena copy of bare key k: one per distinct key in the document. */
static const char *intern(struct parser *p, const struct key_part *k)
{
	if ((p->keys_count + 1) * 2 > p->keys_slots) {
		uint32_t n = p->keys_slots ? p->keys_slots * 2 : 64;
		struct interned_key *slots = p->alloc.fn(p->alloc.ud, NULL, 0, (size_t)n * sizeof *slots);
		if (!slots)
			return NULL;
		memset(slots, 0, (size_t)n * sizeof *slots);
		for (uint32_t i = 0; i < p->keys_slots; i++) {
			const struct interned_key *o = &p->keys_seen[i];
			if (!o->s)
				continue;
			uint32_t j = o->hash & (n - 1);
			while (slots[j].s)
				j = (j + 1) & (n - 1);
			slots[j] = *o;
		}
		if (p->keys_seen)
			p->alloc.fn(p->alloc.ud, p->keys_seen, (size_t)p->keys_slots * sizeof *slots, 0);
		p->keys_seen = slots;
		p->keys_slots = n;
	}
	uint32_t mask = p->keys_slots - 1, i = k->hash & mask;
	for (; p->keys_seen[i].s; i = (i + 1) & mask) {
		const struct interned_key *o = &p->keys_seen[i];
		if (o->hash == k->hash && o->len == k->len && !memcmp(o->s, k->name, k->len))
			return o->s;
	}
	const char *copy = tp_strndup(p, k->name, k->len);
	if (copy) {
		p->keys_seen[i] = (struct interned_key){ copy, k->len, k->hash };
		p->keys_count++;
	}
	return copy;
}

int vmcfg_tp_table_add(struct parser *p, struct toml_table *t, const struct key_part *k,
		 struct vmcfg_toml_value **slot)
{
	if (t == p->open) {
		if (buf_reserve(&p->open_entries, &p->alloc, sizeof *t->entries))
			return vmcfg_tp_fail_nomem(p);
		t->entries = p->open_entries.data;
		t->cap = (uint32_t)(p->open_entries.cap / sizeof *t->entries);
		p->open_entries.len += sizeof *t->entries;
	} else if (t->count == t->cap) {
		/* Each entry takes 2 bytes of input at least, so this cannot wrap. */
		uint32_t cap = t->cap < 4 ? 4 : 2u << log2_floor(t->cap);
		struct toml_entry *e = entries_get(p, cap, &cap);
		if (!e)
			return vmcfg_tp_fail_nomem(p);
		if (t->count) {
			memcpy(e, t->entries, (size_t)t->count * sizeof *e);
			spare_put(p, t->entries, t->cap);
		}
		t->entries = e;
		t->cap = cap;
	}
	struct toml_entry *e = &t->entries[t->count];
	e->key = k->borrowed ? intern(p, k) : k->name;
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

int vmcfg_tp_table_close(struct parser *p)
{
	struct toml_table *t = p->open;
	if (!t)
		return 0;
	p->open = NULL;
	p->open_entries.len = 0;
	if (!t->count) {
		t->entries = NULL;
		t->cap = 0;
		return 0;
	}
	uint32_t cap;
	struct toml_entry *e = entries_get(p, t->count, &cap);
	if (!e) {
		t->count = 0; /* the scratch entries are gone: leave nothing dangling */
		return vmcfg_tp_fail_nomem(p);
	}
	memcpy(e, t->entries, (size_t)t->count * sizeof *e);
	t->entries = e;
	t->cap = cap;
	return 0;
}

int vmcfg_tp_table_open(struct parser *p, struct toml_table *t)
{
	int rc = vmcfg_tp_table_close(p);
	if (!rc)
		p->open = t;
	return rc;
}

void vmcfg_tp_table_scratch_free(struct parser *p)
{
	vmcfg_tp_buf_free(&p->open_entries, &p->alloc);
	if (p->keys_seen)
		p->alloc.fn(p->alloc.ud, p->keys_seen,
			    (size_t)p->keys_slots * sizeof *p->keys_seen, 0);
	p->keys_seen = NULL;
	p->keys_slots = p->keys_count = 0;
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
		struct vmcfg_toml_value *items = tp_alloc(p, bytes, 8);
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
