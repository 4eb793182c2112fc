/* SPDX-License-Identifier: MIT */
/*
 * The schema walker: reads a TOML document into a vm_spec by the format
 * description in schema.c. Each value is checked for its type and range
 * where it is written; a bad value is reported and left unset, and the walk
 * goes on. Checks that span fields come from the types' finish functions.
 */
#include <stddef.h>

#include "decode.h"
#include "names.h"
#include "../base/libc.h"

static void decode_value(struct decoder *d, const struct spec_field *f, const struct vmcfg_toml_value *v,
			 const struct path *p, void *base);

static void *member(void *base, size_t offset)
{
	return (char *)base + offset;
}

static const char *expected_type(const struct spec_type *t)
{
	switch (t->kind) {
	case SPEC_U64:
		return "an integer";
	case SPEC_BOOL:
		return "a boolean";
	case SPEC_STR:
	case SPEC_IRQ_MODE:
		return "a string";
	case SPEC_LIST:
		return "an array";
	case SPEC_RECORD:
		return "an array or a table";
	case SPEC_TABLE:
		return "a table";
	}
	return "?";
}

static void report_wrong_type(struct decoder *d, const struct spec_type *t,
			      const struct vmcfg_toml_value *v, const struct path *p)
{
	char key[SPEC_PATH_TEXT];
	const char *found = vmcfg_toml_type_name(vmcfg_toml_type(v));
	bool vowel = found[0] == 'a' || found[0] == 'e' || found[0] == 'i' || found[0] == 'o' ||
		     found[0] == 'u';
	vmcfg_spec_report(d, VMCFG_R_WRONG_TYPE, vmcfg_toml_value_span(d->doc, v), "`%s` must be %s, not %s %s",
		    vmcfg_spec_path_text(p, key), expected_type(t), vowel ? "an" : "a", found);
}

static void decode_u64(struct decoder *d, const struct spec_field *f, const struct vmcfg_toml_value *v,
		       const struct path *p, void *base)
{
	const struct spec_type *t = f->type;
	char key[SPEC_PATH_TEXT];
	struct vmcfg_spec_u64 val = { 0, true, vmcfg_toml_value_span(d->doc, v) };

	if (vmcfg_toml_type(v) != VMCFG_TOML_INTEGER) {
		report_wrong_type(d, t, v, p);
		return;
	}
	if (vmcfg_toml_get_u64(v, &val.v) != 0) {
		int64_t negative = 0;
		vmcfg_toml_get_int(v, &negative);
		vmcfg_spec_report(d, VMCFG_R_OUT_OF_RANGE, val.span,
			    "`%s` is negative (%lld); it must be 0 or more", vmcfg_spec_path_text(p, key),
			    (long long)negative);
		return;
	}
	if (val.v > t->u64.max) {
		struct vmcfg_diag *g = vmcfg_spec_report(
			d, VMCFG_R_OUT_OF_RANGE, val.span, "`%s` is %llu, above its maximum",
			vmcfg_spec_path_text(p, key), (unsigned long long)val.v);
		vmcfg_spec_report_hint(d, g, "the largest value is %llu", (unsigned long long)t->u64.max);
		return;
	}
	if (t->u64.check && !t->u64.check(d, &val, p))
		return;
	*(struct vmcfg_spec_u64 *)member(base, f->at) = val;
}

/* The bytes of a string value, or false (reported) when v is not a usable string. */
static bool read_string(struct decoder *d, const struct spec_type *t, const struct vmcfg_toml_value *v,
			const struct path *p, const char **s, size_t *len)
{
	char key[SPEC_PATH_TEXT];
	if (vmcfg_toml_type(v) != VMCFG_TOML_STRING) {
		report_wrong_type(d, t, v, p);
		return false;
	}
	vmcfg_toml_get_string(v, s, len);
	/* Specs hold C strings (and paths are handed to C APIs): refuse a NUL. */
	for (size_t i = 0; i < *len; i++) {
		if ((*s)[i] == '\0') {
			vmcfg_spec_report(d, VMCFG_R_OUT_OF_RANGE, vmcfg_toml_value_span(d->doc, v),
				    "`%s` contains a NUL character", vmcfg_spec_path_text(p, key));
			return false;
		}
	}
	return true;
}

static bool is_choice(const struct spec_type *t, const char *s, size_t len)
{
	for (size_t i = 0; i < t->str.choice_count; i++)
		if (strlen(t->str.choices[i]) == len && !memcmp(t->str.choices[i], s, len))
			return true;
	return false;
}

