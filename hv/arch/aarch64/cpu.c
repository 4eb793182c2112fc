/* SPDX-License-Identifier: MIT */
/* Physical CPUs: per-CPU EL2 state, and bringing the secondaries online. */
#include "arch/aarch64/cpu.h"
#include "arch/aarch64/gic.h"
#include "arch/aarch64/psci.h"
#include "arch/aarch64/vcpu.h"
#include "core/console.h"
#include "core/cpu_online.h"
#include "core/sched.h"

struct cpu cpus[HV_MAX_CPUS];

/*
 * The optional features whose EL2 controls follow the ID registers (Arm ARM
 * D19.2 ID_AA64PFR0_EL1, ID_AA64PFR1_EL1, ID_AA64ISAR1_EL1, ID_AA64ISAR2_EL1,
 * ID_AA64MMFR1_EL1): a field of 0 means not implemented.
 */
static void read_features(struct cpu *c)
{
	uint64_t pfr0 = sysreg_read(SYS_ID_AA64PFR0_EL1);
	uint64_t pfr1 = sysreg_read(SYS_ID_AA64PFR1_EL1);
	uint64_t isar1 = sysreg_read(SYS_ID_AA64ISAR1_EL1);
	uint64_t isar2 = sysreg_read(SYS_ID_AA64ISAR2_EL1);
	uint64_t mmfr1 = sysreg_read(SYS_ID_AA64MMFR1_EL1);
	bool address_auth = ID_FIELD(isar1, ID_AA64ISAR1_APA) || ID_FIELD(isar1, ID_AA64ISAR1_API) ||
			    ID_FIELD(isar2, ID_AA64ISAR2_APA3);
	bool generic_auth = ID_FIELD(isar1, ID_AA64ISAR1_GPA) || ID_FIELD(isar1, ID_AA64ISAR1_GPI) ||
			    ID_FIELD(isar2, ID_AA64ISAR2_GPA3);

	c->sve = ID_FIELD(pfr0, ID_AA64PFR0_SVE) != 0;
	c->sme = ID_FIELD(pfr1, ID_AA64PFR1_SME) != 0;
	if (c->sme) {
		c->sme_fa64 = (sysreg_read(SYS_ID_AA64SMFR0_EL1) & ID_AA64SMFR0_FA64) != 0;
		c->sme_prio = (sysreg_read(SYS_SMIDR_EL1) & SMIDR_SMPS) != 0;
	}
	/* Either kind of authentication brings all five keys (FEAT_PAuth). */
	c->pauth = address_auth || generic_auth;
	/*
	 * HCR_EL2.API = 1, APK = 1: the guest's PAC/AUT instructions and its
	 * key register accesses run without trapping. Safe between VMs because
	 * vcpu_load/vcpu_put switch the keys (PAUTH_KEY_SYSREGS), so no guest
	 * reads or signs with another's. Without FEAT_PAuth both bits are RES0.
	 */
	c->hcr_features = c->pauth ? HCR_API | HCR_APK : 0;
	/*
	 * HCR_EL2.TLOR = 1 with FEAT_LOR: the LORegions registers are not
	 * switched, so they trap (and stop the VM); idreg.c hides the feature.
	 */
	if (ID_FIELD(mmfr1, ID_AA64MMFR1_LO))
		c->hcr_features |= HCR_TLOR;
}

/*
 * SVE's vector length at EL2 and below is capped by ZCR_EL2.LEN; asking for
 * the largest encodable one (LEN = 0xf, 2048 bits) gives the largest this
 * CPU implements (Arm ARM: a requested length it lacks rounds down to one
 * it has), which RDVL then reports. Guests get all of it: each picks its
 * own below that with ZCR_EL1, switched per vCPU. CPTR_EL2.TZ must be 0
 * already: it traps ZCR_EL2 and RDVL at EL2 too.
 */
static void sve_init(struct cpu *c)
{
	sysreg_write(SYS_ZCR_EL2, ZCR_LEN_MAX);
	isb();
	c->sve_vl = (uint32_t)sve_vector_bytes();
	/* The same length, written as the LEN it is, so nothing depends on the rounding. */
	sysreg_write(SYS_ZCR_EL2, c->sve_vl / 16 - 1);
	isb();
}

