/* SPDX-License-Identifier: MIT */
/* Finding the comments of a VM file and the output line each belongs to (comments.h). */
#include "comments.h"
#include "writer.h"
#include "../base/libc.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * Offset just past the string whose opening quote is at text[i] (basic or
 * literal, single- or multi-line), so a '#' inside a string or a quoted
 * key is not taken for a comment. An unterminated string ends at len.
 */
static size_t skip_string(const char *text, size_t len, size_t i)
{
	char q = text[i];
	bool multi = i + 2 < len && text[i + 1] == q && text[i + 2] == q;
	i += multi ? 3 : 1;
	while (i < len) {
		if (text[i] == '\\' && q == '"') {
			i += 2;
			continue;
		}
		if (text[i] == '\n' && !multi)
			return i;
		if (text[i] == q) {
			if (!multi)
				return i + 1;
			if (i + 2 < len && text[i + 1] == q && text[i + 2] == q) {
				/* """a"""" ends with a quote of the content: up to two more close it */
				i += 3;
				for (int extra = 0; extra < 2 && i < len && text[i] == q; extra++)
					i++;
				return i;
			}
		}
		i++;
	}
	return len;
}

static size_t count_newlines(const char *text, size_t from, size_t to)
{
	size_t n = 0;
	for (size_t i = from; i < to; i++)
		n += text[i] == '\n';
	return n;
}

/* Fills out[0 .. cap) with the comments of text in order; returns how many there are. */
static size_t scan(const char *text, size_t len, struct spec_comment *out, size_t cap)
{
	size_t start = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
	size_t i = start, n = 0;
	size_t content_end = start; /* just past the last non-blank byte */
	bool any_content = false;

	while (i < len) {
		char c = text[i];
		if (is_blank(c)) {
			i++;
		} else if (c == '"' || c == '\'') {
			i = skip_string(text, len, i);
			content_end = i;
			any_content = true;
		} else if (c != '#') {
			content_end = ++i;
			any_content = true;
		} else {
			size_t end = i, before = i;
			while (end < len && text[end] != '\n')
				end++;
			while (end > i + 1 && is_blank(text[end - 1]))
				end--;
			while (before > start && (text[before - 1] == ' ' || text[before - 1] == '\t'))
				before--;
			if (n < cap) {
				out[n] = (struct spec_comment){
					.offset = i,
					.len = end - i,
					.full_line = before == start || text[before - 1] == '\n',
					.blank_before = any_content &&
							count_newlines(text, content_end, i) >= 2,
				};
			}
			n++;
			i = content_end = end;
			any_content = true;
		}
	}
	return n;
}

/*
 * Placement is a sweep: comments are found in source order, so each rule
 * is answered by walking the lines once in the order that rule needs
 * (sorted by start or by end) alongside the comments, with a heap for the
 * innermost holder. O((comments + lines) log lines) instead of scanning
 * every line per comment; ties go to the lowest line index, as a linear
 * scan for a strict improvement would choose.
 */

/* Line index order by (key, index); merge sort into tmp, stable and O(n log n). */
static void sort_by(size_t *idx, size_t *tmp, size_t count, const struct spec_line *lines,
		    bool by_end)
{
	for (size_t width = 1; width < count; width *= 2) {
		for (size_t lo = 0; lo < count; lo += 2 * width) {
			size_t mid = lo + width < count ? lo + width : count;
			size_t hi = mid + width < count ? mid + width : count;
			size_t a = lo, b = mid, o = lo;
			while (a < mid && b < hi) {
				size_t ka = by_end ? lines[idx[a]].end : lines[idx[a]].start;
				size_t kb = by_end ? lines[idx[b]].end : lines[idx[b]].start;
				tmp[o++] = kb < ka ? idx[b++] : idx[a++];
			}
			while (a < mid)
				tmp[o++] = idx[a++];
			while (b < hi)
				tmp[o++] = idx[b++];
		}
		memcpy(idx, tmp, count * sizeof *idx);
	}
}

/* Heap of holding lines, innermost (shortest, then lowest index) on top. */
static bool inner(const struct spec_line *lines, size_t a, size_t b)
{
	size_t la = lines[a].end - lines[a].start, lb = lines[b].end - lines[b].start;
	return la < lb || (la == lb && a < b);
}

static void heap_push(size_t *heap, size_t *size, const struct spec_line *lines, size_t k)
{
	size_t i = (*size)++;
	while (i > 0 && inner(lines, k, heap[(i - 1) / 2])) {
		heap[i] = heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	heap[i] = k;
}

static void heap_pop(size_t *heap, size_t *size, const struct spec_line *lines)
{
	size_t k = heap[--*size], i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= *size)
			break;
		if (c + 1 < *size && inner(lines, heap[c + 1], heap[c]))
			c++;
		if (!inner(lines, heap[c], k))
			break;
		heap[i] = heap[c];
		i = c;
	}
	if (*size)
		heap[i] = k;
}

