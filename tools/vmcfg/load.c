/* SPDX-License-Identifier: MIT */
/* Loading VM files: read, decode, convert; findings collected in one list. */
#include <errno.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "vmcfg/host.h"
#include "vmcfg/toml.h"

static void stdio_write(void *ud, const char *s, size_t len)
{
	fwrite(s, 1, len, ud);
}

struct vmcfg_writer stdio_writer(FILE *out)
{
	struct vmcfg_writer w = { stdio_write, out };
	return w;
}

static const char *display_name(const char *path)
{
	return strcmp(path, "-") ? path : "<stdin>";
}

/*
 * Reads path; a file that cannot be read (missing, a device, over the input
 * size limit) becomes an E0001 finding and sets io_error.
 */
static int read_source(struct vm_set *set, const char *path, char **text, size_t *len)
{
	int rc = set->read ? set->read(set->read_ud, path, text, len) : vmcfg_read_file(path, text, len);
	int err = errno;
	if (rc != VMCFG_EIO && rc != VMCFG_ELIMIT && rc != VMCFG_EINVAL)
		return rc;
	struct vmcfg_loc loc = { display_name(path), { 0, 0, 0, 0 } };
	set->io_error = true;
	*text = NULL;
	return vmcfg_diag_add(&set->diags, VMCFG_R_IO, loc, NULL, "cannot read %s: %s",
			      display_name(path), vmcfg_read_strerror(rc, err)) == VMCFG_ENOMEM
		       ? VMCFG_ENOMEM
		       : 0;
}

/*
 * Image sizes for the checker: only images built into the hypervisor
 * ("memory") are files of this host, relative to the config file; "fs"
 * paths name files on the target.
 */
static bool image_size(void *ud, const struct vmcfg_vm_spec *spec, enum vmcfg_image_kind kind,
		       const char *path, uint64_t *size)
{
	(void)ud;
	(void)kind;
	if (!spec->kernel.image_location.set || strcmp(spec->kernel.image_location.s, "memory"))
		return false;
	char full[4096];
	const char *slash = strrchr(spec->file, '/');
	if (path[0] == '/' || !slash)
		snprintf(full, sizeof full, "%s", path);
	else
		snprintf(full, sizeof full, "%.*s/%s", (int)(slash - spec->file), spec->file, path);
	struct stat st;
	if (stat(full, &st) || !S_ISREG(st.st_mode))
		return false;
	*size = (uint64_t)st.st_size;
	return true;
}

static void free_paths(char **paths, size_t n)
{
	for (size_t i = 0; paths && i < n; i++)
		free(paths[i]);
	free(paths);
}

/*
 * The VM paths of the system file, as the host opens them, in *count. An
 * entry that is not a string (reported by the decoder) names no file.
 */
static char **system_vm_paths(const struct vmcfg_system *sys, size_t *count)
{
	char **paths = calloc(sys->vm_count + 1, sizeof *paths);
	*count = 0;
	for (size_t i = 0; paths && i < sys->vm_count; i++) {
		if (!sys->vms[i].set)
			continue;
		size_t n = vmcfg_system_vm_path(sys, i, NULL, 0);
		paths[*count] = malloc(n + 1);
		if (!paths[*count]) {
			free_paths(paths, *count);
			return NULL;
		}
		vmcfg_system_vm_path(sys, i, paths[(*count)++], n + 1);
	}
	return paths;
}

/* Whether text parses as a system file (`vms`, no [base]): a user gave it where a VM file goes. */
static bool is_system_file(const char *text, size_t len)
{
	const struct vmcfg_toml_options opts = { .max_depth = 0, .allow_u64 = true };
	struct vmcfg_toml_doc *doc = NULL;
	if (vmcfg_toml_parse(text, len, &vmcfg_host_allocator, &opts, &doc, NULL))
		return false;
	bool system = vmcfg_file_kind_of(doc) == VMCFG_FILE_SYSTEM;
	vmcfg_toml_free(doc);
	return system;
}

/* Counts each file's error-severity findings (after checks and promotion). */
static void count_file_errors(struct vm_set *set)
{
	for (size_t i = 0; i < set->count; i++) {
		struct vm_file *f = &set->files[i];
		f->errors = 0;
		for (size_t k = 0; k < set->diags.count; k++) {
			const struct vmcfg_diag *g = &set->diags.items[k];
			if (g->severity == VMCFG_SEV_ERROR && g->primary.file &&
			    !strcmp(g->primary.file, display_name(f->path)))
				f->errors++;
		}
	}
}

