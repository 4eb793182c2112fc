/* SPDX-License-Identifier: MIT */
/*
 * What the files of the TOML parser share: the node layout, the parser
 * state, and the functions one file offers the others. Private to lib/toml;
 * functions shared between its files carry the prefix tp_ ("TOML parser")
 * so that they cannot clash with other modules in the library.
 *
 *   buffer.c   growable scratch buffers on the caller's allocator, and
 *              the arena window the document's memory is bumped from
 *   lines.c    line-start index and multi-byte runs: offset -> line:col
 *   scan.c     bytes: UTF-8, whitespace, comments, newlines, errors
 *   string.c   the four string forms and their escapes
 *   number.c   integers, floats, booleans and the value-token classifier
 *   datetime.c dates and times: parsing, validation, formatting
 *   table.c    tables (hash index, document order) and array growth
 *   parse.c    the grammar: statements, keys, headers, values, the
 *              redefinition rules; vmcfg_toml_parse / vmcfg_toml_free
 *   access.c   the public read-only accessors
 */
#ifndef VMCFG_LIB_TOML_INTERNAL_H
#define VMCFG_LIB_TOML_INTERNAL_H

#include "vmcfg/toml.h"
#include "../base/libc.h"

/* --- growable buffers (buffer.c) --- */

/*
 * Scratch memory that must grow and shrink during the parse (array
 * elements being gathered, decoded string bytes, the line index). It comes
 * straight from the caller's allocator, not the arena, so growing it does
 * not leave dead copies behind.
 */
struct buf {
	void *data;
	size_t len, cap; /* in bytes */
};

/* Makes room for extra more bytes; 0 or VMCFG_ENOMEM (b unchanged). */
int vmcfg_tp_buf_grow(struct buf *b, const struct vmcfg_allocator *a, size_t extra);
void vmcfg_tp_buf_free(struct buf *b, const struct vmcfg_allocator *a);

static inline int buf_reserve(struct buf *b, const struct vmcfg_allocator *a, size_t extra)
{
	return b->cap - b->len >= extra ? 0 : vmcfg_tp_buf_grow(b, a, extra);
}

/* Appends n bytes; 0 or VMCFG_ENOMEM. */
static inline int buf_append(struct buf *b, const struct vmcfg_allocator *a, const void *src,
			     size_t n)
{
	int rc = buf_reserve(b, a, n);
	if (rc)
		return rc;
	if (n)
		memcpy((char *)b->data + b->len, src, n);
	b->len += n;
	return 0;
}

/* --- the document tree --- */

/* toml_value.flags */
enum {
	VALUE_U64 = 1,      /* integer above INT64_MAX (allow_u64): read as.u */
	VALUE_AOT = 2,      /* array built by [[name]] headers; grows, see vmcfg_tp_aot_append */
	VALUE_OFFSET_Z = 4, /* datetime whose offset was written Z / z */
	/*
	 * A string written on one line without escapes, span shorter than
	 * LEN_LONG: its length is the span's minus the quotes, and its copy
	 * needs no length before it (most strings of a configuration).
	 */
	VALUE_STR_SPAN = 8,
};

/* toml_value.len of a span of LEN_LONG bytes or more: its length is in the document's long spans. */
#define LEN_LONG 0xFFFFu

/* A date, time or date-time (vmcfg_toml_value.as.dt): rare, so out of line. */
struct toml_datetime {
	uint16_t year;
	uint8_t month, day, hour, minute, second, frac_digits;
	uint32_t nanosecond;
	int16_t offset_minutes; /* UTC offset */
};

/*
 * One node: 16 bytes. Array elements are stored by value in one vector,
 * table entries embed their value, so most values cost exactly this.
 * What does not fit lies beside the data it describes: a string's length
 * in the 4 bytes before its text (str_len; or its span's, VALUE_STR_SPAN),
 * an array's count in the struct array_head before its elements, a long
 * span's length in the document (LEN_LONG).
 */
