/* SPDX-License-Identifier: MIT */
/* Diagnostics for people and machines: compiler-style text, JSON, SARIF 2.1.0. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"
#include "vmcfg/host.h"
#include "vmcfg/json.h"

int vmcfg_color_choice = -1;

int report_parse_color(const char *arg, FILE *out)
{
	if (!strcmp(arg, "always"))
		return 1;
	if (!strcmp(arg, "never"))
		return 0;
	if (!strcmp(arg, "auto")) {
		const char *no = getenv("NO_COLOR");
		if (vmcfg_color_choice >= 0)
			return vmcfg_color_choice;
		return isatty(fileno(out)) && !(no && *no);
	}
	return -1;
}

int report_parse_format(const char *arg)
{
	if (!strcmp(arg, "text"))
		return REPORT_TEXT;
	if (!strcmp(arg, "json"))
		return REPORT_JSON;
	if (!strcmp(arg, "sarif"))
		return REPORT_SARIF;
	return -1;
}

static const char *severity_name(enum vmcfg_severity s)
{
	return s == VMCFG_SEV_ERROR ? "error" : s == VMCFG_SEV_WARNING ? "warning" : "note";
}

/* --- text: the library's renderer (vmcfg_diag_render) --- */

static int file_put(void *ctx, const char *buf, size_t len)
{
	return fwrite(buf, 1, len, ctx) == len ? 0 : VMCFG_EIO;
}

/* Findings shown in text per file and in all: enough for any real input, bounded for a hostile one. */
#define REPORT_MAX_PER_FILE 100
#define REPORT_MAX_TEXT 2000

static void write_text(const struct report *r, const struct vmcfg_diags *d, FILE *out)
{
	struct vmcfg_render_opts opts = { r->color, 0, 0, REPORT_MAX_PER_FILE, REPORT_MAX_TEXT };
	vmcfg_diag_render(d, r->sources, r->source_count, &opts, file_put, out);
}

/* --- JSON and SARIF --- */

struct record_run {
	const char *file; /* the file of the current run of findings */
	size_t count;	  /* written of this file */
	size_t total;	  /* written, all files */
	size_t omitted;	  /* left out, all files */
};

static void file_write(void *ud, const char *s, size_t len)
{
	fwrite(s, 1, len, ud);
}

static void json_str(const struct vmcfg_writer *w, const char *s)
{
	vmcfg_json_write_string(w, s ? s : "", s ? strlen(s) : 0);
}

static void json_loc(const struct vmcfg_writer *w, const struct vmcfg_loc *loc)
{
	vmcfg_json_write_raw(w, "{\"file\": ");
	if (loc->file)
		json_str(w, loc->file);
	else
		vmcfg_json_write_raw(w, "null"); /* a finding about no file (N0313) */
	vmcfg_json_write_raw(w, ", \"line\": ");
	vmcfg_json_write_u64(w, loc->span.line);
	vmcfg_json_write_raw(w, ", \"col\": ");
	vmcfg_json_write_u64(w, loc->span.col);
	vmcfg_json_write_raw(w, ", \"offset\": ");
	vmcfg_json_write_u64(w, loc->span.offset);
	vmcfg_json_write_raw(w, ", \"length\": ");
	vmcfg_json_write_u64(w, loc->span.length);
	vmcfg_json_write_raw(w, "}");
}

/*
 * Whether finding i is written in JSON or SARIF: the first
 * REPORT_MAX_RECORDS_PER_FILE of each file (findings come sorted by file)
 * and REPORT_MAX_RECORDS in all, so that a small hostile input cannot produce
 * tens of megabytes.
 */
static bool record_shown(const struct vmcfg_diags *d, size_t i, struct record_run *run)
{
	const char *file = d->items[i].primary.file;
	if (i == 0 || (file != run->file && (!file || !run->file || strcmp(file, run->file)))) {
		run->file = file;
		run->count = 0;
	}
	if (run->count >= REPORT_MAX_RECORDS_PER_FILE || run->total >= REPORT_MAX_RECORDS) {
		run->omitted++;
		return false;
	}
	run->count++;
	run->total++;
	return true;
}

