/* SPDX-License-Identifier: MIT */
/*
 * Throughput of vmcfg's TOML parser, for bench/toml/run_bench.py.
 *
 *   bench_toml [--min-time SECONDS] [--min-iters N] FILE...
 *   bench_toml --plain N [--arena] FILE...
 *
 * --plain N parses each file N times with the host allocator and prints
 * one line: "parser=vmcfg plain=N", then for each round k its wall-clock
 * time and minor page faults (parsek_s=, parsek_faults=); N = 0 reads the
 * files only, so that bench/toml/measure.py can count a parse's
 * instructions as the difference between two whole processes. --arena parses into one
 * vmcfg_arena that is reset between documents (vmcfg_toml_options.arena):
 * the library's own way to keep its memory warm.
 *
 * Reads every FILE into memory first. One iteration parses each file in
 * turn and frees its document; iterations repeat until both --min-time
 * (default 1 s) and --min-iters (default 5) are reached. Prints one line of
 * key=value pairs: best and median time of an iteration, MB/s (10^6 bytes)
 * for both, how many files parsed, a fingerprint of the values (scalar
 * count, integer sum mod 2^64, string bytes; run_bench.py compares it with
 * the other parsers'), the counting allocator's peak for one document and
 * the peak RSS (VmHWM, see max_rss_kb) before and after parsing.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "vmcfg/host.h"
#include "vmcfg/toml.h"

struct input {
	const char *path;
	char *data;
	size_t len;
};

struct fingerprint {
	uint64_t leaves, int_sum, str_bytes;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * Peak RSS of this process in KiB: VmHWM of /proc/self/status. getrusage's
 * ru_maxrss is the fallback only: on Linux it carries over the peak of the
 * process image before exec (the parent's, after fork), which would hide
 * everything below the driver's own size.
 */
static long max_rss_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");
	if (f) {
		while (fgets(line, sizeof line, f))
			if (sscanf(line, "VmHWM: %ld", &kb) == 1)
				break;
		fclose(f);
	}
	if (kb < 0) {
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		kb = ru.ru_maxrss;
	}
	return kb;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void walk(const struct vmcfg_toml_doc *doc, const struct vmcfg_toml_value *v, struct fingerprint *fp)
{
	size_t n = vmcfg_toml_count(v);
	switch (vmcfg_toml_type(v)) {
	case VMCFG_TOML_TABLE:
		for (size_t i = 0; i < n; i++)
			walk(doc, vmcfg_toml_table_at(doc, v, i, NULL), fp);
		return;
	case VMCFG_TOML_ARRAY:
		for (size_t i = 0; i < n; i++)
			walk(doc, vmcfg_toml_array_at(v, i), fp);
		return;
	case VMCFG_TOML_INTEGER: {
		int64_t x = 0;
		uint64_t u = 0;
		if (vmcfg_toml_get_int(v, &x) == 0)
			fp->int_sum += (uint64_t)x;
		else if (vmcfg_toml_get_u64(v, &u) == 0)
			fp->int_sum += u;
		break;
	}
	case VMCFG_TOML_STRING: {
		const char *s;
		size_t len = 0;
		vmcfg_toml_get_string(v, &s, &len);
		fp->str_bytes += len;
		break;
	}
	default:
		break;
	}
	fp->leaves++;
}

