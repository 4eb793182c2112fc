/* SPDX-License-Identifier: MIT */
/*
 * The language server's features: diagnostics (the checker's, as `vmcfg
 * check` reports them), hover and completion (from the format table,
 * vmcfg/describe.h), formatting (the library's fmt), go-to-definition and
 * code actions (the diagnostics' structured fixes).
 */
#include <stdlib.h>
#include <string.h>

#include "vmcfg/host.h"

#include "load.h"
#include "lsp_cursor.h"
#include "lsp_server.h"
#include "report.h"

#define INVALID_PARAMS (-32602)

/* Checks doc as `vmcfg check` does: a system file with --system, a VM file alone. */
static int load(struct vmcfg_lsp_server *s, const struct vmcfg_lsp_doc *doc, struct vm_set *set)
{
	struct vm_set_options o = { 0 };
	o.scratch = &s->scratch;
	char *path = doc->path;
	if (vmcfg_lsp_kind(doc->text, doc->len) == VMCFG_FILE_SYSTEM) {
		o.system_path = path;
		return vm_set_load_with(set, NULL, 0, &o, vmcfg_lsp_read, s);
	}
	return vm_set_load_with(set, &path, 1, &o, vmcfg_lsp_read, s);
}

static const struct vmcfg_diag_source *source(const struct vm_set *set, const char *file)
{
	for (size_t i = 0; file && i < set->source_count; i++)
		if (set->sources[i].file && !strcmp(set->sources[i].file, file))
			return &set->sources[i];
	return NULL;
}

/* The range of span in file (its text from set), 0:0 when unknown. */
static void put_span(struct vmcfg_lsp_buf *b, const struct vm_set *set, const char *file,
		     struct vmcfg_span span)
{
	const struct vmcfg_diag_source *src = source(set, file);
	if (!src || !src->text || span.line == 0 || span.offset > src->len) {
		vmcfg_lsp_buf_puts(b, "{\"start\":{\"line\":0,\"character\":0},\"end\":{\"line\":0,\"character\":0}}");
		return;
	}
	size_t end = span.offset + span.length;
	vmcfg_lsp_put_range(b, src->text, src->len, span.offset, end > src->len ? src->len : end);
}

/* The URI of path: an open document keeps the URI the editor gave it. */
static void put_uri(struct vmcfg_lsp_server *s, struct vmcfg_lsp_buf *b, const char *path)
{
	for (size_t i = 0; i < s->count; i++) {
		if (!strcmp(s->docs[i].path, path)) {
			vmcfg_lsp_buf_json_str(b, s->docs[i].uri, strlen(s->docs[i].uri));
			return;
		}
	}
	char *uri = vmcfg_lsp_path_to_uri(path);
	if (!uri) {
		b->failed = true;
		return;
	}
	vmcfg_lsp_buf_json_str(b, uri, strlen(uri));
	free(uri);
}

static void put_diag(struct vmcfg_lsp_server *s, struct vmcfg_lsp_buf *b, const struct vm_set *set, const struct vmcfg_diag *g)
{
	static const int severity[] = { 3, 2, 1 }; /* note: information, warning, error */
	vmcfg_lsp_buf_puts(b, "{\"range\":");
	put_span(b, set, g->primary.file, g->primary.span);
	vmcfg_lsp_buf_printf(b, ",\"severity\":%d,\"source\":\"vmcfg\",\"code\":", severity[g->severity]);
	vmcfg_lsp_buf_json_str(b, g->code, strlen(g->code));
	vmcfg_lsp_buf_puts(b, ",\"message\":");
	struct vmcfg_lsp_buf m = { 0 };
	vmcfg_lsp_buf_puts(&m, g->message);
	if (g->hint) {
		vmcfg_lsp_buf_puts(&m, "\nhelp: ");
		vmcfg_lsp_buf_puts(&m, g->hint);
	}
	vmcfg_lsp_buf_json_str(b, m.data, m.len);
	free(m.data);
	if (g->related.span.line && g->related.file) {
		vmcfg_lsp_buf_puts(b, ",\"relatedInformation\":[{\"location\":{\"uri\":");
		put_uri(s, b, g->related.file);
		vmcfg_lsp_buf_puts(b, ",\"range\":");
		put_span(b, set, g->related.file, g->related.span);
		vmcfg_lsp_buf_puts(b, "},\"message\":");
		const char *rm = g->related_message ? g->related_message : "related";
		vmcfg_lsp_buf_json_str(b, rm, strlen(rm));
		vmcfg_lsp_buf_puts(b, "}]");
	}
	vmcfg_lsp_buf_puts(b, "}");
}

