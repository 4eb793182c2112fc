/* SPDX-License-Identifier: MIT */
/*
 * Inter-VM channels: the system's IVC registry (lib/ivc), its access
 * control from the system file's [[ivc]] declarations, and the guests'
 * IVC hypercalls. Channels are mapped into and out of running VMs' stage-2
 * tables; every removal is followed by the architecture's TLB invalidation
 * (hv_arch_stage2_unmapped) before the frames can be reused.
 */
#ifndef HV_CORE_IVC_H
#define HV_CORE_IVC_H

#include "core/vm.h"
#include "vmcfg/check.h"

/* Prepares the registry for sys's declarations (sys outlives it). 0 or VMCFG_E*. */
int hv_ivc_init(const struct vmcfg_system *sys);

/* Lets hv take part (its IVC window, possibly empty). 0 or VMCFG_E*. */
int hv_ivc_attach(struct hv_vm *hv);

/* Takes hv out again before it ever ran (its creation failed after hv_ivc_attach). */
void hv_ivc_detach(struct hv_vm *hv);

/*
 * Before any VM runs: sets up the system's `static = true` channels for
 * the created VMs vms[0..count) in declaration order — publishes each on
 * behalf of its publisher, then subscribes its subscribers with their
 * declared access — through the registry, so the access control is that
 * of the hypercalls. Each mapping goes exactly where the placement
 * rule (vmcfg_ivc_static_find) puts it — every VM's static channels packed
 * from the start of its IVC window in declaration order, each
 * page-rounded — the rule `vmcfg dtb --system` describes in the guest DT.
 * Each mapping is logged. A channel whose publisher was not created is
 * skipped, as is a subscriber not created (their places stay free).
 * Returns the number of failed steps (each reported).
 */
size_t hv_ivc_setup_static(const struct vmcfg_system *sys, struct hv_vm *vms, size_t count);

/*
 * Once no CPU runs a VM: takes every VM out (unmapping, with TLB
 * invalidation, whatever they still map) and frees the registry.
 */
void hv_ivc_destroy(void);

/*
 * An IVC hypercall of vCPU v: x[0] the code 3..6 (publish, subscribe,
 * unpublish, unsubscribe), x[1..4] its arguments, as the architecture's
 * calling convention gives them (aarch64 HVC: x0..x4; riscv64 SBI
 * extension 0x485643: a6, then a0..a3). Runs it through
 * vmcfg_ivc_hypercall — which checks every guest pointer — and puts the
 * result (0 or a negative VMCFG_E* code) in *out, which may alias x[0]. A
 * subscribe to a channel not published yet gives the CPU up, so the
 * publisher can run before the guest retries. Returns false, changing
 * nothing, for any other code.
 */
bool hv_ivc_call(struct vcpu *v, const uint64_t x[5], uint64_t *out);

#endif
