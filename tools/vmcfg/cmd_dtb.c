/* SPDX-License-Identifier: MIT */
/*
 * vmcfg dtb: a VM's guest device tree, built against the host's DT.
 * The VM file is checked on its own and against the host DT first; a file
 * with errors gets no device tree.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "commands.h"
#include "load.h"
#include "vmcfg/fdt.h"
#include "vmcfg/host.h"

static void dtb_usage(FILE *out)
{
	fprintf(out,
		"usage: vmcfg dtb FILE --platform HOST.dtb|HOST.dts [--arch A] [-o OUT] [-O dtb|dts]\n"
		"       vmcfg dtb FILE --system SYSTEM.toml [--platform HOST] [OPTIONS]\n\n"
		"Builds the guest device tree of the VM file FILE: memory, CPUs, interrupt\n"
		"controller (aarch64 GIC, riscv64 PLIC), timer and PSCI (aarch64), /chosen\n"
		"(cmdline, initrd, stdout), the IVC window, and\n"
		"the device nodes its device-tree paths pass through, copied from the host's\n"
		"DT (a .dts is compiled with dtc). With --system, FILE must be one of the\n"
		"system's VM files: the whole system is checked first, and each static IVC\n"
		"channel of the VM gets a /reserved-memory/ivc@GPA node where the hypervisor\n"
		"maps it. A VM file with a dtb_path gets that DTB fixed up instead, as the\n"
		"hypervisor fixes it up at boot: /cpus from the host (the VM's CPUs only),\n"
		"one /memory with the VM's RAM, /chosen without the DTB's initrd and with the\n"
		"VM's cmdline and ramdisk. See docs/device-tree.md.\n\n"
		"options:\n"
		"  --platform HOST   the host's device tree (.dtb, or .dts via dtc); required\n"
		"                    unless the system file names one (platform = \"host.dts\")\n"
		"  --system SYSTEM   the system file FILE runs in: its static IVC channels\n"
		"  --arch A          the guest's architecture, aarch64 or riscv64 (default: the\n"
		"                    host DT's CPUs'; it must agree with them when they say)\n"
		"  -o, --output OUT  write here instead of standard output\n"
		"  -O, --out-format  dtb (default) or dts (the blob decompiled by dtc)\n"
		"  --ramdisk-size N  the ramdisk's size in bytes for linux,initrd-end (default:\n"
		"                    the size of ramdisk_path when image_location = \"memory\")\n"
		"  --generate        build the guest DT from the configuration even when the\n"
		"                    VM file names a dtb_path (to write the file it names)\n"
		"  -v, --verbose     list the passthrough windows, SPIs and dependencies on stderr\n"
		"  -h, --help        this text\n\n"
		"exit status: 0 written, 1 errors in the input, 2 usage or I/O error\n");
}

/* path taken relative to the VM file's folder (an absolute path as is), as the hypervisor does. */
static void beside(const struct vmcfg_vm_spec *spec, const char *path, char *full, size_t n)
{
	const char *slash = strrchr(spec->file, '/');
	if (path[0] == '/' || !slash)
		snprintf(full, n, "%s", path);
	else
		snprintf(full, n, "%.*s/%s", (int)(slash - spec->file), spec->file, path);
}

/* The ramdisk's size when it is a file of this host (image_location "memory"). */
static uint64_t ramdisk_size(const struct vmcfg_vm_spec *spec)
{
	const struct vmcfg_spec_str *path = &spec->kernel.ramdisk.path;
	if (!path->set || !spec->kernel.image_location.set || strcmp(spec->kernel.image_location.s, "memory"))
		return 0;
	char full[4096];
	beside(spec, path->s, full, sizeof full);
	struct stat st;
	return stat(full, &st) == 0 && S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
}

static bool same_finding(const struct vmcfg_diag *a, const struct vmcfg_diag *b)
{
	return a->rule == b->rule && a->primary.span.offset == b->primary.span.offset &&
	       a->primary.span.line == b->primary.span.line && !strcmp(a->message, b->message) &&
	       (a->primary.file == b->primary.file ||
		(a->primary.file && b->primary.file && !strcmp(a->primary.file, b->primary.file)));
}

/*
 * Adds the findings of from that into does not hold yet (the DT checks
 * rerun the per-VM rules that loading ran already, with the same results),
 * except the "platform rules skipped" note, which the DT makes untrue.
 */
static int merge_new(struct vmcfg_diags *into, const struct vmcfg_diags *from)
{
	size_t known = into->count;
	for (size_t k = 0; k < from->count; k++) {
		const struct vmcfg_diag *f = &from->items[k];
		bool dup = f->rule == VMCFG_R_PLATFORM_SKIPPED;
		for (size_t j = 0; j < known && !dup; j++)
			dup = same_finding(&into->items[j], f);
		if (dup)
			continue;
		struct vmcfg_diag *d;
		if (vmcfg_diag_add(into, f->rule, f->primary, &d, "%s", f->message) ||
		    (f->hint && vmcfg_diag_hint(into, d, "%s", f->hint)) ||
		    (f->related_message &&
		     vmcfg_diag_relate(into, d, f->related, "%s", f->related_message)))
			return VMCFG_ENOMEM;
	}
	return 0;
}