/* Publishes the findings of set that lie in file (possibly none; at most REPORT_MAX_RECORDS_PER_FILE). */
static void publish_file(struct vmcfg_lsp_server *s, const struct vm_set *set, const char *file)
{
	struct vmcfg_lsp_buf b = { 0 };
	vmcfg_lsp_buf_puts(&b, "{\"uri\":");
	put_uri(s, &b, file);
	vmcfg_lsp_buf_puts(&b, ",\"diagnostics\":[");
	size_t written = 0;
	for (size_t i = 0; i < set->diags.count && written < REPORT_MAX_RECORDS_PER_FILE; i++) {
		const struct vmcfg_diag *g = &set->diags.items[i];
		if (!g->primary.file || strcmp(g->primary.file, file))
			continue;
		if (written++)
			vmcfg_lsp_buf_puts(&b, ",");
		put_diag(s, &b, set, g);
	}
	vmcfg_lsp_buf_puts(&b, "]}");
	if (!b.failed)
		vmcfg_lsp_notify(s, "textDocument/publishDiagnostics", b.data, b.len);
	free(b.data);
}

static void publish_one(struct vmcfg_lsp_server *s, struct vmcfg_lsp_doc *doc)
{
	struct vm_set set;
	if (load(s, doc, &set) == 0) {
		vmcfg_diags_sort(&set.diags);
		publish_file(s, &set, doc->path);
		/* A system file's findings reach into its VM files. */
		for (size_t i = 0; set.system && i < set.count; i++)
			if (set.files[i].path && strcmp(set.files[i].path, doc->path))
				publish_file(s, &set, set.files[i].path);
	}
	vm_set_free(&set);
}

void vmcfg_lsp_publish(struct vmcfg_lsp_server *s, struct vmcfg_lsp_doc *doc)
{
	publish_one(s, doc);
	if (vmcfg_lsp_kind(doc->text, doc->len) == VMCFG_FILE_SYSTEM)
		return;
	/* An open system file sees its VM files together: its view comes last. */
	for (size_t i = 0; i < s->count; i++)
		if (&s->docs[i] != doc && vmcfg_lsp_kind(s->docs[i].text, s->docs[i].len) == VMCFG_FILE_SYSTEM)
			publish_one(s, &s->docs[i]);
}

/* The document and byte offset of params' textDocument and position. */
static struct vmcfg_lsp_doc *doc_at(struct vmcfg_lsp_server *s, const struct vmcfg_json *params,
				    size_t *offset, const char **error)
{
	const struct vmcfg_json *td = vmcfg_json_get(params, "textDocument");
	const char *uri = vmcfg_json_str(vmcfg_json_get(td, "uri"));
	struct vmcfg_lsp_doc *doc = uri ? vmcfg_lsp_doc_find(s, uri) : NULL;
	if (!doc) {
		*error = uri ? "document is not open" : "params.textDocument.uri missing";
		return NULL;
	}
	if (!offset)
		return doc;
	const struct vmcfg_json *pos = vmcfg_json_get(params, "position");
	int64_t line, character;
	if (!vmcfg_json_int(vmcfg_json_get(pos, "line"), &line) ||
	    !vmcfg_json_int(vmcfg_json_get(pos, "character"), &character) || line < 0 || character < 0) {
		*error = "params.position must hold line and character";
		return NULL;
	}
	*offset = vmcfg_lsp_offset(doc->text, doc->len, line, character);
	return doc;
}

