/* SPDX-License-Identifier: MIT */
/* Diagnostics for people and machines: compiler-style text, JSON, SARIF 2.1.0. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"
#include "vmcfg/json.h"

int report_parse_color(const char *arg, FILE *out)
{
	if (!strcmp(arg, "always"))
		return 1;
	if (!strcmp(arg, "never"))
		return 0;
	if (!strcmp(arg, "auto")) {
		const char *no = getenv("NO_COLOR");
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

/* Findings shown per file in text: enough for any real file, bounded for a hostile one. */
#define REPORT_MAX_PER_FILE 100

static void write_text(const struct report *r, const struct vmcfg_diags *d, FILE *out)
{
	struct vmcfg_render_opts opts = { r->color, 0, 0, REPORT_MAX_PER_FILE };
	vmcfg_diag_render(d, r->sources, r->source_count, &opts, file_put, out);
}

/* --- JSON and SARIF --- */

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
	json_str(w, loc->file);
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

static void write_json(const struct vmcfg_diags *d, const struct vmcfg_writer *w)
{
	vmcfg_json_write_raw(w, "{\"diagnostics\": [");
	for (size_t i = 0; i < d->count; i++) {
		const struct vmcfg_diag *g = &d->items[i];
		vmcfg_json_write_raw(w, i ? ",\n  {" : "\n  {");
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
	vmcfg_json_write_raw(w, d->count ? "\n], \"errors\": " : "], \"errors\": ");
	vmcfg_json_write_u64(w, d->errors);
	vmcfg_json_write_raw(w, ", \"warnings\": ");
	vmcfg_json_write_u64(w, d->warnings);
	vmcfg_json_write_raw(w, ", \"complete\": ");
	vmcfg_json_write_raw(w, d->oom ? "false}\n" : "true}\n");
}

static const char *sarif_level(enum vmcfg_severity s)
{
	return s == VMCFG_SEV_ERROR ? "error" : s == VMCFG_SEV_WARNING ? "warning" : "note";
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
	vmcfg_json_write_raw(w, "\"physicalLocation\": {\"artifactLocation\": {\"uri\": ");
	json_str(w, loc->file ? loc->file : "<input>");
	vmcfg_json_write_raw(w, "}");
	if (loc->span.line) {
		vmcfg_json_write_raw(w, ", \"region\": {\"startLine\": ");
		vmcfg_json_write_u64(w, loc->span.line);
		vmcfg_json_write_raw(w, ", \"startColumn\": ");
		vmcfg_json_write_u64(w, loc->span.col);
		vmcfg_json_write_raw(w, ", \"byteOffset\": ");
		vmcfg_json_write_u64(w, loc->span.offset);
		vmcfg_json_write_raw(w, ", \"byteLength\": ");
		vmcfg_json_write_u64(w, loc->span.length);
		vmcfg_json_write_raw(w, "}");
	}
	vmcfg_json_write_raw(w, "}}");
}

static void write_sarif(const struct vmcfg_diags *d, const struct vmcfg_writer *w)
{
	vmcfg_json_write_raw(w, "{\"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\", "
				"\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {"
				"\"name\": \"vmcfg\", \"version\": \"" VMCFG_VERSION "\", "
				"\"rules\": [");
	for (int i = 0; i < VMCFG_RULE_COUNT; i++) {
		const struct vmcfg_rule_info *info = vmcfg_rule_info((enum vmcfg_rule)i);
		vmcfg_json_write_raw(w, i ? ",\n  {\"id\": " : "\n  {\"id\": ");
		json_str(w, info->code);
		vmcfg_json_write_raw(w, ", \"shortDescription\": {\"text\": ");
		json_str(w, info->title);
		vmcfg_json_write_raw(w, "}, \"helpUri\": \"docs/diagnostics.md#");
		vmcfg_json_write_raw(w, info->code);
		vmcfg_json_write_raw(w, "\", \"defaultConfiguration\": {\"level\": ");
		json_str(w, sarif_level(info->severity));
		vmcfg_json_write_raw(w, "}}");
	}
	vmcfg_json_write_raw(w, "]}}, \"results\": [");
	for (size_t i = 0; i < d->count; i++) {
		const struct vmcfg_diag *g = &d->items[i];
		vmcfg_json_write_raw(w, i ? ",\n  {\"ruleId\": " : "\n  {\"ruleId\": ");
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
		vmcfg_json_write_raw(w, "}, \"locations\": [");
		sarif_location(w, &g->primary, NULL);
		vmcfg_json_write_raw(w, "]");
		if (g->related.span.line || g->related.file) {
			vmcfg_json_write_raw(w, ", \"relatedLocations\": [");
			sarif_location(w, &g->related,
				       g->related_message ? g->related_message : "related");
			vmcfg_json_write_raw(w, "]");
		}
		vmcfg_json_write_raw(w, "}");
	}
	vmcfg_json_write_raw(w, "]}]}\n");
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
		write_sarif(d, &w);
		break;
	}
}
