/* SPDX-License-Identifier: MIT */
/*
 * Diagnostics as text for people: compiler-style locations, the source line
 * with carets under the span. Shared by the CLI and any embedder, and bounded
 * for hostile inputs: long lines are windowed, long messages cut, findings
 * per file capped, output buffered.
 */
#include "vmcfg/diag.h"
#include "libc.h"

/* Buffered output through the embedder's callback; the first failure sticks. */
struct sink {
	vmcfg_render_write_fn write;
	void *ctx;
	int rc;
	size_t len;
	char buf[2048];
};

static void flush(struct sink *o)
{
	if (o->len && !o->rc)
		o->rc = o->write(o->ctx, o->buf, o->len);
	o->len = 0;
}

static void put(struct sink *o, const char *s, size_t n)
{
	if (o->rc)
		return;
	if (n > sizeof o->buf - o->len)
		flush(o);
	if (n >= sizeof o->buf) {
		if (!o->rc)
			o->rc = o->write(o->ctx, s, n);
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void puts_(struct sink *o, const char *s)
{
	put(o, s, strlen(s));
}

static void put_char(struct sink *o, char c, size_t times)
{
	while (times--)
		put(o, &c, 1);
}

static void put_u32(struct sink *o, uint32_t v)
{
	char num[16];
	put(o, num, vmcfg_snprintf(num, sizeof num, "%u", v));
}

static bool is_cont(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80; /* a UTF-8 continuation byte */
}

static const char ELLIPSIS[] = "\xe2\x80\xa6"; /* "…" */

/*
 * Source text as an excerpt shows it: a control character other than tab
 * (an escape sequence a hostile file aims at the terminal) becomes '?', one
 * column as before; the text ends at a NUL, as it did when printed as a C
 * string.
 */
static void put_source(struct sink *o, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 0x20 && c != 0x7f) || c == '\t')
			continue;
		put(o, s + start, i - start);
		if (!c)
			return;
		put(o, "?", 1);
		start = i + 1;
	}
	put(o, s + start, n - start);
}

/* s, or its first max bytes (cut at a character boundary) and "…". */
static void put_bounded(struct sink *o, const char *s, size_t max)
{
	size_t n = 0;
	while (n <= max && s[n])
		n++;
	if (n <= max) {
		put(o, s, n);
		return;
	}
	n = max;
	while (n > 0 && is_cont(s[n]))
		n--;
	put(o, s, n);
	puts_(o, ELLIPSIS);
}

struct style {
	const char *bold, *red, *yellow, *cyan, *blue, *reset;
};

static struct style make_style(bool color)
{
	struct style s = { "", "", "", "", "", "" };
	if (color) {
		s.bold = "\033[1m";
		s.red = "\033[1;31m";
		s.yellow = "\033[1;33m";
		s.cyan = "\033[1;36m";
		s.blue = "\033[1;34m";
		s.reset = "\033[0m";
	}
	return s;
}

struct render {
	struct sink out;
	const struct vmcfg_diag_source *sources;
	size_t source_count;
	size_t max_line, max_message;
	struct style st;
};

static bool same_file(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	size_t la = strlen(a);
	return la == strlen(b) && !memcmp(a, b, la);
}

static const struct vmcfg_diag_source *find_source(const struct render *r, const char *file)
{
	for (size_t i = 0; file && i < r->source_count; i++)
		if (r->sources[i].file && same_file(r->sources[i].file, file))
			return &r->sources[i];
	return NULL;
}

/* "file:line:col: " — or nothing for a finding about no file in particular. */
static void put_location(struct render *r, const struct vmcfg_loc *loc)
{
	if (!loc->file && !loc->span.line)
		return;
	puts_(&r->out, loc->file ? loc->file : "<input>");
	if (loc->span.line) {
		put(&r->out, ":", 1);
		put_u32(&r->out, loc->span.line);
		put(&r->out, ":", 1);
		put_u32(&r->out, loc->span.col);
	}
	put(&r->out, ": ", 2);
}

