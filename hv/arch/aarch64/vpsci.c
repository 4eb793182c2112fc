/*
 * PSCI as a guest sees it (Arm DEN 0022). The hypervisor answers version
 * 0.2 and implements the per-VM power calls; every other function ID,
 * PSCI or not, returns NOT_SUPPORTED (also SMCCC's "unknown function").
 */
#include "arch/aarch64/psci.h"
#include "arch/aarch64/trap.h"
#include "core/vm.h"

void vpsci_call(struct vcpu *v)
{
	struct vm *vm = v->vm;
	/* SMCCC: the function ID is W0; bits [63:32] of X0 are ignored. */
	uint32_t fid = (uint32_t)v->regs.x[0];
	int64_t ret;

	switch (fid) {
	case PSCI_0_2_VERSION:
		ret = PSCI_VERSION_0_2;
		break;
	case PSCI_0_2_CPU_OFF:
		/* Does not return to the caller on success. */
		vm_vcpu_off(vm, v);
		return;
	case PSCI_0_2_SYSTEM_OFF:
		vm_power_off(vm, "PSCI SYSTEM_OFF");
		return;
	case PSCI_0_2_SYSTEM_RESET:
		vm_power_off(vm, "PSCI SYSTEM_RESET (restart needs the VM lifecycle of lib/vm; "
				 "treated as power-off)");
		return;
	default:
		ret = PSCI_NOT_SUPPORTED;
		break;
	}
	v->regs.x[0] = (uint64_t)ret;
}
