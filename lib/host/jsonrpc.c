/* SPDX-License-Identifier: MIT */
/* Content-Length framing of JSON-RPC messages (the LSP base protocol). */
#include <stdlib.h>
#include <string.h>

#include "vmcfg/jsonrpc.h"

/* One header line without its line end; false at end of input. Long lines are cut. */
static bool read_line(FILE *in, char *buf, size_t size)
{
	size_t n = 0;
	int c;
	while ((c = fgetc(in)) != EOF) {
		if (c == '\n')
			break;
		if (n + 1 < size)
			buf[n++] = (char)c;
	}
	if (c == EOF && n == 0)
		return false;
	if (n && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return true;
}

static bool header_is(const char *line, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < n; i++) {
		char c = line[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != name[i])
			return false;
	}
	return line[n] == ':';
}

int vmcfg_jsonrpc_read(FILE *in, char **body, size_t *len)
{
	char line[256];
	bool seen = false, bad = false, have_length = false;
	unsigned long long length = 0;
	*body = NULL;
	*len = 0;
	for (;;) {
		if (!read_line(in, line, sizeof line))
			return seen ? VMCFG_EIO : VMCFG_ENOENT;
		if (!line[0]) {
			if (!seen) /* blank lines between messages */
				continue;
			break;
		}
		seen = true;
		if (header_is(line, "content-length")) {
			const char *p = line + strlen("content-length:");
			while (*p == ' ' || *p == '\t')
				p++;
			char *end;
			if (*p < '0' || *p > '9')
				bad = true;
			length = strtoull(p, &end, 10);
			while (*end == ' ' || *end == '\t')
				end++;
			if (*end || length > SIZE_MAX - 1)
				bad = true;
			have_length = true;
		} else if (!strchr(line, ':')) {
			bad = true;
		}
	}
	if (bad || !have_length)
		return VMCFG_ESYNTAX;
	if (length > VMCFG_JSONRPC_MAX_BODY) {
		for (unsigned long long i = 0; i < length; i++)
			if (fgetc(in) == EOF)
				return VMCFG_EIO;
		return VMCFG_ELIMIT;
	}
	char *data = malloc((size_t)length + 1);
	if (!data)
		return VMCFG_ENOMEM;
	if (fread(data, 1, (size_t)length, in) != (size_t)length) {
		free(data);
		return VMCFG_EIO;
	}
	data[length] = '\0';
	*body = data;
	*len = (size_t)length;
	return 0;
}

int vmcfg_jsonrpc_write(FILE *out, const char *body, size_t len)
{
	if (fprintf(out, "Content-Length: %zu\r\n\r\n", len) < 0 || fwrite(body, 1, len, out) != len ||
	    fflush(out))
		return VMCFG_EIO;
	return 0;
}
