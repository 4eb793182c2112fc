/* SPDX-License-Identifier: MIT */
/*
 * vmcfg/jsonrpc.h — the base protocol of the Language Server Protocol:
 * messages framed by a "Content-Length: N" header block and an empty line,
 * over a byte stream (standard input and output). Host-only (stdio).
 */
#ifndef VMCFG_JSONRPC_H
#define VMCFG_JSONRPC_H

#include <stdio.h>

#include "vmcfg/base.h"

VMCFG_BEGIN_DECLS

/* The largest body vmcfg_jsonrpc_read accepts. */
#define VMCFG_JSONRPC_MAX_BODY (64u << 20)

/*
 * Reads one message: header lines ("Name: value", ending in CRLF or LF)
 * up to an empty line, then Content-Length bytes of body into a malloc'd
 * NUL-terminated *body (*len bytes). Other headers (Content-Type) are
 * ignored. Returns 0; VMCFG_ENOENT at end of input before a message
 * starts; VMCFG_ESYNTAX when the header block has no valid Content-Length
 * or a line is not a header (the block is consumed, the stream goes on
 * after its empty line); VMCFG_ELIMIT when the body is larger than
 * VMCFG_JSONRPC_MAX_BODY (it is skipped); VMCFG_EIO when input ends inside
 * a message; VMCFG_ENOMEM. *body is NULL unless 0 is returned.
 */
int vmcfg_jsonrpc_read(FILE *in, char **body, size_t *len);

/*
 * Writes body (len bytes) as one message with its Content-Length header
 * and flushes. Returns 0 or VMCFG_EIO.
 */
int vmcfg_jsonrpc_write(FILE *out, const char *body, size_t len);

VMCFG_END_DECLS

#endif /* VMCFG_JSONRPC_H */
