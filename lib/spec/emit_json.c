/* SPDX-License-Identifier: MIT */
/*
 * JSON of a vm_spec: an object per table and per record with the fields'
 * TOML names (docs/json.md's vocabulary: the values the canonical TOML
 * writes in hex — addresses, sizes, flags, masks — as "0x…" strings,
 * other integers as numbers, map_type by its name), strings escaped, fields
 * and list elements that are not set left out. Tables and lists of records or lists span
 * lines (two-space indent); records and lists of scalars stay on one line.
 */
#include "writer.h"
#include "vmcfg/json.h"
#include "../base/libc.h"

static void emit_value(const struct vmcfg_writer *w, const struct spec_field *f, const void *base,
		       unsigned level);

static bool named(const struct spec_field *f, const char *name)
{
	size_t n = strlen(name);
	return f->name && strlen(f->name) == n && !memcmp(f->name, name, n);
}

static const void *member(const void *base, size_t offset)
{
	return (const char *)base + offset;
}

static void emit_object(const struct vmcfg_writer *w, const struct spec_type *t, const void *obj,
			unsigned level, bool multiline)
{
	bool first = true;
	vmcfg_spec_put(w, "{");
	for (size_t i = 0; i < t->rec.count; i++) {
		const struct spec_field *f = &t->rec.fields[i];
		if (!vmcfg_spec_field_present(f, obj))
			continue;
		vmcfg_spec_put(w, first ? "" : ",");
		if (multiline) {
			vmcfg_spec_put(w, "\n");
			vmcfg_spec_put_indent(w, level + 1);
		} else if (!first) {
			vmcfg_spec_put(w, " ");
		}
		vmcfg_spec_put_quoted_cstr(w, f->name);
		vmcfg_spec_put(w, ": ");
		emit_value(w, f, obj, level + 1);
		first = false;
	}
	if (multiline && !first) {
		vmcfg_spec_put(w, "\n");
		vmcfg_spec_put_indent(w, level);
	}
	vmcfg_spec_put(w, "}");
}

static void emit_list(const struct vmcfg_writer *w, const struct spec_field *f, const void *base,
		      unsigned level)
{
	const struct spec_field *elem = f->type->list.elem;
	size_t size = f->type->list.elem_size, count;
	const char *items = vmcfg_spec_list_items(f, base, &count);
	bool one_per_line = elem->type->kind == SPEC_RECORD || elem->type->kind == SPEC_LIST;

	bool first = true;

	vmcfg_spec_put(w, "[");
	for (size_t i = 0; i < count; i++) {
		if (!vmcfg_spec_field_present(elem, items + i * size))
			continue;
		vmcfg_spec_put(w, first ? "" : ",");
		if (one_per_line) {
			vmcfg_spec_put(w, "\n");
			vmcfg_spec_put_indent(w, level + 1);
		} else if (!first) {
			vmcfg_spec_put(w, " ");
		}
		emit_value(w, elem, items + i * size, level + 1);
		first = false;
	}
	if (one_per_line && !first) {
		vmcfg_spec_put(w, "\n");
		vmcfg_spec_put_indent(w, level);
	}
	vmcfg_spec_put(w, "]");
}

static void emit_value(const struct vmcfg_writer *w, const struct spec_field *f, const void *base,
		       unsigned level)
{
	const void *v = member(base, f->at);
	switch (f->type->kind) {
	case SPEC_U64: {
		uint64_t x = ((const struct vmcfg_spec_u64 *)v)->v;
		static const char *const map_types[] = { "MapAlloc", "MapIdentical", "MapReserved" };
		if (named(f, "map_type") && x < 3)
			vmcfg_spec_put_quoted_cstr(w, map_types[x]);
		else if (f->type->u64.radix == SPEC_HEX)
			vmcfg_json_write_hex(w, x);
		else
			vmcfg_json_write_uint(w, x);
		break;
	}
	case SPEC_STR:
		vmcfg_spec_put_quoted(w, ((const struct vmcfg_spec_str *)v)->s,
				((const struct vmcfg_spec_str *)v)->len);
		break;
	case SPEC_IRQ_MODE:
		vmcfg_spec_put_quoted_cstr(w, vmcfg_irq_mode_name(*(const enum vmcfg_irq_mode *)v));
		break;
	case SPEC_BOOL:
		vmcfg_spec_put(w, ((const struct vmcfg_spec_bool *)v)->v ? "true" : "false");
		break;
	case SPEC_LIST:
		emit_list(w, f, base, level);
		break;
	case SPEC_RECORD:
		emit_object(w, f->type, v, level, false);
		break;
	case SPEC_TABLE:
		emit_object(w, f->type, v, level, true);
		break;
	}
}

void vmcfg_vm_spec_emit_json(const struct vmcfg_vm_spec *spec, const struct vmcfg_writer *w)
{
	emit_object(w, &vmcfg_spec_file_type, spec, 0, true);
	vmcfg_spec_put(w, "\n");
}
