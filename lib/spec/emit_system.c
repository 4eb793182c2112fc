/* SPDX-License-Identifier: MIT */
/*
 * Canonical TOML of a system file (docs/system-file.md), the counterpart
 * of emit_toml.c for VM files, keeping comments by the same rules
 * (comments.h). The layout is fixed:
 *   - `vms`, then `platform = "…"` when the platform is a device tree;
 *   - [platform]: arch, cpu_num, phys_cpu_ids, ipa_bits, ram,
 *     hypervisor_memory; then one [[platform.reserved]] per frame with
 *     name, base, size; then one [[ivc]] per channel with key, publisher,
 *     size, subscribers, static; one blank line before each table;
 *   - ranges positional ([base, size]), subscribers as inline tables
 *     ({ vm = …, access = … }), whichever form the file used;
 *   - addresses, sizes and CPU ids in hex with '_' every 4 digits, counts,
 *     widths and channel keys in decimal;
 *   - a list on the key's line when that line fits in SYS_LINE_MAX columns,
 *     else one element per line with a trailing comma.
 * It works on the parsed TOML rather than on struct vmcfg_system, so it
 * writes exactly what the file says: a key it does not know or a value it
 * cannot write in this layout makes it refuse (VMCFG_EINVALID) before
 * anything is written, so nothing is ever dropped.
 */
#include "comments.h"
#include "writer.h"
#include "vmcfg/spec.h"
#include "vmcfg/toml.h"
#include "../base/libc.h"

#define SYS_LINE_MAX 100

enum sys_kind {
	SYS_STR,
	SYS_DEC,
	SYS_HEX,
	SYS_BOOL,
	SYS_HEX_LIST,    /* [0x0, 0x1] */
	SYS_STR_LIST,    /* ["a.toml", "b.toml"] */
	SYS_RANGES,      /* [[base, size], …] */
	SYS_SUBSCRIBERS, /* [{ vm = "a", access = "rw" }, …] */
	SYS_FRAMES,      /* [[platform.reserved]] */
	SYS_CHANNELS,    /* [[ivc]] */
	SYS_PLATFORM     /* a table, or a string naming a device tree */
};

struct sys_key {
	const char *name;
	enum sys_kind kind;
};

static const struct sys_key root_keys[] = {
	{ "vms", SYS_STR_LIST }, { "platform", SYS_PLATFORM }, { "ivc", SYS_CHANNELS }
};
static const struct sys_key platform_keys[] = {
	{ "arch", SYS_STR },	  { "cpu_num", SYS_DEC },	     { "phys_cpu_ids", SYS_HEX_LIST },
	{ "ipa_bits", SYS_DEC }, { "ram", SYS_RANGES },	     { "hypervisor_memory", SYS_RANGES },
	{ "reserved", SYS_FRAMES }
};
static const struct sys_key frame_keys[] = { { "name", SYS_STR }, { "base", SYS_HEX },
					     { "size", SYS_HEX } };
static const struct sys_key range_keys[] = { { "base", SYS_HEX }, { "size", SYS_HEX } };
static const struct sys_key subscriber_keys[] = { { "vm", SYS_STR }, { "access", SYS_STR } };
static const struct sys_key channel_keys[] = { { "key", SYS_DEC },
					       { "publisher", SYS_STR },
					       { "size", SYS_HEX },
					       { "subscribers", SYS_SUBSCRIBERS },
					       { "static", SYS_BOOL } };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct sys_emit {
	const struct vmcfg_toml_doc *doc;
	bool invalid; /* something the layout cannot hold: refuse */
	bool any;     /* something written: a table needs a blank line before it */
};

static struct vmcfg_span span_of(const struct sys_emit *s, const struct vmcfg_toml_value *v)
{
	return vmcfg_toml_value_span(s->doc, v);
}

/* Whether every key of table is in keys[0..n). */
static bool known_keys(const struct sys_emit *s, const struct vmcfg_toml_value *table,
		       const struct sys_key *keys, size_t n)
{
	struct vmcfg_toml_key k;
	for (size_t i = 0; vmcfg_toml_table_at(s->doc, table, i, &k); i++) {
		bool ok = false;
		for (size_t j = 0; j < n && !ok; j++)
			ok = strlen(keys[j].name) == k.len && !memcmp(keys[j].name, k.name, k.len);
		if (!ok)
			return false;
	}
	return true;
}

