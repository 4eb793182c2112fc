/* SPDX-License-Identifier: MIT */
/*
 * <stdlib.h> for libfdt's libfdt_env.h in the hypervisor's freestanding
 * build (hv/hv.mk): nothing. The files built (not fdt_overlay.c, which needs
 * strtoul) use none of it.
 */
#ifndef HV_LIBFDT_ENV_STDLIB_H
#define HV_LIBFDT_ENV_STDLIB_H

#include <stddef.h>

#endif
