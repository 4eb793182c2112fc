/* SPDX-License-Identifier: MIT */
/*
 * State between two VMs that share physical CPUs (tests/qemu/run "leak"):
 * two VMs run this guest, each with two vCPUs, placed vCPU0 on cpu0 and
 * vCPU1 on cpu1, so each CPU is shared by one vCPU of each VM and they take
 * turns on it (each WFI gives the CPU up). First each vCPU looks at the state the
 * hypervisor switches with the vCPU — system registers (aarch64: EL1's and
 * SP_EL0; riscv64: the VS CSRs), the FP registers and their control and
 * status — which must read as the zero a fresh vCPU starts with, whatever the other VM wrote before it first ran. Then, for ROUNDS
 * turns, it writes values of its own (from the counter at its start, so the
 * two VMs differ) and checks after each turn that they read back unchanged:
 * nothing of the other VM's shows through, nothing of its own is lost.
 * On aarch64 the PMU, which is the CPU's and not switched, must show
 * nothing at all (pmu_probe).
 */
#include "guest.h"

#define ROUNDS 200
#define VCPUS 2

/*
 * The state each architecture's hypervisor switches with the vCPU, as this
 * guest reads and writes it: NSYS system registers (sys_read, sys_write;
 * PROBE_ONES, what is written to find the bits each keeps), NFP 64-bit
 * words of FP registers (fp_store, fp_load), and the FP control and status
 * bits that every CPU keeps (fpcr/fpsr and their masks).
 */
#if defined(__aarch64__)

#define NSYS 11
#define NFP 64                   /* Q0-Q31, as pairs of 64-bit halves */
#define FPCR_MASK 0x07c00000ull /* AHP, DN, FZ, RMode: settable on every CPU */
#define FPSR_MASK 0x0800009full /* QC and the cumulative exception flags */
#define CPACR_FPEN (3ull << 20)
/* PAR_EL1 only with F = 0, its PA field, so that what is written keeps one format. */
#define PROBE_ONES(i) ((i) == 7 ? 0x0000fffffffff000ull : ~0ull)
#define FIRST_LOOK_SKIP(i) 0

static void fp_enable(void)
{
	uint64_t cpacr;

	__asm__ volatile("mrs %0, cpacr_el1" : "=r"(cpacr));
	__asm__ volatile("msr cpacr_el1, %0\n\tisb" : : "r"(cpacr | CPACR_FPEN) : "memory");
}

static void sys_read(uint64_t *r)
{
	__asm__ volatile("mrs %0, tpidr_el1" : "=r"(r[0]));
	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(r[1]));
	__asm__ volatile("mrs %0, tpidrro_el0" : "=r"(r[2]));
	__asm__ volatile("mrs %0, contextidr_el1" : "=r"(r[3]));
	__asm__ volatile("mrs %0, far_el1" : "=r"(r[4]));
	__asm__ volatile("mrs %0, afsr0_el1" : "=r"(r[5]));
	__asm__ volatile("mrs %0, afsr1_el1" : "=r"(r[6]));
	__asm__ volatile("mrs %0, par_el1" : "=r"(r[7]));
	__asm__ volatile("mrs %0, amair_el1" : "=r"(r[8]));
	__asm__ volatile("mrs %0, sp_el0" : "=r"(r[9]));
	__asm__ volatile("mrs %0, elr_el1" : "=r"(r[10]));
}

static void sys_write(const uint64_t *r)
{
	__asm__ volatile("msr tpidr_el1, %0" : : "r"(r[0]));
	__asm__ volatile("msr tpidr_el0, %0" : : "r"(r[1]));
	__asm__ volatile("msr tpidrro_el0, %0" : : "r"(r[2]));
	__asm__ volatile("msr contextidr_el1, %0" : : "r"(r[3]));
	__asm__ volatile("msr far_el1, %0" : : "r"(r[4]));
	__asm__ volatile("msr afsr0_el1, %0" : : "r"(r[5]));
	__asm__ volatile("msr afsr1_el1, %0" : : "r"(r[6]));
	__asm__ volatile("msr par_el1, %0" : : "r"(r[7]));
	__asm__ volatile("msr amair_el1, %0" : : "r"(r[8]));
	__asm__ volatile("msr sp_el0, %0" : : "r"(r[9]));
	__asm__ volatile("msr elr_el1, %0\n\tisb" : : "r"(r[10]) : "memory");
}

