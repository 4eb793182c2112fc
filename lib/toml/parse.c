/* SPDX-License-Identifier: MIT */
/*
 * The TOML grammar and the document's lifetime. A document is a sequence
 * of lines, each blank, a [table] or [[array of tables]] header, or a
 * key = value pair. Nested values (arrays, inline tables) are parsed with
 * an explicit stack instead of recursion, so the nesting limit, not the C
 * stack, bounds the depth.
 *
 * Redefinition rules (TOML 1.0), expressed with the kinds of tables:
 * - [a.b] defines b, which then cannot be defined again; neither can a
 *   table made by dotted keys or an inline table. The tables it passes
 *   through (a) are IMPLICIT until a header of their own defines them.
 * - a.b.c = 1 creates DOTTED tables a and b. Dotted keys may go through
 *   DOTTED and IMPLICIT tables (which then count as DOTTED, so no header
 *   can define them later), never through a table a header defined.
 * - Headers pass through any table but an inline one, and through an
 *   array of tables into its last element, never through a static array.
 * - Inline tables and static arrays are complete when they close.
 */
#include "internal.h"

/* An array or inline table whose closing bracket is still to come. */
struct frame {
	struct toml_table *tab;  /* the inline table; NULL for an array */
	struct vmcfg_toml_value *slot; /* inline table: the entry awaiting its value */
	uint32_t open;           /* offset of the '[' or '{' */
	uint32_t base;           /* array: index of its first element in p->values */
	uint32_t depth;          /* the container's own depth */
	uint32_t next_depth;     /* depth of the value being parsed inside it */
};

static struct frame *top_frame(struct parser *p)
{
	return (struct frame *)p->frames.data + (p->frames.len / sizeof(struct frame) - 1);
}

static size_t nparts(const struct parser *p)
{
	return p->keys.len / sizeof(struct key_part);
}

static const struct key_part *part(const struct parser *p, size_t i)
{
	return (const struct key_part *)p->keys.data + i;
}

static uint32_t line_of(const struct parser *p, uint32_t off)
{
	uint32_t line;
	vmcfg_tp_lines_start(p->lines, off, &line);
	return line;
}

static int too_deep(struct parser *p, const unsigned char *at, uint32_t depth)
{
	if (depth <= p->max_depth)
		return 0;
	return vmcfg_tp_fail(p, at, VMCFG_ELIMIT, "tables and arrays nested more than %u levels deep",
		       p->max_depth);
}

static int set_table(struct parser *p, struct vmcfg_toml_value *v, struct toml_table *t,
		     uint32_t off, uint32_t len)
{
	memset(v, 0, sizeof *v);
	v->type = VMCFG_TOML_TABLE;
	v->as.tab = t;
	return set_span(p, v, off, len);
}

/* --- keys --- */

/*
 * Parses a key, one part or dotted, at p->s into p->keys after the parts
 * already there, and skips the spaces after it.
 */
