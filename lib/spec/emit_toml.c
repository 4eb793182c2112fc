/*
 * Canonical TOML of a vm_spec. The layout is fixed so that the same spec
 * always gives the same text:
 *   - the tables [base], [kernel], [devices] in that order, one blank line
 *     between them, keys in schema order (docs/config-reference.md);
 *   - keys and list elements that are not set are left out (a value that
 *     was invalid is never replaced by an invented one); interrupt_mode is
 *     always written;
 *   - addresses, sizes, flags, masks, emu_type and cfg_list values in hex
 *     with '_' every 4 digits; ids, counts, vm_type, map_type and irq_id in
 *     decimal (schema.c says which);
 *   - records in positional form, one per line in a multi-line array with a
 *     trailing comma; lists of numbers or strings on one line;
 *   - a record with an unset field before a set one (only possible when the
 *     file had errors) is written as an inline table of its set fields, so
 *     that re-reading reports it rather than inventing a value.
 */
#include "writer.h"

static void emit_value(const struct vmcfg_writer *w, const struct spec_field *f, const void *base);

static const void *member(const void *base, size_t offset)
{
	return (const char *)base + offset;
}

/* Positional when the set fields are a prefix that holds every required field. */
static bool fits_positional(const struct spec_type *t, const void *rec)
{
	bool gap = false;
	for (size_t i = 0; i < t->rec.count; i++) {
		bool present = spec_field_present(&t->rec.fields[i], rec);
		if ((present && gap) || (!present && t->rec.fields[i].required))
			return false;
		gap = gap || !present;
	}
	return true;
}

static void emit_record(const struct vmcfg_writer *w, const struct spec_type *t, const void *rec)
{
	bool positional = fits_positional(t, rec);
	bool first = true;

	spec_put(w, positional ? "[" : "{ ");
	for (size_t i = 0; i < t->rec.count; i++) {
		const struct spec_field *f = &t->rec.fields[i];
		if (!spec_field_present(f, rec))
			continue;
		spec_put(w, first ? "" : ", ");
		if (!positional) {
			spec_put(w, f->name);
			spec_put(w, " = ");
		}
		emit_value(w, f, rec);
		first = false;
	}
	spec_put(w, positional ? "]" : first ? "}" : " }");
}

static void emit_list(const struct vmcfg_writer *w, const struct spec_field *f, const void *base)
{
	const struct spec_field *elem = f->type->list.elem;
	size_t size = f->type->list.elem_size, count;
	const char *items = spec_list_items(f, base, &count);
	bool one_per_line = elem->type->kind == SPEC_RECORD || elem->type->kind == SPEC_LIST;

	bool first = true;

	spec_put(w, "[");
	for (size_t i = 0; i < count; i++) {
		if (!spec_field_present(elem, items + i * size))
			continue; /* an invalid element: leave it out rather than invent one */
		spec_put(w, one_per_line ? "\n  " : first ? "" : ", ");
		emit_value(w, elem, items + i * size);
		if (one_per_line)
			spec_put(w, ",");
		first = false;
	}
	spec_put(w, one_per_line && !first ? "\n]" : "]");
}

static void emit_value(const struct vmcfg_writer *w, const struct spec_field *f, const void *base)
{
	const void *v = member(base, f->at);
	switch (f->type->kind) {
	case SPEC_U64:
		spec_put_u64(w, ((const struct spec_u64 *)v)->v, f->type->u64.radix);
		break;
	case SPEC_STR:
		spec_put_quoted(w, ((const struct spec_str *)v)->s,
				((const struct spec_str *)v)->len);
		break;
	case SPEC_IRQ_MODE:
		spec_put_quoted_cstr(w, vmcfg_irq_mode_name(*(const enum vmcfg_irq_mode *)v));
		break;
	case SPEC_LIST:
		emit_list(w, f, base);
		break;
	case SPEC_RECORD:
		emit_record(w, f->type, v);
		break;
	case SPEC_TABLE: /* tables are only at the top (vm_spec_emit_toml) */
		break;
	}
}

void vm_spec_emit_toml(const struct vm_spec *spec, const struct vmcfg_writer *w)
{
	const struct spec_type *file = &spec_file_type;
	for (size_t i = 0; i < file->rec.count; i++) {
		const struct spec_field *table = &file->rec.fields[i];
		spec_put(w, i ? "\n[" : "[");
		spec_put(w, table->name);
		spec_put(w, "]\n");
		for (size_t j = 0; j < table->type->rec.count; j++) {
			const struct spec_field *f = &table->type->rec.fields[j];
			if (!spec_field_present(f, member(spec, table->at)))
				continue;
			spec_put(w, f->name);
			spec_put(w, " = ");
			emit_value(w, f, member(spec, table->at));
			spec_put(w, "\n");
		}
	}
}
