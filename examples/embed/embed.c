/* SPDX-License-Identifier: MIT */
/*
 * Embedding libvmcfg in a C program: load a VM file, check it, print its
 * findings as `vmcfg check` does (the library's renderer, source excerpts
 * and carets included) and the memory map of its runtime configuration.
 *
 *   cc embed.c $(pkg-config --cflags --libs vmcfg) -o embed
 *   ./embed VM.toml     exit status 0 fine, 1 errors in the file, 2 I/O error
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <vmcfg/check.h>
#include <vmcfg/config.h>
#include <vmcfg/diag.h>
#include <vmcfg/host.h>
#include <vmcfg/spec.h>

/* The renderer's output, piece by piece, to stdout. */
static int put(void *ctx, const char *buf, size_t len)
{
	return fwrite(buf, 1, len, ctx) == len ? 0 : VMCFG_EIO;
}

/*
 * The findings as `vmcfg check` prints them (vmcfg_diag_render): each with
 * its source line and carets, the related place, the hint, then the
 * "N errors, N warnings" line. No colour; at most 100 findings per file, as
 * the CLI.
 */
static void print_diags(const struct vmcfg_diags *d, const char *file, const char *text,
			size_t len)
{
	struct vmcfg_diag_source src = { file, text, len };
	struct vmcfg_render_opts opts = { false, 0, 0, 100, 1000 };
	vmcfg_diag_render(d, &src, 1, &opts, put, stdout);
}

static const char *map_type_name(enum vmcfg_map_type t)
{
	return t == VMCFG_MAP_ALLOC ? "MapAlloc" : t == VMCFG_MAP_IDENTICAL ? "MapIdentical" : "MapReserved";
}

/* The guest-physical regions of the runtime configuration. */
static void print_memory_map(const struct vmcfg_vm_config *cfg)
{
	char a[VMCFG_FMT_BUF], b[VMCFG_FMT_BUF], s[VMCFG_FMT_BUF];
	printf("memory map of VM `%s` (id %llu):\n", cfg->name, (unsigned long long)cfg->id);
	for (size_t i = 0; i < cfg->region_count; i++) {
		const struct vmcfg_vm_mem_region *r = &cfg->regions[i];
		printf("  [%s, %s) %-8s %c%c%c %s\n", vmcfg_fmt_hex(a, r->gpa),
		       vmcfg_fmt_hex(b, r->gpa + r->size), vmcfg_fmt_size(s, r->size),
		       r->flags & VMCFG_MEM_READ ? 'r' : '-', r->flags & VMCFG_MEM_WRITE ? 'w' : '-',
		       r->flags & VMCFG_MEM_EXECUTE ? 'x' : '-', map_type_name(r->map_type));
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s VM.toml\n", argv[0]);
		return 2;
	}
	const struct vmcfg_allocator *alloc = &vmcfg_host_allocator;
	char *text;
	size_t len;
	int err = vmcfg_read_file(argv[1], &text, &len);
	if (err) {
		fprintf(stderr, "%s: %s\n", argv[1], vmcfg_strerror(err));
		return 2;
	}

	struct vmcfg_diags diags;
	struct vmcfg_vm_spec *spec = NULL;
	vmcfg_diags_init(&diags, alloc);
	err = vmcfg_vm_spec_load(text, len, argv[1], alloc, &diags, &spec);
	if (!err && spec)
		err = vmcfg_check_vm(spec, NULL, NULL, &diags);
	if (err) {
		fprintf(stderr, "%s: %s\n", argv[1], vmcfg_strerror(err));
		return 2;
	}
	vmcfg_diags_sort(&diags);
	print_diags(&diags, argv[1], text, len);

	int status = diags.errors ? 1 : 0;
	if (!diags.errors) {
		struct vmcfg_vm_config *cfg;
		err = vmcfg_vm_config_from_spec(spec, alloc, &cfg);
		if (err) {
			fprintf(stderr, "%s: %s\n", argv[1], vmcfg_strerror(err));
			status = 2;
		} else {
			print_memory_map(cfg);
			vmcfg_vm_config_free(cfg);
		}
	}
	vmcfg_vm_spec_free(spec);
	vmcfg_diags_free(&diags);
	free(text);
	return status;
}
