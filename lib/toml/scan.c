/* SPDX-License-Identifier: MIT */
/*
 * The byte level: UTF-8 validation, whitespace, comments, newlines, and
 * error reports with their location and a readable description of the
 * character found.
 */
#include "internal.h"

#define P (C_TEXT | C_BASIC | C_LITERAL) /* printable, nothing special */
#define K (P | C_KEY | C_TOKEN)          /* bare key character */
#define N (P | C_TOKEN)                  /* also in numbers and date-times: + . : */
#define Q (C_TEXT | C_LITERAL)           /* " and \ end a run of basic string text */
#define A (C_TEXT | C_BASIC)             /* ' ends a run of literal string text */

const uint8_t vmcfg_tp_class[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, P, 0, 0, 0, 0, 0, 0, /* 0x00: tab */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x10 */
	P, P, Q, P, P, P, P, A, P, P, P, N, P, K, N, P, /* 0x20:  !"#$%&'()*+,-./ */
	K, K, K, K, K, K, K, K, K, K, N, P, P, P, P, P, /* 0x30: 0-9 :;<=>? */
	P, K, K, K, K, K, K, K, K, K, K, K, K, K, K, K, /* 0x40: @ A-O */
	K, K, K, K, K, K, K, K, K, K, K, P, Q, P, P, K, /* 0x50: P-Z [\]^_ */
	P, K, K, K, K, K, K, K, K, K, K, K, K, K, K, K, /* 0x60: ` a-o */
	K, K, K, K, K, K, K, K, K, K, K, P, P, P, P, 0, /* 0x70: p-z {|}~ DEL */
	/* 0x80-0xff: UTF-8, checked by vmcfg_tp_utf8_char() */
};

#undef P
#undef K
#undef N
#undef Q
#undef A

struct vmcfg_span vmcfg_tp_error_span(const struct parser *p, const unsigned char *at, uint32_t len)
{
	uint32_t off = offset_of(p, at), line;
	const unsigned char *s = p->text + vmcfg_tp_lines_start(p->lines, off, &line);
	struct vmcfg_span sp = { off, len, line, 1 };

	/* The input is still there: count code points (and any line not indexed yet). */
	for (; s < at; s++) {
		if (*s == '\n') {
			sp.line++;
			sp.col = 1;
		} else {
			sp.col += (*s & 0xC0) != 0x80;
		}
	}
	return sp;
}

int vmcfg_tp_fail(struct parser *p, const unsigned char *at, int code, const char *fmt, ...)
{
	struct vmcfg_toml_error *e = p->err;
	if (e->code) /* the first error is the one to report */
		return code;
	e->code = code;
	e->span = vmcfg_tp_error_span(p, at, 0);
	va_list ap;
	va_start(ap, fmt);
	vmcfg_vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return code;
}

int vmcfg_tp_fail_nomem(struct parser *p)
{
	return vmcfg_tp_fail(p, p->s, VMCFG_ENOMEM, "out of memory");
}

/*
 * Length of the valid UTF-8 character at s (2-4 bytes), or 0 with *bad at
 * the offending byte (at s itself when the input ends inside it).
 * Rejects overlong forms, surrogates and values above U+10FFFF.
 */
static size_t utf8_len(const unsigned char *s, const unsigned char *end, const unsigned char **bad)
{
	unsigned c = s[0], lo = 0x80, hi = 0xBF;
	size_t n;

	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		lo = c == 0xE0 ? 0xA0 : 0x80; /* overlong */
		hi = c == 0xED ? 0x9F : 0xBF; /* surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		lo = c == 0xF0 ? 0x90 : 0x80; /* overlong */
		hi = c == 0xF4 ? 0x8F : 0xBF; /* above U+10FFFF */
	} else {
		*bad = s;
		return 0;
	}
	for (size_t i = 1; i < n; i++, lo = 0x80, hi = 0xBF) {
		if (s + i >= end) {
			*bad = s;
			return 0;
		}
		if (s[i] < lo || s[i] > hi) {
			*bad = s + i;
			return 0;
		}
	}
	return n;
}

