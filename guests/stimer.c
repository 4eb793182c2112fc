/* SPDX-License-Identifier: MIT */
/*
 * The supervisor timer of riscv64 vCPUs (tests/qemu-riscv64/run "stimer").
 *
 * Three vCPUs on two harts: vCPUs 0 and 2 share hart 0 (the time slice
 * switches them: each busy-waits), vCPU 1 has hart 1 (it waits in WFI).
 * Each takes its timer interrupt TICKS times and re-arms it from its
 * handler PERIOD ticks ahead, each its own way: vCPU 0 writes stimecmp
 * itself (Sstc: the hypervisor's vstimecmp, no exit), vCPU 1 calls SBI
 * TIME, vCPU 2 the legacy set_timer. An interrupt whose handler finds the
 * time before its own deadline is spurious: another vCPU's deadline, or
 * one left armed across a switch, fired into it. A vCPU whose interrupts
 * stop coming (a deadline lost in a switch) does not finish within the
 * time limit. Only vCPU 0 prints; "stimer: ok" when every vCPU took TICKS
 * interrupts and none was spurious. Only riscv64 runs it: elsewhere the
 * guest says so.
 */
#include "guest.h"

#if defined(__riscv)

#define VCPUS 3
#define TICKS 200
#define PERIOD 2000 /* 200 us of the 10 MHz timebase */
#define LIMIT_S 20
#define CSR_STIMECMP "0x14d"
#define SIE_STIE (1ul << 5)
#define SSTATUS_SIE (1ul << 1)
#define STACK 8192

uint64_t stimer_stacks[VCPUS][STACK / 8] __attribute__((aligned(16)));
static volatile uint64_t deadline[VCPUS], ticks[VCPUS], spurious[VCPUS], other[VCPUS];
static volatile uint32_t finished[VCPUS];

static void arm(uint64_t id, uint64_t when)
{
	deadline[id] = when;
	if (id == 0)
		__asm__ volatile("csrw " CSR_STIMECMP ", %0" : : "r"(when) : "memory");
	else if (id == 1)
		sbi_call(SBI_EXT_TIME, 0, when, 0, 0);
	else
		sbi_call(SBI_LEGACY_SET_TIMER, 0, when, 0, 0);
}

static void stimer_trap(void)
{
	uint64_t id = guest_cpu_id(), cause, now = counter();

	__asm__ volatile("csrr %0, scause" : "=r"(cause));
	if (cause != (1ull << 63 | 5)) {
		other[id]++;
		return;
	}
	if (now < deadline[id])
		spurious[id]++;
	else
		ticks[id]++;
	arm(id, ticks[id] < TICKS ? now + PERIOD : ~0ull);
}


static void run(uint64_t id)
{
	uint64_t start = counter();

	guest_trap_handler = stimer_trap;
	__asm__ volatile("csrw stvec, %0" : : "r"(guest_trap_return_entry));
	arm(id, counter() + PERIOD);
	__asm__ volatile("csrs sie, %0\n\tcsrs sstatus, %1" : : "r"(SIE_STIE), "r"(SSTATUS_SIE)
			 : "memory");
	while (ticks[id] < TICKS && counter() - start < LIMIT_S * counter_freq())
		if (id == 1)
			__asm__ volatile("wfi" : : : "memory");
	__asm__ volatile("csrc sstatus, %0\n\tcsrc sie, %1" : : "r"(SSTATUS_SIE), "r"(SIE_STIE)
			 : "memory");
	arm(id, ~0ull);
	finished[id] = 1;
}

void secondary_main(void);
void secondary_main(void)
{
	run(guest_cpu_id());
	guest_cpu_stop();
	for (;;)
		__asm__ volatile("wfi");
}

/* HART_START's entry: the stack by hart id. */
__asm__(".text\n.balign 4\n.global secondary_entry\nsecondary_entry:\n"
	"\tmv tp, a0\n\taddi t0, a0, 1\n\tslli t0, t0, 13\n\tla t1, stimer_stacks\n\tadd sp, t1, t0\n"
	"\ttail secondary_main\n");
void secondary_entry(void);

int main(void)
{
	uint64_t start;
	bool ok = true;

	for (uint64_t i = 1; i < VCPUS; i++)
		guest_cpu_start(i, secondary_entry, 0);
	run(0);
	start = counter();
	for (uint64_t i = 1; i < VCPUS; i++)
		while (!finished[i] && counter() - start < LIMIT_S * counter_freq())
			cpu_yield();
	for (uint64_t i = 0; i < VCPUS; i++) {
		static const char *const how[VCPUS] = { "stimecmp", "SBI TIME", "legacy set_timer" };

		put_str("stimer: vCPU ");
		put_dec((int64_t)i);
		put_str(" (");
		put_str(how[i]);
		put_str("): ");
		put_dec((int64_t)ticks[i]);
		put_str(" timer interrupts, ");
		put_dec((int64_t)spurious[i]);
		put_str(" spurious, ");
		put_dec((int64_t)other[i]);
		put_str(" other\n");
		ok = ok && finished[i] && ticks[i] == TICKS && !spurious[i] && !other[i];
	}
	put_str(ok ? "stimer: ok\n" : "stimer: FAILED\n");
	return 0;
}

#else

int main(void)
{
	put_str("stimer: riscv64 only\n");
	return 0;
}

#endif
