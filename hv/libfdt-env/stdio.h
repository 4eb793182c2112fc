/* SPDX-License-Identifier: MIT */
/* <stdio.h> for lib/fdt in the hypervisor (hv/hv.mk): formatting only, hv/core/libc.c's. */
#ifndef HV_LIBFDT_ENV_STDIO_H
#define HV_LIBFDT_ENV_STDIO_H

#include <stdarg.h>
#include <stddef.h>

int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
