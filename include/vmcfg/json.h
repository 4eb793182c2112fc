/* SPDX-License-Identifier: MIT */
/*
 * vmcfg/json.h — the small JSON writing primitives every emitter shares
 * (spec, runtime config, diagnostics). Output goes to a struct vmcfg_writer.
 */
#ifndef VMCFG_JSON_H
#define VMCFG_JSON_H

#include "vmcfg/base.h"

VMCFG_BEGIN_DECLS

/*
 * Writes s (len bytes) as a JSON string with quotes: '"', '\\' and control
 * characters escaped (\n \t … or \u00XX), bytes ≥ 0x80 passed through
 * (valid UTF-8 in, valid JSON out), U+0000 as \u0000.
 */
void vmcfg_json_write_string(const struct vmcfg_writer *w, const char *s, size_t len);

/* Writes v as a JSON number (decimal digits). */
void vmcfg_json_write_u64(const struct vmcfg_writer *w, uint64_t v);

/*
 * The one JSON vocabulary of every output (docs/json.md): JSON readers
 * (JavaScript, jq) keep integers exactly only up to 2^53 - 1, so
 *   - addresses, sizes, masks and flags are always strings "0x…" (lower-case
 *     hex, no separators): vmcfg_json_write_hex;
 *   - other integers (ids, counts, interrupt numbers, types) are numbers, or a
 *     decimal string above VMCFG_JSON_MAX_SAFE: vmcfg_json_write_uint.
 */
#define VMCFG_JSON_MAX_SAFE 9007199254740991ull /* 2^53 - 1 */

/* Writes v as a JSON string "0x…" (lower-case hex digits, no '_'). */
void vmcfg_json_write_hex(const struct vmcfg_writer *w, uint64_t v);

/* Writes v as a JSON number, or as a decimal string when above VMCFG_JSON_MAX_SAFE. */
void vmcfg_json_write_uint(const struct vmcfg_writer *w, uint64_t v);

/* Writes v as a JSON number, with a '-' when negative. */
void vmcfg_json_write_i64(const struct vmcfg_writer *w, int64_t v);

/* Writes a NUL-terminated string as is (punctuation, keys already quoted). */
void vmcfg_json_write_raw(const struct vmcfg_writer *w, const char *s);

VMCFG_END_DECLS

#endif /* VMCFG_JSON_H */
