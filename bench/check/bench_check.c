/* SPDX-License-Identifier: MIT */
/*
 * Checker benchmark: a generated system of N VMs (8 identity-mapped RAM
 * regions, 2 emulated devices and 2 passthrough windows each, no conflicts)
 * on a platform with one large RAM bank.
 *
 *   check: vmcfg_check_system on the decoded VMs (best of R runs);
 *   end to end: what a user waits for beyond reading the files — parse and
 *     decode the N generated texts, then check (best of 3 runs).
 *
 * Each is timed twice: the thread's CPU time, and wall-clock time. On a
 * shared machine the wall-clock time of a 10 ms run often includes time
 * the scheduler gave other processes; the CPU time does not (cache and
 * memory contention still count in both).
 *
 *   bench_check N [R]   prints "vms=N … check_cpu_ms=… check_wall_ms=… e2e_cpu_ms=… e2e_wall_ms=…"
 *   bench_check --write DIR N
 *                       writes the system as DIR/vm*.toml and DIR/system.toml, to time
 *                       what the command line takes: vmcfg check --system DIR/system.toml
 *   bench_check --plain K [--scratch] N
 *                       decodes the N VMs, then checks them K times (K = 0: decode
 *                       only, for bench/check/measure.py to count a check's
 *                       instructions as the difference of two processes); prints
 *                       "plain=K peak_alloc=…" and each check's wall-clock time and
 *                       minor page faults (checkk_s=, checkk_faults=). peak_alloc is
 *                       the most the check held at once beyond the decoded VMs (a
 *                       counting allocator under the diagnostics list and the
 *                       scratch). --scratch: every check through one
 *                       vmcfg_check_scratch (vmcfg_check_system_scratch), whose
 *                       arena keeps its chunks from one check to the next.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "vmcfg/check.h"
#include "vmcfg/host.h"

/* Size of one generated VM file (about 700 bytes). */
#define VM_TEXT 4096

/* The platform: one RAM bank holding every VM's RAM, 8 CPUs, 48-bit IPA. */
#define RAM_BASE 0x100000000ull
#define RAM_SIZE (1ull << 40)
#define CPUS 8
#define IPA_BITS 48

/* VM i's file: every host range distinct from every other VM's. */
static int format_vm(char *buf, size_t size, unsigned i)
{
	unsigned long long ram = RAM_BASE + (unsigned long long)i * 0x1000000ull;
	unsigned long long hpa = 0x20000000000ull + (unsigned long long)i * 0x10000ull;
	int n = snprintf(buf, size,
			 "[base]\nid = %u\nname = \"vm%u\"\nvm_type = 1\ncpu_num = 1\n\n"
			 "[kernel]\nentry_point = %#llx\nkernel_path = \"k.bin\"\nkernel_load_addr = %#llx\n"
			 "memory_regions = [\n",
			 i + 1, i, ram, ram);
	for (unsigned r = 0; r < 8; r++)
		n += snprintf(buf + n, size - (size_t)n, "  [%#llx, 0x100000, 0x7, 1],\n",
			      ram + r * 0x200000ull);
	n += snprintf(buf + n, size - (size_t)n,
		      "]\n\n[devices]\ninterrupt_mode = \"emu\"\nemu_devices = [\n"
		      "  [\"console\", 0x9000000, 0x1000, 33, 0x02, []],\n"
		      "  [\"ivc\", 0x10000000, 0x10000, 0, 0x0A, []],\n]\n"
		      "passthrough_devices = [\n"
		      "  [\"dev0\", 0xa000000, %#llx, 0x1000, 0],\n"
		      "  [\"dev1\", 0xa001000, %#llx, 0x1000, 0],\n]\n",
		      hpa, hpa + 0x1000);
	return n;
}

/* The generated files: file i is text[i * VM_TEXT …], len[i] bytes, named name[i]. */
struct corpus {
	unsigned n;
	char *text;
	int *len;
	char (*name)[32];
};

