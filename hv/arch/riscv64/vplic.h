/* SPDX-License-Identifier: MIT */
/*
 * The virtual PLIC of a VM with interrupt_mode "emu" or "passthrough" (vplic.c): the guest
 * DT's interrupt controller (lib/fdt, include/vmcfg/check.h VMCFG_VPLIC_*):
 * at an InterruptController device's base_gpa when the VM has one, else at
 * QEMU virt's 0x0c00_0000; emulated on the VM's bus, delivered to each
 * vCPU's S-mode context as hvip.VSEIP.
 */
#ifndef HV_ARCH_RISCV64_VPLIC_H
#define HV_ARCH_RISCV64_VPLIC_H

#include <stdbool.h>
#include <stdint.h>

#include "core/spinlock.h"
#include "vmcfg/vm.h"

#include "vmcfg/check.h"

#define VPLIC_SOURCES (VMCFG_VPLIC_NDEV + 1) /* source 0 does not exist */
#define VPLIC_WORDS ((VPLIC_SOURCES + 31) / 32)
#define VPLIC_MAX_CONTEXTS VMCFG_VPLIC_MAX_CONTEXTS /* two per vCPU (M, S) as QEMU's PLIC: the odd one is S */

struct hv_vm;
struct vcpu;

struct vplic {
	bool on;
	struct hv_vm *vm;
	struct spinlock lock;
	uint32_t priority[VPLIC_SOURCES];
	/* Bitmaps of sources, 32 a word as the registers hold them. */
	uint32_t line[VPLIC_WORDS];    /* level of each source's input */
	uint32_t pending[VPLIC_WORDS]; /* gateway: pending, not yet claimed */
	uint32_t claimed[VPLIC_WORDS]; /* claimed, not yet completed */
	uint32_t enable[VPLIC_MAX_CONTEXTS][VPLIC_WORDS];
	uint32_t threshold[VPLIC_MAX_CONTEXTS];
};

/* lib/vm's device factory for riscv64 VMs (ud: the struct hv_vm): an InterruptController's vPLIC. */
int vplic_device_factory(void *ud, struct vmcfg_vm *vm, const struct vmcfg_vm_emu_device *dev);

/*
 * After vmcfg_vm_create: a VM with interrupt_mode "emu" and no
 * InterruptController device gets its vPLIC at VMCFG_VPLIC_BASE. 0 or the
 * bus's VMCFG_E* (another device there). One with interrupt_mode
 * "passthrough" gets it there when nothing of the VM is (0 either way).
 */
int vplic_default(struct hv_vm *hv);

/* Source irq's input level changed (hv->vm's lock held or not: the vPLIC has its own). */
void vplic_set_line(struct hv_vm *hv, uint32_t irq, bool level);

/* After a guest access to one of its devices: resamples the console interrupt lines. */
void vplic_device_accessed(struct hv_vm *hv, const struct vmcfg_vm_bus_entry *dev);

#endif
