/* SPDX-License-Identifier: MIT */
/*
 * Text output of the emitters (lib/spec internal): pieces of text, numbers
 * and quoted strings sent to a struct vmcfg_writer.
 */
#ifndef VMCFG_LIB_SPEC_WRITER_H
#define VMCFG_LIB_SPEC_WRITER_H

#include "schema.h"

void vmcfg_spec_put(const struct vmcfg_writer *w, const char *s);
void vmcfg_spec_put_u64(const struct vmcfg_writer *w, uint64_t v, enum spec_radix radix);

/* Two spaces per level. */
void vmcfg_spec_put_indent(const struct vmcfg_writer *w, unsigned level);

/*
 * s (len bytes) in double quotes, with the escapes that TOML basic strings
 * and JSON strings share: \" \\ \b \t \n \f \r, \u00XX for other control
 * characters and DEL. Other bytes (UTF-8) are written as they are.
 */
void vmcfg_spec_put_quoted(const struct vmcfg_writer *w, const char *s, size_t len);

/* A C string quoted likewise; NULL is written as "". */
void vmcfg_spec_put_quoted_cstr(const struct vmcfg_writer *w, const char *s);

#endif /* VMCFG_LIB_SPEC_WRITER_H */