/* The i-th field of a record written positionally ([a, b]) or with names ({ x = a, y = b }). */
static const struct vmcfg_toml_value *record_field(struct sys_emit *s, const struct vmcfg_toml_value *v,
						   const struct sys_key *keys, size_t n, size_t i)
{
	const struct vmcfg_toml_value *f = NULL;
	if (vmcfg_toml_type(v) == VMCFG_TOML_ARRAY && vmcfg_toml_count(v) == n)
		f = vmcfg_toml_array_at(v, i);
	else if (vmcfg_toml_type(v) == VMCFG_TOML_TABLE && known_keys(s, v, keys, n))
		f = vmcfg_toml_table_get(v, keys[i].name, strlen(keys[i].name));
	if (!f)
		s->invalid = true;
	return f;
}

static void put_scalar(struct sys_emit *s, const struct vmcfg_writer *w,
		       const struct vmcfg_toml_value *v, enum sys_kind kind)
{
	const char *str;
	size_t len;
	uint64_t x;
	bool b;
	if (kind == SYS_STR && vmcfg_toml_type(v) == VMCFG_TOML_STRING &&
	    !vmcfg_toml_get_string(v, &str, &len))
		vmcfg_spec_put_quoted(w, str, len);
	else if ((kind == SYS_DEC || kind == SYS_HEX) && vmcfg_toml_type(v) == VMCFG_TOML_INTEGER &&
		 !vmcfg_toml_get_u64(v, &x))
		vmcfg_spec_put_u64(w, x, kind == SYS_HEX ? SPEC_HEX : SPEC_DEC);
	else if (kind == SYS_BOOL && vmcfg_toml_type(v) == VMCFG_TOML_BOOL && !vmcfg_toml_get_bool(v, &b))
		vmcfg_spec_put(w, b ? "true" : "false");
	else
		s->invalid = true;
}

/* A record on one line: [a, b] (named false) or { x = a, y = b } (named true). */
static void put_record(struct sys_emit *s, const struct vmcfg_writer *w,
		       const struct vmcfg_toml_value *v, const struct sys_key *keys, size_t n,
		       bool named)
{
	vmcfg_spec_put(w, named ? "{ " : "[");
	for (size_t i = 0; i < n; i++) {
		const struct vmcfg_toml_value *f = record_field(s, v, keys, n, i);
		if (!f)
			return;
		vmcfg_spec_put(w, i ? ", " : "");
		if (named) {
			vmcfg_spec_put(w, keys[i].name);
			vmcfg_spec_put(w, " = ");
		}
		put_scalar(s, w, f, keys[i].kind);
	}
	vmcfg_spec_put(w, named ? " }" : "]");
}

static void put_element(struct sys_emit *s, const struct vmcfg_writer *w,
			const struct vmcfg_toml_value *v, enum sys_kind list)
{
	switch (list) {
	case SYS_HEX_LIST:
		put_scalar(s, w, v, SYS_HEX);
		break;
	case SYS_STR_LIST:
		put_scalar(s, w, v, SYS_STR);
		break;
	case SYS_RANGES:
		put_record(s, w, v, range_keys, COUNT(range_keys), false);
		break;
	case SYS_SUBSCRIBERS:
		put_record(s, w, v, subscriber_keys, COUNT(subscriber_keys), true);
		break;
	default:
		s->invalid = true;
	}
}

static void put_inline_list(struct sys_emit *s, const struct vmcfg_writer *w,
			    const struct vmcfg_toml_value *arr, enum sys_kind list)
{
	vmcfg_spec_put(w, "[");
	for (size_t i = 0; i < vmcfg_toml_count(arr); i++) {
		vmcfg_spec_put(w, i ? ", " : "");
		put_element(s, w, vmcfg_toml_array_at(arr, i), list);
	}
	vmcfg_spec_put(w, "]");
}

static void count_bytes(void *ud, const char *str, size_t len)
{
	(void)str;
	*(size_t *)ud += len;
}

/* Whether `key = [ … ]` fits on one line. */
static bool fits_line(struct sys_emit *s, const char *key, const struct vmcfg_toml_value *arr,
		      enum sys_kind list)
{
	size_t width = strlen(key) + 3;
	struct vmcfg_writer counter = { count_bytes, &width };
	put_inline_list(s, &counter, arr, list);
	return width <= SYS_LINE_MAX;
}

