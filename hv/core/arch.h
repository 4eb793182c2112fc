/* SPDX-License-Identifier: MIT */
/*
 * The one door from hv/core to an architecture. Every architecture
 * (hv/arch/aarch64, hv/arch/riscv64) implements what this header declares;
 * core code includes nothing of hv/arch/ or hv/platform/ but this.
 *
 * The architecture's types come from hv/arch/$(HV_ARCH)/arch_types.h (hv.mk
 * puts that folder on the include path). It must define:
 *   HV_MAX_CPUS, HV_CPU_MAX_VCPUS   physical CPUs, vCPUs placed on one of them;
 *   HV_ARCH_VMCFG                   the enum vmcfg_arch lib/vm builds VMs for;
 *   HV_ARCH_STAGE2_OPTIONS          lib/mm address-space options for guest RAM;
 *   HV_ARCH_RESET_CALL              the guest call that resets its VM, for the log;
 *   HV_ARCH_VM_FIELDS               the members struct hv_vm adds for the
 *                                   architecture (stage-2 / G-stage registers,
 *                                   the emulated interrupt controller): a list of
 *                                   members rather than a nested struct so the
 *                                   arch code keeps naming them hv->vttbr,
 *                                   hv->vgic, hv->hgatp;
 *   struct cpu    with at least: uint32_t index; bool online; struct vcpu
 *                 *runq[HV_CPU_MAX_VCPUS]; uint32_t runq_len; struct vcpu
 *                 *loaded; bool done (core/sched.c owns runq and done);
 *   struct cpu cpus[HV_MAX_CPUS] and struct cpu *this_cpu(void);
 *   struct vcpu   with at least: uint32_t id, pcpu; enum vcpu_state state
 *                 (VCPU_OFF, VCPU_RUNNABLE); bool yield; struct hv_vm *vm.
 * Each architecture maps its guest exits onto core/vm.h's enum
 * hv_trap_class and names them (hv_arch_trap_names, core/vm.h). Two more functions
 * of the contract are declared where core code had them before the split:
 * hv_exit / hv_halt (core/panic.h: the architecture's power.c) and
 * console_hw_putc (core/console.h: the platform's console).
 */
#ifndef HV_CORE_ARCH_H
#define HV_CORE_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch_types.h"
#include "vmcfg/vm.h"

struct hv_vm;

/* --- boot and physical CPUs --- */

/*
 * The boot CPU's first C step: its per-CPU state (cpus[0], this_cpu), the
 * interrupt controller's global set-up, marked online; logs what it found.
 */
void hv_arch_boot_cpu_init(void);

/*
 * The device tree the firmware or loader passed (boot_arg: what the boot
 * code got in x0 / a1), or the platform's fallback address when that is no
 * valid DTB.
 */
const void *hv_arch_boot_dtb(uint64_t boot_arg);

/* Whether id (an MPIDR or a hart id, as the device tree gives it) is this CPU's. */
bool hv_arch_cpu_is_self(uint64_t id);

/*
 * Starts the CPU id at the hypervisor's secondary entry as cpus[index]; it
 * sets itself up, makes its cpu_online_claim (core/cpu_online.h) and parks
 * in sched_secondary. Returns 0, or the firmware's error (PSCI CPU_ON, SBI
 * HSM hart_start), which core/cpu_online.c logs.
 */
int64_t hv_arch_cpu_start(uint32_t index, uint64_t id);

/* A free-running counter common to all CPUs (CNTPCT_EL0, time), and its ticks per second. */
uint64_t hv_arch_counter(void);
uint64_t hv_arch_counter_hz(void);

/* Makes CPU cpu (an index of cpus[]) leave its guest or its idle sleep at once. */
void hv_arch_kick(uint32_t cpu);

/*
 * Sleeps this CPU, which has nothing to run, until a kick (no timer: an
 * idle CPU stays asleep until a CPU_ON / HSM start, a reset or the last
 * VM's end kicks it).
 */
void hv_arch_idle(void);

/*
 * The boot CPU lets the parked ones go: makes its earlier stores (the
 * flag they wait for, every stage-2 table written so far) visible to them
 * and wakes those online (a kick). hv_arch_wait is their side:
 * one wait for such a wake-up (may return spuriously). Under QEMU's TCG a
 * CPU that waits busy takes a host CPU from the boot CPU, so both
 * architectures sleep in WFI until the release's kick.
 */
void hv_arch_release(void);
void hv_arch_wait(void);

/* --- VMs and their stage-2 / G-stage translation --- */