/* Whether text[from .. to) holds no newline (scanned backwards from to: one source line). */
static bool same_line(const char *text, size_t from, size_t to)
{
	while (to > from)
		if (text[--to] == '\n')
			return false;
	return true;
}

/*
 * Sets owner and trailing of comments[0 .. count) (in source order):
 *   1. holder: the innermost placed, holding line with start < o < end;
 *   2. (not full_line) the placed line with the greatest end <= o, when no
 *      newline lies between that end and o;
 *   3-5. the placed line with the least start > o; the head when no placed
 *      line starts before o; the tail when none starts after.
 */
static int place_all(struct vmcfg_arena *arena, const char *text, struct spec_comment *comments,
		     size_t count, const struct spec_line *lines, size_t n)
{
	if (!count)
		return 0; /* nothing to place: spare the sorting */
	size_t placed = 0;
	for (size_t k = 0; k < n; k++)
		placed += lines[k].placed;
	size_t *by_start = vmcfg_arena_alloc(arena, placed * sizeof(size_t) + 1, 16);
	size_t *by_end = vmcfg_arena_alloc(arena, placed * sizeof(size_t) + 1, 16);
	size_t *tmp = vmcfg_arena_alloc(arena, placed * sizeof(size_t) + 1, 16);
	size_t *heap = vmcfg_arena_alloc(arena, placed * sizeof(size_t) + 1, 16);
	if (!by_start || !by_end || !tmp || !heap)
		return VMCFG_ENOMEM;
	for (size_t k = 0, j = 0; k < n; k++)
		if (lines[k].placed)
			by_start[j] = by_end[j] = k, j++;
	sort_by(by_start, tmp, placed, lines, false);
	sort_by(by_end, tmp, placed, lines, true);

	size_t hs = 0, heaped = 0; /* lines of by_start with start < o went through the heap */
	size_t ended = 0, last = n;  /* by_end[0 .. ended) end <= o; last: greatest end, lowest index */
	size_t after = 0;            /* by_start[after] is the first with start > o */
	for (size_t i = 0; i < count; i++) {
		struct spec_comment *c = &comments[i];
		size_t o = c->offset;

		for (; heaped < placed && lines[by_start[heaped]].start < o; heaped++)
			if (lines[by_start[heaped]].holds)
				heap_push(heap, &hs, lines, by_start[heaped]);
		/* offsets only grow: a line that ends at or before o holds no later comment */
		while (hs && lines[heap[0]].end <= o)
			heap_pop(heap, &hs, lines);
		if (hs) {
			c->owner = heap[0];
			continue;
		}

		for (; ended < placed && lines[by_end[ended]].end <= o; ended++)
			if (last == n || lines[by_end[ended]].end > lines[last].end)
				last = by_end[ended];
		if (!c->full_line && last < n && same_line(text, lines[last].end, o)) {
			c->owner = last;
			c->trailing = true;
			continue;
		}

		while (after < placed && lines[by_start[after]].start <= o)
			after++;
		if (placed == 0 || lines[by_start[0]].start >= o)
			c->owner = SPEC_COMMENT_HEAD;
		else
			c->owner = after < placed ? by_start[after] : SPEC_COMMENT_TAIL;
	}
	return 0;
}

/* Group number of an owner: the head first, then the lines, then the tail. */
static size_t group_of(size_t owner, size_t n)
{
	return owner == SPEC_COMMENT_HEAD ? 0 : owner == SPEC_COMMENT_TAIL ? n + 1 : owner + 1;
}

int vmcfg_spec_comment_plan_build(struct spec_comment_plan *plan, struct vmcfg_arena *arena,
			    const char *text, size_t len, const struct spec_line *lines, size_t n)
{
	size_t count = scan(text, len, NULL, 0);
	size_t groups = n + 2;
	*plan = (struct spec_comment_plan){ .text = text, .line_count = n };
	if (count > SIZE_MAX / sizeof *plan->comments || groups + 1 > SIZE_MAX / sizeof(size_t))
		return VMCFG_ENOMEM;
	plan->comments = vmcfg_arena_alloc(arena, count * sizeof *plan->comments + 1, 16);
	plan->order = vmcfg_arena_alloc(arena, count * sizeof(size_t) + 1, 16);
	plan->first = vmcfg_arena_zalloc(arena, (groups + 1) * sizeof(size_t), 16);
	size_t *next = vmcfg_arena_alloc(arena, groups * sizeof(size_t), 16);
	if (!plan->comments || !plan->order || !plan->first || !next)
		return VMCFG_ENOMEM;
	scan(text, len, plan->comments, count);

	/* A counting sort by owner keeps the source order within each group. */
	int rc = place_all(arena, text, plan->comments, count, lines, n);
	if (rc)
		return rc;
	for (size_t i = 0; i < count; i++)
		plan->first[group_of(plan->comments[i].owner, n) + 1]++;
	for (size_t g = 0; g < groups; g++) {
		plan->first[g + 1] += plan->first[g];
		next[g] = plan->first[g];
	}
	for (size_t i = 0; i < count; i++)
		plan->order[next[group_of(plan->comments[i].owner, n)]++] = i;
	/* The header keeps the empty line that separates it from the first key or table. */
	for (size_t i = count; i-- > 0;) {
		const struct spec_comment *c = &plan->comments[i];
		if (c->owner != SPEC_COMMENT_HEAD)
			continue;
		size_t end = c->offset + c->len, k = end;
		while (k < len && is_blank(text[k]))
			k++;
		plan->head_blank = k < len && count_newlines(text, end, k) >= 2;
		break;
	}
	return 0;
}

