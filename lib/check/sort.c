/* SPDX-License-Identifier: MIT */
/*
 * Sorting for the checker (the core has no qsort) and the scan for runs of
 * equal keys that every "declared twice" rule uses.
 *
 * A bottom-up merge sort does the work: it reads and writes its arrays in
 * order, so it stays fast on the 100,000-range sweeps of large systems,
 * where a heapsort's jumps miss the cache on every step. When no scratch
 * buffer can be had, an in-place heapsort gives the same order without
 * memory, so sorting never fails.
 *
 * The helpers are always inlined into sort_with, and vmcfg_check_sort calls it
 * with the element size and comparison of the two element types large
 * systems sort as constants: those copies compare and move elements in
 * line, without a call for each.
 */
#include "internal.h"
#include "../base/libc.h"

#define INLINE static inline __attribute__((always_inline))

/* Swaps two elements of size bytes through a small buffer. */
INLINE void swap_elems(unsigned char *a, unsigned char *b, size_t size)
{
	unsigned char tmp[64];
	while (size) {
		size_t k = size < sizeof tmp ? size : sizeof tmp;
		memcpy(tmp, a, k);
		memcpy(a, b, k);
		memcpy(b, tmp, k);
		a += k;
		b += k;
		size -= k;
	}
}

/* Moves element i down the max-heap of n elements until its children are smaller. */
INLINE void sift_down(unsigned char *base, size_t i, size_t n, size_t size, check_cmp_fn cmp)
{
	for (;;) {
		size_t child = 2 * i + 1;
		if (child >= n)
			return;
		if (child + 1 < n && cmp(base + child * size, base + (child + 1) * size) < 0)
			child++;
		if (cmp(base + i * size, base + child * size) >= 0)
			return;
		swap_elems(base + i * size, base + child * size, size);
		i = child;
	}
}

INLINE void heap_sort(unsigned char *b, size_t n, size_t size, check_cmp_fn cmp)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(b, i, n, size, cmp);
	for (size_t end = n - 1; end > 0; end--) {
		swap_elems(b, b + end * size, size);
		sift_down(b, 0, end, size, cmp);
	}
}

/* Merges the sorted runs src[lo, mid) and src[mid, hi) into dst[lo, hi); stable. */
INLINE void merge(const unsigned char *src, unsigned char *dst, size_t lo, size_t mid, size_t hi,
		  size_t size, check_cmp_fn cmp)
{
	size_t i = lo, j = mid, k = lo;
	while (i < mid && j < hi) {
		bool right = cmp(src + j * size, src + i * size) < 0;
		memcpy(dst + k++ * size, src + (right ? j++ : i++) * size, size);
	}
	memcpy(dst + k * size, src + i * size, (mid - i) * size);
	k += mid - i;
	memcpy(dst + k * size, src + j * size, (hi - j) * size);
}

/* Merges the runs of width in src[lo, hi) pairwise into dst[lo, hi). */
INLINE void merge_pass(const unsigned char *src, unsigned char *dst, size_t lo, size_t hi,
		       size_t width, size_t size, check_cmp_fn cmp)
{
	for (size_t a = lo; a < hi; a += 2 * width) {
		size_t mid = a + width < hi ? a + width : hi;
		size_t end = mid + width < hi ? mid + width : hi;
		merge(src, dst, a, mid, end, size, cmp);
	}
}

/* Sorted runs this long are made by insertion first: fewer merge passes. */
#define RUN 16

/*
 * Merge passes up to runs of BLOCK elements run one block at a time, while
 * the block (twice, with the scratch buffer) is in the L2 cache: 2,048
 * elements of up to 32 bytes take 128 KiB. Only the passes beyond stream
 * the whole array through memory. A power-of-two multiple of RUN.
 */
#define BLOCK 2048

/* Insertion sort of b[lo, hi) by swaps of neighbours (stable, no buffer). */
INLINE void insertion_sort(unsigned char *b, size_t lo, size_t hi, size_t size, check_cmp_fn cmp)
{
	for (size_t i = lo + 1; i < hi; i++)
		for (size_t j = i; j > lo && cmp(b + (j - 1) * size, b + j * size) > 0; j--)
			swap_elems(b + (j - 1) * size, b + j * size, size);
}