/*
 * The VMs are checked together: with a system file against its platform
 * and IVC channels; without one, the cross-VM rules that need neither
 * (duplicate ids and names, host memory two VMs map, pCPUs two VMs pin)
 * still run across the files given, and the library's note says which
 * rules that leaves out.
 */
static int check_specs(struct vm_set *set, const struct vmcfg_vm_spec **specs, size_t n,
		       const struct vm_set_options *opts)
{
	struct vmcfg_check_opts check = { image_size, NULL, NULL, opts->arch, 0 };
	if (set->host_dt)
		return vmcfg_fdt_check(set->host_dt, set->system, specs, n, &check, &set->diags);
	const struct vmcfg_platform *platform =
		set->system && set->system->has_platform ? &set->system->platform : NULL;
	if (!n && !set->system)
		return 0;
	int rc = vmcfg_check_system_scratch(set->system, platform, specs, n, &check, opts->scratch,
					    &set->diags);
	if (!rc && !opts->note_skipped) { /* the N0313 note is check's alone */
		struct vmcfg_rule_levels lv = { { 0 } };
		lv.of[VMCFG_R_PLATFORM_SKIPPED] = VMCFG_LEVEL_ALLOW;
		vmcfg_diags_apply_levels(&set->diags, &lv);
	}
	return rc;
}

/* The host device tree the system file names (platform = "…"), or NULL. */
static char *system_dt_path(const struct vmcfg_system *sys)
{
	size_t n = vmcfg_system_platform_dt_path(sys, NULL, 0);
	char *path = n ? malloc(n + 1) : NULL;
	if (path)
		vmcfg_system_platform_dt_path(sys, path, n + 1);
	return path;
}

static int load_system(struct vm_set *set, const char *path, char ***paths, size_t *n)
{
	int rc = read_source(set, path, &set->system_text, &set->system_len);
	if (rc || !set->system_text)
		return rc;
	rc = vmcfg_system_load(set->system_text, set->system_len, display_name(path),
			       &vmcfg_host_allocator, &set->diags, &set->system);
	if (rc || !set->system)
		return rc;
	*paths = system_vm_paths(set->system, n);
	return *paths ? 0 : VMCFG_ENOMEM;
}

int vm_set_load(struct vm_set *set, char *const *paths, size_t n,
		const struct vm_set_options *opts)
{
	return vm_set_load_with(set, paths, n, opts, NULL, NULL);
}

