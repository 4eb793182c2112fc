/* SPDX-License-Identifier: MIT */
/*
 * The physical GICv3 set-up the hypervisor needs for the interrupts it
 * takes itself, each a Group 1 IRQ to EL2 through the system-register CPU
 * interface: its time slice (the EL2 physical timer, Arm ARM D11 "The
 * Generic Timer"), the running vCPU's virtual timer and the virtual CPU
 * interface's maintenance interrupt (both for vgic.c), a kick SGI
 * between CPUs, and the SPIs passed through to VMs (interrupt_mode
 * "passthrough": vgic.c gives each to its VM as a hardware interrupt).
 * Guests' interrupts are virtual (vgic.c). The CPU interface
 * runs with EOImode = 1: EOIR only drops the priority and each interrupt is
 * deactivated on its own (ICC_DIR_EL1), so the virtual timer's PPI can stay
 * active while its guest handles it.
 */
#ifndef HV_ARCH_AARCH64_GIC_H
#define HV_ARCH_AARCH64_GIC_H

#include <stdbool.h>
#include <stdint.h>

/* INTIDs (Arm Base System Architecture for the PPIs). */
#define GIC_INTID_KICK 1         /* SGI: "re-enter your guest, its interrupts changed" */
#define GIC_INTID_MAINTENANCE 25 /* the virtual CPU interface's maintenance interrupt */
#define GIC_INTID_CNTHP 26       /* the EL2 physical timer: the time slice */
#define GIC_INTID_VTIMER 27      /* the EL1 virtual timer of the vCPU running */
#define GIC_INTID_PTIMER 30      /* the EL1 physical timer: the running vCPU's emulated one's deadline (ptimer.c) */

/* Boot CPU, once: the distributor (affinity routing and Group 1 on). */
void gic_dist_init(void);

/*
 * Every CPU, for itself: wakes its redistributor, enables the INTIDs
 * above there and opens its CPU interface. Panics when no redistributor
 * matches the CPU's MPIDR: without its slice timer a CPU cannot share
 * itself between vCPUs.
 */
void gic_cpu_init(uint64_t mpidr);

/* Arms this CPU's slice timer (CNTHP) for one time slice from now. */
void gic_slice_start(void);

/* Disarms it. */
void gic_slice_stop(void);

/*
 * Sleeps this CPU (WFI, interrupts masked) until an interrupt is pending
 * for it, or for at most 1 ms; the interrupt stays pending for the next
 * guest entry, where it exits as usual. For a vCPU alone on its CPU that
 * waits (trap.c).
 */
void gic_wait(void);

/*
 * A physical IRQ was taken to EL2: acknowledges it and drops its priority
 * (the slice timer disarmed first); deactivates it, except the virtual
 * timer's PPI and SPIs, which stay active for the vCPU or VM they belong
 * to (vgic.c: a HW = 1 list register, so the guest's deactivation
 * completes it). Returns its INTID; 1023 when spurious.
 */
uint32_t gic_take_irq(void);

/*
 * gic_take_irq, and deactivates the virtual timer's PPI too (no vCPU to
 * give it to); an SPI goes to its VM (vgic_spi_fired).
 */
uint32_t gic_handle_irq(void);

/* Deactivates intid, taken and priority-dropped by gic_take_irq (ICC_DIR_EL1). */
void gic_deactivate(uint32_t intid);

/* The active state of this CPU's SGI or PPI intid, read and set at its redistributor. */
bool gic_ppi_active(uint32_t intid);
void gic_ppi_set_active(uint32_t intid, bool active);

/*
 * Sleeps this CPU, which has no runnable vCPU, until an interrupt: the kick
 * that a guest CPU_ON of one of its vCPUs or the last VM's end sends (no
 * timer: an idle CPU stays asleep). Acknowledges what woke it.
 */
void gic_idle(void);

/* Sends the kick SGI to the CPU with affinity mpidr. */
void gic_kick(uint64_t mpidr);

/* Whether intid is an SPI (INTIDs 32-1019): a device's, passed through to a VM (vgic.c). */
static inline bool gic_is_spi(uint32_t intid)
{
	return intid >= 32 && intid < 1020;
}

/*
 * A passed-through SPI: Group 1, priority 0x80, routed to the CPU with
 * affinity mpidr (GICD_IROUTER), enabled. Its trigger type stays as the
 * firmware left it (QEMU: level).
 */
void gic_spi_route(uint32_t intid, uint64_t mpidr);

/*
 * An SPI taken (gic_take_irq): the console UART's while the hypervisor
 * takes its input (console_input.h), else a passed-through device's, for
 * its VM (vgic_spi_fired).
 */
void gic_spi_fired(uint32_t intid);

/* Disables SPI intid and clears its pending and active state at the distributor. */
void gic_spi_release(uint32_t intid);

/*
 * Deactivates SPI intid at the distributor (GICD_ICACTIVER): from any CPU,
 * for an SPI whose virtual copy the guest no longer holds.
 */
void gic_spi_deactivate(uint32_t intid);

#endif
