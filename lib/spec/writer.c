/* SPDX-License-Identifier: MIT */
/* Text output of the emitters: numbers in the project's styles, quoted strings. */
#include "writer.h"
#include "../base/libc.h"

void vmcfg_spec_put(const struct vmcfg_writer *w, const char *s)
{
	w->write(w->ud, s, strlen(s));
}

void vmcfg_spec_put_u64(const struct vmcfg_writer *w, uint64_t v, enum spec_radix radix)
{
	char buf[VMCFG_FMT_BUF];
	if (radix == SPEC_HEX)
		vmcfg_fmt_hex(buf, v);
	else
		vmcfg_snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
	vmcfg_spec_put(w, buf);
}

void vmcfg_spec_put_indent(const struct vmcfg_writer *w, unsigned level)
{
	while (level--)
		w->write(w->ud, "  ", 2);
}

/* The escape for byte c, or NULL when it is written as it is. */
static const char *escape(unsigned char c, char buf[8])
{
	switch (c) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\b':
		return "\\b";
	case '\t':
		return "\\t";
	case '\n':
		return "\\n";
	case '\f':
		return "\\f";
	case '\r':
		return "\\r";
	default:
		break;
	}
	if (c >= 0x20 && c != 0x7f)
		return NULL;
	vmcfg_snprintf(buf, 8, "\\u%04x", (unsigned)c);
	return buf;
}

void vmcfg_spec_put_quoted(const struct vmcfg_writer *w, const char *s, size_t len)
{
	size_t run = 0; /* start of the bytes not written yet */
	w->write(w->ud, "\"", 1);
	for (size_t i = 0; i < len; i++) {
		char buf[8];
		const char *e = escape((unsigned char)s[i], buf);
		if (!e)
			continue;
		if (i > run)
			w->write(w->ud, s + run, i - run);
		vmcfg_spec_put(w, e);
		run = i + 1;
	}
	if (len > run)
		w->write(w->ud, s + run, len - run);
	w->write(w->ud, "\"", 1);
}

void vmcfg_spec_put_quoted_cstr(const struct vmcfg_writer *w, const char *s)
{
	vmcfg_spec_put_quoted(w, s ? s : "", s ? strlen(s) : 0);
}
