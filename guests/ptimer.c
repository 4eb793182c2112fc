/* SPDX-License-Identifier: MIT */
/*
 * The EL1 physical timer (CNTP_*), which the hypervisor emulates on trap
 * (tests/qemu/run "ptimer" and "ptimer-poll"; hv/arch/aarch64/ptimer.c).
 *
 * Three vCPUs on two CPUs (vCPUs 0 and 2 share cpu0), each in turn:
 * - registers: CVAL reads back what was written; a TVAL write sets CVAL to
 *   the count plus it and TVAL reads back the time left; ISTATUS is 0
 *   while disabled; CNTPCT_EL0 reads at most CNTVCT_EL0 read after it
 *   (no offset between the two counts);
 * - TICKS interrupts (PPI 30 through the emulated GICv3), re-armed in the
 *   handler by a CVAL write (vCPU 0) or a TVAL write (the others) alone,
 *   CNTP_CTL_EL0 untouched: the write must lower the timer's output;
 * - masked: ENABLE and IMASK, the condition met (ISTATUS 1) for several
 *   periods without an interrupt, then IMASK cleared: the interrupt comes;
 * - a deadline passing while the vCPU waits in WFI with IRQs masked (its
 *   CPU runs the other vCPU): taken once IRQs are unmasked.
 * Built with PTIMER_POLL (guests/ptimer-poll.c) for a VM without a GIC, it
 * polls CNTP_CTL_EL0.ISTATUS instead of taking interrupts. Only vCPU 0
 * prints.
 */
#include "guest.h"

#ifndef PTIMER_POLL
#define PTIMER_POLL 0
#endif
#define NAME (PTIMER_POLL ? "ptimer-poll" : "ptimer")

#define VCPUS 3
#define TICKS 20
#define TIMEOUT_S 5

#define INTID_PTIMER 30
#define INTID_SPURIOUS 1023

/* The emulated GICv3 (examples/qemu/ptimer.toml; redistributors as hv/arch/aarch64/vgic.h says). */
#define GICD_BASE 0x08000000ul
#define GICD_CTLR 0x0000
#define GICD_CTLR_ENABLE_G1 (1u << 1)
#define GICR_BASE 0x080a0000ul
#define GICR_FRAME 0x20000ul
#define GICR_WAKER 0x0014
#define GICR_WAKER_SLEEP (1u << 1)
#define GICR_WAKER_ASLEEP (1u << 2)
#define GICR_SGI 0x10000ul
#define GICR_IGROUPR0 (GICR_SGI + 0x0080)
#define GICR_ISENABLER0 (GICR_SGI + 0x0100)
#define GICR_IPRIORITYR (GICR_SGI + 0x0400)

/* CNTP_CTL_EL0: ENABLE [0], IMASK [1], ISTATUS [2]. */
#define CTL_ENABLE 1u
#define CTL_IMASK 2u
#define CTL_ISTATUS 4u

static uint8_t stacks[VCPUS][4096] __attribute__((aligned(16)));
static volatile uint32_t ticks[VCPUS], spurious[VCPUS], unexpected[VCPUS], done[VCPUS];
static volatile uint32_t rearming[VCPUS];
static volatile uint32_t fails[VCPUS]; /* a bit per failed check */
static volatile int64_t on[VCPUS];
static uint64_t period;

void secondary_entry(void);
void secondary_main(void);
void irq_handler(void);
void bad_exception(uint64_t esr, uint64_t elr);