/* Q0-Q31 to and from memory; the compiler itself never uses them (-mgeneral-regs-only). */
static void fp_store(uint64_t *buf)
{
	__asm__ volatile("stp q0, q1, [%0, #0]\n\tstp q2, q3, [%0, #32]\n\t"
			 "stp q4, q5, [%0, #64]\n\tstp q6, q7, [%0, #96]\n\t"
			 "stp q8, q9, [%0, #128]\n\tstp q10, q11, [%0, #160]\n\t"
			 "stp q12, q13, [%0, #192]\n\tstp q14, q15, [%0, #224]\n\t"
			 "stp q16, q17, [%0, #256]\n\tstp q18, q19, [%0, #288]\n\t"
			 "stp q20, q21, [%0, #320]\n\tstp q22, q23, [%0, #352]\n\t"
			 "stp q24, q25, [%0, #384]\n\tstp q26, q27, [%0, #416]\n\t"
			 "stp q28, q29, [%0, #448]\n\tstp q30, q31, [%0, #480]"
			 : : "r"(buf) : "memory");
}

static void fp_load(const uint64_t *buf)
{
	__asm__ volatile("ldp q0, q1, [%0, #0]\n\tldp q2, q3, [%0, #32]\n\t"
			 "ldp q4, q5, [%0, #64]\n\tldp q6, q7, [%0, #96]\n\t"
			 "ldp q8, q9, [%0, #128]\n\tldp q10, q11, [%0, #160]\n\t"
			 "ldp q12, q13, [%0, #192]\n\tldp q14, q15, [%0, #224]\n\t"
			 "ldp q16, q17, [%0, #256]\n\tldp q18, q19, [%0, #288]\n\t"
			 "ldp q20, q21, [%0, #320]\n\tldp q22, q23, [%0, #352]\n\t"
			 "ldp q24, q25, [%0, #384]\n\tldp q26, q27, [%0, #416]\n\t"
			 "ldp q28, q29, [%0, #448]\n\tldp q30, q31, [%0, #480]"
			 : : "r"(buf) : "memory");
}

static uint64_t fpcr_read(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, fpcr" : "=r"(v));
	return v;
}

/*
 * The PMU is the physical CPU's and not switched: the hypervisor hides it
 * (ID_AA64DFR0_EL1.PMUVer 0) and makes its registers read as zero and
 * ignore writes. A guest that programs it anyway (enable, the cycle
 * counter and event counter 0 counting, values written) must read back
 * nothing: the counts of the other VM's vCPU on this CPU would show here.
 * Returns the registers that showed something.
 */
#define HAS_PMU_PROBE 1
static uint32_t pmu_probe(void)
{
	uint64_t v[8];

	__asm__ volatile("mrs %0, id_aa64dfr0_el1" : "=r"(v[0]));
	v[0] = v[0] >> 8 & 0xf; /* PMUVer */
	__asm__ volatile("msr pmcr_el0, %0\n\tmsr pmcntenset_el0, %1\n\t"
			 "msr pmccntr_el0, %2\n\tmsr pmevcntr0_el0, %2\n\t"
			 "msr pmevtyper0_el0, %3\n\tmsr pmccfiltr_el0, xzr\n\t"
			 "msr pmuserenr_el0, %4\n\tmsr pmintenset_el1, %1\n\tisb"
			 : : "r"(1ull), "r"((1ull << 31) | 1), "r"(0x12345ull), "r"(0x11ull),
			   "r"(0xfull) : "memory");
	__asm__ volatile("mrs %0, pmcr_el0" : "=r"(v[1]));
	__asm__ volatile("mrs %0, pmcntenset_el0" : "=r"(v[2]));
	__asm__ volatile("mrs %0, pmccntr_el0" : "=r"(v[3]));
	__asm__ volatile("mrs %0, pmevcntr0_el0" : "=r"(v[4]));
	__asm__ volatile("mrs %0, pmevtyper0_el0" : "=r"(v[5]));
	__asm__ volatile("mrs %0, pmuserenr_el0" : "=r"(v[6]));
	__asm__ volatile("mrs %0, pmintenset_el1" : "=r"(v[7]));
	uint32_t shown = 0;
	for (int i = 0; i < 8; i++)
		shown += v[i] != 0;
	return shown;
}

static uint64_t fpsr_read(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, fpsr" : "=r"(v));
	return v;
}

static void fp_control_write(uint64_t fpcr, uint64_t fpsr)
{
	__asm__ volatile("msr fpcr, %0\n\tmsr fpsr, %1" : : "r"(fpcr), "r"(fpsr));
}

