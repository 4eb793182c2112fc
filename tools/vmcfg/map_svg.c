/* SPDX-License-Identifier: MIT */
/* The memory map as a self-contained SVG picture (see map_svg.h and docs/map.md). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "map_svg.h"

/* ---- geometry and style ---- */

/*
 * Two VMs and the host fit 1300 px: the width of a browser window. More VMs
 * stack on both sides (see lay_out_columns), so the picture grows downwards.
 */
#define MARGIN 24.0
#define HOST_W 320.0   /* the host column, or one lane of it (overlapping rows side by side) */
#define VM_W 320.0     /* a VM column, or one lane of it */
#define GUTTER 130.0   /* between a side and the host: room for the bands */
#define LANE_GAP 18.0  /* the gutter grows by this per VM beyond two on a side: one lane each */
#define TOP 124.0      /* first row: under the title and the column headers */
#define HEAD 48.0      /* a column's header, above its first row */
#define STACK_GAP 44.0 /* between a stacked column's end address and the next header */
#define CHAR_W 7.3     /* advance of one 12px monospace character (a little generous) */
#define SMALL_CHAR_W 6.7 /* the same at 11px */
#define STRIPE 7.0     /* the kind's colour band at a box's left edge */
#define CHILD_AT 0.38   /* children take a box's right part, from this fraction of its width */

/* Heights: a region gets REGION_H0 + REGION_DH per doubling of its size beyond one page. */
#define REGION_H0 22.0
#define REGION_DH 7.0
#define REGION_HMAX 150.0
#define GAP_H0 18.0
#define GAP_DH 1.5
#define GAP_HMAX 40.0
#define BREAK_BYTES (1ull << 20) /* gaps from 1 MiB on get a scale-break mark */

#define INK "#1a202c"       /* text */
#define INK_SOFT "#2d3748"
#define INK_GAP "#4a5568"
#define CONFLICT "#c53030"  /* conflicts: boxes, bands and codes */
/* A white outline under a text's glyphs: it reads over conflict hatching. */
#define HALO "stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\""

/* Per VM: a light fill for its boxes and a darker stroke for its arrows. */
static const struct {
	const char *fill, *stroke;
} vm_colors[] = {
	{ "#d6e6f7", "#2b6cb0" }, { "#fde2c4", "#c05621" }, { "#d4efdc", "#2f855a" },
	{ "#e6dcf8", "#6b46c1" }, { "#fbf0c0", "#975a16" }, { "#d2eef1", "#2c7a7b" },
	{ "#f9d9e8", "#b83280" }, { "#e9f5c8", "#5f7d0e" }, { "#dbe4ff", "#3c5bd6" },
	{ "#f3e3d3", "#7b4a1e" },
};
#define VM_COLORS (sizeof vm_colors / sizeof vm_colors[0])

/* Per kind: the band at the box's left edge (red is kept for conflicts). */
static const char *const kind_colors[MAP_KIND_COUNT] = {
	[MAP_RAM_ALLOC] = "#38a169",     [MAP_RAM_IDENTICAL] = "#2c7a7b",
	[MAP_RAM_RESERVED] = "#1d4044",  [MAP_PASSTHROUGH] = "#dd6b20",
	[MAP_EMULATED] = "#d69e2e",      [MAP_IVC_WINDOW] = "#9f7aea",
	[MAP_IVC_CHANNEL] = "#553c9a",   [MAP_PAGE_TABLES] = "#718096",
	[MAP_HV_MEMORY] = "#2d3748",     [MAP_RESERVED_FRAME] = "#a0aec0",
	[MAP_GAP_UNMAPPED] = "#edf2f7",  [MAP_GAP_FREE_RAM] = "#ffffff",
	[MAP_GAP_NO_RAM] = "#edf2f7",
};

/* A column: one address space, its place and its scale. */
struct column {
	const struct map_space *space;
	int vm; /* -1: the host */
	bool left; /* a VM column left of the host (its arrows leave from its right edge) */
	double x, w, top; /* top: where its first row starts */
	double lane_x;    /* where its bands turn in the gutter: one lane per VM of a side */
	uint64_t *at; /* the scale: at[i] is drawn at y[i], linear in between */
	double *y;
	size_t n;
};

/* A text's box as laid out (estimated from the character advance), for placing labels. */
struct placed {
	double x0, y0, x1, y1;
};

struct picture {
	FILE *out;
	const struct map_model *m;
	struct column *cols;
	size_t ncols;
	struct column *host;
	double width, height, rows_bottom;
	double widest; /* the right end of the widest text (a long note): the canvas holds it */
	struct placed *placed; /* the texts drawn so far (overlap labels avoid them) */
	size_t nplaced, placed_cap;
	size_t column_placed; /* the first of them in the column being drawn */
};

/* ~log2(size / 4 KiB), linear between powers of two: monotonic, and no libm. */
static double log_pages(uint64_t size)
{
	uint64_t pages = size >> VMCFG_PAGE_SHIFT;
	if (pages <= 1)
		return 0;
	int k = 63 - __builtin_clzll(pages);
	return k + (double)(pages - (1ull << k)) / (double)(1ull << k);
}

