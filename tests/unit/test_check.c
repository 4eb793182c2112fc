/* SPDX-License-Identifier: MIT */
/*
 * Tests of lib/check. The negative corpus (the .toml files of tests/check) is table
 * driven: each file is one case (a VM file, or a system file with `vms =`
 * whose VM files live in tests/check/vms/) and states what it must produce
 * in its leading comment lines:
 *
 *   # expect: CODE SEVERITY [FILE:]LINE:COL [related [FILE:]LINE:COL]
 *   # expect: none
 *
 * FILE is relative to tests/check (default: the case file; `-` for a
 * finding in no file). The findings
 * of error and warning severity must be exactly the expected ones; an
 * expected note must be there too. A VM file may list the host SPIs the
 * device tree would route to it in a comment `# spis: 40 41`. Images named
 * by kernel_path etc. are sized from the files (relative to tests/check).
 * A case with a `# platform: FILE.dts` line is checked against that host
 * device tree (relative to tests/check) as `vmcfg check --platform` does;
 * one with `# arch: ARCH` as `vmcfg check --arch ARCH`.
 * A VM file that cannot be read is an E0001 finding, as in the CLI.
 *
 * The positive corpus is every .toml of tests/data/axvisor-configs: no errors.
 * The source tree is found from $VMCFG_SRCDIR, else from __FILE__.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "vmcfg/check.h"
#include "vmcfg/fdt.h"
#include "vmcfg/host.h"

static char src_dir[4096]; /* the repository root, with a trailing '/' (or empty) */

static void find_src_dir(void)
{
	const char *env = getenv("VMCFG_SRCDIR");
	const char *self = __FILE__, *tail = strstr(self, "tests/unit/test_check.c");
	if (env && *env)
		snprintf(src_dir, sizeof src_dir, "%s/", env);
	else
		snprintf(src_dir, sizeof src_dir, "%.*s", (int)(tail ? tail - self : 0), self);
}

/* src_dir + rel, in a static rotation of buffers. */
static const char *src_path(const char *fmt, ...)
{
	static char bufs[4][4096];
	static int next;
	char *b = bufs[next++ % 4];
	size_t n = (size_t)snprintf(b, sizeof bufs[0], "%s", src_dir);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b + n, sizeof bufs[0] - n, fmt, ap);
	va_end(ap);
	return b;
}

/* --- loading a case: VM files (with their SPIs) and an optional system --- */

struct vm_file {
	char *text;
	struct vmcfg_vm_spec *spec;
	uint32_t spis[8];
	size_t spi_count;
};

struct loaded {
	struct vmcfg_diags diags;
	struct vmcfg_system *sys;
	struct vm_file vms[8];
	size_t vm_count;
	const struct vmcfg_vm_spec *specs[8];
	const char *base_dir; /* where images and VM files are looked up */
	struct vmcfg_fdt_platform *host; /* `# platform:` of the case, NULL when none */
};

/* The `# spis: …` comment of a VM file. */
static void read_spis(struct vm_file *f)
{
	const char *p = strstr(f->text, "# spis:");
	if (!p)
		return;
	p += 7;
	char *end;
	for (unsigned long v; f->spi_count < 8 && (v = strtoul(p, &end, 0), end != p); p = end)
		f->spis[f->spi_count++] = (uint32_t)v;
}

/* Loads base_dir/name as a VM whose diagnostics carry name. */
static void load_vm(struct loaded *l, const char *name)
{
	struct vm_file *f = &l->vms[l->vm_count];
	size_t len;
	char path[4096];
	snprintf(path, sizeof path, "%s%s", l->base_dir, name);
	if (vmcfg_read_file(path, &f->text, &len) != 0) {
		struct vmcfg_loc loc = { name, { 0, 0, 0, 0 } };
		assert_int_equal(vmcfg_diag_add(&l->diags, VMCFG_R_IO, loc, NULL, "cannot read %s", name), 0);
		l->specs[l->vm_count++] = NULL;
		return;
	}
	assert_int_equal(vmcfg_vm_spec_load(f->text, len, name, &vmcfg_host_allocator, &l->diags, &f->spec), 0);
	read_spis(f);
	l->specs[l->vm_count++] = f->spec;
}

static bool image_size(void *ud, const struct vmcfg_vm_spec *spec, enum vmcfg_image_kind kind,
		       const char *path, uint64_t *size)
{
	const struct loaded *l = ud;
	char full[4096];
	struct stat st;
	(void)spec;
	(void)kind;
	snprintf(full, sizeof full, "%s%s", l->base_dir, path);
	if (stat(full, &st) != 0)
		return false;
	*size = (uint64_t)st.st_size;
	return true;
}

