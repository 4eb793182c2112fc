/* SPDX-License-Identifier: MIT */
/*
 * A VM as the hypervisor runs it: lib/vm's struct vmcfg_vm (address space with
 * the stage-2 tables, device bus, consoles, the vCPU plan) plus what only
 * the hypervisor has — the VMID and stage-2 registers, the vCPUs' hardware
 * context, the physical CPU each vCPU is placed on, and how the VM ended.
 *
 * Concurrency: a VM's vCPUs may run on several physical CPUs at once. The
 * VM's lock serialises everything lib/vm says the embedder must serialise
 * (bus dispatch, hence the consoles) and the vCPUs' power states. The end
 * of a VM is decided once, under its lock. Everything that changes a VM's
 * stage-2 tables holds its lock: touch_ram, bus dispatch, the reset, and
 * the IVC hypercalls (core/ivc.c), which take the registry's lock first and
 * then VM locks. Lock order: the IVC registry's lock, then VM locks in
 * registration order (hv_vm_lock_all); nothing holding a VM's lock takes
 * the registry's or a second VM's lock otherwise.
 */
#ifndef HV_CORE_VM_H
#define HV_CORE_VM_H

#include "core/arch.h"
#include "core/files.h"
#include "core/spinlock.h"
#include "vmcfg/vm.h"

#define HV_MAX_VMS 8
#define HV_VM_MAX_VCPUS 4
#define HV_VM_LINE_MAX 160
#define HV_VM_REASON_MAX 160

/* How a VM ended; HV_VM_LIVE while any of its vCPUs may run. */
enum hv_vm_end { HV_VM_LIVE, HV_VM_OFF, HV_VM_STOPPED };

/*
 * Guest exits by class (the architecture's trap.c counts them and names
 * them: hv_arch_trap_names), for the summary and BENCHMARKS.md. The names
 * are aarch64's; riscv64 maps its exits onto them (arch/riscv64/trap.c).
 */
enum hv_trap_class {
	HV_TRAP_SYNC_OTHER, /* 0: the class of every exception class not named below */
	HV_TRAP_WFX,
	HV_TRAP_HVC,
	HV_TRAP_SMC,
	HV_TRAP_SYSREG,
	HV_TRAP_IABT,
	HV_TRAP_DABT,
	HV_TRAP_RAM_TOUCH, /* first access to a RAM leaf, zeroed then (trap.c touch_ram) */
	HV_TRAP_IRQ_SLICE,
	HV_TRAP_IRQ_VTIMER,
	HV_TRAP_IRQ_PTIMER, /* the hardware timer behind a vCPU's emulated physical one */
	HV_TRAP_IRQ_OTHER, /* kicks, maintenance interrupts, spurious */
	HV_TRAP_SERROR,
	HV_TRAP_CLASSES
};

/* The architecture's name for each class (its trap.c); NULL for a class it never counts. */
extern const char *const hv_arch_trap_names[HV_TRAP_CLASSES];

struct hv_vm {
	struct vmcfg_vm *vm; /* lib/vm's VM: read-only here except through lib/vm calls */
	uint16_t vmid;
	struct spinlock lock;
	struct vcpu vcpus[HV_VM_MAX_VCPUS];
	uint32_t vcpu_count;
	HV_ARCH_VM_FIELDS            /* the architecture's (core/arch.h) */
	enum hv_vm_end end;           /* written under lock; read atomically */
	char reason[HV_VM_REASON_MAX]; /* why it ended, for the summary */
	char line[HV_VM_LINE_MAX];    /* console output of the line in progress */
	size_t line_len;
	uint64_t traps[HV_TRAP_CLASSES]; /* added to atomically: its vCPUs run on several CPUs */
	/*
	 * A PSCI SYSTEM_RESET in progress (hv_vm_request_reset): set under
	 * lock, read atomically; each vCPU's own CPU parks it (parked, a bit
	 * per vCPU, under lock), and the last one parked resets the VM.
	 */
	bool resetting;
	uint32_t parked;
	uint32_t resets;                /* completed, for the log */
	struct vmcfg_vm_image_data images[4]; /* as vmcfg_vm_create got them: a reset writes them again */
	size_t image_count;
};

/*
 * Builds hv from cfg with lib/vm's vmcfg_vm_create (sys gives the platform; the
 * images are the built-in files cfg names, relative to cfg_path, and when
 * cfg has a dtb_load_addr without a dtb_path, guest_dt: the guest DT built
 * at boot, guest_dt_size bytes, NULL when none; it must outlive the VM, as
 * a reset writes it again), VMID vmid, and prepares its vCPUs from the VM's vCPU plan: vCPU 0 runnable at
 * its entry, the others off until the guest starts them (PSCI CPU_ON).
 * Reports why when it fails (naming the VM and cfg_path). Returns 0 or a
 * VMCFG_E* code; on failure nothing is left allocated.
 */