struct vmcfg_toml_value {
	uint8_t type;  /* enum vmcfg_toml_type; 0 while a slot awaits its value */
	uint8_t flags; /* VALUE_* */
	uint16_t len;  /* span length in the input, or LEN_LONG */
	uint32_t off;  /* span start in the input */
	union {
		int64_t i;
		uint64_t u;
		bool b;
		const char *s;            /* strings, float text: NUL-terminated, length before it */
		struct vmcfg_toml_value *items; /* arrays: elements after a struct array_head; NULL: empty */
		struct toml_table *tab;   /* tables */
		struct toml_datetime *dt; /* the four date/time types */
	} as;
};

_Static_assert(sizeof(struct vmcfg_toml_value) == 16, "nodes should stay compact");

/* What comes before a non-empty array's elements. */
struct array_head {
	uint32_t n;   /* elements */
	uint32_t cap; /* room for (grown [[name]] arrays; n otherwise) */
};

static inline struct array_head *array_head(const struct vmcfg_toml_value *v)
{
	return (struct array_head *)(void *)v->as.items - 1;
}

static inline uint32_t array_count(const struct vmcfg_toml_value *v)
{
	return v->as.items ? array_head(v)->n : 0;
}

/* The length of a string or float text (stored in the 4 bytes before it). */
static inline uint32_t str_len(const char *s)
{
	uint32_t n;
	memcpy(&n, s - 4, 4);
	return n;
}

/* The length of a string value's text. */
static inline uint32_t value_str_len(const struct vmcfg_toml_value *v)
{
	return v->flags & VALUE_STR_SPAN ? v->len - 2u : str_len(v->as.s);
}

/*
 * A key as the document keeps it: one record per distinct key and way of
 * writing it (bare, quoted) in a document, shared by every entry that
 * uses it. Records lie in one buffer (4-aligned), so that an entry names
 * its key with a 4-byte offset.
 */
struct toml_key {
	uint32_t hash;
	uint32_t len;      /* bytes of name, without the NUL */
	uint32_t span_len; /* the key as written, quotes included */
	char name[];       /* NUL-terminated */
};

/*
 * Where the key records are: tables reach them through this, since the
 * parser moves them while it grows their buffer.
 */
struct toml_keys {
	const char *base;
};

static inline const struct toml_key *key_at(const struct toml_keys *k, uint32_t ref)
{
	return (const struct toml_key *)(const void *)(k->base + ref);
}

/* A key and its value: 24 bytes; entries are kept in document order. */
struct toml_entry {
	struct vmcfg_toml_value val;
	uint32_t key;     /* its struct toml_key: offset in the key records */
	uint32_t key_off; /* the key as written */
};

_Static_assert(sizeof(struct toml_entry) == 24, "entries should stay compact");

#define TABLE_LINEAR_MAX 8

/*
 * A table: 24 bytes. It stays where it was allocated (the node that
 * refers to it may move when its parent grows), so the parser may hold on
 * to it. Small tables are searched linearly; past TABLE_LINEAR_MAX
 * entries an open-addressing index (linear probing, load <= 1/2) finds
 * keys. Few tables are that large, so the index's pointer lies before
 * their entries (struct table_head) rather than in every table.
 */
struct toml_table {
	struct toml_entry *entries;
	const struct toml_keys *keys;
	uint32_t count;
	uint16_t depth; /* levels below the root (root: 0) */
	uint8_t kind;   /* enum vmcfg_toml_table_kind */
	/*
	 * entries holds exactly count (a table closed by the next header, or
	 * a small one that headers left: see trim in table.c); otherwise 4,
	 * TABLE_LINEAR_MAX, or (more) table_head's cap.
	 */
	uint8_t exact;
};

_Static_assert(sizeof(struct toml_table) == 24, "tables should stay compact");

/*
 * What lies just before the entries of a table of more than
 * TABLE_LINEAR_MAX entries: entry arrays of such tables are allocated
 * with it (TABLE_HEAD bytes, so that the entries stay 8-aligned).
 */