static double clamp(double v, double hi)
{
	return v < hi ? v : hi;
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Whether a gap starts at at: gaps[0..n) holds the gaps' bases, sorted. */
static bool is_gap_at(const uint64_t *gaps, size_t n, uint64_t at)
{
	return n && bsearch(&at, gaps, n, sizeof *gaps, compare_u64) != NULL;
}

/*
 * The scale of a column: every row edge is a boundary; the piece between
 * two boundaries is as tall as its size asks (a gap is one whole piece:
 * nothing starts inside it). Returns false when memory ran out.
 */
static bool scale_column(struct column *c)
{
	const struct map_space *s = c->space;
	c->at = malloc((2 * s->count + 1) * sizeof *c->at);
	c->y = malloc((2 * s->count + 1) * sizeof *c->y);
	uint64_t *gaps = malloc((s->count + 1) * sizeof *gaps); /* searched, not walked, per edge */
	if (!c->at || !c->y || !gaps) {
		free(gaps);
		return false;
	}
	size_t n = 0, ngaps = 0;
	for (size_t i = 0; i < s->count; i++) {
		c->at[n++] = s->rows[i].base;
		c->at[n++] = s->rows[i].end;
		if (map_kind_is_gap(s->rows[i].kind))
			gaps[ngaps++] = s->rows[i].base;
	}
	if (ngaps > 1)
		qsort(gaps, ngaps, sizeof *gaps, compare_u64);
	if (n)
		qsort(c->at, n, sizeof *c->at, compare_u64);
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (!u || c->at[i] != c->at[u - 1])
			c->at[u++] = c->at[i];
	c->n = u;
	double y = c->top;
	for (size_t i = 0; i < u; i++) {
		c->y[i] = y;
		if (i + 1 == u)
			break;
		double lp = log_pages(c->at[i + 1] - c->at[i]);
		y += is_gap_at(gaps, ngaps, c->at[i]) ? clamp(GAP_H0 + GAP_DH * lp, GAP_HMAX)
						       : clamp(REGION_H0 + REGION_DH * lp, REGION_HMAX);
	}
	free(gaps);
	return true;
}

/* Where address a is drawn in column c. */
static double y_of(const struct column *c, uint64_t a)
{
	if (!c->n)
		return c->top;
	size_t lo = 0, hi = c->n - 1;
	if (a <= c->at[0])
		return c->y[0];
	if (a >= c->at[hi])
		return c->y[hi];
	while (hi - lo > 1) { /* at[lo] <= a < at[hi] */
		size_t mid = lo + (hi - lo) / 2;
		if (c->at[mid] <= a)
			lo = mid;
		else
			hi = mid;
	}
	double f = (double)(a - c->at[lo]) / (double)(c->at[hi] - c->at[lo]);
	return c->y[lo] + f * (c->y[hi] - c->y[lo]);
}

struct box {
	double x, y, w, h;
};

static struct box row_box(const struct column *c, const struct map_region *r)
{
	unsigned lanes = c->space->lanes ? c->space->lanes : 1;
	double lane_w = c->w / lanes;
	struct box b = { c->x + r->lane * lane_w, y_of(c, r->base), lane_w - (lanes > 1 ? 4 : 0), 0 };
	b.h = y_of(c, r->end) - b.y;
	if (r->child) { /* right of its parent's text */
		b.x += b.w * CHILD_AT;
		b.w = b.w * (1 - CHILD_AT) - 4;
	}
	return b;
}

/* ---- text ---- */

/*
 * Writes s as XML character data: markup characters escaped, and control
 * characters XML 1.0 cannot hold (a TOML string may have them) as '?'.
 * At most max characters (UTF-8 sequences count once); a cut ends in "…".
 */
static void put_text(FILE *out, const char *s, size_t max)
{
	size_t chars = 0;
	for (const char *p = s; *p; p++)
		chars += ((unsigned char)*p & 0xc0) != 0x80;
	size_t keep = chars > max ? (max ? max - 1 : 0) : chars, n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p & 0xc0) != 0x80 && n++ == keep)
			break;
		switch (*p) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		default: fputc(*p < 0x20 ? '?' : *p, out);
		}
	}
	if (keep < chars)
		fputs("\xe2\x80\xa6", out);
}

enum anchor { START, MIDDLE, END };

static size_t text_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static double char_w(int size)
{
	return size <= 11 ? SMALL_CHAR_W : CHAR_W * size / 12.0;
}

/* The box a text will take (glyph cells: ascent above y, descent below). */
static struct placed text_box(double x, double y, int size, enum anchor a, double w)
{
	double x0 = a == START ? x : a == MIDDLE ? x - w / 2 : x - w;
	return (struct placed){ x0, y - size * 0.95, x0 + w, y + size * 0.25 };
}

/* Remembers a text's box: overlap labels are put where no text is. Best effort. */
static void place(struct picture *p, struct placed b)
{
	if (b.x1 > p->widest)
		p->widest = b.x1;
	if (p->nplaced == p->placed_cap) {
		size_t cap = p->placed_cap ? 2 * p->placed_cap : 256;
		struct placed *n = realloc(p->placed, cap * sizeof *n);
		if (!n)
			return;
		p->placed = n;
		p->placed_cap = cap;
	}
	p->placed[p->nplaced++] = b;
}

