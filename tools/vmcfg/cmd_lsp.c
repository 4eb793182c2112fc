/* SPDX-License-Identifier: MIT */
/*
 * vmcfg lsp: a Language Server Protocol server over standard input and
 * output for VM files and system files. This file is the message loop:
 * framing, JSON-RPC requests, responses and errors, and the dispatch to
 * the features (lsp_features.c). A malformed message gets a JSON-RPC
 * error; the server goes on.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "vmcfg/host.h"
#include "vmcfg/jsonrpc.h"

#include "commands.h"
#include "lsp_server.h"

/* JSON-RPC and LSP error codes. */
#define PARSE_ERROR (-32700)
#define INVALID_REQUEST (-32600)
#define METHOD_NOT_FOUND (-32601)
#define INVALID_PARAMS (-32602)

static void lsp_usage(FILE *out)
{
	fprintf(out, "usage: vmcfg lsp [--stdio]\n\n"
		     "A Language Server Protocol server for VM files and system files, speaking\n"
		     "JSON-RPC over standard input and output (docs/editors.md): the checker's\n"
		     "diagnostics as you type (a system file's reach into its VM files), hover and\n"
		     "completion of keys and values from the format table, formatting as\n"
		     "`vmcfg fmt`, go-to-definition of VM names and VM file paths in system files,\n"
		     "and quick fixes for findings with a mechanical fix.\n\n"
		     "options:\n"
		     "  --stdio      talk over standard input and output (the default and only way)\n"
		     "  -h, --help   this text\n\n"
		     "exit status: 0 after shutdown and exit, 1 when input ends or exit comes first\n");
}

static void send(struct vmcfg_lsp_server *s, struct vmcfg_lsp_buf *b)
{
	if (!b->failed)
		vmcfg_jsonrpc_write(s->out, b->data, b->len);
}

void vmcfg_lsp_notify(struct vmcfg_lsp_server *s, const char *method, const char *params, size_t len)
{
	struct vmcfg_lsp_buf b = { 0 };
	vmcfg_lsp_buf_puts(&b, "{\"jsonrpc\":\"2.0\",\"method\":");
	vmcfg_lsp_buf_json_str(&b, method, strlen(method));
	vmcfg_lsp_buf_puts(&b, ",\"params\":");
	vmcfg_lsp_buf_put(&b, params, len);
	vmcfg_lsp_buf_puts(&b, "}");
	send(s, &b);
	free(b.data);
}

/* Writes a request's id as it came (a number or a string), null when none. */
static void put_id(struct vmcfg_lsp_buf *b, const struct vmcfg_json *id)
{
	int64_t n;
	if (vmcfg_json_int(id, &n))
		vmcfg_lsp_buf_printf(b, "%lld", (long long)n);
	else if (vmcfg_json_str(id))
		vmcfg_lsp_buf_json_str(b, id->s, id->len);
	else
		vmcfg_lsp_buf_puts(b, "null");
}

static void respond_error(struct vmcfg_lsp_server *s, const struct vmcfg_json *id, int code,
			  const char *message)
{
	struct vmcfg_lsp_buf b = { 0 };
	vmcfg_lsp_buf_puts(&b, "{\"jsonrpc\":\"2.0\",\"id\":");
	put_id(&b, id);
	vmcfg_lsp_buf_printf(&b, ",\"error\":{\"code\":%d,\"message\":", code);
	vmcfg_lsp_buf_json_str(&b, message, strlen(message));
	vmcfg_lsp_buf_puts(&b, "}}");
	send(s, &b);
	free(b.data);
}

static void respond(struct vmcfg_lsp_server *s, const struct vmcfg_json *id, const struct vmcfg_lsp_buf *result)
{
	struct vmcfg_lsp_buf b = { 0 };
	vmcfg_lsp_buf_puts(&b, "{\"jsonrpc\":\"2.0\",\"id\":");
	put_id(&b, id);
	vmcfg_lsp_buf_puts(&b, ",\"result\":");
	vmcfg_lsp_buf_put(&b, result->len ? result->data : "null", result->len ? result->len : 4);
	vmcfg_lsp_buf_puts(&b, "}");
	if (result->failed || b.failed)
		respond_error(s, id, -32603, "out of memory");
	else
		send(s, &b);
	free(b.data);
}

static const char capabilities[] =
	"{\"capabilities\":{"
	"\"textDocumentSync\":{\"openClose\":true,\"change\":1},"
	"\"hoverProvider\":true,"
	"\"completionProvider\":{\"triggerCharacters\":[\"[\",\"=\",\",\",\"\\\"\",\".\"]},"
	"\"documentFormattingProvider\":true,"
	"\"definitionProvider\":true,"
	"\"codeActionProvider\":{\"codeActionKinds\":[\"quickfix\"]}"
	"},\"serverInfo\":{\"name\":\"vmcfg\",\"version\":\"" VMCFG_VERSION "\"}}";

/* didOpen / didChange: the new text, then the findings. */
static int update(struct vmcfg_lsp_server *s, const struct vmcfg_json *params, bool open,
		  const char **error)
{
	const struct vmcfg_json *td = vmcfg_json_get(params, "textDocument");
	const char *uri = vmcfg_json_str(vmcfg_json_get(td, "uri"));
	const struct vmcfg_json *text = vmcfg_json_get(td, "text");
	if (!open) { /* full sync: the last change holds the whole text */
		const struct vmcfg_json *changes = vmcfg_json_get(params, "contentChanges");
		text = changes && changes->type == VMCFG_JSON_ARRAY && changes->len
			       ? vmcfg_json_get(&changes->items[changes->len - 1], "text")
			       : NULL;
		if (uri && !vmcfg_lsp_doc_find(s, uri)) {
			*error = "didChange of a document that is not open";
			return INVALID_PARAMS;
		}
	}
	if (!uri || !vmcfg_json_str(text)) {
		*error = "params need textDocument.uri and the text";
		return INVALID_PARAMS;
	}
	struct vmcfg_lsp_doc *doc = vmcfg_lsp_doc_set(s, uri, text->s, text->len);
	if (!doc) {
		*error = "out of memory";
		return -32603;
	}
	vmcfg_lsp_publish(s, doc);
	return 0;
}