/* --plain: n parses of each input and nothing else; 0 on success. */
static int plain_run(const struct input *in, size_t nin, long n, bool use_arena)
{
	struct vmcfg_arena arena;
	struct vmcfg_toml_options opts = { .arena = use_arena ? &arena : NULL };
	vmcfg_arena_init(&arena, &vmcfg_host_allocator, 0);
	printf("parser=vmcfg plain=%ld", n);
	for (long k = 0; k < n; k++) {
		struct rusage r0, r1;
		getrusage(RUSAGE_SELF, &r0);
		double t0 = now();
		for (size_t i = 0; i < nin; i++) {
			struct vmcfg_toml_doc *doc;
			if (vmcfg_toml_parse(in[i].data, in[i].len, &vmcfg_host_allocator, &opts, &doc,
					     NULL) != 0)
				return 1;
			vmcfg_toml_free(doc);
			vmcfg_arena_reset(&arena);
		}
		double t1 = now();
		getrusage(RUSAGE_SELF, &r1);
		printf(" parse%ld_s=%.6f parse%ld_faults=%ld", k, t1 - t0, k, r1.ru_minflt - r0.ru_minflt);
	}
	vmcfg_arena_release(&arena);
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	double min_time = 1.0;
	long min_iters = 5, plain = -1;
	bool use_arena = false;
	int first = 1;
	while (first < argc && strcmp(argv[first], "--arena") == 0) {
		use_arena = true;
		first++;
	}
	while (first + 1 < argc && strncmp(argv[first], "--", 2) == 0) {
		if (strcmp(argv[first], "--plain") == 0)
			plain = atol(argv[first + 1]);
		else if (strcmp(argv[first], "--min-time") == 0)
			min_time = atof(argv[first + 1]);
		else if (strcmp(argv[first], "--min-iters") == 0)
			min_iters = atol(argv[first + 1]);
		else
			break;
		first += 2;
	}
	if (first >= argc) {
		fprintf(stderr, "usage: %s [--min-time S] [--min-iters N] FILE...\n", argv[0]);
		return 2;
	}

	size_t nin = (size_t)(argc - first), total = 0;
	struct input *in = calloc(nin, sizeof *in);
	if (!in)
		return 1;
	for (size_t i = 0; i < nin; i++) {
		in[i].path = argv[first + (int)i];
		if (vmcfg_read_file(in[i].path, &in[i].data, &in[i].len) != 0) {
			perror(in[i].path);
			return 1;
		}
		total += in[i].len;
	}
	if (plain >= 0)
		return plain_run(in, nin, plain, use_arena);
	long rss_base = max_rss_kb();

	struct vmcfg_counting_alloc st;
	memset(&st, 0, sizeof st);
	struct vmcfg_allocator alloc = vmcfg_counting_allocator(&st);
	size_t cap = 1024, iters = 0, ok = 0;
	double *times = malloc(cap * sizeof *times);
	double start = now();
	if (!times)
		return 1;
	for (;;) {
		double t0 = now();
		ok = 0;
		for (size_t i = 0; i < nin; i++) {
			struct vmcfg_toml_doc *doc;
			if (vmcfg_toml_parse(in[i].data, in[i].len, &alloc, NULL, &doc, NULL) == 0) {
				ok++;
				vmcfg_toml_free(doc);
			}
		}
		double t1 = now();
		if (iters == cap) {
			double *p = realloc(times, 2 * cap * sizeof *times);
			if (!p)
				return 1;
			times = p;
			cap *= 2;
		}
		times[iters++] = t1 - t0;
		if (t1 - start >= min_time && (long)iters >= min_iters)
			break;
	}
	long rss_peak = max_rss_kb();
	size_t peak_alloc = st.peak; /* documents are freed one by one: the largest one's peak */

	/* Fingerprint from one more parse, outside the timing. */
	struct fingerprint fp = { 0, 0, 0 };
	for (size_t i = 0; i < nin; i++) {
		struct vmcfg_toml_doc *doc;
		struct vmcfg_toml_error err;
		if (vmcfg_toml_parse(in[i].data, in[i].len, &vmcfg_host_allocator, NULL, &doc, &err) != 0) {
			fprintf(stderr, "%s:%u:%u: %s\n", in[i].path, err.span.line, err.span.col,
				err.msg);
			continue;
		}
		walk(doc, vmcfg_toml_root(doc), &fp);
		vmcfg_toml_free(doc);
	}

	qsort(times, iters, sizeof *times, cmp_double);
	double best = times[0], median = times[iters / 2];
	if (iters % 2 == 0)
		median = (times[iters / 2 - 1] + times[iters / 2]) / 2;
	printf("parser=vmcfg files=%zu bytes=%zu iters=%zu best_s=%.6f median_s=%.6f "
	       "best_mbps=%.2f median_mbps=%.2f ok=%zu leaves=%llu int_sum=%llu str_bytes=%llu "
	       "peak_alloc=%zu rss_base_kb=%ld rss_peak_kb=%ld\n",
	       nin, total, iters, best, median, (double)total / best / 1e6,
	       (double)total / median / 1e6, ok, (unsigned long long)fp.leaves,
	       (unsigned long long)fp.int_sum, (unsigned long long)fp.str_bytes, peak_alloc,
	       rss_base, rss_peak);
	for (size_t i = 0; i < nin; i++)
		free(in[i].data);
	free(in);
	free(times);
	return 0;
}
