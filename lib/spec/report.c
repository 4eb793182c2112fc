/* SPDX-License-Identifier: MIT */
/* Diagnostics of the decoder: key paths as text, messages and hints. */
#include "decode.h"
#include "../base/libc.h"

static bool is_bare_key(const char *key, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = key[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	return true;
}

static void add_path(struct text *t, const struct path *p)
{
	if (!p)
		return;
	add_path(t, p->parent);
	if (!p->key)
		vmcfg_spec_text_add(t, "[%zu]", p->index);
	else if (is_bare_key(p->key, p->len))
		vmcfg_spec_text_add(t, "%s%.*s", p->parent ? "." : "", (int)p->len, p->key);
	else /* quoted as TOML would need it; a NUL inside ends the text */
		vmcfg_spec_text_add(t, "%s\"%.*s\"", p->parent ? "." : "", (int)p->len, p->key);
}

char *vmcfg_spec_path_text(const struct path *p, char buf[SPEC_PATH_TEXT])
{
	struct text t = text_in(buf, SPEC_PATH_TEXT);
	add_path(&t, p);
	return buf;
}

void vmcfg_spec_text_add(struct text *t, const char *fmt, ...)
{
	size_t room = t->size - t->len;
	va_list ap;
	va_start(ap, fmt);
	size_t n = vmcfg_vsnprintf(t->buf + t->len, room, fmt, ap);
	va_end(ap);
	t->len += n < room ? n : room - 1;
}

static struct vmcfg_loc loc(const struct decoder *d, struct vmcfg_span at)
{
	struct vmcfg_loc l = { d->spec->file, at };
	return l;
}

static void note_oom(struct decoder *d, int rc)
{
	if (rc)
		d->err = VMCFG_ENOMEM;
}

struct vmcfg_diag *vmcfg_spec_report(struct decoder *d, enum vmcfg_rule rule, struct vmcfg_span at,
			       const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vmcfg_vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	struct vmcfg_diag *g = NULL;
	note_oom(d, vmcfg_diag_add(d->diags, rule, loc(d, at), &g, "%s", msg));
	return g;
}

void vmcfg_spec_report_hint(struct decoder *d, struct vmcfg_diag *g, const char *fmt, ...)
{
	char msg[512];
	if (!g)
		return;
	va_list ap;
	va_start(ap, fmt);
	vmcfg_vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	note_oom(d, vmcfg_diag_hint(d->diags, g, "%s", msg));
}

void vmcfg_spec_report_related(struct decoder *d, struct vmcfg_diag *g, struct vmcfg_span at,
			 const char *fmt, ...)
{
	char msg[256];
	if (!g)
		return;
	va_list ap;
	va_start(ap, fmt);
	vmcfg_vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	note_oom(d, vmcfg_diag_relate(d->diags, g, loc(d, at), "%s", msg));
}

void vmcfg_spec_report_bad_choice(struct decoder *d, const struct path *p, struct vmcfg_span at,
			    const char *s, size_t len, const char *const *choices, size_t n,
			    const char *valid)
{
	char key[SPEC_PATH_TEXT];
	/* Compare in lower case so that "Passthrough" finds `passthrough`. */
	char lower[64];
	size_t l = len < sizeof lower ? len : sizeof lower - 1;
	for (size_t i = 0; i < l; i++)
		lower[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
	lower[l] = '\0';
	const char *near = len < sizeof lower ? vmcfg_nearest_name(lower, l, choices, n) : NULL;

	struct vmcfg_diag *g = vmcfg_spec_report(d, VMCFG_R_BAD_ENUM, at, "`%s`: unknown value \"%.*s\"",
					   vmcfg_spec_path_text(p, key), (int)len, s);
	if (!near)
		vmcfg_spec_report_hint(d, g, "use one of %s", valid);
	else if (strlen(near) == l && !memcmp(near, lower, l))
		vmcfg_spec_report_hint(d, g, "did you mean `%s`? (values are case-sensitive)", near);
	else
		vmcfg_spec_report_hint(d, g, "did you mean `%s`?", near);
	if (near && g) {
		char quoted[72];
		vmcfg_snprintf(quoted, sizeof quoted, "\"%s\"", near);
		note_oom(d, vmcfg_diag_fix(d->diags, g, at, quoted));
	}
}
