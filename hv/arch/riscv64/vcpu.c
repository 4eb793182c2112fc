/* SPDX-License-Identifier: MIT */
/* vCPU state, the world switch around guest_enter, its timer, and the run loop. */
#include "arch/riscv64/cpu.h"
#include "arch/riscv64/csr.h"
#include "arch/riscv64/trap.h"
#include "arch/riscv64/vcpu.h"
#include "core/arch.h"
#include "core/console.h"
#include "core/libc.h"
#include "core/vm.h"

_Static_assert(__builtin_offsetof(struct vcpu_regs, sepc) == VCPU_REGS_SEPC, "entry.S");
_Static_assert(__builtin_offsetof(struct vcpu_regs, sstatus) == VCPU_REGS_SSTATUS, "entry.S");
_Static_assert(__builtin_offsetof(struct vcpu_regs, hstatus) == VCPU_REGS_HSTATUS, "entry.S");
_Static_assert(__builtin_offsetof(struct vcpu_regs, host_sp) == VCPU_REGS_HOST_SP, "entry.S");
_Static_assert(__builtin_offsetof(struct vcpu_fp, fcsr) == 256, "entry.S: fp_save");

/* The time slice of a vCPU that shares its hart: 2 ms, as on aarch64. */
#define SLICE_MS 2

int vcpu_alloc(struct vcpu *v)
{
	(void)v; /* everything a vCPU has is in struct vcpu */
	return 0;
}

void vcpu_free(struct vcpu *v)
{
	(void)v;
}

/*
 * hstatus while a guest runs (Privileged 8.2.1): SPV = 1, so sret enters
 * V = 1; SPVP = 1, VS-mode; VTW = 1, so a guest's WFI traps (virtual
 * instruction) and its hart can go to another vCPU; VTSR, VTVM, HU = 0;
 * VSXL as the hart has it (RV64).
 */
static uint64_t guest_hstatus(void)
{
	return (csrn_read(CSR_HSTATUS) & (3ul << 32)) | HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_VTW;
}

void vcpu_reset(struct vcpu *v, struct hv_vm *vm, uint32_t id, uint64_t hartid, uint64_t entry,
		uint64_t arg)
{
	/*
	 * Field by field after the register state, not one memset: other harts
	 * read vm, id, hartid and state without the VM's lock (core/sched.c,
	 * SBI HSM's lookup), and a memset would show them zero for a moment.
	 * The placement (pcpu) outlives a reset.
	 */
	memset(v, 0, __builtin_offsetof(struct vcpu, hartid));
	v->hartid = hartid;
	v->id = id;
	__atomic_store_n(&v->state, VCPU_OFF, __ATOMIC_RELEASE);
	v->yield = false;
	v->vm = vm;
	v->scause = v->stval = v->htval = v->htinst = 0;
	v->timer_deadline = ~0ull;
	v->regs.x[10] = hartid; /* SBI boot protocol: a0 = hart id, a1 = opaque / DTB */
	v->regs.x[11] = arg;
	v->regs.sepc = entry;
	/*
	 * SPP = 1: sret enters S-mode (VS with SPV). FS on for HS-mode, so
	 * the guest's own vsstatus.FS alone decides whether it may use the FP
	 * registers (both must be non-Off with V = 1).
	 */
	v->regs.sstatus = SSTATUS_SPP | SSTATUS_FS_INITIAL;
	v->regs.hstatus = guest_hstatus();
}

/* Makes v the guest context of this hart. */
static void vcpu_load(struct vcpu *v)
{
	struct cpu *c = this_cpu();

	/*
	 * A vCPU change drops every guest translation this hart cached: VMIDs
	 * are written, but QEMU implements none (VMIDLEN 0), and two vCPUs of
	 * one VM may use the same ASIDs for different tables.
	 */
	csrn_write(CSR_HGATP, v->vm->hgatp);
	hfence_gvma_all();
	c->hgatp_loaded = v->vm->hgatp;
	csrn_write(CSR_VSSTATUS, v->vs.vsstatus);
	csrn_write(CSR_VSIE, v->vs.vsie);
	csrn_write(CSR_VSTVEC, v->vs.vstvec);
	csrn_write(CSR_VSSCRATCH, v->vs.vsscratch);
	csrn_write(CSR_VSEPC, v->vs.vsepc);
	csrn_write(CSR_VSCAUSE, v->vs.vscause);
	csrn_write(CSR_VSTVAL, v->vs.vstval);
	csrn_write(CSR_VSATP, v->vs.vsatp);
	csrn_write(CSR_SCOUNTEREN, v->vs.scounteren);
	csrn_write(CSR_SENVCFG, v->vs.senvcfg);
	if (hv_sstc)
		csrn_write(CSR_VSTIMECMP, v->timer_deadline);
	csr_set(sstatus, SSTATUS_FS);
	fp_restore(&v->fp);
	c->loaded = v;
}

