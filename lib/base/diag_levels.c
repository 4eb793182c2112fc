/* SPDX-License-Identifier: MIT */
/*
 * Levels of diagnostic codes (-A/-W/-D CODE) and inline suppressions
 * (`# vmcfg: allow(CODE)`): shared by the CLI and the language server, so
 * both report the same findings for the same file. An error cannot be
 * allowed or lowered: it means the VM cannot be built as written.
 */
#include "vmcfg/diag.h"
#include "libc.h"

bool vmcfg_rule_by_code(const char *code, size_t len, enum vmcfg_rule *out)
{
	for (int i = 0; i < VMCFG_RULE_COUNT; i++) {
		const struct vmcfg_rule_info *info = vmcfg_rule_info((enum vmcfg_rule)i);
		if (strlen(info->code) != len)
			continue;
		bool same = true;
		for (size_t k = 0; k < len && same; k++) {
			char c = code[k] >= 'a' && code[k] <= 'z' ? (char)(code[k] - 'a' + 'A') : code[k];
			same = c == info->code[k];
		}
		if (same) {
			if (out)
				*out = (enum vmcfg_rule)i;
			return true;
		}
	}
	return false;
}

int vmcfg_rule_levels_set(struct vmcfg_rule_levels *lv, enum vmcfg_rule rule, enum vmcfg_level level)
{
	const struct vmcfg_rule_info *info = vmcfg_rule_info(rule);
	if (!lv || !info || level > VMCFG_LEVEL_DENY)
		return VMCFG_EINVAL;
	if (info->severity == VMCFG_SEV_ERROR && level != VMCFG_LEVEL_DENY &&
	    level != VMCFG_LEVEL_DEFAULT)
		return VMCFG_EINVAL;
	lv->of[rule] = (uint8_t)level;
	return 0;
}

static void recount(struct vmcfg_diags *d)
{
	d->errors = d->warnings = d->notes = 0;
	for (size_t i = 0; i < d->count; i++) {
		enum vmcfg_severity s = d->items[i].severity;
		*(s == VMCFG_SEV_ERROR ? &d->errors : s == VMCFG_SEV_WARNING ? &d->warnings : &d->notes) += 1;
	}
}

/* Drops the findings keep() refuses, keeping the order of the others. */
static size_t drop_if(struct vmcfg_diags *d, bool (*gone)(const struct vmcfg_diag *, const void *),
		      const void *ctx)
{
	size_t n = 0, dropped = 0;
	for (size_t i = 0; i < d->count; i++) {
		if (gone(&d->items[i], ctx))
			dropped++;
		else
			d->items[n++] = d->items[i];
	}
	d->count = n;
	recount(d);
	return dropped;
}

static bool allowed(const struct vmcfg_diag *g, const void *ctx)
{
	const struct vmcfg_rule_levels *lv = ctx;
	return (unsigned)g->rule < VMCFG_RULE_COUNT && lv->of[g->rule] == VMCFG_LEVEL_ALLOW &&
	       g->severity != VMCFG_SEV_ERROR;
}

void vmcfg_diags_apply_levels(struct vmcfg_diags *d, const struct vmcfg_rule_levels *lv)
{
	if (!d || !lv)
		return;
	for (size_t i = 0; i < d->count; i++) {
		struct vmcfg_diag *g = &d->items[i];
		if ((unsigned)g->rule >= VMCFG_RULE_COUNT)
			continue;
		if (lv->of[g->rule] == VMCFG_LEVEL_DENY)
			g->severity = VMCFG_SEV_ERROR;
		else if (lv->of[g->rule] == VMCFG_LEVEL_WARN && g->severity == VMCFG_SEV_NOTE)
			g->severity = VMCFG_SEV_WARNING;
	}
	drop_if(d, allowed, lv);
}

struct inline_ctx {
	const char *file, *text;
	size_t len;
};

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Whether text[from, to) holds a `# vmcfg: allow(…)` naming code; whole: the comment is the line. */
static bool allows(const char *text, size_t from, size_t to, const char *code, bool whole)
{
	static const char tag[] = "vmcfg: allow(";
	size_t tl = sizeof tag - 1, cl = strlen(code);
	for (size_t i = from; i < to; i++) {
		if (text[i] != '#')
			continue;
		if (whole) {
			for (size_t k = from; k < i; k++)
				if (!blank(text[k]))
					return false;
		}
		size_t k = i + 1;
		while (k < to && blank(text[k]))
			k++;
		if (to - k < tl || memcmp(text + k, tag, tl))
			return false;
		/* allow(W0223, W0106): each code as a word of the list */
		for (k += tl; k < to && text[k] != ')'; k++) {
			if (to - k >= cl && !memcmp(text + k, code, cl) &&
			    (k + cl >= to || text[k + cl] == ',' || text[k + cl] == ')' ||
			     blank(text[k + cl])))
				return true;
		}
		return false;
	}
	return false;
}

static bool suppressed(const struct vmcfg_diag *g, const void *ctx)
{
	const struct inline_ctx *c = ctx;
	if (g->severity == VMCFG_SEV_ERROR || !g->primary.file || !g->primary.span.line ||
	    g->primary.span.offset > c->len)
		return false;
	const char *a = g->primary.file, *b = c->file;
	while (*a && *a == *b)
		a++, b++;
	if (*a != *b)
		return false;
	size_t start = g->primary.span.offset, end = start;
	while (start > 0 && c->text[start - 1] != '\n')
		start--;
	while (end < c->len && c->text[end] != '\n')
		end++;
	if (allows(c->text, start, end, g->code, false))
		return true;
	if (start == 0)
		return false;
	size_t prev = start - 1;
	while (prev > 0 && c->text[prev - 1] != '\n')
		prev--;
	return allows(c->text, prev, start - 1, g->code, true);
}

size_t vmcfg_diags_apply_inline(struct vmcfg_diags *d, const char *file, const char *text, size_t len)
{
	if (!d || !file || (!text && len))
		return 0;
	struct inline_ctx c = { file, text ? text : "", len };
	return drop_if(d, suppressed, &c);
}
