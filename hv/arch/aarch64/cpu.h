/* SPDX-License-Identifier: MIT */
/*
 * Physical CPUs: their number, stacks and per-CPU state. TPIDR_EL2 holds
 * the running CPU's struct cpu from its first C instruction on.
 */
#ifndef HV_ARCH_AARCH64_CPU_H
#define HV_ARCH_AARCH64_CPU_H

#define HV_MAX_CPUS 8
#define HV_STACK_SIZE 0x4000 /* per CPU, EL2 only */
#define HV_CPU_MAX_VCPUS 16  /* vCPUs placed on one physical CPU */

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

#include "arch/aarch64/sysreg.h"

struct vcpu;

struct cpu {
	uint32_t index; /* 0 = the boot CPU; others in device-tree order */
	uint64_t mpidr; /* affinity fields of MPIDR_EL1 */
	bool online;    /* set by the CPU itself once it runs C code */
	/* The vCPUs placed here (core/sched.c), fixed before any runs. */
	struct vcpu *runq[HV_CPU_MAX_VCPUS];
	uint32_t runq_len;
	struct vcpu *loaded; /* whose EL1 context the CPU holds (vcpu.c) */
	bool done;           /* its scheduler has returned: no VM is live */
	/*
	 * What this CPU implements, from its ID registers (cpu_init), and the
	 * HCR_EL2 bits that follow from it, added to every guest entry here.
	 * SVE and SME are given to guests, their state switched: see cpu_init.
	 */
	bool pauth;        /* FEAT_PAuth: its key registers are switched with the vCPU */
	bool sve;          /* FEAT_SVE: given to guests, Z/P/FFR/ZCR_EL1 switched */
	bool sme;          /* FEAT_SME: implemented (given to guests where sme_vl != 0) */
	bool sme_fa64;     /* FEAT_SME_FA64: FFR exists in Streaming SVE mode */
	bool sme_prio;     /* SMIDR_EL1.SMPS: SMPRI_EL1 exists */
	uint32_t sve_vl;   /* with sve: the vector length in bytes, the largest it has */
	uint32_t sme_vl;   /* SME given: the streaming vector length in bytes, the largest */
	uint64_t hcr_features;
	/*
	 * The ID registers guests read here (HCR_EL2.TID3 traps them): this
	 * CPU's own, read once by cpu_init, with the fields of what guests are
	 * not given cleared (idreg.c). Index (CRm - 1) * 8 + op2.
	 */
	uint64_t idregs[7 * 8];
};

extern struct cpu cpus[HV_MAX_CPUS];

static inline struct cpu *this_cpu(void)
{
	return (struct cpu *)(uintptr_t)sysreg_read(tpidr_el2);
}

/* Makes this CPU cpus[index] (TPIDR_EL2) and sets its EL2 controls. */
void cpu_init(uint32_t index);

/* Logs what this CPU gives guests of PAuth, SVE and SME (boot log). */
void cpu_log_features(void);

/*
 * The largest SVE vector length, and streaming vector length where SME is
 * given, in bytes, of the online CPUs; 0 without.
 */
uint32_t cpu_max_sve_vl(void);
uint32_t cpu_max_sme_vl(void);

/*
 * The ID registers (op0 3, op1 0, CRn 0, CRm 1-7) as guests see them
 * (idreg.c): fills c->idregs from this CPU's own.
 */
void idreg_init(struct cpu *c);

/* Entry point of secondary CPUs (boot.S); x0 = their index. */
void hv_secondary_entry(void);

/* C entry of a secondary CPU (from boot.S): comes online, runs its vCPUs, parks. */
__attribute__((noreturn)) void hv_secondary_main(uint32_t index);

/*
 * Handler of exceptions taken from EL2 itself (from vectors.S): frame holds
 * x0-x30, the interrupted SP, ELR_EL2 and SPSR_EL2. Reports and panics.
 */
struct el2_frame {
	uint64_t x[31];
	uint64_t sp, elr, spsr;
};
__attribute__((noreturn)) void el2_exception(const struct el2_frame *frame, uint64_t kind);
#endif

#endif
