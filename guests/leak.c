/* SPDX-License-Identifier: MIT */
/*
 * State between two VMs that share physical CPUs (tests/qemu/run "leak"):
 * two VMs run this guest, each with two vCPUs, placed vCPU0 on cpu0 and
 * vCPU1 on cpu1, so each CPU is shared by one vCPU of each VM and they take
 * turns on it (each WFI gives the CPU up). First each vCPU looks at the EL1 state the
 * hypervisor switches with the vCPU — system registers, SP_EL0, the FP/SIMD
 * registers and FPCR/FPSR — which must read as the zero a fresh vCPU starts
 * with, whatever the other VM wrote before it first ran. Then, for ROUNDS
 * turns, it writes values of its own (from the counter at its start, so the
 * two VMs differ) and checks after each turn that they read back unchanged:
 * nothing of the other VM's shows through, nothing of its own is lost.
 */
#include "guest.h"

#define ROUNDS 200
#define CPACR_FPEN (3ull << 20)
#define NSYS 11 /* the system registers of sys_read and sys_write */
#define FPCR_MASK 0x07c00000ull /* AHP, DN, FZ, RMode: settable on every CPU */
#define FPSR_MASK 0x0800009full /* QC and the cumulative exception flags */

#define VCPUS 2

/* One vCPU's expectations: Q0-Q31 as pairs of 64-bit halves, the bits each register keeps. */
struct vcpu_state {
	uint64_t fp[64], fp_back[64], keeps[NSYS];
};

static struct vcpu_state state[VCPUS];
static uint32_t first_look[VCPUS]; /* registers not zero at the first look, per vCPU */

/*
 * The bits each register keeps: probed by writing ones (some are RAZ/WI on
 * a given CPU, AFSR*_EL1 and AMAIR_EL1 on QEMU's); PAR_EL1 only with F = 0,
 * its PA field, so that what is written keeps one format.
 */
static uint64_t kept(const struct vcpu_state *st, int i, uint64_t v)
{
	return v & st->keeps[i];
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

static uint64_t fpsr_read(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, fpsr" : "=r"(v));
	return v;
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

/* Counts the registers that differ from what this vCPU wrote (want). */
static uint32_t compare(struct vcpu_state *st, const uint64_t *want, uint64_t fpcr, uint64_t fpsr)
{
	uint64_t got[NSYS];
	uint32_t bad = 0;

	sys_read(got);
	for (int i = 0; i < NSYS; i++)
		bad += kept(st, i, got[i]) != kept(st, i, want[i]);
	fp_store(st->fp_back);
	for (int i = 0; i < 64; i++)
		bad += st->fp_back[i] != st->fp[i];
	bad += (fpcr_read() & FPCR_MASK) != fpcr;
	bad += (fpsr_read() & FPSR_MASK) != fpsr;
	return bad;
}

uint32_t team_member(uint64_t id)
{
	struct vcpu_state *st = &state[id];
	uint64_t cpacr, seed = mix((counter() ^ (id << 56)) | 1), want[NSYS], zero[NSYS] = { 0 };
	uint64_t ones[NSYS];
	uint32_t mismatches = 0;

	__asm__ volatile("mrs %0, cpacr_el1" : "=r"(cpacr));
	__asm__ volatile("msr cpacr_el1, %0\n\tisb" : : "r"(cpacr | CPACR_FPEN) : "memory");

	/* The first look: a fresh vCPU's state is zero (st->fp is still zero, as it must read). */
	for (int i = 0; i < NSYS; i++)
		st->keeps[i] = ~0ull;
	first_look[id] = compare(st, zero, 0, 0);

	for (int i = 0; i < NSYS; i++)
		ones[i] = i == 7 ? 0x0000fffffffff000ull : ~0ull;
	sys_write(ones);
	sys_read(st->keeps);
	st->keeps[7] &= 0x0000fffffffff000ull;
	sys_write(zero);

	for (int round = 0; round < ROUNDS; round++) {
		uint64_t fpcr = mix(seed + (uint64_t)round) & FPCR_MASK;
		uint64_t fpsr = mix(seed - (uint64_t)round) & FPSR_MASK;

		for (int i = 0; i < NSYS; i++)
			want[i] = kept(st, i, mix(seed ^ ((uint64_t)round << 8 | (uint64_t)i)));
		for (int i = 0; i < 64; i++)
			st->fp[i] = mix(seed + ((uint64_t)round << 8 | (uint64_t)(i + 16)));
		sys_write(want);
		fp_load(st->fp);
		__asm__ volatile("msr fpcr, %0\n\tmsr fpsr, %1" : : "r"(fpcr), "r"(fpsr));
		cpu_yield(); /* the other VM's vCPU runs here, with values of its own */
		mismatches += compare(st, want, fpcr, fpsr);
	}
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
	put_str("\nleak: ");
	put_dec(ROUNDS);
	put_str(" turns per vCPU");
	team_report("leak", VCPUS);
	return 0;
}