static bool vm_spis(void *ud, const struct vmcfg_vm_spec *spec, const uint32_t **spis, size_t *n)
{
	const struct loaded *l = ud;
	for (size_t i = 0; i < l->vm_count; i++) {
		if (l->vms[i].spec == spec) {
			*spis = l->vms[i].spis;
			*n = l->vms[i].spi_count;
			return true;
		}
	}
	return false;
}

/* Loads a case file (a VM or a system) and runs the whole checker on it. */
static void load_and_check(struct loaded *l, const char *dir, const char *name, const char *text,
			   size_t len)
{
	memset(l, 0, sizeof *l);
	vmcfg_diags_init(&l->diags, &vmcfg_host_allocator);
	l->base_dir = dir;
	if (strstr(text, "\nvms") || !strncmp(text, "vms", 3)) {
		assert_int_equal(vmcfg_system_load(text, len, name, &vmcfg_host_allocator, &l->diags,
						   &l->sys), 0);
		assert_non_null(l->sys);
		for (size_t i = 0; i < l->sys->vm_count && i < 8; i++) {
			char vm[256];
			vmcfg_system_vm_path(l->sys, i, vm, sizeof vm);
			load_vm(l, vm);
		}
	} else {
		load_vm(l, name);
	}
	struct vmcfg_check_opts opts = { image_size, vm_spis, l, VMCFG_ARCH_UNKNOWN, 0 };
	const char *arch = strstr(text, "# arch:");
	if (arch) { /* as `vmcfg check --arch` */
		char arch_name[16];
		assert_int_equal(sscanf(arch, "# arch: %15s", arch_name), 1);
		assert_true(vmcfg_arch_by_name(arch_name, &opts.arch));
	}
	const struct vmcfg_platform *platform =
		l->sys && l->sys->has_platform ? &l->sys->platform : NULL;
	const char *dt = strstr(text, "# platform:");
	if (dt) {
		char file[256], path[4096];
		assert_int_equal(sscanf(dt, "# platform: %255s", file), 1);
		snprintf(path, sizeof path, "%s%s", dir, file);
		int rc = vmcfg_fdt_platform_load(path, &l->host, &l->diags);
		assert_true(rc == 0 || rc == VMCFG_EIO || rc == VMCFG_ESYNTAX);
	}
	if (l->host) {
		assert_int_equal(vmcfg_fdt_check(l->host, l->sys, l->specs, l->vm_count, &opts, &l->diags), 0);
		return;
	}
	assert_int_equal(vmcfg_check_system(l->sys, platform, l->specs, l->vm_count, &opts,
					    &l->diags), 0);
}

static void unload(struct loaded *l)
{
	for (size_t i = 0; i < l->vm_count; i++) {
		vmcfg_vm_spec_free(l->vms[i].spec);
		free(l->vms[i].text);
	}
	vmcfg_system_free(l->sys);
	vmcfg_fdt_platform_free(l->host);
	vmcfg_diags_free(&l->diags);
}

/* --- expectations --- */

struct place {
	char file[128];
	unsigned line, col;
};

struct expect {
	char code[8];
	char severity[16];
	struct place at, related;
	bool has_related;
};

/* "[FILE:]LINE:COL"; the file defaults to the case's. */
static bool parse_place(const char *s, const char *case_name, struct place *p)
{
	const char *colon2 = strrchr(s, ':');
	if (!colon2)
		return false;
	const char *colon1 = colon2;
	while (colon1 > s && colon1[-1] != ':')
		colon1--;
	snprintf(p->file, sizeof p->file, "%s", case_name);
	if (colon1 > s)
		snprintf(p->file, sizeof p->file, "%.*s", (int)(colon1 - 1 - s), s);
	p->line = (unsigned)strtoul(colon1, NULL, 10);
	p->col = (unsigned)strtoul(colon2 + 1, NULL, 10);
	return true;
}

/* Reads every `# expect:` line; returns how many (0 for `none`), -1 when there is none. */
static int parse_expects(const char *text, const char *case_name, struct expect *e, int cap)
{
	int n = 0;
	bool any = false;
	for (const char *p = strstr(text, "# expect:"); p; p = strstr(p + 1, "# expect:")) {
		char at[160] = "", rel[160] = "";
		any = true;
		if (!strncmp(p, "# expect: none", 14))
			continue;
		assert_true(n < cap);
		int k = sscanf(p, "# expect: %7s %15s %159s related %159s", e[n].code, e[n].severity,
			       at, rel);
		assert_true(k >= 3);
		assert_true(parse_place(at, case_name, &e[n].at));
		e[n].has_related = k == 4 && parse_place(rel, case_name, &e[n].related);
		n++;
	}
	return any ? n : -1;
}