static void decode_str(struct decoder *d, const struct spec_field *f, const struct vmcfg_toml_value *v,
		       const struct path *p, void *base)
{
	const struct spec_type *t = f->type;
	const char *s;
	size_t len;

	if (!read_string(d, t, v, p, &s, &len))
		return;
	struct vmcfg_span span = vmcfg_toml_value_span(d->doc, v);
	if (t->str.choices && !is_choice(t, s, len)) {
		vmcfg_spec_report_bad_choice(d, p, span, s, len, t->str.choices, t->str.choice_count,
				       t->str.valid);
		return;
	}
	char *copy = vmcfg_arena_strndup(&d->spec->arena, s, len);
	if (!copy) {
		d->err = VMCFG_ENOMEM;
		return;
	}
	struct vmcfg_spec_str val = { copy, len, true, span };
	*(struct vmcfg_spec_str *)member(base, f->at) = val;
}

static void decode_bool(struct decoder *d, const struct spec_field *f,
			const struct vmcfg_toml_value *v, const struct path *p, void *base)
{
	bool b;
	if (vmcfg_toml_type(v) != VMCFG_TOML_BOOL || vmcfg_toml_get_bool(v, &b)) {
		report_wrong_type(d, f->type, v, p);
		return;
	}
	struct vmcfg_spec_bool val = { b, true, vmcfg_toml_value_span(d->doc, v) };
	*(struct vmcfg_spec_bool *)member(base, f->at) = val;
}

static void decode_irq_mode(struct decoder *d, const struct spec_field *f,
			    const struct vmcfg_toml_value *v, const struct path *p, void *base)
{
	const char *s;
	size_t len;
	enum vmcfg_irq_mode mode;

	if (!read_string(d, f->type, v, p, &s, &len))
		return;
	struct vmcfg_span span = vmcfg_toml_value_span(d->doc, v);
	if (!vmcfg_spec_irq_mode_parse(s, len, &mode)) {
		vmcfg_spec_report_bad_choice(d, p, span, s, len, vmcfg_spec_irq_mode_spellings,
				       vmcfg_spec_irq_mode_spelling_count, SPEC_IRQ_MODE_VALID);
		return;
	}
	*(enum vmcfg_irq_mode *)member(base, f->at) = mode;
	*(struct vmcfg_span *)member(base, f->span_at) = span;
}

static void decode_list(struct decoder *d, const struct spec_field *f, const struct vmcfg_toml_value *v,
			const struct path *p, void *base)
{
	const struct spec_field *elem = f->type->list.elem;
	size_t size = f->type->list.elem_size;
	char *items = NULL;

	if (vmcfg_toml_type(v) != VMCFG_TOML_ARRAY) {
		report_wrong_type(d, f->type, v, p);
		return;
	}
	size_t n = vmcfg_toml_count(v);
	if (n) {
		items = n <= SIZE_MAX / size ? vmcfg_arena_zalloc(&d->spec->arena, n * size,
								  _Alignof(max_align_t))
					     : NULL;
		if (!items) {
			d->err = VMCFG_ENOMEM;
			return;
		}
	}
	/* The items member has the element's pointer type; copy the representation. */
	memcpy(member(base, f->at), &items, sizeof items);
	*(size_t *)member(base, f->count_at) = n;
	if (f->set_at != SPEC_NONE)
		*(bool *)member(base, f->set_at) = true;
	if (f->span_at != SPEC_NONE)
		*(struct vmcfg_span *)member(base, f->span_at) = vmcfg_toml_value_span(d->doc, v);
	for (size_t i = 0; i < n && !d->err; i++) {
		struct path ip = path_index(p, i);
		decode_value(d, elem, vmcfg_toml_array_at(v, i), &ip, items + i * size);
	}
}

static const struct spec_field *find_field(const struct spec_type *t, const char *key, size_t len)
{
	for (size_t i = 0; i < t->rec.count; i++) {
		const char *name = t->rec.fields[i].name;
		if (strlen(name) == len && !memcmp(name, key, len))
			return &t->rec.fields[i];
	}
	return NULL;
}

static bool is_table_like(const struct vmcfg_toml_value *v)
{
	if (vmcfg_toml_type(v) == VMCFG_TOML_ARRAY)
		return vmcfg_toml_array_is_aot(v);
	return vmcfg_toml_type(v) == VMCFG_TOML_TABLE && vmcfg_toml_table_kind(v) != VMCFG_TOML_TABLE_INLINE;
}

