/* SPDX-License-Identifier: MIT */
/*
 * Where a cursor is in a TOML text, for the language server: the key path
 * of the key or value under it (tables, dotted keys, inline tables, array
 * positions), whether a key or a value may be typed there, and the string
 * under it. A tolerant scan, so it works while the file is being typed and
 * does not parse.
 */
#ifndef VMCFG_TOOLS_LSP_CURSOR_H
#define VMCFG_TOOLS_LSP_CURSOR_H

#include "vmcfg/describe.h"

#define VMCFG_LSP_MAX_STEPS 32

struct vmcfg_lsp_cursor {
	/* The path to the key under the cursor, or to the value being written. */
	struct vmcfg_key_step path[VMCFG_LSP_MAX_STEPS];
	size_t depth;
	bool on_key;   /* the cursor is on a key (or table header) name: path ends with it */
	bool at_key;   /* a key may be typed here: complete the keys of path's table */
	bool at_value; /* a value of path may be typed here */
	size_t word_start, word_end;    /* the key or word under the cursor (byte offsets) */
	const char *str;                /* the basic string under the cursor, its contents, or NULL */
	size_t str_len, str_start, str_end; /* its contents' length; the literal's bounds with quotes */
};

/* Scans text (len bytes) up to the cursor at byte offset at and fills *c. */
void vmcfg_lsp_cursor_find(const char *text, size_t len, size_t at, struct vmcfg_lsp_cursor *c);

#endif