static int parse_key(struct parser *p)
{
	size_t first = nparts(p);

	for (;;) {
		const unsigned char *at = p->s;
		struct key_part k;

		if (at < p->end && (*at == '"' || *at == '\'')) {
			if (p->end - at >= 3 && at[1] == *at && at[2] == *at)
				return vmcfg_tp_fail(p, at, VMCFG_ESYNTAX,
					       "a key cannot be a multi-line string");
			struct str str;
			int rc = vmcfg_tp_parse_string(p, &str);
			if (rc)
				return rc;
			k.name = str.ptr;
			k.len = str.len;
			k.borrowed = str.borrowed;
			k.hash = vmcfg_tp_key_hash(k.name, k.len);
		} else {
			const unsigned char *s = at, *end = p->end;
			uint32_t h = KEY_HASH_INIT;
			/* Four characters share one bounds check (keys average 12). */
			while (end - s >= 4) {
				if (!is_bare_key_char(s[0]))
					goto key_end;
				h = key_hash_step(h, s[0]);
				if (!is_bare_key_char(s[1])) {
					s += 1;
					goto key_end;
				}
				h = key_hash_step(h, s[1]);
				if (!is_bare_key_char(s[2])) {
					s += 2;
					goto key_end;
				}
				h = key_hash_step(h, s[2]);
				if (!is_bare_key_char(s[3])) {
					s += 3;
					goto key_end;
				}
				h = key_hash_step(h, s[3]);
				s += 4;
			}
			for (; s < end && is_bare_key_char(*s); s++)
				h = key_hash_step(h, *s);
key_end:
			if (s == at) {
				char d[CHAR_TEXT];
				return vmcfg_tp_fail(p, at, VMCFG_ESYNTAX, "expected a key, found %s",
					       vmcfg_tp_describe_char(p, at, d));
			}
			k.name = (const char *)at;
			k.len = (uint32_t)(s - at);
			k.hash = h;
			k.borrowed = true;
			p->s = s;
		}
		k.off = offset_of(p, at);
		k.span_len = (uint32_t)(p->s - at);
		if (nparts(p) - first >= p->max_depth)
			return vmcfg_tp_fail(p, at, VMCFG_ELIMIT, "key with more than %u parts",
				       p->max_depth);
		if (buf_append(&p->keys, &p->alloc, &k, sizeof k))
			return vmcfg_tp_fail_nomem(p);
		skip_ws(p);
		if (p->s == p->end || *p->s != '.')
			return 0;
		p->s++;
		skip_ws(p);
	}
}

/* The error for using entry e, named by key parts [first, first + n), as a table. */
static int not_a_table(struct parser *p, const struct key_part *k, const struct toml_entry *e,
		       size_t first, size_t n)
{
	char name[KEY_TEXT_MAX + 4];
	const struct vmcfg_toml_value *v = &e->val;
	const unsigned char *at = p->text + k->off;
	uint32_t line = line_of(p, v->off);

	vmcfg_tp_key_text(p, first, n, name);
	if (v->type == VMCFG_TOML_TABLE && v->as.tab->kind == VMCFG_TOML_TABLE_INLINE)
		return vmcfg_tp_fail(p, at, VMCFG_ESYNTAX,
			       "inline table \"%s\" (line %u) cannot be extended", name, line);
	if (v->type == VMCFG_TOML_TABLE)
		return vmcfg_tp_fail(p, at, VMCFG_ESYNTAX,
			       "dotted keys cannot extend table \"%s\" (header at line %u)", name,
			       line);
	return vmcfg_tp_fail(p, at, VMCFG_ESYNTAX, "key \"%s\" is already %s (line %u), not a table",
		       name, vmcfg_tp_a_type(v), line);
}

/*
 * The part of a key/value pair before the value: parses the key (into
 * p->keys from index first) and the '=', walks the dotted key from table
 * t, creating dotted tables, and adds the last part with an empty value,
 * returned in *slot together with its depth.
 */
static int keyval_head(struct parser *p, struct toml_table *t, size_t first,
		       struct vmcfg_toml_value **slot, uint32_t *depth)
{
	char name[KEY_TEXT_MAX + 4];
	int rc = parse_key(p);
	if (rc)
		return rc;

	size_t n = nparts(p) - first;
	if (p->s == p->end || *p->s != '=') {
		char d[CHAR_TEXT];
		return vmcfg_tp_fail(p, p->s, VMCFG_ESYNTAX, "expected '=' after key \"%s\", found %s",
			       vmcfg_tp_key_text(p, first, n, name), vmcfg_tp_describe_char(p, p->s, d));
	}
	p->s++;
	skip_ws(p);

