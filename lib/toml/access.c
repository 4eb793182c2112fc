/* The read-only view of a parsed document (the public accessors of toml.h). */
#include "internal.h"

const struct toml_value *toml_root(const struct toml_doc *doc)
{
	return doc ? &doc->root : NULL;
}

enum toml_type toml_type(const struct toml_value *v)
{
	return v ? (enum toml_type)v->type : (enum toml_type)0;
}

const char *toml_type_name(enum toml_type t)
{
	switch (t) {
	case TOML_TABLE: return "table";
	case TOML_ARRAY: return "array";
	case TOML_STRING: return "string";
	case TOML_INTEGER: return "integer";
	case TOML_FLOAT: return "float";
	case TOML_BOOL: return "boolean";
	case TOML_DATETIME: return "offset date-time";
	case TOML_DATETIME_LOCAL: return "local date-time";
	case TOML_DATE_LOCAL: return "local date";
	case TOML_TIME_LOCAL: return "local time";
	}
	return "unknown";
}

struct vmcfg_span toml_value_span(const struct toml_doc *doc, const struct toml_value *v)
{
	struct vmcfg_span none = { 0, 0, 0, 0 };
	if (!doc || !v)
		return none;
	return tp_lines_span(&doc->lines, v->off, v->len);
}

enum toml_table_kind toml_table_kind(const struct toml_value *v)
{
	return v && v->type == TOML_TABLE ? (enum toml_table_kind)v->as.tab->kind
					  : (enum toml_table_kind)0;
}

size_t toml_count(const struct toml_value *v)
{
	if (v && v->type == TOML_TABLE)
		return v->as.tab->count;
	if (v && v->type == TOML_ARRAY)
		return v->n;
	return 0;
}

const struct toml_value *toml_table_get(const struct toml_value *tab, const char *key, size_t len)
{
	if (!tab || tab->type != TOML_TABLE || (!key && len))
		return NULL;
	if (!key)
		key = "";
	const struct toml_entry *e = tp_table_find(tab->as.tab, key, len, tp_key_hash(key, len));
	return e ? &e->val : NULL;
}

const struct toml_value *toml_table_at(const struct toml_doc *doc, const struct toml_value *tab,
				       size_t i, struct toml_key *key)
{
	if (!tab || tab->type != TOML_TABLE || i >= tab->as.tab->count)
		return NULL;
	const struct toml_entry *e = &tab->as.tab->entries[i];
	if (key) {
		struct vmcfg_span none = { e->key_off, e->key_span_len, 0, 0 };
		key->name = e->key;
		key->len = e->key_len;
		key->span = doc ? tp_lines_span(&doc->lines, e->key_off, e->key_span_len) : none;
	}
	return &e->val;
}

const struct toml_value *toml_array_at(const struct toml_value *arr, size_t i)
{
	if (!arr || arr->type != TOML_ARRAY || i >= arr->n)
		return NULL;
	return &arr->as.items[i];
}

bool toml_array_is_aot(const struct toml_value *arr)
{
	return arr && arr->type == TOML_ARRAY && (arr->flags & VALUE_AOT);
}

int toml_get_string(const struct toml_value *v, const char **s, size_t *len)
{
	if (!v || v->type != TOML_STRING)
		return VMCFG_ETYPE;
	if (s)
		*s = v->as.s;
	if (len)
		*len = v->n;
	return 0;
}

int toml_get_int(const struct toml_value *v, int64_t *out)
{
	if (!v || v->type != TOML_INTEGER)
		return VMCFG_ETYPE;
	if (v->flags & VALUE_U64)
		return VMCFG_ERANGE;
	*out = v->as.i;
	return 0;
}

int toml_get_u64(const struct toml_value *v, uint64_t *out)
{
	if (!v || v->type != TOML_INTEGER)
		return VMCFG_ETYPE;
	if (!(v->flags & VALUE_U64) && v->as.i < 0)
		return VMCFG_ERANGE;
	*out = v->as.u;
	return 0;
}

int toml_get_bool(const struct toml_value *v, bool *out)
{
	if (!v || v->type != TOML_BOOL)
		return VMCFG_ETYPE;
	*out = v->as.b;
	return 0;
}

int toml_get_float_text(const struct toml_value *v, const char **s, size_t *len)
{
	if (!v || v->type != TOML_FLOAT)
		return VMCFG_ETYPE;
	if (s)
		*s = v->as.s;
	if (len)
		*len = v->n;
	return 0;
}

int toml_get_datetime(const struct toml_value *v, struct toml_datetime *out)
{
	if (!v || v->type < TOML_DATETIME || v->type > TOML_TIME_LOCAL)
		return VMCFG_ETYPE;
	memset(out, 0, sizeof *out);
	out->has_date = v->type != TOML_TIME_LOCAL;
	out->has_time = v->type != TOML_DATE_LOCAL;
	out->has_offset = v->type == TOML_DATETIME;
	out->year = v->as.dt.year;
	out->month = v->as.dt.month;
	out->day = v->as.dt.day;
	out->hour = v->as.dt.hour;
	out->minute = v->as.dt.minute;
	out->second = v->as.dt.second;
	out->nanosecond = v->n;
	out->frac_digits = v->as.dt.frac_digits;
	out->offset_minutes = v->offset_minutes;
	out->offset_z = v->flags & VALUE_OFFSET_Z;
	return 0;
}
