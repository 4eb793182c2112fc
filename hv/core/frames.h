/* SPDX-License-Identifier: MIT */
/*
 * The physical frame allocator: every RAM frame the device tree reports,
 * minus the hypervisor image, the DTB and the firmware's reservations. It is
 * the hypervisor's side of include/vmcfg/hal.h: the library (address spaces,
 * VM creation) gets its frames through frames_hal().
 */
#ifndef HV_CORE_FRAMES_H
#define HV_CORE_FRAMES_H

#include "core/dtb.h"
#include "vmcfg/hal.h"

/*
 * Sets the allocator up over info's RAM banks with [busy[i].base,
 * busy[i].base + busy[i].size) in use for good (the image, the DTB). Its
 * bitmap takes frames after the image. Returns 0, VMCFG_EINVAL when RAM is
 * missing or unaligned, VMCFG_ENOMEM when the bitmap does not fit.
 */
int frames_init(const struct dtb_info *info, const struct dtb_range *busy, size_t busy_count);

/* The HAL over the allocator; phys_to_virt is the identity (EL2 MMU off). */
const struct vmcfg_hal *frames_hal(void);

/* Frames free now, and managed in all. */
size_t frames_free(void);
size_t frames_total(void);

#endif