int vm_set_load_with(struct vm_set *set, char *const *paths, size_t n,
		     const struct vm_set_options *opts,
		     int (*read)(void *ud, const char *path, char **text, size_t *len), void *read_ud)
{
	char **owned_paths = NULL;
	int rc = 0;

	memset(set, 0, sizeof *set);
	set->read = read;
	set->read_ud = read_ud;
	vmcfg_diags_init(&set->diags, &vmcfg_host_allocator);
	if (opts->system_path) {
		n = 0;
		rc = load_system(set, opts->system_path, &owned_paths, &n);
		if (rc)
			goto out;
		paths = owned_paths;
	}
	/* --platform wins over a device tree the system file names. */
	char *dt_path = opts->platform_path ? strdup(opts->platform_path) : system_dt_path(set->system);
	if (opts->platform_path && !dt_path) {
		rc = VMCFG_ENOMEM;
		goto out;
	}
	if (dt_path) {
		rc = vmcfg_fdt_platform_load(dt_path, &set->host_dt, &set->diags);
		free(dt_path);
		if (rc == VMCFG_EIO)
			set->io_error = true;
		if (rc == VMCFG_EIO || rc == VMCFG_ESYNTAX)
			rc = 0; /* reported as E0401; the VM files are still checked alone */
		if (rc)
			goto out;
	}
	set->files = calloc(n + 1, sizeof *set->files);
	set->sources = calloc(n + 1, sizeof *set->sources);
	const struct vmcfg_vm_spec **specs = calloc(n + 1, sizeof *specs);
	if (!set->files || !set->sources || !specs) {
		free(specs);
		rc = VMCFG_ENOMEM;
		goto out;
	}
	set->count = n;
	for (size_t i = 0; i < n && !rc; i++) {
		struct vm_file *f = &set->files[i];
		f->path = paths[i] ? strdup(paths[i]) : NULL;
		if (!f->path) {
			rc = VMCFG_ENOMEM;
			break;
		}
		rc = read_source(set, f->path, &f->text, &f->len);
		if (!rc && f->text && is_system_file(f->text, f->len)) {
			fprintf(stderr, "vmcfg: %s is a system file, not a VM file: give it with "
					"--system %s\n", display_name(f->path), f->path);
			set->io_error = true;
			free(f->text);
			f->text = NULL;
			f->len = 0;
		}
		if (!rc && f->text)
			rc = vmcfg_vm_spec_load(f->text, f->len, display_name(f->path), &vmcfg_host_allocator,
					  &set->diags, &f->spec);
		set->sources[set->source_count++] =
			(struct vmcfg_diag_source){ display_name(f->path), f->text, f->len };
		specs[i] = f->spec;
	}
	if (opts->system_path && set->system_text)
		set->sources[set->source_count++] = (struct vmcfg_diag_source){
			display_name(opts->system_path), set->system_text, set->system_len
		};
	if (!rc)
		rc = check_specs(set, specs, n, opts);
	free(specs);
	if (rc)
		goto out;
	for (size_t i = 0; i < set->source_count; i++)
		if (set->sources[i].text)
			vmcfg_diags_apply_inline(&set->diags, set->sources[i].file, set->sources[i].text,
						 set->sources[i].len);
	vmcfg_diags_apply_levels(&set->diags, opts->levels);
	if (opts->strict)
		vmcfg_diags_promote(&set->diags);
	count_file_errors(set);
	for (size_t i = 0; i < n && !rc; i++) {
		struct vm_file *f = &set->files[i];
		if (f->spec && !f->errors)
			rc = vmcfg_vm_config_from_spec(f->spec, &vmcfg_host_allocator, &f->config);
		if (rc == VMCFG_EINVALID)
			rc = 0; /* decode reported why; the file stays unconverted */
		if (!rc && f->config && set->host_dt)
			rc = vmcfg_fdt_resolve_config(set->host_dt, f->config); /* checked above */
	}
out:
	free_paths(owned_paths, n);
	return rc;
}

void vm_set_free(struct vm_set *set)
{
	for (size_t i = 0; set->files && i < set->count; i++) {
		vmcfg_vm_config_free(set->files[i].config);
		vmcfg_vm_spec_free(set->files[i].spec);
		free(set->files[i].text);
		free((char *)set->files[i].path);
	}
	free(set->files);
	free(set->sources);
	vmcfg_system_free(set->system);
	free(set->system_text);
	vmcfg_fdt_platform_free(set->host_dt);
	vmcfg_diags_free(&set->diags);
	memset(set, 0, sizeof *set);
}

const struct vmcfg_platform *vm_set_platform(const struct vm_set *set)
{
	if (set->host_dt)
		return &set->host_dt->platform;
	return set->system && set->system->has_platform ? &set->system->platform : NULL;
}

void vm_file_identity(const struct vm_file *f, uint64_t *id, const char **name)
{
	const struct vmcfg_vm_spec *s = f->spec;
	*id = f->config ? f->config->id : s && s->base.id.set ? s->base.id.v : 0;
	*name = f->config ? f->config->name : s && s->base.name.set ? s->base.name.s : "?";
}

struct report vm_set_report(const struct vm_set *set, enum report_format format, bool color)
{
	struct report r = { format, color, set->sources, set->source_count, NULL };
	return r;
}

bool vm_set_files_ok(const struct vm_set_options *opts, size_t n, const char *cmd)
{
	if (opts->system_path && n)
		fprintf(stderr, "vmcfg %s: --system takes the VM files from the system file; "
				"give no FILE\n", cmd);
	return opts->system_path ? n == 0 : n > 0;
}

void vm_set_report_stderr(struct vm_set *set)
{
	vmcfg_diags_sort(&set->diags);
	struct report r = vm_set_report(set, REPORT_TEXT, report_parse_color("auto", stderr));
	report_write(&r, &set->diags, stderr);
}

int vm_set_load_one(struct vm_set *set, char *path)
{
	struct vm_set_options opts = { 0 };
	int rc = vm_set_load(set, &path, 1, &opts);
	if (rc) {
		fprintf(stderr, "vmcfg: %s\n", vmcfg_strerror(rc));
		return 2;
	}
	if (set->diags.errors || set->diags.warnings)
		vm_set_report_stderr(set);
	if (set->io_error)
		return 2;
	return set->files[0].config ? 0 : 1;
}
