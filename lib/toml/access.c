/* SPDX-License-Identifier: MIT */
/* The read-only view of a parsed document (the public accessors of toml.h). */
#include "internal.h"

const struct vmcfg_toml_value *vmcfg_toml_root(const struct vmcfg_toml_doc *doc)
{
	return doc ? &doc->root : NULL;
}

enum vmcfg_toml_type vmcfg_toml_type(const struct vmcfg_toml_value *v)
{
	return v ? (enum vmcfg_toml_type)v->type : (enum vmcfg_toml_type)0;
}

const char *vmcfg_toml_type_name(enum vmcfg_toml_type t)
{
	switch (t) {
	case VMCFG_TOML_TABLE: return "table";
	case VMCFG_TOML_ARRAY: return "array";
	case VMCFG_TOML_STRING: return "string";
	case VMCFG_TOML_INTEGER: return "integer";
	case VMCFG_TOML_FLOAT: return "float";
	case VMCFG_TOML_BOOL: return "boolean";
	case VMCFG_TOML_DATETIME: return "offset date-time";
	case VMCFG_TOML_DATETIME_LOCAL: return "local date-time";
	case VMCFG_TOML_DATE_LOCAL: return "local date";
	case VMCFG_TOML_TIME_LOCAL: return "local time";
	}
	return "unknown";
}

struct vmcfg_span vmcfg_toml_value_span(const struct vmcfg_toml_doc *doc, const struct vmcfg_toml_value *v)
{
	struct vmcfg_span none = { 0, 0, 0, 0 };
	if (!doc || !v)
		return none;
	uint32_t len = v->len;
	if (len == LEN_LONG) {
		const struct long_span *ls = doc->long_spans.data;
		size_t n = doc->long_spans.len / sizeof *ls;
		for (size_t i = 0; i < n; i++) {
			if (ls[i].off == v->off) {
				len = ls[i].len;
				break;
			}
		}
	}
	return vmcfg_tp_lines_span(&doc->lines, v->off, len);
}

enum vmcfg_toml_table_kind vmcfg_toml_table_kind(const struct vmcfg_toml_value *v)
{
	return v && v->type == VMCFG_TOML_TABLE ? (enum vmcfg_toml_table_kind)v->as.tab->kind
					  : (enum vmcfg_toml_table_kind)0;
}

size_t vmcfg_toml_count(const struct vmcfg_toml_value *v)
{
	if (v && v->type == VMCFG_TOML_TABLE)
		return v->as.tab->count;
	if (v && v->type == VMCFG_TOML_ARRAY)
		return array_count(v);
	return 0;
}

const struct vmcfg_toml_value *vmcfg_toml_table_get(const struct vmcfg_toml_value *tab, const char *key, size_t len)
{
	if (!tab || tab->type != VMCFG_TOML_TABLE || (!key && len))
		return NULL;
	if (!key)
		key = "";
	const struct toml_entry *e = vmcfg_tp_table_find(tab->as.tab, key, len, vmcfg_tp_key_hash(key, len));
	return e ? &e->val : NULL;
}

const struct vmcfg_toml_value *vmcfg_toml_table_at(const struct vmcfg_toml_doc *doc, const struct vmcfg_toml_value *tab,
				       size_t i, struct vmcfg_toml_key *key)
{
	if (!tab || tab->type != VMCFG_TOML_TABLE || i >= tab->as.tab->count)
		return NULL;
	const struct toml_entry *e = &tab->as.tab->entries[i];
	if (key) {
		const struct toml_key *k = key_at(tab->as.tab->keys, e->key);
		struct vmcfg_span none = { e->key_off, k->span_len, 0, 0 };
		key->name = k->name;
		key->len = k->len;
		key->span = doc ? vmcfg_tp_lines_span(&doc->lines, e->key_off, k->span_len) : none;
	}
	return &e->val;
}

const struct vmcfg_toml_value *vmcfg_toml_array_at(const struct vmcfg_toml_value *arr, size_t i)
{
	if (!arr || arr->type != VMCFG_TOML_ARRAY || i >= array_count(arr))
		return NULL;
	return &arr->as.items[i];
}

bool vmcfg_toml_array_is_aot(const struct vmcfg_toml_value *arr)
{
	return arr && arr->type == VMCFG_TOML_ARRAY && (arr->flags & VALUE_AOT);
}

int vmcfg_toml_get_string(const struct vmcfg_toml_value *v, const char **s, size_t *len)
{
	if (!v || v->type != VMCFG_TOML_STRING)
		return VMCFG_ETYPE;
	if (s)
		*s = v->as.s;
	if (len)
		*len = value_str_len(v);
	return 0;
}

int vmcfg_toml_get_int(const struct vmcfg_toml_value *v, int64_t *out)
{
	if (!v || v->type != VMCFG_TOML_INTEGER)
		return VMCFG_ETYPE;
	if (v->flags & VALUE_U64)
		return VMCFG_ERANGE;
	*out = v->as.i;
	return 0;
}

int vmcfg_toml_get_u64(const struct vmcfg_toml_value *v, uint64_t *out)
{
	if (!v || v->type != VMCFG_TOML_INTEGER)
		return VMCFG_ETYPE;
	if (!(v->flags & VALUE_U64) && v->as.i < 0)
		return VMCFG_ERANGE;
	*out = v->as.u;
	return 0;
}

int vmcfg_toml_get_bool(const struct vmcfg_toml_value *v, bool *out)
{
	if (!v || v->type != VMCFG_TOML_BOOL)
		return VMCFG_ETYPE;
	*out = v->as.b;
	return 0;
}

int vmcfg_toml_get_float_text(const struct vmcfg_toml_value *v, const char **s, size_t *len)
{
	if (!v || v->type != VMCFG_TOML_FLOAT)
		return VMCFG_ETYPE;
	if (s)
		*s = v->as.s;
	if (len)
		*len = str_len(v->as.s);
	return 0;
}

int vmcfg_toml_get_datetime(const struct vmcfg_toml_value *v, struct vmcfg_toml_datetime *out)
{
	if (!v || v->type < VMCFG_TOML_DATETIME || v->type > VMCFG_TOML_TIME_LOCAL)
		return VMCFG_ETYPE;
	memset(out, 0, sizeof *out);
	out->has_date = v->type != VMCFG_TOML_TIME_LOCAL;
	out->has_time = v->type != VMCFG_TOML_DATE_LOCAL;
	out->has_offset = v->type == VMCFG_TOML_DATETIME;
	const struct toml_datetime *dt = v->as.dt;
	out->year = dt->year;
	out->month = dt->month;
	out->day = dt->day;
	out->hour = dt->hour;
	out->minute = dt->minute;
	out->second = dt->second;
	out->nanosecond = dt->nanosecond;
	out->frac_digits = dt->frac_digits;
	out->offset_minutes = dt->offset_minutes;
	out->offset_z = v->flags & VALUE_OFFSET_Z;
	return 0;
}
