/* SPDX-License-Identifier: MIT */
/*
 * The documentation of each diagnostic code, for `vmcfg explain`, SARIF's
 * rule help and editors: docs/diagnostics.md itself, built into the
 * library (.incbin), so there is one text and it cannot drift from the
 * docs. Host-only: the hypervisor has no use for prose.
 */
#include <string.h>

#include "vmcfg/host.h"

/* The bytes of docs/diagnostics.md, NUL-terminated (the path is relative to the build's cwd). */
__asm__(".section .rodata\n"
	".global vmcfg_diag_docs_md\n"
	".hidden vmcfg_diag_docs_md\n"
	"vmcfg_diag_docs_md:\n"
	".incbin \"docs/diagnostics.md\"\n"
	".byte 0\n"
	".previous\n");
extern const char vmcfg_diag_docs_md[];

/* GitHub's heading anchors: lower case; letters, digits, '-' and '_' kept; spaces become '-'. */
static void anchor_of(const char *s, size_t len, char *out, size_t size)
{
	size_t n = 0;
	for (size_t i = 0; i < len && n + 1 < size; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			out[n++] = (char)(c - 'A' + 'a');
		else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
			 c >= 0x80)
			out[n++] = (char)c;
		else if (c == ' ')
			out[n++] = '-';
	}
	out[n] = '\0';
}

bool vmcfg_rule_doc(enum vmcfg_rule rule, struct vmcfg_rule_doc *doc)
{
	const struct vmcfg_rule_info *info = vmcfg_rule_info(rule);
	if (!info || !doc)
		return false;
	size_t code_len = strlen(info->code);
	for (const char *p = vmcfg_diag_docs_md; (p = strstr(p, "\n## ")) != NULL; p++) {
		const char *h = p + 4;
		if (strncmp(h, info->code, code_len) || h[code_len] != ' ')
			continue;
		const char *eol = strchr(h, '\n');
		eol = eol ? eol : h + strlen(h);
		const char *end = strstr(eol, "\n## ");
		end = end ? end : eol + strlen(eol);
		while (end > eol && (end[-1] == '\n' || end[-1] == ' '))
			end--;
		doc->heading = h;
		doc->heading_len = (size_t)(eol - h);
		doc->title = h + code_len + 1;
		doc->title_len = (size_t)(eol - doc->title);
		doc->body = *eol ? eol + 1 : eol;
		doc->body_len = end > doc->body ? (size_t)(end - doc->body) : 0;
		anchor_of(h, doc->heading_len, doc->anchor, sizeof doc->anchor);
		return true;
	}
	return false;
}
