/* SPDX-License-Identifier: MIT */
/*
 * <string.h> for libfdt's libfdt_env.h in the hypervisor's freestanding
 * build (hv/hv.mk): the functions hv/core/libc.c supplies.
 */
#ifndef HV_LIBFDT_ENV_STRING_H
#define HV_LIBFDT_ENV_STRING_H

#include "core/libc.h"

#endif
