/* SPDX-License-Identifier: MIT */
/* vCPU state, the world switch around guest_enter, and the run loop. */
#include "arch/aarch64/cpu.h"
#include "arch/aarch64/gic.h"
#include "arch/aarch64/trap.h"
#include "arch/aarch64/vcpu.h"
#include "arch/aarch64/vgic.h"
#include "core/console.h"
#include "core/heap.h"
#include "core/libc.h"
#include "core/vm.h"

_Static_assert(__builtin_offsetof(struct vcpu_regs, x) == VCPU_REGS_X0, "vectors.S");
_Static_assert(__builtin_offsetof(struct vcpu_regs, pc) == VCPU_REGS_PC, "vectors.S");
_Static_assert(__builtin_offsetof(struct vcpu_regs, pstate) == VCPU_REGS_PSTATE, "vectors.S");
_Static_assert(__builtin_offsetof(struct vcpu_fpsimd, fpsr) == 512, "fpsimd.S");
_Static_assert(__builtin_offsetof(struct vcpu_fpsimd, fpcr) == 520, "fpsimd.S: sve_save");

/*
 * HCR_EL2 while a guest runs (Arm ARM D19.2 HCR_EL2):
 *   VM        stage-2 translation: the guest sees only what its address space maps;
 *   SWIO      set/way invalidates clean too, so a guest cannot discard others' lines;
 *   FMO IMO AMO  physical FIQ/IRQ/SError go to EL2, never to a guest;
 *   FB, BSU=IS   the guest's TLB/cache maintenance and barriers reach the other
 *                physical CPUs its vCPUs may run on;
 *   TWI TWE   WFI/WFE trap: the hypervisor decides what an idle vCPU's CPU does;
 *   TSC       SMC traps: guests never reach the firmware (QEMU's PSCI);
 *   TIDCP TACR  IMPLEMENTATION DEFINED registers and ACTLR_EL1 trap: no guest
 *               touches CPU-wide implementation controls;
 *   TID3      the ID registers trap: guests read them without the features
 *             the hypervisor does not give them (idreg.c);
 *   RW        EL1 is AArch64.
 */
#define HCR_GUEST                                                                         \
	(HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_IS | HCR_TWI | \
	 HCR_TWE | HCR_TSC | HCR_TIDCP | HCR_TACR | HCR_TID3 | HCR_RW)
/* Plus, per CPU, API and APK with pointer authentication, TLOR with LORegions (cpu.c). */

/*
 * The SVE/SME buffer comes from the heap, sized for the vector lengths the
 * CPUs actually have, rather than inside struct vcpu for the
 * architecture's largest (2048 bits: 8.5 KiB of Z/P/FFR and 64 KiB of ZA
 * per vCPU, 2.2 MiB for HV_MAX_VMS * HV_VM_MAX_VCPUS): nothing is spent
 * on CPUs without them, and a struct vcpu that is memset on every reset
 * stays small. Sized from the online CPUs (all of them are online before
 * any VM is created), so whichever CPU the vCPU is placed on saves at
 * most this much: Z/P/FFR at the larger of the two vector lengths (the
 * streaming one in Streaming SVE mode), then ZA.
 */
int vcpu_alloc(struct vcpu *v)
{
	uint32_t vl = cpu_max_sve_vl(), svl = cpu_max_sme_vl();
	size_t regs = vcpu_sve_size(vl > svl ? vl : svl), size = regs + (size_t)svl * svl;

	v->sve = v->za = NULL;
	v->sve_size = 0;
	if (!vl)
		return 0;
	v->sve = hv_heap.fn(hv_heap.ud, NULL, 0, size);
	if (!v->sve)
		return VMCFG_ENOMEM;
	v->za = svl ? (char *)v->sve + regs : NULL;
	v->sve_size = size;
	return 0;
}

void vcpu_free(struct vcpu *v)
{
	/* Scrubbed: the frames go back to the allocator with a guest's registers in them. */
	if (v->sve) {
		memset(v->sve, 0, v->sve_size);
		hv_heap.fn(hv_heap.ud, v->sve, v->sve_size, 0);
	}
	v->sve = v->za = NULL;
	v->sve_size = 0;
}