/* Whether b meets none of the current column's texts (only they can be under it). */
static bool placed_free(const struct picture *p, struct placed b)
{
	for (size_t i = p->column_placed; i < p->nplaced; i++) {
		const struct placed *q = &p->placed[i];
		if (q->x0 < b.x1 && b.x0 < q->x1 && q->y0 < b.y1 && b.y0 < q->y1)
			return false;
	}
	return true;
}

/* One <text>: size 11 or 12 and up (never smaller: it must read on paper). */
static void text(struct picture *p, double x, double y, int size, enum anchor a,
		 const char *style, const char *s, double room)
{
	static const char *const anchors[] = { "start", "middle", "end" };
	double cw = char_w(size);
	size_t max = room > 0 ? (size_t)(room / cw) : (size_t)-1, n = text_len(s);
	fprintf(p->out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"%s\"%s%s>", x, y,
		size, anchors[a], *style ? " " : "", style);
	put_text(p->out, s, max);
	fputs("</text>\n", p->out);
	place(p, text_box(x, y, size, a, (double)(n < max ? n : max) * cw));
}

/* ---- the parts ---- */

static void defs(const struct picture *p)
{
	fputs("<defs>\n"
	      "<pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
	      "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#edf2f7\"/>"
	      "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#a0aec0\" stroke-width=\"2\"/>"
	      "</pattern>\n"
	      "<pattern id=\"conflict\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" "
	      "patternTransform=\"rotate(-45)\"><rect width=\"8\" height=\"8\" fill=\"#fed7d7\"/>"
	      "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" stroke=\"" CONFLICT "\" stroke-width=\"3\"/>"
	      "</pattern>\n",
	      p->out);
	for (size_t i = 0; i < p->m->vm_count && i < VM_COLORS; i++)
		fprintf(p->out,
			"<marker id=\"arrow%zu\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
			"markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 "
			"L0,10 z\" fill=\"%s\"/></marker>\n",
			i, vm_colors[i].stroke);
	fputs("</defs>\n", p->out);
}

static const char *vm_fill(int vm)
{
	return vm_colors[(size_t)vm % VM_COLORS].fill;
}

static const char *vm_stroke(int vm)
{
	return vm_colors[(size_t)vm % VM_COLORS].stroke;
}

static void column_header(struct picture *p, const struct column *c)
{
	const struct map_model *m = p->m;
	char title[160];
	const char *sub;
	if (c->vm < 0) {
		snprintf(title, sizeof title, "host physical memory");
		sub = m->has_platform ? "the platform's RAM and ranges" : "simulated host (no platform)";
	} else {
		const struct map_vm *v = &m->vms[c->vm];
		snprintf(title, sizeof title, "vm %llu \xc2\xb7 %s", (unsigned long long)v->id, v->name);
		sub = v->built ? "guest physical, as built" : "guest physical, from config: not built";
		fprintf(p->out,
			"<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"14\" fill=\"%s\" "
			"stroke=\"%s\"/>\n",
			c->x, c->top - 48, vm_fill(c->vm), vm_stroke(c->vm));
	}
	text(p, c->x + (c->vm < 0 ? 0 : 20), c->top - 36, 14, START,
	     "font-weight=\"bold\" fill=\"" INK "\"", title, c->w - 20);
	text(p, c->x, c->top - 18, 11, START, "fill=\"" INK_SOFT "\"", sub, c->w);
}

/* A row's title (what it is; on the host, whose) and its kind, unless the title says it. */
static void row_words(const struct picture *p, const struct column *c, const struct map_region *r,
		      char *title, size_t size, const char **kind)
{
	*kind = map_kind_name(r->kind);
	if (c->vm >= 0 || r->owner < 0) {
		snprintf(title, size, "%s", *r->label ? r->label : *kind);
		if (!*r->label)
			*kind = NULL;
		return;
	}
	snprintf(title, size, "%s%s%s \xc2\xb7 %s", p->m->vms[r->owner].name, r->sharer >= 0 ? "+" : "",
		 r->sharer >= 0 ? p->m->vms[r->sharer].name : "", *r->label ? r->label : *kind);
	if (!*r->label)
		*kind = NULL;
}

/*
 * Sizes in the picture's labels: exact in the largest unit when that reads
 * ("880 MiB", "1.5 GiB"), else to one decimal in the largest unit
 * ("~256.0 MiB" rather than "262148 KiB", "~1.4 GiB" rather than "1408 MiB");
 * gaps, regions and overlaps alike — the tooltips and the text map give the
 * exact sizes, the rows around a gap its exact addresses.
 */
static void approx_size(char out[VMCFG_FMT_BUF], uint64_t v)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	char exact[VMCFG_FMT_BUF];
	vmcfg_fmt_size(exact, v);
	if (strtoull(exact, NULL, 10) < 1000) { /* three digits at most: reads at a glance */
		memcpy(out, exact, VMCFG_FMT_BUF);
		return;
	}
	int u = 0;
	double d = (double)v;
	while (d >= 1024 && u < 6) {
		d /= 1024;
		u++;
	}
	snprintf(out, VMCFG_FMT_BUF, "~%.1f %s", d, units[u]);
}

static void zigzag(struct picture *p, double x, double w, double y)
{
	for (int k = 0; k < 2; k++) {
		fprintf(p->out, "<polyline fill=\"none\" stroke=\"#718096\" stroke-width=\"1.2\" points=\"");
		for (double at = 0; at <= w; at += 8)
			fprintf(p->out, "%.1f,%.1f ", x + at, y + k * 5 + ((int)(at / 8) % 2 ? -2.5 : 2.5));
		fputs("\"/>\n", p->out);
	}
}

