/* SPDX-License-Identifier: MIT */
/*
 * The ID registers as guests read them. HCR_EL2.TID3 traps every EL1 read
 * of the ID register space (Arm ARM D19.1: op0 3, op1 0, CRn 0, CRm 1-7,
 * op2 0-7; the encodings not allocated to a register there read as zero,
 * so a CPU's own unallocated ones come back as zero here too). A guest
 * gets the CPU's own value, except for the fields of features the
 * hypervisor does not give it, cleared, so that what it sees is what it
 * gets: a guest that believed such a field would be stopped at its first
 * use (a trap the hypervisor does not emulate) or, untrapped, would share
 * state with the other VMs on its CPU.
 */
#include "arch/aarch64/cpu.h"
#include "arch/aarch64/trap.h"

#define IDREG_INDEX(crm, op2) (((crm) - 1) * 8 + (op2))
#define FIELD(lsb) (U64(0xf) << (lsb))

enum idreg_when {
	ALWAYS,
	WITHOUT_SME, /* where SME is not given to guests (cpu.sme_vl == 0, cpu.c) */
};

struct idreg_hidden {
	unsigned crm, op2;
	uint64_t clear; /* the fields read as 0 ("not implemented") */
	enum idreg_when when;
};

/* The register -> hidden fields table; every other register reads as the CPU's own. */
static const struct idreg_hidden hidden[] = {
	/*
	 * ID_AA64PFR0_EL1 (CRm 4, op2 0): EL2 [11:8], guests run at EL1
	 * with no EL2 of their own (no nested virtualization); MPAM [43:40]
	 * and AMU [47:44], whose EL1 registers the hypervisor neither traps
	 * nor switches. SVE [35:32] stays: it is given (cpu.c).
	 */
	{ 4, 0, FIELD(8) | FIELD(40) | FIELD(44), ALWAYS },
	/*
	 * ID_AA64PFR1_EL1 (CRm 4, op2 1): MTE [11:8] and MTE_frac [43:40]
	 * (HCR_EL2.ATA is 0: the tag registers GCR_EL1, RGSR_EL1, TFSR*_EL1
	 * trap and are not switched, tag accesses are not allowed); MPAM_frac
	 * [19:16] (with MPAM above); GCS [47:44] (GCSCR_EL1 and GCSPR_EL1 are
	 * not switched).
	 */
	{ 4, 1, FIELD(8) | FIELD(16) | FIELD(40) | FIELD(44), ALWAYS },
	/* ID_AA64PFR1_EL1.SME [27:24] where it stays trapped (CPTR_EL2.TSM). */
	{ 4, 1, FIELD(24), WITHOUT_SME },
	/*
	 * ID_AA64SMFR0_EL1 (CRm 4, op2 5): SME's details, all of it where SME
	 * is not given; where it is, SMEver [59:56] (SME2 and later: ZT0 is
	 * not switched and stays trapped by SMCR_EL2.EZT0 = 0).
	 */
	{ 4, 5, ~U64(0), WITHOUT_SME },
	{ 4, 5, FIELD(56), ALWAYS },
	/*
	 * ID_AA64DFR0_EL1 (CRm 5, op2 0): PMUVer [11:8], and ID_DFR0_EL1 (CRm
	 * 1, op2 2): PerfMon [27:24]. The PMU's registers trap (MDCR_EL2.TPM,
	 * TPMCR: cpu.c) and read as zero (trap.c): it is the CPU's, not switched.
	 */
	{ 5, 0, FIELD(8), ALWAYS },
	{ 1, 2, FIELD(24), ALWAYS },
	/* ID_AA64MMFR1_EL1 (CRm 7, op2 1): LO [19:16], trapped by HCR_EL2.TLOR (cpu.c). */
	{ 7, 1, FIELD(16), ALWAYS },
};

/* An MRS of S3_0_C0_C<crm>_<op2> for each encoding of the space (they are immediates). */
#define READ1(crm, op2)                                      \
	case IDREG_INDEX(crm, op2):                          \
		return sysreg_read(S3_0_C0_C##crm##_##op2);
#define READ8(crm)                                                                   \
	READ1(crm, 0) READ1(crm, 1) READ1(crm, 2) READ1(crm, 3) READ1(crm, 4) READ1(crm, 5) \
	READ1(crm, 6) READ1(crm, 7)

static uint64_t read_real(unsigned index)
{
	switch (index) {
		READ8(1) READ8(2) READ8(3) READ8(4) READ8(5) READ8(6) READ8(7)
	}
	return 0;
}

void idreg_init(struct cpu *c)
{
	for (unsigned i = 0; i < 7 * 8; i++)
		c->idregs[i] = read_real(i);
	for (unsigned i = 0; i < sizeof hidden / sizeof hidden[0]; i++)
		if (hidden[i].when == ALWAYS || !c->sme_vl)
			c->idregs[IDREG_INDEX(hidden[i].crm, hidden[i].op2)] &= ~hidden[i].clear;
	/* ID_AA64PFR1_EL1.SME: 2 is SME2; guests given SME get SME (1) without ZT0. */
	if (ID_FIELD(c->idregs[IDREG_INDEX(4, 1)], ID_AA64PFR1_SME) > 1)
		c->idregs[IDREG_INDEX(4, 1)] = (c->idregs[IDREG_INDEX(4, 1)] & ~FIELD(24)) |
					       U64(1) << 24;
}

bool idreg_trap(struct vcpu *v, uint64_t iss)
{
	unsigned op0 = iss >> 20 & 3, op2 = iss >> 17 & 7, op1 = iss >> 14 & 7;
	unsigned crn = iss >> 10 & 15, rt = iss >> 5 & 31, crm = iss >> 1 & 15;

	if (op0 != 3 || op1 != 0 || crn != 0 || crm < 1 || crm > 7 || !(iss & 1))
		return false;
	/* The vCPU runs on this CPU for its whole life: its own CPU's values. */
	if (rt != 31)
		v->regs.x[rt] = this_cpu()->idregs[IDREG_INDEX(crm, op2)];
	vcpu_skip_instruction(v);
	return true;
}
