/* SPDX-License-Identifier: MIT */
/*
 * The host's PLIC (plic.c): the hypervisor keeps it, as the aarch64 one
 * keeps the GIC. A source that a passthrough-mode VM's devices raise (lib/vm's
 * vm->spis, from the host DT) belongs to that VM alone. It is enabled in the
 * S-mode context of the hart that runs the VM's vCPU 0; when it fires, the
 * hypervisor claims it and raises the same source at the VM's vPLIC. The
 * host claim stays open until the guest completes the source at its vPLIC,
 * so the device cannot interrupt again before the guest has served it (the
 * GIC's HW = 1 list registers on aarch64).
 */
#ifndef HV_ARCH_RISCV64_PLIC_H
#define HV_ARCH_RISCV64_PLIC_H

#include <stdbool.h>
#include <stdint.h>

struct hv_vm;

/* This hart's S-mode context takes every source enabled in it (threshold 0). */
void plic_hart_init(void);

/*
 * Takes hv's sources: 0, or VMCFG_EBUSY (logged) when another VM holds one,
 * with none of them taken. Sources the vPLIC does not have are logged and left.
 */
int plic_claim_sources(struct hv_vm *hv);

/* Enables hv's sources at the hart of its vCPU 0 (after placement). */
void plic_route_sources(struct hv_vm *hv);

/* Gives hv's sources back: disabled, an open host claim completed. */
void plic_release_sources(struct hv_vm *hv);

/* The console UART's source for console input (console_input.h): enabled at this hart, or not. */
void plic_console_take(void);
void plic_console_release(void);

/*
 * Claims what is pending at this hart's context and raises it at its
 * owner's vPLIC; the console UART's source goes to console_input_received.
 */
void plic_handle(void);

/* Whether source irq is a host source that hv owns (its vPLIC then drops the line at completion). */
bool plic_is_host_source(const struct hv_vm *hv, uint32_t irq);

/* The guest completed irq at its vPLIC: the host claim is completed. */
void plic_guest_completed(struct hv_vm *hv, uint32_t irq);

/* hv's vPLIC was reset: every open host claim of hv is completed. */
void plic_vm_reset(struct hv_vm *hv);

#endif
