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
#define AFF_OFF 1
#define ROUNDS 16
#define SCTLR_ENIA (1ull << 31)
#define POINTER 0x40081234ull
#define MODIFIER 0x5eedull

static uint8_t stacks[VCPUS][4096] __attribute__((aligned(16)));
static volatile uint32_t done[VCPUS], failures[VCPUS];

/* CPU_ON's entry: x0 = the context id, here the new vCPU's stack top. */
void secondary_entry(void);
void secondary_main(void);
__asm__(".text\n.global secondary_entry\nsecondary_entry:\n\tmov sp, x0\n\tb secondary_main\n");

static uint64_t mpidr(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(v));
	return v & 0xff00ffffffull;
}

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
	uint64_t id = mpidr(), lo = 0x0123456789abcdefull * (id + 1), hi = ~lo ^ id, sig;
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

void secondary_main(void)
{
	uint64_t id = mpidr(), sig;

	failures[id] = exercise(&sig);
	done[id] = 1;
	hvc_call4(PSCI_CPU_OFF, 0, 0, 0, 0);
	for (;;)
		cpu_yield();
}

int main(void)
{
	uint64_t sig, start;
	int64_t on[VCPUS] = { 0 };
	int ok = 1;

	if (!implemented()) {
		put_str("pauth: pointer authentication not implemented\n");
		return 0;
	}
	for (uint64_t id = 1; id < VCPUS; id++)
		on[id] = hvc_call4(PSCI_CPU_ON, id, (uintptr_t)secondary_entry,
				   (uintptr_t)(stacks[id] + sizeof stacks[id]), 0);
	failures[0] = exercise(&sig);
	done[0] = 1;
	start = counter();
	for (uint64_t id = 1; id < VCPUS; id++)
		while ((!done[id] || hvc_call4(PSCI_AFFINITY_INFO, id, 0, 0, 0) != AFF_OFF) &&
		       counter() - start < 5 * counter_freq())
			cpu_yield();
	put_str("pauth: pointer ");
	put_hex(POINTER);
	put_str(" signed ");
	put_hex(sig);
	put_str("; failed checks per vCPU:");
	for (int id = 0; id < VCPUS; id++) {
		put_char(' ');
		put_dec(done[id] && on[id] == 0 ? (int64_t)failures[id] : -1);
		ok = ok && done[id] && on[id] == 0 && failures[id] == 0;
	}
	put_str("\n");
	put_str(ok ? "pauth: ok\n" : "pauth: FAILED\n");
	return 0;
}