	for (size_t i = 0; i + 1 < n; i++) {
		const struct key_part *k = part(p, first + i);
		struct toml_entry *e = vmcfg_tp_table_find(t, k->name, k->len, k->hash);
		struct vmcfg_toml_value *v;

		if (!e) {
			struct toml_table *sub;
			if ((rc = too_deep(p, p->text + k->off, t->depth + 1u)))
				return rc;
			if (!(sub = vmcfg_tp_table_new(p, VMCFG_TOML_TABLE_DOTTED, t->depth + 1u)))
				return VMCFG_ENOMEM;
			if ((rc = vmcfg_tp_table_add(p, t, k, &v)) ||
			    (rc = set_table(p, v, sub, k->off, k->span_len)))
				return rc;
			t = sub;
		} else if (e->val.type == VMCFG_TOML_TABLE &&
			   (e->val.as.tab->kind == VMCFG_TOML_TABLE_DOTTED ||
			    e->val.as.tab->kind == VMCFG_TOML_TABLE_IMPLICIT)) {
			t = e->val.as.tab;
			t->kind = VMCFG_TOML_TABLE_DOTTED;
		} else {
			return not_a_table(p, k, e, first, i + 1);
		}
	}

	const struct key_part *last = part(p, first + n - 1);
	struct toml_entry *e = vmcfg_tp_table_find(t, last->name, last->len, last->hash);
	if (e)
		return vmcfg_tp_fail(p, p->text + last->off, VMCFG_ESYNTAX,
			       "duplicate key \"%s\" (first defined at line %u)",
			       vmcfg_tp_key_text(p, first, n, name), line_of(p, e->key_off));
	*depth = t->depth + 1u;
	return vmcfg_tp_table_add(p, t, last, slot);
}

/* --- values --- */

/* The error when an array or inline table goes on with neither ',' nor its end. */
static int unclosed(struct parser *p, const struct frame *f)
{
	struct vmcfg_span o = vmcfg_tp_error_span(p, p->text + f->open, 0);
	const char *what = f->tab ? "inline table" : "array";
	char d[CHAR_TEXT];

	if (p->s == p->end)
		return vmcfg_tp_fail(p, p->s, VMCFG_ESYNTAX,
			       "unterminated %s (opened at line %u, col %u)", what, o.line, o.col);
	if (f->tab && (*p->s == '\n' || *p->s == '\r'))
		return vmcfg_tp_fail(p, p->s, VMCFG_ESYNTAX,
			       "inline table (opened at line %u, col %u) must end on the same line",
			       o.line, o.col);
	return vmcfg_tp_fail(p, p->s, VMCFG_ESYNTAX,
		       "expected ',' or '%c' in %s (opened at line %u, col %u), found %s",
		       f->tab ? '}' : ']', what, o.line, o.col, vmcfg_tp_describe_char(p, p->s, d));
}

/* Closes the innermost array (p->s at its ']') into *v. */
static int close_array(struct parser *p, struct vmcfg_toml_value *v)
{
	struct frame *f = top_frame(p);
	struct vmcfg_toml_value *items = NULL;
	size_t n = p->values.len / sizeof *items - f->base;

	if (n) {
		/* Elements were gathered on p->values; now they get one exact vector. */
		struct array_head *h = tp_alloc_reused(p, sizeof *h + n * sizeof *items);
		if (!h)
			return vmcfg_tp_fail_nomem(p);
		h->n = h->cap = (uint32_t)n;
		items = (struct vmcfg_toml_value *)(void *)(h + 1);
		memcpy(items, (struct vmcfg_toml_value *)p->values.data + f->base, n * sizeof *items);
	}
	p->values.len = (size_t)f->base * sizeof *items;
	p->s++;
	memset(v, 0, sizeof *v);
	v->type = VMCFG_TOML_ARRAY;
	v->as.items = items;
	p->frames.len -= sizeof *f;
	return set_span(p, v, f->open, offset_of(p, p->s) - f->open);
}

/* Closes the innermost inline table (p->s at its '}') into *v. */
static int close_inline(struct parser *p, struct vmcfg_toml_value *v)
{
	struct frame *f = top_frame(p);
	p->s++;
	p->frames.len -= sizeof *f;
	return set_table(p, v, f->tab, f->open, offset_of(p, p->s) - f->open);
}

/* The next "key = " in the innermost inline table; 1: its value is expected. */
static int inline_keyval(struct parser *p)
{
	size_t first = nparts(p);
	struct frame *f = top_frame(p);
	int rc = keyval_head(p, f->tab, first, &f->slot, &f->next_depth);
	p->keys.len = first * sizeof(struct key_part); /* keep the statement's own key */
	return rc ? rc : 1;
}