/*
 * Runs of RUN, then merges of runs of 2 RUN, 4 RUN, … back and forth
 * between b and tmp (n elements each), block by block up to BLOCK. Every
 * block takes the same number of passes (a short last block copies), so
 * all of them end in the same buffer.
 */
INLINE void merge_sort(unsigned char *b, unsigned char *tmp, size_t n, size_t size,
		       check_cmp_fn cmp)
{
	unsigned char *src = b, *dst = tmp;
	size_t top = n < BLOCK ? n : BLOCK, width = RUN;
	for (size_t lo = 0; lo < n; lo += RUN)
		insertion_sort(b, lo, lo + RUN < n ? lo + RUN : n, size, cmp);
	for (size_t lo = 0; lo < n; lo += BLOCK) {
		size_t hi = lo + BLOCK < n ? lo + BLOCK : n;
		src = b;
		dst = tmp;
		for (width = RUN; width < top; width *= 2) {
			merge_pass(src, dst, lo, hi, width, size, cmp);
			unsigned char *t = src;
			src = dst;
			dst = t;
		}
	}
	for (; width < n; width *= 2) {
		merge_pass(src, dst, 0, n, width, size, cmp);
		unsigned char *t = src;
		src = dst;
		dst = t;
	}
	if (src != b)
		memcpy(b, src, n * size);
}

INLINE void sort_with(const struct vmcfg_allocator *a, void *base, size_t n, size_t size,
		      check_cmp_fn cmp)
{
	if (n <= RUN) {
		insertion_sort(base, 0, n, size, cmp);
		return;
	}
	unsigned char *tmp = check_alloc_in(a, n, size);
	if (!tmp) {
		heap_sort(base, n, size, cmp);
		return;
	}
	merge_sort(base, tmp, n, size, cmp);
	check_free_in(a, tmp, n, size);
}

void vmcfg_check_sort_in(const struct vmcfg_allocator *a, void *base, size_t n, size_t size,
			 check_cmp_fn cmp)
{
	if (cmp == vmcfg_check_cmp_range && size == sizeof(struct check_range))
		sort_with(a, base, n, sizeof(struct check_range), vmcfg_check_cmp_range);
	else if (cmp == vmcfg_check_cmp_keyed && size == sizeof(struct check_keyed))
		sort_with(a, base, n, sizeof(struct check_keyed), vmcfg_check_cmp_keyed);
	else
		sort_with(a, base, n, size, cmp);
}

void vmcfg_check_sort(struct vmcfg_diags *d, void *base, size_t n, size_t size, check_cmp_fn cmp)
{
	vmcfg_check_sort_in(&d->alloc, base, n, size, cmp);
}

int vmcfg_check_each_duplicate(const void *base, size_t n, size_t size, check_cmp_fn same_key,
			 check_dup_fn fn, void *ctx)
{
	const unsigned char *b = base;
	size_t first = 0;
	for (size_t i = 1; i < n; i++) {
		if (same_key(b + (i - 1) * size, b + i * size) != 0) {
			first = i;
			continue;
		}
		int rc = fn(ctx, b + first * size, b + (i - 1) * size, b + i * size);
		if (rc)
			return rc;
	}
	return 0;
}

int vmcfg_check_cmp_keyed(const void *a, const void *b)
{
	const struct check_keyed *x = a, *y = b;
	int c = check_cmp_u64(x->key, y->key);
	if (!c)
		c = check_cmp_u64(x->index, y->index);
	return c ? c : check_cmp_u64(x->aux, y->aux);
}

int vmcfg_check_same_key(const void *a, const void *b)
{
	const struct check_keyed *x = a, *y = b;
	return check_cmp_u64(x->key, y->key);
}

int vmcfg_check_cmp_range(const void *a, const void *b)
{
	const struct check_range *x = a, *y = b;
	int c = check_cmp_u64(x->first, y->first);
	if (!c)
		c = check_cmp_u64(x->owner, y->owner);
	return c ? c : check_cmp_u64(x->ref, y->ref);
}