static void draw_gap(struct picture *p, const struct column *c, const struct map_region *r)
{
	struct box b = row_box(c, r);
	char s[VMCFG_FMT_BUF], label[96];
	uint64_t size = r->end - r->base;
	fprintf(p->out,
		"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"%s/>\n", c->x,
		b.y, c->w, b.h, kind_colors[r->kind],
		r->kind == MAP_GAP_FREE_RAM ? " stroke=\"#a0aec0\" stroke-dasharray=\"4 3\"" : "");
	if (size >= BREAK_BYTES)
		zigzag(p, c->x, c->w, b.y + 4);
	approx_size(s, size);
	snprintf(label, sizeof label, "%s %s", s, map_kind_name(r->kind));
	text(p, c->x + c->w / 2, b.y + b.h - 5, 11, MIDDLE,
	     "fill=\"" INK_GAP "\" font-style=\"italic\"", label, c->w);
}

/* Where row i's text may start: below an overlap at its top, which is drawn over it. */
static double text_top(const struct column *c, size_t i, double y)
{
	const struct map_space *s = c->space;
	for (size_t k = 0; k < s->overlap_count; k++) {
		const struct map_overlap *o = &s->overlaps[k];
		double e = y_of(c, o->end);
		if (o->b == i && o->base == s->rows[i].base && e > y)
			y = e;
	}
	return y;
}

/* The row's tooltip: its full name, kind, range, size and codes (a <title>). */
static void row_tooltip(const struct picture *p, const struct column *c, const struct map_region *r)
{
	char title[256], addr[VMCFG_FMT_BUF], end[VMCFG_FMT_BUF], size[VMCFG_FMT_BUF];
	const char *kind;
	row_words(p, c, r, title, sizeof title, &kind);
	fputs("<title>", p->out);
	put_text(p->out, title, (size_t)-1);
	fprintf(p->out, "%s%s [%s, %s) %s", kind ? ", " : "", kind ? kind : "",
		vmcfg_fmt_hex(addr, r->base), vmcfg_fmt_hex(end, r->end),
		vmcfg_fmt_size(size, r->end - r->base));
	for (unsigned k = 0; k < r->code_count; k++)
		fprintf(p->out, " %s", r->codes[k]);
	fputs("</title>\n", p->out);
}

/* Whether row i of c is one of an overlap's two regions (its text then needs a halo). */
static bool in_overlap(const struct column *c, size_t i)
{
	for (size_t k = 0; k < c->space->overlap_count; k++)
		if (c->space->overlaps[k].a == i || c->space->overlaps[k].b == i)
			return true;
	return false;
}

/* A row's box and kind band, with its tooltip (the text comes later: over any hatching). */
static void draw_row_box(const struct picture *p, const struct column *c, size_t i)
{
	const struct map_region *r = &c->space->rows[i];
	struct box b = row_box(c, r);
	const char *fill = r->kind == MAP_RESERVED_FRAME ? "url(#hatch)"
			   : r->kind == MAP_HV_MEMORY	 ? "#e2e8f0"
			   : r->sharer >= 0		 ? "#efe8fb"
			   : r->owner >= 0		 ? vm_fill(r->owner)
							 : "#ffffff";
	/* A VM drawn from its config alone has dashed outlines: nothing was built. */
	bool dashed = r->owner >= 0 && !p->m->vms[r->owner].built;
	fputs("<g>", p->out);
	row_tooltip(p, c, r);
	fprintf(p->out,
		"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" stroke=\"%s\" "
		"stroke-width=\"%s\"%s/>\n",
		b.x, b.y, b.w, b.h, fill, r->error ? CONFLICT : "#4a5568", r->error ? "2.5" : "1",
		dashed ? " stroke-dasharray=\"6 3\"" : "");
	fprintf(p->out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
		b.x + 0.5, b.y + 0.5, STRIPE, b.h - 1, kind_colors[r->kind]);
	fputs("</g>\n", p->out);
}

/*
 * A row's text: two lines when there is room — title and start address,
 * then kind, size and the findings' codes — else one: title, codes and
 * the address. The address is what a map is read for, so it is never cut:
 * the title gives way first, then the kind. A row holding children keeps
 * its text left of them. Drawn after the conflict hatching, with a white
 * halo where a conflict is, so both regions of an overlap stay readable.
 */
