/*
 * A VM as the hypervisor runs it: its stage-2 address space (lib/mm), VMID,
 * emulated device bus, vCPUs, and how it ended.
 *
 * hv_vm_create stands in for lib/vm's vm_create until that exists: it
 * consumes the same struct vm_config, so the switch changes the body of
 * one function, not its callers.
 */
#ifndef HV_CORE_VM_H
#define HV_CORE_VM_H

#include "arch/aarch64/vcpu.h"
#include "core/files.h"
#include "core/mmio_bus.h"
#include "core/vuart.h"
#include "vmcfg/aspace.h"
#include "vmcfg/config.h"

#define VM_MAX_VCPUS 4
#define VM_NAME_MAX 32

enum vm_state {
	VM_RUNNING,
	VM_OFF,     /* the guest powered itself off */
	VM_STOPPED, /* the hypervisor stopped it (a fault, an unhandled trap) */
};

struct vm {
	uint64_t id;
	char name[VM_NAME_MAX];
	uint16_t vmid;
	struct vmcfg_aspace as;
	uint64_t vttbr, vtcr; /* VTTBR_EL2 (with the VMID) and VTCR_EL2 for as */
	struct mmio_bus bus;
	struct vuart console;
	struct vcpu vcpus[VM_MAX_VCPUS];
	uint32_t vcpu_count;
	enum vm_state state;
};

/*
 * Builds vm from cfg: address space with the RAM regions (MapAlloc, zeroed;
 * MapIdentical), the emulated console, the kernel image (the bytes the
 * caller found for cfg->kernel.path, NULL when none are built in) loaded at
 * its load address, vCPU 0 ready at bsp_entry (the others stay off: guest
 * CPU_ON comes with the scheduler). cfg must outlive vm (device names are
 * borrowed). On failure it reports why (naming cfg->name) and leaves
 * nothing allocated.
 * Returns 0 or a VMCFG_E* code.
 */
int hv_vm_create(struct vm *vm, const struct vm_config *cfg, const struct hv_file *kernel,
		 uint16_t vmid, const struct vmcfg_hal *hal);

/* Returns everything vm holds (frames, page tables) and forgets its TLB entries. */
void hv_vm_destroy(struct vm *vm);

/* Runs vm's boot vCPU on this CPU until the VM has ended. */
void hv_vm_run(struct vm *vm);

/* The guest ends its VM (PSCI SYSTEM_OFF ...): reports why. */
void vm_power_off(struct vm *vm, const char *why);

/* The hypervisor stops vm: reports "vm 'name' stopped: <reason>". */
void vm_stop(struct vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* vCPU v turned itself off; the VM is off once all of its vCPUs are. */
void vm_vcpu_off(struct vm *vm, struct vcpu *v);

#endif