static void write_json(const struct vmcfg_diags *d, const struct vmcfg_writer *w)
{
	struct record_run run = { 0 };
	size_t written = 0;
	vmcfg_json_write_raw(w, "{\"diagnostics\": [");
	for (size_t i = 0; i < d->count; i++) {
		const struct vmcfg_diag *g = &d->items[i];
		if (!record_shown(d, i, &run))
			continue;
		vmcfg_json_write_raw(w, written++ ? ",\n  {" : "\n  {");
		vmcfg_json_write_raw(w, "\"code\": ");
		json_str(w, g->code);
		vmcfg_json_write_raw(w, ", \"severity\": ");
		json_str(w, severity_name(g->severity));
		vmcfg_json_write_raw(w, ", \"message\": ");
		json_str(w, g->message);
		vmcfg_json_write_raw(w, ", \"location\": ");
		json_loc(w, &g->primary);
		if (g->related.span.line || g->related.file) {
			vmcfg_json_write_raw(w, ", \"related\": ");
			json_loc(w, &g->related);
			vmcfg_json_write_raw(w, ", \"related_message\": ");
			json_str(w, g->related_message);
		}
		if (g->hint) {
			vmcfg_json_write_raw(w, ", \"hint\": ");
			json_str(w, g->hint);
		}
		vmcfg_json_write_raw(w, "}");
	}
	vmcfg_json_write_raw(w, written ? "\n], \"errors\": " : "], \"errors\": ");
	vmcfg_json_write_u64(w, d->errors);
	vmcfg_json_write_raw(w, ", \"warnings\": ");
	vmcfg_json_write_u64(w, d->warnings);
	vmcfg_json_write_raw(w, ", \"omitted\": ");
	vmcfg_json_write_u64(w, run.omitted);
	vmcfg_json_write_raw(w, ", \"complete\": ");
	vmcfg_json_write_raw(w, d->oom || run.omitted ? "false}\n" : "true}\n");
}

static const char *sarif_level(enum vmcfg_severity s)
{
	return s == VMCFG_SEV_ERROR ? "error" : s == VMCFG_SEV_WARNING ? "warning" : "note";
}

/* The docs every helpUri points into: r->docs_url, else $VMCFG_DOCS_URL, else the default. */
static const char *docs_url(const struct report *r)
{
	const char *env = getenv("VMCFG_DOCS_URL");
	return r->docs_url && *r->docs_url ? r->docs_url : env && *env ? env : REPORT_DOCS_URL;
}

/* prefix then s as a URI path: unreserved characters and '/' as they are, the rest %XX. */
static void json_uri_path(const struct vmcfg_writer *w, const char *prefix, const char *s)
{
	size_t n = strlen(s), k = strlen(prefix);
	char *buf = malloc(k + 3 * n + 1);
	if (!buf) {
		json_str(w, s);
		return;
	}
	memcpy(buf, prefix, k);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("-._~/", c))
			buf[k++] = (char)c;
		else
			k += (size_t)snprintf(buf + k, 4, "%%%02X", c);
	}
	buf[k] = '\0';
	json_str(w, buf);
	free(buf);
}

/* The working directory, the %SRCROOT% artifact paths are relative to (with a final '/'). */
static const char *srcroot(void)
{
	static char dir[4096];
	if (!dir[0] && getcwd(dir, sizeof dir - 1)) {
		size_t n = strlen(dir);
		if (n && dir[n - 1] != '/')
			strcpy(dir + n, "/");
	}
	return dir;
}

/*
 * An artifactLocation: relative to %SRCROOT% (the working directory) when
 * the file is under it, as code scanning wants; an absolute path elsewhere
 * is a file: URI.
 */
static void sarif_artifact(const struct vmcfg_writer *w, const char *file)
{
	const char *root = srcroot();
	size_t n = strlen(root);
	if (file[0] == '/' && n && !strncmp(file, root, n)) {
		file += n;
	} else if (file[0] == '/') {
		vmcfg_json_write_raw(w, "{\"uri\": ");
		json_uri_path(w, "file://", file);
		vmcfg_json_write_raw(w, "}");
		return;
	}
	while (!strncmp(file, "./", 2))
		file += 2;
	vmcfg_json_write_raw(w, "{\"uri\": ");
	json_uri_path(w, "", file);
	vmcfg_json_write_raw(w, ", \"uriBaseId\": \"%SRCROOT%\"}");
}