#elif defined(__riscv)

/*
 * The CSRs a guest may write freely: sscratch, stvec, sepc, scause, stval
 * (VS-mode's own copies), and scounteren and senvcfg, which VS-mode
 * reaches directly (the H extension has no VS copies of them: the
 * hypervisor must switch them). WARL fields are found by the probe; stvec
 * is the runtime's trap report at the first look, and put back at the end.
 * F0-F31 (the D extension's 64 bits), and fcsr's rounding mode and flags
 * as "fpcr" and "fpsr".
 */
#define NSYS 7
#define NFP 32
#define FPCR_MASK 0xe0ull /* frm */
#define FPSR_MASK 0x1full /* fflags */
#define SSTATUS_FS_INITIAL (1ull << 13)
/* stvec's MODE 3 is reserved, and such a write may be ignored: probe it with Vectored. */
#define PROBE_ONES(i) ((i) == 1 ? ~2ull : ~0ull)
#define FIRST_LOOK_SKIP(i) ((i) == 1)

static void fp_enable(void)
{
	__asm__ volatile("csrs sstatus, %0" : : "r"(SSTATUS_FS_INITIAL) : "memory");
}

static void sys_read(uint64_t *r)
{
	__asm__ volatile("csrr %0, sscratch" : "=r"(r[0]));
	__asm__ volatile("csrr %0, stvec" : "=r"(r[1]));
	__asm__ volatile("csrr %0, sepc" : "=r"(r[2]));
	__asm__ volatile("csrr %0, scause" : "=r"(r[3]));
	__asm__ volatile("csrr %0, stval" : "=r"(r[4]));
	__asm__ volatile("csrr %0, scounteren" : "=r"(r[5]));
	__asm__ volatile("csrr %0, 0x10a" : "=r"(r[6])); /* senvcfg */
}

static void sys_write(const uint64_t *r)
{
	__asm__ volatile("csrw sscratch, %0" : : "r"(r[0]));
	__asm__ volatile("csrw stvec, %0" : : "r"(r[1]));
	__asm__ volatile("csrw sepc, %0" : : "r"(r[2]));
	__asm__ volatile("csrw scause, %0" : : "r"(r[3]));
	__asm__ volatile("csrw stval, %0" : : "r"(r[4]));
	__asm__ volatile("csrw scounteren, %0" : : "r"(r[5]));
	__asm__ volatile("csrw 0x10a, %0" : : "r"(r[6]) : "memory"); /* senvcfg */
}

#define FP_EACH(op)                                                                                \
	op(0) op(1) op(2) op(3) op(4) op(5) op(6) op(7) op(8) op(9) op(10) op(11) op(12) op(13)    \
	op(14) op(15) op(16) op(17) op(18) op(19) op(20) op(21) op(22) op(23) op(24) op(25)        \
	op(26) op(27) op(28) op(29) op(30) op(31)
#define FSD(n) "fsd f" #n ", " #n "*8(%0)\n\t"
#define FLD(n) "fld f" #n ", " #n "*8(%0)\n\t"

/* F0-F31 to and from memory; the compiler itself never uses them (-march without F and D). */
static void fp_store(uint64_t *buf)
{
	__asm__ volatile(".option push\n\t.option arch, +d\n\t" FP_EACH(FSD) ".option pop"
			 : : "r"(buf) : "memory");
}

static void fp_load(const uint64_t *buf)
{
	__asm__ volatile(".option push\n\t.option arch, +d\n\t" FP_EACH(FLD) ".option pop"
			 : : "r"(buf) : "memory");
}

static uint64_t fpcr_read(void)
{
	uint64_t v;

	__asm__ volatile("csrr %0, fcsr" : "=r"(v));
	return v;
}

static uint64_t fpsr_read(void)
{
	return fpcr_read();
}

static void fp_control_write(uint64_t fpcr, uint64_t fpsr)
{
	__asm__ volatile("csrw fcsr, %0" : : "r"(fpcr | fpsr));
}

#endif

/* One vCPU's expectations: the FP registers, what reads back, the bits each system register keeps. */
struct vcpu_state {
	uint64_t fp[NFP], fp_back[NFP], keeps[NSYS];
};

static struct vcpu_state state[VCPUS];
static uint32_t first_look[VCPUS]; /* registers not zero at the first look, per vCPU */
static uint32_t first_look_sys[VCPUS]; /* which system registers, by bit */
#ifdef HAS_PMU_PROBE
static uint32_t pmu_shown[VCPUS]; /* PMU registers (and PMUVer) that showed something */
#endif

