/* SPDX-License-Identifier: MIT */
/*
 * Source positions. Nodes keep only a byte offset and a length; line and
 * column are computed when asked for: the line by binary search in the
 * line-start index the scanner records, the column by counting code
 * points from the line start, which the multi-byte runs make possible
 * without keeping the input.
 */
#include "internal.h"

int vmcfg_tp_lines_grow_add(struct toml_lines *l, const struct vmcfg_allocator *a, uint32_t start)
{
	int rc = vmcfg_tp_buf_grow(&l->starts, a, sizeof start);
	return rc ? rc : lines_add(l, a, start);
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

void vmcfg_tp_lines_free(struct toml_lines *l, const struct vmcfg_allocator *a)
{
	vmcfg_tp_buf_free(&l->starts, a);
	vmcfg_tp_buf_free(&l->runs, a);
}

/* Index of the last line starting at or before off (0 if none). */
static size_t line_index(const struct toml_lines *l, uint32_t off)
{
	const uint32_t *starts = l->starts.data;
	size_t lo = 0, hi = l->starts.len / sizeof *starts;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (starts[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
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
	if (!l->starts.len) {
		*line = 1;
		return 0;
	}
	size_t i = line_index(l, off);
	*line = (uint32_t)i + 1;
	return ((const uint32_t *)l->starts.data)[i];
}

struct vmcfg_span vmcfg_tp_lines_span(const struct toml_lines *l, uint32_t off, uint32_t len)
{
	struct vmcfg_span sp = { off, len, 1, 1 };
	if (!l->starts.len)
		return sp;
	size_t i = line_index(l, off);
	uint32_t start = ((const uint32_t *)l->starts.data)[i];
	sp.line = (uint32_t)i + 1;
	if (off > start) /* off < start only inside a byte-order mark */
		sp.col = off - start - (extra_before(l, off) - extra_before(l, start)) + 1;
	return sp;
}