/* `key = value` at the top of a table (indent 0); lists per the rule above. */
static void emit_key(struct sys_emit *s, struct spec_emitter *e, const char *key,
		     const struct vmcfg_toml_value *v, enum sys_kind kind)
{
	struct vmcfg_span at = span_of(s, v);
	bool list = kind == SYS_HEX_LIST || kind == SYS_STR_LIST || kind == SYS_RANGES ||
		    kind == SYS_SUBSCRIBERS;
	if (list && vmcfg_toml_type(v) != VMCFG_TOML_ARRAY) {
		s->invalid = true;
		return;
	}
	bool block = list && vmcfg_toml_count(v) && !fits_line(s, key, v, kind);
	size_t line = vmcfg_spec_note_line(e, &at, block ? SPEC_LINE_OPENING : SPEC_LINE_WHOLE);
	vmcfg_spec_put_leading(e, line, 0);
	vmcfg_spec_put(e->w, key);
	vmcfg_spec_put(e->w, " = ");
	if (!list) {
		put_scalar(s, e->w, v, kind);
	} else if (!block) {
		put_inline_list(s, e->w, v, kind);
	} else {
		size_t close = vmcfg_spec_note_line(e, &at, SPEC_LINE_CLOSING);
		vmcfg_spec_put(e->w, "[");
		vmcfg_spec_put_trailing(e, line);
		for (size_t i = 0; i < vmcfg_toml_count(v); i++) {
			const struct vmcfg_toml_value *item = vmcfg_toml_array_at(v, i);
			struct vmcfg_span item_at = span_of(s, item);
			size_t l = vmcfg_spec_note_line(e, &item_at, SPEC_LINE_WHOLE);
			vmcfg_spec_put(e->w, "\n");
			vmcfg_spec_put_leading(e, l, 1);
			vmcfg_spec_put_indent(e->w, 1);
			put_element(s, e->w, item, kind);
			vmcfg_spec_put(e->w, ",");
			vmcfg_spec_put_trailing(e, l);
		}
		vmcfg_spec_put(e->w, "\n");
		vmcfg_spec_put_leading(e, close, 1);
		vmcfg_spec_put(e->w, "]");
		line = close;
	}
	vmcfg_spec_put_trailing(e, line);
	vmcfg_spec_put(e->w, "\n");
}

/* A [name] or [[name]] header standing for the table (or record) at v. */
static void emit_header(struct sys_emit *s, struct spec_emitter *e, const char *name, bool item,
			const struct vmcfg_toml_value *v)
{
	struct vmcfg_span at = span_of(s, v);
	size_t line = vmcfg_spec_note_line(e, &at, SPEC_LINE_WHOLE);
	if (s->any)
		vmcfg_spec_put(e->w, "\n");
	vmcfg_spec_put_leading(e, line, 0);
	vmcfg_spec_put(e->w, item ? "[[" : "[");
	vmcfg_spec_put(e->w, name);
	vmcfg_spec_put(e->w, item ? "]]" : "]");
	vmcfg_spec_put_trailing(e, line);
	vmcfg_spec_put(e->w, "\n");
	s->any = true;
}

/* The keys of table present in keys[0..n), in that order (scalars and lists only). */
static void emit_keys(struct sys_emit *s, struct spec_emitter *e, const struct vmcfg_toml_value *table,
		      const struct sys_key *keys, size_t n)
{
	if (!known_keys(s, table, keys, n)) {
		s->invalid = true;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct vmcfg_toml_value *v =
			vmcfg_toml_table_get(table, keys[i].name, strlen(keys[i].name));
		if (v && keys[i].kind != SYS_FRAMES)
			emit_key(s, e, keys[i].name, v, keys[i].kind);
	}
}

/* [[name]] per element of arr: a table, or (frames) a positional record. */
static void emit_items(struct sys_emit *s, struct spec_emitter *e, const char *name,
		       const struct vmcfg_toml_value *arr, const struct sys_key *keys, size_t n)
{
	if (vmcfg_toml_type(arr) != VMCFG_TOML_ARRAY) {
		s->invalid = true;
		return;
	}
	for (size_t i = 0; i < vmcfg_toml_count(arr); i++) {
		const struct vmcfg_toml_value *item = vmcfg_toml_array_at(arr, i);
		emit_header(s, e, name, true, item);
		if (vmcfg_toml_type(item) == VMCFG_TOML_TABLE) {
			emit_keys(s, e, item, keys, n);
			continue;
		}
		/* Only frames may be written positionally ([name, base, size]). */
		if (keys != frame_keys) {
			s->invalid = true;
			continue;
		}
		for (size_t k = 0; k < n; k++) {
			const struct vmcfg_toml_value *f = record_field(s, item, keys, n, k);
			if (f)
				emit_key(s, e, keys[k].name, f, keys[k].kind);
		}
	}
}