/*
 * SME's streaming vector length likewise, from SMCR_EL2.LEN (RDSVL reads it
 * outside Streaming SVE mode too), and SMCR_EL2.FA64 where implemented, so
 * that EL2 reaches FFR in Streaming SVE mode when it saves a guest's. ZT0
 * (SME2) is not switched: EZT0 = 0 keeps it trapped, and idreg.c tells
 * guests SME2 is not there. SME is given only along with SVE: the switch
 * runs on SVE's save/restore (Streaming SVE mode without FEAT_SVE is left
 * trapped).
 */
static void sme_init(struct cpu *c)
{
	uint64_t fa64 = c->sme_fa64 ? SMCR_FA64 : 0;

	sysreg_write(SYS_SMCR_EL2, fa64 | SMCR_LEN_MAX);
	isb();
	c->sme_vl = (uint32_t)sme_vector_bytes();
	sysreg_write(SYS_SMCR_EL2, fa64 | (c->sme_vl / 16 - 1));
	isb();
}

/* The largest vector length of the online CPUs, streaming (SME) or not (SVE). */
static uint32_t max_online_vl(bool streaming)
{
	uint32_t vl = 0;

	for (uint32_t i = 0; i < HV_MAX_CPUS; i++) {
		uint32_t v = streaming ? cpus[i].sme_vl : cpus[i].sve_vl;

		if (__atomic_load_n(&cpus[i].online, __ATOMIC_ACQUIRE) && v > vl)
			vl = v;
	}
	return vl;
}

uint32_t cpu_max_sve_vl(void)
{
	return max_online_vl(false);
}

uint32_t cpu_max_sme_vl(void)
{
	return max_online_vl(true);
}

void cpu_log_features(void)
{
	const struct cpu *c = this_cpu();
	char sve[48], sme[64];

	if (c->sve)
		vmcfg_snprintf(sve, sizeof sve, "for guests (%u-bit vectors, state switched)",
			       c->sve_vl * 8);
	if (c->sme_vl)
		vmcfg_snprintf(sme, sizeof sme, "for guests (%u-bit streaming vectors, state switched)",
			       c->sme_vl * 8);
	hv_log("cpu%u: pointer authentication %s; SVE %s; SME %s", c->index,
	       c->pauth ? "for guests (keys switched)" : "not implemented",
	       c->sve ? sve : "not implemented",
	       c->sme_vl ? sme : c->sme ? "trapped (hidden from guests)" : "not implemented");
}

