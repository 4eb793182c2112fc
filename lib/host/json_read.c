/* SPDX-License-Identifier: MIT */
/* A strict JSON reader (RFC 8259) into a malloc'd tree, for the language server. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vmcfg/json_read.h"

struct reader {
	const char *p, *end, *start;
	int err;
};

static void fail(struct reader *r, int err)
{
	if (!r->err)
		r->err = err;
}

static void skip_ws(struct reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static bool literal(struct reader *r, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n))
		return false;
	r->p += n;
	return true;
}

/* Appends code point cp as UTF-8. */
static size_t put_utf8(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static bool hex4(struct reader *r, uint32_t *out)
{
	if (r->end - r->p < 4)
		return false;
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		char c = *r->p++;
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return false;
	}
	*out = v;
	return true;
}

/* The length of the valid UTF-8 sequence at p (before end), 0 when invalid. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
	size_t n;
	uint32_t cp, min;
	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0)
		n = 2, cp = p[0] & 0x1f, min = 0x80;
	else if ((p[0] & 0xf0) == 0xe0)
		n = 3, cp = p[0] & 0x0f, min = 0x800;
	else if ((p[0] & 0xf8) == 0xf0)
		n = 4, cp = p[0] & 0x07, min = 0x10000;
	else
		return 0;
	if ((size_t)(end - p) < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* A string after its opening quote; the decoded text is never longer than the source. */
static char *read_string(struct reader *r, size_t *len_out)
{
	const char *from = r->p;
	const char *q = from;
	while (q < r->end && *q != '"') /* an upper bound of the decoded length */
		q += *q == '\\' && q + 1 < r->end ? 2 : 1;
	char *out = malloc((size_t)(q - from) + 1);
	size_t n = 0;
	if (!out) {
		fail(r, VMCFG_ENOMEM);
		return NULL;
	}
	for (;;) {
		if (r->p >= r->end)
			goto bad;
		unsigned char c = (unsigned char)*r->p;
		if (c == '"') {
			r->p++;
			break;
		}
		if (c < 0x20)
			goto bad;
		if (c != '\\') {
			size_t k = utf8_len((const unsigned char *)r->p, (const unsigned char *)r->end);
			if (!k)
				goto bad;
			memcpy(out + n, r->p, k);
			n += k;
			r->p += k;
			continue;
		}
		r->p++;
		if (r->p >= r->end)
			goto bad;
		char e = *r->p++;
		uint32_t cp;
		switch (e) {
		case '"': out[n++] = '"'; break;
		case '\\': out[n++] = '\\'; break;
		case '/': out[n++] = '/'; break;
		case 'b': out[n++] = '\b'; break;
		case 'f': out[n++] = '\f'; break;
		case 'n': out[n++] = '\n'; break;
		case 'r': out[n++] = '\r'; break;
		case 't': out[n++] = '\t'; break;
		case 'u':
			if (!hex4(r, &cp))
				goto bad;
			if (cp >= 0xd800 && cp <= 0xdbff) { /* a high surrogate needs its low half */
				uint32_t lo;
				if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u')
					goto bad;
				r->p += 2;
				if (!hex4(r, &lo) || lo < 0xdc00 || lo > 0xdfff)
					goto bad;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			} else if (cp >= 0xdc00 && cp <= 0xdfff) {
				goto bad;
			}
			/* 6 (or 12) source bytes decode to at most 4: the bound holds. */
			n += put_utf8(out + n, cp);
			break;
		default:
			goto bad;
		}
	}
	out[n] = '\0';
	*len_out = n;
	return out;
bad:
	free(out);
	fail(r, VMCFG_ESYNTAX);
	return NULL;
}

static void read_number(struct reader *r, struct vmcfg_json *v)
{
	const char *s = r->p;
	bool integer = true;
	if (r->p < r->end && *r->p == '-')
		r->p++;
	if (r->p >= r->end)
		goto bad;
	if (*r->p == '0') {
		r->p++;
	} else if (*r->p >= '1' && *r->p <= '9') {
		while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
			r->p++;
	} else {
		goto bad;
	}
	if (r->p < r->end && *r->p == '.') {
		integer = false;
		r->p++;
		if (r->p >= r->end || *r->p < '0' || *r->p > '9')
			goto bad;
		while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
			r->p++;
	}
	if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
		integer = false;
		r->p++;
		if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
			r->p++;
		if (r->p >= r->end || *r->p < '0' || *r->p > '9')
			goto bad;
		while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
			r->p++;
	}
	char buf[64];
	size_t n = (size_t)(r->p - s);
	if (n >= sizeof buf) { /* long but valid: only its magnitude matters here */
		v->type = VMCFG_JSON_NUMBER;
		v->number = s[0] == '-' ? -1e308 : 1e308;
		return;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	v->type = VMCFG_JSON_NUMBER;
	v->number = strtod(buf, NULL);
	if (integer) {
		errno = 0;
		long long i = strtoll(buf, NULL, 10);
		if (errno != ERANGE) {
			v->integer = true;
			v->i = i;
		}
	}
	return;
bad:
	fail(r, VMCFG_ESYNTAX);
}

static void free_members(struct vmcfg_json *v);