static void report_unknown_key(struct decoder *d, const struct spec_type *t,
			       const struct vmcfg_toml_key *k, const struct vmcfg_toml_value *v,
			       const struct path *parent)
{
	char key[SPEC_PATH_TEXT];
	const char *names[32];
	size_t n = t->rec.count < 32 ? t->rec.count : 32;
	struct path kp = path_key(parent, k->name, k->len);

	for (size_t i = 0; i < n; i++)
		names[i] = t->rec.fields[i].name;
	struct vmcfg_diag *g =
		vmcfg_spec_report(d, VMCFG_R_UNKNOWN_KEY, k->span, "unknown %s `%s`",
			    is_table_like(v) ? "table" : "key", vmcfg_spec_path_text(&kp, key));
	const char *near = vmcfg_nearest_name(k->name, k->len, names, n);
	if (near) {
		vmcfg_spec_report_hint(d, g, "did you mean `%s`?", near);
		if (g)
			if (vmcfg_diag_fix(d->diags, g, k->span, near))
				d->err = VMCFG_ENOMEM;
		return;
	}
	char buf[320];
	struct text known = text_in(buf, sizeof buf);
	for (size_t i = 0; i < n; i++)
		vmcfg_spec_text_add(&known, "%s`%s`", i ? ", " : "", names[i]);
	vmcfg_spec_report_hint(d, g, "known %s: %s", parent ? "keys" : "tables", buf);
}

static void report_missing(struct decoder *d, const struct spec_field *f,
			   const struct vmcfg_toml_value *v, const struct path *parent)
{
	char key[SPEC_PATH_TEXT];
	struct path kp = path_key(parent, f->name, strlen(f->name));
	struct vmcfg_span at = vmcfg_toml_value_span(d->doc, v);

	if (f->type->kind == SPEC_TABLE)
		vmcfg_spec_report(d, VMCFG_R_MISSING_KEY, at, "missing required table `[%s]`",
			    vmcfg_spec_path_text(&kp, key));
	else
		vmcfg_spec_report(d, VMCFG_R_MISSING_KEY, at, "missing required key `%s`",
			    vmcfg_spec_path_text(&kp, key));
}

/* The named form: every entry is a field (or an unknown key); required fields must be there. */
static void decode_named(struct decoder *d, const struct spec_type *t, const struct vmcfg_toml_value *v,
			 const struct path *p, void *rec)
{
	size_t n = vmcfg_toml_count(v);
	for (size_t i = 0; i < n && !d->err; i++) {
		struct vmcfg_toml_key k;
		const struct vmcfg_toml_value *fv = vmcfg_toml_table_at(d->doc, v, i, &k);
		const struct spec_field *f = find_field(t, k.name, k.len);
		struct path kp = path_key(p, k.name, k.len);
		if (f)
			decode_value(d, f, fv, &kp, rec);
		else
			report_unknown_key(d, t, &k, fv, p);
	}
	for (size_t i = 0; i < t->rec.count && !d->err; i++) {
		const struct spec_field *f = &t->rec.fields[i];
		if (f->required && !(d->guest_form && f->form_optional) &&
		    !vmcfg_spec_field_written(t, v, i))
			report_missing(d, f, v, p);
	}
}

static void report_arity(struct decoder *d, const struct spec_type *t, const struct vmcfg_toml_value *v,
			 const struct path *p, size_t n)
{
	char key[SPEC_PATH_TEXT], buf[160];
	struct text sig = text_in(buf, sizeof buf);
	size_t min = vmcfg_spec_record_min_fields(t), max = t->rec.count;

	vmcfg_spec_text_add(&sig, "[");
	for (size_t i = 0; i < max; i++)
		vmcfg_spec_text_add(&sig, "%s%s%s", i ? ", " : "", t->rec.fields[i].name,
			      t->rec.fields[i].required ? "" : "?");
	vmcfg_spec_text_add(&sig, "]");
	const char *bound = min == max ? "" : n < min ? "at least " : "at most ";
	struct vmcfg_diag *g = vmcfg_spec_report(d, VMCFG_R_ARITY, vmcfg_toml_value_span(d->doc, v),
					   "`%s` has %zu field%s, expected %s%zu",
					   vmcfg_spec_path_text(p, key), n, n == 1 ? "" : "s", bound,
					   n < min ? min : max);
	vmcfg_spec_report_hint(d, g, "%s = %s", t->what, buf);
}

/* The positional form: the fields in schema order, optional ones only at the end. */
static bool decode_positional(struct decoder *d, const struct spec_type *t,
			      const struct vmcfg_toml_value *v, const struct path *p, void *rec)
{
	size_t n = vmcfg_toml_count(v);
	if (n < vmcfg_spec_record_min_fields(t) || n > t->rec.count) {
		/* Fields would be misread one place off: leave the whole record unset. */
		report_arity(d, t, v, p, n);
		return false;
	}
	for (size_t i = 0; i < n && !d->err; i++) {
		struct path ip = path_index(p, i);
		decode_value(d, &t->rec.fields[i], vmcfg_toml_array_at(v, i), &ip, rec);
	}
	return true;
}

