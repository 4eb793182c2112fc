/* SPDX-License-Identifier: MIT */
/*
 * vmcfg/toml.h — a freestanding TOML 1.0.0 parser.
 *
 * The parser turns a byte buffer into a read-only document tree. Every key
 * and value keeps its source location. All memory comes from the caller's
 * allocator (struct vmcfg_allocator); there is no global state, so any
 * number of documents may be parsed concurrently from different threads.
 * The input buffer is not referenced after vmcfg_toml_parse() returns: strings
 * are copied into the document.
 *
 * Floats are validated and kept as text (the core uses no floating point);
 * vmcfg_toml_float_to_double() in the host library converts them.
 *
 * Limits (exceeding one is a VMCFG_ELIMIT error with a location, never a
 * crash): input < 4 GiB; nesting of arrays and inline tables at most
 * VMCFG_TOML_MAX_DEPTH (default 256, see struct vmcfg_toml_options); a key path of at
 * most VMCFG_TOML_MAX_DEPTH parts. The nesting limit counts every level of the
 * tree below the root (a table, an array, or a part of a dotted key or
 * header), so code that recurses over a document never goes deeper than
 * max_depth levels.
 *
 * Values as stored: a newline in a multi-line string is "\n" even when the
 * file has CRLF; second 60 (a leap second) is accepted in times.
 */
#ifndef VMCFG_TOML_H
#define VMCFG_TOML_H

#include "vmcfg/base.h"

VMCFG_BEGIN_DECLS

#define VMCFG_TOML_MAX_DEPTH 256

enum vmcfg_toml_type {
	VMCFG_TOML_TABLE = 1,
	VMCFG_TOML_ARRAY,
	VMCFG_TOML_STRING,
	VMCFG_TOML_INTEGER,
	VMCFG_TOML_FLOAT,
	VMCFG_TOML_BOOL,
	VMCFG_TOML_DATETIME,       /* offset date-time: 1979-05-27T07:32:00Z */
	VMCFG_TOML_DATETIME_LOCAL, /* 1979-05-27T07:32:00 */
	VMCFG_TOML_DATE_LOCAL,     /* 1979-05-27 */
	VMCFG_TOML_TIME_LOCAL      /* 07:32:00 */
};

/* How a table came to exist; lets decoders and formatters tell forms apart. */
enum vmcfg_toml_table_kind {
	VMCFG_TOML_TABLE_ROOT = 1,
	VMCFG_TOML_TABLE_HEADER,   /* [a.b] */
	VMCFG_TOML_TABLE_IMPLICIT, /* a in [a.b], before any [a] */
	VMCFG_TOML_TABLE_DOTTED,   /* a in a.b = 1 */
	VMCFG_TOML_TABLE_INLINE,   /* { … } */
	VMCFG_TOML_TABLE_AOT_ITEM  /* one [[a]] element */
};

struct vmcfg_toml_doc;   /* a parsed document (opaque) */
struct vmcfg_toml_value; /* any node of it: table, array or scalar (opaque) */

struct vmcfg_toml_options {
	/* Maximum nesting of arrays / inline tables / key parts; 0 = 256; at most 65535. */
	uint32_t max_depth;
	/*
	 * Accept integers in [2^63, 2^64) (any base), which TOML 1.0 rejects,
	 * so that 64-bit addresses can be written. Such a value reads back
	 * through vmcfg_toml_get_u64(); vmcfg_toml_get_int() then fails with VMCFG_ERANGE.
	 */
	bool allow_u64;
	/*
	 * NULL: the document gets an arena of its own, which vmcfg_toml_free
	 * releases. Otherwise the document's nodes, tables and strings are
	 * allocated in this arena, which must outlive the document:
	 * vmcfg_toml_free then frees only what lies outside it (the line
	 * index and the key names, from alloc), and the caller reclaims the
	 * rest with
	 * vmcfg_arena_reset (keeping the chunks for the next document) or
	 * vmcfg_arena_release, after freeing the document. A failed parse may
	 * leave allocations in the arena until then.
	 */
	struct vmcfg_arena *arena;
};

/* What went wrong, for people: "expected '=' after key \"cpu_num\"". */
struct vmcfg_toml_error {
	int code;               /* VMCFG_ESYNTAX, VMCFG_ELIMIT, VMCFG_ENOMEM */
	struct vmcfg_span span; /* where (line, col 1-based) */
	char msg[192];
};

/*
 * Parses len bytes of text. A UTF-8 byte-order mark at the start is
 * skipped. On success returns 0 and *out is the document (free it with
 * vmcfg_toml_free). On failure returns a negative VMCFG_E* code, *out is NULL,
 * nothing stays allocated and, when err is not NULL, *err describes the
 * first error with its line and column. opts may be NULL (defaults).
 * Errors: VMCFG_ESYNTAX (not TOML 1.0, incl. invalid UTF-8 anywhere and
 * redefinitions), VMCFG_ELIMIT, VMCFG_ENOMEM, VMCFG_EINVAL (NULL args).
 */
int vmcfg_toml_parse(const char *text, size_t len, const struct vmcfg_allocator *alloc,
	       const struct vmcfg_toml_options *opts, struct vmcfg_toml_doc **out,
	       struct vmcfg_toml_error *err);

/* Frees the document and everything in it. NULL is allowed. */
void vmcfg_toml_free(struct vmcfg_toml_doc *doc);