static void draw_row_text(struct picture *p, const struct column *c, size_t i)
{
	const struct map_region *r = &c->space->rows[i];
	struct box b = row_box(c, r);
	char title[256], addr[VMCFG_FMT_BUF], shown[VMCFG_FMT_BUF], codes[64] = "";
	const char *kind;
	row_words(p, c, r, title, sizeof title, &kind);
	vmcfg_fmt_hex(addr, r->base);
	approx_size(shown, r->end - r->base); /* reads at a glance; the tooltip has it exact */
	for (unsigned k = 0, n = 0; k < r->code_count; k++)
		n += (size_t)snprintf(codes + n, n < sizeof codes ? sizeof codes - n : 0, "%s%s",
				      k ? " " : "", r->codes[k]);
	bool halo = in_overlap(c, i);
	const char *bold = halo ? "font-weight=\"bold\" fill=\"" INK "\" " HALO
				: "font-weight=\"bold\" fill=\"" INK "\"";
	const char *soft = halo ? "fill=\"" INK_SOFT "\" " HALO : "fill=\"" INK_SOFT "\"";
	const char *red = halo ? "font-weight=\"bold\" fill=\"" CONFLICT "\" " HALO
			       : "font-weight=\"bold\" fill=\"" CONFLICT "\"";

	/* The same box without paint, for the hover text and the layout tests. */
	fputs("<g class=\"row\">", p->out);
	row_tooltip(p, c, r);
	fprintf(p->out,
		"<rect class=\"bounds\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
		"fill=\"none\"/>\n",
		b.x, b.y, b.w, b.h);

	bool parent = !r->child && i + 1 < c->space->count && c->space->rows[i + 1].child;
	double top = text_top(c, i, b.y), avail = b.y + b.h - top;
	if (avail < 22) { /* no room below an overlap at its top: over the hatching, haloed */
		top = b.y;
		avail = b.h;
	}
	double tx = b.x + STRIPE + 5, right = b.x + (parent ? b.w * CHILD_AT : b.w) - 5;
	double room = right - tx, addr_w = (double)strlen(addr) * SMALL_CHAR_W + 8;
	double codes_w = (double)text_len(codes) * CHAR_W + (*codes ? 8 : 0);
	double title_w = (double)text_len(title) * CHAR_W;
	if (avail >= 34) {
		bool addr_right = title_w + addr_w <= room;
		double y1 = top + 15, y2 = top + 30, room2 = room - codes_w;
		text(p, tx, y1, 12, START, bold, title, room - (addr_right ? addr_w : 0));
		if (addr_right)
			text(p, right, y1, 11, END, soft, addr, 0);
		/* Line 2: the first that fits, else the last (the address alone). */
		char c1[160], c2[160], c3[160];
		if (addr_right) {
			snprintf(c1, sizeof c1, "%s%s%s", kind ? kind : "", kind ? " \xc2\xb7 " : "", shown);
			snprintf(c2, sizeof c2, "%s", shown);
			c3[0] = '\0';
		} else {
			snprintf(c1, sizeof c1, "%s%s%s at %s", kind ? kind : "", kind ? " \xc2\xb7 " : "",
				 shown, addr);
			snprintf(c2, sizeof c2, "%s at %s", shown, addr);
			snprintf(c3, sizeof c3, "%s", addr);
		}
		const char *line2 = (double)text_len(c1) * SMALL_CHAR_W <= room2 ? c1
				    : (double)text_len(c2) * SMALL_CHAR_W <= room2 || !*c3 ? c2
											     : c3;
		if ((double)text_len(line2) * SMALL_CHAR_W > room2 && *codes) {
			/* not even the address beside the codes: the codes go up, after the title */
			text(p, tx, y2, 11, START, soft, line2, room);
			if (!addr_right)
				text(p, right, y1, 12, END, red, codes, 0);
			else
				text(p, right, top + 44 <= b.y + b.h ? top + 44 : y2, 12, END, red, codes, 0);
		} else {
			text(p, tx, y2, 11, START, soft, line2, room2);
			if (*codes)
				text(p, right, y2, 12, END, red, codes, 0);
		}
	} else {
		double y1 = top + avail / 2 + 4.5;
		text(p, right, y1, 11, END, soft, addr, 0);
		if (*codes)
			text(p, right - addr_w, y1, 12, END, red, codes, 0);
		double left = room - addr_w - codes_w;
		if (left >= CHAR_W * 2)
			text(p, tx, y1, 12, START, bold, title, left);
	}
	fputs("</g>\n", p->out);
}

/* A part two regions both claim: hatched red across the column (its label comes later). */
static void draw_overlap(const struct picture *p, const struct column *c,
			 const struct map_overlap *o)
{
	double y = y_of(c, o->base), h = y_of(c, o->end) - y;
	fprintf(p->out,
		"<rect class=\"overlap\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
		"fill=\"url(#conflict)\" fill-opacity=\"0.8\" stroke=\"" CONFLICT "\" "
		"stroke-width=\"2.5\"/>\n",
		c->x - 6, y, c->w + 12, h);
}

/*
 * An overlap's size and codes, on a white label: in the hatching's middle
 * when no text is there, else the nearest free place above or below it.
 */
static void draw_overlap_label(struct picture *p, const struct column *c,
			       const struct map_overlap *o)
{
	double y = y_of(c, o->base), h = y_of(c, o->end) - y;
	char s[VMCFG_FMT_BUF], label[96];
	approx_size(s, o->end - o->base);
	int n = snprintf(label, sizeof label, "overlap %s", s);
	for (unsigned i = 0; i < o->code_count && n > 0 && (size_t)n < sizeof label; i++)
		n += snprintf(label + n, sizeof label - (size_t)n, " %s", o->codes[i]);
	double tw = (double)text_len(label) * CHAR_W + 12, x = c->x + (c->w - tw) / 2;
	double mid = y + h / 2, at = mid;
	for (int k = 0; k < 24; k++) { /* 0, +18, -18, +36, …: near its hatching, or there */
		double cand = mid + (k % 2 ? 1 : -1) * 18.0 * ((k + 1) / 2);
		struct placed b = { x, cand - 9, x + tw, cand + 9 };
		if (cand - 9 >= c->top && placed_free(p, b)) {
			at = cand;
			break;
		}
	}
	fprintf(p->out,
		"<g class=\"overlap-label\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"16\" "
		"fill=\"#ffffff\" stroke=\"" CONFLICT "\"/>\n",
		x, at - 8, tw);
	text(p, c->x + c->w / 2, at + 4.5, 12, MIDDLE, "font-weight=\"bold\" fill=\"" CONFLICT "\"",
	     label, 0);
	place(p, (struct placed){ x, at - 9, x + tw, at + 9 });
	fputs("</g>\n", p->out);
}

