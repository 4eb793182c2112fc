/* SPDX-License-Identifier: MIT */
/* Guest exits: dispatch by exception class (ESR_EL2.EC) to the handlers. */
#ifndef HV_ARCH_AARCH64_TRAP_H
#define HV_ARCH_AARCH64_TRAP_H

#include <stdbool.h>
#include <stddef.h>

#include "arch/aarch64/vcpu.h"

/*
 * Handles the exit guest_enter reported as kind (GUEST_EXIT_*), with v->esr,
 * far and hpfar read. Either the vCPU can run on (its registers updated), or
 * its VM is stopped with a report. Never returns to a guest that would
 * repeat the same fault.
 */
void trap_handle(struct vcpu *v, uint64_t kind);

/*
 * An MRS of the ID register space trapped by HCR_EL2.TID3 (ISS of EC 0x18):
 * answers it from this CPU's guest view (idreg.c) and returns true; false
 * for any other system register access.
 */
bool idreg_trap(struct vcpu *v, uint64_t iss);

/* PSCI calls from a guest (HVC, or SMC trapped by HCR_EL2.TSC): vpsci.c. */
void vpsci_call(struct vcpu *v);

#endif
