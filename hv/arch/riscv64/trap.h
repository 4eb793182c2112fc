/* SPDX-License-Identifier: MIT */
/* Guest exits: dispatch by scause to the handlers (trap.c), SBI for guests (vsbi.c). */
#ifndef HV_ARCH_RISCV64_TRAP_H
#define HV_ARCH_RISCV64_TRAP_H

#include <stdbool.h>
#include <stddef.h>

#include "arch/riscv64/vcpu.h"

/*
 * Handles the exit just taken (v->scause, stval, htval, htinst read).
 * Either the vCPU can run on (its registers updated), or its VM is stopped
 * with a report. Never returns to a guest that would repeat the same fault.
 */
void trap_handle(struct vcpu *v);

/* An ecall from VS-mode: the SBI call in a7/a6/a0-a5 (vsbi.c); sepc is advanced. */
void vsbi_call(struct vcpu *v);

/* The guest waits (WFI, HSM retentive suspend): yields or sleeps the hart (vcpu.c). */
void vcpu_wait(struct vcpu *v);

#endif
