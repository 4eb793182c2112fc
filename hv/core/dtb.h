/* SPDX-License-Identifier: MIT */
/*
 * A minimal reader of the flattened device tree (Devicetree Specification
 * v0.4, chapter 5 "Flattened Devicetree (DTB) Format") for what the
 * hypervisor needs at boot: RAM banks, CPUs, reserved ranges, bootargs.
 * Every offset and length is checked against the blob's size.
 */
#ifndef HV_CORE_DTB_H
#define HV_CORE_DTB_H

#include "vmcfg/base.h"

#define DTB_MAX_MEM 8
#define DTB_MAX_RESERVED 8
#define DTB_MAX_CPUS 64

struct dtb_range {
	uint64_t base, size;
};

struct dtb_info {
	uint32_t total_size;                          /* bytes of the blob */
	struct dtb_range mem[DTB_MAX_MEM];            /* device_type = "memory" reg entries */
	uint32_t mem_count;
	struct dtb_range reserved[DTB_MAX_RESERVED];  /* the memory reservation block */
	uint32_t reserved_count;
	uint64_t cpu_mpidr[DTB_MAX_CPUS];             /* reg of device_type = "cpu" nodes */
	uint32_t cpu_count;
	const char *bootargs;                         /* /chosen/bootargs, or "" */
};

/* True when blob starts with a DTB header this reader understands (version >= 16). */
bool dtb_valid(const void *blob);

/*
 * Reads blob into *info. Returns 0; VMCFG_EINVAL when the header is not a
 * DTB; VMCFG_ESYNTAX when the structure is malformed (an offset or length
 * outside the blob, a bad token, unbalanced nodes); VMCFG_ELIMIT when it
 * has more RAM banks, reservations or CPUs than the arrays above hold.
 */
int dtb_read(const void *blob, struct dtb_info *info);

#endif
