/* SPDX-License-Identifier: MIT */
/*
 * vCPUs: one per entry of the affinity contract (vmcfg_vm_config_vcpu_affinities),
 * with what each architecture needs at first entry: the identity the guest
 * reads back (MPIDR, hart id, APIC id) and the boot-protocol registers.
 */
#include "internal.h"

/* MPIDR_EL1 affinity fields: Aff0-2 in bits 0-23, Aff3 in bits 32-39. */
#define MPIDR_RES1 (1ull << 31)

static uint64_t dtb_gpa(const struct vmcfg_vm_config *cfg)
{
	return cfg->dtb.has_load_gpa ? cfg->dtb.load_gpa : 0;
}

static int setup_arch(struct vm_build *b, struct vmcfg_vm_vcpu *v)
{
	switch (b->vm->arch) {
	case VMCFG_ARCH_AARCH64:
		if (v->phys_id & ~VMCFG_MPIDR_AFFINITY_MASK)
			return vmcfg_vm_fail(b, VMCFG_EINVAL,
				       "vCPU %u: physical id 0x%llx has bits outside the MPIDR "
				       "affinity fields (mask 0xff00ffffff)",
				       v->id, (unsigned long long)v->phys_id);
		v->arch_id = v->phys_id | MPIDR_RES1;
		v->regs[0] = dtb_gpa(b->cfg); /* Linux arm64 boot protocol: x0 = DTB */
		return 0;
	case VMCFG_ARCH_RISCV64:
		v->arch_id = v->phys_id;
		v->regs[0] = v->phys_id;      /* SBI boot protocol: a0 = hart id, */
		v->regs[1] = dtb_gpa(b->cfg); /* a1 = DTB */
		return 0;
	case VMCFG_ARCH_X86_64:
		v->arch_id = v->phys_id; /* local APIC id; firmware sets up the rest */
		return 0;
	default:
		return vmcfg_vm_fail(b, VMCFG_EINVAL, "unsupported architecture %d", (int)b->vm->arch);
	}
}

int vmcfg_vm_setup_vcpus(struct vm_build *b)
{
	struct vmcfg_vm *vm = b->vm;
	uint32_t n = b->cfg->cpu_num;

	if (n == 0)
		return vmcfg_vm_fail(b, VMCFG_EINVAL, "cpu_num is 0");
	struct vmcfg_vm_vcpu_affinity *aff =
		vmcfg_arena_alloc(&vm->arena, n * sizeof *aff, _Alignof(struct vmcfg_vm_vcpu_affinity));
	vm->vcpus = vmcfg_arena_zalloc(&vm->arena, n * sizeof *vm->vcpus, _Alignof(struct vmcfg_vm_vcpu));
	if (!aff || !vm->vcpus)
		return vmcfg_vm_fail(b, VMCFG_ENOMEM, "out of memory");
	int got = vmcfg_vm_config_vcpu_affinities(b->cfg, aff, n);
	if (got < 0)
		return vmcfg_vm_fail(b, got, "vCPU affinities: %s", vmcfg_strerror(got));
	for (uint32_t i = 0; i < n; i++) {
		struct vmcfg_vm_vcpu *v = &vm->vcpus[i];
		v->id = aff[i].vcpu_id;
		v->has_mask = aff[i].has_mask;
		v->pcpu_mask = aff[i].pcpu_mask;
		v->phys_id = aff[i].phys_id;
		v->entry = i == 0 ? b->cfg->bsp_entry : b->cfg->ap_entry;
		int err = setup_arch(b, v);
		if (err)
			return err;
	}
	vm->vcpu_count = n;
	return 0;
}
