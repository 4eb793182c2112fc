/* SPDX-License-Identifier: MIT */
/* A small snprintf for messages (no floating point), and number formats for people. */
#include "vmcfg/base.h"
#include "libc.h"

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

/* Emits digits (already in text form) with the field width and flags applied. */
static void put_field(struct out *o, const char *prefix, const char *s, size_t n, int width,
		      bool left, bool zero)
{
	size_t plen = strlen(prefix);
	int pad = width - (int)(n + plen);
	if (!left && !zero)
		put_pad(o, ' ', pad);
	for (size_t i = 0; i < plen; i++)
		put(o, prefix[i]);
	if (!left && zero)
		put_pad(o, '0', pad);
	for (size_t i = 0; i < n; i++)
		put(o, s[i]);
	if (left)
		put_pad(o, ' ', pad);
}

static size_t utoa(char *tmp, uint64_t v, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char rev[24];
	size_t n = 0;
	do {
		rev[n++] = digits[v % base];
		v /= base;
	} while (v);
	for (size_t i = 0; i < n; i++)
		tmp[i] = rev[n - 1 - i];
	return n;
}

size_t vmcfg_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			put(&o, *p);
			continue;
		}
		p++;
		bool left = false, zero = false, alt = false;
		for (;; p++) {
			if (*p == '-')
				left = true;
			else if (*p == '0')
				zero = true;
			else if (*p == '#')
				alt = true;
			else
				break;
		}
		int width = 0, prec = -1;
		if (*p == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				left = true;
				width = -width;
			}
			p++;
		} else {
			while (*p >= '0' && *p <= '9')
				width = width * 10 + (*p++ - '0');
		}
		if (*p == '.') {
			p++;
			prec = 0;
			if (*p == '*') {
				prec = va_arg(ap, int);
				p++;
			} else {
				while (*p >= '0' && *p <= '9')
					prec = prec * 10 + (*p++ - '0');
			}
		}
		int lng = 0; /* 0 int, 1 long, 2 long long, 3 size_t */
		if (*p == 'l') {
			lng = 1;
			if (*++p == 'l') {
				lng = 2;
				p++;
			}
		} else if (*p == 'z') {
			lng = 3;
			p++;
		}
		char tmp[24];
		size_t n;
		uint64_t u;
		switch (*p) {
		case '\0':
			p--;
			break;
		case '%':
			put(&o, '%');
			break;
		case 'c':
			tmp[0] = (char)va_arg(ap, int);
			put_field(&o, "", tmp, 1, width, left, false);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			n = 0;
			while ((prec < 0 || n < (size_t)prec) && s[n])
				n++;
			put_field(&o, "", s, n, width, left, false);
			break;
		}
		case 'd':
		case 'i': {
			int64_t v = lng == 0 ? va_arg(ap, int)
				  : lng == 1 ? va_arg(ap, long)
				  : lng == 2 ? va_arg(ap, long long)
					     : (int64_t)va_arg(ap, size_t);
			u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
			n = utoa(tmp, u, 10, false);
			put_field(&o, v < 0 ? "-" : "", tmp, n, width, left, zero);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'p':
			if (*p == 'p')
				u = (uintptr_t)va_arg(ap, void *);
			else
				u = lng == 0 ? va_arg(ap, unsigned)
				  : lng == 1 ? va_arg(ap, unsigned long)
				  : lng == 2 ? va_arg(ap, unsigned long long)
					     : va_arg(ap, size_t);
			n = utoa(tmp, u, *p == 'u' ? 10 : 16, *p == 'X');
			put_field(&o, (alt && *p != 'u') || *p == 'p' ? "0x" : "", tmp, n, width,
				  left, zero);
			break;
		default: /* unknown conversion: print it as written */
			put(&o, '%');
			put(&o, *p);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len;
}

size_t vmcfg_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t n = vmcfg_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

char *vmcfg_fmt_hex(char buf[VMCFG_FMT_BUF], uint64_t v)
{
	char digits[24];
	size_t n = utoa(digits, v, 16, false), j = 0;
	buf[j++] = '0';
	buf[j++] = 'x';
	for (size_t i = 0; i < n; i++) {
		if (i && (n - i) % 4 == 0)
			buf[j++] = '_';
		buf[j++] = digits[i];
	}
	buf[j] = '\0';
	return buf;
}

char *vmcfg_fmt_size(char buf[VMCFG_FMT_BUF], uint64_t v)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned u = 0;

	while (u + 1 < sizeof(units) / sizeof(units[0]) && v >> (10 * (u + 1)))
		u++;
	/* The largest unit, when the value is exact in it to one decimal ("1.5 GiB")… */
	uint64_t unit = 1ull << (10 * u), rest = v & (unit - 1);
	if (rest == 0) {
		vmcfg_snprintf(buf, VMCFG_FMT_BUF, "%llu %s", (unsigned long long)(v >> (10 * u)),
			       units[u]);
		return buf;
	}
	if (u > 0 && rest * 10 % unit == 0) {
		vmcfg_snprintf(buf, VMCFG_FMT_BUF, "%llu.%llu %s", (unsigned long long)(v >> (10 * u)),
			       (unsigned long long)(rest * 10 / unit), units[u]);
		return buf;
	}
	/* …else the largest unit in which it is whole ("3413 MiB", "4097 B"): sizes stay exact. */
	while (u > 0 && (v & ((1ull << (10 * u)) - 1)))
		u--;
	vmcfg_snprintf(buf, VMCFG_FMT_BUF, "%llu %s", (unsigned long long)(v >> (10 * u)), units[u]);
	return buf;
}
