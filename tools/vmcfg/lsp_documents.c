/* SPDX-License-Identifier: MIT */
/* The language server's open documents, URIs and positions. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "vmcfg/host.h"
#include "vmcfg/json.h"

#include "lsp_server.h"

void vmcfg_lsp_buf_put(struct vmcfg_lsp_buf *b, const char *s, size_t len)
{
	if (b->failed)
		return;
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (cap < b->len + len + 1)
			cap *= 2;
		char *p = realloc(b->data, cap);
		if (!p) {
			b->failed = true;
			return;
		}
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void vmcfg_lsp_buf_puts(struct vmcfg_lsp_buf *b, const char *s)
{
	vmcfg_lsp_buf_put(b, s, strlen(s));
}

void vmcfg_lsp_buf_printf(struct vmcfg_lsp_buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n > 0)
		vmcfg_lsp_buf_put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static void buf_write(void *ud, const char *s, size_t len)
{
	vmcfg_lsp_buf_put(ud, s, len);
}

struct vmcfg_writer vmcfg_lsp_buf_writer(struct vmcfg_lsp_buf *b)
{
	struct vmcfg_writer w = { buf_write, b };
	return w;
}

void vmcfg_lsp_buf_json_str(struct vmcfg_lsp_buf *b, const char *s, size_t len)
{
	struct vmcfg_writer w = vmcfg_lsp_buf_writer(b);
	vmcfg_json_write_string(&w, s ? s : "", s ? len : 0);
}

struct vmcfg_lsp_doc *vmcfg_lsp_doc_find(struct vmcfg_lsp_server *s, const char *uri)
{
	for (size_t i = 0; i < s->count; i++)
		if (!strcmp(s->docs[i].uri, uri))
			return &s->docs[i];
	return NULL;
}

struct vmcfg_lsp_doc *vmcfg_lsp_doc_set(struct vmcfg_lsp_server *s, const char *uri, const char *text,
					size_t len)
{
	char *copy = malloc(len + 1);
	if (!copy)
		return NULL;
	memcpy(copy, text, len);
	copy[len] = '\0';
	struct vmcfg_lsp_doc *d = vmcfg_lsp_doc_find(s, uri);
	if (d) {
		free(d->text);
		d->text = copy;
		d->len = len;
		return d;
	}
	if (s->count == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		struct vmcfg_lsp_doc *docs = realloc(s->docs, cap * sizeof *docs);
		if (!docs) {
			free(copy);
			return NULL;
		}
		s->docs = docs;
		s->cap = cap;
	}
	d = &s->docs[s->count];
	d->uri = strdup(uri);
	d->path = vmcfg_lsp_uri_to_path(uri);
	if (!d->path && d->uri)
		d->path = strdup(uri);
	if (!d->uri || !d->path) {
		free(d->uri);
		free(d->path);
		free(copy);
		return NULL;
	}
	d->text = copy;
	d->len = len;
	s->count++;
	return d;
}

static void doc_free(struct vmcfg_lsp_doc *d)
{
	free(d->uri);
	free(d->path);
	free(d->text);
}

void vmcfg_lsp_doc_close(struct vmcfg_lsp_server *s, const char *uri)
{
	struct vmcfg_lsp_doc *d = vmcfg_lsp_doc_find(s, uri);
	if (!d)
		return;
	doc_free(d);
	*d = s->docs[--s->count];
}

void vmcfg_lsp_docs_free(struct vmcfg_lsp_server *s)
{
	for (size_t i = 0; i < s->count; i++)
		doc_free(&s->docs[i]);
	free(s->docs);
	s->docs = NULL;
	s->count = s->cap = 0;
}

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *vmcfg_lsp_uri_to_path(const char *uri)
{
	if (strncmp(uri, "file://", 7))
		return NULL;
	const char *p = uri + 7;
	if (*p != '/') { /* file://host/path: only the local host */
		if (strncmp(p, "localhost/", 10))
			return NULL;
		p += 9;
	}
	char *out = malloc(strlen(p) + 1);
	size_t n = 0;
	if (!out)
		return NULL;
	for (; *p; p++) {
		if (*p == '%' && hex(p[1]) >= 0 && hex(p[2]) >= 0) {
			char c = (char)(hex(p[1]) << 4 | hex(p[2]));
			if (!c) { /* a NUL names no file */
				free(out);
				return NULL;
			}
			out[n++] = c;
			p += 2;
		} else {
			out[n++] = *p;
		}
	}
	out[n] = '\0';
	return out;
}

