/* SPDX-License-Identifier: MIT */
/*
 * The JSON Schema of VM files and system files, written from the format
 * table (schema.c) so that editors validate exactly what the decoder reads:
 * draft-07 (tuples as items: [..]) or 2020-12 (prefixItems).
 */
#include "vmcfg/describe.h"
#include "vmcfg/json.h"
#include "names.h"
#include "schema.h"
#include "../base/libc.h"

struct out {
	const struct vmcfg_writer *w;
	enum vmcfg_schema_draft draft;
	unsigned level;
	bool first; /* no member written yet in the current object or array */
};

static void put(struct out *o, const char *s)
{
	vmcfg_json_write_raw(o->w, s);
}

static void newline(struct out *o)
{
	put(o, "\n");
	for (unsigned i = 0; i < o->level; i++)
		put(o, "  ");
}

/* Starts a member of the current object ("key": …) or an element (key NULL). */
static void member(struct out *o, const char *key)
{
	if (!o->first)
		put(o, ",");
	o->first = false;
	newline(o);
	if (key) {
		vmcfg_json_write_string(o->w, key, strlen(key));
		put(o, ": ");
	}
}

static void begin(struct out *o, const char *key, const char *bracket)
{
	member(o, key);
	put(o, bracket);
	o->level++;
	o->first = true;
}

static void end(struct out *o, const char *bracket)
{
	o->level--;
	if (!o->first)
		newline(o);
	put(o, bracket);
	o->first = false;
}

static void str_member(struct out *o, const char *key, const char *value)
{
	member(o, key);
	vmcfg_json_write_string(o->w, value, strlen(value));
}

static void u64_member(struct out *o, const char *key, uint64_t v)
{
	member(o, key);
	vmcfg_json_write_u64(o->w, v);
}

/* The description of a field: its meaning and, for named values, what they are. */
static void description(struct out *o, const struct spec_field *f)
{
	char buf[768];
	size_t n = vmcfg_snprintf(buf, sizeof buf, "%s", f->doc ? f->doc : "");
	const struct spec_type *t = f->type;
	if (t->kind == SPEC_U64 && t->u64.value_count) {
		for (size_t i = 0; i < t->u64.value_count && n < sizeof buf; i++)
			n += vmcfg_snprintf(buf + n, sizeof buf - n, "%s%#llx %s", i ? ", " : "; ",
					    (unsigned long long)t->u64.values[i].value,
					    t->u64.values[i].name);
	} else if (t->kind == SPEC_U64 && t->u64.check == vmcfg_spec_check_emu_type) {
		for (size_t i = 0; i < vmcfg_spec_emu_type_count && n < sizeof buf; i++)
			n += vmcfg_snprintf(buf + n, sizeof buf - n, "%s%#x %s", i ? ", " : "; ",
					    (unsigned)vmcfg_spec_emu_types[i].value,
					    vmcfg_spec_emu_types[i].name);
	}
	if (buf[0])
		str_member(o, "description", buf);
}

static void type_schema(struct out *o, const char *key, const struct spec_field *f);

static void integer(struct out *o, const struct spec_type *t)
{
	if (t->u64.check == vmcfg_spec_check_emu_type) {
		begin(o, "enum", "[");
		for (size_t i = 0; i < vmcfg_spec_emu_type_count; i++) {
			member(o, NULL);
			vmcfg_json_write_u64(o->w, vmcfg_spec_emu_types[i].value);
		}
		end(o, "]");
		return;
	}
	if (t->u64.value_count && !t->u64.bits) {
		begin(o, "enum", "[");
		for (size_t i = 0; i < t->u64.value_count; i++) {
			member(o, NULL);
			vmcfg_json_write_u64(o->w, t->u64.values[i].value);
		}
		end(o, "]");
		return;
	}
	uint64_t max = t->u64.max;
	if (t->u64.bits) {
		max = 0;
		for (size_t i = 0; i < t->u64.value_count; i++)
			max |= t->u64.values[i].value;
	}
	str_member(o, "type", "integer");
	u64_member(o, "minimum", t->u64.min);
	u64_member(o, "maximum", max);
}

static void string_choices(struct out *o, const char *const *choices, size_t n)
{
	begin(o, "enum", "[");
	for (size_t i = 0; i < n; i++)
		str_member(o, NULL, choices[i]);
	end(o, "]");
}

/* The members of an object schema: properties, required, no other keys. */
static void object(struct out *o, const struct spec_type *t)
{
	str_member(o, "type", "object");
	begin(o, "properties", "{");
	for (size_t i = 0; i < t->rec.count; i++)
		type_schema(o, t->rec.fields[i].name, &t->rec.fields[i]);
	end(o, "}");
	/*
	 * A key only the 0.8 form requires is optional here: one schema serves
	 * both forms (the descriptions say which), and `vmcfg check` tells.
	 */
	begin(o, "required", "[");
	for (size_t i = 0; i < t->rec.count; i++)
		if (t->rec.fields[i].required && !t->rec.fields[i].form_optional)
			str_member(o, NULL, t->rec.fields[i].name);
	end(o, "]");
	member(o, "additionalProperties");
	put(o, "false");
}