/* Takes v's context off this hart. */
static void vcpu_put(struct vcpu *v)
{
	struct cpu *c = this_cpu();

	v->vs.vsstatus = csrn_read(CSR_VSSTATUS);
	v->vs.vsie = csrn_read(CSR_VSIE);
	v->vs.vstvec = csrn_read(CSR_VSTVEC);
	v->vs.vsscratch = csrn_read(CSR_VSSCRATCH);
	v->vs.vsepc = csrn_read(CSR_VSEPC);
	v->vs.vscause = csrn_read(CSR_VSCAUSE);
	v->vs.vstval = csrn_read(CSR_VSTVAL);
	v->vs.vsatp = csrn_read(CSR_VSATP);
	v->vs.scounteren = csrn_read(CSR_SCOUNTEREN);
	v->vs.senvcfg = csrn_read(CSR_SENVCFG);
	if (hv_sstc) {
		/* The guest may have written stimecmp itself. Its timer must not fire into the next. */
		v->timer_deadline = csrn_read(CSR_VSTIMECMP);
		csrn_write(CSR_VSTIMECMP, ~0ul);
	}
	csr_set(sstatus, SSTATUS_FS);
	fp_save(&v->fp);
	/* Its interrupts must not reach whoever runs next. */
	csrn_write(CSR_HVIP, 0ul);
	c->loaded = NULL;
}

void vcpu_put_current(void)
{
	struct vcpu *v = this_cpu()->loaded;

	if (v)
		vcpu_put(v);
}

void vcpu_post(struct vcpu *v, uint64_t bits)
{
	__atomic_fetch_or(&v->posted, bits, __ATOMIC_ACQ_REL);
	if (v->pcpu != this_cpu()->index)
		hv_arch_kick(v->pcpu);
}

/*
 * What the hart's timer must fire for next: the slice's end, or v's timer
 * deadline where the hypervisor injects it (no Sstc) or sleeps for it
 * (wait: vcpu_wait). With Sstc a running guest's timer is vstimecmp's.
 */
static uint64_t next_deadline(const struct vcpu *v, bool wait)
{
	uint64_t slice = this_cpu()->slice_end, dl = v->timer_deadline;

	if (hv_sstc && wait)
		dl = csrn_read(CSR_VSTIMECMP);
	else if (hv_sstc || (v->hvip & HVIP_VSTIP))
		return slice; /* Sstc's, or fired already: pending until the guest sets a new one */
	return dl < slice ? dl : slice;
}

void vcpu_set_timer(struct vcpu *v, uint64_t deadline)
{
	v->timer_deadline = deadline;
	if (hv_sstc)
		csrn_write(CSR_VSTIMECMP, deadline); /* v is loaded: it called */
	else
		v->hvip &= ~HVIP_VSTIP;
}

void vcpu_wait(struct vcpu *v)
{
	/* A hart shared with other vCPUs goes to the next one. */
	if (this_cpu()->runq_len > 1) {
		v->yield = true;
		return;
	}
	if (v->hvip || __atomic_load_n(&v->posted, __ATOMIC_ACQUIRE) ||
	    (hv_sstc && csrn_read(CSR_VSTIMECMP) <= rdtime()))
		return; /* something is pending already */
	/*
	 * Nothing else may use this hart: sleep until v's timer or a kick
	 * (HS-mode runs with SIE = 0, so WFI wakes on the pending interrupt
	 * without taking it; the next entry takes it as an exit).
	 */
	cpu_timer_arm(next_deadline(v, true));
	__asm__ volatile("wfi");
}

void vcpu_run(struct vcpu *v)
{
	struct cpu *c = this_cpu();
	/*
	 * A vCPU alone on its hart runs without a slice (as on aarch64): what
	 * must reach it comes as a kick (an SBI IPI from another hart).
	 */
	bool sliced = c->runq_len > 1;

	c->slice_end = sliced ? rdtime() + hv_timebase_hz / 1000 * SLICE_MS : ~0ull;
	v->yield = false;
	while (!v->yield && __atomic_load_n(&v->state, __ATOMIC_ACQUIRE) == VCPU_RUNNABLE &&
	       hv_vm_live(v->vm) && !hv_vm_resetting(v->vm)) {
		if (c->loaded != v) {
			vcpu_put_current();
			vcpu_load(v);
		}
		if (__atomic_exchange_n(&v->fence_pending, 0u, __ATOMIC_ACQ_REL))
			hfence_vvma_all(); /* SBI RFENCE from another vCPU of its VM */
		v->hvip |= __atomic_exchange_n(&v->posted, 0, __ATOMIC_ACQ_REL);
		if (v->vm->vplic.on)
			v->hvip = (v->hvip & ~HVIP_VSEIP) |
				  (__atomic_load_n(&v->eip, __ATOMIC_ACQUIRE) ? HVIP_VSEIP : 0);
		if (!hv_sstc && v->timer_deadline <= rdtime()) {
			v->hvip |= HVIP_VSTIP;
			v->timer_deadline = ~0ull;
		}
		cpu_timer_arm(next_deadline(v, false));
		csrn_write(CSR_HVIP, v->hvip);
		guest_enter(&v->regs);
		v->scause = csr_read(scause);
		v->stval = csr_read(stval);
		v->htval = csrn_read(CSR_HTVAL);
		v->htinst = csrn_read(CSR_HTINST);
		/* vsip.SSIP is hvip.VSSIP: the guest may have cleared it. */
		v->hvip = (v->hvip & ~HVIP_VSSIP) | (csrn_read(CSR_HVIP) & HVIP_VSSIP);
		trap_handle(v);
	}
	c->slice_end = ~0ull;
}