int vmcfg_tp_utf8_char(struct parser *p, const unsigned char *s)
{
	const unsigned char *bad;
	size_t n = utf8_len(s, p->end, &bad);

	if (!n) {
		if (bad == s && *s >= 0xC2 && *s <= 0xF4)
			return vmcfg_tp_fail(p, s, VMCFG_ESYNTAX,
				       "incomplete UTF-8 character at end of input");
		if (bad != s)
			return vmcfg_tp_fail(p, s, VMCFG_ESYNTAX,
				       "invalid UTF-8 sequence starting with byte 0x%02x", *s);
		return vmcfg_tp_fail(p, s, VMCFG_ESYNTAX, "invalid UTF-8 byte 0x%02x", *s);
	}
	if (vmcfg_tp_lines_add_char(p->lines, &p->alloc, offset_of(p, s), (uint32_t)n))
		return vmcfg_tp_fail_nomem(p);
	return (int)n;
}

/* The value of a valid UTF-8 character of n bytes. */
static uint32_t code_point(const unsigned char *s, size_t n)
{
	uint32_t cp = s[0] & (0x7F >> n);
	for (size_t i = 1; i < n; i++)
		cp = cp << 6 | (s[i] & 0x3F);
	return cp;
}

const char *vmcfg_tp_describe_char(const struct parser *p, const unsigned char *at, char buf[CHAR_TEXT])
{
	const unsigned char *bad;
	size_t n;

	if (at >= p->end)
		return "end of input";
	if (*at == '\n' || *at == '\r')
		return "end of line";
	if (*at < 0x20 || *at == 0x7F)
		vmcfg_snprintf(buf, CHAR_TEXT, "control character U+%04X", *at);
	else if (*at == '\'')
		return "\"'\"";
	else if (*at < 0x80)
		vmcfg_snprintf(buf, CHAR_TEXT, "'%c'", *at);
	else if ((n = utf8_len(at, p->end, &bad)) != 0)
		vmcfg_snprintf(buf, CHAR_TEXT, "'%.*s' (U+%04X)", (int)n, (const char *)at,
			       (unsigned)code_point(at, n));
	else
		vmcfg_snprintf(buf, CHAR_TEXT, "invalid UTF-8 byte 0x%02x", *at);
	return buf;
}

/*
 * skip_plain() for comments, which end at nothing but a byte outside
 * printable ASCII (a newline is one): three tests per word instead of five.
 * Most comment bytes of a configuration pass here.
 */
static const unsigned char *skip_comment_text(const unsigned char *s, const unsigned char *end)
{
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
	const unsigned char *last = end - s >= 8 ? end - 8 : s - 1; /* the last start of a whole word */

	while (s <= last) {
		uint64_t x;
		memcpy(&x, s, 8);
		/* As in skip_plain: below 0x20, 0x7f and above; the lowest flag is exact. */
		uint64_t flags = ((x - ones * 0x20) | (x + ones) | x) & high;
		if (flags) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			s += __builtin_ctzll(flags) / 8;
#endif
			return s;
		}
		s += 8;
	}
	return s;
}

/* A comment's text from s on, where skip_comment_text stopped short of a '\n'. */
__attribute__((noinline)) static int comment_rest(struct parser *p, const unsigned char *s)
{
	const unsigned char *end = p->end;

	for (;;) {
		while (s < end && (vmcfg_tp_class[*s] & C_TEXT))
			s++;
		if (s == end || *s == '\n' || *s == '\r')
			break; /* newline() checks that '\r' is followed by '\n' */
		if (*s < 0x80) {
			char d[CHAR_TEXT];
			return vmcfg_tp_fail(p, s, VMCFG_ESYNTAX, "%s is not allowed in a comment",
				       vmcfg_tp_describe_char(p, s, d));
		}
		int n = vmcfg_tp_utf8_char(p, s);
		if (n < 0)
			return n;
		s = skip_comment_text(s + n, end);
	}
	p->s = s;
	return 0;
}

/* The comment at p->s ('#'); the common case, ASCII up to a '\n', inline. */
static inline int comment(struct parser *p)
{
	const unsigned char *s = skip_comment_text(p->s + 1, p->end);
	if (s < p->end && *s == '\n') {
		p->s = s;
		return 0;
	}
	return comment_rest(p, s);
}

int vmcfg_tp_skip_comment(struct parser *p)
{
	return comment(p);
}

/*
 * The position stays in a register (s) and goes back to p->s only for the
 * rare paths; a comment that ends at '\n' goes straight on to the newline.
 * Most lines of a commented configuration take this loop.
 */
