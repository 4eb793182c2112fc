/* SPDX-License-Identifier: MIT */
/*
 * The C library functions the core library (lib/base/libc.h), libfdt
 * (hv/libfdt-env) and the hypervisor use, supplied here because the
 * hypervisor links no libc.
 */
#ifndef HV_CORE_LIBC_H
#define HV_CORE_LIBC_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
/* For libfdt and lib/fdt: */
void *memchr(const void *s, int c, size_t n);
size_t strnlen(const char *s, size_t max);
char *strrchr(const char *s, int c);
char *strchr(const char *s, int c);
int strcmp(const char *a, const char *b);
size_t strspn(const char *s, const char *accept);
/* malloc & co., qsort (hv/libfdt-env/stdlib.h), snprintf, vsnprintf (stdio.h) are here too. */

#endif
