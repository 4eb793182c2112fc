/* SPDX-License-Identifier: MIT */
/*
 * What `vmcfg fmt` does to a VM file, in one process, for
 * bench/fmt/measure_fmt.py: parse, decode and write the canonical text with
 * its comments (vmcfg_vm_spec_emit_toml_commented) into memory.
 *
 *   bench_fmt --plain K FILE
 *
 * Reads FILE, formats it K times (K = 0: read only, so that callgrind can
 * count a format's instructions as the difference of two processes) and
 * prints one line: "plain=K peak_alloc=… out_bytes=…", then each round's
 * wall-clock time and minor page faults (fmtk_s=, fmtk_faults=).
 * peak_alloc is the most one round held at once (a counting allocator
 * under everything the library allocates; the output buffer is the
 * driver's, not counted). Exits 1 when the file does not format.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "vmcfg/host.h"
#include "vmcfg/spec.h"

struct out {
	char *data;
	size_t len, cap;
	int failed;
};

static void out_write(void *ud, const char *s, size_t len)
{
	struct out *o = ud;
	if (o->failed)
		return;
	if (o->len + len > o->cap) {
		size_t cap = o->cap ? o->cap : 1 << 16;
		while (cap < o->len + len)
			cap *= 2;
		char *d = realloc(o->data, cap);
		if (!d) {
			o->failed = 1;
			return;
		}
		o->data = d;
		o->cap = cap;
	}
	memcpy(o->data + o->len, s, len);
	o->len += len;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One format of text into o; 0 on success. */
static int format(const char *text, size_t len, const struct vmcfg_allocator *a, struct out *o)
{
	struct vmcfg_diags diags;
	struct vmcfg_toml_doc *doc = NULL;
	struct vmcfg_vm_spec *spec = NULL;
	struct vmcfg_writer w = { out_write, o };
	vmcfg_diags_init(&diags, a);
	int rc = vmcfg_vm_spec_parse_toml(text, len, "bench.toml", a, &diags, &doc);
	if (!rc && doc)
		rc = vmcfg_vm_spec_decode(doc, "bench.toml", a, &diags, &spec);
	if (!rc && (!doc || diags.errors))
		rc = 1;
	if (!rc)
		rc = vmcfg_vm_spec_emit_toml_commented(spec, text, len, a, &w);
	vmcfg_vm_spec_free(spec);
	vmcfg_toml_free(doc);
	vmcfg_diags_free(&diags);
	return rc || o->failed;
}

int main(int argc, char **argv)
{
	if (argc != 4 || strcmp(argv[1], "--plain") != 0) {
		fprintf(stderr, "usage: %s --plain K FILE\n", argv[0]);
		return 2;
	}
	long k = atol(argv[2]);
	char *text;
	size_t len;
	if (vmcfg_read_file(argv[3], &text, &len) != 0) {
		perror(argv[3]);
		return 1;
	}
	struct vmcfg_counting_alloc st;
	memset(&st, 0, sizeof st);
	struct vmcfg_allocator a = vmcfg_counting_allocator(&st);
	struct out o = { 0 };
	char line[4096];
	int at = 0;
	for (long r = 0; r < k; r++) {
		struct rusage r0, r1;
		o.len = 0;
		getrusage(RUSAGE_SELF, &r0);
		double t0 = now();
		if (format(text, len, &a, &o)) {
			fprintf(stderr, "bench_fmt: %s does not format\n", argv[3]);
			return 1;
		}
		double t1 = now();
		getrusage(RUSAGE_SELF, &r1);
		if (at < (int)sizeof line - 80)
			at += snprintf(line + at, sizeof line - (size_t)at, " fmt%ld_s=%.6f fmt%ld_faults=%ld",
				       r, t1 - t0, r, r1.ru_minflt - r0.ru_minflt);
	}
	printf("plain=%ld peak_alloc=%zu out_bytes=%zu%s\n", k, st.peak, o.len, line);
	free(o.data);
	free(text);
	return 0;
}