static void read_value(struct reader *r, struct vmcfg_json *v, unsigned depth);

/* Elements of an array or members of an object after its opening bracket. */
static void read_container(struct reader *r, struct vmcfg_json *v, unsigned depth, bool object)
{
	size_t cap = 0;
	v->type = object ? VMCFG_JSON_OBJECT : VMCFG_JSON_ARRAY;
	if (depth >= VMCFG_JSON_MAX_DEPTH) {
		fail(r, VMCFG_ELIMIT);
		return;
	}
	skip_ws(r);
	if (r->p < r->end && *r->p == (object ? '}' : ']')) {
		r->p++;
		return;
	}
	for (;;) {
		if (v->len == cap) {
			cap = cap ? cap * 2 : 4;
			struct vmcfg_json *items = realloc(v->items, cap * sizeof *items);
			if (items)
				v->items = items;
			char **keys = object ? realloc(v->keys, cap * sizeof *keys) : NULL;
			if (keys)
				v->keys = keys;
			if (!items || (object && !keys)) {
				fail(r, VMCFG_ENOMEM);
				return;
			}
		}
		struct vmcfg_json *item = &v->items[v->len];
		memset(item, 0, sizeof *item);
		if (object) {
			skip_ws(r);
			size_t klen;
			if (r->p >= r->end || *r->p != '"') {
				fail(r, VMCFG_ESYNTAX);
				return;
			}
			r->p++;
			char *key = read_string(r, &klen);
			if (!key)
				return;
			v->keys[v->len] = key;
			v->len++; /* counted now so that the key is freed on failure */
			skip_ws(r);
			if (r->p >= r->end || *r->p != ':') {
				fail(r, VMCFG_ESYNTAX);
				return;
			}
			r->p++;
		} else {
			v->len++;
		}
		read_value(r, item, depth + 1);
		if (r->err)
			return;
		skip_ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == (object ? '}' : ']')) {
			r->p++;
			return;
		}
		fail(r, VMCFG_ESYNTAX);
		return;
	}
}

static void read_value(struct reader *r, struct vmcfg_json *v, unsigned depth)
{
	skip_ws(r);
	if (r->p >= r->end) {
		fail(r, VMCFG_ESYNTAX);
		return;
	}
	switch (*r->p) {
	case '{':
	case '[':
		r->p++;
		read_container(r, v, depth, r->p[-1] == '{');
		return;
	case '"':
		r->p++;
		v->s = read_string(r, &v->len);
		if (v->s)
			v->type = VMCFG_JSON_STRING;
		return;
	case 't':
	case 'f':
		v->type = VMCFG_JSON_BOOL;
		v->b = *r->p == 't';
		if (!literal(r, v->b ? "true" : "false"))
			fail(r, VMCFG_ESYNTAX);
		return;
	case 'n':
		v->type = VMCFG_JSON_NULL;
		if (!literal(r, "null"))
			fail(r, VMCFG_ESYNTAX);
		return;
	default:
		read_number(r, v);
	}
}

static void free_members(struct vmcfg_json *v)
{
	if (v->type == VMCFG_JSON_STRING)
		free(v->s);
	if (v->type == VMCFG_JSON_ARRAY || v->type == VMCFG_JSON_OBJECT) {
		for (size_t i = 0; i < v->len; i++) {
			/* the last member of a failed parse may be half-read: its type tells */
			free_members(&v->items[i]);
			if (v->keys)
				free(v->keys[i]);
		}
		free(v->items);
		free(v->keys);
	}
}

int vmcfg_json_parse(const char *text, size_t len, struct vmcfg_json **out, size_t *err_offset)
{
	if (!out || (!text && len))
		return VMCFG_EINVAL;
	*out = NULL;
	struct vmcfg_json *v = calloc(1, sizeof *v);
	if (!v)
		return VMCFG_ENOMEM;
	struct reader r = { text ? text : "", (text ? text : "") + len, text ? text : "", 0 };
	read_value(&r, v, 0);
	skip_ws(&r);
	if (!r.err && r.p != r.end)
		r.err = VMCFG_ESYNTAX;
	if (r.err) {
		if (err_offset)
			*err_offset = (size_t)(r.p - r.start);
		vmcfg_json_free(v);
		return r.err;
	}
	*out = v;
	return 0;
}

void vmcfg_json_free(struct vmcfg_json *v)
{
	if (!v)
		return;
	free_members(v);
	free(v);
}

const struct vmcfg_json *vmcfg_json_get(const struct vmcfg_json *v, const char *key)
{
	if (!v || v->type != VMCFG_JSON_OBJECT || !key)
		return NULL;
	for (size_t i = v->len; i-- > 0;)
		if (!strcmp(v->keys[i], key))
			return &v->items[i];
	return NULL;
}

const char *vmcfg_json_str(const struct vmcfg_json *v)
{
	return v && v->type == VMCFG_JSON_STRING ? v->s : NULL;
}

bool vmcfg_json_int(const struct vmcfg_json *v, int64_t *out)
{
	if (!v || v->type != VMCFG_JSON_NUMBER || !v->integer)
		return false;
	*out = v->i;
	return true;
}
