/* SPDX-License-Identifier: MIT */
/* riscv64's side of core/arch.h: the types and constants core code uses. */
#ifndef HV_ARCH_RISCV64_ARCH_TYPES_H
#define HV_ARCH_RISCV64_ARCH_TYPES_H

#include "arch/riscv64/cpu.h"
#include "arch/riscv64/vcpu.h"
#include "arch/riscv64/vplic.h"
#include "vmcfg/aspace.h"

#define HV_ARCH_VMCFG VMCFG_ARCH_RISCV64
/*
 * 4 KiB leaves, as on aarch64: QEMU's TCG two-stage TLB (platform/qemu-virt/platform.h).
 * No memory type in G-stage leaves: the platform's PMAs make device windows
 * I/O, and a leaf with PBMT bits is invalid on a hart without Svpbmt (QEMU
 * 7.2's default CPU, whose henvcfg.PBMTE is writable all the same).
 */
#define HV_ARCH_STAGE2_OPTIONS (VMCFG_ASPACE_4K_ONLY | VMCFG_ASPACE_NO_MEMTYPE)
#define HV_ARCH_RESET_CALL "SBI SRST system_reset"
#define HV_ARCH_CPU_ID_NAME "hart"
#define HV_ARCH_CPU_START_CALL "SBI HSM hart_start"

/* hgatp (mode, VMID, root); its virtual PLIC when it has one. */
#define HV_ARCH_VM_FIELDS \
	uint64_t hgatp;   \
	struct vplic vplic;

#endif
