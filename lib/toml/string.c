/* SPDX-License-Identifier: MIT */
/*
 * String literals: "basic" (with escapes) and 'literal', each also in a
 * """multi-line""" form. A string without escapes is returned as a slice
 * of the input; only when something must be rewritten (escapes, a
 * line-ending backslash, CRLF) are the bytes assembled in p->str and
 * copied into the arena (with the length before them, see str_len).
 */
#include "internal.h"

static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20; /* lower case */
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Appends the UTF-8 form of the Unicode scalar value cp. */
static int put_utf8(struct parser *p, uint32_t cp)
{
	unsigned char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xC0 | cp >> 6);
		b[1] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xE0 | cp >> 12);
		b[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		b[2] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (unsigned char)(0xF0 | cp >> 18);
		b[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
		b[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		b[3] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return buf_append(&p->str, &p->alloc, b, n) ? vmcfg_tp_fail_nomem(p) : 0;
}

/* Appends the input bytes [from, to) to p->str. */
static int put(struct parser *p, const unsigned char *from, const unsigned char *to)
{
	return buf_append(&p->str, &p->alloc, from, (size_t)(to - from)) ? vmcfg_tp_fail_nomem(p) : 0;
}

/* Decodes the escape sequence at *sp (a backslash) into p->str and moves *sp past it. */
static int unescape(struct parser *p, const unsigned char **sp)
{
	const unsigned char *s = *sp;
	char c;

	switch (s + 1 < p->end ? s[1] : 0) {
	case 'b': c = '\b'; break;
	case 't': c = '\t'; break;
	case 'n': c = '\n'; break;
	case 'f': c = '\f'; break;
	case 'r': c = '\r'; break;
	case '"': c = '"'; break;
	case '\\': c = '\\'; break;
	case 'u':
	case 'U': {
		int digits = s[1] == 'u' ? 4 : 8;
		uint32_t cp = 0;
		for (int i = 0; i < digits; i++) {
			int h = s + 2 + i < p->end ? hex_value(s[2 + i]) : -1;
			if (h < 0)
				return vmcfg_tp_fail(p, s, VMCFG_ESYNTAX,
					       "invalid escape: '\\%c' needs %d hex digits", s[1],
					       digits);
			cp = cp << 4 | (uint32_t)h;
		}
		if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return vmcfg_tp_fail(p, s, VMCFG_ESYNTAX,
				       "invalid escape '\\%c%.*s': not a Unicode scalar value",
				       s[1], digits, (const char *)s + 2);
		*sp = s + 2 + digits;
		return put_utf8(p, cp);
	}
	default: {
		char d[CHAR_TEXT];
		if (s + 1 < p->end && s[1] > 0x20 && s[1] < 0x7F)
			return vmcfg_tp_fail(p, s, VMCFG_ESYNTAX, "invalid escape '\\%c' in string",
				       s[1]);
		return vmcfg_tp_fail(p, s, VMCFG_ESYNTAX, "invalid escape: '\\' followed by %s",
			       vmcfg_tp_describe_char(p, s + 1, d));
	}
	}
	*sp = s + 2;
	return buf_append(&p->str, &p->alloc, &c, 1) ? vmcfg_tp_fail_nomem(p) : 0;
}

/* The error for a character a string may not contain. */
static int bad_char(struct parser *p, const unsigned char *s, const unsigned char *open)
{
	char d[CHAR_TEXT];
	struct vmcfg_span o = vmcfg_tp_error_span(p, open, 0);

	if (*s == '\n' || *s == '\r')
		return vmcfg_tp_fail(
			p, s, VMCFG_ESYNTAX,
			"string opened at line %u, col %u is not closed at the end of the line",
			o.line, o.col);
	if (*open == '"')
		return vmcfg_tp_fail(p, s, VMCFG_ESYNTAX, "%s in a string (write it as \\u%04X)",
			       vmcfg_tp_describe_char(p, s, d), *s);
	return vmcfg_tp_fail(p, s, VMCFG_ESYNTAX, "%s is not allowed in a literal string",
		       vmcfg_tp_describe_char(p, s, d));
}

static int unterminated(struct parser *p, const unsigned char *open, const char *what)
{
	struct vmcfg_span o = vmcfg_tp_error_span(p, open, 0);
	return vmcfg_tp_fail(p, p->end, VMCFG_ESYNTAX, "unterminated %s (opened at line %u, col %u)",
		       what, o.line, o.col);
}

/*
 * Finishes a string whose text is [start, stop): a slice of the input
 * unless bytes were assembled in p->str (then [run, stop) still follows them).
 */
static int finish(struct parser *p, bool assembled, const unsigned char *start,
		  const unsigned char *run, const unsigned char *stop, struct str *out)
{
	if (!assembled) {
		out->ptr = (const char *)start;
		out->len = (uint32_t)(stop - start);
		out->borrowed = true;
		return 0;
	}
	int rc = put(p, run, stop);
	if (rc)
		return rc;
	out->ptr = tp_str_copy(p, p->str.data, p->str.len);
	if (!out->ptr)
		return vmcfg_tp_fail_nomem(p);
	out->len = (uint32_t)p->str.len;
	out->borrowed = false;
	return 0;
}

/* "basic" or 'literal' on one line; p->s at the opening quote. */
static int single_line(struct parser *p, struct str *out)
{
	const unsigned char *open = p->s, *s = open + 1, *run = s, *end = p->end;
	const unsigned char q = *open;
	const uint8_t plain = q == '"' ? C_BASIC : C_LITERAL;
	bool assembled = false;
	int rc;

	p->str.len = 0;
	for (;;) {
		s = skip_plain(s, end, q, q == '"' ? '\\' : q);
		while (s < end && (vmcfg_tp_class[*s] & plain))
			s++;
		if (s == end)
			return unterminated(p, open, "string");
		if (*s == q)
			break;
		if (*s == '\\' && q == '"') {
			if ((rc = put(p, run, s)) || (rc = unescape(p, &s)))
				return rc;
			run = s;
			assembled = true;
		} else if (*s >= 0x80) {
			if ((rc = vmcfg_tp_utf8_char(p, s)) < 0)
				return rc;
			s += rc;
		} else {
			return bad_char(p, s, open);
		}
	}
	p->s = s + 1;
	return finish(p, assembled, open + 1, run, s, out);
}

/* Consumes the newline at *sp, recording the line. */
static int take_newline(struct parser *p, const unsigned char **sp)
{
	p->s = *sp;
	int rc = newline(p);
	*sp = p->s;
	return rc;
}

/* """basic""" or '''literal''' over any number of lines; p->s at the opening quotes. */
static int multi_line(struct parser *p, struct str *out)
{
	const unsigned char *open = p->s, *s = open + 3, *end = p->end;
	const unsigned char q = *open;
	const uint8_t plain = q == '"' ? C_BASIC : C_LITERAL;
	const char *what = q == '"' ? "multi-line string" : "multi-line literal string";
	bool assembled = false;
	int rc;

	p->str.len = 0;
	/* A newline right after the opening delimiter is not part of the string. */
	if (s < end && (*s == '\n' || *s == '\r') && (rc = take_newline(p, &s)))
		return rc;
	const unsigned char *start = s, *run = s;
	for (;;) {
		s = skip_plain(s, end, q, q == '"' ? '\\' : q);
		while (s < end && (vmcfg_tp_class[*s] & plain))
			s++;
		if (s == end)
			return unterminated(p, open, what);
		if (*s == q) {
			size_t k = 1;
			while (s + k < end && s[k] == q)
				k++;
			if (k < 3) {
				s += k;
				continue;
			}
			if (k > 5) /* two quotes may end the text, then the closing three */
				return vmcfg_tp_fail(p, s + 5, VMCFG_ESYNTAX,
					       "too many quotes at the end of a %s", what);
			p->s = s + k;
			return finish(p, assembled, start, run, s + (k - 3), out);
		}
		if (*s == '\\' && q == '"') {
			/* A backslash ending a line drops it and all blank space after it. */
			const unsigned char *t = s + 1;
			while (t < end && (*t == ' ' || *t == '\t'))
				t++;
			if (t < end && (*t == '\n' || *t == '\r')) {
				if ((rc = put(p, run, s)))
					return rc;
				s = t;
				while (s < end &&
				       (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
					if (*s == ' ' || *s == '\t')
						s++;
					else if ((rc = take_newline(p, &s)))
						return rc;
				}
			} else if (t != s + 1) {
				return vmcfg_tp_fail(p, s, VMCFG_ESYNTAX,
					       "a backslash followed by spaces must end the line");
			} else if ((rc = put(p, run, s)) || (rc = unescape(p, &s))) {
				return rc;
			}
			run = s;
			assembled = true;
		} else if (*s == '\n') {
			if ((rc = take_newline(p, &s)))
				return rc;
		} else if (*s == '\r') {
			/* CRLF is kept as "\n", so values do not depend on the file's line ends. */
			if ((rc = put(p, run, s)) || (rc = take_newline(p, &s)) ||
			    (rc = put_utf8(p, '\n')))
				return rc;
			run = s;
			assembled = true;
		} else if (*s >= 0x80) {
			if ((rc = vmcfg_tp_utf8_char(p, s)) < 0)
				return rc;
			s += rc;
		} else {
			return bad_char(p, s, open);
		}
	}
}

int vmcfg_tp_parse_string(struct parser *p, struct str *out)
{
	const unsigned char *s = p->s;
	if (p->end - s >= 3 && s[1] == s[0] && s[2] == s[0])
		return multi_line(p, out);
	return single_line(p, out);
}