static void list_expansion(const struct vmcfg_fdt_expansion *exp)
{
	static const char *const kinds[] = { "passed through", "copied as a description",
					     "NOT passed through (property dropped)" };
	char a[VMCFG_FMT_BUF], b[VMCFG_FMT_BUF];
	for (size_t k = 0; k < exp->window_count; k++)
		fprintf(stderr, "window  %s + %s  %s\n", vmcfg_fmt_hex(a, exp->windows[k].hpa),
			vmcfg_fmt_hex(b, exp->windows[k].size), exp->windows[k].node);
	for (size_t k = 0; k < exp->spi_count; k++)
		fprintf(stderr, "spi     %u (INTID %u)  %s\n", exp->spis[k].spi, exp->spis[k].intid,
			exp->spis[k].node);
	for (size_t k = 0; k < exp->dep_count; k++)
		fprintf(stderr, "depends %s %s -> %s: %s\n", exp->deps[k].node, exp->deps[k].property,
			exp->deps[k].target, kinds[exp->deps[k].kind]);
}

static int write_output(const char *path, const char *data, size_t len)
{
	if (path && !strcmp(path, "-"))
		path = NULL; /* -o -: standard output */
	FILE *out = path ? fopen(path, "wb") : stdout;
	if (!out) {
		perror(path);
		return 2;
	}
	bool ok = fwrite(data, 1, len, out) == len;
	ok = (path ? fclose(out) : fflush(out)) == 0 && ok;
	if (!ok)
		perror(path ? path : "<stdout>");
	return ok ? 0 : 2;
}

/*
 * Checks VM file i against the host (unless the set was checked against it
 * already, with its system), then builds and writes the guest DT; the exit
 * status.
 */
static int build(struct vm_set *set, size_t i, const struct vmcfg_fdt_platform *host,
		 bool checked, uint64_t rd_size, enum vmcfg_arch arch, bool verbose, bool generate,
		 char **blob, size_t *size)
{
	const struct vmcfg_vm_spec *spec = set->files[i].spec;
	struct vmcfg_diags dt, all;
	struct vmcfg_fdt_expansion *exp = NULL;
	vmcfg_diags_init(&dt, &vmcfg_host_allocator);
	vmcfg_diags_init(&all, &vmcfg_host_allocator);
	int rc = checked ? 0 : vmcfg_fdt_check(host, NULL, &spec, 1, NULL, &dt);
	if (!rc)
		rc = vmcfg_fdt_expand_spec(host, spec, &dt, &exp);
	if (!rc)
		rc = merge_new(&all, &set->diags);
	if (!rc)
		rc = merge_new(&all, &dt);
	vmcfg_diags_free(&dt);
	vmcfg_diags_free(&set->diags);
	set->diags = all; /* the list moves: its arena's chunks go with it */
	if (!rc && !set->diags.errors) {
		struct vmcfg_fdt_guest_opts opts = { rd_size, set->system, arch };
		const struct vmcfg_vm_config *cfg = set->files[i].config;
		if (verbose)
			list_expansion(exp);
		if (cfg->dtb.path && !generate) {
			/* dtb_path: that DTB fixed up for the VM, as the hypervisor does at boot. */
			char full[4096], *given = NULL;
			size_t given_size = 0;
			beside(spec, cfg->dtb.path, full, sizeof full);
			rc = vmcfg_fdt_read(full, &given, &given_size);
			if (rc)
				fprintf(stderr, "vmcfg dtb: dtb_path %s: %s\n", full,
					vmcfg_read_strerror(rc, errno));
			else
				rc = vmcfg_fdt_guest_fixup(host, cfg, given, given_size, &opts, blob,
							   size);
			if (rc == VMCFG_ESYNTAX)
				fprintf(stderr, "vmcfg dtb: dtb_path %s is not a valid device tree\n",
					full);
			free(given);
		} else {
			rc = vmcfg_fdt_guest_build(host, cfg, exp, &opts, &set->diags, blob, size);
		}
	}
	vmcfg_fdt_expansion_free(exp);
	if (rc) {
		fprintf(stderr, "vmcfg dtb: %s\n", vmcfg_strerror(rc));
		return 2;
	}
	return set->diags.errors ? 1 : 0;
}

/* Which of the system's VM files path is (the same file, however named); SIZE_MAX if none. */
static size_t system_file_index(const struct vm_set *set, const char *path)
{
	char *want = realpath(path, NULL);
	size_t found = SIZE_MAX;
	for (size_t i = 0; want && i < set->count && found == SIZE_MAX; i++) {
		char *have = set->files[i].path ? realpath(set->files[i].path, NULL) : NULL;
		if (have && !strcmp(have, want))
			found = i;
		free(have);
	}
	free(want);
	return found;
}

