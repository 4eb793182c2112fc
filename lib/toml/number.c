/* SPDX-License-Identifier: MIT */
/*
 * Values written as a bare token: integers (decimal, 0x, 0o, 0b), floats,
 * booleans, and dates and times (handed to datetime.c). The token is
 * delimited first, then validated as a whole, so a message can quote it.
 * No floating point: a float is validated and kept as text.
 */
#include "internal.h"

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* A digit's value plus one, in bases up to 16; 0 for any other byte. */
static const uint8_t digit_plus_one[256] = {
	['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,
	['5'] = 6,  ['6'] = 7,  ['7'] = 8,  ['8'] = 9,  ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/* A digit's value in bases up to 16; at least 16 for any other byte. */
static unsigned digit_value(unsigned char c)
{
	return digit_plus_one[c] - 1u;
}

/* Whether the token starts like a date ("dddd-") or a time ("dd:"). */
static bool looks_like_datetime(const unsigned char *t, size_t n)
{
	if (n > 4 && t[4] == '-')
		return is_digit(t[0]) && is_digit(t[1]) && is_digit(t[2]) && is_digit(t[3]);
	return n > 2 && t[2] == ':' && is_digit(t[0]) && is_digit(t[1]);
}

/* Fails naming the token: invalid integer '0x_1': '_' must be between digits. */
static int bad_token(struct parser *p, const unsigned char *t, size_t n, const char *what,
		     const char *why)
{
	int shown = n > 48 ? 48 : (int)n;
	return vmcfg_tp_fail(p, t, VMCFG_ESYNTAX, "invalid %s '%.*s%s'%s%s", what, shown, (const char *)t,
		       (size_t)shown < n ? "..." : "", why ? ": " : "", why ? why : "");
}

static const char *not_a_digit(unsigned base)
{
	return base == 10   ? "not a number"
	       : base == 16 ? "not a hexadecimal digit"
	       : base == 8  ? "not an octal digit"
			    : "not a binary digit";
}

/*
 * Checks that [s, e) is one or more digits of the base with single '_'
 * between digits. Returns NULL or why not.
 */
static const char *check_digits(const unsigned char *s, const unsigned char *e, unsigned base)
{
	bool after_digit = false;

	if (s == e)
		return "digits missing";
	for (; s < e; s++) {
		if (*s == '_' && !after_digit)
			return "'_' must be between digits";
		if (*s != '_' && digit_value(*s) >= base)
			return not_a_digit(base);
		after_digit = *s != '_';
	}
	return after_digit ? NULL : "'_' must be between digits";
}

/* The base a prefix letter after '0' selects (x, o, b), with its log2 in *shift; 0: none. */
static unsigned prefix_base(unsigned char c, unsigned *shift)
{
	switch (c) {
	case 'x': *shift = 4; return 16;
	case 'o': *shift = 3; return 8;
	case 'b': *shift = 1; return 2;
	default: return 0;
	}
}

/* Whether the '_' at s, in digits of the base that started at start, stands between two digits. */
static bool separates_digits(const unsigned char *s, const unsigned char *start,
			     const unsigned char *end, unsigned base)
{
	return *s == '_' && s != start && s + 1 != end && digit_value(s[1]) < base;
}

/*
 * Converts digits of the base (shift: its log2, 0 for base 10) from s on,
 * with single '_' between digits, and returns where they stop: at end or
 * at the first byte that does not continue them. *overflow tells whether
 * the value needs more than 64 bits. Only the conversion: check_digits()
 * words the error when the digits stop too early. One loop per kind of
 * base keeps the test for the kind out of the loop for every digit.
 */
static const unsigned char *read_digits(const unsigned char *s, const unsigned char *end,
					unsigned base, unsigned shift, uint64_t *value,
					bool *overflow)
{
	const unsigned char *start = s;
	uint64_t u = 0;
	bool over = false;

	if (shift) {
		uint64_t before_shift = 0; /* bits shifted out show here, checked once */
		for (; s < end; s++) {
			unsigned d = digit_value(*s);
			if (d < base) {
				before_shift |= u;
				u = u << shift | d;
			} else if (!separates_digits(s, start, end, base)) {
				break;
			}
		}
		over = before_shift >> (64 - shift) != 0;
	} else {
		for (; s < end; s++) {
			unsigned d = digit_value(*s);
			if (d < 10)
				over |= !vmcfg_mul_u64(u, 10, &u) || !vmcfg_add_u64(u, d, &u);
			else if (!separates_digits(s, start, end, 10))
				break;
		}
	}
	*value = u;
	*overflow = over;
	return s;
}

static int parse_integer(struct parser *p, const unsigned char *t, size_t n, struct vmcfg_toml_value *v)
{
	const unsigned char *s = t, *e = t + n;
	unsigned base = 10, shift = 0;
	bool neg = false;

	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (e - s > 1 && s[0] == '0' && !is_digit(s[1]) && s[1] != '_') {
		if (s[1] == 'X' || s[1] == 'O' || s[1] == 'B')
			return bad_token(p, t, n, "integer", "the base prefix must be lower case");
		if (!(base = prefix_base(s[1], &shift)))
			return bad_token(p, t, n, "integer", NULL);
		if (s != t)
			return bad_token(p, t, n, "integer",
					 "only decimal integers may have a sign");
		s += 2;
	} else if (e - s > 1 && s[0] == '0') {
		return bad_token(p, t, n, "integer", "leading zeros are not allowed");
	}
	if (s == e)
		return bad_token(p, t, n, "integer", "digits missing");

	uint64_t u;
	bool overflow;
	if (read_digits(s, e, base, shift, &u, &overflow) != e)
		return bad_token(p, t, n, "integer", check_digits(s, e, base));

	v->type = VMCFG_TOML_INTEGER;
	if (neg) {
		overflow |= u > (uint64_t)INT64_MAX + 1;
		v->as.i = (int64_t)(0 - u); /* wraps to INT64_MIN for 2^63, as intended */
	} else if (u > INT64_MAX) {
		overflow |= !p->allow_u64;
		v->as.u = u;
		v->flags |= VALUE_U64;
	} else {
		v->as.i = (int64_t)u;
	}
	if (overflow) {
		int shown = n > 48 ? 48 : (int)n;
		return vmcfg_tp_fail(p, t, VMCFG_ESYNTAX, "integer %.*s%s does not fit in 64 bits", shown,
			       (const char *)t, (size_t)shown < n ? "..." : "");
	}
	return 0;
}

/*
 * The common case in configurations, an unsigned integer (decimal, or
 * hexadecimal with 0x) that fits in int64_t, converted in one pass without
 * delimiting the token first: one loop per base with the base's tests
 * written out, so a digit costs a table lookup, a shift and an or. Returns
 * false for anything else, from signs, floats, dates, other bases and
 * values near the limit to every error: the general path then starts over
 * and decides.
 */
static bool quick_integer(struct parser *p, struct vmcfg_toml_value *v)
{
	const unsigned char *t = p->s, *s = t, *end = p->end;
	uint64_t u = 0;

	if (end - t > 2 && t[0] == '0' && t[1] == 'x') {
		/*
		 * Each digit adds its digit_plus_one value, so no digit needs
		 * the "- 1": n digits have added 0x11…1 (n ones) too much,
		 * taken off once at the end (exact modulo 2^64). Four digits
		 * at a time share one bounds check; the '_' between groups
		 * is the rare case.
		 */
		const unsigned char *digits = t + 2;
		unsigned d, seps = 0;
		s = digits;
		for (;;) {
			while (end - s >= 4) {
				if (!(d = digit_plus_one[s[0]]))
					goto stop;
				u = (u << 4) + d;
				if (!(d = digit_plus_one[s[1]])) {
					s += 1;
					goto stop;
				}
				u = (u << 4) + d;
				if (!(d = digit_plus_one[s[2]])) {
					s += 2;
					goto stop;
				}
				u = (u << 4) + d;
				if (!(d = digit_plus_one[s[3]])) {
					s += 3;
					goto stop;
				}
				u = (u << 4) + d;
				s += 4;
			}
			while (s < end && (d = digit_plus_one[*s]) != 0) {
				u = (u << 4) + d;
				s++;
			}
stop:
			if (!(s < end && *s == '_' && s != digits && end - s > 1 && digit_plus_one[s[1]]))
				break;
			s++;
			seps++;
		}
		size_t n = (size_t)(s - digits) - seps;
		if (n == 0 || n > 16) /* more than 16 digits may still fit (leading zeros): the general path */
			return false;
		u -= 0x1111111111111111u >> (4 * (16 - n));
		if (u > INT64_MAX)
			return false;
	} else if (s < end && is_digit(*s)) {
		for (;; s++) {
			unsigned d;
			if (s < end && (d = *s - (unsigned)'0') < 10) {
				if (u > (uint64_t)(INT64_MAX - 9) / 10)
					return false;
				u = u * 10 + d;
			} else if (!(s < end && *s == '_' && s != t && end - s > 1 && is_digit(s[1]))) {
				break;
			}
		}
		if (*t == '0' && s - t > 1)
			return false; /* leading zero: the general path words it */
	} else {
		return false;
	}
	/* The token must end where the digits do, as the general path delimits it. */
	if (s < end && (vmcfg_tp_class[*s] & C_TOKEN))
		return false;
	*v = (struct vmcfg_toml_value){
		.type = VMCFG_TOML_INTEGER,
		.off = offset_of(p, t),
		.len = (uint16_t)(s - t), /* at most 16 digits and 15 '_' (19 and 18 decimal) */
		.as.i = (int64_t)u,
	};
	p->s = s;
	return true;
}

/* The decimal integer part of a float: no leading zeros. */
static const char *check_int_part(const unsigned char *s, const unsigned char *e)
{
	if (s == e)
		return "a digit must come first";
	if (*s == '0' && e - s > 1)
		return "leading zeros are not allowed";
	return check_digits(s, e, 10);
}

static int parse_float(struct parser *p, const unsigned char *t, size_t n, struct vmcfg_toml_value *v)
{
	const unsigned char *s = t, *e = t + n, *dot = NULL, *exp = NULL;
	const char *why = NULL;

	if (*s == '+' || *s == '-')
		s++;
	if (e - s == 3 && (!memcmp(s, "inf", 3) || !memcmp(s, "nan", 3))) {
		/* as it is */
	} else {
		for (const unsigned char *c = s; c < e; c++) {
			if (*c == '.' && !dot && !exp)
				dot = c;
			else if ((*c == 'e' || *c == 'E') && !exp)
				exp = c;
		}
		const unsigned char *int_end = dot ? dot : exp ? exp : e;
		why = check_int_part(s, int_end);
		if (!why && dot)
			why = check_digits(dot + 1, exp ? exp : e, 10);
		if (!why && exp) {
			const unsigned char *x = exp + 1;
			if (x < e && (*x == '+' || *x == '-'))
				x++;
			why = check_digits(x, e, 10);
		}
		if (why)
			return bad_token(p, t, n, "float", why);
	}

	/* Kept without '_' and without a leading '+'. */
	char *text = tp_str_alloc(p, n);
	if (!text)
		return vmcfg_tp_fail_nomem(p);
	size_t len = 0;
	for (s = t + (*t == '+'); s < e; s++)
		if (*s != '_')
			text[len++] = (char)*s;
	str_set_len(text, (uint32_t)len);
	v->type = VMCFG_TOML_FLOAT;
	v->as.s = text;
	return 0;
}

/* Everything but quick_integer's case; out of line, so that case saves no registers. */
__attribute__((noinline)) static int scalar_token(struct parser *p, struct vmcfg_toml_value *v)
{
	const unsigned char *t = p->s, *s = t, *end = p->end;
	while (s < end && (vmcfg_tp_class[*s] & C_TOKEN))
		s++;
	/* "1979-05-27 07:32:00": a date, one space and a time make one token. */
	if (s - t == 10 && t[4] == '-' && end - s > 2 && s[0] == ' ' && is_digit(s[1]) &&
	    is_digit(s[2])) {
		for (s++; s < end && (vmcfg_tp_class[*s] & C_TOKEN); s++)
			;
	}
	size_t n = (size_t)(s - t);
	if (n == 0) {
		char d[CHAR_TEXT];
		return vmcfg_tp_fail(p, t, VMCFG_ESYNTAX, "expected a value, found %s",
			       vmcfg_tp_describe_char(p, t, d));
	}
	memset(v, 0, sizeof *v);
	if (set_span(p, v, offset_of(p, t), (uint32_t)n))
		return vmcfg_tp_fail_nomem(p);
	p->s = s;

	if (looks_like_datetime(t, n))
		return vmcfg_tp_parse_datetime(p, t, n, v);
	if ((n == 4 && !memcmp(t, "true", 4)) || (n == 5 && !memcmp(t, "false", 5))) {
		v->type = VMCFG_TOML_BOOL;
		v->as.b = n == 4;
		return 0;
	}
	const unsigned char *u = t + (*t == '+' || *t == '-');
	bool inf_nan = s - u == 3 && (!memcmp(u, "inf", 3) || !memcmp(u, "nan", 3));
	if (u < s && ((*u | 0x20) >= 'a' && (*u | 0x20) <= 'z') && !inf_nan)
		return bad_token(p, t, n, "value", "strings must be quoted");
	bool prefixed = s - u > 1 && u[0] == '0' &&
			((u[1] | 0x20) == 'x' || (u[1] | 0x20) == 'o' || (u[1] | 0x20) == 'b');
	bool is_float = inf_nan;
	for (const unsigned char *c = u; c < s && !prefixed && !is_float; c++)
		is_float = *c == '.' || *c == 'e' || *c == 'E';
	return is_float ? parse_float(p, t, n, v) : parse_integer(p, t, n, v);
}

int vmcfg_tp_parse_scalar_token(struct parser *p, struct vmcfg_toml_value *v)
{
	return quick_integer(p, v) ? 0 : scalar_token(p, v);
}