/* The bits of v that system register i keeps (some are RAZ/WI on a given CPU, AFSR*_EL1 and AMAIR_EL1 on QEMU's). */
static uint64_t kept(const struct vcpu_state *st, int i, uint64_t v)
{
	return v & st->keeps[i];
}

/* A 64-bit mix (splitmix64's finaliser): distinct values from a counter. */
static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* Counts the registers that differ from what this vCPU wrote (want); *sys gets the system ones by bit. */
static uint32_t compare(struct vcpu_state *st, const uint64_t *want, uint64_t fpcr, uint64_t fpsr,
			uint32_t *sys)
{
	uint64_t got[NSYS];
	uint32_t bad = 0;

	sys_read(got);
	*sys = 0;
	for (int i = 0; i < NSYS; i++)
		if (kept(st, i, got[i]) != kept(st, i, want[i])) {
			*sys |= 1u << i;
			bad++;
		}
	fp_store(st->fp_back);
	for (int i = 0; i < NFP; i++)
		bad += st->fp_back[i] != st->fp[i];
	bad += (fpcr_read() & FPCR_MASK) != fpcr;
	bad += (fpsr_read() & FPSR_MASK) != fpsr;
	return bad;
}

uint32_t team_member(uint64_t id)
{
	struct vcpu_state *st = &state[id];
	uint64_t seed = mix((counter() ^ (id << 56)) | 1), want[NSYS], zero[NSYS] = { 0 };
	uint64_t ones[NSYS], before[NSYS];
	uint32_t mismatches = 0, sys;

	fp_enable();

	/* The first look: a fresh vCPU's state is zero (st->fp is still zero, as it must read). */
	for (int i = 0; i < NSYS; i++)
		st->keeps[i] = FIRST_LOOK_SKIP(i) ? 0 : ~0ull;
	first_look[id] = compare(st, zero, 0, 0, &first_look_sys[id]);

	sys_read(before);
	for (int i = 0; i < NSYS; i++)
		ones[i] = PROBE_ONES(i);
	sys_write(ones);
	sys_read(st->keeps);
	for (int i = 0; i < NSYS; i++)
		st->keeps[i] &= PROBE_ONES(i);
	sys_write(zero);
#ifdef HAS_PMU_PROBE
	pmu_shown[id] = pmu_probe();
#endif

	for (int round = 0; round < ROUNDS; round++) {
		uint64_t fpcr = mix(seed + (uint64_t)round) & FPCR_MASK;
		uint64_t fpsr = mix(seed - (uint64_t)round) & FPSR_MASK;

		for (int i = 0; i < NSYS; i++)
			want[i] = kept(st, i, mix(seed ^ ((uint64_t)round << 8 | (uint64_t)i)));
		for (int i = 0; i < NFP; i++)
			st->fp[i] = mix(seed + ((uint64_t)round << 8 | (uint64_t)(i + 16)));
		sys_write(want);
		fp_load(st->fp);
		fp_control_write(fpcr, fpsr);
		cpu_yield(); /* the other VM's vCPU runs here, with values of its own */
		mismatches += compare(st, want, fpcr, fpsr, &sys);
	}
	sys_write(before); /* riscv64: stvec, the runtime's trap report, back */
#ifdef HAS_PMU_PROBE
	mismatches += pmu_shown[id] + pmu_probe(); /* again after the other VM's 200 turns */
#endif
	return first_look[id] + mismatches;
}

int main(void)
{
	team_run(VCPUS, 10);
	put_str("leak: registers not zero at the first look per vCPU: ");
	for (int i = 0; i < VCPUS; i++) {
		put_dec(first_look[i]);
		put_str(i + 1 < VCPUS ? " " : "");
	}
	for (int i = 0; i < VCPUS; i++)
		if (first_look_sys[i]) {
			put_str("\nleak: vCPU ");
			put_dec(i);
			put_str(": system registers not zero at the first look, by bit (sys_read's order): ");
			put_hex(first_look_sys[i]);
		}
#ifdef HAS_PMU_PROBE
	put_str("\nleak: PMU registers that showed a value per vCPU: ");
	for (int i = 0; i < VCPUS; i++) {
		put_dec(pmu_shown[i]);
		put_str(i + 1 < VCPUS ? " " : "");
	}
#endif
	put_str("\nleak: ");
	put_dec(ROUNDS);
	put_str(" turns per vCPU");
	team_report("leak", VCPUS);
	return 0;
}
