/* SPDX-License-Identifier: MIT */
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
 * With the source text (vmcfg_vm_spec_emit_toml_commented) the user's comments
 * are written too, where comments.h places them.
 *
 * One walk over the spec (emit_file) serves three passes so that the lines
 * are numbered the same way in each: it counts the output lines, then
 * notes the source span of each, and finally writes the text with the
 * comments the plan gives each line.
 */
#include "comments.h"
#include "writer.h"

static size_t emit_value(struct spec_emitter *e, const struct spec_field *f, const void *base,
			 size_t line);

static const void *member(const void *base, size_t offset)
{
	return (const char *)base + offset;
}

/* Where field f of the struct at base was written, or NULL when it keeps no span. */
static const struct vmcfg_span *field_span(const struct spec_field *f, const void *base)
{
	if (f->type->kind == SPEC_U64)
		return &((const struct vmcfg_spec_u64 *)member(base, f->at))->span;
	if (f->type->kind == SPEC_STR)
		return &((const struct vmcfg_spec_str *)member(base, f->at))->span;
	return f->span_at == SPEC_NONE ? NULL : member(base, f->span_at);
}

/* An element the decoder added for the guest_type form: never written back. */
static bool implied_element(const struct spec_field *elem, const void *item)
{
	return elem->has_implied && *(const bool *)member(item, elem->implied_at);
}

/*
 * A key the decoder filled in for the guest_type form (its value has no
 * place in the file), or a list of nothing but implied elements that the
 * file did not have: left out, so that the file keeps its form.
 */
static bool implied_field(const struct vmcfg_vm_spec *spec, const struct spec_field *f,
			  const void *base)
{
	const struct vmcfg_span *span = field_span(f, base);

	return spec->guest_form && span && span->line == 0;
}

/* Lists of records or of lists are written one element per line. */
static bool is_block_list(const struct spec_field *f)
{
	if (f->type->kind != SPEC_LIST)
		return false;
	enum spec_kind k = f->type->list.elem->type->kind;
	return k == SPEC_RECORD || k == SPEC_LIST;
}

/* Positional when the set fields are a prefix that holds every required field. */
static bool fits_positional(const struct spec_type *t, const void *rec)
{
	bool gap = false;
	if (t->rec.named)
		return false;
	for (size_t i = 0; i < t->rec.count; i++) {
		bool present = vmcfg_spec_field_present(&t->rec.fields[i], rec);
		if ((present && gap) || (!present && t->rec.fields[i].required))
			return false;
		gap = gap || !present;
	}
	return true;
}

static void emit_record(struct spec_emitter *e, const struct spec_type *t, const void *rec, size_t line)
{
	const struct vmcfg_writer *w = e->w;
	bool positional = fits_positional(t, rec);
	bool first = true;

	vmcfg_spec_put(w, positional ? "[" : "{ ");
	for (size_t i = 0; i < t->rec.count; i++) {
		const struct spec_field *f = &t->rec.fields[i];
		if (!vmcfg_spec_field_present(f, rec))
			continue;
		vmcfg_spec_put(w, first ? "" : ", ");
		if (!positional) {
			vmcfg_spec_put(w, f->name);
			vmcfg_spec_put(w, " = ");
		}
		emit_value(e, f, rec, line);
		first = false;
	}
	vmcfg_spec_put(w, positional ? "]" : first ? "}" : " }");
}

/* A list of numbers or strings, on one line. */
static void emit_inline_list(struct spec_emitter *e, const struct spec_field *f, const void *base,
			     size_t line)
{
	const struct spec_field *elem = f->type->list.elem;
	size_t size = f->type->list.elem_size, count;
	const char *items = vmcfg_spec_list_items(f, base, &count);
	bool first = true;

	vmcfg_spec_put(e->w, "[");
	for (size_t i = 0; i < count; i++) {
		if (!vmcfg_spec_field_present(elem, items + i * size))
			continue; /* an invalid element: leave it out rather than invent one */
		vmcfg_spec_put(e->w, first ? "" : ", ");
		emit_value(e, elem, items + i * size, line);
		first = false;
	}
	vmcfg_spec_put(e->w, "]");
}

/*
 * A list of records or lists: one element per line with a trailing comma,
 * comments above and after each element and above the ']'. Opens on the
 * key's line (open); returns the line of the ']'. An empty list is "[]"
 * unless comments need lines inside it (a commented-out element).
 */
