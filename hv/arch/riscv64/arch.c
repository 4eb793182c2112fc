/* SPDX-License-Identifier: MIT */
/* riscv64's implementation of core/arch.h where it is glue over the files beside it. */
#include "arch/riscv64/cpu.h"
#include "arch/riscv64/csr.h"
#include "arch/riscv64/plic.h"
#include "arch/riscv64/sbi.h"
#include "core/arch.h"
#include "core/console.h"
#include "core/dtb.h"
#include "core/vm.h"
#include "core/libc.h"

/* The checker and `vmcfg build` judge systems by the library's copy of these limits. */
_Static_assert(HV_MAX_VMS == VMCFG_HV_MAX_VMS && HV_VM_MAX_VCPUS == VMCFG_HV_MAX_VM_VCPUS,
	       "vmcfg/check.h's VMCFG_HV_* describe this hypervisor");

const void *hv_arch_boot_dtb(uint64_t boot_a1)
{
	/* OpenSBI fw_dynamic passes the DTB in a1 (boot.S hands it over). */
	return (const void *)(uintptr_t)boot_a1;
}

void hv_arch_kick(uint32_t cpu)
{
	sbi_send_ipi_hart(cpus[cpu].hartid);
}

void hv_arch_idle(void)
{
	/* No timer: only a kick (sip.SSIP) or a passthrough device (sip.SEIP) wakes an idle hart. */
	cpu_timer_arm(~0ull);
	__asm__ volatile("wfi");
	csr_clear(sip, SIP_SSIP);
	if (csr_read(sip) & SIP_SEIP)
		plic_handle();
}

void hv_arch_release(void)
{
	uint32_t self = this_cpu()->index;

	/*
	 * The flag and the G-stage tables visible to the other harts (and
	 * their walkers) before the IPIs that wake them: a hart woken early
	 * would read the flag still false and sleep again.
	 */
	__asm__ volatile("fence rw, rw" : : : "memory");
	for (uint32_t i = 0; i < HV_MAX_CPUS; i++)
		if (i != self && __atomic_load_n(&cpus[i].online, __ATOMIC_ACQUIRE))
			hv_arch_kick(i);
}

/*
 * WFI until a kick, as on aarch64: under QEMU's TCG a hart spinning on a
 * fence keeps a host CPU busy for the whole boot. A kick that comes before
 * the WFI leaves sip.SSIP pending, so the WFI returns at once.
 */
void hv_arch_wait(void)
{
	hv_arch_idle();
}

/* Sv39x4/Sv48x4 leaves hold 44-bit PPNs: 56-bit physical addresses. */
unsigned hv_arch_pa_bits(void)
{
	return 56;
}

int hv_arch_device_factory(void *ud, struct vmcfg_vm *vm, const struct vmcfg_vm_emu_device *dev)
{
	return vplic_device_factory(ud, vm, dev);
}

int hv_arch_vm_init(struct hv_vm *hv, const struct vmcfg_pt_regs *regs)
{
	int err;

	hv->hgatp = regs->root | ((uint64_t)hv->vmid & HGATP_VMID_MASK) << HGATP_VMID_SHIFT;
	err = vplic_default(hv);
	if (err)
		hv_log("vm '%s': its virtual PLIC at %#llx: %s", hv->vm->name,
		       (unsigned long long)VMCFG_VPLIC_BASE, vmcfg_strerror(err));
	return err;
}

void hv_arch_vm_flush(struct hv_vm *hv)
{
	(void)hv;
	/* Every hart drops every guest translation: QEMU has no VMIDs to narrow it. */
	sbi_remote_hfence_gvma_vmid(0, 0, 0);
	hfence_gvma_all();
}

int hv_arch_vm_claim_irqs(struct hv_vm *hv)
{
	return plic_claim_sources(hv);
}

void hv_arch_vm_route_irqs(struct hv_vm *hv)
{
	plic_route_sources(hv);
}

void hv_arch_vm_release_irqs(struct hv_vm *hv)
{
	plic_release_sources(hv);
}

void hv_arch_stage2_mapped(void)
{
	/* The table stores before the guest's next access (and any other hart's walk). */
	__asm__ volatile("fence rw, rw" : : : "memory");
}

void hv_arch_console_irq_take(void)
{
	plic_console_take();
}

void hv_arch_console_irq_release(void)
{
	plic_console_release();
}

void hv_arch_stage2_unmapped(const struct hv_vm *hv, uint64_t gpa, uint64_t size)
{
	(void)hv;
	(void)gpa;
	(void)size;
	__asm__ volatile("fence rw, rw" : : : "memory");
	/*
	 * Whole flushes on every hart (SBI RFENCE, the firmware's IPIs): QEMU
	 * implements no VMIDs, so a flush by VMID could not be narrower, and a
	 * removal is rare (an IVC unpublish or unsubscribe).
	 */
	sbi_remote_hfence_gvma_vmid(0, 0, 0);
	hfence_gvma_all();
}

void hv_arch_vcpu_boot(struct vcpu *v, struct hv_vm *hv, uint32_t id,
		       const struct vmcfg_vm_vcpu *plan, bool dtb_loaded)
{
	/* a0 = hart id, a1 = the DTB's GPA (SBI boot protocol; lib/vm's plan->regs). */
	vcpu_reset(v, hv, id, plan->arch_id, plan->entry, dtb_loaded ? plan->regs[1] : 0);
}

void hv_arch_vcpu_restart(struct vcpu *v, uint64_t entry, uint64_t arg)
{
	vcpu_reset(v, v->vm, v->id, v->hartid, entry, arg);
}

void hv_arch_vcpu_set_seed(struct vcpu *v, uint64_t seed)
{
	v->regs.x[12] = seed; /* a2 */
}

uint64_t hv_arch_vcpu_pc(const struct vcpu *v)
{
	return v->regs.sepc;
}

/* Plain stores: the base ISA has no cache-block zeroing (Zicboz is optional). */
void hv_arch_zero(void *p, size_t bytes)
{
	memset(p, 0, bytes);
}
