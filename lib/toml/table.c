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
	struct toml_table *t = (struct toml_table *)(void *)p->spare_tables;
	if (t)
		memcpy(&p->spare_tables, t, sizeof(char *));
	else
		t = tp_alloc_reused(p, sizeof *t);
	if (!t) {
		vmcfg_tp_fail_nomem(p);
		return NULL;
	}
	memset(t, 0, sizeof *t);
	t->keys = p->key_base;
	t->kind = kind;
	t->depth = (uint16_t)depth;
	return t;
}

static bool same_key(const char *base, const struct toml_entry *e, const char *key, size_t len,
		     uint32_t hash)
{
	const struct toml_key *k = (const struct toml_key *)(const void *)(base + e->key);
	return k->hash == hash && k->len == len && !memcmp(k->name, key, len);
}

struct toml_entry *vmcfg_tp_table_find(const struct toml_table *t, const char *key, size_t len,
				 uint32_t hash)
{
	const char *base = t->keys->base;
	if (t->count <= TABLE_LINEAR_MAX) {
		for (uint32_t i = 0; i < t->count; i++)
			if (same_key(base, &t->entries[i], key, len, hash))
				return &t->entries[i];
		return NULL;
	}
	const uint32_t *slots = table_head(t)->slots;
	uint32_t mask = table_nslots(t->count) - 1;
	for (uint32_t i = hash & mask; slots[i]; i = (i + 1) & mask) {
		struct toml_entry *e = &t->entries[slots[i] - 1];
		if (same_key(base, e, key, len, hash))
			return e;
	}
	return NULL;
}

/*
 * Memory a grown array no longer uses: it becomes the region
 * tp_alloc_reused hands out next, unless the region left is larger;
 * then it is cut into tables (spare_tables), which the trimmed places of
 * [vmN]-like tables (24 bytes each) are just large enough for.
 */
static void reuse_put(struct parser *p, void *dead, size_t bytes)
{
	if (bytes > (size_t)(p->reuse_end - p->reuse)) {
		p->reuse = dead;
		p->reuse_end = (char *)dead + bytes;
		return;
	}
	for (char *t = dead; bytes >= sizeof(struct toml_table); bytes -= sizeof(struct toml_table)) {
		memcpy(t, &p->spare_tables, sizeof(char *));
		p->spare_tables = t;
		t += sizeof(struct toml_table);
	}
}

/*
 * Builds the index anew for t->count entries (table_nslots); the one it
 * had for one entry fewer, if any, is handed out again.
 */
static int reindex(struct parser *p, struct toml_table *t)
{
	uint32_t nslots = table_nslots(t->count);
	uint32_t *slots = tp_alloc_reused(p, (size_t)nslots * sizeof *slots);
	if (!slots)
		return vmcfg_tp_fail_nomem(p);
	if (t->count - 1 > TABLE_LINEAR_MAX)
		reuse_put(p, table_head(t)->slots, (size_t)table_nslots(t->count - 1) * sizeof *slots);
	memset(slots, 0, (size_t)nslots * sizeof *slots);
	for (uint32_t n = 0; n < t->count; n++) {
		uint32_t i = key_at(t->keys, t->entries[n].key)->hash & (nslots - 1);
		while (slots[i])
			i = (i + 1) & (nslots - 1);
		slots[i] = n + 1;
	}
	table_head(t)->slots = slots;
	return 0;
}

/*
 * The record of key k: one per distinct key (and way of writing it) in the
 * document. Returns its offset in p->key_records in *ref; 0 or VMCFG_ENOMEM.
 */
