/* SPDX-License-Identifier: MIT */
/*
 * Rendering diagnostics for people (compiler style, with source excerpts
 * and carets) and for machines (JSON, SARIF 2.1.0).
 */
#ifndef VMCFG_TOOLS_REPORT_H
#define VMCFG_TOOLS_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "vmcfg/diag.h"

enum report_format { REPORT_TEXT, REPORT_JSON, REPORT_SARIF };

struct report {
	enum report_format format;
	bool color;
	const struct vmcfg_diag_source *sources; /* for excerpts */
	size_t source_count;
	const char *docs_url; /* SARIF helpUri base; NULL: $VMCFG_DOCS_URL, else REPORT_DOCS_URL */
};

/* Where the published docs/diagnostics.md and the project live (SARIF helpUri, informationUri). */
#define REPORT_DOCS_URL "https://github.com/vmcfg/vmcfg/blob/main/docs/diagnostics.md"
#define REPORT_INFO_URL "https://github.com/vmcfg/vmcfg"

/*
 * Findings written per file in JSON, SARIF and the language server's
 * diagnostics: far more than any real file has, bounded for a hostile one
 * (1000 findings are some hundred kilobytes).
 */
#define REPORT_MAX_RECORDS_PER_FILE 1000
#define REPORT_MAX_RECORDS 5000 /* all files of one run (JSON, SARIF) */

/* The --color given to vmcfg (main.c): 1 always, 0 never, -1 auto (the default). */
extern int vmcfg_color_choice;

/*
 * "auto" | "always" | "never" → whether to colour output going to out; -1 if
 * invalid. "auto" follows vmcfg_color_choice when set, else colours a
 * terminal unless NO_COLOR is set (and not empty).
 */
int report_parse_color(const char *arg, FILE *out);

/* "text" | "json" | "sarif" → format; -1 if invalid. */
int report_parse_format(const char *arg);

/*
 * Writes every diagnostic of d to out in r's format, then (text) a summary
 * line. Text is vmcfg_diag_render's, with at most 100 findings per file;
 * JSON and SARIF hold at most REPORT_MAX_RECORDS_PER_FILE per file (and
 * REPORT_MAX_RECORDS in all) and say
 * how many they left out ("omitted", a SARIF tool execution notification).
 */
void report_write(const struct report *r, const struct vmcfg_diags *d, FILE *out);

#endif
