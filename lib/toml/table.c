/* SPDX-License-Identifier: MIT */
/*
 * Tables and the arrays [[name]] headers build, both growing in the arena;
 * what a grown one leaves behind is handed out again (reuse_put).
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
	struct toml_table *t = tp_alloc_reused(p, sizeof *t);
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
	return e->hash == hash && e->key->len == len && !memcmp(e->key->name, key, len);
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

/*
 * Memory a grown array no longer uses: it becomes the region
 * tp_alloc_reused hands out next, unless the region left is larger.
 */
static void reuse_put(struct parser *p, void *dead, size_t bytes)
{
	if (bytes > (size_t)(p->reuse_end - p->reuse)) {
		p->reuse = dead;
		p->reuse_end = (char *)dead + bytes;
	}
}

/* The record of key k: one per distinct key (and way of writing it) in the document. */
static const struct toml_key *intern(struct parser *p, const struct key_part *k)
{
	if ((p->keys_count + 1) * 2 > p->keys_slots) {
		uint32_t n = p->keys_slots ? p->keys_slots * 2 : 64;
		const struct toml_key **slots = p->alloc.fn(p->alloc.ud, NULL, 0, (size_t)n * sizeof *slots);
		if (!slots)
			return NULL;
		memset(slots, 0, (size_t)n * sizeof *slots);
		for (uint32_t i = 0; i < p->keys_slots; i++) {
			const struct toml_key *o = p->keys_seen[i];
			if (!o)
				continue;
			uint32_t j = o->hash & (n - 1);
			while (slots[j])
				j = (j + 1) & (n - 1);
			slots[j] = o;
		}
		if (p->keys_seen)
			p->alloc.fn(p->alloc.ud, p->keys_seen, (size_t)p->keys_slots * sizeof *slots, 0);
		p->keys_seen = slots;
		p->keys_slots = n;
	}
	uint32_t mask = p->keys_slots - 1, i = k->hash & mask;
	for (; p->keys_seen[i]; i = (i + 1) & mask) {
		const struct toml_key *o = p->keys_seen[i];
		if (o->hash == k->hash && o->len == k->len && o->span_len == k->span_len &&
		    !memcmp(o->name, k->name, k->len))
			return o;
	}
	struct toml_key *rec = tp_alloc(p, sizeof *rec + k->len + 1, 4);
	if (rec) {
		rec->hash = k->hash;
		rec->len = k->len;
		rec->span_len = k->span_len;
		if (k->len)
			memcpy(rec->name, k->name, k->len);
		rec->name[k->len] = '\0';
		p->keys_seen[i] = rec;
		p->keys_count++;
	}
	return rec;
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
		uint32_t cap = t->cap < 4 ? 4 : t->cap * 2;
		struct toml_entry *e = tp_alloc_reused(p, (size_t)cap * sizeof *e);
		if (!e)
			return vmcfg_tp_fail_nomem(p);
		if (t->count) {
			memcpy(e, t->entries, (size_t)t->count * sizeof *e);
			reuse_put(p, t->entries, (size_t)t->cap * sizeof *e);
		}
		t->entries = e;
		t->cap = cap;
	}
	struct toml_entry *e = &t->entries[t->count];
	if (!(e->key = intern(p, k)))
		return vmcfg_tp_fail_nomem(p);
	e->hash = k->hash;
	e->key_off = k->off;
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
	struct toml_entry *e = tp_alloc_reused(p, (size_t)t->count * sizeof *e);
	if (!e) {
		t->count = 0; /* the scratch entries are gone: leave nothing dangling */
		return vmcfg_tp_fail_nomem(p);
	}
	memcpy(e, t->entries, (size_t)t->count * sizeof *e);
	t->entries = e;
	t->cap = t->count;
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
	uint32_t n = array_count(arr);

	if (!n || n == array_head(arr)->cap) {
		uint32_t cap = n ? n * 2 : 4;
		struct array_head *h = tp_alloc_reused(p, sizeof *h + (size_t)cap * sizeof *arr->as.items);
		if (!h)
			return vmcfg_tp_fail_nomem(p);
		struct vmcfg_toml_value *items = (struct vmcfg_toml_value *)(void *)(h + 1);
		if (n) {
			memcpy(items, arr->as.items, (size_t)n * sizeof *items);
			reuse_put(p, array_head(arr), sizeof *h + (size_t)n * sizeof *items);
		}
		h->cap = cap;
		arr->as.items = items;
	}
	*slot = &arr->as.items[n];
	memset(*slot, 0, sizeof **slot);
	array_head(arr)->n = n + 1;
	return 0;
}