static const char *severity_name(enum vmcfg_severity s)
{
	return s == VMCFG_SEV_ERROR ? "error" : s == VMCFG_SEV_WARNING ? "warning" : "note";
}

static bool at_place(const struct vmcfg_loc *loc, const struct place *p)
{
	/* A host DT is named by the path it was loaded from: its tail is enough. */
	size_t n = loc->file ? strlen(loc->file) : 0, k = strlen(p->file);
	bool same_file = !strcmp(p->file, "-") ? !loc->file
			 : loc->file && (!strcmp(loc->file, p->file) ||
					 (n > k && loc->file[n - k - 1] == '/' && !strcmp(loc->file + n - k, p->file)));
	return same_file && loc->span.line == p->line && loc->span.col == p->col;
}

static void print_diags(const struct vmcfg_diags *d)
{
	for (size_t i = 0; i < d->count; i++) {
		const struct vmcfg_diag *g = &d->items[i];
		print_message("  %s:%u:%u: %s %s: %s", g->primary.file ? g->primary.file : "-",
			      g->primary.span.line, g->primary.span.col, severity_name(g->severity),
			      g->code, g->message);
		if (g->related.span.line)
			print_message(" [related %s:%u:%u]", g->related.file, g->related.span.line,
				      g->related.span.col);
		print_message("%s%s\n", g->hint ? " help: " : "", g->hint ? g->hint : "");
	}
}

/* Each expectation matches exactly one finding; no error or warning is left unmatched. */
static void assert_findings(const struct vmcfg_diags *d, const struct expect *e, int n)
{
	bool matched[256] = { false };
	assert_true(d->count < 256);
	for (int k = 0; k < n; k++) {
		int hits = 0;
		for (size_t i = 0; i < d->count; i++) {
			const struct vmcfg_diag *g = &d->items[i];
			if (strcmp(g->code, e[k].code) || strcmp(severity_name(g->severity), e[k].severity) ||
			    !at_place(&g->primary, &e[k].at))
				continue;
			if (e[k].has_related && !at_place(&g->related, &e[k].related))
				continue;
			matched[i] = true;
			hits++;
		}
		if (hits != 1) {
			print_message("expected once: %s %s %s:%u:%u, found %d times in:\n", e[k].code,
				      e[k].severity, e[k].at.file, e[k].at.line, e[k].at.col, hits);
			print_diags(d);
		}
		assert_int_equal(hits, 1);
	}
	for (size_t i = 0; i < d->count; i++) {
		if (!matched[i] && d->items[i].severity != VMCFG_SEV_NOTE) {
			print_message("unexpected finding:\n");
			print_diags(d);
			fail();
		}
	}
}

/* state: the case's file name in tests/check. */
static void test_corpus_case(void **state)
{
	const char *name = *state;
	const char *dir = src_path("tests/check/");
	char path[4096], *text;
	size_t len;
	struct expect e[8];
	struct loaded l;

	snprintf(path, sizeof path, "%s%s", dir, name);
	assert_int_equal(vmcfg_read_file(path, &text, &len), 0);
	int n = parse_expects(text, name, e, 8);
	assert_true(n >= 0); /* every case states its expectation */
	load_and_check(&l, dir, name, text, len);
	assert_findings(&l.diags, e, n);
	unload(&l);
	free(text);
}

/* The case: one error, both declarations, the overlapping 4 KiB. */
static void test_identity_overlap_message(void **state)
{
	const char *dir = src_path("tests/check/");
	const char *name = "E0303-identity-overlap.toml";
	char path[4096], *text;
	size_t len;
	struct loaded l;
	(void)state;
	snprintf(path, sizeof path, "%s%s", dir, name);
	assert_int_equal(vmcfg_read_file(path, &text, &len), 0);
	load_and_check(&l, dir, name, text, len);
	assert_int_equal(l.diags.errors, 1);
	size_t i = 0;
	while (i < l.diags.count && l.diags.items[i].rule != VMCFG_R_HOST_OVERLAP)
		i++;
	assert_true(i < l.diags.count);
	const struct vmcfg_diag *g = &l.diags.items[i];
	assert_string_equal(g->primary.file, "vms/overlap.toml");
	assert_string_equal(g->related.file, "vms/a.toml");
	assert_non_null(strstr(g->message, "4 KiB at [0x40ff_f000, 0x4100_0000)"));
	unload(&l);
	free(text);
}

