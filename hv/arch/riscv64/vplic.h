/* SPDX-License-Identifier: MIT */
/*
 * The virtual PLIC a VM gets for an InterruptController device with
 * interrupt_mode = "emu" (vplic.c): the guest DT's interrupt controller,
 * emulated on the VM's bus, delivered to each vCPU's S-mode context as
 * hvip.VSEIP.
 */
#ifndef HV_ARCH_RISCV64_VPLIC_H
#define HV_ARCH_RISCV64_VPLIC_H

#include <stdbool.h>
#include <stdint.h>

#include "core/spinlock.h"
#include "vmcfg/vm.h"

#define VPLIC_SOURCES 64 /* source 0 does not exist */
#define VPLIC_MAX_CONTEXTS 8 /* two per vCPU (M, S) as QEMU's PLIC: the odd one is S */
#define VPLIC_SIZE 0x4000000ull

struct hv_vm;
struct vcpu;

struct vplic {
	bool on;
	struct hv_vm *vm;
	struct spinlock lock;
	uint32_t priority[VPLIC_SOURCES];
	uint64_t line;    /* level of each source's input */
	uint64_t pending; /* gateway: pending, not yet claimed */
	uint64_t claimed; /* claimed, not yet completed */
	uint64_t enable[VPLIC_MAX_CONTEXTS];
	uint32_t threshold[VPLIC_MAX_CONTEXTS];
	uint64_t base;
};

/* lib/vm's device factory for riscv64 VMs (ud: the struct hv_vm). */
int vplic_device_factory(void *ud, struct vmcfg_vm *vm, const struct vmcfg_vm_emu_device *dev);

/* Source irq's input level changed (hv->vm's lock held or not: the vPLIC has its own). */
void vplic_set_line(struct hv_vm *hv, uint32_t irq, bool level);

/* After a guest access to one of its devices: resamples the console interrupt lines. */
void vplic_device_accessed(struct hv_vm *hv, const struct vmcfg_vm_bus_entry *dev);

#endif