/* A SARIF location; a related location also carries an id and a message. */
static void sarif_location(const struct vmcfg_writer *w, const struct vmcfg_loc *loc,
			   const char *related_message)
{
	vmcfg_json_write_raw(w, "{");
	if (related_message) {
		vmcfg_json_write_raw(w, "\"id\": 1, \"message\": {\"text\": ");
		json_str(w, related_message);
		vmcfg_json_write_raw(w, "}, ");
	}
	vmcfg_json_write_raw(w, "\"physicalLocation\": {\"artifactLocation\": ");
	sarif_artifact(w, loc->file);
	if (loc->span.line) {
		vmcfg_json_write_raw(w, ", \"region\": {\"startLine\": ");
		vmcfg_json_write_u64(w, loc->span.line);
		vmcfg_json_write_raw(w, ", \"startColumn\": ");
		vmcfg_json_write_u64(w, loc->span.col ? loc->span.col : 1);
		vmcfg_json_write_raw(w, ", \"byteOffset\": ");
		vmcfg_json_write_u64(w, loc->span.offset);
		vmcfg_json_write_raw(w, ", \"byteLength\": ");
		vmcfg_json_write_u64(w, loc->span.length);
		vmcfg_json_write_raw(w, "}");
	}
	vmcfg_json_write_raw(w, "}}");
}

/* Markdown as plain text: without the backticks of code spans. */
static void json_plain(const struct vmcfg_writer *w, const char *s, size_t len)
{
	char *buf = malloc(len + 1);
	size_t k = 0;
	if (!buf) {
		vmcfg_json_write_string(w, s, len);
		return;
	}
	for (size_t i = 0; i < len; i++)
		if (s[i] != '`')
			buf[k++] = s[i];
	vmcfg_json_write_string(w, buf, k);
	free(buf);
}

/*
 * A rule: its title (lib/base/diag.c's catalogue) as shortDescription, its
 * section of docs/diagnostics.md as fullDescription (the first paragraph)
 * and help (all of it, as text and Markdown), and the section's URL.
 */
static void sarif_rule(const struct report *r, const struct vmcfg_writer *w, enum vmcfg_rule rule)
{
	const struct vmcfg_rule_info *info = vmcfg_rule_info(rule);
	struct vmcfg_rule_doc doc;
	bool have = vmcfg_rule_doc(rule, &doc);
	vmcfg_json_write_raw(w, "{\"id\": ");
	json_str(w, info->code);
	vmcfg_json_write_raw(w, ", \"shortDescription\": {\"text\": ");
	json_str(w, info->title);
	vmcfg_json_write_raw(w, "}, \"fullDescription\": {\"text\": ");
	if (have) {
		const char *para = strstr(doc.body, "\n\n");
		size_t n = para && para < doc.body + doc.body_len ? (size_t)(para - doc.body) : doc.body_len;
		json_plain(w, doc.body, n);
	} else {
		json_str(w, info->title);
	}
	vmcfg_json_write_raw(w, "}, \"help\": {\"text\": ");
	if (have)
		json_plain(w, doc.body, doc.body_len);
	else
		json_str(w, info->title);
	vmcfg_json_write_raw(w, ", \"markdown\": ");
	if (have)
		vmcfg_json_write_string(w, doc.body, doc.body_len);
	else
		json_str(w, info->title);
	vmcfg_json_write_raw(w, "}, \"helpUri\": ");
	const char *base = docs_url(r);
	size_t n = strlen(base) + sizeof doc.anchor + 2;
	char *uri = malloc(n);
	if (uri) {
		snprintf(uri, n, "%s#%s", base, have ? doc.anchor : "");
		json_str(w, uri);
		free(uri);
	} else {
		json_str(w, base);
	}
	vmcfg_json_write_raw(w, ", \"defaultConfiguration\": {\"level\": ");
	json_str(w, sarif_level(info->severity));
	vmcfg_json_write_raw(w, "}}");
}

