/* SPDX-License-Identifier: MIT */
/*
 * The language server's state and the pieces its parts share: the open
 * documents (lsp_documents.c), a JSON output buffer, and the features
 * (lsp_features.c) the message loop (cmd_lsp.c) dispatches to.
 */
#ifndef VMCFG_TOOLS_LSP_SERVER_H
#define VMCFG_TOOLS_LSP_SERVER_H

#include <stdio.h>

#include "vmcfg/check.h"
#include "vmcfg/describe.h"
#include "vmcfg/json_read.h"

/* A document the editor has open: its text replaces the file on disk. */
struct vmcfg_lsp_doc {
	char *uri;
	char *path; /* the file system path of a file: URI, else the URI itself */
	char *text;
	size_t len;
};

struct vmcfg_lsp_server {
	FILE *out;
	struct vmcfg_lsp_doc *docs;
	size_t count, cap;
	bool shutdown; /* "shutdown" was received: only "exit" is expected */
	/* Kept across every check of the session: each edit's check reuses the
	 * chunks the previous one touched instead of asking malloc again. */
	struct vmcfg_check_scratch scratch;
};

/* A growing text buffer for JSON output; failed is set once memory ran out. */
struct vmcfg_lsp_buf {
	char *data;
	size_t len, cap;
	bool failed;
};

void vmcfg_lsp_buf_put(struct vmcfg_lsp_buf *b, const char *s, size_t len);
void vmcfg_lsp_buf_puts(struct vmcfg_lsp_buf *b, const char *s);
void vmcfg_lsp_buf_printf(struct vmcfg_lsp_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void vmcfg_lsp_buf_json_str(struct vmcfg_lsp_buf *b, const char *s, size_t len);
/* A writer that appends to b. */
struct vmcfg_writer vmcfg_lsp_buf_writer(struct vmcfg_lsp_buf *b);

/* Sends a notification: {"jsonrpc":"2.0","method":method,"params":params JSON}. */
void vmcfg_lsp_notify(struct vmcfg_lsp_server *s, const char *method, const char *params, size_t len);

/* --- documents (lsp_documents.c) --- */

/* The open document of uri, or NULL. */
struct vmcfg_lsp_doc *vmcfg_lsp_doc_find(struct vmcfg_lsp_server *s, const char *uri);
/* Opens (or replaces the text of) uri's document; NULL when memory ran out. */
struct vmcfg_lsp_doc *vmcfg_lsp_doc_set(struct vmcfg_lsp_server *s, const char *uri, const char *text,
					size_t len);
void vmcfg_lsp_doc_close(struct vmcfg_lsp_server *s, const char *uri);
void vmcfg_lsp_docs_free(struct vmcfg_lsp_server *s);

/* The path of a file: URI (percent-decoded), malloc'd; NULL for other schemes. */
char *vmcfg_lsp_uri_to_path(const char *uri);
/* The file: URI of an absolute path (percent-encoded), malloc'd. */
char *vmcfg_lsp_path_to_uri(const char *path);

/* Reads path from an open document or else from disk (vm_set_load_with's hook). */
int vmcfg_lsp_read(void *server, const char *path, char **text, size_t *len);

/* The byte offset of an LSP position (line, UTF-16 character) in text, clamped. */
size_t vmcfg_lsp_offset(const char *text, size_t len, int64_t line, int64_t character);
/* Writes the LSP position {"line":…,"character":…} of byte offset off in text. */
void vmcfg_lsp_put_position(struct vmcfg_lsp_buf *b, const char *text, size_t len, size_t off);
/* Writes the LSP range of bytes [from, to) of text. */
void vmcfg_lsp_put_range(struct vmcfg_lsp_buf *b, const char *text, size_t len, size_t from, size_t to);

/* Whether text is a system file (a top-level `vms` key), else a VM file. */
enum vmcfg_file_kind vmcfg_lsp_kind(const char *text, size_t len);

/* --- features (lsp_features.c) --- */

/*
 * Checks the document as `vmcfg check` would (a system file with
 * --system) and publishes the findings: to the document and, for a
 * system file, to each of its VM files.
 */
void vmcfg_lsp_publish(struct vmcfg_lsp_server *s, struct vmcfg_lsp_doc *doc);

/*
 * Answers a request: writes the JSON result into out and returns 0, or
 * returns a JSON-RPC error code (-32602 invalid params, -32601 unknown method)
 * with a message in *error.
 */
int vmcfg_lsp_hover(struct vmcfg_lsp_server *s, const struct vmcfg_json *params, struct vmcfg_lsp_buf *out,
		    const char **error);
int vmcfg_lsp_completion(struct vmcfg_lsp_server *s, const struct vmcfg_json *params,
			 struct vmcfg_lsp_buf *out, const char **error);
int vmcfg_lsp_formatting(struct vmcfg_lsp_server *s, const struct vmcfg_json *params,
			 struct vmcfg_lsp_buf *out, const char **error);
int vmcfg_lsp_definition(struct vmcfg_lsp_server *s, const struct vmcfg_json *params,
			 struct vmcfg_lsp_buf *out, const char **error);
int vmcfg_lsp_code_action(struct vmcfg_lsp_server *s, const struct vmcfg_json *params,
			  struct vmcfg_lsp_buf *out, const char **error);

#endif
