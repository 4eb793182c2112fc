/* SPDX-License-Identifier: MIT */
/* aarch64's side of core/arch.h: the types and constants core code uses. */
#ifndef HV_ARCH_AARCH64_ARCH_TYPES_H
#define HV_ARCH_AARCH64_ARCH_TYPES_H

#include "arch/aarch64/cpu.h"
#include "arch/aarch64/vcpu.h"
#include "arch/aarch64/vgic.h"
#include "platform/qemu-virt/platform.h"

#define HV_ARCH_VMCFG VMCFG_ARCH_AARCH64
#define HV_ARCH_STAGE2_OPTIONS PLAT_STAGE2_OPTIONS
#define HV_ARCH_RESET_CALL "PSCI SYSTEM_RESET" /* the guest call that resets its VM, for the log */
#define HV_ARCH_CPU_ID_NAME "MPIDR"            /* what names a CPU in the device tree, for the log */
#define HV_ARCH_CPU_START_CALL "PSCI CPU_ON"   /* how the hypervisor starts one, for the log */

/* VTTBR_EL2 (with the VMID) and VTCR_EL2; its emulated GIC (vgic.on) when it has one. */
#define HV_ARCH_VM_FIELDS      \
	uint64_t vttbr, vtcr; \
	struct vgic vgic;

#endif
