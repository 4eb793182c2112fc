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

/* Writes v as a JSON number, with a '-' when negative. */
void vmcfg_json_write_i64(const struct vmcfg_writer *w, int64_t v);

/* Writes a NUL-terminated string as is (punctuation, keys already quoted). */
void vmcfg_json_write_raw(const struct vmcfg_writer *w, const char *s);

VMCFG_END_DECLS

#endif /* VMCFG_JSON_H */