/*
 * Zeroes bytes (whole frames, page-aligned) at p, the hypervisor's own
 * address of them, with the architecture's fastest stores (aarch64: DC ZVA
 * where allowed).
 */
void hv_arch_zero(void *p, size_t bytes);

/* Bits of physical address the host CPUs have (what lib/vm may map to). */
unsigned hv_arch_pa_bits(void);

/*
 * lib/vm's device factory for the emulated devices it leaves to the
 * hypervisor (the interrupt controller); ud is the struct hv_vm.
 */
int hv_arch_device_factory(void *ud, struct vmcfg_vm *vm, const struct vmcfg_vm_emu_device *dev);

/*
 * Sets hv's architecture fields from lib/vm's stage-2 register values
 * (vmcfg_vm_stage2_regs) and hv->vmid, and adds what the architecture
 * gives every VM of its kind (riscv64: the default vPLIC), before any vCPU
 * is prepared. 0 or a VMCFG_E* code (reported; the VM is not created).
 */
int hv_arch_vm_init(struct hv_vm *hv, const struct vmcfg_pt_regs *regs);

/* Drops every cached translation of hv's VMID on every CPU (destroy, reset). */
void hv_arch_vm_flush(struct hv_vm *hv);

/*
 * The physical interrupts of hv's passthrough devices (lib/vm's vm->spis):
 * claim takes them for hv, before its vCPUs exist — 0, or a VMCFG_E* code
 * (reported) when another VM holds one; route sends them to the CPUs hv was
 * placed on (after sched_place); release gives them back (destroy, or a
 * failed create after the claim). An architecture without passthrough
 * interrupts says so in the log and delivers none.
 */
int hv_arch_vm_claim_irqs(struct hv_vm *hv);
void hv_arch_vm_route_irqs(struct hv_vm *hv);
void hv_arch_vm_release_irqs(struct hv_vm *hv);

/*
 * The console UART's interrupt (console_input.c): take routes it to this
 * CPU, where it calls console_input_received; release gives it up.
 */
void hv_arch_console_irq_take(void);
void hv_arch_console_irq_release(void);

/* Input reached hv's emulated console: its interrupt line is sampled again (hv->lock held). */
void hv_arch_console_lines(struct hv_vm *hv);

/*
 * After entries of a VM's tables went from invalid to valid: makes them
 * visible to every CPU's table walker before its guest runs on.
 */
void hv_arch_stage2_mapped(void);

/* After [gpa, gpa + size) was unmapped from hv's tables: no CPU may still translate it. */
void hv_arch_stage2_unmapped(const struct hv_vm *hv, uint64_t gpa, uint64_t size);

/* --- vCPUs --- */

/*
 * Allocates what v needs beyond struct vcpu before its first
 * hv_arch_vcpu_boot (0 or VMCFG_ENOMEM); vcpu_free returns it. Both only
 * while v does not run.
 */
int vcpu_alloc(struct vcpu *v);
void vcpu_free(struct vcpu *v);

/*
 * Puts v (vCPU id of hv) in its state at power-on from lib/vm's plan:
 * at plan->entry with the boot registers of the architecture's boot
 * protocol (the DTB's GPA only when dtb_loaded, else 0), VCPU_OFF. Its
 * placement (v->pcpu) and what vcpu_alloc gave it are kept.
 */
void hv_arch_vcpu_boot(struct vcpu *v, struct hv_vm *hv, uint32_t id,
		       const struct vmcfg_vm_vcpu *plan, bool dtb_loaded);

/*
 * Puts v, off and held by no CPU, at entry with arg as its architecture's
 * call to start a CPU gives it (x0 = arg; a0 = hart id, a1 = arg).
 */
void hv_arch_vcpu_restart(struct vcpu *v, uint64_t entry, uint64_t arg);

/* The boot argument seed= into a register a test guest reads at entry (x1 / a2). */
void hv_arch_vcpu_set_seed(struct vcpu *v, uint64_t seed);

/* Where v will run next (its PC), for the boot log. */
uint64_t hv_arch_vcpu_pc(const struct vcpu *v);

/*
 * Runs v on this CPU (its own) until its slice ends, it waits, makes a call
 * that blocks, turns itself off or its VM ends / is reset. Handles its
 * exits; nothing a guest does makes it fail.
 */
void vcpu_run(struct vcpu *v);

/* Takes the vCPU whose context this CPU holds (if any) off it (its state saved). */
void vcpu_put_current(void);


#endif
