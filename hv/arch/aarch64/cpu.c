/* Physical CPUs: per-CPU EL2 state, and bringing the secondaries online. */
#include "arch/aarch64/cpu.h"
#include "arch/aarch64/gic.h"
#include "arch/aarch64/psci.h"
#include "core/console.h"
#include "core/sched.h"

struct cpu cpus[HV_MAX_CPUS];

/* How long a secondary may take from CPU_ON to running C code. */
#define CPU_ON_TIMEOUT_MS 100

/*
 * The optional features whose EL2 controls follow the ID registers (Arm ARM
 * D19.2 ID_AA64PFR0_EL1, ID_AA64PFR1_EL1, ID_AA64ISAR1_EL1, ID_AA64ISAR2_EL1):
 * a field of 0 means not implemented.
 */
static void read_features(struct cpu *c)
{
	uint64_t pfr0 = sysreg_read(SYS_ID_AA64PFR0_EL1);
	uint64_t pfr1 = sysreg_read(SYS_ID_AA64PFR1_EL1);
	uint64_t isar1 = sysreg_read(SYS_ID_AA64ISAR1_EL1);
	uint64_t isar2 = sysreg_read(SYS_ID_AA64ISAR2_EL1);
	bool address_auth = ID_FIELD(isar1, ID_AA64ISAR1_APA) || ID_FIELD(isar1, ID_AA64ISAR1_API) ||
			    ID_FIELD(isar2, ID_AA64ISAR2_APA3);
	bool generic_auth = ID_FIELD(isar1, ID_AA64ISAR1_GPA) || ID_FIELD(isar1, ID_AA64ISAR1_GPI) ||
			    ID_FIELD(isar2, ID_AA64ISAR2_GPA3);

	c->sve = ID_FIELD(pfr0, ID_AA64PFR0_SVE) != 0;
	c->sme = ID_FIELD(pfr1, ID_AA64PFR1_SME) != 0;
	/* Either kind of authentication brings all five keys (FEAT_PAuth). */
	c->pauth = address_auth || generic_auth;
	/*
	 * HCR_EL2.API = 1, APK = 1: the guest's PAC/AUT instructions and its
	 * key register accesses run without trapping. Safe between VMs because
	 * vcpu_load/vcpu_put switch the keys (PAUTH_KEY_SYSREGS), so no guest
	 * reads or signs with another's. Without FEAT_PAuth both bits are RES0.
	 */
	c->hcr_features = c->pauth ? HCR_API | HCR_APK : 0;
}