/*
 * Bytes the document holds from its allocator (for memory accounting); in
 * a caller's arena (vmcfg_toml_options.arena), only the line index and
 * the key names.
 */
size_t vmcfg_toml_doc_bytes(const struct vmcfg_toml_doc *doc);

/* The root table; never NULL for a parsed document. */
const struct vmcfg_toml_value *vmcfg_toml_root(const struct vmcfg_toml_doc *doc);

/* The node's type (0 for NULL). */
enum vmcfg_toml_type vmcfg_toml_type(const struct vmcfg_toml_value *v);

/* A static lower-case name of a type: "table", "array", "integer", … */
const char *vmcfg_toml_type_name(enum vmcfg_toml_type t);

/*
 * Where the value is written: for scalars the literal (for strings
 * including the quotes); for arrays and inline tables from the opening
 * to the closing bracket; for [header] tables and [[aot]] items the
 * header; for implicit and dotted tables the first key that created them;
 * for the root, offset 0 with length 0 at line 1, col 1.
 */
struct vmcfg_span vmcfg_toml_value_span(const struct vmcfg_toml_doc *doc, const struct vmcfg_toml_value *v);

/* --- tables --- */

/* A key of a table entry: its bytes (may contain NUL) and where it is written. */
struct vmcfg_toml_key {
	const char *name; /* NUL-terminated copy; len excludes the NUL */
	size_t len;
	struct vmcfg_span span; /* the key as written (its last dotted part) */
};

/* How the table came to exist; 0 if v is not a table. */
enum vmcfg_toml_table_kind vmcfg_toml_table_kind(const struct vmcfg_toml_value *v);

/* Number of entries of a table or elements of an array; 0 for scalars. */
size_t vmcfg_toml_count(const struct vmcfg_toml_value *v);

/*
 * The value of key (len bytes) in table tab, or NULL when tab is not a
 * table or has no such key. Average O(1).
 */
const struct vmcfg_toml_value *vmcfg_toml_table_get(const struct vmcfg_toml_value *tab, const char *key,
					size_t len);

/*
 * The i-th entry of a table in document order (the order in which keys
 * were first defined); fills *key when key is not NULL. NULL when i is
 * out of range or tab is not a table.
 */
const struct vmcfg_toml_value *vmcfg_toml_table_at(const struct vmcfg_toml_doc *doc,
				       const struct vmcfg_toml_value *tab, size_t i,
				       struct vmcfg_toml_key *key);

/* --- arrays (including arrays of tables) --- */

/* The i-th element of an array; NULL when out of range or not an array. */
const struct vmcfg_toml_value *vmcfg_toml_array_at(const struct vmcfg_toml_value *arr, size_t i);

/* True when the array was written as [[name]] array-of-tables headers. */
bool vmcfg_toml_array_is_aot(const struct vmcfg_toml_value *arr);

/* --- scalars; each returns 0 or VMCFG_ETYPE (wrong type) --- */

/* A string's bytes (NUL-terminated copy, may contain NUL; len excludes the terminator). */
int vmcfg_toml_get_string(const struct vmcfg_toml_value *v, const char **s, size_t *len);

/* An integer in int64 range. VMCFG_ERANGE for a u64-only value (allow_u64). */
int vmcfg_toml_get_int(const struct vmcfg_toml_value *v, int64_t *out);

/* A non-negative integer as uint64. VMCFG_ERANGE when negative. */
int vmcfg_toml_get_u64(const struct vmcfg_toml_value *v, uint64_t *out);

int vmcfg_toml_get_bool(const struct vmcfg_toml_value *v, bool *out);

/*
 * A float's canonical text: the literal without '_' and without a leading
 * '+' ("1e6", "-0.5", "inf", "-inf", "nan"). Valid TOML float syntax.
 */
int vmcfg_toml_get_float_text(const struct vmcfg_toml_value *v, const char **s, size_t *len);

struct vmcfg_toml_datetime {
	bool has_date, has_time, has_offset;
	uint16_t year;
	uint8_t month, day;
	uint8_t hour, minute, second;
	uint32_t nanosecond;    /* fraction, truncated to nanoseconds */
	uint8_t frac_digits;    /* digits written after '.', 0 if none (max 9 kept) */
	int16_t offset_minutes; /* east of UTC; 0 for Z */
	bool offset_z;          /* written as Z/z rather than +00:00 */
};

/* Any of the four date/time types. */
int vmcfg_toml_get_datetime(const struct vmcfg_toml_value *v, struct vmcfg_toml_datetime *out);

/*
 * Writes dt as RFC 3339 (date, time, or both with 'T'; the fraction with
 * the digits written; offset as Z or +hh:mm) into buf, returns the length
 * it needs (like snprintf). 40 bytes always suffice.
 */
size_t vmcfg_toml_format_datetime(const struct vmcfg_toml_datetime *dt, char *buf, size_t size);

/* --- host library only (not in the freestanding core) --- */

/*
 * Converts a float's text (as from vmcfg_toml_get_float_text) to the nearest
 * double, correctly rounded. Returns 0, or VMCFG_ESYNTAX (VMCFG_EINVAL
 * for NULL arguments, VMCFG_ENOMEM when a very long text cannot be copied).
 */
int vmcfg_toml_float_to_double(const char *text, size_t len, double *out);

VMCFG_END_DECLS

#endif /* VMCFG_TOML_H */