static int intern(struct parser *p, const struct key_part *k, uint32_t *ref)
{
	/*
	 * Up to 3/4 full: the set is alive at the end of the parse, where
	 * the peak is, and most lookups find their key within a probe or two.
	 */
	if ((p->keys_count + 1) * 4 > p->keys_slots * 3) {
		uint32_t n = p->keys_slots ? p->keys_slots * 2 : 16;
		uint32_t *slots = p->alloc.fn(p->alloc.ud, NULL, 0, (size_t)n * sizeof *slots);
		if (!slots)
			return VMCFG_ENOMEM;
		memset(slots, 0, (size_t)n * sizeof *slots);
		for (uint32_t i = 0; i < p->keys_slots; i++) {
			if (!p->keys_seen[i])
				continue;
			uint32_t j = key_at(p->key_base, p->keys_seen[i] - 1)->hash & (n - 1);
			while (slots[j])
				j = (j + 1) & (n - 1);
			slots[j] = p->keys_seen[i];
		}
		if (p->keys_seen)
			p->alloc.fn(p->alloc.ud, p->keys_seen, (size_t)p->keys_slots * sizeof *slots, 0);
		p->keys_seen = slots;
		p->keys_slots = n;
	}
	uint32_t mask = p->keys_slots - 1, i = k->hash & mask;
	for (; p->keys_seen[i]; i = (i + 1) & mask) {
		const struct toml_key *o = key_at(p->key_base, p->keys_seen[i] - 1);
		if (o->hash == k->hash && o->len == k->len && o->span_len == k->span_len &&
		    !memcmp(o->name, k->name, k->len)) {
			*ref = p->keys_seen[i] - 1;
			return 0;
		}
	}
	/* A record and its NUL, rounded up to keep the next one 4-aligned. */
	size_t size = (sizeof(struct toml_key) + k->len + 1 + 3) & ~(size_t)3;
	if (p->key_records.len + size >= UINT32_MAX ||
	    buf_reserve(&p->key_records, &p->alloc, size))
		return VMCFG_ENOMEM;
	p->key_base->base = p->key_records.data; /* it may have moved */
	struct toml_key *rec = (struct toml_key *)(void *)((char *)p->key_records.data + p->key_records.len);
	rec->hash = k->hash;
	rec->len = k->len;
	rec->span_len = k->span_len;
	if (k->len)
		memcpy(rec->name, k->name, k->len);
	rec->name[k->len] = '\0';
	*ref = (uint32_t)p->key_records.len;
	p->key_records.len += size;
	p->keys_seen[i] = *ref + 1;
	p->keys_count++;
	return 0;
}

/*
 * Headers have moved on from t, which grew while they named tables in it
 * (as [vm1.base], [vm1.kernel] do in vm1), and seldom come back to it:
 * the room its entries have beyond its count is handed out again. Should
 * it grow after all, it is reallocated like a closed table. Only small
 * tables: headers that go back and forth between two large ones would
 * copy them each time.
 */
static void trim(struct parser *p, struct toml_table *t)
{
	if (!t || t->exact || !t->entries || t->count > TABLE_LINEAR_MAX)
		return;
	uint32_t cap = t->count <= 4 ? 4 : TABLE_LINEAR_MAX; /* see vmcfg_tp_table_add */
	if (cap > t->count)
		reuse_put(p, t->entries + t->count, (size_t)(cap - t->count) * sizeof *t->entries);
	t->exact = 1;
}

/*
 * The room a full table of n >= TABLE_LINEAR_MAX entries grows to: the
 * entries it should have at the end of the input if they keep coming as
 * they did (n in the input so far), and a sixteenth more; at least 1.5n,
 * at most 2n. Doubling alone leaves the largest tables (a root with a
 * table per VM) up to half empty at the end of the parse, where the peak
 * is. Not less than 1.5n: when the entries come late in the input the
 * guess is low, and the dead arrays of many small steps would outgrow
 * what the reuse region can hand out again. Each entry takes 2 bytes of
 * input at least, so this cannot wrap.
 */
static uint32_t large_cap(const struct parser *p, uint32_t n)
{
	uint64_t want = (uint64_t)n * (uint64_t)(p->end - p->text) / offset_of(p, p->s);
	want += want / 16;
	if (want < n + n / 2)
		return n + n / 2;
	return want > 2 * (uint64_t)n ? 2 * n : (uint32_t)want;
}