/* Opens the array or inline table at p->s; 1: it awaits a value, 0: it is empty (*v). */
__attribute__((noinline)) static int open_container(struct parser *p, uint32_t depth, struct vmcfg_toml_value *v)
{
	const unsigned char *at = p->s;
	struct frame f = {
		.open = offset_of(p, at),
		.base = (uint32_t)(p->values.len / sizeof(struct vmcfg_toml_value)),
		.depth = depth,
		.next_depth = depth + 1,
	};
	int rc = too_deep(p, at, depth);
	if (rc)
		return rc;
	if (*at == '{' && !(f.tab = vmcfg_tp_table_new(p, VMCFG_TOML_TABLE_INLINE, depth)))
		return VMCFG_ENOMEM;
	if (buf_append(&p->frames, &p->alloc, &f, sizeof f))
		return vmcfg_tp_fail_nomem(p);
	p->s++;
	if (!f.tab) {
		if ((rc = skip_blank(p)))
			return rc;
		return p->s < p->end && *p->s == ']' ? close_array(p, v) : 1;
	}
	skip_ws(p);
	return p->s < p->end && *p->s == '}' ? close_inline(p, v) : inline_keyval(p);
}

/*
 * A string value at p->s. Out of line so that begin_value, which every
 * value passes, stays a dispatcher that saves no registers.
 */
__attribute__((noinline)) static int string_value(struct parser *p, struct vmcfg_toml_value *v)
{
	const unsigned char *at = p->s;
	struct str str;
	int rc = vmcfg_tp_parse_string(p, &str);
	if (rc)
		return rc;
	uint32_t span = offset_of(p, p->s) - offset_of(p, at);
	memset(v, 0, sizeof *v);
	v->type = VMCFG_TOML_STRING;
	if (str.borrowed && span == str.len + 2 && span < LEN_LONG) {
		/* One line, no escapes: the span tells the length (VALUE_STR_SPAN). */
		char *d = tp_alloc_top(p, str.len + 1, 1);
		if (!d)
			return vmcfg_tp_fail_nomem(p);
		memcpy(d, str.ptr, str.len);
		d[str.len] = '\0';
		v->as.s = d;
		v->flags = VALUE_STR_SPAN;
	} else {
		v->as.s = str.borrowed ? tp_str_copy(p, str.ptr, str.len) : str.ptr;
		if (!v->as.s)
			return vmcfg_tp_fail_nomem(p);
	}
	return set_span(p, v, offset_of(p, at), span);
}

/*
 * Starts the value at p->s, of the given depth. Returns 0 when *v is
 * complete (a scalar, an empty container) or 1 when a container was
 * opened and awaits its first value.
 */
static int begin_value(struct parser *p, uint32_t depth, struct vmcfg_toml_value *v)
{
	const unsigned char *at = p->s;

	if (at < p->end && (*at == '"' || *at == '\''))
		return string_value(p, v);
	if (at < p->end && (*at == '[' || *at == '{'))
		return open_container(p, depth, v);
	return vmcfg_tp_parse_scalar_token(p, v);
}

/*
 * Hands the complete value *v to the innermost container and reads on.
 * Returns 1 when the container awaits another value, 0 when it closed
 * (*v is now the container).
 */