char *vmcfg_lsp_path_to_uri(const char *path)
{
	static const char digits[] = "0123456789ABCDEF";
	char *out = malloc(strlen(path) * 3 + 8);
	if (!out)
		return NULL;
	size_t n = 0;
	memcpy(out, "file://", 7);
	n = 7;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    strchr("/-._~", *p)) {
			out[n++] = (char)*p;
		} else {
			out[n++] = '%';
			out[n++] = digits[*p >> 4];
			out[n++] = digits[*p & 15];
		}
	}
	out[n] = '\0';
	return out;
}

int vmcfg_lsp_read(void *server, const char *path, char **text, size_t *len)
{
	struct vmcfg_lsp_server *s = server;
	for (size_t i = 0; i < s->count; i++) {
		if (strcmp(s->docs[i].path, path))
			continue;
		*text = malloc(s->docs[i].len + 1);
		if (!*text)
			return VMCFG_ENOMEM;
		memcpy(*text, s->docs[i].text, s->docs[i].len + 1);
		*len = s->docs[i].len;
		return 0;
	}
	if (!strcmp(path, "-")) /* never the server's own standard input */
		return VMCFG_EIO;
	return vmcfg_read_file(path, text, len);
}

size_t vmcfg_lsp_offset(const char *text, size_t len, int64_t line, int64_t character)
{
	size_t p = 0;
	for (int64_t l = 0; l < line && p < len; p++)
		if (text[p] == '\n')
			l++;
	/* UTF-16 units: a 4-byte UTF-8 sequence is two, any other one. */
	for (int64_t u = 0; u < character && p < len && text[p] != '\n';) {
		unsigned char c = (unsigned char)text[p];
		size_t k = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		u += k == 4 ? 2 : 1;
		p += k;
	}
	return p < len ? p : len;
}

void vmcfg_lsp_put_position(struct vmcfg_lsp_buf *b, const char *text, size_t len, size_t off)
{
	size_t line = 0, units = 0;
	if (off > len)
		off = len;
	for (size_t p = 0; p < off;) {
		unsigned char c = (unsigned char)text[p];
		if (c == '\n') {
			line++;
			units = 0;
			p++;
			continue;
		}
		size_t k = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		units += k == 4 ? 2 : 1;
		p += k;
	}
	vmcfg_lsp_buf_printf(b, "{\"line\":%zu,\"character\":%zu}", line, units);
}

void vmcfg_lsp_put_range(struct vmcfg_lsp_buf *b, const char *text, size_t len, size_t from, size_t to)
{
	vmcfg_lsp_buf_puts(b, "{\"start\":");
	vmcfg_lsp_put_position(b, text, len, from);
	vmcfg_lsp_buf_puts(b, ",\"end\":");
	vmcfg_lsp_put_position(b, text, len, to < from ? from : to);
	vmcfg_lsp_buf_puts(b, "}");
}

enum vmcfg_file_kind vmcfg_lsp_kind(const char *text, size_t len)
{
	/* Top-level keys come before the first table header. */
	for (size_t p = 0; p < len;) {
		while (p < len && (text[p] == ' ' || text[p] == '\t'))
			p++;
		if (p < len && text[p] == '[')
			break;
		if (len - p > 3 && !memcmp(text + p, "vms", 3)) {
			size_t q = p + 3;
			while (q < len && (text[q] == ' ' || text[q] == '\t'))
				q++;
			if (q < len && text[q] == '=')
				return VMCFG_FILE_SYSTEM;
		}
		while (p < len && text[p] != '\n')
			p++;
		p++;
	}
	return VMCFG_FILE_VM;
}
