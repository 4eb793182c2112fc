/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the TOML parser (include/vmcfg/toml.h).
 *
 * The whole input is the TOML text; its first byte also picks the options:
 *   bit 0     inject an allocation failure (second parse, see below)
 *   bit 1     allow_u64
 *   bits 2-4  max_depth: 0 (default 256), 1, 2, 3, 4, 8, 16, 64
 *
 * Every input is parsed with a counting allocator. A successful parse is
 * walked through every accessor, checking the contract of toml.h:
 *   - tables: vmcfg_toml_table_at(i) for every i, vmcfg_toml_table_get() of each key
 *     returns the very same node, out-of-range indices return NULL;
 *   - arrays: vmcfg_toml_array_at(i), [[aot]] items are AOT_ITEM tables and
 *     tables inside array literals are inline;
 *   - every scalar getter on every node (right type: 0, else VMCFG_ETYPE);
 *     integers are compared against an independent decoding of the literal,
 *     floats against strtod() and re-parsed, dates/times are formatted
 *     with vmcfg_toml_format_datetime() and re-parsed to the same value;
 *   - vmcfg_toml_value_span() of every node and the span of every key: inside
 *     the input, not in the middle of a UTF-8 sequence, line and column
 *     exactly those of the offset, first/last bytes fitting the kind;
 *   - after vmcfg_toml_free() the allocator's in_use is 0.
 * A failed parse must leave *out NULL, nothing allocated, and an error
 * with a location inside the input and a non-empty message.
 *
 * When bit 0 is set, the input is parsed again with the allocator failing
 * allocation number 1 + hash(input) % N, where N is the number of
 * allocations the first parse made: the result must be a clean
 * VMCFG_ENOMEM with nothing left allocated.
 *
 * Any violated invariant ends in __builtin_trap(), which libFuzzer reports
 * as a crash together with the input.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmcfg/host.h"