/* Handles one message; false when the server should stop (exit). */
static bool handle(struct vmcfg_lsp_server *s, const struct vmcfg_json *msg, int *status)
{
	const struct vmcfg_json *id = vmcfg_json_get(msg, "id");
	const char *method = vmcfg_json_str(vmcfg_json_get(msg, "method"));
	const struct vmcfg_json *params = vmcfg_json_get(msg, "params");
	bool request = id != NULL;
	const char *error = NULL;
	int rc = 0;
	struct vmcfg_lsp_buf result = { 0 };

	if (msg->type != VMCFG_JSON_OBJECT || !method) {
		if (msg->type != VMCFG_JSON_OBJECT || !vmcfg_json_get(msg, "result"))
			respond_error(s, id, INVALID_REQUEST, "not a JSON-RPC request or notification");
		return true; /* responses to our (no) requests are ignored */
	}
	if (id && id->type != VMCFG_JSON_STRING && !(id->type == VMCFG_JSON_NUMBER && id->integer)) {
		respond_error(s, NULL, INVALID_REQUEST, "id must be an integer or a string");
		return true;
	}
	if (!strcmp(method, "exit")) {
		*status = s->shutdown ? 0 : 1;
		return false;
	}
	if (s->shutdown) {
		if (request)
			respond_error(s, id, INVALID_REQUEST, "the server is shut down");
		return true;
	}
	if (!strcmp(method, "initialize")) {
		vmcfg_lsp_buf_puts(&result, capabilities);
	} else if (!strcmp(method, "shutdown")) {
		s->shutdown = true;
		vmcfg_lsp_buf_puts(&result, "null");
	} else if (!strcmp(method, "textDocument/didOpen")) {
		rc = update(s, params, true, &error);
	} else if (!strcmp(method, "textDocument/didChange")) {
		rc = update(s, params, false, &error);
	} else if (!strcmp(method, "textDocument/didClose")) {
		const char *uri = vmcfg_json_str(vmcfg_json_get(vmcfg_json_get(params, "textDocument"), "uri"));
		if (uri) {
			struct vmcfg_lsp_buf b = { 0 };
			vmcfg_lsp_buf_puts(&b, "{\"uri\":");
			vmcfg_lsp_buf_json_str(&b, uri, strlen(uri));
			vmcfg_lsp_buf_puts(&b, ",\"diagnostics\":[]}");
			vmcfg_lsp_doc_close(s, uri);
			if (!b.failed)
				vmcfg_lsp_notify(s, "textDocument/publishDiagnostics", b.data, b.len);
			free(b.data);
		}
	} else if (!strcmp(method, "textDocument/hover")) {
		rc = vmcfg_lsp_hover(s, params, &result, &error);
	} else if (!strcmp(method, "textDocument/completion")) {
		rc = vmcfg_lsp_completion(s, params, &result, &error);
	} else if (!strcmp(method, "textDocument/formatting")) {
		rc = vmcfg_lsp_formatting(s, params, &result, &error);
	} else if (!strcmp(method, "textDocument/definition")) {
		rc = vmcfg_lsp_definition(s, params, &result, &error);
	} else if (!strcmp(method, "textDocument/codeAction")) {
		rc = vmcfg_lsp_code_action(s, params, &result, &error);
	} else if (request) {
		rc = METHOD_NOT_FOUND;
		error = "method not supported";
	}
	if (request) {
		if (rc)
			respond_error(s, id, rc, error ? error : "failed");
		else
			respond(s, id, &result);
	}
	free(result.data);
	return true;
}

int cmd_lsp(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "stdio", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			lsp_usage(stdout);
			return 0;
		}
		if (c != 's') {
			fprintf(stderr, "vmcfg lsp: unknown option (see vmcfg lsp --help)\n");
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "vmcfg lsp: takes no FILE (see vmcfg lsp --help)\n");
		return 2;
	}
	struct vmcfg_lsp_server s = { .out = stdout };
	vmcfg_check_scratch_init(&s.scratch, &vmcfg_host_allocator);
	int status = 1;
	for (;;) {
		char *body;
		size_t len;
		int rc = vmcfg_jsonrpc_read(stdin, &body, &len);
		if (rc == VMCFG_ENOENT || rc == VMCFG_EIO)
			break;
		if (rc == VMCFG_ESYNTAX || rc == VMCFG_ELIMIT) {
			respond_error(&s, NULL, rc == VMCFG_ELIMIT ? INVALID_REQUEST : PARSE_ERROR,
				      rc == VMCFG_ELIMIT ? "message too large" : "bad message header");
			continue;
		}
		if (rc)
			break; /* out of memory */
		struct vmcfg_json *msg;
		rc = vmcfg_json_parse(body, len, &msg, NULL);
		free(body);
		if (rc) {
			respond_error(&s, NULL, PARSE_ERROR,
				      rc == VMCFG_ELIMIT ? "JSON nested too deep" : "not valid JSON");
			continue;
		}
		bool go_on = handle(&s, msg, &status);
		vmcfg_json_free(msg);
		if (!go_on)
			break;
	}
	vmcfg_lsp_docs_free(&s);
	vmcfg_check_scratch_release(&s.scratch);
	return status;
}
