/* SPDX-License-Identifier: MIT */
/* <inttypes.h> for lib/fdt in the hypervisor (hv/hv.mk): aarch64 is LP64. */
#ifndef HV_LIBFDT_ENV_INTTYPES_H
#define HV_LIBFDT_ENV_INTTYPES_H

#include <stdint.h>

#define PRIx64 "lx"
#define PRIu64 "lu"

#endif
