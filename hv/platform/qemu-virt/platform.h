/* SPDX-License-Identifier: MIT */
/*
 * QEMU's aarch64 `virt` machine (QEMU 7.2, -M virt,virtualization=on,gic-version=3):
 * the few facts the hypervisor needs before it has read the device tree.
 * Everything else (RAM, CPUs) comes from the DTB QEMU generates.
 */
#ifndef HV_PLATFORM_QEMU_VIRT_PLATFORM_H
#define HV_PLATFORM_QEMU_VIRT_PLATFORM_H

#include "vmcfg/aspace.h"

/* The PL011 UART the hypervisor writes its console to. */
#define PLAT_UART_BASE 0x09000000ull
/* Its interrupt: SPI 1, INTID 33 (QEMU hw/arm/virt.c, VIRT_UART). */
#define PLAT_UART_INTID 33u

/*
 * The GICv3 frames (QEMU hw/arm/virt.c: VIRT_GIC_DIST, VIRT_GIC_REDIST):
 * fixed for the machine, and the same in the platform DTS.
 */
#define PLAT_GICD_BASE 0x08000000ull
#define PLAT_GICR_BASE 0x080a0000ull
#define PLAT_GICR_SIZE 0x00f60000ull

/*
 * Where QEMU puts the DTB for an ELF image that leaves the start of RAM
 * free: QEMU 7.2 enters an ELF with x0 = 0, so x0 is only trusted when it
 * points at a valid DTB, and this address is used otherwise.
 */
#define PLAT_DTB_FALLBACK 0x40000000ull

/*
 * Guest RAM is mapped at stage 2 with 4 KiB pages only
 * (VMCFG_ASPACE_4K_ONLY), not 2 MiB blocks. QEMU's TCG records a two-stage
 * TLB entry at the larger of its stage-1 and stage-2 page sizes and
 * flushes its whole TLB on a TLBI by VA that falls in such a "large page"
 * range; with blocks at stage 2 every entry is one, so each of a Linux
 * guest's per-page TLBIs emptied the TLB, and every refill is a two-stage
 * walk. 4 KiB pages cost more table memory and, on real hardware, TLB
 * reach: a platform for silicon would use blocks. Measured in
 * BENCHMARKS.md (linux).
 */
#define PLAT_STAGE2_OPTIONS VMCFG_ASPACE_4K_ONLY

/*
 * Whether DC ZVA may zero frames while EL2 runs with its MMU off. There
 * every access is to Device memory, where the architecture makes DC ZVA an
 * Alignment fault; QEMU 7.2's TCG raises none and zeroes the block with
 * one host memset, by far the fastest way to zero under TCG (frames.c).
 * Silicon needs the EL2 MMU on first (hv/README.md, Known limits): 0.
 */
#define PLAT_DC_ZVA_WITH_MMU_OFF 1

#endif