struct table_head {
	uint32_t *slots; /* the index: entry number + 1, 0 = empty; table_nslots of them */
	uint32_t cap;    /* room for entries, unless the table is exact */
};

#define TABLE_HEAD sizeof(struct table_head)

static inline struct table_head *table_head(const struct toml_table *t)
{
	return (struct table_head *)(void *)t->entries - 1;
}

/* The index's slots: at most half full, 4 * TABLE_LINEAR_MAX at least (a power of two). */
static inline uint32_t table_nslots(uint32_t count)
{
	return count * 2 <= 4 * TABLE_LINEAR_MAX ? 4 * TABLE_LINEAR_MAX
						  : 2u << (31 - __builtin_clz(count * 2 - 1));
}

/* Where lines and multi-byte characters start (lines.c). */
/*
 * Line starts take about a byte per line: line i is recorded as its
 * distance from line i - 1 (uint8_t, LINE_LONG when 255 or more, its start
 * then in longs), and every LINE_BLOCK-th line's start in full in blocks,
 * where a lookup's binary search lands before walking at most a block.
 */
#define LINE_BLOCK 32
#define LINE_LONG 255
struct toml_lines {
	struct buf deltas; /* uint8_t per line (0 for a block's first line) */
	struct buf blocks; /* uint32_t: start of line 1, 1 + LINE_BLOCK, … */
	struct buf longs;  /* struct long_line, by line */
	struct buf runs;   /* struct mb_run, by offset */
	uint32_t count;    /* lines recorded (deltas.len) */
	uint32_t last;     /* start of the last one */
	uint32_t text_len; /* the input's: deltas and blocks are sized from the lines it should hold */
	/*
	 * lines_add's fast path may append while count is below this: the
	 * next block's first line or the end of deltas' capacity, whichever
	 * comes first, so that a line costs one test of where it goes.
	 */
	uint32_t fast_end;
};

/* A line that starts LINE_LONG bytes or more after the previous one. */
struct long_line {
	uint32_t index; /* 0-based */
	uint32_t start;
};

/*
 * A stretch of consecutive multi-byte UTF-8 characters: it ends at end,
 * and the input holds extra continuation bytes before end in total.
 * Column numbers subtract these; ASCII text needs no entries at all.
 */
struct mb_run {
	uint32_t end;
	uint32_t extra;
};

/* A span of LEN_LONG bytes or more (vmcfg_toml_doc.long_spans). */
struct long_span {
	uint32_t off, len;
};

struct vmcfg_toml_doc {
	struct vmcfg_arena arena; /* everything but the buffers from alloc (unused when shared) */
	bool shared_arena;        /* in the caller's arena (vmcfg_toml_options.arena) */
	struct vmcfg_allocator alloc; /* the line index's, long_spans' and key_records' */
	struct toml_lines lines;
	/*
	 * struct long_span, in no order: a value's span of LEN_LONG bytes or
	 * more, found by its offset (values that share an offset and are
	 * this long share the span too). Few: each takes 64 KiB of input.
	 */
	struct buf long_spans;
	struct buf key_records; /* struct toml_key, from alloc (toml_keys.base) */
	struct vmcfg_toml_value root;
};

/* --- the parser --- */

/* One part of a dotted key, as parsed. */
struct key_part {
	const char *name; /* into the input (borrowed) or the arena */
	uint32_t len;
	uint32_t hash;
	uint32_t off, span_len; /* as written, quotes included */
	bool borrowed;          /* name points into the input: copy before keeping */
};