static int continue_container(struct parser *p, struct vmcfg_toml_value *v)
{
	struct frame *f = top_frame(p);
	int rc;

	/*
	 * An array's elements: while they are numbers (most elements of
	 * configurations are), the next one is parsed right here rather than
	 * through parse_value's loop and begin_value.
	 */
	while (!f->tab) {
		/* A fixed-size copy, not buf_append's memcpy of a variable size. */
		if (buf_reserve(&p->values, &p->alloc, sizeof *v))
			return vmcfg_tp_fail_nomem(p);
		*(struct vmcfg_toml_value *)(void *)((char *)p->values.data + p->values.len) = *v;
		p->values.len += sizeof *v;
		if ((rc = skip_blank(p)))
			return rc;
		if (p->s == p->end || *p->s != ',')
			return p->s < p->end && *p->s == ']' ? close_array(p, v) : unclosed(p, f);
		p->s++;
		if ((rc = skip_blank(p)))
			return rc;
		if (p->s == p->end || *p->s == ']')
			return p->s < p->end ? close_array(p, v) : 1;
		if (*p->s < '0' || *p->s > '9')
			return 1;
		if ((rc = vmcfg_tp_parse_scalar_token(p, v)))
			return rc;
	}
	*f->slot = *v;
	skip_ws(p);
	if (p->s < p->end && *p->s == ',') {
		p->s++;
		skip_ws(p);
		if (p->s < p->end && *p->s == '}')
			return vmcfg_tp_fail(p, p->s, VMCFG_ESYNTAX,
				       "an inline table cannot end with a comma");
		return inline_keyval(p);
	}
	return p->s < p->end && *p->s == '}' ? close_inline(p, v) : unclosed(p, f);
}

/* Parses the value at p->s, of the given depth, into *dst. */
static int parse_value(struct parser *p, struct vmcfg_toml_value *dst, uint32_t depth)
{
	struct vmcfg_toml_value v;
	int rc = begin_value(p, depth, &v);

	while (rc >= 0) {
		if (rc == 1) { /* the innermost container awaits a value */
			struct frame *f = top_frame(p);
			rc = p->s == p->end ? unclosed(p, f) : begin_value(p, f->next_depth, &v);
		} else if (p->frames.len) {
			rc = continue_container(p, &v);
		} else {
			*dst = v;
			return 0;
		}
	}
	return rc;
}

/* --- statements --- */

static int keyval(struct parser *p)
{
	struct vmcfg_toml_value *slot;
	uint32_t depth;

	p->keys.len = 0;
	int rc = keyval_head(p, p->cur, 0, &slot, &depth);
	if (!rc)
		rc = parse_value(p, slot, depth);
	if (!rc && (rc = vmcfg_tp_end_of_line(p)) > 0) {
		char name[KEY_TEXT_MAX + 4], d[CHAR_TEXT];
		return vmcfg_tp_fail(p, p->s, VMCFG_ESYNTAX,
			       "expected a newline after the value of key \"%s\", found %s",
			       vmcfg_tp_key_text(p, 0, nparts(p), name), vmcfg_tp_describe_char(p, p->s, d));
	}
	return rc;
}

/* [name] with its last key part k (entry e if it exists) in table t. */
static int define_table(struct parser *p, struct toml_table *t, const struct key_part *k,
			struct toml_entry *e, uint32_t hoff, uint32_t hlen)
{
	const unsigned char *at = p->text + hoff;
	char name[KEY_TEXT_MAX + 4];
	int rc;

	if (!e) {
		struct toml_table *sub;
		struct vmcfg_toml_value *v;
		if ((rc = too_deep(p, at, t->depth + 1u)))
			return rc;
		if (!(sub = vmcfg_tp_table_new(p, VMCFG_TOML_TABLE_HEADER, t->depth + 1u)))
			return VMCFG_ENOMEM;
		if ((rc = vmcfg_tp_table_add(p, t, k, &v)) || (rc = set_table(p, v, sub, hoff, hlen)))
			return rc;
		p->cur = sub;
		return vmcfg_tp_table_open(p, sub, t);
	}
	struct vmcfg_toml_value *v = &e->val;
	if (v->type == VMCFG_TOML_TABLE && v->as.tab->kind == VMCFG_TOML_TABLE_IMPLICIT) {
		v->as.tab->kind = VMCFG_TOML_TABLE_HEADER;
		p->cur = v->as.tab;
		return set_span(p, v, hoff, hlen); /* the table's span is now its header */
	}