int vmcfg_lsp_hover(struct vmcfg_lsp_server *s, const struct vmcfg_json *params, struct vmcfg_lsp_buf *out,
		    const char **error)
{
	size_t at;
	struct vmcfg_lsp_doc *doc = doc_at(s, params, &at, error);
	if (!doc)
		return INVALID_PARAMS;
	struct vmcfg_lsp_cursor c;
	vmcfg_lsp_cursor_find(doc->text, doc->len, at, &c);
	enum vmcfg_file_kind kind = vmcfg_lsp_kind(doc->text, doc->len);
	/* On a key: that key; on a value: the key (or record field) it belongs to. */
	size_t n = c.depth && (c.on_key || c.at_value) ? vmcfg_key_describe(kind, c.path, c.depth, NULL, 0) : 0;
	if (!n) {
		vmcfg_lsp_buf_puts(out, "null");
		return 0;
	}
	char *text = malloc(n + 1);
	if (!text) {
		out->failed = true;
		return 0;
	}
	vmcfg_key_describe(kind, c.path, c.depth, text, n + 1);
	vmcfg_lsp_buf_puts(out, "{\"contents\":{\"kind\":\"markdown\",\"value\":");
	vmcfg_lsp_buf_json_str(out, text, n);
	free(text);
	vmcfg_lsp_buf_puts(out, "},\"range\":");
	if (c.on_key || !c.str)
		vmcfg_lsp_put_range(out, doc->text, doc->len, c.word_start, c.word_end);
	else
		vmcfg_lsp_put_range(out, doc->text, doc->len, c.str_start, c.str_end);
	vmcfg_lsp_buf_puts(out, "}");
	return 0;
}

struct completion {
	struct vmcfg_lsp_buf *out;
	int kind;        /* CompletionItemKind: 10 property, 20 enum member */
	bool bare;       /* inside a string: insert the label without quotes */
	size_t count;
};

static void completion_item(void *ud, const char *label, const char *insert, const char *detail)
{
	struct completion *cp = ud;
	struct vmcfg_lsp_buf *b = cp->out;
	if (cp->count++)
		vmcfg_lsp_buf_puts(b, ",");
	vmcfg_lsp_buf_puts(b, "{\"label\":");
	vmcfg_lsp_buf_json_str(b, label, strlen(label));
	vmcfg_lsp_buf_printf(b, ",\"kind\":%d,\"detail\":", cp->kind);
	if (cp->kind == 20 && strcmp(label, insert) && insert[0] != '"') {
		/* a number with a name: "GPPTITS" inserts 0x22 — say so */
		struct vmcfg_lsp_buf d = { 0 };
		vmcfg_lsp_buf_printf(&d, "%s%s%s", insert, detail[0] ? " — " : "", detail);
		vmcfg_lsp_buf_json_str(b, d.data, d.len);
		free(d.data);
	} else {
		vmcfg_lsp_buf_json_str(b, detail, strlen(detail));
	}
	vmcfg_lsp_buf_puts(b, ",\"insertText\":");
	const char *text = cp->bare ? label : insert;
	vmcfg_lsp_buf_json_str(b, text, strlen(text));
	if (cp->kind == 20 && insert[0] != '"') { /* filter and sort by the name and the number */
		vmcfg_lsp_buf_puts(b, ",\"filterText\":");
		struct vmcfg_lsp_buf f = { 0 };
		vmcfg_lsp_buf_printf(&f, "%s %s", label, insert);
		vmcfg_lsp_buf_json_str(b, f.data, f.len);
		free(f.data);
	}
	vmcfg_lsp_buf_puts(b, "}");
}

int vmcfg_lsp_completion(struct vmcfg_lsp_server *s, const struct vmcfg_json *params,
			 struct vmcfg_lsp_buf *out, const char **error)
{
	size_t at;
	struct vmcfg_lsp_doc *doc = doc_at(s, params, &at, error);
	if (!doc)
		return INVALID_PARAMS;
	struct vmcfg_lsp_cursor c;
	vmcfg_lsp_cursor_find(doc->text, doc->len, at, &c);
	enum vmcfg_file_kind kind = vmcfg_lsp_kind(doc->text, doc->len);
	struct completion cp = { out, 10, false, 0 };
	vmcfg_lsp_buf_puts(out, "{\"isIncomplete\":false,\"items\":[");
	if (c.at_key) {
		vmcfg_key_complete_names(kind, c.path, c.on_key ? c.depth - 1 : c.depth, completion_item, &cp);
	} else if (c.at_value) {
		cp.kind = 20;
		cp.bare = c.str != NULL;
		vmcfg_key_complete_values(kind, c.path, c.depth, completion_item, &cp);
	}
	vmcfg_lsp_buf_puts(out, "]}");
	return 0;
}

