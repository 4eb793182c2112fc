/* SPDX-License-Identifier: MIT */
/*
 * Source positions. Nodes keep only a byte offset and a length; line and
 * column are computed when asked for: the line by binary search in the
 * line-start index the scanner records (a byte per line, see struct
 * toml_lines), the column by counting code
 * points from the line start, which the multi-byte runs make possible
 * without keeping the input.
 */
#include "internal.h"

/*
 * Makes room for size more bytes of deltas or blocks (full; a byte per
 * lines_per lines): for the lines the input should hold at the density
 * so far, and a sixteenth more; at least an eighth more than now, so that
 * appends stay amortised O(1). Doubling would leave the index up to twice
 * its size at the end of the parse, where the peak is.
 */
static int index_grow(const struct toml_lines *l, struct buf *b, const struct vmcfg_allocator *a,
		      size_t size, uint32_t start, uint32_t lines_per)
{
	uint64_t lines = start ? (uint64_t)l->count * l->text_len / start : 0;
	uint64_t cap = b->cap + b->cap / 8, want = (lines + lines / 16) / lines_per + size;
	if (cap < want)
		cap = want;
	if (cap < b->len + size)
		cap = b->len + size;
	if (cap < 64)
		cap = 64;
	void *data = a->fn(a->ud, b->data, b->cap, (size_t)cap);
	if (!data)
		return VMCFG_ENOMEM;
	b->data = data;
	b->cap = (size_t)cap;
	return 0;
}

int vmcfg_tp_lines_grow_add(struct toml_lines *l, const struct vmcfg_allocator *a, uint32_t start)
{
	l->deltas.len = l->count; /* lines_add's fast path counts in count only */
	uint32_t d = start - l->last;
	uint8_t byte = l->count % LINE_BLOCK == 0 ? 0 : d < LINE_LONG ? (uint8_t)d : LINE_LONG;
	int rc = l->deltas.len < l->deltas.cap ? 0 : index_grow(l, &l->deltas, a, 1, start, 1);
	if (!rc && l->count % LINE_BLOCK == 0) {
		if (l->blocks.cap - l->blocks.len < sizeof start)
			rc = index_grow(l, &l->blocks, a, sizeof start, start,
					LINE_BLOCK / sizeof start);
		if (!rc) {
			memcpy((char *)l->blocks.data + l->blocks.len, &start, sizeof start);
			l->blocks.len += sizeof start;
		}
	} else if (!rc && byte == LINE_LONG)
		rc = buf_append(&l->longs, a, &(struct long_line){ l->count, start },
				sizeof(struct long_line));
	if (rc)
		return rc;
	((uint8_t *)l->deltas.data)[l->deltas.len++] = byte;
	l->count++;
	l->last = start;
	/* count is deltas.len; lines_add appends up to the next block or the capacity. */
	uint32_t next_block = (l->count + LINE_BLOCK - 1) / LINE_BLOCK * LINE_BLOCK;
	l->fast_end = next_block < l->deltas.cap ? next_block : (uint32_t)l->deltas.cap;
	return 0;
}

int vmcfg_tp_lines_add_char(struct toml_lines *l, const struct vmcfg_allocator *a, uint32_t off,
		      uint32_t size)
{
	struct mb_run *runs = l->runs.data;
	size_t n = l->runs.len / sizeof *runs;

	if (n && runs[n - 1].end == off) { /* extends the current run */
		runs[n - 1].end = off + size;
		runs[n - 1].extra += size - 1;
		return 0;
	}
	struct mb_run r = { off + size, (n ? runs[n - 1].extra : 0) + size - 1 };
	return buf_append(&l->runs, a, &r, sizeof r);
}

int vmcfg_tp_long_span(struct parser *p, uint32_t off, uint32_t len)
{
	struct long_span ls = { off, len };
	return buf_append(&p->long_spans, &p->alloc, &ls, sizeof ls) ? vmcfg_tp_fail_nomem(p) : 0;
}

void vmcfg_tp_lines_free(struct toml_lines *l, const struct vmcfg_allocator *a)
{
	vmcfg_tp_buf_free(&l->deltas, a);
	vmcfg_tp_buf_free(&l->blocks, a);
	vmcfg_tp_buf_free(&l->longs, a);
	vmcfg_tp_buf_free(&l->runs, a);
}

/* The start of line i (0-based, recorded) whose delta is LINE_LONG. */
static uint32_t long_start(const struct toml_lines *l, uint32_t i)
{
	const struct long_line *longs = l->longs.data;
	size_t lo = 0, hi = l->longs.len / sizeof *longs;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (longs[mid].index <= i)
			lo = mid;
		else
			hi = mid;
	}
	return longs[lo].start;
}

/* Index of the last line starting at or before off (0 if none), its start in *start. */
static size_t line_index(const struct toml_lines *l, uint32_t off, uint32_t *start)
{
	const uint32_t *blocks = l->blocks.data;
	const uint8_t *deltas = l->deltas.data;
	size_t lo = 0, hi = l->blocks.len / sizeof *blocks;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (blocks[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	size_t i = lo * LINE_BLOCK, end = i + LINE_BLOCK < l->count ? i + LINE_BLOCK : l->count;
	uint32_t at = blocks[lo];
	for (; i + 1 < end; i++) {
		uint8_t d = deltas[i + 1];
		uint32_t next = d == LINE_LONG ? long_start(l, (uint32_t)i + 1) : at + d;
		if (next > off)
			break;
		at = next;
	}
	*start = at;
	return i;
}

/*
 * Continuation bytes before off. off never lies inside a run: spans start
 * at ASCII characters (quotes, digits, brackets, key characters) and
 * lines after a '\n'.
 */
static uint32_t extra_before(const struct toml_lines *l, uint32_t off)
{
	const struct mb_run *runs = l->runs.data;
	size_t lo = 0, hi = l->runs.len / sizeof *runs;

	while (lo < hi) { /* first run ending after off */
		size_t mid = lo + (hi - lo) / 2;
		if (runs[mid].end <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? runs[lo - 1].extra : 0;
}

uint32_t vmcfg_tp_lines_start(const struct toml_lines *l, uint32_t off, uint32_t *line)
{
	if (!l->count) {
		*line = 1;
		return 0;
	}
	uint32_t start;
	*line = (uint32_t)line_index(l, off, &start) + 1;
	return start;
}

struct vmcfg_span vmcfg_tp_lines_span(const struct toml_lines *l, uint32_t off, uint32_t len)
{
	struct vmcfg_span sp = { off, len, 1, 1 };
	if (!l->count)
		return sp;
	uint32_t start;
	sp.line = (uint32_t)line_index(l, off, &start) + 1;
	if (off > start) /* off < start only inside a byte-order mark */
		sp.col = off - start - (extra_before(l, off) - extra_before(l, start)) + 1;
	return sp;
}
