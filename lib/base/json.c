/* SPDX-License-Identifier: MIT */
/* JSON writing primitives shared by the emitters. */
#include "vmcfg/json.h"
#include "libc.h"

void vmcfg_json_write_string(const struct vmcfg_writer *w, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t run = 0; /* start of the pending run of bytes that need no escape */

	vmcfg_write(w, "\"", 1);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[6];
		size_t n = 2;
		esc[0] = '\\';
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			if (c >= 0x20 && c != 0x7f)
				continue;
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
		}
		if (i > run)
			vmcfg_write(w, s + run, i - run);
		vmcfg_write(w, esc, n);
		run = i + 1;
	}
	if (len > run)
		vmcfg_write(w, s + run, len - run);
	vmcfg_write(w, "\"", 1);
}

void vmcfg_json_write_u64(const struct vmcfg_writer *w, uint64_t v)
{
	char buf[24];
	size_t n = vmcfg_snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
	vmcfg_write(w, buf, n);
}

void vmcfg_json_write_hex(const struct vmcfg_writer *w, uint64_t v)
{
	char buf[24];
	size_t n = vmcfg_snprintf(buf, sizeof buf, "\"0x%llx\"", (unsigned long long)v);
	vmcfg_write(w, buf, n);
}

void vmcfg_json_write_uint(const struct vmcfg_writer *w, uint64_t v)
{
	char buf[24];
	size_t n = vmcfg_snprintf(buf, sizeof buf, v > VMCFG_JSON_MAX_SAFE ? "\"%llu\"" : "%llu",
				  (unsigned long long)v);
	vmcfg_write(w, buf, n);
}

void vmcfg_json_write_i64(const struct vmcfg_writer *w, int64_t v)
{
	char buf[24];
	size_t n = vmcfg_snprintf(buf, sizeof buf, "%lld", (long long)v);
	vmcfg_write(w, buf, n);
}

void vmcfg_json_write_raw(const struct vmcfg_writer *w, const char *s)
{
	vmcfg_write(w, s, strlen(s));
}
