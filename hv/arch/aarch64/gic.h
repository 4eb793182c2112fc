/*
 * The minimal GICv3 set-up the hypervisor needs for its own time slice:
 * one interrupt, the EL2 physical timer's PPI 26 (CNTHP, Arm ARM D11
 * "The Generic Timer"), delivered as a Group 1 IRQ to EL2 through the
 * system-register CPU interface. Nothing is virtualised: guests get no
 * interrupts (interrupt_mode "no_irq"), so no list registers are used.
 */
#ifndef HV_ARCH_AARCH64_GIC_H
#define HV_ARCH_AARCH64_GIC_H

#include <stdbool.h>
#include <stdint.h>

/* Boot CPU, once: the distributor (affinity routing and Group 1 on). */
void gic_dist_init(void);

/*
 * Every CPU, for itself: wakes its redistributor, enables PPI 26 there and
 * opens its CPU interface. Panics when no redistributor matches the CPU's
 * MPIDR: without its slice timer a CPU cannot share itself between vCPUs.
 */
void gic_cpu_init(uint64_t mpidr);

/* Arms this CPU's slice timer (CNTHP) for one time slice from now. */
void gic_slice_start(void);

/* Disarms it. */
void gic_slice_stop(void);

/*
 * A physical IRQ was taken to EL2: acknowledges it. Returns true when it
 * was the slice timer (the running vCPU's slice is over).
 */
bool gic_handle_irq(void);

#endif