static size_t emit_block_list(struct spec_emitter *e, const struct spec_field *f, const void *base,
			      size_t open)
{
	const struct spec_field *elem = f->type->list.elem;
	size_t size = f->type->list.elem_size, count;
	const char *items = vmcfg_spec_list_items(f, base, &count);
	size_t close = vmcfg_spec_note_line(e, field_span(f, base), SPEC_LINE_CLOSING);
	bool lines = vmcfg_spec_has_comments(e, open, true) || vmcfg_spec_has_comments(e, close, false);

	for (size_t i = 0; i < count && !lines; i++)
		lines = vmcfg_spec_field_present(elem, items + i * size) &&
			!implied_element(elem, items + i * size);
	vmcfg_spec_put(e->w, "[");
	if (!lines) {
		vmcfg_spec_put(e->w, "]");
		return close;
	}
	vmcfg_spec_put_trailing(e, open);
	for (size_t i = 0; i < count; i++) {
		const char *item = items + i * size;
		if (!vmcfg_spec_field_present(elem, item) || implied_element(elem, item))
			continue; /* an invalid element: leave it out rather than invent one */
		size_t line = vmcfg_spec_note_line(e, field_span(elem, item), SPEC_LINE_WHOLE);
		vmcfg_spec_put(e->w, "\n");
		vmcfg_spec_put_leading(e, line, 1);
		vmcfg_spec_put_indent(e->w, 1);
		emit_value(e, elem, item, line);
		vmcfg_spec_put(e->w, ",");
		vmcfg_spec_put_trailing(e, line);
	}
	vmcfg_spec_put(e->w, "\n");
	vmcfg_spec_put_leading(e, close, 1);
	vmcfg_spec_put(e->w, "]");
	return close;
}

/* Writes the value of f on output line line; returns the line it ends on. */
static size_t emit_value(struct spec_emitter *e, const struct spec_field *f, const void *base,
			 size_t line)
{
	const void *v = member(base, f->at);
	switch (f->type->kind) {
	case SPEC_U64:
		vmcfg_spec_put_u64(e->w, ((const struct vmcfg_spec_u64 *)v)->v, f->type->u64.radix);
		break;
	case SPEC_STR:
		vmcfg_spec_put_quoted(e->w, ((const struct vmcfg_spec_str *)v)->s,
				((const struct vmcfg_spec_str *)v)->len);
		break;
	case SPEC_IRQ_MODE:
		vmcfg_spec_put_quoted_cstr(e->w, vmcfg_irq_mode_name(*(const enum vmcfg_irq_mode *)v));
		break;
	case SPEC_BOOL:
		vmcfg_spec_put(e->w, ((const struct vmcfg_spec_bool *)v)->v ? "true" : "false");
		break;
	case SPEC_LIST:
		if (is_block_list(f))
			return emit_block_list(e, f, base, line);
		emit_inline_list(e, f, base, line);
		break;
	case SPEC_RECORD:
		emit_record(e, f->type, v, line);
		break;
	case SPEC_TABLE: /* tables are only at the top (emit_file) */
		break;
	}
	return line;
}

static void emit_file(struct spec_emitter *e, const struct vmcfg_vm_spec *spec)
{
	const struct spec_type *file = &vmcfg_spec_file_type;
	vmcfg_spec_put_leading(e, SPEC_COMMENT_HEAD, 0);
	for (size_t i = 0; i < file->rec.count; i++) {
		const struct spec_field *table = &file->rec.fields[i];
		const void *base = member(spec, table->at);
		if (implied_field(spec, table, spec))
			continue; /* [devices] left out of a guest_type form file */
		size_t line = vmcfg_spec_note_line(e, field_span(table, spec), SPEC_LINE_WHOLE);
		if (i)
			vmcfg_spec_put(e->w, "\n");
		vmcfg_spec_put_leading(e, line, 0);
		vmcfg_spec_put(e->w, "[");
		vmcfg_spec_put(e->w, table->name);
		vmcfg_spec_put(e->w, "]");
		vmcfg_spec_put_trailing(e, line);
		vmcfg_spec_put(e->w, "\n");
		for (size_t j = 0; j < table->type->rec.count; j++) {
			const struct spec_field *f = &table->type->rec.fields[j];
			if (!vmcfg_spec_field_present(f, base) || implied_field(spec, f, base))
				continue;
			line = vmcfg_spec_note_line(e, field_span(f, base),
					 is_block_list(f) ? SPEC_LINE_OPENING : SPEC_LINE_WHOLE);
			vmcfg_spec_put_leading(e, line, 0);
			vmcfg_spec_put(e->w, f->name);
			vmcfg_spec_put(e->w, " = ");
			vmcfg_spec_put_trailing(e, emit_value(e, f, base, line));
			vmcfg_spec_put(e->w, "\n");
		}
	}
	vmcfg_spec_put_leading(e, SPEC_COMMENT_TAIL, 0);
}

void vmcfg_vm_spec_emit_toml(const struct vmcfg_vm_spec *spec, const struct vmcfg_writer *w)
{
	struct spec_emitter e = { .w = w };
	emit_file(&e, spec);
}

static void walk_file(struct spec_emitter *e, void *spec)
{
	emit_file(e, spec);
}

int vmcfg_vm_spec_emit_toml_commented(const struct vmcfg_vm_spec *spec, const char *text, size_t len,
				const struct vmcfg_allocator *alloc, const struct vmcfg_writer *w)
{
	if (!spec || !w || !alloc || (!text && len))
		return VMCFG_EINVAL;
	return vmcfg_spec_emit_commented(walk_file, (void *)spec, text, len, alloc, w);
}
