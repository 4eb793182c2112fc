/* SPDX-License-Identifier: MIT */
/*
 * Physical CPUs share themselves between vCPUs. Each vCPU is placed on one
 * physical CPU for its life, chosen by its affinity (phys_cpu_sets through
 * lib/config's affinity contract, as lib/vm's vCPU plan carries it): the
 * least loaded online CPU its mask allows. Each CPU runs its vCPUs
 * round-robin; a vCPU gives its CPU up when its time slice ends (the EL2
 * physical timer), when it waits (WFI/WFE), when a hypercall it made has
 * to wait for another VM, and when it turns itself off.
 */
#ifndef HV_CORE_SCHED_H
#define HV_CORE_SCHED_H

#include "core/vm.h"

/*
 * Places hv's vCPUs on online CPUs. Returns 0, or VMCFG_EINVAL when a
 * vCPU's mask names no online CPU and VMCFG_ELIMIT when a CPU has no room
 * left (each reported; nothing is placed then).
 */
int sched_place(struct hv_vm *hv);

/*
 * Boot CPU: lets the other CPUs start scheduling, schedules its own vCPUs
 * until no VM is live, then waits until every CPU has stopped touching
 * VMs. Afterwards the VMs may be destroyed.
 */
void sched_run_all(void);

/* Secondary CPUs: wait for sched_run_all, then schedule until no VM is live. */
void sched_secondary(void);

#endif