struct parser {
	const unsigned char *text; /* offset 0 */
	const unsigned char *end;
	const unsigned char *s; /* the scan position */
	struct vmcfg_allocator alloc;
	struct vmcfg_arena *arena;
	/*
	 * The rest of the arena's newest chunk, lent for inline bump
	 * allocation: most allocations cost a few instructions rather than a
	 * call. Nodes, entries and tables (8-aligned) are bumped up from win
	 * (tp_alloc), strings down from win_end (tp_alloc_top), so that no
	 * string's odd length pads the next node. win_top is the chunk's end:
	 * while win_end is there, the rest is given back when the parse
	 * returns.
	 */
	char *win, *win_end, *win_top;
	struct toml_lines *lines;
	uint32_t max_depth;
	bool allow_u64;
	struct vmcfg_toml_error *err; /* never NULL (points to a local when the caller passed none) */

	struct buf values; /* elements of the open arrays, innermost last */
	struct buf frames; /* open arrays and inline tables (struct frame) */
	struct buf str;    /* a string being unescaped */
	struct buf keys;   /* parts of the keys being parsed (struct key_part) */
	struct toml_table *root;
	struct toml_table *cur; /* where key/value pairs go: the last header's table */

	/*
	 * Memory the document keeps (table.c). The table the statements
	 * fill (the root, then each new [header] table) gathers its entries
	 * in open_entries (after its struct table_head) and gets one
	 * exact copy in the arena when the next header closes it; tables
	 * that grow later do so in the arena, and the arrays they leave
	 * behind are handed out again (reuse). A key is copied once per
	 * document: keys_seen finds its record by hash.
	 */
	struct toml_table *open;
	struct buf open_entries;
	struct toml_table *parent; /* the one the last header's new table went into (table_open) */
	/*
	 * The dead entry array a grown table left behind, handed out again
	 * for the next entries, elements and tables (tp_alloc_reused), so
	 * that grown tables leave no dead copies unused.
	 */
	char *reuse, *reuse_end;
	/*
	 * Dead memory reuse_put could not make the region (a smaller one was
	 * left), in 24-byte pieces each holding the next one's address: the
	 * next tables (vmcfg_tp_table_new) take them first.
	 */
	char *spare_tables;
	struct buf key_records;     /* becomes vmcfg_toml_doc.key_records */
	struct toml_keys *key_base; /* in the arena; every table points to it */
	uint32_t *keys_seen;        /* record offset + 1 (0: free), open addressing, 2^k slots, <= 3/4 full */
	uint32_t keys_slots, keys_count;
	struct buf long_spans; /* becomes vmcfg_toml_doc.long_spans */
};

static inline uint32_t offset_of(const struct parser *p, const unsigned char *at)
{
	return (uint32_t)(at - p->text);
}

/* --- memory the document keeps (buffer.c) --- */

/* tp_alloc or tp_alloc_top when the window is too small: a new chunk, lent in turn. */
void *vmcfg_tp_alloc_slow(struct parser *p, size_t size, size_t align);

/* size (> 0) bytes aligned to align (a power of two, at most 16) in the arena; NULL: no memory. */
static inline void *tp_alloc(struct parser *p, size_t size, size_t align)
{
	uintptr_t at = ((uintptr_t)p->win + (align - 1)) & ~(uintptr_t)(align - 1);
	if (at + size <= (uintptr_t)p->win_end && at >= (uintptr_t)p->win) {
		p->win = (char *)at + size;
		return (void *)at;
	}
	return vmcfg_tp_alloc_slow(p, size, align);
}

/* Like tp_alloc, from the top of the window: for strings (see parser.win). */
static inline void *tp_alloc_top(struct parser *p, size_t size, size_t align)
{
	if (size + (align - 1) <= (size_t)(p->win_end - p->win)) {
		p->win_end = (char *)(((uintptr_t)p->win_end - size) & ~(uintptr_t)(align - 1));
		return p->win_end;
	}
	return vmcfg_tp_alloc_slow(p, size, align);
}

/*
 * Room for a string of up to max bytes and its NUL, after the 4 bytes
 * str_len reads (set them with str_set_len); NULL: no memory.
 */
static inline char *tp_str_alloc(struct parser *p, size_t max)
{
	char *d = tp_alloc_top(p, 4 + max + 1, 4);
	return d ? d + 4 : NULL;
}