/* CPU_ON's entry (x0 = the stack top) and the EL1 vector table (IRQ from EL1h at 0x280). */
__asm__(".text\n"
	".global secondary_entry\n"
	"secondary_entry:\n"
	"	mov sp, x0\n"
	"	b secondary_main\n"
	"	.balign 2048\n"
	"vectors:\n"
	"	.rept 5\n"
	"	.balign 128\n"
	"	b bad_entry\n"
	"	.endr\n"
	"	.balign 128\n"
	"	b irq_entry\n"
	"	.rept 10\n"
	"	.balign 128\n"
	"	b bad_entry\n"
	"	.endr\n"
	"bad_entry:\n"
	"	mrs x0, esr_el1\n"
	"	mrs x1, elr_el1\n"
	"	b bad_exception\n"
	"irq_entry:\n"
	"	sub sp, sp, #176\n"
	"	stp x0, x1, [sp, #0]\n"
	"	stp x2, x3, [sp, #16]\n"
	"	stp x4, x5, [sp, #32]\n"
	"	stp x6, x7, [sp, #48]\n"
	"	stp x8, x9, [sp, #64]\n"
	"	stp x10, x11, [sp, #80]\n"
	"	stp x12, x13, [sp, #96]\n"
	"	stp x14, x15, [sp, #112]\n"
	"	stp x16, x17, [sp, #128]\n"
	"	stp x18, x30, [sp, #144]\n"
	"	mrs x0, elr_el1\n"
	"	mrs x1, spsr_el1\n"
	"	stp x0, x1, [sp, #160]\n"
	"	bl irq_handler\n"
	"	ldp x0, x1, [sp, #160]\n"
	"	msr elr_el1, x0\n"
	"	msr spsr_el1, x1\n"
	"	ldp x0, x1, [sp, #0]\n"
	"	ldp x2, x3, [sp, #16]\n"
	"	ldp x4, x5, [sp, #32]\n"
	"	ldp x6, x7, [sp, #48]\n"
	"	ldp x8, x9, [sp, #64]\n"
	"	ldp x10, x11, [sp, #80]\n"
	"	ldp x12, x13, [sp, #96]\n"
	"	ldp x14, x15, [sp, #112]\n"
	"	ldp x16, x17, [sp, #128]\n"
	"	ldp x18, x30, [sp, #144]\n"
	"	add sp, sp, #176\n"
	"	eret\n");
extern const char vectors[];

static uint64_t ctl_read(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntp_ctl_el0" : "=r"(v) : : "memory");
	return v;
}

static void ctl_write(uint64_t v)
{
	__asm__ volatile("msr cntp_ctl_el0, %0\n\tisb" : : "r"(v) : "memory");
}

static uint64_t cval_read(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntp_cval_el0" : "=r"(v) : : "memory");
	return v;
}

static void cval_write(uint64_t v)
{
	__asm__ volatile("msr cntp_cval_el0, %0\n\tisb" : : "r"(v) : "memory");
}

static uint64_t tval_read(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntp_tval_el0" : "=r"(v) : : "memory");
	return v;
}

static void tval_write(uint64_t v)
{
	__asm__ volatile("msr cntp_tval_el0, %0\n\tisb" : : "r"(v) : "memory");
}

static uint64_t physical_count(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntpct_el0" : "=r"(v) : : "memory");
	return v;
}

static void irqs_on(void)
{
	__asm__ volatile("msr daifclr, #2" : : : "memory");
}

static void irqs_off(void)
{
	__asm__ volatile("msr daifset, #2" : : : "memory");
}

/* The next event, one period from now: CVAL for vCPU 0, TVAL for the others. */
static void rearm(uint64_t id)
{
	if (id == 0)
		cval_write(physical_count() + period);
	else
		tval_write(period);
}

static int timed_out(uint64_t start)
{
	return counter() - start > TIMEOUT_S * counter_freq();
}

/* Busy for about us microseconds. */
static void spin(uint64_t us)
{
	uint64_t start = counter();

	while (counter() - start < counter_freq() / 1000000 * us)
		;
}

/* One timer event: counted, and re-armed (CVAL or TVAL alone) or switched off. */
static void event(uint64_t id)
{
	if (!(ctl_read() & CTL_ISTATUS))
		spurious[id]++;
	ticks[id]++;
	if (rearming[id] && ticks[id] < TICKS) /* the last one of the first part switches it off */
		rearm(id);
	else
		ctl_write(0);
}

