/* SPDX-License-Identifier: MIT */
/* vmcfg fmt: rewrite a VM file in canonical TOML. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmcfg/host.h"

#include "commands.h"
#include "load.h"

static void fmt_usage(FILE *out)
{
	fprintf(out, "usage: vmcfg fmt [-w] FILE\n\n"
		     "Prints the VM file in canonical form: [base], [kernel], [devices] with keys\n"
		     "in a fixed order, addresses and sizes in hex grouped by 4 digits, records\n"
		     "as positional arrays. The output reads back to the same configuration.\n"
		     "Comments are kept: the file header, comments above or after a table\n"
		     "header, key or array element, and those inside arrays (a commented-out\n"
		     "element stays in its array); each moves with the line it belongs to.\n"
		     "A comment on a key that is not written (unknown, warned about) moves to\n"
		     "the next line written. A file with errors is not formatted (exit 1).\n\n"
		     "options:\n"
		     "  -w, --write   replace FILE with the canonical form instead of printing it\n"
		     "  -h, --help    this text\n");
}

/* Collects the emitter's output so -w replaces the file only once it is complete. */
struct buffer {
	char *data;
	size_t len, cap;
	bool failed;
};

static void buffer_write(void *ud, const char *s, size_t len)
{
	struct buffer *b = ud;
	if (b->failed)
		return;
	if (b->len + len > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 4096;
		while (cap < b->len + len)
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
}

/* Writes data to path through a temporary file and a rename, so a failure leaves path intact. */
static int replace_file(const char *path, const char *data, size_t len)
{
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	if (!tmp)
		return -1;
	snprintf(tmp, n, "%s.vmcfg-tmp", path);
	FILE *f = fopen(tmp, "wb");
	int rc = -1;
	if (f) {
		bool ok = fwrite(data, 1, len, f) == len;
		ok = (fclose(f) == 0) && ok;
		if (ok && rename(tmp, path) == 0)
			rc = 0;
		else
			remove(tmp);
	}
	free(tmp);
	return rc;
}

int cmd_fmt(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "write", no_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool write_back = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "wh", opts, NULL)) != -1) {
		if (c == 'w') {
			write_back = true;
		} else if (c == 'h') {
			fmt_usage(stdout);
			return 0;
		} else {
			fmt_usage(stderr);
			return 2;
		}
	}
	if (argc - optind != 1) {
		fmt_usage(stderr);
		return 2;
	}
	const char *path = argv[optind];
	if (write_back && !strcmp(path, "-")) {
		fprintf(stderr, "vmcfg fmt: -w needs a file, not standard input\n");
		return 2;
	}
	struct vm_set set;
	int status = vm_set_load_one(&set, argv[optind]);
	if (status == 0) {
		struct buffer b = { 0 };
		struct vmcfg_writer w = { buffer_write, &b };
		const struct vm_file *file = &set.files[0];
		int rc = vmcfg_vm_spec_emit_toml_commented(file->spec, file->text, file->len,
						     &vmcfg_host_allocator, &w);
		if (rc || b.failed) {
			fprintf(stderr, "vmcfg fmt: out of memory\n");
			status = 2;
		} else if (!write_back) {
			fwrite(b.data, 1, b.len, stdout);
		} else if (replace_file(path, b.data, b.len)) {
			perror("vmcfg fmt");
			status = 2;
		}
		free(b.data);
	}
	vm_set_free(&set);
	return status;
}
