/* SPDX-License-Identifier: MIT */
/*
 * vmcfg/describe.h — the file formats described for people and editors:
 * a JSON Schema of VM files and system files, and per key its meaning,
 * type, range and valid values (hover text, completion lists). Everything
 * comes from the table the decoder reads (lib/spec/schema.c), so the
 * schema, the language server and the decoder cannot disagree.
 * Freestanding: output goes to a struct vmcfg_writer or a caller's buffer.
 */
#ifndef VMCFG_DESCRIBE_H
#define VMCFG_DESCRIBE_H

#include "vmcfg/base.h"
#include "vmcfg/spec.h" /* enum vmcfg_file_kind: which format */

VMCFG_BEGIN_DECLS

/* JSON Schema dialects. */
enum vmcfg_schema_draft {
	VMCFG_SCHEMA_DRAFT_07 = 0, /* tuples as items: [..] + additionalItems (taplo, editors) */
	VMCFG_SCHEMA_2020_12 = 1   /* tuples as prefixItems + items: false */
};

/*
 * Writes the JSON Schema of format kind in dialect draft to w (pretty
 * printed, ending in a newline). Every record is accepted in both its
 * positional and its named form; unknown keys are rejected (the checker
 * warns about them, W0106). Returns 0, or VMCFG_EINVAL for an unknown
 * kind or draft or a NULL w (nothing written).
 */
int vmcfg_schema_emit_json(enum vmcfg_file_kind kind, enum vmcfg_schema_draft draft,
			   const struct vmcfg_writer *w);

/*
 * A step of a key path from the file's root: a key (name, len bytes) or,
 * with name NULL, a position (index) in an array. Positions inside a list
 * are skipped over; a position inside a positional record names its field.
 */
struct vmcfg_key_step {
	const char *name;
	size_t len;
	size_t index;
};

/*
 * Describes the key at path[0..depth) of format kind in Markdown: its
 * dotted name, whether it is required, what it means, its type and range
 * and its valid values with their meaning. Writes at most size bytes to buf
 * (NUL-terminated when size > 0) and returns the full length like snprintf;
 * 0 when the path names no key of the format (or depth is 0).
 */
size_t vmcfg_key_describe(enum vmcfg_file_kind kind, const struct vmcfg_key_step *path,
			  size_t depth, char *buf, size_t size);

/* Receives one completion candidate: label, the text to insert, a one-line detail. */
typedef void (*vmcfg_complete_fn)(void *ud, const char *label, const char *insert,
				  const char *detail);

/*
 * The keys of the table (or named record) at path[0..depth) — depth 0 is the
 * file's root — in the format's order: fn(ud, key, key, meaning) for each.
 * Returns how many; 0 when path names no table.
 */
size_t vmcfg_key_complete_names(enum vmcfg_file_kind kind, const struct vmcfg_key_step *path,
				size_t depth, vmcfg_complete_fn fn, void *ud);

/*
 * The valid values of the key at path[0..depth) when it has a fixed set —
 * enumerations (names and numbers: emu_type, vm_type, map_type,
 * interrupt_mode, image_location, arch, access) and flag bits — as
 * fn(ud, label, text to insert as TOML, meaning). Returns how many; 0 when
 * the key takes any value of its type or path names no key.
 */
size_t vmcfg_key_complete_values(enum vmcfg_file_kind kind, const struct vmcfg_key_step *path,
				 size_t depth, vmcfg_complete_fn fn, void *ud);

VMCFG_END_DECLS

#endif /* VMCFG_DESCRIBE_H */