const size_t *vmcfg_spec_comments_of(const struct spec_comment_plan *plan, size_t owner, size_t *count)
{
	size_t g = group_of(owner, plan->line_count);
	*count = plan->first[g + 1] - plan->first[g];
	return plan->order + plan->first[g];
}

size_t vmcfg_spec_note_line(struct spec_emitter *e, const struct vmcfg_span *span,
			    enum spec_line_part part)
{
	size_t id = e->line_count++;
	if (id >= e->line_cap)
		return id;
	struct spec_line *l = &e->lines[id];
	*l = (struct spec_line){ .placed = span && span->line != 0 && span->length != 0 };
	if (!l->placed)
		return id;
	l->start = span->offset;
	l->end = (size_t)span->offset + span->length;
	if (part == SPEC_LINE_OPENING)
		l->end = l->start + 1;
	else if (part == SPEC_LINE_CLOSING)
		l->start = l->end - 1;
	l->holds = part == SPEC_LINE_WHOLE;
	return id;
}

bool vmcfg_spec_has_comments(const struct spec_emitter *e, size_t owner, bool trailing)
{
	if (!e->plan)
		return false;
	size_t n;
	const size_t *idx = vmcfg_spec_comments_of(e->plan, owner, &n);
	for (size_t i = 0; i < n; i++)
		if (e->plan->comments[idx[i]].trailing == trailing)
			return true;
	return false;
}

void vmcfg_spec_put_leading(const struct spec_emitter *e, size_t owner, unsigned indent)
{
	if (!e->plan)
		return;
	size_t n;
	const size_t *idx = vmcfg_spec_comments_of(e->plan, owner, &n);
	bool first = true;
	for (size_t i = 0; i < n; i++) {
		const struct spec_comment *c = &e->plan->comments[idx[i]];
		if (c->trailing)
			continue;
		if (c->blank_before && !first)
			vmcfg_spec_put(e->w, "\n");
		vmcfg_spec_put_indent(e->w, indent);
		e->w->write(e->w->ud, e->plan->text + c->offset, c->len);
		vmcfg_spec_put(e->w, "\n");
		first = false;
	}
	if (owner == SPEC_COMMENT_HEAD && !first && e->plan->head_blank)
		vmcfg_spec_put(e->w, "\n");
}

void vmcfg_spec_put_trailing(const struct spec_emitter *e, size_t owner)
{
	if (!e->plan)
		return;
	size_t n;
	const size_t *idx = vmcfg_spec_comments_of(e->plan, owner, &n);
	for (size_t i = 0; i < n; i++) {
		const struct spec_comment *c = &e->plan->comments[idx[i]];
		if (!c->trailing)
			continue;
		vmcfg_spec_put(e->w, " ");
		e->w->write(e->w->ud, e->plan->text + c->offset, c->len);
	}
}

static void discard(void *ud, const char *s, size_t len)
{
	(void)ud;
	(void)s;
	(void)len;
}

int vmcfg_spec_emit_commented(void (*walk)(struct spec_emitter *e, void *ctx), void *ctx,
			      const char *text, size_t len, const struct vmcfg_allocator *alloc,
			      const struct vmcfg_writer *w)
{
	const struct vmcfg_writer nowhere = { discard, NULL };
	struct spec_emitter e = { .w = &nowhere };
	walk(&e, ctx); /* counts the lines */

	struct vmcfg_arena arena;
	vmcfg_arena_init(&arena, alloc, 0);
	size_t n = e.line_count;
	e.lines = n <= SIZE_MAX / sizeof *e.lines ? vmcfg_arena_alloc(&arena, n * sizeof *e.lines + 1, 16)
						   : NULL;
	struct spec_comment_plan plan;
	int rc = e.lines ? 0 : VMCFG_ENOMEM;
	if (rc == 0) {
		e.line_cap = n;
		e.line_count = 0;
		walk(&e, ctx); /* notes where each line comes from */
		rc = vmcfg_spec_comment_plan_build(&plan, &arena, text, len, e.lines, n);
	}
	if (rc == 0) {
		e = (struct spec_emitter){ .w = w, .plan = &plan };
		walk(&e, ctx);
	}
	vmcfg_arena_release(&arena);
	return rc;
}
