/* SPDX-License-Identifier: MIT */
/*
 * A virtual CPU: everything of a guest CPU the hypervisor must hold while
 * another context owns the physical CPU — general registers, PC and PSTATE
 * (switched on every exit by vectors.S), the EL1/EL0 system registers and
 * the FP/SIMD registers, or SVE's and SME's (switched only when the
 * physical CPU changes vCPU: vcpu_load / vcpu_put). A vCPU is placed on
 * one physical CPU for its whole life (core/sched.c); only that CPU ever
 * runs it.
 */
#ifndef HV_ARCH_AARCH64_VCPU_H
#define HV_ARCH_AARCH64_VCPU_H

/* Offsets in struct vcpu_regs, for vectors.S (checked in vcpu.c). */
#define VCPU_REGS_X0 0
#define VCPU_REGS_PC 248
#define VCPU_REGS_PSTATE 256

/* What guest_enter returns: which vector ended the guest's run. */
#define GUEST_EXIT_SYNC 0
#define GUEST_EXIT_IRQ 1
#define GUEST_EXIT_FIQ 2
#define GUEST_EXIT_SERROR 3

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/aarch64/ptimer.h"
#include "arch/aarch64/sysreg.h"

struct hv_vm;

struct vcpu_regs {
	uint64_t x[31]; /* x0..x30 */
	uint64_t pc;    /* ELR_EL2 */
	uint64_t pstate; /* SPSR_EL2 */
};

/*
 * The EL1/EL0 system registers a guest owns, as an X-macro list, in restore
 * order (the virtual timer's compare value before its control).
 */
#define VCPU_EL1_SYSREGS(X)                                                                  \
	X(sctlr_el1) X(cpacr_el1) X(ttbr0_el1) X(ttbr1_el1) X(tcr_el1) X(mair_el1)            \
	X(amair_el1) X(vbar_el1) X(contextidr_el1) X(tpidr_el0) X(tpidrro_el0) X(tpidr_el1)   \
	X(sp_el0) X(sp_el1) X(elr_el1) X(spsr_el1) X(esr_el1) X(far_el1) X(afsr0_el1)         \
	X(afsr1_el1) X(par_el1) X(csselr_el1) X(cntkctl_el1) X(cntv_cval_el0) X(cntv_ctl_el0)

struct vcpu_el1_sysregs {
#define X(reg) uint64_t reg;
	VCPU_EL1_SYSREGS(X)
#undef X
};

/*
 * EL1/EL0 registers of optional features, switched only where this CPU
 * implements them (UNDEFINED elsewhere): the pointer authentication keys
 * with FEAT_PAuth (cpu.pauth), ZCR_EL1 with FEAT_SVE (cpu.sve),
 * TPIDR2_EL0 with FEAT_SME (cpu.sme; not trapped by CPTR_EL2.TSM), and
 * where SME is given to guests (cpu.sme_vl) SVCR (PSTATE.SM and ZA),
 * SMCR_EL1 and, with SMIDR_EL1.SMPS, SMPRI_EL1.
 */
struct vcpu_opt_sysregs {
#define X(name, enc) uint64_t name;
	PAUTH_KEY_SYSREGS(X)
#undef X
	uint64_t zcr_el1;
	uint64_t tpidr2_el0;
	uint64_t svcr, smcr_el1, smpri_el1;
};

/*
 * q0..q31 as pairs of 64-bit halves, then FPSR and FPCR (layout of fpsimd.S).
 * On an SVE CPU only fpsr and fpcr are used: the V registers are switched
 * as the low 128 bits of the Z registers, in struct vcpu's sve buffer.
 */
struct vcpu_fpsimd {
	uint64_t q[64];
	uint64_t fpsr, fpcr;
} __attribute__((aligned(16)));

/*
 * Power state, changed under the VM's lock (PSCI CPU_ON / CPU_OFF) and
 * read without it by the scheduler of the vCPU's physical CPU.
 */
enum vcpu_state {
	VCPU_OFF,      /* not started, or turned off through PSCI CPU_OFF */
	VCPU_RUNNABLE,
};