/* A column: header, boxes, conflict hatching, then every text over them, then labels. */
static void draw_column(struct picture *p, const struct column *c)
{
	const struct map_space *s = c->space;
	fprintf(p->out, "<g class=\"column\" data-vm=\"%d\">\n", c->vm);
	p->column_placed = p->nplaced;
	column_header(p, c);
	for (size_t i = 0; i < s->count; i++)
		if (map_kind_is_gap(s->rows[i].kind))
			draw_gap(p, c, &s->rows[i]);
		else
			draw_row_box(p, c, i);
	for (size_t i = 0; i < s->overlap_count; i++)
		draw_overlap(p, c, &s->overlaps[i]);
	for (size_t i = 0; i < s->count; i++)
		if (!map_kind_is_gap(s->rows[i].kind))
			draw_row_text(p, c, i);
	for (size_t i = 0; i < s->overlap_count; i++)
		draw_overlap_label(p, c, &s->overlaps[i]);
	if (c->n) { /* the end of the last row: every other address starts a row */
		char end[VMCFG_FMT_BUF];
		double y = c->y[c->n - 1];
		text(p, c->x + c->w - 5, y + 14, 11, END, "fill=\"" INK_SOFT "\"",
		     vmcfg_fmt_hex(end, c->at[c->n - 1]), 0);
		if (y + 14 > p->rows_bottom)
			p->rows_bottom = y + 14;
	}
	fputs("</g>\n", p->out);
}

/* The host row a link lands in (its lane decides where the arrow ends), or NULL. */
static const struct map_region *host_row_at(const struct picture *p, int vm, uint64_t hpa)
{
	const struct map_space *s = p->host->space;
	for (size_t i = 0; i < s->count; i++) {
		const struct map_region *r = &s->rows[i];
		if (!map_kind_is_gap(r->kind) && hpa >= r->base && hpa < r->end &&
		    (r->owner == vm || r->sharer == vm))
			return r;
	}
	return NULL;
}

/* A band from a guest range to its host range, and an arrow along its middle. */
static void draw_link(const struct picture *p, const struct map_link *l)
{
	const struct column *g = NULL;
	for (size_t i = 0; i < p->ncols; i++)
		if (p->cols[i].vm == l->vm)
			g = &p->cols[i];
	const struct map_region *hr = host_row_at(p, l->vm, l->hpa);
	if (!g || !hr)
		return;
	struct box hb = row_box(p->host, hr);
	/* Ends saturate at 2^64 - 1 like the rows' (y_of clamps to the column anyway). */
	uint64_t gend = l->size > UINT64_MAX - l->gpa ? UINT64_MAX : l->gpa + l->size;
	uint64_t hend = l->size > UINT64_MAX - l->hpa ? UINT64_MAX : l->hpa + l->size;
	double gy0 = y_of(g, l->gpa), gy1 = y_of(g, gend);
	double hy0 = y_of(p->host, l->hpa), hy1 = y_of(p->host, hend);
	double gx = g->left ? g->x + g->w : g->x, hx = g->left ? hb.x : hb.x + hb.w;
	double mx = g->lane_x; /* the VM's own lane: the band turns there, in the gutter */
	fprintf(p->out,
		"<path class=\"band\" data-vm=\"%d\" d=\"M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f L%.1f,%.1f "
		"C%.1f,%.1f %.1f,%.1f %.1f,%.1f Z\" fill=\"%s\" fill-opacity=\"0.22\" stroke=\"none\"/>\n",
		l->vm, gx, gy0, mx, gy0, mx, hy0, hx, hy0, hx, hy1, mx, hy1, mx, gy1, gx, gy1,
		vm_stroke(l->vm));
	double gm = (gy0 + gy1) / 2, hm = (hy0 + hy1) / 2;
	fprintf(p->out,
		"<path class=\"arrow\" data-vm=\"%d\" d=\"M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"none\" stroke=\"%s\" "
		"stroke-width=\"1.8\" marker-end=\"url(#arrow%zu)\"/>\n",
		l->vm, gx, gm, mx, gm, mx, hm, hx + (g->left ? -2 : 2), hm, vm_stroke(l->vm),
		(size_t)l->vm % VM_COLORS);
}

/* ---- legend and notes ---- */

struct flow {
	double x, y, left, right;
};

/* Places an item of width w, wrapping to the next line when it does not fit. */
static double flow_place(struct flow *f, double w)
{
	if (f->x + w > f->right && f->x > f->left) {
		f->x = f->left;
		f->y += 22;
	}
	double at = f->x;
	f->x += w + 18;
	return at;
}