#include "vmcfg/toml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                   \
	do {                                                                          \
		if (!(cond)) {                                                        \
			fprintf(stderr, "fuzz_toml: invariant violated at %s:%d: %s\n", \
				__FILE__, __LINE__, #cond);                            \
			__builtin_trap();                                             \
		}                                                                     \
	} while (0)

struct ctx {
	const struct vmcfg_toml_doc *doc;
	const uint8_t *text;
	size_t len;
	bool bom;        /* text starts with a UTF-8 byte-order mark */
	bool allow_u64;
	uint32_t *line;  /* line[i], col[i]: where byte i (0 <= i <= len) is */
	uint32_t *col;
	size_t nodes;    /* nodes visited so far (guards against cycles) */
};

/* ---------- spans ---------- */

static void index_positions(struct ctx *c)
{
	uint32_t line = 1, col = 1;
	for (size_t i = 0; i <= c->len; i++) {
		c->line[i] = line;
		c->col[i] = col;
		if (i == c->len)
			break;
		if (c->text[i] == '\n') {
			line++;
			col = 1;
		} else if ((c->text[i] & 0xc0) != 0x80) {
			col++; /* a column per code point: count the lead bytes */
		}
	}
}

/* A span must lie inside the text, start on a code point, and name its line and column. */
static void check_span(const struct ctx *c, struct vmcfg_span s)
{
	CHECK(s.line >= 1 && s.col >= 1);
	CHECK((uint64_t)s.offset + s.length <= c->len);
	if (s.offset < c->len)
		CHECK((c->text[s.offset] & 0xc0) != 0x80);
	CHECK(s.line == c->line[s.offset]);
	uint32_t col = c->col[s.offset];
	/* On line 1 a byte-order mark may or may not count as a column. */
	if (c->bom && s.line == 1)
		CHECK(s.col == col || s.col + 1 == col);
	else
		CHECK(s.col == col);
}

static uint8_t at(const struct ctx *c, size_t off)
{
	return off < c->len ? c->text[off] : 0;
}

/* ---------- scalars ---------- */

static bool is_leap(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static void check_datetime_fields(enum vmcfg_toml_type t, const struct vmcfg_toml_datetime *dt)
{
	CHECK(dt->has_date == (t != VMCFG_TOML_TIME_LOCAL));
	CHECK(dt->has_time == (t != VMCFG_TOML_DATE_LOCAL));
	CHECK(dt->has_offset == (t == VMCFG_TOML_DATETIME));
	if (dt->has_date) {
		static const uint8_t mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
		CHECK(dt->year <= 9999);
		CHECK(dt->month >= 1 && dt->month <= 12);
		CHECK(dt->day >= 1 && dt->day <= mdays[dt->month - 1]);
		if (dt->month == 2 && dt->day == 29)
			CHECK(is_leap(dt->year));
	}
	if (dt->has_time) {
		CHECK(dt->hour <= 23 && dt->minute <= 59 && dt->second <= 60);
		CHECK(dt->nanosecond < 1000000000u);
		CHECK(dt->frac_digits <= 9);
		if (dt->frac_digits == 0)
			CHECK(dt->nanosecond == 0);
	}
	if (dt->has_offset) {
		CHECK(dt->offset_minutes >= -(23 * 60 + 59) && dt->offset_minutes <= 23 * 60 + 59);
		if (dt->offset_z)
			CHECK(dt->offset_minutes == 0);
	} else {
		CHECK(!dt->offset_z && dt->offset_minutes == 0);
	}
}

/* Parses "x = <text>" and returns the value's document (caller frees) and node. */
static struct vmcfg_toml_doc *reparse(const char *text, size_t len, const struct vmcfg_toml_value **v)
{
	char buf[128];
	struct vmcfg_toml_doc *doc = NULL;
	struct vmcfg_toml_options opts = { .max_depth = 0, .allow_u64 = true };
	CHECK(len + 4 <= sizeof buf);
	memcpy(buf, "x = ", 4);
	memcpy(buf + 4, text, len);
	int rc = vmcfg_toml_parse(buf, len + 4, &vmcfg_host_allocator, &opts, &doc, NULL);
	CHECK(rc == 0 && doc);
	*v = vmcfg_toml_table_get(vmcfg_toml_root(doc), "x", 1);
	CHECK(*v);
	return doc;
}

static void check_datetime(const struct ctx *c, const struct vmcfg_toml_value *v, enum vmcfg_toml_type t)
{
	struct vmcfg_toml_datetime dt, dt2;
	char buf[40], small[8];
	memset(&dt, 0, sizeof dt);
	CHECK(vmcfg_toml_get_datetime(v, &dt) == 0);
	check_datetime_fields(t, &dt);

	size_t n = vmcfg_toml_format_datetime(&dt, buf, sizeof buf);
	CHECK(n > 0 && n < sizeof buf);
	CHECK(strlen(buf) == n);
	/* Truncating like snprintf: same length returned, NUL-terminated prefix. */
	for (size_t sz = 1; sz <= sizeof small; sz++) {
		memset(small, 'X', sizeof small);
		CHECK(vmcfg_toml_format_datetime(&dt, small, sz) == n);
		size_t k = sz - 1 < n ? sz - 1 : n;
		CHECK(small[k] == '\0' && memcmp(small, buf, k) == 0);
	}
	CHECK(vmcfg_toml_format_datetime(&dt, NULL, 0) == n);

	/* The formatted text reads back as the same value of the same type. */
	const struct vmcfg_toml_value *w;
	struct vmcfg_toml_doc *d2 = reparse(buf, n, &w);
	CHECK(vmcfg_toml_type(w) == t);
	memset(&dt2, 0, sizeof dt2);
	CHECK(vmcfg_toml_get_datetime(w, &dt2) == 0);
	CHECK(dt2.has_date == dt.has_date && dt2.has_time == dt.has_time &&
	      dt2.has_offset == dt.has_offset);
	CHECK(dt2.year == dt.year && dt2.month == dt.month && dt2.day == dt.day);
	CHECK(dt2.hour == dt.hour && dt2.minute == dt.minute && dt2.second == dt.second);
	CHECK(dt2.nanosecond == dt.nanosecond && dt2.frac_digits == dt.frac_digits);
	CHECK(dt2.offset_minutes == dt.offset_minutes && dt2.offset_z == dt.offset_z);
	vmcfg_toml_free(d2);
	(void)c;
}

/* Decodes an integer literal (the span's text) independently of the parser. */
static void check_integer(const struct ctx *c, const struct vmcfg_toml_value *v, struct vmcfg_span s)
{
	const uint8_t *p = c->text + s.offset, *end = p + s.length;
	bool neg = false;
	unsigned base = 10;
	uint64_t mag = 0;

	if (p < end && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	if (end - p >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'o' || p[1] == 'b')) {
		base = p[1] == 'x' ? 16 : p[1] == 'o' ? 8 : 2;
		CHECK(!neg && c->text[s.offset] != '+'); /* no sign on prefixed integers */
		p += 2;
	}
	CHECK(p < end);
	/* Digits: no leading zero in decimal, '_' only between two digits. */
	if (base == 10 && p[0] == '0')
		CHECK(end - p == 1);
	CHECK(p[0] != '_' && end[-1] != '_');
	for (const uint8_t *q = p; q + 1 < end; q++)
		CHECK(!(q[0] == '_' && q[1] == '_'));
	for (; p < end; p++) {
		unsigned d;
		if (*p == '_')
			continue;
		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			d = 99;
		CHECK(d < base);
		CHECK(vmcfg_mul_u64(mag, base, &mag) && vmcfg_add_u64(mag, d, &mag));
	}

	int64_t i = 0;
	uint64_t u = 0;
	int ri = vmcfg_toml_get_int(v, &i), ru = vmcfg_toml_get_u64(v, &u);
	if (neg) {
		CHECK(mag <= (uint64_t)INT64_MAX + 1);
		CHECK(ri == 0 && (uint64_t)0 - (uint64_t)i == mag);
		if (mag == 0)
			CHECK(ru == 0 && u == 0);
		else
			CHECK(ru == VMCFG_ERANGE);
	} else if (mag <= (uint64_t)INT64_MAX) {
		CHECK(ri == 0 && (uint64_t)i == mag);
		CHECK(ru == 0 && u == mag);
	} else {
		CHECK(c->allow_u64);
		CHECK(ri == VMCFG_ERANGE);
		CHECK(ru == 0 && u == mag);
	}
}

static void check_float(const struct vmcfg_toml_value *v)
{
	const char *s = NULL;
	size_t n = 0;
	char buf[128];
	CHECK(vmcfg_toml_get_float_text(v, &s, &n) == 0);
	CHECK(s && n > 0);
	CHECK(s[0] != '+');
	for (size_t k = 0; k < n; k++)
		CHECK(s[k] != '_' && s[k] != '\0');
	if (n >= sizeof buf - 8)
		return; /* long mantissas: conversion is checked on shorter ones */

	/* Conversion agrees with the C library's (correctly rounded) strtod. */
	memcpy(buf, s, n);
	buf[n] = '\0';
	double d = 0, ref = strtod(buf, NULL);
	CHECK(vmcfg_toml_float_to_double(s, n, &d) == 0);
	if (isnan(ref))
		CHECK(isnan(d));
	else
		CHECK(memcmp(&d, &ref, sizeof d) == 0);

	/* The canonical text is itself a TOML float with the same text. */
	const struct vmcfg_toml_value *w;
	struct vmcfg_toml_doc *d2 = reparse(s, n, &w);
	const char *s2;
	size_t n2;
	CHECK(vmcfg_toml_type(w) == VMCFG_TOML_FLOAT);
	CHECK(vmcfg_toml_get_float_text(w, &s2, &n2) == 0 && n2 == n && memcmp(s, s2, n) == 0);
	vmcfg_toml_free(d2);
}

/* Every getter on every node: the right one succeeds, the others say VMCFG_ETYPE. */
static void check_getters(const struct ctx *c, const struct vmcfg_toml_value *v, enum vmcfg_toml_type t,
			  struct vmcfg_span s)
{
	const char *str = NULL;
	size_t n = 0;
	int64_t i;
	uint64_t u;
	bool b;
	struct vmcfg_toml_datetime dt;
	bool is_dt = t == VMCFG_TOML_DATETIME || t == VMCFG_TOML_DATETIME_LOCAL || t == VMCFG_TOML_DATE_LOCAL ||
		     t == VMCFG_TOML_TIME_LOCAL;

	if (t != VMCFG_TOML_STRING)
		CHECK(vmcfg_toml_get_string(v, &str, &n) == VMCFG_ETYPE);
	if (t != VMCFG_TOML_INTEGER) {
		CHECK(vmcfg_toml_get_int(v, &i) == VMCFG_ETYPE);
		CHECK(vmcfg_toml_get_u64(v, &u) == VMCFG_ETYPE);
	}
	if (t != VMCFG_TOML_BOOL)
		CHECK(vmcfg_toml_get_bool(v, &b) == VMCFG_ETYPE);
	if (t != VMCFG_TOML_FLOAT)
		CHECK(vmcfg_toml_get_float_text(v, &str, &n) == VMCFG_ETYPE);
	if (!is_dt)
		CHECK(vmcfg_toml_get_datetime(v, &dt) == VMCFG_ETYPE);

	switch (t) {
	case VMCFG_TOML_TABLE:
	case VMCFG_TOML_ARRAY:
		break;
	case VMCFG_TOML_STRING: {
		uint8_t q = at(c, s.offset);
		CHECK(vmcfg_toml_get_string(v, &str, &n) == 0);
		CHECK(str && str[n] == '\0');
		CHECK(q == '"' || q == '\'');
		CHECK(s.length >= 2 && at(c, s.offset + s.length - 1) == q);
		break;
	}
	case VMCFG_TOML_INTEGER:
		check_integer(c, v, s);
		break;
	case VMCFG_TOML_FLOAT: {
		uint8_t f = at(c, s.offset);
		CHECK(f == '+' || f == '-' || f == 'i' || f == 'n' || (f >= '0' && f <= '9'));
		check_float(v);
		break;
	}
	case VMCFG_TOML_BOOL:
		CHECK(vmcfg_toml_get_bool(v, &b) == 0);
		if (b)
			CHECK(s.length == 4 && memcmp(c->text + s.offset, "true", 4) == 0);
		else
			CHECK(s.length == 5 && memcmp(c->text + s.offset, "false", 5) == 0);
		break;
	case VMCFG_TOML_DATETIME:
	case VMCFG_TOML_DATETIME_LOCAL:
	case VMCFG_TOML_DATE_LOCAL:
	case VMCFG_TOML_TIME_LOCAL:
		CHECK(at(c, s.offset) >= '0' && at(c, s.offset) <= '9');
		check_datetime(c, v, t);
		break;
	default:
		CHECK(0 && "unknown type");
	}
}

/* ---------- the tree ---------- */

static void walk(struct ctx *c, const struct vmcfg_toml_value *v, bool is_root, bool in_aot,
		 bool in_array_literal)
{
	CHECK(v);
	CHECK(++c->nodes <= 2 * c->len + 2); /* a tree, no cycles */

	enum vmcfg_toml_type t = vmcfg_toml_type(v);
	CHECK(t >= VMCFG_TOML_TABLE && t <= VMCFG_TOML_TIME_LOCAL);
	const char *tn = vmcfg_toml_type_name(t);
	CHECK(tn && tn[0]);

	struct vmcfg_span s = vmcfg_toml_value_span(c->doc, v);
	check_span(c, s);
	if (t != VMCFG_TOML_TABLE && t != VMCFG_TOML_ARRAY)
		CHECK(s.length >= 1);
	check_getters(c, v, t, s);

	size_t count = vmcfg_toml_count(v);
	enum vmcfg_toml_table_kind kind = vmcfg_toml_table_kind(v);

	if (t == VMCFG_TOML_TABLE) {
		CHECK(kind >= VMCFG_TOML_TABLE_ROOT && kind <= VMCFG_TOML_TABLE_AOT_ITEM);
		CHECK((kind == VMCFG_TOML_TABLE_ROOT) == is_root);
		if (is_root)
			CHECK(s.offset == 0 && s.length == 0 && s.line == 1 && s.col == 1);
		if (in_aot)
			CHECK(kind == VMCFG_TOML_TABLE_AOT_ITEM);
		if (in_array_literal)
			CHECK(kind == VMCFG_TOML_TABLE_INLINE);
		if (kind == VMCFG_TOML_TABLE_AOT_ITEM)
			CHECK(in_aot && at(c, s.offset) == '[' && at(c, s.offset + 1) == '[');
		if (kind == VMCFG_TOML_TABLE_HEADER)
			CHECK(at(c, s.offset) == '[' && s.length >= 3);
		if (kind == VMCFG_TOML_TABLE_INLINE)
			CHECK(at(c, s.offset) == '{' && s.length >= 2 &&
			      at(c, s.offset + s.length - 1) == '}');
		CHECK(!vmcfg_toml_array_is_aot(v));
		CHECK(vmcfg_toml_array_at(v, 0) == NULL);

		for (size_t i = 0; i < count; i++) {
			struct vmcfg_toml_key k;
			memset(&k, 0, sizeof k);
			const struct vmcfg_toml_value *child = vmcfg_toml_table_at(c->doc, v, i, &k);
			CHECK(child);
			CHECK(vmcfg_toml_table_at(c->doc, v, i, NULL) == child);
			CHECK(k.name && k.name[k.len] == '\0');
			/* Finding each key again gives the same node: keys are unique. */
			CHECK(vmcfg_toml_table_get(v, k.name, k.len) == child);
			check_span(c, k.span);
			CHECK(k.span.length >= 1);
			uint8_t q = at(c, k.span.offset);
			if (q == '"' || q == '\'')
				CHECK(k.span.length >= 2 &&
				      at(c, k.span.offset + k.span.length - 1) == q);
			else
				CHECK(k.span.length == k.len &&
				      memcmp(c->text + k.span.offset, k.name, k.len) == 0);
			walk(c, child, false, false, false);
		}
		CHECK(vmcfg_toml_table_at(c->doc, v, count, NULL) == NULL);
		CHECK(vmcfg_toml_table_at(c->doc, v, SIZE_MAX, NULL) == NULL);
	} else {
		CHECK(kind == 0);
		CHECK(vmcfg_toml_table_at(c->doc, v, 0, NULL) == NULL);
		CHECK(vmcfg_toml_table_get(v, "a", 1) == NULL);
	}

	if (t == VMCFG_TOML_ARRAY) {
		bool aot = vmcfg_toml_array_is_aot(v);
		if (aot)
			CHECK(count >= 1);
		else
			CHECK(at(c, s.offset) == '[' && s.length >= 2 &&
			      at(c, s.offset + s.length - 1) == ']');
		for (size_t i = 0; i < count; i++)
			walk(c, vmcfg_toml_array_at(v, i), false, aot, !aot);
		CHECK(vmcfg_toml_array_at(v, count) == NULL);
		CHECK(vmcfg_toml_array_at(v, SIZE_MAX) == NULL);
	} else {
		CHECK(!vmcfg_toml_array_is_aot(v));
		if (t != VMCFG_TOML_TABLE)
			CHECK(count == 0);
	}
}

/* ---------- the entry point ---------- */

static uint64_t fnv1a(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static void check_error(const struct ctx *c, int rc, const struct vmcfg_toml_error *err)
{
	CHECK(rc == VMCFG_ESYNTAX || rc == VMCFG_ELIMIT || rc == VMCFG_ENOMEM);
	CHECK(err->code == rc);
	CHECK(memchr(err->msg, '\0', sizeof err->msg) != NULL);
	if (rc != VMCFG_ENOMEM) {
		/* An error may point at an invalid byte: check line and bounds only. */
		CHECK(err->msg[0] != '\0');
		CHECK(err->span.line >= 1 && err->span.col >= 1);
		CHECK((uint64_t)err->span.offset + err->span.length <= c->len);
		CHECK(err->span.line == c->line[err->span.offset]);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t depths[8] = { 0, 1, 2, 3, 4, 8, 16, 64 };
	uint8_t sel = size ? data[0] : 0;
	struct vmcfg_toml_options opts = { .max_depth = depths[(sel >> 2) & 7],
					   .allow_u64 = (sel >> 1) & 1 };
	struct ctx c;
	struct vmcfg_toml_error err;
	struct vmcfg_toml_doc *doc = (struct vmcfg_toml_doc *)&c; /* must be overwritten */

	if (size >= UINT32_MAX)
		return 0;
	memset(&c, 0, sizeof c);
	c.text = data;
	c.len = size;
	c.bom = size >= 3 && data[0] == 0xef && data[1] == 0xbb && data[2] == 0xbf;
	c.allow_u64 = opts.allow_u64;
	c.line = malloc((size + 1) * sizeof *c.line);
	c.col = malloc((size + 1) * sizeof *c.col);
	CHECK(c.line && c.col);
	index_positions(&c);

	struct vmcfg_counting_alloc st;
	memset(&st, 0, sizeof st);
	struct vmcfg_allocator alloc = vmcfg_counting_allocator(&st);
	memset(&err, 0, sizeof err);
	int rc = vmcfg_toml_parse((const char *)data, size, &alloc, &opts, &doc, &err);
	uint64_t calls = st.calls;
	if (rc == 0) {
		CHECK(doc && doc != (struct vmcfg_toml_doc *)&c);
		CHECK(vmcfg_toml_doc_bytes(doc) <= st.in_use);
		c.doc = doc;
		walk(&c, vmcfg_toml_root(doc), true, false, false);
		vmcfg_toml_free(doc);
	} else {
		CHECK(doc == NULL);
		check_error(&c, rc, &err);
	}
	CHECK(st.in_use == 0);

	/* Deterministic allocation-failure injection. */
	if ((sel & 1) && calls > 0) {
		memset(&st, 0, sizeof st);
		st.fail_at = 1 + fnv1a(data, size) % calls;
		memset(&err, 0, sizeof err);
		doc = (struct vmcfg_toml_doc *)&c;
		rc = vmcfg_toml_parse((const char *)data, size, &alloc, &opts, &doc, &err);
		CHECK(rc == VMCFG_ENOMEM);
		CHECK(doc == NULL);
		CHECK(err.code == VMCFG_ENOMEM);
		CHECK(st.in_use == 0);
	}

	/* Argument checks. */
	CHECK(vmcfg_toml_parse((const char *)data, size, &alloc, &opts, NULL, NULL) == VMCFG_EINVAL);
	CHECK(st.in_use == 0);

	free(c.line);
	free(c.col);
	return 0;
}
