/* SPDX-License-Identifier: MIT */
/*
 * Keys described for editors (hover, completion) from the format table
 * the decoder reads (schema.c): a key path is resolved through tables,
 * lists and records to its field.
 */
#include "vmcfg/describe.h"
#include "names.h"
#include "schema.h"
#include "../base/libc.h"

static const struct spec_type *root_type(enum vmcfg_file_kind kind)
{
	switch (kind) {
	case VMCFG_FILE_VM:
		return &vmcfg_spec_file_type;
	case VMCFG_FILE_SYSTEM:
		return &vmcfg_spec_system_file_type;
	}
	return NULL;
}

/* The element type under any number of list levels. */
static const struct spec_type *unlist(const struct spec_type *t)
{
	while (t && t->kind == SPEC_LIST)
		t = t->list.elem->type;
	return t;
}

/*
 * The field path[0..depth) names, or NULL. A position steps into a list
 * (the element) or a positional record (its field); a name into a table or
 * record, through lists. *type_out is the type at the end (the root's for
 * depth 0, with a NULL result).
 */
static const struct spec_field *resolve(enum vmcfg_file_kind kind, const struct vmcfg_key_step *path,
					size_t depth, const struct spec_type **type_out)
{
	const struct spec_type *t = root_type(kind);
	const struct spec_field *f = NULL;
	for (size_t i = 0; t && i < depth; i++) {
		const struct vmcfg_key_step *s = &path[i];
		if (!s->name) {
			if (t->kind == SPEC_LIST) {
				t = t->list.elem->type;
				continue;
			}
			if (t->kind != SPEC_RECORD || s->index >= t->rec.count)
				return NULL;
			f = &t->rec.fields[s->index];
			t = f->type;
			continue;
		}
		t = unlist(t);
		if (!t || (t->kind != SPEC_RECORD && t->kind != SPEC_TABLE))
			return NULL;
		f = NULL;
		for (size_t k = 0; k < t->rec.count && !f; k++)
			if (strlen(t->rec.fields[k].name) == s->len &&
			    !memcmp(t->rec.fields[k].name, s->name, s->len))
				f = &t->rec.fields[k];
		if (!f)
			return NULL;
		t = f->type;
	}
	if (type_out)
		*type_out = t;
	return f;
}

struct text {
	char *buf;
	size_t size, len;
};

__attribute__((format(printf, 2, 3))) static void add(struct text *x, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	x->len += vmcfg_vsnprintf(x->buf ? x->buf + (x->len < x->size ? x->len : x->size) : NULL,
				  x->len < x->size ? x->size - x->len : 0, fmt, ap);
	va_end(ap);
}

static void type_text(struct text *x, const struct spec_type *t)
{
	char lo[VMCFG_FMT_BUF], hi[VMCFG_FMT_BUF];
	switch (t->kind) {
	case SPEC_U64:
		if (t->u64.check == vmcfg_spec_check_emu_type || (t->u64.value_count && !t->u64.bits)) {
			add(x, "integer, one of the values below");
		} else if (t->u64.bits) {
			add(x, "integer, an OR of the flag bits below");
		} else {
			vmcfg_snprintf(lo, sizeof lo, "%llu", (unsigned long long)t->u64.min);
			if (t->u64.radix == SPEC_HEX)
				vmcfg_fmt_hex(hi, t->u64.max);
			else
				vmcfg_snprintf(hi, sizeof hi, "%llu", (unsigned long long)t->u64.max);
			add(x, "integer %s..%s", lo, hi);
		}
		break;
	case SPEC_STR:
		add(x, t->str.choices ? "string, one of the values below" : "string");
		break;
	case SPEC_IRQ_MODE:
		add(x, "string, one of the values below");
		break;
	case SPEC_BOOL:
		add(x, "boolean");
		break;
	case SPEC_LIST:
		add(x, "array of ");
		type_text(x, t->list.elem->type);
		break;
	case SPEC_RECORD:
		add(x, "%s: [", t->what);
		for (size_t i = 0; i < t->rec.count; i++)
			add(x, "%s%s", i ? ", " : "", t->rec.fields[i].name);
		add(x, "] or a table with these keys");
		break;
	case SPEC_TABLE:
		add(x, "table%s", t->rec.or_string ? " (or a string)" : "");
		break;
	}
}

