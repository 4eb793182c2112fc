/* SPDX-License-Identifier: MIT */
/*
 * The C library functions the freestanding build needs: memcpy, memmove,
 * memset, memcmp, strlen for everything; the rest for libfdt and lib/fdt
 * (hv/libfdt-env).
 * EL2 runs with its MMU off, so every access is to Device memory and must be
 * naturally aligned: bulk work uses 8-byte accesses only when both pointers
 * allow it, bytes otherwise. hv.mk builds this file with
 * -fno-tree-loop-distribute-patterns so GCC cannot turn these loops back
 * into calls to themselves.
 */
#include <stdarg.h>
#include <stdint.h>

#include "core/heap.h"
#include "core/libc.h"
#include "libfdt-env/stdio.h"
#include "libfdt-env/stdlib.h"

static int both_aligned(const void *a, const void *b)
{
	return (((uintptr_t)a | (uintptr_t)b) & 7) == 0;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if (both_aligned(d, s)) {
		/* 64 bytes a round, all loads before the stores: ldp/stp pairs, little loop overhead. */
		for (; n >= 64; n -= 64, d += 64, s += 64) {
			const uint64_t *from = (const uint64_t *)(const void *)s;
			uint64_t *to = (uint64_t *)(void *)d;
			uint64_t w0 = from[0], w1 = from[1], w2 = from[2], w3 = from[3];
			uint64_t w4 = from[4], w5 = from[5], w6 = from[6], w7 = from[7];

			to[0] = w0, to[1] = w1, to[2] = w2, to[3] = w3;
			to[4] = w4, to[5] = w5, to[6] = w6, to[7] = w7;
		}
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(uint64_t *)(void *)d = *(const uint64_t *)(const void *)s;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if ((uintptr_t)d <= (uintptr_t)s || (uintptr_t)d >= (uintptr_t)s + n)
		return memcpy(dst, src, n); /* a forward copy never overwrites unread bytes */
	/* Overlapping with dst above src: copy from the end. */
	d += n;
	s += n;
	if (both_aligned(d, s))
		for (; n >= 8; n -= 8) {
			d -= 8;
			s -= 8;
			*(uint64_t *)(void *)d = *(const uint64_t *)(const void *)s;
		}
	while (n--)
		*--d = *--s;
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
	uint64_t pattern = 0x0101010101010101ull * (uint8_t)c;

	for (; n && ((uintptr_t)d & 7); n--)
		*d++ = (uint8_t)c;
	/* 64 bytes a round: zeroing guest RAM is most of a VM's creation time. */
	for (; n >= 64; n -= 64, d += 64) {
		uint64_t *w = (uint64_t *)(void *)d;

		w[0] = w[1] = w[2] = w[3] = w[4] = w[5] = w[6] = w[7] = pattern;
	}
	for (; n >= 8; n -= 8, d += 8)
		*(uint64_t *)(void *)d = pattern;
	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

/*
 * A word at a time once aligned (the hypervisor builds with -mstrict-align):
 * a boot with vms= scans each VM file of its system for the names it needs
 * (core/vm_boot.c), and under TCG every instruction counts.
 */
void *memchr(const void *s, int c, size_t n)
{
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	const uint64_t pattern = ones * (uint8_t)c;
	const uint8_t *p = s;

	for (; n && ((uintptr_t)p & 7); n--, p++)
		if (*p == (uint8_t)c)
			return (void *)(uintptr_t)p;
	for (; n >= 8; n -= 8, p += 8) {
		uint64_t x = *(const uint64_t *)(const void *)p ^ pattern;

		if ((x - ones) & ~x & highs) /* a zero byte: c is in this word */
			break;
	}
	for (; n; n--, p++)
		if (*p == (uint8_t)c)
			return (void *)(uintptr_t)p;
	return NULL;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	do {
		if (*s == (char)c)
			last = s;
	} while (*s++);
	return (char *)(uintptr_t)last;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)(uintptr_t)s;
		if (!*s)
			return NULL;
	}
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

size_t strspn(const char *s, const char *accept)
{
	size_t n = 0;

	while (s[n] && strchr(accept, s[n]))
		n++;
	return n;
}

/*
 * malloc & co. for lib/fdt, over hv_heap (whole frames a block: lib/fdt
 * allocates a few hundred blocks a guest DT). A header before each block
 * keeps its size, which hv_heap's free and resize need.
 */
#define BLOCK_HEADER 16 /* keeps blocks 16-byte aligned, as malloc's are */

void *malloc(size_t size)
{
	uint8_t *p;

	if (size > SIZE_MAX - BLOCK_HEADER)
		return NULL;
	p = hv_heap.fn(hv_heap.ud, NULL, 0, size + BLOCK_HEADER);
	if (!p)
		return NULL;
	*(size_t *)(void *)p = size;
	return p + BLOCK_HEADER;
}

void *calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size)
		return NULL;
	p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void free(void *ptr)
{
	uint8_t *p = ptr;

	if (p)
		hv_heap.fn(hv_heap.ud, p - BLOCK_HEADER, *(size_t *)(void *)(p - BLOCK_HEADER) +
							 BLOCK_HEADER, 0);
}

void *realloc(void *ptr, size_t size)
{
	uint8_t *p = ptr;
	size_t old;

	if (!p)
		return malloc(size);
	if (!size) {
		free(ptr);
		return NULL;
	}
	if (size > SIZE_MAX - BLOCK_HEADER)
		return NULL;
	old = *(size_t *)(void *)(p - BLOCK_HEADER);
	p = hv_heap.fn(hv_heap.ud, p - BLOCK_HEADER, old + BLOCK_HEADER, size + BLOCK_HEADER);
	if (!p)
		return NULL;
	*(size_t *)(void *)p = size;
	return p + BLOCK_HEADER;
}

/*
 * A stable sort (insertion, by swapping bytes): glibc's qsort is a merge
 * sort, so stable, and equal keys must come out in the host's order for
 * the guest DT to be the CLI's byte for byte. lib/fdt sorts at most a
 * DT's nodes.
 */
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	uint8_t *a = base;

	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && cmp(a + (j - 1) * size, a + j * size) > 0; j--)
			for (size_t k = 0; k < size; k++) {
				uint8_t t = a[(j - 1) * size + k];

				a[(j - 1) * size + k] = a[j * size + k];
				a[j * size + k] = t;
			}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return (int)vmcfg_vsnprintf(buf, size, fmt, ap);
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