/*
 * The source line of loc with carets under the span (up to the end of the
 * line). Tabs before the span are repeated so the carets line up. A line
 * longer than max_line shows only a window around the span, "…" marking
 * each cut end; the scans for the line's ends stop there too, so a finding
 * costs O(max_line) whatever the line's length.
 */
static void put_excerpt(struct render *r, const struct vmcfg_loc *loc, const char *caret_color)
{
	const struct vmcfg_diag_source *src = find_source(r, loc->file);
	if (!src || !src->text || !loc->span.line || loc->span.offset > src->len)
		return;
	const char *t = src->text;
	size_t w = r->max_line, off = loc->span.offset;
	size_t ls = off, le = off;
	while (ls > 0 && t[ls - 1] != '\n' && off - ls <= w)
		ls--;
	while (le < src->len && t[le] != '\n' && t[le] != '\r' && le - off <= w)
		le++;
	bool start_found = ls == 0 || t[ls - 1] == '\n';
	bool end_found = le == src->len || t[le] == '\n' || t[le] == '\r';
	size_t span_end = off + loc->span.length;
	if (span_end > le || span_end < off)
		span_end = le;

	size_t ws = ls, we = le; /* the part shown */
	if (!start_found || !end_found || le - ls > w) {
		size_t span = span_end - off;
		size_t before = span >= w ? 0 : (w - span) / 2;
		ws = off - ls > before ? off - before : ls;
		we = le - ws > w ? ws + w : le;
		if (we - ws < w)
			ws = we - ls > w ? we - w : ls;
		while (ws < off && is_cont(t[ws]))
			ws++;
		while (we > ws && we < le && is_cont(t[we]))
			we--;
	}
	bool cut_left = ws > ls || !start_found, cut_right = we < le || !end_found;

	const struct style *st = &r->st;
	struct sink *o = &r->out;
	char num[16];
	size_t width = vmcfg_snprintf(num, sizeof num, "%u", loc->span.line);
	put(o, num, width);
	put(o, " ", 1);
	puts_(o, st->blue);
	put(o, "|", 1);
	puts_(o, st->reset);
	put(o, " ", 1);
	if (cut_left)
		puts_(o, ELLIPSIS);
	put_source(o, t + ws, we - ws);
	if (cut_right)
		puts_(o, ELLIPSIS);
	put(o, "\n", 1);

	put_char(o, ' ', width + 1);
	puts_(o, st->blue);
	put(o, "|", 1);
	puts_(o, st->reset);
	put(o, " ", 1);
	if (cut_left)
		put(o, " ", 1);
	for (size_t i = ws; i < off; i++) {
		if (is_cont(t[i]))
			continue; /* a UTF-8 continuation byte takes no column */
		put(o, t[i] == '\t' ? "\t" : " ", 1);
	}
	puts_(o, caret_color);
	size_t carets = 0;
	for (size_t i = off; i < span_end && i < we; i++)
		if (!is_cont(t[i]))
			carets++;
	put_char(o, '^', carets ? carets : 1);
	puts_(o, st->reset);
	put(o, "\n", 1);
}

static const char *severity_name(enum vmcfg_severity s)
{
	return s == VMCFG_SEV_ERROR ? "error" : s == VMCFG_SEV_WARNING ? "warning" : "note";
}