void cpu_init(uint32_t index)
{
	struct cpu *c = &cpus[index];

	c->index = index;
	c->mpidr = sysreg_read(mpidr_el1) & MPIDR_AFF_MASK;
	sysreg_write(tpidr_el2, (uint64_t)(uintptr_t)c);
	read_features(c);
	/*
	 * EL2 controls that are the same for every guest on this CPU:
	 * - CPTR_EL2: FP/SIMD not trapped (TFP = 0), so guests use it freely;
	 *   vcpu_load/vcpu_put switch the registers. SVE is not trapped either
	 *   (TZ = 0) where implemented: vcpu_load/vcpu_put switch Z0-Z31 at the
	 *   full vector length (sve_init), P0-P15, FFR and ZCR_EL1 in place of
	 *   the V registers. Nor is SME (TSM = 0) where implemented along with
	 *   SVE: vcpu_load/vcpu_put switch SVCR (PSTATE.SM, PSTATE.ZA), the
	 *   Z/P/FFR registers at the streaming vector length in Streaming SVE
	 *   mode (sme_init), the ZA storage when on, SMCR_EL1, SMPRI_EL1 and
	 *   TPIDR2_EL0 (switched whenever SME exists: TSM does not trap it).
	 *   ZT0 (SME2) stays trapped (SMCR_EL2.EZT0 = 0) and hidden; a guest
	 *   using SME where it stays trapped is stopped (trap.c, EC 0x1d).
	 * - HCR_EL2.TID3 (vcpu.c): guests read the ID registers through
	 *   idreg.c, which clears what they are not given (MTE, SME2, ...).
	 * - VPIDR_EL2: guests read this CPU's own MIDR_EL1; VMPIDR_EL2 is per
	 *   vCPU (vcpu_load), from its phys_cpu_ids entry.
	 * - CNTHCTL_EL2: guests may read the physical counter (EL1PCTEN) but
	 *   not program the physical timer (EL1PCEN = 0 traps it: ptimer.c
	 *   emulates it, using the hardware one underneath); they have the
	 *   virtual timer, with no offset (CNTVOFF_EL2 = 0).
	 * - MDCR_EL2: the debug registers (breakpoints, watchpoints, MDSCR_EL1,
	 *   the OS lock) are this CPU's, not switched with the vCPU: untrapped,
	 *   one guest's breakpoints would fire in whichever VM runs here next.
	 *   They trap, and trap.c makes them read as zero and ignore writes.
	 *   So do the PMU's registers (TPM, TPMCR), for the same reason: its
	 *   counters count whichever VM runs here, and one VM's settings would
	 *   stay for the next; idreg.c says there is no PMU. HPMN keeps its
	 *   reset value, written explicitly (a zero HPMN is CONSTRAINED
	 *   UNPREDICTABLE).
	 */
	sysreg_write(cptr_el2, CPTR_EL2_RES1 | (c->sve ? 0 : CPTR_EL2_TZ) |
				       (c->sve && c->sme ? 0 : CPTR_EL2_TSM));
	isb();
	if (c->sve)
		sve_init(c);
	if (c->sve && c->sme)
		sme_init(c);
	idreg_init(c);
	sysreg_write(cnthctl_el2, CNTHCTL_EL1PCTEN);
	sysreg_write(cntvoff_el2, 0);
	sysreg_write(cntp_ctl_el0, 0); /* armed only for a vCPU's deadline (ptimer.c) */
	sysreg_write(vpidr_el2, sysreg_read(midr_el1));
	sysreg_write(mdcr_el2, MDCR_TPMCR | MDCR_TPM | MDCR_TDA | MDCR_TDOSA | MDCR_TDRA |
				       PMCR_N(sysreg_read(pmcr_el0)));
	/* The virtual CPU interface stays off until a vCPU with a vGIC enters (vgic.c). */
	sysreg_write(ich_hcr_el2, 0);
	isb();
	/* TLB contents are UNKNOWN after reset: drop every EL1&0 entry of every VMID. */
	__asm__ volatile("tlbi alle1\n\tdsb nsh\n\tisb" : : : "memory");
	gic_cpu_init(c->mpidr);
}

bool hv_arch_cpu_is_self(uint64_t id)
{
	return (id & MPIDR_AFF_MASK) == this_cpu()->mpidr;
}

int64_t hv_arch_cpu_start(uint32_t index, uint64_t id)
{
	int64_t ret = psci_cpu_on(id & MPIDR_AFF_MASK, (uint64_t)(uintptr_t)hv_secondary_entry, index);

	return ret == PSCI_SUCCESS ? 0 : ret;
}

uint64_t hv_arch_counter(void)
{
	return sysreg_read(cntpct_el0);
}

uint64_t hv_arch_counter_hz(void)
{
	return sysreg_read(cntfrq_el0);
}

void hv_secondary_main(uint32_t index)
{
	cpu_init(index);
	if (!cpu_online_claim(index)) {
		for (;;) /* too late: the boot CPU went on without it */
			__asm__ volatile("wfi");
	}
	hv_log("cpu%u online (MPIDR %#llx)", index, (unsigned long long)cpus[index].mpidr);
	/* A CPU unlike the boot CPU (big.LITTLE) says what it has. */
	if (cpus[index].pauth != cpus[0].pauth || cpus[index].sve != cpus[0].sve ||
	    cpus[index].sve_vl != cpus[0].sve_vl || cpus[index].sme != cpus[0].sme ||
	    cpus[index].sme_vl != cpus[0].sme_vl)
		cpu_log_features();
	__atomic_store_n(&cpus[index].online, true, __ATOMIC_RELEASE);
	sched_secondary();
	/* Parked: the boot CPU ends the machine once every CPU is done. */
	for (;;)
		__asm__ volatile("wfe");
}
