/* SPDX-License-Identifier: MIT */
/*
 * Loading VM files for the subcommands: read, parse + decode (vm_spec),
 * convert (vm_config) when the file has no errors, and keep the text for
 * diagnostics' source excerpts.
 */
#ifndef VMCFG_TOOLS_LOAD_H
#define VMCFG_TOOLS_LOAD_H

#include "report.h"
#include "vmcfg/check.h"
#include "vmcfg/config.h"
#include "vmcfg/fdt.h"

struct vm_file {
	const char *path; /* as given; "-" is shown as "<stdin>" */
	char *text;
	size_t len;
	struct vmcfg_vm_spec *spec;     /* NULL when unreadable or not TOML */
	struct vmcfg_vm_config *config; /* NULL when the file has errors */
	size_t errors;            /* error-severity findings in this file */
};

struct vm_set {
	struct vm_file *files;
	size_t count;
	char *system_text;          /* the system file, when one was given */
	size_t system_len;
	struct vmcfg_system *system; /* NULL without one, or when it is not TOML */
	struct vmcfg_fdt_platform *host_dt; /* --platform: the host device tree, or NULL */
	struct vmcfg_diags diags;
	struct vmcfg_diag_source *sources; /* count VM files, then the system file */
	size_t source_count;
	bool io_error; /* a file could not be read (exit status 2) */
	/* How files are read (vm_set_load_with), NULL: from disk. */
	int (*read)(void *ud, const char *path, char **text, size_t *len);
	void *read_ud;
};

struct vm_set_options {
	const char *system_path;   /* a system file naming the VM files (paths then unused) */
	const char *platform_path; /* a host device tree (.dtb or .dts) as the platform */
	bool strict;               /* warnings count as errors */
	const struct vmcfg_rule_levels *levels; /* -A/-W/-D CODE, or NULL */
	bool note_skipped;         /* say once (N0313) which rules checking files alone skips */
	enum vmcfg_arch arch;      /* --arch: the arch the VMs are built for (UNKNOWN: the platform's) */
	/* Scratch memory the checks of a system keep across loads (the language
	 * server, which checks again on every edit); NULL: none. Not used with a
	 * host device tree, whose check takes none. */
	struct vmcfg_check_scratch *scratch;
};

/*
 * Loads the VM files (paths, or those of the system file), decodes and
 * checks them — with a system file all together, else each alone; against
 * the host device tree (platform_path) or the system's [platform] when
 * there is one — then converts every file without errors; with a host DT,
 * device-tree-path passthrough entries are resolved into windows. Problems
 * become diagnostics in set->diags; a file that cannot be read is reported
 * and sets io_error; so does a system file given as a VM file (with a
 * message suggesting --system). Findings a `# vmcfg: allow(CODE)` comment
 * names are dropped, then opts->levels apply. Returns 0 or VMCFG_ENOMEM.
 */
int vm_set_load(struct vm_set *set, char *const *paths, size_t n,
		const struct vm_set_options *opts);

/*
 * Like vm_set_load, reading every file through read (path into a malloc'd
 * *text, with vmcfg_read_file's contract): the language server passes its
 * editors' unsaved buffers this way. read NULL reads from disk.
 */
int vm_set_load_with(struct vm_set *set, char *const *paths, size_t n,
		     const struct vm_set_options *opts,
		     int (*read)(void *ud, const char *path, char **text, size_t *len), void *read_ud);

void vm_set_free(struct vm_set *set);

/*
 * Whether the n FILE operands suit opts: none with a system file (it names
 * the VM files), one or more without. When not, says so on standard error
 * for command cmd; the caller then prints its usage and exits 2.
 */
bool vm_set_files_ok(const struct vm_set_options *opts, size_t n, const char *cmd);

/* Writes set's findings, sorted, as text to standard error (colour on a terminal). */
void vm_set_report_stderr(struct vm_set *set);

/*
 * For commands that print one file: loads path, writes any findings to
 * standard error (text, colour on a terminal) and returns 0 when the file
 * converted (set->files[0].config is set), else the exit status: 1 when the
 * file has errors, 2 when it cannot be read or memory ran out. The caller
 * frees set in every case.
 */
int vm_set_load_one(struct vm_set *set, char *path);

/* The platform the set was checked against (host DT, else system file), or NULL. */
const struct vmcfg_platform *vm_set_platform(const struct vm_set *set);

/* The VM's id and name as the file gives them, also when it did not convert ("?": no name). */
void vm_file_identity(const struct vm_file *f, uint64_t *id, const char **name);

/* A report over set's sources with the given format and colour. */
struct report vm_set_report(const struct vm_set *set, enum report_format format, bool color);

/* A writer to a stdio stream. */
struct vmcfg_writer stdio_writer(FILE *out);

#endif