static void walk_system(struct spec_emitter *e, void *ctx)
{
	struct sys_emit *s = ctx;
	const struct vmcfg_toml_value *root = vmcfg_toml_root(s->doc);
	const struct vmcfg_toml_value *vms = vmcfg_toml_table_get(root, "vms", 3);
	const struct vmcfg_toml_value *platform = vmcfg_toml_table_get(root, "platform", 8);
	const struct vmcfg_toml_value *ivc = vmcfg_toml_table_get(root, "ivc", 3);

	s->any = false;
	if (!known_keys(s, root, root_keys, COUNT(root_keys)))
		s->invalid = true;
	vmcfg_spec_put_leading(e, SPEC_COMMENT_HEAD, 0);
	if (vms) {
		emit_key(s, e, "vms", vms, SYS_STR_LIST);
		s->any = true;
	}
	if (platform && vmcfg_toml_type(platform) == VMCFG_TOML_STRING) {
		emit_key(s, e, "platform", platform, SYS_STR);
		s->any = true;
	} else if (platform && vmcfg_toml_type(platform) == VMCFG_TOML_TABLE) {
		emit_header(s, e, "platform", false, platform);
		emit_keys(s, e, platform, platform_keys, COUNT(platform_keys));
		const struct vmcfg_toml_value *frames = vmcfg_toml_table_get(platform, "reserved", 8);
		if (frames)
			emit_items(s, e, "platform.reserved", frames, frame_keys, COUNT(frame_keys));
	} else if (platform) {
		s->invalid = true;
	}
	if (ivc)
		emit_items(s, e, "ivc", ivc, channel_keys, COUNT(channel_keys));
	vmcfg_spec_put_leading(e, SPEC_COMMENT_TAIL, 0);
}

/* Collects the output so that nothing reaches the caller's writer when the file is refused. */
struct sys_buffer {
	const struct vmcfg_allocator *alloc;
	char *data;
	size_t len, cap;
	bool failed;
};

static void buffer_write(void *ud, const char *str, size_t len)
{
	struct sys_buffer *b = ud;
	if (b->failed || !len)
		return;
	if (len > b->cap - b->len) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap - b->len < len && cap <= SIZE_MAX / 2)
			cap *= 2;
		char *p = cap - b->len >= len ? b->alloc->fn(b->alloc->ud, b->data, b->cap, cap) : NULL;
		if (!p) {
			b->failed = true;
			return;
		}
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, str, len);
	b->len += len;
}

int vmcfg_system_emit_toml_commented(const char *text, size_t len,
				     const struct vmcfg_allocator *alloc,
				     const struct vmcfg_writer *w)
{
	if (!w || !alloc || !alloc->fn || (!text && len))
		return VMCFG_EINVAL;
	const struct vmcfg_toml_options opts = { .max_depth = 0, .allow_u64 = true };
	struct vmcfg_toml_doc *doc = NULL;
	int rc = vmcfg_toml_parse(text ? text : "", len, alloc, &opts, &doc, NULL);
	if (rc == VMCFG_ESYNTAX || rc == VMCFG_ELIMIT)
		return VMCFG_EINVALID;
	if (rc)
		return rc;
	struct sys_emit s = { .doc = doc };
	struct sys_buffer b = { .alloc = alloc };
	struct vmcfg_writer buffered = { buffer_write, &b };
	rc = vmcfg_spec_emit_commented(walk_system, &s, text, len, alloc, &buffered);
	if (!rc && b.failed)
		rc = VMCFG_ENOMEM;
	if (!rc && s.invalid)
		rc = VMCFG_EINVALID;
	if (!rc)
		w->write(w->ud, b.data, b.len);
	if (b.data)
		alloc->fn(alloc->ud, b.data, b.cap, 0);
	vmcfg_toml_free(doc);
	return rc;
}
