/* SPDX-License-Identifier: MIT */
/*
 * Pointer authentication under the hypervisor (tests/qemu/run, QEMU -cpu
 * max). Three vCPUs, each with its own APIA key; on 2 physical CPUs,
 * vCPUs 0 and 2 share cpu0 and take turns (each WFI gives the CPU up),
 * vCPU 1 has cpu1. Each sets its key, turns instruction-address signing
 * on (SCTLR_EL1.EnIA), signs a pointer with PACIA and, across the switches,
 * checks that its key reads back, the pointer signs the same way and AUTIA
 * gives it back; last a PACIASP/AUTIASP pair, as a compiler's function
 * prologue and epilogue emit. None of it traps to EL2 (HCR_EL2.API/APK).
 * Without pointer authentication (ID_AA64ISAR1/2_EL1) it says so and
 * powers off. Only vCPU 0 prints (the vCPUs share one console line).
 */
#include "guest.h"

#define VCPUS 3 /* MPIDR 0, 1, 2 */
#define ROUNDS 16
#define SCTLR_ENIA (1ull << 31)
#define POINTER 0x40081234ull
#define MODIFIER 0x5eedull

static uint64_t signature0; /* vCPU 0's signed pointer, for the report */


static int implemented(void)
{
	uint64_t isar1, isar2;

	__asm__ volatile("mrs %0, S3_0_C0_C6_1" : "=r"(isar1)); /* ID_AA64ISAR1_EL1 */
	__asm__ volatile("mrs %0, S3_0_C0_C6_2" : "=r"(isar2)); /* ID_AA64ISAR2_EL1 */
	/* APA [7:4], API [11:8]; APA3 [15:12]: address authentication. */
	return ((isar1 >> 4) & 0xff) != 0 || ((isar2 >> 12) & 0xf) != 0;
}

static void set_key(uint64_t lo, uint64_t hi)
{
	uint64_t sctlr;

	__asm__ volatile("msr S3_0_C2_C1_0, %0" : : "r"(lo)); /* APIAKeyLo_EL1 */
	__asm__ volatile("msr S3_0_C2_C1_1, %0" : : "r"(hi)); /* APIAKeyHi_EL1 */
	__asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
	__asm__ volatile("msr sctlr_el1, %0\n\tisb" : : "r"(sctlr | SCTLR_ENIA) : "memory");
}

static int key_is(uint64_t lo, uint64_t hi)
{
	uint64_t l, h;

	__asm__ volatile("mrs %0, S3_0_C2_C1_0\n\tmrs %1, S3_0_C2_C1_1" : "=r"(l), "=r"(h));
	return l == lo && h == hi;
}

__attribute__((target("arch=armv8.3-a"))) static uint64_t pacia(uint64_t p, uint64_t mod)
{
	__asm__ volatile("pacia %0, %1" : "+r"(p) : "r"(mod));
	return p;
}

__attribute__((target("arch=armv8.3-a"))) static uint64_t autia(uint64_t p, uint64_t mod)
{
	__asm__ volatile("autia %0, %1" : "+r"(p) : "r"(mod));
	return p;
}

/* PACIASP then AUTIASP on x30 (SP the modifier): 1 if x30 was signed and came back. */
static int lr_pair(void)
{
	uint64_t signed_lr, back;

	__asm__ volatile("mov x30, %2\n\t"
			 "hint #25\n\t" /* PACIASP */
			 "mov %0, x30\n\t"
			 "hint #29\n\t" /* AUTIASP */
			 "mov %1, x30"
			 : "=&r"(signed_lr), "=&r"(back)
			 : "r"(POINTER)
			 : "x30");
	return signed_lr != POINTER && back == POINTER;
}

/* The checks of this vCPU, with a key of its own; returns how many failed. */
static uint32_t exercise(uint64_t *signature)
{
	uint64_t id = guest_mpidr(), lo = 0x0123456789abcdefull * (id + 1), hi = ~lo ^ id, sig;
	uint32_t failed = 0;

	set_key(lo, hi);
	sig = pacia(POINTER, MODIFIER);
	*signature = sig;
	failed += sig == POINTER || autia(sig, MODIFIER) != POINTER;
	for (int i = 0; i < ROUNDS; i++) {
		cpu_yield(); /* another vCPU may run here, with its own key */
		failed += !key_is(lo, hi);
		failed += pacia(POINTER, MODIFIER) != sig || autia(sig, MODIFIER) != POINTER;
	}
	failed += !lr_pair();
	return failed;
}

uint32_t team_member(uint64_t id)
{
	uint64_t sig;
	uint32_t failed = exercise(&sig);

	if (id == 0)
		signature0 = sig;
	return failed;
}

int main(void)
{
	if (!implemented()) {
		put_str("pauth: pointer authentication not implemented\n");
		return 0;
	}
	team_run(VCPUS, 5);
	put_str("pauth: pointer ");
	put_hex(POINTER);
	put_str(" signed ");
	put_hex(signature0);
	team_report("pauth", VCPUS);
	return 0;
}