struct vcpu {
	struct vcpu_regs regs;
	struct vcpu_el1_sysregs el1;
	struct vcpu_fpsimd fp;
	struct vcpu_opt_sysregs opt;
	/* From here on vcpu_reset sets each field: other CPUs read some without a lock. */
	/*
	 * With SVE (any online CPU has it): Z0-Z31, P0-P15, FFR at the largest
	 * vector length of the CPUs, streaming or not (fpsimd.S,
	 * vcpu_sve_size), then where SME is given the ZA storage (za: SVL x
	 * SVL bytes), from hv_heap (vcpu_alloc); NULL without SVE.
	 */
	void *sve, *za;
	size_t sve_size; /* the whole buffer, ZA included */
	uint64_t vmpidr; /* the MPIDR_EL1 the guest reads (VMPIDR_EL2) */
	/*
	 * The guest's virtual CPU interface state (vgic.c): ICH_VMCR_EL2 (its
	 * ICC_PMR/BPR/IGRPEN/CTLR.EOImode) and the active priorities
	 * ICH_AP0R0/ICH_AP1R0_EL2 (5 priority bits: one register each).
	 */
	uint64_t ich_vmcr, ich_ap0r0, ich_ap1r0;
	/*
	 * The physical PPI of its virtual timer is active on its behalf: taken
	 * at EL2 and left active until the guest deactivates the virtual one
	 * (vgic.c). Saved from the redistributor by vcpu_put, which deactivates
	 * it, and set there again by vcpu_load.
	 */
	bool vtimer_active;
	struct ptimer ptimer; /* its EL1 physical timer, emulated (ptimer.c) */
	uint32_t id;
	uint32_t pcpu;   /* index of the physical CPU it runs on */
	enum vcpu_state state;
	bool yield;      /* give the physical CPU up at the end of this exit */
	struct hv_vm *vm;
	/* Syndrome of the last exit, read right after it. */
	uint64_t esr, far, hpfar;
	/*
	 * The watchdog (vcpu_run): interrupt exits in a row at the same pc.
	 * A vCPU that only ever takes interrupt exits there runs nothing
	 * (a maintenance interrupt that fires at every entry did that).
	 */
	uint64_t stuck_pc;
	uint32_t stuck_exits;
};

/*
 * Allocates what v needs beyond struct vcpu (the SVE register buffer where
 * the CPUs have SVE), before its first vcpu_reset. Returns 0 or VMCFG_ENOMEM.
 * vcpu_free returns it; both only while v does not run.
 */
int vcpu_alloc(struct vcpu *v);
void vcpu_free(struct vcpu *v);

/*
 * Puts v in the architectural reset state of an EL1 entry: EL1h with DAIF
 * masked at entry, x0 = arg, every other register zero, MMU off
 * (SCTLR_EL1_RESET), FP/SIMD and SVE registers zero. The vCPU is left
 * VCPU_OFF; what vcpu_alloc gave it stays.
 */
void vcpu_reset(struct vcpu *v, struct hv_vm *vm, uint32_t id, uint64_t mpidr, uint64_t entry,
		uint64_t arg);

/*
 * Runs v on this physical CPU (its own) for one time slice: until the
 * slice timer fires, v waits (WFI/WFE) or makes a call that blocks, turns
 * itself off, or its VM ends.
 */
void vcpu_run(struct vcpu *v);

/*
 * Takes the vCPU whose context this CPU holds (if any) off it, saving its
 * EL1 and FP/SIMD state; the next vcpu_run on this CPU loads afresh. Called
 * before a vCPU's saved state is rewritten (CPU_OFF) and when switching.
 */
void vcpu_put_current(void);

/* Enters the guest with regs; returns a GUEST_EXIT_* with regs updated (vectors.S). */
uint64_t guest_enter(struct vcpu_regs *regs);

/* Saves / restores the FP/SIMD registers (fpsimd.S). */
void fpsimd_save(struct vcpu_fpsimd *fp);
void fpsimd_restore(const struct vcpu_fpsimd *fp);

/*
 * SVE (fpsimd.S), only where the CPU has it and CPTR_EL2.TZ = 0: the vector
 * length at EL2 in bytes; Z0-Z31, P0-P15 and, if ffr, FFR saved to /
 * restored from regs (vcpu_sve_size bytes) at the current length (the
 * streaming one in Streaming SVE mode), FPSR and FPCR to fpsr_fpcr[0..1].
 */
uint64_t sve_vector_bytes(void);
void sve_save(void *regs, uint64_t *fpsr_fpcr, int ffr);
void sve_restore(const void *regs, const uint64_t *fpsr_fpcr, int ffr);

/*
 * SME (fpsimd.S), only where CPTR_EL2.TSM = 0: the streaming vector length
 * at EL2 in bytes (SVL); the ZA storage (SVL * SVL bytes) saved to /
 * restored from za, with PSTATE.ZA = 1.
 */
uint64_t sme_vector_bytes(void);
void za_save(void *za);
void za_restore(const void *za);

/* Bytes of sve_save's buffer at vector length vl bytes: 32 Z, 16 P and FFR (vl / 8 each). */
static inline size_t vcpu_sve_size(uint32_t vl)
{
	return (size_t)vl * 32 + (size_t)vl / 8 * 17;
}

/* Steps over the instruction that trapped (2 or 4 bytes, from ESR_EL2.IL). */
static inline void vcpu_skip_instruction(struct vcpu *v)
{
	v->regs.pc += (v->esr & ESR_IL) ? 4 : 2;
}
#endif

#endif