void cpu_log_features(void)
{
	const struct cpu *c = this_cpu();

	hv_log("cpu%u: pointer authentication %s; SVE %s; SME %s", c->index,
	       c->pauth ? "for guests (keys switched)" : "not implemented",
	       c->sve ? "trapped (state not switched)" : "not implemented",
	       c->sme ? "trapped (state not switched)" : "not implemented");
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
	 *   vcpu_load/vcpu_put switch the registers. SVE (TZ = 1) and SME
	 *   (TSM = 1) stay trapped where implemented: the hypervisor switches
	 *   only the 128-bit V registers, FPSR and FPCR, not an SVE vCPU's
	 *   Z0-Z31 beyond bit 127, P0-P15, FFR and ZCR_EL1, nor SME's ZA, ZT0,
	 *   SVCR and SMCR_EL1 (its TPIDR2_EL0, which TSM does not trap, is
	 *   switched). Untrapped, one VM would read what another left in
	 *   them. So ZCR_EL2 and SMCR_EL2 (which exist only with SVE/SME, and
	 *   which TZ/TSM trap at EL2 too) are left at reset: no SVE or SME
	 *   instruction runs on this CPU. A guest that uses them anyway (the
	 *   ID registers, not trapped, say they exist) is stopped with a
	 *   report (trap.c, EC 0x19 and 0x1d).
	 * - VPIDR_EL2: guests read this CPU's own MIDR_EL1; VMPIDR_EL2 is per
	 *   vCPU (vcpu_load), from its phys_cpu_ids entry.
	 * - CNTHCTL_EL2: guests may read the physical counter (EL1PCTEN) but
	 *   not program the physical timer (EL1PCEN = 0 traps it); they have
	 *   the virtual timer, with no offset (CNTVOFF_EL2 = 0).
	 * - MDCR_EL2: the debug registers (breakpoints, watchpoints, MDSCR_EL1,
	 *   the OS lock) are this CPU's, not switched with the vCPU: untrapped,
	 *   one guest's breakpoints would fire in whichever VM runs here next.
	 *   They trap, and trap.c makes them read as zero and ignore writes.
	 *   HPMN keeps every PMU counter available to EL1 (its reset value,
	 *   written explicitly: a zero HPMN is CONSTRAINED UNPREDICTABLE).
	 */
	sysreg_write(cptr_el2, CPTR_EL2_RES1 | CPTR_EL2_TZ | CPTR_EL2_TSM); /* TFP = 0 */
	sysreg_write(cnthctl_el2, CNTHCTL_EL1PCTEN);
	sysreg_write(cntvoff_el2, 0);
	sysreg_write(vpidr_el2, sysreg_read(midr_el1));
	sysreg_write(mdcr_el2, MDCR_TDA | MDCR_TDOSA | MDCR_TDRA | PMCR_N(sysreg_read(pmcr_el0)));
	/* The virtual CPU interface stays off until a vCPU with a vGIC enters (vgic.c). */
	sysreg_write(ich_hcr_el2, 0);
	isb();
	/* TLB contents are UNKNOWN after reset: drop every EL1&0 entry of every VMID. */
	__asm__ volatile("tlbi alle1\n\tdsb nsh\n\tisb" : : : "memory");
	gic_cpu_init(c->mpidr);
}

static bool wait_online(const struct cpu *c)
{
	uint64_t freq = sysreg_read(cntfrq_el0);
	uint64_t start = sysreg_read(cntpct_el0);

	while (!__atomic_load_n(&c->online, __ATOMIC_ACQUIRE))
		if (sysreg_read(cntpct_el0) - start > freq / 1000 * CPU_ON_TIMEOUT_MS)
			return false;
	return true;
}

uint32_t cpu_start_secondaries(const uint64_t *mpidrs, uint32_t count)
{
	uint32_t online = 1, next = 1;

	for (uint32_t i = 0; i < count; i++) {
		uint64_t mpidr = mpidrs[i] & MPIDR_AFF_MASK;
		uint32_t slot;
		int64_t ret;

		if (mpidr == this_cpu()->mpidr)
			continue;
		if (next == HV_MAX_CPUS) {
			hv_log("cpu with MPIDR %#llx left off: HV_MAX_CPUS is %d",
			       (unsigned long long)mpidr, HV_MAX_CPUS);
			continue;
		}
		/* A slot (index, stack) is never reused: a late CPU must not share one. */
		slot = next++;
		ret = psci_cpu_on(mpidr, (uint64_t)(uintptr_t)hv_secondary_entry, slot);
		if (ret != PSCI_SUCCESS)
			hv_log("cpu with MPIDR %#llx: PSCI CPU_ON failed (%lld)",
			       (unsigned long long)mpidr, (long long)ret);
		else if (!wait_online(&cpus[slot]))
			hv_log("cpu%u (MPIDR %#llx) did not come online", slot,
			       (unsigned long long)mpidr);
		else
			online++;
	}
	return online;
}

void hv_secondary_main(uint32_t index)
{
	cpu_init(index);
	hv_log("cpu%u online (MPIDR %#llx)", index, (unsigned long long)cpus[index].mpidr);
	/* A CPU unlike the boot CPU (big.LITTLE) says what it has. */
	if (cpus[index].pauth != cpus[0].pauth || cpus[index].sve != cpus[0].sve ||
	    cpus[index].sme != cpus[0].sme)
		cpu_log_features();
	__atomic_store_n(&cpus[index].online, true, __ATOMIC_RELEASE);
	sched_secondary();
	/* Parked: the boot CPU ends the machine once every CPU is done. */
	for (;;)
		__asm__ volatile("wfe");
}