	uint32_t line = line_of(p, v->off);
	vmcfg_tp_key_text(p, 0, nparts(p), name);
	if (v->type == VMCFG_TOML_TABLE && v->as.tab->kind == VMCFG_TOML_TABLE_HEADER)
		return vmcfg_tp_fail(p, at, VMCFG_ESYNTAX,
			       "table [%s] defined twice (first defined at line %u)", name, line);
	if (v->type == VMCFG_TOML_TABLE && v->as.tab->kind == VMCFG_TOML_TABLE_DOTTED)
		return vmcfg_tp_fail(p, at, VMCFG_ESYNTAX,
			       "table [%s] was already defined with dotted keys (line %u)", name,
			       line);
	if (v->type == VMCFG_TOML_TABLE)
		return vmcfg_tp_fail(p, at, VMCFG_ESYNTAX,
			       "table [%s] was already defined as an inline table (line %u)", name,
			       line);
	if (v->type == VMCFG_TOML_ARRAY && (v->flags & VALUE_AOT))
		return vmcfg_tp_fail(p, at, VMCFG_ESYNTAX,
			       "table [%s] conflicts with the array of tables [[%s]] (line %u)",
			       name, name, line);
	return vmcfg_tp_fail(p, at, VMCFG_ESYNTAX, "key \"%s\" is already %s (line %u), not a table",
		       name, vmcfg_tp_a_type(v), line);
}

/* [[name]]: appends a table to the array (entry e if it exists) in table t. */
static int define_aot_item(struct parser *p, struct toml_table *t, const struct key_part *k,
			   struct toml_entry *e, uint32_t hoff, uint32_t hlen)
{
	const unsigned char *at = p->text + hoff;
	struct vmcfg_toml_value *arr, *slot;
	struct toml_table *item;
	int rc;

	if ((rc = too_deep(p, at, t->depth + 2u))) /* the array, then its tables */
		return rc;
	if (!e) {
		if ((rc = vmcfg_tp_table_add(p, t, k, &arr)))
			return rc;
		arr->type = VMCFG_TOML_ARRAY;
		arr->flags = VALUE_AOT;
		if ((rc = set_span(p, arr, hoff, hlen)))
			return rc;
	} else if (e->val.type == VMCFG_TOML_ARRAY && (e->val.flags & VALUE_AOT)) {
		arr = &e->val;
	} else {
		char name[KEY_TEXT_MAX + 4];
		uint32_t line = line_of(p, e->val.off);
		vmcfg_tp_key_text(p, 0, nparts(p), name);
		if (e->val.type == VMCFG_TOML_TABLE)
			return vmcfg_tp_fail(p, at, VMCFG_ESYNTAX,
				       "[[%s]] conflicts with the table \"%s\" (line %u)", name,
				       name, line);
		if (e->val.type == VMCFG_TOML_ARRAY)
			return vmcfg_tp_fail(p, at, VMCFG_ESYNTAX,
				       "[[%s]] cannot append to the static array \"%s\" (line %u)",
				       name, name, line);
		return vmcfg_tp_fail(p, at, VMCFG_ESYNTAX,
			       "key \"%s\" is already %s (line %u), not an array of tables", name,
			       vmcfg_tp_a_type(&e->val), line);
	}
	if (!(item = vmcfg_tp_table_new(p, VMCFG_TOML_TABLE_AOT_ITEM, t->depth + 2u)))
		return VMCFG_ENOMEM;
	if ((rc = vmcfg_tp_aot_append(p, arr, &slot)) || (rc = set_table(p, slot, item, hoff, hlen)))
		return rc;
	p->cur = item;
	return vmcfg_tp_table_open(p, item, t);
}

