/* SPDX-License-Identifier: MIT */
/*
 * Decoding a TOML document into a vm_spec (lib/spec internal): the state of
 * one decode, key paths for messages, and the helpers that turn problems
 * into diagnostics. decode.c walks the schema, rules.c holds the checks.
 */
#ifndef VMCFG_LIB_SPEC_DECODE_H
#define VMCFG_LIB_SPEC_DECODE_H

#include "schema.h"

struct decoder {
	const struct vmcfg_toml_doc *doc;
	struct vmcfg_vm_spec *spec; /* its arena receives every copy */
	struct vmcfg_diags *diags;
	int err; /* VMCFG_ENOMEM once memory ran out; the walk then stops */
	bool guest_form; /* the file is in the guest_type form (vmcfg_vm_spec.guest_form) */
};

/*
 * A key path from the document root, built on the stack while walking:
 * each step is a key or an array index ("kernel.memory_regions[1][2]").
 */
struct path {
	const struct path *parent;
	const char *key; /* NULL: the step is an index */
	size_t len;
	size_t index;
};

static inline struct path path_key(const struct path *parent, const char *key, size_t len)
{
	struct path p = { parent, key, len, 0 };
	return p;
}

static inline struct path path_index(const struct path *parent, size_t index)
{
	struct path p = { parent, NULL, 0, index };
	return p;
}

/* Room for a key path in messages; longer paths are cut. */
#define SPEC_PATH_TEXT 200

/* Writes p as text ("devices.emu_devices[0].cfg_list"); returns buf. */
char *vmcfg_spec_path_text(const struct path *p, char buf[SPEC_PATH_TEXT]);

/* A message or hint being built in a caller's buffer: bounded, always NUL-terminated. */
struct text {
	char *buf;
	size_t size, len;
};

static inline struct text text_in(char *buf, size_t size)
{
	struct text t = { buf, size, 0 };
	buf[0] = '\0';
	return t;
}

void vmcfg_spec_text_add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Appends a diagnostic at span of the decoded file; NULL (and d->err set)
 * when memory ran out. The hint and related helpers accept a NULL diag.
 */
struct vmcfg_diag *vmcfg_spec_report(struct decoder *d, enum vmcfg_rule rule, struct vmcfg_span at,
			       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void vmcfg_spec_report_hint(struct decoder *d, struct vmcfg_diag *g, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void vmcfg_spec_report_related(struct decoder *d, struct vmcfg_diag *g, struct vmcfg_span at,
			 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Reports a string that is none of the allowed spellings (BAD_ENUM) with
 * "did you mean" when one is close (ignoring case), else the valid list.
 */
void vmcfg_spec_report_bad_choice(struct decoder *d, const struct path *p, struct vmcfg_span at,
			    const char *s, size_t len, const char *const *choices, size_t n,
			    const char *valid);

/* Decodes the whole document (its root table) into d->spec. */
void vmcfg_spec_decode_file(struct decoder *d);

/* Whether field i of record type t was written in v (positional or named). */
bool vmcfg_spec_field_written(const struct spec_type *t, const struct vmcfg_toml_value *v, size_t i);

#endif /* VMCFG_LIB_SPEC_DECODE_H */