static void collect(void *ud, const char *s, size_t len)
{
	vmcfg_lsp_buf_put(ud, s, len);
}

int vmcfg_lsp_formatting(struct vmcfg_lsp_server *s, const struct vmcfg_json *params,
			 struct vmcfg_lsp_buf *out, const char **error)
{
	struct vmcfg_lsp_doc *doc = doc_at(s, params, NULL, error);
	if (!doc)
		return INVALID_PARAMS;
	/* As `vmcfg fmt`: VM files without errors; system files are not formatted. */
	struct vmcfg_diags diags;
	struct vmcfg_vm_spec *spec = NULL;
	struct vmcfg_lsp_buf text = { 0 };
	vmcfg_diags_init(&diags, &vmcfg_host_allocator);
	if (vmcfg_lsp_kind(doc->text, doc->len) == VMCFG_FILE_VM &&
	    !vmcfg_vm_spec_load(doc->text, doc->len, doc->path, &vmcfg_host_allocator, &diags, &spec) &&
	    spec && !diags.errors) {
		struct vmcfg_writer w = { collect, &text };
		if (vmcfg_vm_spec_emit_toml_commented(spec, doc->text, doc->len, &vmcfg_host_allocator, &w))
			text.failed = true;
	}
	if (text.data && !text.failed && (text.len != doc->len || memcmp(text.data, doc->text, text.len))) {
		vmcfg_lsp_buf_puts(out, "[{\"range\":");
		vmcfg_lsp_put_range(out, doc->text, doc->len, 0, doc->len);
		vmcfg_lsp_buf_puts(out, ",\"newText\":");
		vmcfg_lsp_buf_json_str(out, text.data, text.len);
		vmcfg_lsp_buf_puts(out, "}]");
	} else {
		vmcfg_lsp_buf_puts(out, "[]");
	}
	free(text.data);
	vmcfg_vm_spec_free(spec);
	vmcfg_diags_free(&diags);
	return 0;
}

static bool step_is(const struct vmcfg_key_step *st, const char *name)
{
	return st->name && st->len == strlen(name) && !memcmp(st->name, name, st->len);
}

int vmcfg_lsp_definition(struct vmcfg_lsp_server *s, const struct vmcfg_json *params,
			 struct vmcfg_lsp_buf *out, const char **error)
{
	size_t at;
	struct vmcfg_lsp_doc *doc = doc_at(s, params, &at, error);
	if (!doc)
		return INVALID_PARAMS;
	struct vmcfg_lsp_cursor c;
	vmcfg_lsp_cursor_find(doc->text, doc->len, at, &c);
	if (!c.str || !c.depth || vmcfg_lsp_kind(doc->text, doc->len) != VMCFG_FILE_SYSTEM) {
		vmcfg_lsp_buf_puts(out, "null");
		return 0;
	}
	struct vm_set set;
	int rc = load(s, doc, &set);
	bool found = false;
	for (size_t i = 0; !rc && set.system && i < set.count && !found; i++) {
		const struct vm_file *f = &set.files[i];
		bool match = false;
		if (step_is(&c.path[0], "vms")) {
			/* a VM file path: the file at i is the path written at position i */
			match = c.depth >= 2 && !c.path[1].name && c.path[1].index < set.system->vm_count &&
				set.system->vms[c.path[1].index].set && i == c.path[1].index;
		} else if (step_is(&c.path[0], "ivc") && f->spec && f->spec->base.name.set) {
			/* a VM name: publisher, or a subscriber's vm */
			const struct vmcfg_key_step *last = &c.path[c.depth - 1];
			bool names_vm = step_is(last, "publisher") || step_is(last, "vm") ||
					(!last->name && last->index == 0 && c.depth >= 2 &&
					 !c.path[c.depth - 2].name);
			match = names_vm && f->spec->base.name.len == c.str_len &&
				!memcmp(f->spec->base.name.s, c.str, c.str_len);
		}
		if (!match || !f->path)
			continue;
		found = true;
		vmcfg_lsp_buf_puts(out, "{\"uri\":");
		put_uri(s, out, f->path);
		vmcfg_lsp_buf_puts(out, ",\"range\":");
		if (step_is(&c.path[0], "vms") || !f->text)
			vmcfg_lsp_buf_puts(out, "{\"start\":{\"line\":0,\"character\":0},"
						"\"end\":{\"line\":0,\"character\":0}}");
		else
			put_span(out, &set, f->path, f->spec->base.name.span);
		vmcfg_lsp_buf_puts(out, "}");
	}
	if (!found)
		vmcfg_lsp_buf_puts(out, "null");
	vm_set_free(&set);
	return 0;
}