/* Calls fn for each valid value of t; returns how many. */
static size_t values(const struct spec_type *t, vmcfg_complete_fn fn, void *ud)
{
	char label[96], insert[VMCFG_FMT_BUF + 2];
	size_t n = 0;
	if (t->kind == SPEC_U64 && t->u64.check == vmcfg_spec_check_emu_type) {
		for (size_t i = 0; i < vmcfg_spec_emu_type_count; i++, n++) {
			const struct vmcfg_spec_emu_type_info *e = &vmcfg_spec_emu_types[i];
			vmcfg_snprintf(insert, sizeof insert, "0x%02x", (unsigned)e->value);
			char detail[64];
			if (e->cfg_arity >= 0)
				vmcfg_snprintf(detail, sizeof detail, "cfg_list: %d value%s", e->cfg_arity,
					       e->cfg_arity == 1 ? "" : "s");
			else
				vmcfg_snprintf(detail, sizeof detail, "cfg_list: any length");
			fn(ud, e->name, insert, detail);
		}
	} else if (t->kind == SPEC_U64 && t->u64.value_count) {
		for (size_t i = 0; i < t->u64.value_count; i++, n++) {
			const struct spec_value *v = &t->u64.values[i];
			if (t->u64.radix == SPEC_HEX)
				vmcfg_snprintf(insert, sizeof insert, "%#llx", (unsigned long long)v->value);
			else
				vmcfg_snprintf(insert, sizeof insert, "%llu", (unsigned long long)v->value);
			vmcfg_snprintf(label, sizeof label, "%s", v->name);
			fn(ud, label, insert, v->meaning ? v->meaning : v->name);
		}
	} else if (t->kind == SPEC_STR && t->str.choices) {
		for (size_t i = 0; i < t->str.choice_count; i++, n++) {
			vmcfg_snprintf(label, sizeof label, "\"%s\"", t->str.choices[i]);
			fn(ud, t->str.choices[i], label, "");
		}
	} else if (t->kind == SPEC_IRQ_MODE) {
		for (size_t i = 0; i < vmcfg_spec_irq_mode_spelling_count; i++, n++) {
			const char *s = vmcfg_spec_irq_mode_spellings[i];
			enum vmcfg_irq_mode m = VMCFG_IRQ_NONE;
			vmcfg_spec_irq_mode_parse(s, strlen(s), &m);
			const char *canonical = vmcfg_irq_mode_name(m);
			vmcfg_snprintf(label, sizeof label, "\"%s\"", s);
			fn(ud, s, label,
			   strlen(s) != strlen(canonical) || memcmp(s, canonical, strlen(s)) ? canonical : "");
		}
	} else if (t->kind == SPEC_BOOL) {
		fn(ud, "true", "true", "");
		fn(ud, "false", "false", "");
		n = 2;
	}
	return n;
}

static void value_line(void *ud, const char *label, const char *insert, const char *detail)
{
	struct text *x = ud;
	bool named = insert[0] != '"'; /* numbers carry a name; strings are their own */
	add(x, "\n- `%s`%s%s%s%s", insert, named ? " " : "", named ? label : "", detail[0] ? " — " : "",
	    detail);
}

size_t vmcfg_key_describe(enum vmcfg_file_kind kind, const struct vmcfg_key_step *path,
			  size_t depth, char *buf, size_t size)
{
	const struct spec_type *t = NULL;
	const struct spec_field *f = depth ? resolve(kind, path, depth, &t) : NULL;
	if (!f || !t)
		return 0;
	struct text x = { buf, size, 0 };
	if (buf && size)
		buf[0] = '\0';
	add(&x, "**`");
	for (size_t i = 0; i < depth; i++) {
		if (path[i].name)
			add(&x, "%s%.*s", i ? "." : "", (int)path[i].len, path[i].name);
		else
			add(&x, "[%zu]", path[i].index);
	}
	add(&x, "`** — %s%s\n\n", f->required ? "required" : "optional",
	    kind == VMCFG_FILE_SYSTEM ? ", system file" : "");
	if (f->doc)
		add(&x, "%s\n\n", f->doc);
	add(&x, "Type: ");
	type_text(&x, t);
	const struct spec_type *e = unlist(t);
	if (e && e->kind != SPEC_RECORD && e->kind != SPEC_TABLE)
		values(e, value_line, &x);
	if (t->kind == SPEC_U64 && t->u64.check == vmcfg_spec_check_emu_type)
		add(&x, "\n\nSee docs/config-reference.md.");
	add(&x, "\n");
	return x.len;
}

size_t vmcfg_key_complete_names(enum vmcfg_file_kind kind, const struct vmcfg_key_step *path,
				size_t depth, vmcfg_complete_fn fn, void *ud)
{
	const struct spec_type *t = NULL;
	if (!fn || (!resolve(kind, path, depth, &t) && depth))
		return 0;
	t = unlist(t);
	if (!t || (t->kind != SPEC_RECORD && t->kind != SPEC_TABLE))
		return 0;
	for (size_t i = 0; i < t->rec.count; i++)
		fn(ud, t->rec.fields[i].name, t->rec.fields[i].name,
		   t->rec.fields[i].doc ? t->rec.fields[i].doc : "");
	return t->rec.count;
}

size_t vmcfg_key_complete_values(enum vmcfg_file_kind kind, const struct vmcfg_key_step *path,
				 size_t depth, vmcfg_complete_fn fn, void *ud)
{
	const struct spec_type *t = NULL;
	if (!fn || !depth || !resolve(kind, path, depth, &t) || !t)
		return 0;
	t = unlist(t);
	return t ? values(t, fn, ud) : 0;
}