static void put_diag(struct render *r, const struct vmcfg_diag *g)
{
	const struct style *st = &r->st;
	struct sink *o = &r->out;
	const char *col = g->severity == VMCFG_SEV_ERROR     ? st->red
			  : g->severity == VMCFG_SEV_WARNING ? st->yellow
							     : st->cyan;
	puts_(o, st->bold);
	put_location(r, &g->primary);
	puts_(o, col);
	puts_(o, severity_name(g->severity));
	put(o, "[", 1);
	puts_(o, g->code ? g->code : "?");
	put(o, "]", 1);
	puts_(o, st->reset);
	puts_(o, st->bold);
	put(o, ": ", 2);
	put_bounded(o, g->message ? g->message : "", r->max_message);
	puts_(o, st->reset);
	put(o, "\n", 1);
	put_excerpt(r, &g->primary, col);
	if (g->related.span.line || g->related.file) {
		puts_(o, st->bold);
		put_location(r, &g->related);
		puts_(o, st->cyan);
		puts_(o, "note");
		puts_(o, st->reset);
		put(o, ": ", 2);
		put_bounded(o, g->related_message ? g->related_message : "related", r->max_message);
		put(o, "\n", 1);
		put_excerpt(r, &g->related, st->cyan);
	}
	if (g->hint) {
		put(o, "  ", 2);
		puts_(o, st->blue);
		puts_(o, "= help:");
		puts_(o, st->reset);
		put(o, " ", 1);
		put_bounded(o, g->hint, r->max_message);
		put(o, "\n", 1);
	}
}

static void put_count(struct sink *o, size_t n, const char *what)
{
	char num[32];
	put(o, num, vmcfg_snprintf(num, sizeof num, "%zu %s%s", n, what, n == 1 ? "" : "s"));
}

/* "note: 12 more findings in FILE not shown" for the findings over the per-file cap. */
static void put_skipped(struct render *r, size_t skipped, const char *file)
{
	if (!skipped)
		return;
	puts_(&r->out, "note: ");
	put_count(&r->out, skipped, "more finding");
	puts_(&r->out, " in ");
	put_bounded(&r->out, file ? file : "<input>", r->max_message);
	puts_(&r->out, " not shown\n");
}

int vmcfg_diag_render(const struct vmcfg_diags *d, const struct vmcfg_diag_source *sources,
		      size_t source_count, const struct vmcfg_render_opts *opts,
		      vmcfg_render_write_fn write, void *ctx)
{
	if (!d || !write || (source_count && !sources))
		return VMCFG_EINVAL;
	struct vmcfg_render_opts defaults = { false, 0, 0, 0, 0 };
	if (!opts)
		opts = &defaults;
	struct render r = {
		.out = { .write = write, .ctx = ctx },
		.sources = sources,
		.source_count = source_count,
		.max_line = opts->max_line ? opts->max_line : VMCFG_RENDER_MAX_LINE,
		.max_message = opts->max_message ? opts->max_message : VMCFG_RENDER_MAX_MESSAGE,
		.st = make_style(opts->color),
	};
	const char *file = NULL;
	size_t shown = 0, skipped = 0, shown_total = 0, i = 0;
	for (; i < d->count && !r.out.rc; i++) {
		const struct vmcfg_diag *g = &d->items[i];
		if (i == 0 || !same_file(g->primary.file, file)) {
			put_skipped(&r, skipped, file);
			file = g->primary.file;
			shown = skipped = 0;
		}
		if (opts->max_per_file && shown >= opts->max_per_file) {
			skipped++;
			continue;
		}
		if (opts->max_total && shown_total >= opts->max_total)
			break;
		shown++;
		shown_total++;
		put_diag(&r, g);
	}
	put_skipped(&r, skipped, file);
	if (i < d->count && !r.out.rc) {
		puts_(&r.out, "note: ");
		put_count(&r.out, d->count - i, "more finding");
		puts_(&r.out, " not shown (the report stops after ");
		put_count(&r.out, opts->max_total, "finding");
		puts_(&r.out, ")\n");
	}
	if (d->oom)
		puts_(&r.out, "note: out of memory while collecting findings; the list is incomplete\n");
	put_count(&r.out, d->errors, "error");
	put(&r.out, ", ", 2);
	put_count(&r.out, d->warnings, "warning");
	put(&r.out, "\n", 1);
	flush(&r.out);
	return r.out.rc;
}