int hv_vm_create(struct hv_vm *hv, const struct vmcfg_vm_config *cfg, const char *cfg_path,
		 const void *guest_dt, size_t guest_dt_size,
		 const struct vmcfg_system *sys, uint16_t vmid);

/*
 * Returns everything the VM holds to the frame allocator (lib/vm's
 * vmcfg_vm_destroy) after dropping its TLB entries. Only once no CPU runs it.
 */
void hv_vm_destroy(struct hv_vm *hv);

/* Whether the VM still runs (no power-off or stop yet). */
static inline bool hv_vm_live(const struct hv_vm *hv)
{
	return __atomic_load_n(&hv->end, __ATOMIC_ACQUIRE) == HV_VM_LIVE;
}

/* The guest ends its VM (PSCI SYSTEM_OFF, its last CPU_OFF): reports why. */
void hv_vm_power_off(struct hv_vm *hv, const char *why);

/*
 * PSCI SYSTEM_RESET from one of hv's vCPUs: the VM restarts alone, as after
 * a warm reset (lib/vm's vmcfg_vm_reset: devices and images back to their start,
 * the rest of its RAM kept; its IVC channels stay, they are the system's).
 * Every vCPU of the VM stops at its next exit (the CPUs running them are
 * kicked) and is parked by its own CPU (hv_vm_park); the last one parked
 * performs the reset and makes vCPU 0 runnable at its entry again.
 */
void hv_vm_request_reset(struct hv_vm *hv);

/* Whether a reset of hv is in progress (its vCPUs must not run). */
static inline bool hv_vm_resetting(const struct hv_vm *hv)
{
	return __atomic_load_n(&hv->resetting, __ATOMIC_ACQUIRE);
}

/*
 * Parks v, a vCPU of a VM being reset, on its own CPU (which may hold its
 * context: it is put first); once every vCPU is parked, resets the VM.
 */
void hv_vm_park(struct vcpu *v);

/* The hypervisor stops the VM: reports "vm 'name' stopped: <reason>". */
void hv_vm_stop(struct hv_vm *hv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Called with hv->lock held: the same, for callers already holding it. */
void hv_vm_stop_locked(struct hv_vm *hv, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Console output a guest wrote through a firmware call rather than an
 * emulated UART (riscv64's SBI console): collected per line and printed
 * as "[name] line", as the UART's is. Takes hv->lock.
 */
void hv_vm_console_put(struct hv_vm *hv, const char *s, size_t len);

/* The hv_vm that wraps lib/vm's vm (for callbacks that get only the latter), or NULL. */
struct hv_vm *hv_vm_of(const struct vmcfg_vm *vm);

/*
 * [gpa, gpa + size) left hv's stage-2 tables: invalidates its TLB entries on
 * every CPU, then frees the table pages the unmap emptied (hv->lock held).
 */
void hv_vm_stage2_unmapped(struct hv_vm *hv, uint64_t gpa, uint64_t size);

/*
 * Takes the lock of every registered VM, in registration order (the lock
 * order above), and releases them. For an IVC call that may change the
 * stage-2 tables of VMs other than the caller's (an unpublish unmaps the
 * channel from every subscriber). Never called with a VM's lock held.
 */
void hv_vm_lock_all(void);
void hv_vm_unlock_all(void);

/*
 * The boot argument seed=N (0 without it): vCPU 0 of every VM finds it in
 * x1 at its first entry and after every reset — how a test guest (the
 * fuzzer, guests/fuzz.c) learns its seed without a rebuild.
 */
extern uint64_t hv_guest_seed;

/* What hv_vm_vcpu_start made of a guest's call to start one of its vCPUs. */
enum hv_vcpu_start { HV_VCPU_STARTED, HV_VCPU_NO_SUCH, HV_VCPU_ALREADY_ON };

/*
 * A guest's call to start its vCPU t (PSCI CPU_ON, SBI HSM hart_start; t
 * NULL when the call named none of vm's): t, which must be off, restarts
 * at entry with arg (hv_arch_vcpu_restart) and its CPU is woken.
 */
enum hv_vcpu_start hv_vm_vcpu_start(struct hv_vm *vm, struct vcpu *t, uint64_t entry, uint64_t arg);

/*
 * The running vCPU v turns itself off (PSCI CPU_OFF, SBI HSM hart_stop): its
 * context saved first, so another vCPU may start it again; the last one
 * off powers the VM off, with why as the reason.
 */
void hv_vm_vcpu_stop(struct vcpu *v, const char *why);

/* hv's exits per class as "WFx 12, DABT (MMIO) 345, ..." into buf (classes with none left out). */
void hv_vm_format_traps(const struct hv_vm *hv, char *buf, size_t size);

/* Live VMs: the schedulers run while this is non-zero. */
uint32_t hv_vm_live_count(void);

/*
 * The VMs the boot flow created, for hv_vm_of; set before any runs.
 * hv_vm_register counts vm in as live.
 */
void hv_vm_register(struct hv_vm *hv);

#endif
