/* SPDX-License-Identifier: MIT */
/*
 * The only C library functions the freestanding core may call. The
 * embedder (or the host's libc) supplies them; `make freestanding`
 * enforces that nothing else is referenced.
 */
#ifndef VMCFG_LIB_BASE_LIBC_H
#define VMCFG_LIB_BASE_LIBC_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

#endif