/* A swatch like the boxes it explains (attrs: more attributes of its outline) and its label. */
static void legend_item(struct picture *p, struct flow *f, const char *fill,
			const char *stroke, const char *stripe, const char *attrs, const char *label)
{
	double x = flow_place(f, 26 + (double)text_len(label) * SMALL_CHAR_W);
	fprintf(p->out,
		"<rect x=\"%.1f\" y=\"%.1f\" width=\"20\" height=\"14\" fill=\"%s\" stroke=\"%s\" "
		"%s/>\n",
		x, f->y - 11, fill, stroke, attrs);
	if (stripe)
		fprintf(p->out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"6\" height=\"14\" fill=\"%s\"/>\n",
			x, f->y - 11, stripe);
	text(p, x + 26, f->y, 11, START, "fill=\"" INK "\"", label, 0);
}

static bool kind_shown(const struct map_model *m, enum map_kind k)
{
	for (size_t i = 0; i < m->host.count; i++)
		if (m->host.rows[i].kind == k)
			return true;
	for (size_t v = 0; v < m->vm_count; v++)
		for (size_t i = 0; i < m->vms[v].space.count; i++)
			if (m->vms[v].space.rows[i].kind == k)
				return true;
	return false;
}

static void legend(struct picture *p)
{
	const struct map_model *m = p->m;
	struct flow f = { MARGIN, p->rows_bottom + 36, MARGIN, p->width - MARGIN };
	text(p, MARGIN, f.y, 12, START, "font-weight=\"bold\" fill=\"" INK "\"", "VMs", 0);
	f.x += 50;
	for (size_t i = 0; i < m->vm_count; i++)
		legend_item(p, &f, vm_fill((int)i), vm_stroke((int)i), NULL, "", m->vms[i].name);
	f.x = f.left;
	f.y += 26;
	text(p, MARGIN, f.y, 12, START, "font-weight=\"bold\" fill=\"" INK "\"", "kinds", 0);
	f.x += 50;
	bool conflicts = false;
	for (int k = 0; k < MAP_KIND_COUNT; k++) {
		if (!kind_shown(m, (enum map_kind)k))
			continue;
		if (map_kind_is_gap((enum map_kind)k))
			legend_item(p, &f, kind_colors[k], "#a0aec0", NULL, "",
				    map_kind_name((enum map_kind)k));
		else
			legend_item(p, &f,
				    k == MAP_RESERVED_FRAME ? "url(#hatch)" : "#ffffff", "#4a5568",
				    kind_colors[k], "", map_kind_name((enum map_kind)k));
	}
	for (size_t v = 0; v < m->host.count && !conflicts; v++)
		conflicts = m->host.rows[v].error;
	for (size_t v = 0; v < m->vm_count && !conflicts; v++)
		for (size_t i = 0; i < m->vms[v].space.count && !conflicts; i++)
			conflicts = m->vms[v].space.rows[i].error;
	if (conflicts)
		legend_item(p, &f, "url(#conflict)", CONFLICT, NULL, "stroke-width=\"2.5\"",
			    "conflict (the checker's error code in red)");
	for (size_t i = 0; i < m->vm_count; i++)
		if (!m->vms[i].built) {
			legend_item(p, &f, "#ffffff", "#4a5568", NULL, "stroke-dasharray=\"6 3\"",
				    "not built: drawn from its config");
			break;
		}
	f.y += 26;
	text(p, MARGIN, f.y, 11, START, "fill=\"" INK_SOFT "\"",
	     "Scale: heights grow with log2 of the size (4 KiB = 22 px, +7 px per doubling, at most "
	     "150 px); gaps are squeezed further,", 0);
	f.y += 16;
	text(p, MARGIN, f.y, 11, START, "fill=\"" INK_SOFT "\"",
	     "a zigzag marks a scale break (a gap of 1 MiB or more). Bands and arrows run from guest "
	     "memory to the host memory behind it.", 0);
	for (size_t i = 0; i < m->vm_count; i++) {
		if (!m->vms[i].note)
			continue;
		char note[512];
		snprintf(note, sizeof note, "vm %s: %s", m->vms[i].name, m->vms[i].note);
		f.y += 18;
		text(p, MARGIN, f.y, 11, START, "fill=\"" INK_SOFT "\"", note, 0);
	}
	for (size_t i = 0; i < m->note_count; i++) {
		f.y += 18;
		text(p, MARGIN, f.y, 11, START, "fill=\"" INK_SOFT "\"", m->notes[i], 0);
	}
	p->height = f.y + 24;
}

/* ---- the picture ---- */

/*
 * Columns: the host in the middle, the even VMs stacked on its left (the
 * first on top), the odd ones on its right. Every VM column thus faces the
 * host across an empty gutter, so no band passes behind another VM's
 * column; each VM of a side turns its bands in a lane of its own in that
 * gutter (the gutter widens with the VMs on the side). A space whose
 * overlapping rows go side by side is that many lanes wide, so its labels
 * keep their room.
 */