static void generate(struct corpus *c, unsigned n)
{
	c->n = n;
	c->text = malloc((size_t)n * VM_TEXT);
	c->len = malloc(n * sizeof *c->len);
	c->name = malloc(n * sizeof *c->name);
	if (!c->text || !c->len || !c->name) {
		fprintf(stderr, "bench_check: out of memory\n");
		exit(1);
	}
	for (unsigned i = 0; i < n; i++) {
		c->len[i] = format_vm(c->text + (size_t)i * VM_TEXT, VM_TEXT, i);
		snprintf(c->name[i], sizeof c->name[i], "vm%u.toml", i);
	}
}

static void free_corpus(struct corpus *c)
{
	free(c->text);
	free(c->len);
	free(c->name);
}

/* Parses and decodes every file into specs; exits on any error (the corpus is valid). */
static void decode(const struct corpus *c, struct vmcfg_vm_spec **specs)
{
	struct vmcfg_diags d;
	vmcfg_diags_init(&d, &vmcfg_host_allocator);
	for (unsigned i = 0; i < c->n; i++) {
		if (vmcfg_vm_spec_load(c->text + (size_t)i * VM_TEXT, (size_t)c->len[i], c->name[i],
				 &vmcfg_host_allocator, &d, &specs[i]) ||
		    !specs[i] || d.errors) {
			fprintf(stderr, "bench_check: generated VM %u does not decode\n", i);
			exit(1);
		}
	}
	vmcfg_diags_free(&d);
}

/* The corpus as files in dir, with a system file naming them and the platform. */
static int write_files(const struct corpus *c, const char *dir)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/system.toml", dir);
	FILE *sys = fopen(path, "w");
	if (!sys)
		return 1;
	fprintf(sys, "vms = [\n");
	for (unsigned i = 0; i < c->n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, c->name[i]);
		FILE *f = fopen(path, "w");
		bool ok = f && fwrite(c->text + (size_t)i * VM_TEXT, 1, (size_t)c->len[i], f) ==
				       (size_t)c->len[i];
		if ((f && fclose(f)) || !ok) {
			fclose(sys);
			return 1;
		}
		fprintf(sys, "  \"%s\",\n", c->name[i]);
	}
	fprintf(sys,
		"]\n\n[platform]\narch = \"aarch64\"\ncpu_num = %d\nipa_bits = %d\n"
		"ram = [[%#llx, %#llx]]\n",
		CPUS, IPA_BITS, RAM_BASE, RAM_SIZE);
	return fclose(sys) != 0;
}

static void free_specs(struct vmcfg_vm_spec **specs, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		vmcfg_vm_spec_free(specs[i]);
}

/* Checks the system; returns its findings (errors and warnings), exits on failure. */
static size_t check(const struct vmcfg_platform *platform, struct vmcfg_vm_spec **specs, unsigned n)
{
	struct vmcfg_diags d;
	vmcfg_diags_init(&d, &vmcfg_host_allocator);
	int rc = vmcfg_check_system(NULL, platform, (const struct vmcfg_vm_spec *const *)specs, n, NULL,
				    &d);
	if (rc) {
		fprintf(stderr, "bench_check: %s\n", vmcfg_strerror(rc));
		exit(1);
	}
	size_t findings = d.errors + d.warnings;
	vmcfg_diags_free(&d);
	return findings;
}

/* A point in time, in ms: wall clock and this thread's CPU time. */
struct stamp {
	double wall, cpu;
};