static inline void str_set_len(char *s, uint32_t len)
{
	memcpy(s - 4, &len, 4);
	s[len] = '\0';
}

/* A string value's copy of s[0, len) in the arena (str_len knows len); NULL: no memory. */
static inline char *tp_str_copy(struct parser *p, const char *s, size_t len)
{
	char *d = tp_str_alloc(p, len);
	if (d) {
		if (len)
			memcpy(d, s, len);
		str_set_len(d, (uint32_t)len);
	}
	return d;
}

/*
 * 8-aligned memory for entries, elements and tables (size a multiple of
 * 8, so that what is left stays aligned): from the dead array a grown
 * table left (parser.reuse) while it lasts, else tp_alloc.
 */
static inline void *tp_alloc_reused(struct parser *p, size_t size)
{
	if ((size_t)(p->reuse_end - p->reuse) >= size) {
		void *r = p->reuse;
		p->reuse += size;
		return r;
	}
	return tp_alloc(p, size, 8);
}

int vmcfg_tp_long_span(struct parser *p, uint32_t off, uint32_t len);

/* Sets v's span; 0 or VMCFG_ENOMEM (spans of LEN_LONG bytes or more are recorded aside). */
static inline int set_span(struct parser *p, struct vmcfg_toml_value *v, uint32_t off, uint32_t len)
{
	v->off = off;
	if (len < LEN_LONG) {
		v->len = (uint16_t)len;
		return 0;
	}
	v->len = LEN_LONG;
	return vmcfg_tp_long_span(p, off, len);
}

/* --- lines.c --- */

int vmcfg_tp_lines_grow_add(struct toml_lines *l, const struct vmcfg_allocator *a, uint32_t start);
/* Records a multi-byte character of size bytes at off. */
int vmcfg_tp_lines_add_char(struct toml_lines *l, const struct vmcfg_allocator *a, uint32_t off,
		      uint32_t size);
void vmcfg_tp_lines_free(struct toml_lines *l, const struct vmcfg_allocator *a);
struct vmcfg_span vmcfg_tp_lines_span(const struct toml_lines *l, uint32_t off, uint32_t len);
/* The start of the last recorded line at or before off, and its number in *line. */
uint32_t vmcfg_tp_lines_start(const struct toml_lines *l, uint32_t off, uint32_t *line);

/* Records that a line starts at offset start (just after a '\n'). */
static inline int lines_add(struct toml_lines *l, const struct vmcfg_allocator *a, uint32_t start)
{
	uint32_t d = start - l->last, n = l->count;
	if (n < l->fast_end && d < LINE_LONG) {
		((uint8_t *)l->deltas.data)[n] = (uint8_t)d;
		l->count = n + 1;
		l->last = start;
		return 0;
	}
	return vmcfg_tp_lines_grow_add(l, a, start);
}

/* --- scan.c --- */

/*
 * Records the first error (code, location at `at`, message) and returns
 * code, so that callers can write `return vmcfg_tp_fail(p, at, …)`.
 */
