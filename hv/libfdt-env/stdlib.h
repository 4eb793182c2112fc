/* SPDX-License-Identifier: MIT */
/*
 * <stdlib.h> for libfdt's libfdt_env.h and lib/fdt in the hypervisor's
 * freestanding build (hv/hv.mk): the allocation and sorting functions
 * hv/core/libc.c supplies (libfdt's files built use none of it; not
 * fdt_overlay.c, which needs strtoul).
 */
#ifndef HV_LIBFDT_ENV_STDLIB_H
#define HV_LIBFDT_ENV_STDLIB_H

#include <stddef.h>

void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void *realloc(void *ptr, size_t size);
void free(void *ptr);
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

#endif
