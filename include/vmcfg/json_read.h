/* SPDX-License-Identifier: MIT */
/*
 * vmcfg/json_read.h — a small, strict JSON reader (RFC 8259) for the host
 * tools: the language server reads its clients' messages with it. Host-only
 * (malloc). Strict: one value and nothing after it but white space, no
 * trailing commas, no comments, no leading zeros, no control characters
 * or invalid UTF-8 in strings, nesting at most VMCFG_JSON_MAX_DEPTH deep.
 */
#ifndef VMCFG_JSON_READ_H
#define VMCFG_JSON_READ_H

#include "vmcfg/base.h"

VMCFG_BEGIN_DECLS

#define VMCFG_JSON_MAX_DEPTH 64

enum vmcfg_json_type {
	VMCFG_JSON_NULL,
	VMCFG_JSON_BOOL,
	VMCFG_JSON_NUMBER,
	VMCFG_JSON_STRING,
	VMCFG_JSON_ARRAY,
	VMCFG_JSON_OBJECT
};

struct vmcfg_json {
	enum vmcfg_json_type type;
	bool b;          /* BOOL */
	double number;   /* NUMBER */
	bool integer;    /* NUMBER: written without fraction or exponent and fits an int64 */
	int64_t i;       /* NUMBER when integer */
	char *s;         /* STRING: decoded UTF-8, NUL-terminated (may hold U+0000: use len) */
	size_t len;      /* STRING: bytes; ARRAY, OBJECT: members */
	struct vmcfg_json *items; /* ARRAY: the elements; OBJECT: the values */
	char **keys;     /* OBJECT: the decoded keys, NUL-terminated */
};

/*
 * Parses text (len bytes) into a tree in *out. Returns 0; VMCFG_ESYNTAX
 * (not valid JSON: *err_offset, when not NULL, is the byte where reading
 * stopped); VMCFG_ELIMIT (nested too deep); VMCFG_ENOMEM; VMCFG_EINVAL
 * (NULL text with len > 0, or NULL out). *out is NULL on failure.
 */
int vmcfg_json_parse(const char *text, size_t len, struct vmcfg_json **out, size_t *err_offset);

/* Frees a tree from vmcfg_json_parse. NULL is allowed. */
void vmcfg_json_free(struct vmcfg_json *v);

/* The member key of object v (the last one if repeated), or NULL (also when v is no object). */
const struct vmcfg_json *vmcfg_json_get(const struct vmcfg_json *v, const char *key);

/* v's string, or NULL when v is NULL or no string. */
const char *vmcfg_json_str(const struct vmcfg_json *v);

/* Whether v is an integer number (see integer above); its value in *out. */
bool vmcfg_json_int(const struct vmcfg_json *v, int64_t *out);

VMCFG_END_DECLS

#endif /* VMCFG_JSON_READ_H */