int vmcfg_tp_fail(struct parser *p, const unsigned char *at, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int vmcfg_tp_fail_nomem(struct parser *p);
/* Line:col of an offset, for messages ("opened at line 2, col 5"). */
struct vmcfg_span vmcfg_tp_error_span(const struct parser *p, const unsigned char *at, uint32_t len);

/* A short description of the character at `at` for messages: 'x', end of line, … */
#define CHAR_TEXT 32
const char *vmcfg_tp_describe_char(const struct parser *p, const unsigned char *at, char buf[CHAR_TEXT]);

/*
 * Validates the multi-byte UTF-8 character at s (first byte >= 0x80) and
 * records it for column counting. Returns its length (2-4) or an error.
 */
int vmcfg_tp_utf8_char(struct parser *p, const unsigned char *s);

/*
 * Consumes "\n" or "\r\n" at p->s (the caller saw '\n' or '\r'); records
 * the new line. Inline: every line of the input passes here.
 */
static inline int newline(struct parser *p)
{
	const unsigned char *s = p->s;

	if (*s == '\r') {
		if (s + 1 == p->end || s[1] != '\n')
			return vmcfg_tp_fail(p, s, VMCFG_ESYNTAX,
				       "carriage return not followed by a line feed");
		s++;
	}
	p->s = ++s;
	if (lines_add(p->lines, &p->alloc, offset_of(p, s)))
		return vmcfg_tp_fail_nomem(p);
	return 0;
}

/*
 * Character classes for the scanning loops, one table lookup per byte
 * (scan.c). Only ASCII bytes have classes; the rest need a closer look.
 */
enum {
	C_KEY = 1,     /* bare key: A-Z a-z 0-9 _ - */
	C_TOKEN = 2,   /* number, boolean, date-time: key characters and + . : */
	C_TEXT = 4,    /* comment text: printable ASCII and tab */
	C_BASIC = 8,   /* taken as is in "basic" strings: C_TEXT but " and \ */
	C_LITERAL = 16 /* taken as is in 'literal' strings: C_TEXT but ' */
};
extern const uint8_t vmcfg_tp_class[256];

static inline bool is_bare_key_char(unsigned char c)
{
	return vmcfg_tp_class[c] & C_KEY;
}

/*
 * Skips spaces and tabs. Most runs are one space (" = ", ", ") or none;
 * longer ones (indentation) go 8 bytes at a time: the lowest byte that is
 * not a space is the lowest non-zero byte of the word xor "        ". A
 * tab stops the word loop and the byte loop goes on from it.
 */
static inline void skip_ws(struct parser *p)
{
	const unsigned char *s = p->s, *end = p->end;

	/* Most calls find a token: anything above ' ' ends them with one test. */
	if (s == end || *s > ' ' || (*s != ' ' && *s != '\t'))
		return;
	s++;
	/* One space (" = ", ", ") is the common run: done without a word. */
	if (s < end && *s > ' ') {
		p->s = s;
		return;
	}
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	while (end - s >= 8) {
		uint64_t x;
		memcpy(&x, s, 8);
		x ^= 0x2020202020202020u;
		if (x) {
			s += __builtin_ctzll(x) / 8;
			break;
		}
		s += 8;
	}
#endif
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	p->s = s;
}

/*
 * Skips plain text 8 bytes at a time: printable ASCII other than the bytes
 * a and b (which the caller must look at, such as a closing quote). Stops
 * at the first other byte (big-endian machines: at the 8 bytes holding it),
 * or when fewer than 8 bytes remain; the caller's byte loop goes on from
 * there. Plain integer code, no SIMD:
 * the freestanding core is built with -mgeneral-regs-only.
 */
static inline const unsigned char *skip_plain(const unsigned char *s, const unsigned char *end,
					      unsigned char a, unsigned char b)
{
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;

	while (end - s >= 8) {
		uint64_t x;
		memcpy(&x, s, 8);
		/*
		 * A byte gets its high bit set in flags when it is below 0x20
		 * (x - 0x20 borrows), 0x7f or above (x + 1, or x itself), a or
		 * b (x ^ a is 0, and 0 - 1 borrows). Borrows and carries only
		 * reach a byte from a lower byte that is flagged itself, so the
		 * lowest flag is exact.
		 */
		uint64_t flags = ((x - ones * 0x20) | (x + ones) | x | ((x ^ ones * a) - ones) |
				  ((x ^ ones * b) - ones)) &
				 high;
		if (flags) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			s += __builtin_ctzll(flags) / 8; /* the lowest byte comes first */
#endif
			return s;
		}
		s += 8;
	}
	return s;
}

/* Skips a comment from its '#' up to (not including) the end of the line. */
int vmcfg_tp_skip_comment(struct parser *p);
/* Skips whitespace, comments and newlines (between statements, in arrays). */
int vmcfg_tp_skip_blank(struct parser *p);

