/* SPDX-License-Identifier: MIT */
/* A vm_spec's life: decoding a document or text into one, and freeing it. */
#include "decode.h"
#include "../base/libc.h"

/* A typical VM file decodes into 1–3 KiB; chunks of this size waste little. */
#define SPEC_ARENA_CHUNK 4096

int vmcfg_vm_spec_decode(const struct vmcfg_toml_doc *doc, const char *file,
		   const struct vmcfg_allocator *alloc, struct vmcfg_diags *diags,
		   struct vmcfg_vm_spec **out)
{
	if (!out)
		return VMCFG_EINVAL;
	*out = NULL;
	if (!doc || !alloc || !alloc->fn || !diags)
		return VMCFG_EINVAL;

	struct vmcfg_vm_spec *spec = alloc->fn(alloc->ud, NULL, 0, sizeof *spec);
	if (!spec)
		return VMCFG_ENOMEM;
	memset(spec, 0, sizeof *spec);
	vmcfg_arena_init(&spec->arena, alloc, SPEC_ARENA_CHUNK);

	struct decoder d = { doc, spec, diags, 0, false };
	size_t findings_before = diags->count;
	if (file && !(spec->file = vmcfg_arena_strndup(&spec->arena, file, strlen(file))))
		d.err = VMCFG_ENOMEM;
	else
		vmcfg_spec_decode_file(&d);
	if (d.err) {
		/* Half a decode's findings would mislead: take them back. */
		vmcfg_diags_truncate(diags, findings_before);
		vmcfg_vm_spec_free(spec);
		return d.err;
	}
	*out = spec;
	return 0;
}

int vmcfg_vm_spec_parse_toml(const char *text, size_t len, const char *file,
		       const struct vmcfg_allocator *alloc, struct vmcfg_diags *diags,
		       struct vmcfg_toml_doc **doc)
{
	if (!doc)
		return VMCFG_EINVAL;
	*doc = NULL;
	if ((!text && len) || !alloc || !alloc->fn || !diags)
		return VMCFG_EINVAL;

	const struct vmcfg_toml_options opts = { .max_depth = 0, .allow_u64 = true };
	struct vmcfg_toml_error err;
	int rc = vmcfg_toml_parse(text ? text : "", len, alloc, &opts, doc, &err);
	if (rc == VMCFG_ESYNTAX || rc == VMCFG_ELIMIT) {
		struct vmcfg_loc at = { file, err.span };
		return vmcfg_diag_add(diags, VMCFG_R_TOML_SYNTAX, at, NULL, "%s", err.msg)
			       ? VMCFG_ENOMEM
			       : 0;
	}
	return rc;
}

enum vmcfg_file_kind vmcfg_file_kind_of(const struct vmcfg_toml_doc *doc)
{
	const struct vmcfg_toml_value *root = doc ? vmcfg_toml_root(doc) : NULL;
	if (root && vmcfg_toml_table_get(root, "vms", 3) && !vmcfg_toml_table_get(root, "base", 4))
		return VMCFG_FILE_SYSTEM;
	return VMCFG_FILE_VM;
}

int vmcfg_vm_spec_load(const char *text, size_t len, const char *file,
		 const struct vmcfg_allocator *alloc, struct vmcfg_diags *diags,
		 struct vmcfg_vm_spec **out)
{
	if (!out)
		return VMCFG_EINVAL;
	*out = NULL;
	struct vmcfg_toml_doc *doc = NULL;
	int rc = vmcfg_vm_spec_parse_toml(text, len, file, alloc, diags, &doc);
	if (rc || !doc)
		return rc;
	rc = vmcfg_vm_spec_decode(doc, file, alloc, diags, out);
	vmcfg_toml_free(doc);
	return rc;
}

void vmcfg_vm_spec_free(struct vmcfg_vm_spec *spec)
{
	if (!spec)
		return;
	struct vmcfg_allocator alloc = spec->arena.alloc;
	vmcfg_arena_release(&spec->arena);
	alloc.fn(alloc.ud, spec, sizeof *spec, 0);
}