/* A record: a positional array (fields in order, the required ones first) or a table. */
static void record(struct out *o, const struct spec_type *t)
{
	begin(o, "oneOf", "[");
	begin(o, NULL, "{");
	str_member(o, "type", "array");
	begin(o, o->draft == VMCFG_SCHEMA_DRAFT_07 ? "items" : "prefixItems", "[");
	for (size_t i = 0; i < t->rec.count; i++)
		type_schema(o, NULL, &t->rec.fields[i]);
	end(o, "]");
	member(o, o->draft == VMCFG_SCHEMA_DRAFT_07 ? "additionalItems" : "items");
	put(o, "false");
	u64_member(o, "minItems", vmcfg_spec_record_min_fields(t));
	u64_member(o, "maxItems", t->rec.count);
	char buf[256];
	size_t n = vmcfg_snprintf(buf, sizeof buf, "%s, positional: [", t->what);
	for (size_t i = 0; i < t->rec.count; i++)
		n += vmcfg_snprintf(buf + n, n < sizeof buf ? sizeof buf - n : 0, "%s%s", i ? ", " : "",
				    t->rec.fields[i].name);
	vmcfg_snprintf(buf + n, n < sizeof buf ? sizeof buf - n : 0, "]");
	str_member(o, "description", buf);
	end(o, "}");
	begin(o, NULL, "{");
	object(o, t);
	vmcfg_snprintf(buf, sizeof buf, "%s, with named fields", t->what);
	str_member(o, "description", buf);
	end(o, "}");
	end(o, "]");
}

static void type_schema(struct out *o, const char *key, const struct spec_field *f)
{
	const struct spec_type *t = f->type;
	begin(o, key, "{");
	description(o, f);
	switch (t->kind) {
	case SPEC_U64:
		integer(o, t);
		break;
	case SPEC_STR:
		if (t->str.choices)
			string_choices(o, t->str.choices, t->str.choice_count);
		else
			str_member(o, "type", "string");
		break;
	case SPEC_IRQ_MODE:
		string_choices(o, vmcfg_spec_irq_mode_spellings, vmcfg_spec_irq_mode_spelling_count);
		break;
	case SPEC_BOOL:
		str_member(o, "type", "boolean");
		break;
	case SPEC_LIST:
		str_member(o, "type", "array");
		type_schema(o, "items", t->list.elem);
		break;
	case SPEC_RECORD:
		record(o, t);
		break;
	case SPEC_TABLE:
		if (t->rec.or_string) {
			begin(o, "oneOf", "[");
			begin(o, NULL, "{");
			str_member(o, "type", "string");
			str_member(o, "description", t->rec.or_string);
			end(o, "}");
			begin(o, NULL, "{");
			object(o, t);
			end(o, "}");
			end(o, "]");
		} else {
			object(o, t);
		}
		break;
	}
	end(o, "}");
}

/* The required keys of t that the guest_type form leaves optional. */
static void form_required(struct out *o, const struct spec_type *t)
{
	begin(o, "required", "[");
	for (size_t i = 0; i < t->rec.count; i++)
		if (t->rec.fields[i].required && t->rec.fields[i].form_optional)
			str_member(o, NULL, t->rec.fields[i].name);
	end(o, "]");
}

/*
 * The VM file's two forms: unless a key of the guest_type form is there
 * (if), the keys only the 0.8 form requires are required (else).
 */
static void form_conditions(struct out *o, const struct spec_type *file)
{
	begin(o, "if", "{");
	begin(o, "anyOf", "[");
	for (size_t i = 0; i < vmcfg_spec_guest_form_marker_count; i++) {
		const struct spec_form_marker *m = &vmcfg_spec_guest_form_markers[i];

		begin(o, NULL, "{");
		begin(o, "required", "[");
		str_member(o, NULL, m->table);
		end(o, "]");
		begin(o, "properties", "{");
		begin(o, m->table, "{");
		begin(o, "required", "[");
		str_member(o, NULL, m->key);
		end(o, "]");
		end(o, "}");
		end(o, "}");
		end(o, "}");
	}
	end(o, "]");
	end(o, "}");
	begin(o, "else", "{");
	form_required(o, file);
	begin(o, "properties", "{");
	for (size_t i = 0; i < file->rec.count; i++) {
		begin(o, file->rec.fields[i].name, "{");
		form_required(o, file->rec.fields[i].type);
		end(o, "}");
	}
	end(o, "}");
	end(o, "}");
}

int vmcfg_schema_emit_json(enum vmcfg_file_kind kind, enum vmcfg_schema_draft draft,
			   const struct vmcfg_writer *w)
{
	if (!w || (kind != VMCFG_FILE_VM && kind != VMCFG_FILE_SYSTEM) ||
	    (draft != VMCFG_SCHEMA_DRAFT_07 && draft != VMCFG_SCHEMA_2020_12))
		return VMCFG_EINVAL;
	bool vm = kind == VMCFG_FILE_VM;
	struct out o = { w, draft, 0, true };
	put(&o, "{");
	o.level = 1;
	str_member(&o, "$schema", draft == VMCFG_SCHEMA_DRAFT_07
					  ? "http://json-schema.org/draft-07/schema#"
					  : "https://json-schema.org/draft/2020-12/schema");
	str_member(&o, "$id", vm ? "https://vmcfg.invalid/schema/vm.json"
				 : "https://vmcfg.invalid/schema/system.json");
	str_member(&o, "title", vm ? "vmcfg VM file (AxVisor format)" : "vmcfg system file");
	str_member(&o, "description",
		   vm ? "One VM per file (docs/config-reference.md). Every record may be written as a "
			"positional array or as a table with named fields."
		      : "VMs that run together on one host: the VM files, the platform and the "
			"static IVC channels (docs/system-file.md).");
	object(&o, vm ? &vmcfg_spec_file_type : &vmcfg_spec_system_file_type);
	if (vm)
		form_conditions(&o, &vmcfg_spec_file_type);
	o.level = 0;
	put(&o, "\n}\n");
	return 0;
}