/* vmcfg_tp_skip_blank(), with the common case inline: at most spaces before the next token. */
static inline int skip_blank(struct parser *p)
{
	skip_ws(p);
	if (p->s == p->end || (*p->s != '#' && *p->s != '\n' && *p->s != '\r'))
		return 0;
	return vmcfg_tp_skip_blank(p);
}

/*
 * After a header or key/value pair: skips whitespace and a comment, then
 * consumes the end of the line. Returns 0, an error, or 1 when something
 * else follows (p->s points at it; the caller words the message).
 */
int vmcfg_tp_end_of_line(struct parser *p);

/*
 * Renders the key parts [first, first + n) of p->keys for messages:
 * a.b."c d" (bare parts as they are, others quoted), shortened to about
 * KEY_TEXT_MAX bytes. Returns buf.
 */
#define KEY_TEXT_MAX 80
const char *vmcfg_tp_key_text(const struct parser *p, size_t first, size_t n, char buf[KEY_TEXT_MAX + 4]);

/* "an integer", "a table", … for messages. */
const char *vmcfg_tp_a_type(const struct vmcfg_toml_value *v);

/* --- string.c --- */

/*
 * A string literal at p->s, any of the four forms (keys: single-line forms
 * only, the caller checks). *out is either borrowed from the input (no
 * escapes to undo) or a NUL-terminated copy in the arena.
 */
struct str {
	const char *ptr;
	uint32_t len;
	bool borrowed;
};
int vmcfg_tp_parse_string(struct parser *p, struct str *out);

/* --- number.c --- */

/* A value that is not a string, array or inline table: number, bool, date/time. */
int vmcfg_tp_parse_scalar_token(struct parser *p, struct vmcfg_toml_value *v);

/* --- datetime.c --- */

/* Parses t[0, n) as a date, time or date-time into v; the error names the token. */
int vmcfg_tp_parse_datetime(struct parser *p, const unsigned char *t, size_t n, struct vmcfg_toml_value *v);

/* --- table.c --- */

/* Keys are hashed with FNV-1a; parse_key hashes bare keys while scanning them. */
#define KEY_HASH_INIT 2166136261u
static inline uint32_t key_hash_step(uint32_t h, unsigned char c)
{
	return (h ^ c) * 16777619u;
}
uint32_t vmcfg_tp_key_hash(const char *s, size_t n);
struct toml_table *vmcfg_tp_table_new(struct parser *p, uint8_t kind, uint32_t depth);
struct toml_entry *vmcfg_tp_table_find(const struct toml_table *t, const char *key, size_t len,
				 uint32_t hash);
/*
 * Adds the key (known to be absent) with an empty value and returns that
 * value in *slot. The slot stays valid until the table grows again.
 */
int vmcfg_tp_table_add(struct parser *p, struct toml_table *t, const struct key_part *k,
		 struct vmcfg_toml_value **slot);
/*
 * Makes t (new, no entries yet; a header's table, in parent) the table
 * whose entries gather in the parser's scratch, after closing the
 * previous one; 0 or VMCFG_ENOMEM. When the previous header's table went
 * into another parent, that one is trimmed to its count (see trim).
 */
int vmcfg_tp_table_open(struct parser *p, struct toml_table *t, struct toml_table *parent);
/* Gives the open table (if any) its exact entries in the arena; 0 or VMCFG_ENOMEM. */
int vmcfg_tp_table_close(struct parser *p);
/* Prepares the parser's table scratch (the open entries); 0 or VMCFG_ENOMEM. */
int vmcfg_tp_table_scratch_init(struct parser *p);
/* Frees the parser's table scratch (the open entries and the key set). */
void vmcfg_tp_table_scratch_free(struct parser *p);
/* Appends an element to a [[name]] array and returns it in *slot. */
int vmcfg_tp_aot_append(struct parser *p, struct vmcfg_toml_value *arr, struct vmcfg_toml_value **slot);

#endif
