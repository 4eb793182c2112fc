/* Loading VM files: read, decode, convert; findings collected in one list. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "vmcfg/host.h"

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

static int load_one(struct vm_set *set, struct vm_file *f)
{
	const struct vmcfg_allocator *alloc = &vmcfg_host_allocator;
	const char *name = display_name(f->path);
	size_t before = set->diags.errors;

	int rc = vmcfg_read_file(f->path, &f->text, &f->len);
	if (rc == VMCFG_EIO) {
		struct vmcfg_loc loc = { name, { 0, 0, 0, 0 } };
		set->io_error = true;
		return vmcfg_diag_add(&set->diags, VMCFG_R_IO, loc, NULL, "cannot read %s: %s",
				      name, strerror(errno)) == VMCFG_ENOMEM
			       ? VMCFG_ENOMEM
			       : 0;
	}
	if (rc)
		return rc;
	rc = vm_spec_load(f->text, f->len, name, alloc, &set->diags, &f->spec);
	f->errors = set->diags.errors - before;
	return rc;
}

int vm_set_load(struct vm_set *set, char *const *paths, size_t n, bool strict)
{
	memset(set, 0, sizeof *set);
	vmcfg_diags_init(&set->diags, &vmcfg_host_allocator);
	set->files = calloc(n ? n : 1, sizeof *set->files);
	set->sources = calloc(n ? n : 1, sizeof *set->sources);
	if (!set->files || !set->sources)
		return VMCFG_ENOMEM;
	set->count = n;
	for (size_t i = 0; i < n; i++) {
		struct vm_file *f = &set->files[i];
		f->path = paths[i];
		int rc = load_one(set, f);
		if (rc)
			return rc;
		set->sources[i].file = display_name(f->path);
		set->sources[i].text = f->text;
		set->sources[i].len = f->len;
	}
	if (strict) {
		/* Warnings become errors: recount each file's errors. */
		vmcfg_diags_promote(&set->diags);
		for (size_t i = 0; i < n; i++) {
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
	for (size_t i = 0; i < n; i++) {
		struct vm_file *f = &set->files[i];
		if (!f->spec || f->errors)
			continue;
		int rc = vm_config_from_spec(f->spec, &vmcfg_host_allocator, &f->config);
		if (rc == VMCFG_ENOMEM)
			return rc;
	}
	return 0;
}

void vm_set_free(struct vm_set *set)
{
	for (size_t i = 0; set->files && i < set->count; i++) {
		vm_config_free(set->files[i].config);
		vm_spec_free(set->files[i].spec);
		free(set->files[i].text);
	}
	free(set->files);
	free(set->sources);
	vmcfg_diags_free(&set->diags);
	memset(set, 0, sizeof *set);
}

struct report vm_set_report(const struct vm_set *set, enum report_format format, bool color)
{
	struct report r = { format, color, set->sources, set->count };
	return r;
}

int vm_set_load_one(struct vm_set *set, char *path)
{
	int rc = vm_set_load(set, &path, 1, false);
	if (rc) {
		fprintf(stderr, "vmcfg: %s\n", vmcfg_strerror(rc));
		return 2;
	}
	if (set->diags.count) {
		vmcfg_diags_sort(&set->diags);
		struct report r = vm_set_report(set, REPORT_TEXT, report_parse_color("auto", stderr));
		report_write(&r, &set->diags, stderr);
	}
	if (set->io_error)
		return 2;
	return set->files[0].config ? 0 : 1;
}