/* Findings of vmcfg_check_platform_machine(declared, machine) (W0409 each). */
static size_t machine_findings(const struct vmcfg_platform *declared,
			       const struct vmcfg_platform *machine)
{
	struct vmcfg_diags d;
	vmcfg_diags_init(&d, &vmcfg_host_allocator);
	assert_int_equal(vmcfg_check_platform_machine(declared, machine, "the test", &d), 0);
	size_t n = d.count;
	for (size_t i = 0; i < n; i++)
		assert_int_equal(d.items[i].rule, VMCFG_R_PLATFORM_MACHINE);
	vmcfg_diags_free(&d);
	return n;
}

/*
 * W0409's comparison: a declared bank may span adjacent machine banks in
 * any order; a gap, a byte short or a bank to 2^64 is a finding; CPUs and
 * ids are compared only where the machine gives them.
 */
static void test_platform_machine(void **state)
{
	static const struct vmcfg_host_range two[] = {
		{ NULL, 0x80000000, 0x40000000, { 0 } }, /* listed out of order */
		{ NULL, 0x40000000, 0x40000000, { 0 } },
	};
	static const uint64_t ids[] = { 0x0, 0x1 }, other[] = { 0x0, 0x100 };
	struct vmcfg_host_range bank = { NULL, 0x40000000, 0x80000000, { 0 } };
	struct vmcfg_platform machine = { .cpu_num = 2, .phys_cpu_ids = ids, .ram = two, .ram_count = 2 };
	struct vmcfg_platform declared = { .cpu_num = 2, .phys_cpu_ids = ids, .ram = &bank,
					   .ram_count = 1 };
	(void)state;
	assert_int_equal(machine_findings(&declared, &machine), 0);
	bank.size += 1; /* one byte beyond the machine's RAM */
	assert_int_equal(machine_findings(&declared, &machine), 1);
	bank = (struct vmcfg_host_range){ NULL, 0x3ffff000, 0x1000, { 0 } }; /* just below it */
	assert_int_equal(machine_findings(&declared, &machine), 1);
	bank = (struct vmcfg_host_range){ NULL, UINT64_MAX - 0xfff, 0x1000, { 0 } }; /* up to 2^64 */
	assert_int_equal(machine_findings(&declared, &machine), 1);
	bank = (struct vmcfg_host_range){ NULL, 0x40000000, 0x1000, { 0 } };
	machine.ram_count = 0; /* no RAM banks known: not compared */
	bank.base = 0;
	assert_int_equal(machine_findings(&declared, &machine), 0);
	machine.ram_count = 2;
	bank.base = 0x40000000;
	declared.phys_cpu_ids = other; /* as many CPUs, one id the machine lacks */
	assert_int_equal(machine_findings(&declared, &machine), 1);
	machine.phys_cpu_ids = NULL; /* ids unknown: only the count */
	assert_int_equal(machine_findings(&declared, &machine), 0);
	declared.cpu_num = 3;
	assert_int_equal(machine_findings(&declared, &machine), 1);
	assert_int_equal(vmcfg_check_platform_machine(&declared, NULL, "x", NULL), VMCFG_EINVAL);
}

/* [[ivc]] static: a boolean, false when absent; anything else is E0102 and leaves it false. */
static void test_static_ivc_channel(void **state)
{
	static const char text[] = "vms = []\n"
				   "[[ivc]]\nkey = 1\npublisher = \"a\"\nsize = 0x1000\nstatic = true\n"
				   "[[ivc]]\nkey = 2\npublisher = \"a\"\nsize = 0x1000\n"
				   "[[ivc]]\nkey = 3\npublisher = \"a\"\nsize = 0x1000\nstatic = \"yes\"\n";
	struct vmcfg_diags diags;
	struct vmcfg_system *sys = NULL;
	(void)state;
	vmcfg_diags_init(&diags, &vmcfg_host_allocator);
	assert_int_equal(vmcfg_system_load(text, sizeof text - 1, "s.toml", &vmcfg_host_allocator,
					   &diags, &sys), 0);
	assert_non_null(sys);
	assert_int_equal(sys->ivc_count, 3);
	assert_true(sys->ivc[0].is_static);
	assert_false(sys->ivc[1].is_static);
	assert_false(sys->ivc[2].is_static);
	assert_int_equal(diags.errors, 1);
	assert_int_equal(diags.items[0].rule, VMCFG_R_WRONG_TYPE);
	assert_non_null(strstr(diags.items[0].message, "`ivc[2].static` must be a boolean"));
	vmcfg_system_free(sys);
	vmcfg_diags_free(&diags);
}