void vcpu_reset(struct vcpu *v, struct hv_vm *vm, uint32_t id, uint64_t mpidr, uint64_t entry,
		uint64_t arg)
{
	/*
	 * Field by field after the register state, not one memset: other CPUs
	 * read vm, id, vmpidr and state without the VM's lock (core/sched.c,
	 * PSCI's vCPU lookup), and a memset would show them zero for a moment.
	 * The placement (pcpu) and the SVE buffer (vcpu_alloc) outlive a reset.
	 */
	memset(v, 0, __builtin_offsetof(struct vcpu, sve));
	if (v->sve)
		memset(v->sve, 0, v->sve_size); /* Z, P, FFR, ZA zero; ZCR_EL1, SVCR, SMCR_EL1 zero (opt) */
	v->vmpidr = MPIDR_RES1 | (mpidr & MPIDR_AFF_MASK);
	v->ich_vmcr = v->ich_ap0r0 = v->ich_ap1r0 = 0;
	v->vtimer_active = false;
	memset(&v->ptimer, 0, sizeof v->ptimer);
	v->id = id;
	__atomic_store_n(&v->state, VCPU_OFF, __ATOMIC_RELEASE);
	v->yield = false;
	v->vm = vm;
	v->esr = v->far = v->hpfar = 0;
	v->stuck_pc = 0;
	v->stuck_exits = 0;
	v->regs.x[0] = arg;
	v->regs.pc = entry;
	v->regs.pstate = PSR_MODE_EL1H | PSR_DAIF_MASK;
	v->el1.sctlr_el1 = SCTLR_EL1_RESET;
}

/* Makes v the guest context of this physical CPU. */
static void vcpu_load(struct vcpu *v)
{
	const struct hv_vm *vm = v->vm;
	struct cpu *c = this_cpu();

	sysreg_write(vtcr_el2, vm->vtcr);
	sysreg_write(vttbr_el2, vm->vttbr);
	sysreg_write(hcr_el2, HCR_GUEST | c->hcr_features);
	sysreg_write(vmpidr_el2, v->vmpidr);
	/* Active again before its timer is: a level still high must not fire a second time. */
	if (v->vtimer_active)
		gic_ppi_set_active(GIC_INTID_VTIMER, true);
#define X(reg) sysreg_write(reg, v->el1.reg);
	VCPU_EL1_SYSREGS(X)
#undef X
	/* Keys of a fresh vCPU are zero (vcpu_reset): the reset value is UNKNOWN. */
	if (c->pauth) {
#define X(name, enc) sysreg_write(enc, v->opt.name);
		PAUTH_KEY_SYSREGS(X)
#undef X
	}
	if (c->sme)
		sysreg_write(SYS_TPIDR2_EL0, v->opt.tpidr2_el0);
	/*
	 * With SME, PSTATE.SM and ZA first: setting them zeroes the registers
	 * they bring (vcpu_put left both 0), which are then restored.
	 */
	if (c->sme_vl) {
		sysreg_write(SYS_SMCR_EL1, v->opt.smcr_el1);
		if (c->sme_prio)
			sysreg_write(SYS_SMPRI_EL1, v->opt.smpri_el1);
		sysreg_write(SYS_SVCR, v->opt.svcr);
		isb();
	}
	/*
	 * With SVE the Z registers hold the V registers: restored at EL2's
	 * full vector length (ZCR_EL2, or SMCR_EL2 in Streaming SVE mode,
	 * cpu.c), whatever ZCR_EL1/SMCR_EL1 the guest set.
	 */
	if (c->sve) {
		sysreg_write(SYS_ZCR_EL1, v->opt.zcr_el1);
		sve_restore(v->sve, &v->fp.fpsr, !(v->opt.svcr & SVCR_SM) || c->sme_fa64);
	} else {
		fpsimd_restore(&v->fp);
	}
	if (v->opt.svcr & SVCR_ZA)
		za_restore(v->za);
	sysreg_write(ich_vmcr_el2, v->ich_vmcr);
	sysreg_write(ich_ap0r0_el2, v->ich_ap0r0);
	sysreg_write(ich_ap1r0_el2, v->ich_ap1r0);
	isb();
	ptimer_load(v);
	c->loaded = v;
}