void irq_handler(void)
{
	uint64_t id = guest_mpidr(), iar;

	__asm__ volatile("mrs %0, S3_0_C12_C12_0" : "=r"(iar)); /* ICC_IAR1_EL1 */
	if ((iar & 0xffffff) == INTID_SPURIOUS)
		return;
	if ((iar & 0xffffff) != INTID_PTIMER)
		unexpected[id]++;
	else
		event(id);
	__asm__ volatile("msr S3_0_C12_C12_1, %0\n\tisb" : : "r"(iar) : "memory"); /* ICC_EOIR1_EL1 */
}

void bad_exception(uint64_t esr, uint64_t elr)
{
	put_str(NAME);
	put_str(": UNEXPECTED exception, ESR ");
	put_hex(esr);
	put_str(" ELR ");
	put_hex(elr);
	put_str("\n");
	guest_power_off();
}

/* This vCPU's redistributor and CPU interface: PPI 30 Group 1, enabled, unmasked. */
static void gic_cpu_setup(uint64_t id)
{
	uintptr_t rd = GICR_BASE + id * GICR_FRAME;

	mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	while (mmio_read32(rd + GICR_WAKER) & GICR_WAKER_ASLEEP)
		;
	mmio_write32(rd + GICR_IGROUPR0, mmio_read32(rd + GICR_IGROUPR0) | 1u << INTID_PTIMER);
	mmio_write32(rd + GICR_IPRIORITYR + 28, 0xa0u << 16); /* INTID 30: byte 2 of the word for 28-31 */
	mmio_write32(rd + GICR_ISENABLER0, 1u << INTID_PTIMER);
	__asm__ volatile("msr S3_0_C12_C12_5, %0\n\t" /* ICC_SRE_EL1.SRE */
			 "msr S3_0_C4_C6_0, %1\n\t"   /* ICC_PMR_EL1: every priority */
			 "msr S3_0_C12_C12_7, %2\n\t" /* ICC_IGRPEN1_EL1 */
			 "isb"
			 :
			 : "r"(1ull), "r"(0xffull), "r"(1ull)
			 : "memory");
}

/*
 * Waits until this vCPU has taken n timer events, giving its CPU up now and
 * then; polls ISTATUS in PTIMER_POLL. 0 on timeout.
 */
static int wait_ticks(uint64_t id, uint32_t n)
{
	uint64_t start = counter();

	while (ticks[id] < n) {
		if (timed_out(start))
			return 0;
		if (PTIMER_POLL) {
			if (ctl_read() & CTL_ISTATUS)
				event(id);
		} else if (ticks[id] % 2) {
			cpu_yield();
		} else {
			spin(100);
		}
	}
	return 1;
}

static void check(uint64_t id, int ok, unsigned bit)
{
	if (!ok)
		fails[id] |= 1u << bit;
}