int vmcfg_tp_table_add(struct parser *p, struct toml_table *t, const struct key_part *k,
		 struct vmcfg_toml_value **slot)
{
	uint32_t n = t->count;
	if (t == p->open) {
		/* open_entries starts with a struct table_head (see vmcfg_toml_parse). */
		if (buf_reserve(&p->open_entries, &p->alloc, sizeof *t->entries))
			return vmcfg_tp_fail_nomem(p);
		t->entries = (struct toml_entry *)(void *)((char *)p->open_entries.data + TABLE_HEAD);
		p->open_entries.len += sizeof *t->entries;
	} else if (!t->entries || t->exact ||
		   (n <= TABLE_LINEAR_MAX ? n >= 4 && (n & (n - 1)) == 0 : n == table_head(t)->cap)) {
		/*
		 * Full (see toml_table.exact): 4, TABLE_LINEAR_MAX, then
		 * large_cap. An array for more than TABLE_LINEAR_MAX has a
		 * struct table_head before it; a table has one when its count
		 * does.
		 */
		uint32_t cap = n < 4 ? 4 : n < TABLE_LINEAR_MAX ? TABLE_LINEAR_MAX : large_cap(p, n);
		size_t head = cap > TABLE_LINEAR_MAX ? TABLE_HEAD : 0;
		char *m = tp_alloc_reused(p, head + (size_t)cap * sizeof *t->entries);
		if (!m)
			return vmcfg_tp_fail_nomem(p);
		struct toml_entry *e = (struct toml_entry *)(void *)(m + head);
		if (n) {
			size_t old = n > TABLE_LINEAR_MAX ? TABLE_HEAD : 0;
			memcpy(m + head - old, (char *)t->entries - old, old + (size_t)n * sizeof *e);
			reuse_put(p, (char *)t->entries - old, old + (size_t)n * sizeof *e);
		}
		t->entries = e;
		t->exact = 0;
		if (head)
			table_head(t)->cap = cap;
	}
	struct toml_entry *e = &t->entries[n];
	if (intern(p, k, &e->key))
		return vmcfg_tp_fail_nomem(p);
	e->key_off = k->off;
	memset(&e->val, 0, sizeof e->val);
	t->count = n + 1;

	int rc = 0;
	if (t->count <= TABLE_LINEAR_MAX) {
		/* searched linearly */
	} else if (n <= TABLE_LINEAR_MAX || t->count * 2 > table_nslots(n)) {
		rc = reindex(p, t);
	} else {
		uint32_t *slots = table_head(t)->slots, mask = table_nslots(n) - 1, i = k->hash & mask;
		while (slots[i])
			i = (i + 1) & mask;
		slots[i] = t->count;
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
	p->open_entries.len = TABLE_HEAD; /* the next open table's struct table_head */
	if (!t->count) {
		t->entries = NULL;
		return 0;
	}
	size_t head = t->count > TABLE_LINEAR_MAX ? TABLE_HEAD : 0;
	char *m = tp_alloc_reused(p, head + (size_t)t->count * sizeof *t->entries);
	if (!m) {
		t->count = 0; /* the scratch entries are gone: leave nothing dangling */
		return vmcfg_tp_fail_nomem(p);
	}
	memcpy(m, (char *)t->entries - head, head + (size_t)t->count * sizeof *t->entries);
	t->entries = (struct toml_entry *)(void *)(m + head);
	t->exact = 1;
	return 0;
}

int vmcfg_tp_table_open(struct parser *p, struct toml_table *t, struct toml_table *parent)
{
	int rc = vmcfg_tp_table_close(p);
	if (rc)
		return rc;
	p->open = t;
	if (parent != p->parent) {
		trim(p, p->parent);
		p->parent = parent;
	}
	return 0;
}

int vmcfg_tp_table_scratch_init(struct parser *p)
{
	/* The open table's entries follow a struct table_head. */
	return buf_append(&p->open_entries, &p->alloc, &(struct table_head){ NULL, 0 }, TABLE_HEAD);
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