static void decode_record(struct decoder *d, const struct spec_field *f, const struct vmcfg_toml_value *v,
			  const struct path *p, void *base)
{
	const struct spec_type *t = f->type;
	void *rec = member(base, f->at);
	bool decoded;

	if (vmcfg_toml_type(v) == VMCFG_TOML_TABLE) {
		decode_named(d, t, v, p, rec);
		decoded = true;
	} else if (vmcfg_toml_type(v) == VMCFG_TOML_ARRAY && t->kind == SPEC_RECORD) {
		decoded = decode_positional(d, t, v, p, rec);
	} else {
		report_wrong_type(d, t, v, p);
		return;
	}
	if (f->span_at != SPEC_NONE)
		*(struct vmcfg_span *)member(base, f->span_at) = vmcfg_toml_value_span(d->doc, v);
	if (decoded && t->rec.finish && !d->err)
		t->rec.finish(d, t, rec, v, p);
}

static void decode_value(struct decoder *d, const struct spec_field *f, const struct vmcfg_toml_value *v,
			 const struct path *p, void *base)
{
	if (d->err)
		return;
	switch (f->type->kind) {
	case SPEC_U64:
		decode_u64(d, f, v, p, base);
		break;
	case SPEC_STR:
		decode_str(d, f, v, p, base);
		break;
	case SPEC_IRQ_MODE:
		decode_irq_mode(d, f, v, p, base);
		break;
	case SPEC_BOOL:
		decode_bool(d, f, v, p, base);
		break;
	case SPEC_LIST:
		decode_list(d, f, v, p, base);
		break;
	case SPEC_RECORD:
	case SPEC_TABLE:
		decode_record(d, f, v, p, base);
		break;
	}
}

/*
 * A file of axvmconfig's newest schema ([machine], [[memory.regions]],
 * [devices] with deny / virtual, no vm_type or emu_devices): one finding
 * at its first such table instead of a finding per key the older schema
 * expects. True when the file is one.
 */
static bool machine_schema(struct decoder *d, const struct vmcfg_toml_value *root)
{
	static const char *const tables[] = { "machine", "memory" };

	for (size_t i = 0; i < 2; i++) {
		const struct vmcfg_toml_value *t = vmcfg_toml_table_get(root, tables[i], strlen(tables[i]));

		if (!t)
			continue;
		struct vmcfg_diag *g = vmcfg_spec_report(
			d, VMCFG_R_MACHINE_SCHEMA, vmcfg_toml_value_span(d->doc, t),
			"`[%s]` is AxVisor's machine schema ([machine], [[memory.regions]], "
			"[devices] deny and virtual), which vmcfg does not read",
			tables[i]);
		vmcfg_spec_report_hint(d, g, "vmcfg reads axvmconfig 0.8's schema and the guest_type "
					     "form after it (docs/config-reference.md)");
		return true;
	}
	return false;
}

/* Whether table `name` of root has key `key`. */
static bool has_key(const struct vmcfg_toml_value *root, const char *name, const char *key)
{
	const struct vmcfg_toml_value *t = vmcfg_toml_table_get(root, name, strlen(name));

	return vmcfg_toml_type(t) == VMCFG_TOML_TABLE && vmcfg_toml_table_get(t, key, strlen(key));
}

static bool guest_form(const struct vmcfg_toml_value *root)
{
	for (size_t i = 0; i < vmcfg_spec_guest_form_marker_count; i++)
		if (has_key(root, vmcfg_spec_guest_form_markers[i].table,
			    vmcfg_spec_guest_form_markers[i].key))
			return true;
	return false;
}

void vmcfg_spec_decode_file(struct decoder *d)
{
	static const struct spec_field file = {
		.name = NULL,
		.type = &vmcfg_spec_file_type,
		.required = true,
		.at = 0,
		.count_at = SPEC_NONE,
		.set_at = SPEC_NONE,
		.span_at = SPEC_NONE,
	};
	const struct vmcfg_toml_value *root = vmcfg_toml_root(d->doc);

	if (machine_schema(d, root))
		return;
	d->guest_form = d->spec->guest_form = guest_form(root);
	decode_value(d, &file, root, NULL, d->spec);
}

bool vmcfg_spec_field_written(const struct spec_type *t, const struct vmcfg_toml_value *v, size_t i)
{
	if (vmcfg_toml_type(v) == VMCFG_TOML_ARRAY)
		return i < vmcfg_toml_count(v);
	const char *name = t->rec.fields[i].name;
	return vmcfg_toml_table_get(v, name, strlen(name)) != NULL;
}
