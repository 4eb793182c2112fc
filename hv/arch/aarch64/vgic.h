/* SPDX-License-Identifier: MIT */
/*
 * A virtual GICv3 per VM (interrupt_mode "emu" with an InterruptController
 * device, and every VM with interrupt_mode "passthrough", which gets the
 * host's SPIs of its passthrough devices through it): the distributor
 * and one redistributor per vCPU are emulated (never mapped in stage 2),
 * the CPU interface is the hardware's virtual
 * one (ICH_*_EL2 list registers, Arm IHI 0069 chapter 12.4 / 12.5).
 * Register semantics are in vgic.c.
 */
#ifndef HV_ARCH_AARCH64_VGIC_H
#define HV_ARCH_AARCH64_VGIC_H

#include <stdbool.h>
#include <stdint.h>

#include "core/spinlock.h"
#include "vmcfg/vm.h"

#define VGIC_MAX_VCPUS 4
#define VGIC_NR_SPIS VMCFG_VGIC_NR_SPIS /* 64: INTIDs 32..95 (GICD_TYPER.ITLinesNumber = 2) */
#define VGIC_MAX_LRS 16 /* ICH_LR0..15_EL2 */

/* Where the guest's redistributors are: QEMU virt's frames, as lib/fdt's guest DT says. */
#define VGIC_GICR_BASE 0x080a0000ull

/* The architected virtual timer's PPI (Arm BSA: INTID 27). */
#define VGIC_INTID_VTIMER 27

/* One virtual interrupt's state. */
struct virq {
	uint8_t priority; /* GICD/GICR_IPRIORITYR byte */
	bool group1;      /* IGROUPR bit */
	bool enabled;
	bool edge;        /* ICFGR: edge-triggered (else level-sensitive) */
	bool line;        /* level-sensitive: the device's output (pending while high) */
	bool latch;       /* edge, SGI, or ISPENDR: pending until acknowledged */
	bool active;
	bool hw;          /* the virtual timer's: HW = 1 while its physical PPI is active (vgic.c) */
	bool hw_spi;      /* a passed-through SPI whose physical INTID is active for this one (vgic.c) */
	uint8_t target;   /* SPIs: the vCPU IROUTER names, VGIC_NO_TARGET for none */
	uint64_t irouter;
};
#define VGIC_NO_TARGET 0xff

/* A redistributor and the list registers as last filled for its vCPU. */
struct vgic_cpu {
	struct virq irqs[32]; /* SGIs 0-15 and PPIs 16-31 are banked per vCPU */
	bool asleep;          /* GICR_WAKER.ProcessorSleep */
	struct virq *lr_irq[VGIC_MAX_LRS];
	/* The list register took over the interrupt's pending latch (ISPENDR, an edge, a SGI). */
	bool lr_latched[VGIC_MAX_LRS];
	uint32_t lr_used;
	/*
	 * The last flush found nothing to deliver (every list register written
	 * invalid) at vgic.gen == flushed_gen: until gen moves, the next flush
	 * would find the same, so it only re-enables the CPU interface (if no
	 * other vCPU has written this CPU's list registers meanwhile).
	 */
	bool idle;
	uint32_t flushed_gen;
};

struct hv_vm;
struct vcpu;

struct vgic {
	bool on;            /* the VM has an emulated GIC */
	struct hv_vm *vm;
	struct spinlock lock; /* taken inside hv_vm.lock (MMIO dispatch), never around it */
	uint32_t ctlr;      /* GICD_CTLR.EnableGrp0/EnableGrp1 */
	uint32_t gen;       /* bumped (under lock) by every change that may alter what is deliverable */
	struct virq spis[VGIC_NR_SPIS];
	struct vgic_cpu cpu[VGIC_MAX_VCPUS];
};

/*
 * lib/vm's device factory (vm_create_opts.device_factory, ud = the
 * struct hv_vm): builds the emulated GIC for an InterruptController
 * device — the distributor at its base (64 KiB), the redistributors at
 * VGIC_GICR_BASE (128 KiB per vCPU). VMCFG_ENOSYS for other types.
 */
int vgic_device_factory(void *ud, struct vmcfg_vm *vm, const struct vmcfg_vm_emu_device *dev);

/* Fills the list registers for v and enables the virtual CPU interface (before entry). */
void vgic_flush(struct vcpu *v);

/* Reads the list registers back into the interrupt state (after an exit). */
void vgic_sync(struct vcpu *v);

/*
 * The virtual timer of the running vCPU v fired: physical PPI 27 taken at
 * EL2 and priority-dropped, still active (gic_take_irq). Makes virtual PPI
 * 27 pending and leaves the physical one active for v; deactivates it when
 * v's timer is not asserting it (any more).
 */
void vgic_vtimer_fired(struct vcpu *v);

/*
 * The level of v's PPI intid (16..31) as its device drives it: v's
 * emulated physical timer (ptimer.c). Called on v's own CPU (the next
 * entry delivers it, no kick); nothing without a vGIC.
 */
void vgic_ppi_line(struct vcpu *v, uint32_t intid, bool level);

/* A trapped write of ICC_SGI1R_EL1 by v: raises the SGI at its targets. */
void vgic_sgi(struct vcpu *v, uint64_t value);

/*
 * interrupt_mode "passthrough": claims the host SPIs of hv's VM
 * (vm->spis, from its passthrough devices) for it. An SPI belongs to one
 * VM: one another VM holds is refused (reported; VMCFG_EBUSY) and nothing
 * is claimed. One beyond the vGIC's VGIC_NR_SPIS is not routed (reported;
 * the checker's W0405). Returns 0 also for a VM with none.
 */
int vgic_claim_spis(struct hv_vm *hv);

/*
 * Routes hv's claimed SPIs to the CPU of its vCPU 0 and enables them at
 * the physical distributor (after placement: sched_place).
 */
void vgic_route_spis(struct hv_vm *hv);

/* Disables hv's SPIs at the distributor and gives them up (hv_vm_destroy). */
void vgic_release_spis(struct hv_vm *hv);

/*
 * Physical SPI intid was taken at EL2 and priority-dropped, still active
 * (gic_take_irq): made pending in its VM's vGIC as a hardware interrupt
 * (HW = 1, pINTID = intid), so the guest's deactivation deactivates the
 * physical one; a vCPU it targets on another CPU is kicked.
 */
void vgic_spi_fired(uint32_t intid);

/*
 * After a guest access (a write when write, else a read) at offset off of
 * the emulated device dev of hv (hv->lock held): an emulated PL011 with an
 * irq_id drives that SPI with its UARTMIS.
 */
void vgic_device_accessed(struct hv_vm *hv, const struct vmcfg_vm_bus_entry *dev, uint64_t off,
			  bool write);

#endif