/* Every AxVisor config checks without errors; the warnings are listed here. */
static void test_axvisor_configs_clean(void **state)
{
	const char *dir = src_path("tests/data/axvisor-configs/");
	DIR *dp = opendir(dir);
	struct dirent *de;
	size_t files = 0;
	(void)state;
	assert_non_null(dp);
	while ((de = readdir(dp))) {
		size_t n = strlen(de->d_name);
		if (n < 5 || strcmp(de->d_name + n - 5, ".toml"))
			continue;
		struct loaded l;
		char path[4096], *text;
		size_t len;
		snprintf(path, sizeof path, "%s%s", dir, de->d_name);
		assert_int_equal(vmcfg_read_file(path, &text, &len), 0);
		load_and_check(&l, dir, de->d_name, text, len);
		if (l.diags.errors || l.diags.warnings) {
			print_message("%s:\n", de->d_name);
			print_diags(&l.diags);
		}
		assert_int_equal(l.diags.errors, 0);
		assert_int_equal(l.diags.warnings, 0);
		unload(&l);
		free(text);
		files++;
	}
	closedir(dp);
	assert_true(files >= 9);
}

/* Every rule of the catalogue is documented in docs/diagnostics.md. */
static void test_every_code_documented(void **state)
{
	char *text;
	size_t len;
	(void)state;
	assert_int_equal(vmcfg_read_file(src_path("docs/diagnostics.md"), &text, &len), 0);
	for (int r = 0; r < VMCFG_RULE_COUNT; r++) {
		const struct vmcfg_rule_info *info = vmcfg_rule_info((enum vmcfg_rule)r);
		char heading[32];
		assert_non_null(info);
		snprintf(heading, sizeof heading, "## %s", info->code);
		if (!strstr(text, heading))
			print_message("%s is not documented\n", info->code);
		assert_non_null(strstr(text, heading));
	}
	free(text);
}

/* Out of memory at each allocation in turn: a clean result, nothing leaked. */
static void test_out_of_memory(void **state)
{
	const char *dir = src_path("tests/check/");
	char path[4096], *text;
	size_t len;
	struct loaded l;
	(void)state;
	snprintf(path, sizeof path, "%s%s", dir, "E0303-identity-overlap.toml");
	assert_int_equal(vmcfg_read_file(path, &text, &len), 0);
	load_and_check(&l, dir, "E0303-identity-overlap.toml", text, len);
	for (uint64_t fail = 1;; fail++) {
		struct vmcfg_counting_alloc st = { 0, 0, 0, fail };
		struct vmcfg_allocator a = vmcfg_counting_allocator(&st);
		struct vmcfg_diags d;
		vmcfg_diags_init(&d, &a);
		const struct vmcfg_platform *p = l.sys->has_platform ? &l.sys->platform : NULL;
		int rc = vmcfg_check_system(l.sys, p, l.specs, l.vm_count, NULL, &d);
		vmcfg_diags_free(&d);
		assert_int_equal(st.in_use, 0);
		/* A sort whose buffer fails falls back to heapsort: 0 despite a failure. */
		assert_true(rc == 0 || rc == VMCFG_ENOMEM);
		if (st.calls < fail)
			break; /* every allocation succeeded: done */
	}
	unload(&l);
	free(text);
}

/* The findings of d, one line each, for comparing two runs. */
static void findings_text(const struct vmcfg_diags *d, char *buf, size_t size)
{
	size_t at = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < d->count && at < size; i++) {
		const struct vmcfg_diag *g = &d->items[i];
		at += (size_t)snprintf(buf + at, size - at, "%s %u:%u %s\n", g->code,
				       g->primary.span.line, g->primary.span.col, g->message);
	}
}

/*
 * vmcfg_check_system_scratch finds what vmcfg_check_system finds, with
 * one scratch across every system case in turn (twice over); a second
 * check of the same system takes nothing new from the scratch's
 * allocator, and release returns everything.
 */