static double ms(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static struct stamp now(void)
{
	return (struct stamp){ ms(CLOCK_MONOTONIC), ms(CLOCK_THREAD_CPUTIME_ID) };
}

/* Keeps the least wall and the least CPU time seen since start in best. */
static void keep_best(struct stamp *best, struct stamp start)
{
	struct stamp end = now();
	if (end.wall - start.wall < best->wall)
		best->wall = end.wall - start.wall;
	if (end.cpu - start.cpu < best->cpu)
		best->cpu = end.cpu - start.cpu;
}

/* --plain: K checks of the decoded system and nothing else; 0 on success. */
static int plain_run(const struct vmcfg_platform *platform, struct vmcfg_vm_spec **specs,
		     unsigned n, long k, bool use_scratch)
{
	struct vmcfg_counting_alloc st;
	memset(&st, 0, sizeof st);
	struct vmcfg_allocator counted = vmcfg_counting_allocator(&st);
	struct vmcfg_check_scratch scratch;
	vmcfg_check_scratch_init(&scratch, &counted);
	char line[4096];
	int at = 0;
	for (long r = 0; r < k; r++) {
		struct vmcfg_diags d;
		struct rusage r0, r1;
		vmcfg_diags_init(&d, &counted);
		getrusage(RUSAGE_SELF, &r0);
		struct stamp start = now();
		int rc = vmcfg_check_system_scratch(NULL, platform,
						    (const struct vmcfg_vm_spec *const *)specs, n, NULL,
						    use_scratch ? &scratch : NULL, &d);
		struct stamp end = now();
		getrusage(RUSAGE_SELF, &r1);
		if (rc || d.errors || d.warnings) {
			fprintf(stderr, "bench_check: check failed or found something\n");
			return 1;
		}
		vmcfg_diags_free(&d);
		if (at < (int)sizeof line - 80)
			at += snprintf(line + at, sizeof line - (size_t)at, " check%ld_s=%.6f check%ld_faults=%ld",
				       r, (end.wall - start.wall) / 1e3, r, r1.ru_minflt - r0.ru_minflt);
	}
	vmcfg_check_scratch_release(&scratch);
	printf("parser=check plain=%ld peak_alloc=%zu%s\n", k, st.peak, line);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "--write")) {
		struct corpus corpus;
		generate(&corpus, (unsigned)strtoul(argv[3], NULL, 0));
		int failed = write_files(&corpus, argv[2]);
		if (failed)
			perror(argv[2]);
		free_corpus(&corpus);
		return failed;
	}
	long plain = -1;
	bool use_scratch = false;
	if (argc >= 3 && !strcmp(argv[1], "--plain")) {
		plain = atol(argv[2]);
		argv += 2;
		argc -= 2;
		if (argc >= 2 && !strcmp(argv[1], "--scratch")) {
			use_scratch = true;
			argv++;
			argc--;
		}
	}
	unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 1000;
	int runs = argc > 2 ? atoi(argv[2]) : 5;
	struct vmcfg_vm_spec **specs = calloc(n ? n : 1, sizeof *specs);
	struct corpus corpus;
	if (!specs) {
		fprintf(stderr, "bench_check: out of memory\n");
		return 1;
	}
	generate(&corpus, n);

	const struct vmcfg_host_range ram = { NULL, RAM_BASE, RAM_SIZE, { 0, 0, 0, 0 } };
	struct vmcfg_platform platform = { 0 };
	platform.arch = VMCFG_ARCH_AARCH64;
	platform.cpu_num = CPUS;
	platform.ipa_bits = IPA_BITS;
	platform.ram = &ram;
	platform.ram_count = 1;

	if (plain >= 0) {
		decode(&corpus, specs);
		int rc = plain_run(&platform, specs, n, plain, use_scratch);
		free_specs(specs, n);
		free(specs);
		free_corpus(&corpus);
		return rc;
	}

	struct stamp best = { 1e300, 1e300 }, e2e = { 1e300, 1e300 };
	size_t findings = 0;
	for (int r = 0; r < 3; r++) {
		struct stamp start = now();
		decode(&corpus, specs);
		findings = check(&platform, specs, n);
		keep_best(&e2e, start);
		free_specs(specs, n);
	}
	decode(&corpus, specs);
	for (int r = 0; r < runs; r++) {
		struct stamp start = now();
		findings += check(&platform, specs, n);
		keep_best(&best, start);
	}
	printf("vms=%u ranges=%u findings=%zu check_cpu_ms=%.3f check_wall_ms=%.3f "
	       "e2e_cpu_ms=%.3f e2e_wall_ms=%.3f\n",
	       n, n * 12, findings, best.cpu, best.wall, e2e.cpu, e2e.wall);
	free_specs(specs, n);
	free(specs);
	free_corpus(&corpus);
	return findings != 0;
}
