/* SPDX-License-Identifier: MIT */
/*
 * The EL1 physical timer of a vCPU (CNTP_CTL_EL0, CNTP_CVAL_EL0,
 * CNTP_TVAL_EL0; Arm ARM D11 "The Generic Timer"), emulated on trap:
 * CNTHCTL_EL2.EL1PCEN = 0 sends every guest access here (ptimer.c). Its
 * interrupt is PPI 30, delivered through the VM's vGIC.
 */
#ifndef HV_ARCH_AARCH64_PTIMER_H
#define HV_ARCH_AARCH64_PTIMER_H

#include <stdbool.h>
#include <stdint.h>

/* The non-secure EL1 physical timer's PPI (Arm BSA: INTID 30). */
#define PTIMER_INTID 30

struct vcpu;

/* A vCPU's emulated timer: what the guest wrote (zero at vCPU reset: disabled). */
struct ptimer {
	uint64_t ctl;  /* ENABLE [0], IMASK [1]; ISTATUS is computed on read */
	uint64_t cval; /* the compare value, in the guest's physical count */
};

/*
 * A trapped MSR/MRS by v with syndrome iss (ESR_EL2.ISS, EC 0x18): when it
 * is one of the CNTP_* registers, emulates it, steps over the instruction
 * and returns true; false for any other register (nothing done).
 */
bool ptimer_trap(struct vcpu *v, uint64_t iss);

/*
 * v becomes the context of this CPU (vcpu_load): arms the hardware timer
 * for v's deadline, or raises v's PPI when the deadline passed while v was
 * switched out.
 */
void ptimer_load(struct vcpu *v);

/* v leaves this CPU (vcpu_put): the hardware timer is disarmed; v keeps its deadline. */
void ptimer_put(struct vcpu *v);

/*
 * The hardware timer fired while v ran (PPI 30 taken at EL2; gic_take_irq
 * disarmed it): raises v's PPI if v's timer condition is met, else re-arms.
 */
void ptimer_fired(struct vcpu *v);

#endif