static void write_sarif(const struct report *r, const struct vmcfg_diags *d,
			const struct vmcfg_writer *w)
{
	vmcfg_json_write_raw(w, "{\"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\", "
				"\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {"
				"\"name\": \"vmcfg\", \"version\": \"" VMCFG_VERSION "\", "
				"\"semanticVersion\": \"" VMCFG_VERSION "\", "
				"\"informationUri\": \"" REPORT_INFO_URL "\", "
				"\"rules\": [");
	for (int i = 0; i < VMCFG_RULE_COUNT; i++) {
		vmcfg_json_write_raw(w, i ? ",\n  " : "\n  ");
		sarif_rule(r, w, (enum vmcfg_rule)i);
	}
	vmcfg_json_write_raw(w, "]}}, \"originalUriBaseIds\": {\"%SRCROOT%\": {\"uri\": ");
	json_uri_path(w, "file://", srcroot());
	vmcfg_json_write_raw(w, "}}, \"results\": [");
	struct record_run run = { 0 };
	size_t written = 0;
	for (size_t i = 0; i < d->count; i++) {
		const struct vmcfg_diag *g = &d->items[i];
		if (!record_shown(d, i, &run))
			continue;
		vmcfg_json_write_raw(w, written++ ? ",\n  {\"ruleId\": " : "\n  {\"ruleId\": ");
		json_str(w, g->code);
		vmcfg_json_write_raw(w, ", \"ruleIndex\": ");
		vmcfg_json_write_u64(w, (uint64_t)g->rule);
		vmcfg_json_write_raw(w, ", \"level\": ");
		json_str(w, sarif_level(g->severity));
		vmcfg_json_write_raw(w, ", \"message\": {\"text\": ");
		/* SARIF has no field for a fix in words: the hint joins the message. */
		int n = g->hint ? snprintf(NULL, 0, "%s (help: %s)", g->message, g->hint) : -1;
		char *text = n >= 0 ? malloc((size_t)n + 1) : NULL;
		if (text) {
			snprintf(text, (size_t)n + 1, "%s (help: %s)", g->message, g->hint);
			json_str(w, text);
			free(text);
		} else {
			json_str(w, g->message);
		}
		vmcfg_json_write_raw(w, "}");
		/* A finding about no file (N0313) has no location rather than a made-up one. */
		if (g->primary.file) {
			vmcfg_json_write_raw(w, ", \"locations\": [");
			sarif_location(w, &g->primary, NULL);
			vmcfg_json_write_raw(w, "]");
		}
		if (g->related.file) {
			vmcfg_json_write_raw(w, ", \"relatedLocations\": [");
			sarif_location(w, &g->related,
				       g->related_message ? g->related_message : "related");
			vmcfg_json_write_raw(w, "]");
		}
		vmcfg_json_write_raw(w, "}");
	}
	/* What was left out (or lost to memory) is said where code scanning shows tool problems. */
	vmcfg_json_write_raw(w, "], \"invocations\": [{\"executionSuccessful\": true");
	if (run.omitted || d->oom) {
		char text[160];
		if (run.omitted)
			snprintf(text, sizeof text,
				 "%zu findings omitted (at most %d are written per file, %d in all)",
				 run.omitted, REPORT_MAX_RECORDS_PER_FILE, REPORT_MAX_RECORDS);
		else
			snprintf(text, sizeof text,
				 "out of memory while collecting findings; the list is incomplete");
		vmcfg_json_write_raw(w, ", \"toolExecutionNotifications\": [{\"level\": \"warning\", "
					"\"message\": {\"text\": ");
		json_str(w, text);
		vmcfg_json_write_raw(w, "}}]");
	}
	vmcfg_json_write_raw(w, "}]}]}\n");
}

void report_write(const struct report *r, const struct vmcfg_diags *d, FILE *out)
{
	struct vmcfg_writer w = { file_write, out };
	switch (r->format) {
	case REPORT_TEXT:
		write_text(r, d, out);
		break;
	case REPORT_JSON:
		write_json(d, &w);
		break;
	case REPORT_SARIF:
		write_sarif(r, d, &w);
		break;
	}
}
