/* SPDX-License-Identifier: MIT */
/*
 * <limits.h> for libfdt's libfdt_env.h in the hypervisor's freestanding
 * build (hv/hv.mk), from the compiler's predefined macros: the cross
 * compiler's own <limits.h> reaches for the host C library's.
 */
#ifndef HV_LIBFDT_ENV_LIMITS_H
#define HV_LIBFDT_ENV_LIMITS_H

#define INT_MAX __INT_MAX__
#define UINT_MAX (__INT_MAX__ * 2u + 1u)

#endif