static void test_system_scratch(void **state)
{
	static const char *const cases[] = {
		"E0301-dup-vm-id.toml",   "E0302-dup-vm-name.toml", "E0303-identity-overlap.toml",
		"E0304-pt-shared.toml",   "E0307-outside-host-ram.toml", "E0308-pcpu-two-vms.toml",
		"E0309-spi-two-vms.toml", "E0312-ivc-dup-key.toml", "E0317-ivc-quota.toml",
	};
	const char *dir = src_path("tests/check/");
	static char want[16384], got[16384];
	struct vmcfg_counting_alloc st = { 0, 0, 0, 0 };
	struct vmcfg_allocator a = vmcfg_counting_allocator(&st);
	struct vmcfg_check_scratch scratch;
	(void)state;
	vmcfg_check_scratch_init(&scratch, &a);
	for (int round = 0; round < 2; round++) {
		for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
			char path[4096], *text;
			size_t len;
			struct loaded l;
			snprintf(path, sizeof path, "%s%s", dir, cases[c]);
			assert_int_equal(vmcfg_read_file(path, &text, &len), 0);
			load_and_check(&l, dir, cases[c], text, len);
			struct vmcfg_check_opts opts = { image_size, vm_spis, &l, VMCFG_ARCH_UNKNOWN, 0 };
			const struct vmcfg_platform *p = l.sys->has_platform ? &l.sys->platform : NULL;
			struct vmcfg_diags d1, d2;
			vmcfg_diags_init(&d1, &vmcfg_host_allocator);
			vmcfg_diags_init(&d2, &vmcfg_host_allocator);
			assert_int_equal(vmcfg_check_system(l.sys, p, l.specs, l.vm_count, &opts, &d1), 0);
			assert_int_equal(vmcfg_check_system_scratch(l.sys, p, l.specs, l.vm_count, &opts,
								    &scratch, &d2),
					 0);
			assert_true(d1.errors > 0);
			findings_text(&d1, want, sizeof want);
			findings_text(&d2, got, sizeof got);
			assert_string_equal(got, want);
			/* The same system again: the kept chunks suffice. */
			uint64_t calls = st.calls;
			vmcfg_diags_free(&d2);
			vmcfg_diags_init(&d2, &vmcfg_host_allocator);
			assert_int_equal(vmcfg_check_system_scratch(l.sys, p, l.specs, l.vm_count, &opts,
								    &scratch, &d2),
					 0);
			assert_int_equal(st.calls, calls);
			assert_true(st.in_use > 0);
			/* Emptied at the call's end, its chunks kept for the next. */
			assert_null(scratch.arena.head);
			assert_non_null(scratch.arena.spare);
			findings_text(&d2, got, sizeof got);
			assert_string_equal(got, want);
			vmcfg_diags_free(&d1);
			vmcfg_diags_free(&d2);
			unload(&l);
			free(text);
		}
	}
	vmcfg_check_scratch_release(&scratch);
	assert_int_equal(st.in_use, 0);
	vmcfg_check_scratch_release(NULL);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	find_src_dir();
	DIR *dp = opendir(src_path("tests/check"));
	if (!dp) {
		fprintf(stderr, "test_check: cannot open %s\n", src_path("tests/check"));
		return 1;
	}
	char *names[256];
	size_t n = 0;
	for (struct dirent *de; (de = readdir(dp)) && n < 256;) {
		size_t len = strlen(de->d_name);
		if (len > 5 && !strcmp(de->d_name + len - 5, ".toml"))
			names[n++] = strdup(de->d_name);
	}
	closedir(dp);
	qsort(names, n, sizeof *names, by_name);

	struct CMUnitTest tests[256 + 7];
	size_t t = 0;
	for (size_t i = 0; i < n; i++)
		tests[t++] = (struct CMUnitTest){ names[i], test_corpus_case, NULL, NULL, names[i] };
	tests[t++] = (struct CMUnitTest)cmocka_unit_test(test_identity_overlap_message);
	tests[t++] = (struct CMUnitTest)cmocka_unit_test(test_static_ivc_channel);
	tests[t++] = (struct CMUnitTest)cmocka_unit_test(test_platform_machine);
	tests[t++] = (struct CMUnitTest)cmocka_unit_test(test_axvisor_configs_clean);
	tests[t++] = (struct CMUnitTest)cmocka_unit_test(test_every_code_documented);
	tests[t++] = (struct CMUnitTest)cmocka_unit_test(test_out_of_memory);
	tests[t++] = (struct CMUnitTest)cmocka_unit_test(test_system_scratch);
	int rc = _cmocka_run_group_tests("check", tests, t, NULL, NULL);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	return rc;
}