int vmcfg_lsp_code_action(struct vmcfg_lsp_server *s, const struct vmcfg_json *params,
			  struct vmcfg_lsp_buf *out, const char **error)
{
	struct vmcfg_lsp_doc *doc = doc_at(s, params, NULL, error);
	if (!doc)
		return INVALID_PARAMS;
	const struct vmcfg_json *range = vmcfg_json_get(params, "range");
	const struct vmcfg_json *start = vmcfg_json_get(range, "start"), *end = vmcfg_json_get(range, "end");
	int64_t sl, sc, el, ec;
	if (!vmcfg_json_int(vmcfg_json_get(start, "line"), &sl) ||
	    !vmcfg_json_int(vmcfg_json_get(start, "character"), &sc) ||
	    !vmcfg_json_int(vmcfg_json_get(end, "line"), &el) ||
	    !vmcfg_json_int(vmcfg_json_get(end, "character"), &ec)) {
		*error = "params.range must hold start and end positions";
		return INVALID_PARAMS;
	}
	size_t from = vmcfg_lsp_offset(doc->text, doc->len, sl, sc);
	size_t to = vmcfg_lsp_offset(doc->text, doc->len, el, ec);
	struct vm_set set;
	int rc = load(s, doc, &set);
	size_t n = 0;
	vmcfg_lsp_buf_puts(out, "[");
	for (size_t i = 0; !rc && i < set.diags.count; i++) {
		const struct vmcfg_diag *g = &set.diags.items[i];
		if (!g->fix || !g->primary.file || strcmp(g->primary.file, doc->path))
			continue;
		size_t fs = g->fix_span.offset, fe = fs + g->fix_span.length;
		if (fe < from || fs > to) /* not where the editor asks */
			continue;
		if (n++)
			vmcfg_lsp_buf_puts(out, ",");
		struct vmcfg_lsp_buf title = { 0 };
		vmcfg_lsp_buf_printf(&title, "Replace with %s (%s)", g->fix, g->code);
		vmcfg_lsp_buf_puts(out, "{\"title\":");
		vmcfg_lsp_buf_json_str(out, title.data, title.len);
		free(title.data);
		vmcfg_lsp_buf_puts(out, ",\"kind\":\"quickfix\",\"isPreferred\":true,\"diagnostics\":[");
		put_diag(s, out, &set, g);
		vmcfg_lsp_buf_puts(out, "],\"edit\":{\"changes\":{");
		vmcfg_lsp_buf_json_str(out, doc->uri, strlen(doc->uri));
		vmcfg_lsp_buf_puts(out, ":[{\"range\":");
		put_span(out, &set, doc->path, g->fix_span);
		vmcfg_lsp_buf_puts(out, ",\"newText\":");
		vmcfg_lsp_buf_json_str(out, g->fix, strlen(g->fix));
		vmcfg_lsp_buf_puts(out, "}]}}}");
	}
	vmcfg_lsp_buf_puts(out, "]");
	vm_set_free(&set);
	return 0;
}