int cmd_dtb(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "platform", required_argument, NULL, 'p' },
		{ "system", required_argument, NULL, 'S' },
		{ "output", required_argument, NULL, 'o' },
		{ "out-format", required_argument, NULL, 'O' },
		{ "ramdisk-size", required_argument, NULL, 'r' },
		{ "arch", required_argument, NULL, 'a' },
		{ "generate", no_argument, NULL, 'g' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *platform = NULL, *system = NULL, *output = NULL, *format = "dtb";
	uint64_t rd_size = 0;
	enum vmcfg_arch arch = VMCFG_ARCH_UNKNOWN;
	bool rd_given = false, verbose = false, generate = false;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:O:vh", opts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 'p':
			platform = optarg;
			break;
		case 'S':
			system = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'O':
			format = optarg;
			break;
		case 'r':
			rd_size = strtoull(optarg, &end, 0);
			rd_given = true;
			if (*end || !*optarg) {
				return vmcfg_usage_error("dtb", "--ramdisk-size takes a number of bytes");
			}
			break;
		case 'a':
			if (!strcmp(optarg, "aarch64"))
				arch = VMCFG_ARCH_AARCH64;
			else if (!strcmp(optarg, "riscv64"))
				arch = VMCFG_ARCH_RISCV64;
			else
				return vmcfg_usage_error("dtb", "--arch takes aarch64 or riscv64 (no device "
								"tree for '%s')", optarg);
			break;
		case 'g':
			generate = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			dtb_usage(stdout);
			return 0;
		default:
			return vmcfg_usage_bad_option("dtb", argv, c);
		}
	}
	if (optind != argc - 1)
		return vmcfg_usage_error("dtb", "give one VM FILE");
	if (!platform && !system)
		return vmcfg_usage_error("dtb", "give the host: --platform HOST.dts or --system SYSTEM.toml");
	if (strcmp(format, "dtb") && strcmp(format, "dts"))
		return vmcfg_usage_error("dtb", "-O takes dtb or dts");
	/* A binary blob on a terminal is noise at best; the user meant -o or -O dts. */
	if (!strcmp(format, "dtb") && (!output || !strcmp(output, "-")) && isatty(STDOUT_FILENO))
		return vmcfg_usage_error("dtb", "not writing a binary device tree to a terminal: "
						"give -o FILE, -O dts, or redirect standard output");

	struct vm_set set;
	struct vm_set_options lopts = { .system_path = system, .platform_path = system ? platform : NULL };
	struct vmcfg_fdt_platform *host = NULL;
	char *blob = NULL, *text = NULL;
	size_t size = 0, len = 0, vm = 0;
	int rc = vm_set_load(&set, system ? NULL : argv + optind, system ? 0 : 1, &lopts);
	int status = rc ? 2 : 0;
	if (rc)
		fprintf(stderr, "vmcfg dtb: %s\n", vmcfg_strerror(rc));
	if (!status && set.io_error)
		status = 2;
	if (!status && system && !set.system)
		status = 1; /* not TOML: reported */
	if (!status && system && !set.host_dt) {
		fprintf(stderr, "vmcfg dtb: the host's device tree is needed: --platform HOST, "
				"or platform = \"HOST.dts\" in the system file\n");
		status = 2;
	}
	if (!status && system && (vm = system_file_index(&set, argv[optind])) == SIZE_MAX) {
		fprintf(stderr, "vmcfg dtb: %s is not one of the VM files of %s\n", argv[optind],
			system);
		status = 2;
	}
	if (!status && !system) {
		rc = vmcfg_fdt_platform_load(platform, &host, &set.diags);
		status = rc == VMCFG_ENOMEM || rc == VMCFG_EIO ? 2 : rc ? 1 : 0;
		/* An unreadable or invalid DT is a finding (E0401); say why for anything else. */
		if (rc && !set.diags.errors)
			fprintf(stderr, "vmcfg dtb: cannot load the host device tree %s: %s\n",
				platform, vmcfg_strerror(rc));
	}
	if (!status && !set.files[vm].config)
		status = 1;
	const struct vmcfg_fdt_platform *hdt = system ? set.host_dt : host;
	if (!status && arch && hdt->platform.arch && hdt->platform.arch != arch) {
		fprintf(stderr, "vmcfg dtb: --arch %s, but the host device tree's CPUs are %s\n",
			vmcfg_arch_name(arch), vmcfg_arch_name(hdt->platform.arch));
		status = 2;
	}
	if (!status)
		status = build(&set, vm, hdt, system != NULL,
			       rd_given ? rd_size : ramdisk_size(set.files[vm].spec), arch, verbose,
			       generate, &blob, &size);
	if (set.diags.count) {
		vmcfg_diags_sort(&set.diags);
		struct report r = vm_set_report(&set, REPORT_TEXT, report_parse_color("auto", stderr));
		report_write(&r, &set.diags, stderr);
	}
	if (!status && !strcmp(format, "dts")) {
		rc = vmcfg_fdt_dtc("dtb", "dts", blob, size, &text, &len);
		if (rc) {
			fprintf(stderr, "vmcfg dtb: dtc: %s\n", vmcfg_strerror(rc));
			status = 2;
		}
	}
	if (!status)
		status = text ? write_output(output, text, len) : write_output(output, blob, size);
	free(text);
	free(blob);
	vmcfg_fdt_platform_free(host);
	vm_set_free(&set);
	return status;
}