/* A [table] or [[array of tables]] header line. */
static int header(struct parser *p)
{
	const unsigned char *open = p->s;
	bool aot = p->end - open > 1 && open[1] == '[';
	char name[KEY_TEXT_MAX + 4], d[CHAR_TEXT];
	int rc;

	p->s += aot ? 2 : 1;
	skip_ws(p);
	p->keys.len = 0;
	/* The previous table is complete unless a later header extends it (rare). */
	if ((rc = vmcfg_tp_table_close(p)))
		return rc;
	if ((rc = parse_key(p)))
		return rc;
	size_t n = nparts(p);
	if (p->s == p->end || *p->s != ']' || (aot && (p->end - p->s < 2 || p->s[1] != ']')))
		return vmcfg_tp_fail(p, p->s, VMCFG_ESYNTAX, "expected '%s' after %s%s, found %s",
			       aot ? "]]" : "]", aot ? "[[" : "[", vmcfg_tp_key_text(p, 0, n, name),
			       vmcfg_tp_describe_char(p, p->s, d));
	p->s += aot ? 2 : 1;
	uint32_t hoff = offset_of(p, open), hlen = offset_of(p, p->s) - hoff;

	struct toml_table *t = p->root;
	for (size_t i = 0; i + 1 < n; i++) {
		const struct key_part *k = part(p, i);
		struct toml_entry *e = vmcfg_tp_table_find(t, k->name, k->len, k->hash);
		struct vmcfg_toml_value *v;

		if (!e) {
			struct toml_table *sub;
			if ((rc = too_deep(p, p->text + k->off, t->depth + 1u)))
				return rc;
			if (!(sub = vmcfg_tp_table_new(p, VMCFG_TOML_TABLE_IMPLICIT, t->depth + 1u)))
				return VMCFG_ENOMEM;
			if ((rc = vmcfg_tp_table_add(p, t, k, &v)) ||
			    (rc = set_table(p, v, sub, k->off, k->span_len)))
				return rc;
			t = sub;
		} else if (e->val.type == VMCFG_TOML_TABLE && e->val.as.tab->kind != VMCFG_TOML_TABLE_INLINE) {
			t = e->val.as.tab;
		} else if (e->val.type == VMCFG_TOML_ARRAY && (e->val.flags & VALUE_AOT)) {
			t = e->val.as.items[array_count(&e->val) - 1].as.tab; /* the latest [[…]] element */
		} else {
			return not_a_table(p, k, e, 0, i + 1);
		}
	}
	const struct key_part *k = part(p, n - 1);
	struct toml_entry *e = vmcfg_tp_table_find(t, k->name, k->len, k->hash);
	rc = aot ? define_aot_item(p, t, k, e, hoff, hlen) : define_table(p, t, k, e, hoff, hlen);
	if (!rc && (rc = vmcfg_tp_end_of_line(p)) > 0)
		return vmcfg_tp_fail(p, p->s, VMCFG_ESYNTAX, "expected a newline after %s%s%s, found %s",
			       aot ? "[[" : "[", vmcfg_tp_key_text(p, 0, n, name), aot ? "]]" : "]",
			       vmcfg_tp_describe_char(p, p->s, d));
	return rc;
}

static int parse_document(struct parser *p)
{
	for (;;) {
		int rc = skip_blank(p);
		if (rc)
			return rc;
		if (p->s == p->end)
			return vmcfg_tp_table_close(p);
		rc = *p->s == '[' ? header(p) : keyval(p);
		if (rc)
			return rc;
	}
}

/* --- the document --- */

static int early_error(struct vmcfg_toml_error *e, int code, const char *msg, uint32_t line)
{
	e->code = code;
	e->span.line = line;
	e->span.col = line ? 1 : 0;
	vmcfg_snprintf(e->msg, sizeof e->msg, "%s", msg);
	return code;
}

