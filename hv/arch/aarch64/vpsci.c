/* SPDX-License-Identifier: MIT */
/*
 * PSCI as a guest sees it (Arm DEN 0022). The hypervisor answers version
 * 0.2 and implements the calls that act on the VM itself: CPU_ON, CPU_OFF
 * and AFFINITY_INFO on its vCPUs (a vCPU is named by the MPIDR the guest
 * reads, VMPIDR_EL2, which comes from the VM's phys_cpu_ids), SYSTEM_OFF
 * and SYSTEM_RESET for the VM, and MIGRATE_INFO_TYPE. Every other function ID, PSCI or not,
 * returns NOT_SUPPORTED (also SMCCC's "unknown function").
 */
#include "arch/aarch64/cpu.h"
#include "arch/aarch64/psci.h"
#include "arch/aarch64/trap.h"
#include "core/vm.h"

/* AFFINITY_INFO's answers. */
#define PSCI_AFF_ON 0
#define PSCI_AFF_OFF 1

/* The vCPU of vm whose MPIDR affinity fields equal target's, or NULL. */
static struct vcpu *find_vcpu(struct hv_vm *vm, uint64_t target)
{
	for (uint32_t i = 0; i < vm->vcpu_count; i++)
		if ((vm->vcpus[i].vmpidr & MPIDR_AFF_MASK) == (target & MPIDR_AFF_MASK))
			return &vm->vcpus[i];
	return NULL;
}

/* CPU_ON: target starts at entry with x0 = context (DEN 0022 5.1.4). */
static int64_t cpu_on(struct hv_vm *vm, uint64_t target, uint64_t entry, uint64_t context)
{
	switch (hv_vm_vcpu_start(vm, find_vcpu(vm, target), entry, context)) {
	case HV_VCPU_STARTED:
		return PSCI_SUCCESS;
	case HV_VCPU_ALREADY_ON:
		return PSCI_ALREADY_ON;
	default:
		return PSCI_INVALID_PARAMETERS;
	}
}

static int64_t affinity_info(struct hv_vm *vm, uint64_t target, uint64_t level)
{
	const struct vcpu *t;

	/* Only level 0 (one vCPU) is meaningful: vCPUs have no cluster topology. */
	if (level != 0)
		return PSCI_INVALID_PARAMETERS;
	t = find_vcpu(vm, target);
	if (!t)
		return PSCI_INVALID_PARAMETERS;
	return __atomic_load_n(&t->state, __ATOMIC_ACQUIRE) == VCPU_OFF ? PSCI_AFF_OFF
									 : PSCI_AFF_ON;
}

void vpsci_call(struct vcpu *v)
{
	struct hv_vm *vm = v->vm;
	const uint64_t *x = v->regs.x;
	/* SMCCC: the function ID is W0; bits [63:32] of X0 are ignored. */
	uint32_t fid = (uint32_t)x[0];
	int64_t ret;

	switch (fid) {
	case PSCI_0_2_VERSION:
		ret = PSCI_VERSION_0_2;
		break;
	case PSCI_0_2_CPU_ON_32:
		/* SMC32: arguments are W registers. */
		ret = cpu_on(vm, (uint32_t)x[1], (uint32_t)x[2], (uint32_t)x[3]);
		break;
	case PSCI_0_2_CPU_ON_64:
		ret = cpu_on(vm, x[1], x[2], x[3]);
		break;
	case PSCI_0_2_AFFINITY_INFO_32:
		ret = affinity_info(vm, (uint32_t)x[1], (uint32_t)x[2]);
		break;
	case PSCI_0_2_AFFINITY_INFO_64:
		ret = affinity_info(vm, x[1], x[2]);
		break;
	case PSCI_0_2_MIGRATE_INFO_TYPE:
		/* No Trusted OS to migrate (DEN 0022 5.1.8): Linux asks once at boot. */
		ret = PSCI_TOS_NOT_PRESENT_MP;
		break;
	case PSCI_0_2_CPU_OFF: /* does not return to the caller */
		hv_vm_vcpu_stop(v, "its last vCPU called PSCI CPU_OFF");
		return;
	case PSCI_0_2_SYSTEM_OFF:
		hv_vm_power_off(vm, "PSCI SYSTEM_OFF");
		return;
	case PSCI_0_2_SYSTEM_RESET:
		hv_vm_request_reset(vm);
		return;
	default:
		ret = PSCI_NOT_SUPPORTED;
		break;
	}
	v->regs.x[0] = (uint64_t)ret;
}
