/* SPDX-License-Identifier: MIT */
/*
 * The allocator the library gets (vmcfg_allocator, lua_Alloc contract) for
 * what it builds at boot: parsed files, diagnostics, vm_configs. Every
 * block is a run of whole frames from the frame allocator: no second
 * allocator to get wrong, at the cost of rounding each block up to 4 KiB,
 * which the few hundred blocks of a boot afford.
 */
#ifndef HV_CORE_HEAP_H
#define HV_CORE_HEAP_H

#include "vmcfg/base.h"

extern const struct vmcfg_allocator hv_heap;

#endif
