/* SPDX-License-Identifier: MIT */
/*
 * vmcfg toml2json: TOML in, the tagged JSON of the toml-test decoder
 * protocol out, so the parser can be run against that conformance suite.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "vmcfg/host.h"
#include "vmcfg/toml.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: vmcfg toml2json [FILE]\n\n"
		"Parses TOML 1.0 from FILE, or from standard input when FILE is absent or '-',\n"
		"and prints it as the tagged JSON of the toml-test decoder protocol: tables\n"
		"and arrays become JSON objects and arrays, every other value becomes\n"
		"{\"type\": TYPE, \"value\": \"TEXT\"}. Keys keep their document order.\n\n"
		"exit status: 0 valid TOML; 1 invalid TOML, described on standard error as\n"
		"FILE:LINE:COL: error: MESSAGE; 2 usage or I/O error\n");
}

/* A JSON string: quotes, backslashes and control characters escaped, UTF-8 kept. */
static void put_string(FILE *f, const char *s, size_t n)
{
	putc('"', f);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\t': fputs("\\t", f); break;
		case '\r': fputs("\\r", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		default:
			if (c < 0x20 || c == 0x7F)
				fprintf(f, "\\u%04x", c);
			else
				putc(c, f);
		}
	}
	putc('"', f);
}

static void put_scalar(FILE *f, const struct vmcfg_toml_value *v)
{
	static const char *const tags[] = {
		[VMCFG_TOML_STRING] = "string",
		[VMCFG_TOML_INTEGER] = "integer",
		[VMCFG_TOML_FLOAT] = "float",
		[VMCFG_TOML_BOOL] = "bool",
		[VMCFG_TOML_DATETIME] = "datetime",
		[VMCFG_TOML_DATETIME_LOCAL] = "datetime-local",
		[VMCFG_TOML_DATE_LOCAL] = "date-local",
		[VMCFG_TOML_TIME_LOCAL] = "time-local",
	};
	char buf[48];
	const char *s = buf;
	size_t n = 0;
	int64_t i;
	uint64_t u;
	bool b;
	struct vmcfg_toml_datetime dt;

	switch (vmcfg_toml_type(v)) {
	case VMCFG_TOML_STRING:
		vmcfg_toml_get_string(v, &s, &n);
		break;
	case VMCFG_TOML_INTEGER:
		if (vmcfg_toml_get_int(v, &i) == 0)
			n = (size_t)snprintf(buf, sizeof buf, "%lld", (long long)i);
		else if (vmcfg_toml_get_u64(v, &u) == 0)
			n = (size_t)snprintf(buf, sizeof buf, "%llu", (unsigned long long)u);
		break;
	case VMCFG_TOML_FLOAT:
		vmcfg_toml_get_float_text(v, &s, &n);
		if (strstr(s, "nan")) /* the protocol has no signed NaN */
			s = "nan", n = 3;
		break;
	case VMCFG_TOML_BOOL:
		vmcfg_toml_get_bool(v, &b);
		s = b ? "true" : "false";
		n = strlen(s);
		break;
	default:
		vmcfg_toml_get_datetime(v, &dt);
		n = vmcfg_toml_format_datetime(&dt, buf, sizeof buf);
		break;
	}
	fprintf(f, "{\"type\": \"%s\", \"value\": ", tags[vmcfg_toml_type(v)]);
	put_string(f, s, n);
	putc('}', f);
}

/* Nesting is bounded by the parser's depth limit, so recursion is safe. */
static void put_value(FILE *f, const struct vmcfg_toml_doc *doc, const struct vmcfg_toml_value *v,
		      int indent)
{
	enum vmcfg_toml_type t = vmcfg_toml_type(v);
	size_t n = vmcfg_toml_count(v);

	if (t != VMCFG_TOML_TABLE && t != VMCFG_TOML_ARRAY) {
		put_scalar(f, v);
		return;
	}
	if (n == 0) {
		fputs(t == VMCFG_TOML_TABLE ? "{}" : "[]", f);
		return;
	}
	fputs(t == VMCFG_TOML_TABLE ? "{\n" : "[\n", f);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%*s", 2 * (indent + 1), "");
		if (t == VMCFG_TOML_TABLE) {
			struct vmcfg_toml_key key;
			const struct vmcfg_toml_value *e = vmcfg_toml_table_at(doc, v, i, &key);
			put_string(f, key.name, key.len);
			fputs(": ", f);
			put_value(f, doc, e, indent + 1);
		} else {
			put_value(f, doc, vmcfg_toml_array_at(v, i), indent + 1);
		}
		fputs(i + 1 < n ? ",\n" : "\n", f);
	}
	fprintf(f, "%*s%c", 2 * indent, "", t == VMCFG_TOML_TABLE ? '}' : ']');
}

int cmd_toml2json(int argc, char **argv)
{
	const char *path = NULL;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		}
		if (argv[i][0] == '-' && argv[i][1])
			return vmcfg_usage_error("toml2json", "unknown option '%s'", argv[i]);
		if (path)
			return vmcfg_usage_error("toml2json", "takes one FILE at most");
		path = argv[i];
	}
	if (!path)
		path = "-";
	const char *name = strcmp(path, "-") ? path : "<stdin>";

	char *text;
	size_t len;
	int rc = vmcfg_read_file(path, &text, &len);
	if (rc) {
		fprintf(stderr, "vmcfg toml2json: cannot read %s: %s\n", name,
			vmcfg_read_strerror(rc, errno));
		return 2;
	}

	struct vmcfg_toml_doc *doc;
	struct vmcfg_toml_error err;
	rc = vmcfg_toml_parse(text, len, &vmcfg_host_allocator, NULL, &doc, &err);
	free(text);
	if (rc) {
		fprintf(stderr, "%s:%u:%u: error: %s\n", name, err.span.line, err.span.col,
			err.msg);
		return rc == VMCFG_ESYNTAX || rc == VMCFG_ELIMIT ? 1 : 2;
	}
	put_value(stdout, doc, vmcfg_toml_root(doc), 0);
	putc('\n', stdout);
	vmcfg_toml_free(doc);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "vmcfg toml2json: cannot write the output: %s\n", strerror(errno));
		return 2;
	}
	return 0;
}