static void run(uint64_t id)
{
	uint64_t t0, t1, pc, vc, tv;
	uint32_t before;

	if (!PTIMER_POLL) {
		__asm__ volatile("msr vbar_el1, %0\n\tisb" : : "r"(vectors) : "memory");
		gic_cpu_setup(id);
	}

	/* Registers. */
	ctl_write(0);
	cval_write(0x123456789abcull);
	check(id, cval_read() == 0x123456789abcull, 0);
	t0 = physical_count();
	tval_write(50 * period);
	t1 = physical_count();
	check(id, cval_read() >= t0 + 50 * period && cval_read() <= t1 + 50 * period, 1);
	/* TVAL counts down from the write: bounded by the time measured around it, not a fixed
	 * margin a loaded host's stall (the vCPU not running for 10 periods) can exceed. */
	tv = tval_read();
	t1 = physical_count();
	check(id, t1 - t0 >= 50 * period || (tv <= 50 * period && tv >= 50 * period - (t1 - t0)), 2);
	check(id, !(ctl_read() & CTL_ISTATUS), 3); /* disabled */
	tval_write((uint64_t)-(int64_t)period); /* negative: the condition is met at once */
	check(id, (int32_t)tval_read() < 0 && tval_read() >> 32 == 0, 4);
	pc = physical_count();
	vc = counter();
	check(id, pc <= vc && vc - pc < counter_freq(), 5);

	/* TICKS events, re-armed by CVAL or TVAL writes alone. */
	rearming[id] = 1;
	rearm(id);
	ctl_write(CTL_ENABLE);
	irqs_on();
	check(id, wait_ticks(id, TICKS), 6);
	rearming[id] = 0;

	/* Masked: the condition met, no interrupt; unmasked: it comes. */
	irqs_off();
	ctl_write(0);
	before = ticks[id];
	tval_write(period / 4);
	ctl_write(CTL_ENABLE | CTL_IMASK);
	irqs_on();
	t0 = counter();
	while (!(ctl_read() & CTL_ISTATUS) && !timed_out(t0))
		;
	spin(3000); /* time for an interrupt that must not come */
	cpu_yield();
	spin(1000);
	check(id, ticks[id] == before && ctl_read() == (CTL_ENABLE | CTL_IMASK | CTL_ISTATUS), 7);
	ctl_write(CTL_ENABLE);
	check(id, wait_ticks(id, before + 1) && ticks[id] == before + 1, 8);

	/* A deadline passing while the vCPU waits, IRQs masked (switched out where its CPU is shared). */
	irqs_off();
	before = ticks[id];
	tval_write(period / 2);
	ctl_write(CTL_ENABLE);
	t0 = counter();
	while (counter() - t0 < 3 * period)
		cpu_yield();
	check(id, PTIMER_POLL || ticks[id] == before, 9);
	irqs_on();
	check(id, wait_ticks(id, before + 1), 10);
	irqs_off();
	ctl_write(0);
	done[id] = 1;
}

void secondary_main(void)
{
	run(guest_mpidr());
	hvc_call4(PSCI_CPU_OFF, 0, 0, 0, 0);
	for (;;)
		cpu_yield();
}

int main(void)
{
	uint64_t start;
	int ok = 1;

	period = counter_freq() / 1000; /* 1 ms */
	if (!PTIMER_POLL)
		mmio_write32(GICD_BASE + GICD_CTLR, GICD_CTLR_ENABLE_G1);
	for (uint64_t id = 1; id < VCPUS; id++)
		on[id] = hvc_call4(PSCI_CPU_ON, id, (uintptr_t)secondary_entry,
				   (uintptr_t)(stacks[id] + sizeof stacks[id]), 0);
	run(0);
	start = counter();
	for (uint64_t id = 1; id < VCPUS; id++)
		while ((!done[id] || hvc_call4(PSCI_AFFINITY_INFO, id, 0, 0, 0) != PSCI_AFF_OFF) &&
		       !timed_out(start))
			cpu_yield();
	for (int id = 0; id < VCPUS; id++) {
		put_str(NAME);
		put_str(": vCPU ");
		put_dec(id);
		put_str(id == 0 ? " (CVAL): " : " (TVAL): ");
		put_dec(on[id] == 0 && done[id] ? (int64_t)ticks[id] : -1);
		put_str(PTIMER_POLL ? " timer events polled, " : " timer interrupts, ");
		put_dec(spurious[id]);
		put_str(" spurious, ");
		put_dec(unexpected[id]);
		put_str(" other, failed checks ");
		put_hex(fails[id]);
		put_str("\n");
		ok = ok && on[id] == 0 && done[id] && ticks[id] == TICKS + 2 && !spurious[id] &&
		     !unexpected[id] && !fails[id];
	}
	put_str(NAME);
	put_str(ok ? ": ok\n" : ": FAILED\n");
	return 0;
}
