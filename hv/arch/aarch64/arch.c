/* SPDX-License-Identifier: MIT */
/* aarch64's implementation of core/arch.h where it is glue over the files beside it. */
#include "arch/aarch64/cpu.h"
#include "arch/aarch64/gic.h"
#include "arch/aarch64/stage2.h"
#include "arch/aarch64/vgic.h"
#include "core/arch.h"
#include "core/console.h"
#include "core/dtb.h"
#include "core/vm.h"
#include "core/libc.h"
#include "platform/qemu-virt/platform.h"

_Static_assert(VGIC_MAX_VCPUS >= HV_VM_MAX_VCPUS, "a vGIC redistributor per vCPU");
/* The checker and `vmcfg build` judge systems by the library's copy of these limits. */
_Static_assert(HV_MAX_VMS == VMCFG_HV_MAX_VMS && HV_VM_MAX_VCPUS == VMCFG_HV_MAX_VM_VCPUS &&
		       VGIC_MAX_VCPUS == VMCFG_VGIC_MAX_VCPUS && VGIC_GICR_BASE == VMCFG_VGIC_GICR_BASE,
	       "vmcfg/check.h's VMCFG_HV_* and VMCFG_VGIC_* describe this hypervisor");

void hv_arch_boot_cpu_init(void)
{
	gic_dist_init(); /* before any CPU sets its redistributor up */
	cpu_init(0);
	__atomic_store_n(&cpus[0].online, true, __ATOMIC_RELEASE);
	hv_log("vmcfg reference hypervisor %s, EL2", VMCFG_VERSION);
	cpu_log_features();
}

const void *hv_arch_boot_dtb(uint64_t boot_x0)
{
	/* A loader may pass the DTB in x0; QEMU 7.2 passes 0 for an ELF. */
	return (const void *)(uintptr_t)(boot_x0 && dtb_valid((const void *)(uintptr_t)boot_x0)
						 ? boot_x0
						 : PLAT_DTB_FALLBACK);
}

void hv_arch_kick(uint32_t cpu)
{
	gic_kick(cpus[cpu].mpidr);
}

void hv_arch_idle(void)
{
	gic_idle();
}

void hv_arch_release(void)
{
	uint32_t self = this_cpu()->index;

	/*
	 * The DSB ISH in each kick (gic_kick) comes first: the flag must be
	 * visible before a CPU waiting in hv_arch_wait wakes (else it may read
	 * it still false and sleep again), and the stage-2 tables written so
	 * far (the VMs, the static IVC channels) must be visible to their
	 * table walkers.
	 */
	__asm__ volatile("dsb ish" : : : "memory");
	for (uint32_t i = 0; i < HV_MAX_CPUS; i++)
		if (i != self && __atomic_load_n(&cpus[i].online, __ATOMIC_ACQUIRE))
			gic_kick(cpus[i].mpidr);
}

/*
 * WFI until a kick, not WFE until an event: QEMU's TCG runs WFE as a yield,
 * so a CPU parked in a WFE loop spins its host thread for the whole boot,
 * taking a host CPU from the boot CPU (a bare-metal guest's idle CPU costs
 * nothing; BENCHMARKS.md, hv).
 */
void hv_arch_wait(void)
{
	gic_idle();
}

/* ID_AA64MMFR0_EL1.PARange → bits of physical address (Arm ARM D19.2). */
unsigned hv_arch_pa_bits(void)
{
	static const unsigned bits[] = { 32, 36, 40, 42, 44, 48 };
	uint64_t range = ID_AA64MMFR0_PARANGE(sysreg_read(id_aa64mmfr0_el1));

	/* 52-bit ranges need LPA descriptors; 48 bits cover every address used here. */
	return range < 6 ? bits[range] : 48;
}

int hv_arch_device_factory(void *ud, struct vmcfg_vm *vm, const struct vmcfg_vm_emu_device *dev)
{
	return vgic_device_factory(ud, vm, dev);
}

int hv_arch_vm_init(struct hv_vm *hv, const struct vmcfg_pt_regs *regs)
{
	hv->vttbr = regs->root | (uint64_t)hv->vmid << VTTBR_VMID_SHIFT;
	hv->vtcr = regs->control;
	return 0;
}

void hv_arch_vm_flush(struct hv_vm *hv)
{
	stage2_flush_vmid(hv->vttbr);
}

int hv_arch_vm_claim_irqs(struct hv_vm *hv)
{
	return vgic_claim_spis(hv);
}

void hv_arch_vm_route_irqs(struct hv_vm *hv)
{
	vgic_route_spis(hv);
}

void hv_arch_vm_release_irqs(struct hv_vm *hv)
{
	vgic_release_spis(hv);
}

void hv_arch_stage2_mapped(void)
{
	stage2_mapped();
}

void hv_arch_console_irq_take(void)
{
	gic_spi_route(PLAT_UART_INTID, this_cpu()->mpidr);
}

void hv_arch_console_irq_release(void)
{
	gic_spi_release(PLAT_UART_INTID);
}

void hv_arch_stage2_unmapped(const struct hv_vm *hv, uint64_t gpa, uint64_t size)
{
	stage2_unmapped(hv->vttbr, gpa, size);
}

void hv_arch_vcpu_boot(struct vcpu *v, struct hv_vm *hv, uint32_t id,
		       const struct vmcfg_vm_vcpu *plan, bool dtb_loaded)
{
	/* x0: the DTB's GPA (Linux arm64 boot protocol), 0 when no DTB image was loaded. */
	vcpu_reset(v, hv, id, plan->arch_id, plan->entry, dtb_loaded ? plan->regs[0] : 0);
}

void hv_arch_vcpu_restart(struct vcpu *v, uint64_t entry, uint64_t arg)
{
	vcpu_reset(v, v->vm, v->id, v->vmpidr, entry, arg);
}

void hv_arch_vcpu_set_seed(struct vcpu *v, uint64_t seed)
{
	v->regs.x[1] = seed;
}

uint64_t hv_arch_vcpu_pc(const struct vcpu *v)
{
	return v->regs.pc;
}

/*
 * DC ZVA, a block (DCZID_EL0.BS: 64 bytes on QEMU's CPUs) per instruction
 * — under TCG one helper call per block where stores are emulated one by
 * one — or memset where DCZID_EL0.DZP prohibits it, or where the EL2 MMU
 * is off and the platform does not allow it then (PLAT_DC_ZVA_WITH_MMU_OFF).
 */
void hv_arch_zero(void *p, size_t bytes)
{
	uint64_t dczid, sctlr, block;
	uint8_t *at = p, *end = at + bytes;

	__asm__("mrs %0, dczid_el0" : "=r"(dczid));
	__asm__("mrs %0, sctlr_el2" : "=r"(sctlr));
	block = 4ull << (dczid & 0xf);
	if ((dczid & 0x10) || block > 4096 || (!(sctlr & 1) && !PLAT_DC_ZVA_WITH_MMU_OFF)) {
		memset(p, 0, bytes);
		return;
	}
	for (; at < end; at += block)
		__asm__ volatile("dc zva, %0" ::"r"(at) : "memory");
}