static bool lay_out_columns(struct picture *p)
{
	const struct map_model *m = p->m;
	size_t nleft = (m->vm_count + 1) / 2, nright = m->vm_count / 2, k = 0;
	p->ncols = m->vm_count + 1;
	p->cols = calloc(p->ncols, sizeof *p->cols);
	if (!p->cols)
		return false;
	double side_w[2] = { 0, 0 };
	for (size_t i = 0; i < m->vm_count; i += 2)
		p->cols[k++] = (struct column){ .space = &m->vms[i].space, .vm = (int)i, .left = true };
	p->host = &p->cols[k];
	p->cols[k++] = (struct column){ .space = &m->host, .vm = -1 };
	for (size_t i = 1; i < m->vm_count; i += 2)
		p->cols[k++] = (struct column){ .space = &m->vms[i].space, .vm = (int)i };
	for (size_t i = 0; i < p->ncols; i++) {
		struct column *c = &p->cols[i];
		c->w = (c->vm < 0 ? HOST_W : VM_W) * (c->space->lanes > 1 ? c->space->lanes : 1);
		if (c->vm >= 0 && c->w > side_w[!c->left])
			side_w[!c->left] = c->w;
	}
	double gutter[2] = { GUTTER + LANE_GAP * (nleft > 2 ? (double)nleft - 2 : 0),
			     GUTTER + LANE_GAP * (nright > 2 ? (double)nright - 2 : 0) };
	double host_x = MARGIN + (nleft ? side_w[0] + gutter[0] : 0);
	double host_end = host_x + p->host->w;
	double top[2] = { TOP, TOP };
	size_t nth[2] = { 0, 0 };
	for (size_t i = 0; i < p->ncols; i++) {
		struct column *c = &p->cols[i];
		if (c->vm < 0) {
			c->x = host_x;
			c->top = TOP;
		} else {
			int side = !c->left;
			size_t n = side ? nright : nleft, at = nth[side]++;
			double f = (double)(at + 1) / (double)(n + 1);
			/* Right-aligned on the left side: every band leaves from the gutter's edge. */
			c->x = side ? host_end + gutter[1] : MARGIN + side_w[0] - c->w;
			c->lane_x = side ? host_end + gutter[1] * (1 - f) : MARGIN + side_w[0] + gutter[0] * f;
			c->top = top[side];
		}
		if (!scale_column(c))
			return false;
		if (c->vm >= 0) /* the next one below this one's end address */
			top[!c->left] = (c->n ? c->y[c->n - 1] : c->top) + 17 + STACK_GAP + HEAD;
	}
	p->width = (nright ? host_end + gutter[1] + side_w[1] : host_end) + MARGIN;
	if (p->width < 900) /* room for the legend's scale line */
		p->width = 900;
	return true;
}

static void free_columns(struct picture *p)
{
	for (size_t i = 0; p->cols && i < p->ncols; i++) {
		free(p->cols[i].at);
		free(p->cols[i].y);
	}
	free(p->cols);
	free(p->placed);
}

int map_svg_write(const struct map_model *m, const char *title, FILE *out)
{
	struct picture p = { .out = out, .m = m, .rows_bottom = TOP };
	/* The body goes to a buffer first: the height is known only after the legend. */
	char *body = NULL, head[512], sub[160];
	size_t body_len = 0;
	FILE *mem = lay_out_columns(&p) ? open_memstream(&body, &body_len) : NULL;
	if (!mem) {
		free_columns(&p);
		return VMCFG_ENOMEM;
	}
	p.out = mem;
	snprintf(head, sizeof head, "vmcfg map \xe2\x80\x94 %s", title);
	snprintf(sub, sizeof sub, "%zu VM%s on %s host, %s", m->vm_count, m->vm_count == 1 ? "" : "s",
		 m->has_platform ? "the platform's" : "a simulated", m->arch);
	text(&p, MARGIN, 36, 20, START, "font-weight=\"bold\" fill=\"" INK "\"", head, 0);
	text(&p, MARGIN, 56, 12, START, "fill=\"" INK_SOFT "\"", sub, 0);
	for (size_t i = 0; i < m->link_count; i++) /* first: boxes and text go over them */
		draw_link(&p, &m->links[i]);
	for (size_t i = 0; i < p.ncols; i++)
		draw_column(&p, &p.cols[i]);
	legend(&p);
	if (p.widest + MARGIN > p.width) /* a long note: the canvas holds it */
		p.width = p.widest + MARGIN;
	bool failed = fclose(mem) != 0;
	if (!failed) {
		p.out = out;
		fprintf(out,
			"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
			"viewBox=\"0 0 %.0f %.0f\" font-family=\"monospace\">\n<title>",
			p.width, p.height, p.width, p.height);
		put_text(out, head, (size_t)-1);
		fputs("</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n", out);
		defs(&p);
		fwrite(body, 1, body_len, out);
		fputs("</svg>\n", out);
	}
	free(body);
	free_columns(&p);
	return failed ? VMCFG_ENOMEM : 0;
}

int map_svg_write_file(const struct map_model *m, const char *title, const char *path)
{
	bool out = !strcmp(path, "-"); /* "-": standard output */
	FILE *f = out ? stdout : fopen(path, "w");
	if (!f) {
		fprintf(stderr, "vmcfg map: cannot write %s: %s\n", path, strerror(errno));
		return VMCFG_EIO;
	}
	int rc = map_svg_write(m, title, f);
	bool failed = ferror(f) != 0;
	if ((out ? fflush(f) : fclose(f)) || failed) {
		fprintf(stderr, "vmcfg map: cannot write %s: %s\n", path, strerror(errno));
		return VMCFG_EIO;
	}
	return rc;
}