int vmcfg_toml_parse(const char *text, size_t len, const struct vmcfg_allocator *alloc,
	       const struct vmcfg_toml_options *opts, struct vmcfg_toml_doc **out, struct vmcfg_toml_error *err)
{
	struct vmcfg_toml_error unused;
	struct parser p;

	memset(&p, 0, sizeof p);
	p.err = err ? err : &unused;
	memset(p.err, 0, sizeof *p.err);
	if (out)
		*out = NULL;
	if (!out || !alloc || !alloc->fn || (!text && len))
		return early_error(p.err, VMCFG_EINVAL, "invalid argument", 0);
	if (len >= UINT32_MAX)
		return early_error(p.err, VMCFG_ELIMIT, "input of 4 GiB or more", 1);

	struct vmcfg_arena arena;
	struct toml_lines lines;
	memset(&lines, 0, sizeof lines);
	lines.text_len = (uint32_t)len;
	/*
	 * Small documents get small chunks: the first as large as the input
	 * (most configurations need about that), any further one a quarter.
	 */
	vmcfg_arena_init(&arena, alloc, len < 512 ? 512 : len < 65536 ? len : 65536);
	p.text = (const unsigned char *)(text ? text : "");
	p.end = p.text + len;
	p.s = p.text;
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		p.s += 3; /* a byte-order mark; line 1 starts after it */
	p.alloc = *alloc;
	p.arena = opts && opts->arena ? opts->arena : &arena;
	p.lines = &lines;
	p.max_depth = opts && opts->max_depth ? opts->max_depth : VMCFG_TOML_MAX_DEPTH;
	if (p.max_depth > UINT16_MAX)
		p.max_depth = UINT16_MAX;
	p.allow_u64 = opts && opts->allow_u64;

	int rc = 0;
	struct vmcfg_toml_doc *doc = vmcfg_arena_zalloc(p.arena, sizeof *doc, 16);
	if (len < 65536)
		arena.chunk_size = len < 2048 ? 512 : len / 4; /* the first chunk is there */
	if (!doc || !(p.key_base = vmcfg_arena_zalloc(p.arena, sizeof *p.key_base, 8)))
		rc = vmcfg_tp_fail_nomem(&p);
	else if (!(p.root = p.cur = p.open = vmcfg_tp_table_new(&p, VMCFG_TOML_TABLE_ROOT, 0)))
		rc = VMCFG_ENOMEM;
	else if (lines_add(&lines, alloc, offset_of(&p, p.s)) || vmcfg_tp_table_scratch_init(&p))
		rc = vmcfg_tp_fail_nomem(&p);
	else
		rc = parse_document(&p);
	if (p.win_end == p.win_top) /* else the chunk's top holds strings: it stays full */
		vmcfg_arena_unlend(p.arena, p.win);

	vmcfg_tp_buf_free(&p.values, alloc);
	vmcfg_tp_buf_free(&p.frames, alloc);
	vmcfg_tp_buf_free(&p.str, alloc);
	vmcfg_tp_buf_free(&p.keys, alloc);
	vmcfg_tp_table_scratch_free(&p);
	if (rc) {
		vmcfg_tp_buf_free(&p.long_spans, alloc);
		vmcfg_tp_buf_free(&p.key_records, alloc);
		vmcfg_tp_lines_free(&lines, alloc);
		vmcfg_arena_release(&arena);
		return rc;
	}
	doc->root.type = VMCFG_TOML_TABLE;
	doc->root.as.tab = p.root;
	doc->lines = lines;
	doc->long_spans = p.long_spans;
	doc->key_records = p.key_records;
	doc->alloc = *alloc;
	doc->shared_arena = p.arena != &arena;
	doc->arena = arena; /* the arena now lives in memory it owns (empty when shared) */
	*out = doc;
	return 0;
}

void vmcfg_toml_free(struct vmcfg_toml_doc *doc)
{
	if (!doc)
		return;
	struct vmcfg_arena arena = doc->arena; /* doc itself is in the arena */
	struct vmcfg_allocator alloc = doc->alloc;
	vmcfg_tp_lines_free(&doc->lines, &alloc);
	vmcfg_tp_buf_free(&doc->long_spans, &alloc);
	vmcfg_tp_buf_free(&doc->key_records, &alloc);
	if (!doc->shared_arena)
		vmcfg_arena_release(&arena);
}

size_t vmcfg_toml_doc_bytes(const struct vmcfg_toml_doc *doc)
{
	return doc ? doc->arena.bytes + doc->lines.deltas.cap + doc->lines.blocks.cap +
			     doc->lines.longs.cap + doc->lines.runs.cap + doc->long_spans.cap +
			     doc->key_records.cap
		   : 0;
}