/* Takes v's context off this physical CPU. */
static void vcpu_put(struct vcpu *v)
{
	struct cpu *c = this_cpu();

#define X(reg) v->el1.reg = sysreg_read(reg);
	VCPU_EL1_SYSREGS(X)
#undef X
	if (c->pauth) {
#define X(name, enc) v->opt.name = sysreg_read(enc);
		PAUTH_KEY_SYSREGS(X)
#undef X
	}
	if (c->sme)
		v->opt.tpidr2_el0 = sysreg_read(SYS_TPIDR2_EL0);
	if (c->sme_vl) {
		v->opt.svcr = sysreg_read(SYS_SVCR);
		v->opt.smcr_el1 = sysreg_read(SYS_SMCR_EL1);
		if (c->sme_prio)
			v->opt.smpri_el1 = sysreg_read(SYS_SMPRI_EL1);
	}
	/*
	 * Every vCPU has Z state, whether it enabled SVE at EL1 or not: all of
	 * it is saved, in Streaming SVE mode at the streaming length (FFR only
	 * with FA64: it does not exist there otherwise).
	 */
	if (c->sve) {
		v->opt.zcr_el1 = sysreg_read(SYS_ZCR_EL1);
		sve_save(v->sve, &v->fp.fpsr, !(v->opt.svcr & SVCR_SM) || c->sme_fa64);
	} else {
		fpsimd_save(&v->fp);
	}
	if (v->opt.svcr & SVCR_ZA)
		za_save(v->za);
	/* Out of Streaming SVE mode and ZA: the next vCPU's come from zero (vcpu_load). */
	if (v->opt.svcr) {
		sysreg_write(SYS_SVCR, 0);
		isb();
	}
	v->ich_vmcr = sysreg_read(ich_vmcr_el2);
	v->ich_ap0r0 = sysreg_read(ich_ap0r0_el2);
	v->ich_ap1r0 = sysreg_read(ich_ap1r0_el2);
	/* Its virtual timer must not fire into whoever runs next, nor its physical one. */
	ptimer_put(v);
	sysreg_write(cntv_ctl_el0, 0);
	isb();
	/*
	 * Nor may its timer interrupt in flight (physically active: pending or
	 * active in a HW = 1 list register, or queued in the vGIC) keep the
	 * next vCPU's from firing: save the active state and clear it, after
	 * the timer is off so that its level cannot make it pending again.
	 */
	v->vtimer_active = gic_ppi_active(GIC_INTID_VTIMER);
	if (v->vtimer_active)
		gic_ppi_set_active(GIC_INTID_VTIMER, false);
	c->loaded = NULL;
}

void vcpu_put_current(void)
{
	struct vcpu *v = this_cpu()->loaded;

	if (v)
		vcpu_put(v);
}

/*
 * Interrupt exits in a row at one pc after which the watchdog stops the
 * VM. An interrupt exit comes from the slice (2 ms), a kick, the virtual
 * timer or a maintenance interrupt; a guest that makes progress changes
 * its pc or takes a synchronous exit long before this many: a vCPU in a
 * one-instruction loop sliced every 2 ms gets here after 400 s.
 */
#define HV_WATCHDOG_EXITS 200000u

/*
 * The watchdog: no instruction seems to run between v's interrupt exits
 * (a livelock in the hypervisor's interrupt handling, issue 18 item 1).
 * Rather than spin forever, the VM is stopped with the vCPU's state.
 */
static void watchdog(struct vcpu *v, uint64_t kind)
{
	if (kind != GUEST_EXIT_IRQ || v->regs.pc != v->stuck_pc) {
		v->stuck_pc = v->regs.pc;
		v->stuck_exits = 0;
		return;
	}
	if (++v->stuck_exits < HV_WATCHDOG_EXITS)
		return;
	hv_log("vm '%s' vCPU %u: watchdog: pc %#llx, pstate %#llx, x0 %#llx, x1 %#llx, x2 %#llx, "
	       "x30 %#llx, sp_el1 %#llx",
	       v->vm->vm->name, v->id, (unsigned long long)v->regs.pc,
	       (unsigned long long)v->regs.pstate, (unsigned long long)v->regs.x[0],
	       (unsigned long long)v->regs.x[1], (unsigned long long)v->regs.x[2],
	       (unsigned long long)v->regs.x[30], (unsigned long long)v->el1.sp_el1);
	hv_vm_stop(v->vm, "no progress: vCPU %u took %u interrupt exits in a row at pc %#llx "
			  "(hypervisor watchdog)",
		   v->id, v->stuck_exits, (unsigned long long)v->regs.pc);
	v->stuck_exits = 0;
}

void vcpu_run(struct vcpu *v)
{
	struct cpu *c = this_cpu();

	/*
	 * A vCPU alone on its CPU (placement is for life) runs without a time
	 * slice: nothing else could use the CPU, and the slice would only cost
	 * an exit every 2 ms and jitter for a pinned real-time guest. What must
	 * reach it anyway does so by a kick (gic_kick): its VM ended or is
	 * being reset elsewhere (core/vm.c), a CPU_ON, an interrupt for it
	 * from another CPU (vgic.c).
	 */
	bool sliced = c->runq_len > 1;

	v->yield = false;
	if (sliced)
		gic_slice_start();
	while (!v->yield && __atomic_load_n(&v->state, __ATOMIC_ACQUIRE) == VCPU_RUNNABLE &&
	       hv_vm_live(v->vm) && !hv_vm_resetting(v->vm)) {
		uint64_t kind;

		/* Reloaded after a CPU_OFF put it, and when another vCPU ran here meanwhile. */
		if (c->loaded != v) {
			vcpu_put_current();
			vcpu_load(v);
		}
		vgic_flush(v);
		kind = guest_enter(&v->regs);
		v->esr = sysreg_read(esr_el2);
		v->far = sysreg_read(far_el2);
		v->hpfar = sysreg_read(hpfar_el2);
		vgic_sync(v);
		trap_handle(v, kind);
		watchdog(v, kind);
	}
	if (sliced)
		gic_slice_stop();
}