int vmcfg_tp_skip_blank(struct parser *p)
{
	const unsigned char *s = p->s, *end = p->end;
	struct toml_lines *l = p->lines;

	for (;;) {
		if (s < end && (*s == ' ' || *s == '\t')) {
			p->s = s;
			skip_ws(p);
			s = p->s;
		}
		if (s == end)
			break;
		if (*s == '#') {
			s = skip_comment_text(s + 1, end);
			if (s == end || *s != '\n') {
				int rc = comment_rest(p, s);
				if (rc)
					return rc;
				s = p->s;
				continue;
			}
		}
		if (*s == '\n') {
			s++;
			if (lines_add(l, &p->alloc, offset_of(p, s))) {
				p->s = s;
				return vmcfg_tp_fail_nomem(p);
			}
		} else if (*s == '\r') {
			p->s = s;
			int rc = newline(p);
			if (rc)
				return rc;
			s = p->s;
		} else {
			break;
		}
	}
	p->s = s;
	return 0;
}

int vmcfg_tp_end_of_line(struct parser *p)
{
	skip_ws(p);
	if (p->s < p->end && *p->s == '#') {
		int rc = vmcfg_tp_skip_comment(p);
		if (rc)
			return rc;
	}
	if (p->s == p->end)
		return 0;
	if (*p->s == '\n' || *p->s == '\r')
		return newline(p);
	return 1;
}

/* Bounded output for key_text: stops at KEY_TEXT_MAX bytes and remembers it did. */
struct text_out {
	char *buf;
	size_t len;
	bool full;
};

static void text_put(struct text_out *w, const void *s, size_t n)
{
	if (w->full || n > KEY_TEXT_MAX - w->len) {
		w->full = true;
		return;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

const char *vmcfg_tp_key_text(const struct parser *p, size_t first, size_t n, char buf[KEY_TEXT_MAX + 4])
{
	const struct key_part *parts = (const struct key_part *)p->keys.data + first;
	struct text_out w = { buf, 0, false };

	for (size_t i = 0; i < n; i++) {
		const unsigned char *k = (const unsigned char *)parts[i].name;
		size_t len = parts[i].len, j = 0;
		bool bare = len > 0;
		while (j < len && bare)
			bare = is_bare_key_char(k[j++]);
		if (i)
			text_put(&w, ".", 1);
		if (!bare)
			text_put(&w, "\"", 1);
		for (j = 0; j < len; j++) {
			char esc[8];
			if (k[j] < 0x20 || k[j] == 0x7F) {
				text_put(&w, esc, vmcfg_snprintf(esc, sizeof esc, "\\u%04x", k[j]));
			} else {
				if (k[j] == '"' || k[j] == '\\')
					text_put(&w, "\\", 1);
				text_put(&w, k + j, 1);
			}
		}
		if (!bare)
			text_put(&w, "\"", 1);
	}
	if (w.full) {
		while (w.len > 0 && ((unsigned char)buf[w.len - 1] & 0xC0) == 0x80)
			w.len--; /* do not cut a character in two */
		if (w.len > 0 && (unsigned char)buf[w.len - 1] >= 0xC0)
			w.len--;
		memcpy(buf + w.len, "...", 3);
		w.len += 3;
	}
	buf[w.len] = '\0';
	return buf;
}

const char *vmcfg_tp_a_type(const struct vmcfg_toml_value *v)
{
	switch (v->type) {
	case VMCFG_TOML_TABLE:
		return v->as.tab->kind == VMCFG_TOML_TABLE_INLINE ? "an inline table" : "a table";
	case VMCFG_TOML_ARRAY: return v->flags & VALUE_AOT ? "an array of tables" : "an array";
	case VMCFG_TOML_STRING: return "a string";
	case VMCFG_TOML_INTEGER: return "an integer";
	case VMCFG_TOML_FLOAT: return "a float";
	case VMCFG_TOML_BOOL: return "a boolean";
	case VMCFG_TOML_DATETIME: return "an offset date-time";
	case VMCFG_TOML_DATETIME_LOCAL: return "a local date-time";
	case VMCFG_TOML_DATE_LOCAL: return "a local date";
	case VMCFG_TOML_TIME_LOCAL: return "a local time";
	default: return "a value";
	}
}
