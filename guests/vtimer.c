/* SPDX-License-Identifier: MIT */
/*
 * The virtual timer through the emulated GICv3 (tests/qemu/run "vtimer").
 *
 * Each vCPU enables its virtual timer once (CNTV_CTL_EL0.ENABLE, IMASK
 * clear) and from then on re-arms it only by writing CNTV_CVAL_EL0
 * (vCPU 0) or CNTV_TVAL_EL0 (the others) in its interrupt handler,
 * never touching CNTV_CTL_EL0 again: a hypervisor that silences the
 * timer by setting IMASK behind the guest's back delivers one interrupt
 * and then none. vCPU 1 runs its virtual CPU interface with EOImode = 1
 * (an EOIR write, then ICC_DIR_EL1 deactivates), the others with 0.
 *
 * Three vCPUs on two CPUs: vCPUs 0 and 2 share cpu0, vCPU 1 has cpu1.
 * vCPU 0 holds its timer interrupt in flight across vCPU switches twice:
 * once active (its handler, before the EOI, waits), once pending (IRQs
 * masked, the timer condition met), each time until vCPU 2, on the same
 * physical CPU, has taken HOLD_TICKS timer interrupts of its own; a
 * hypervisor that leaves the physical timer PPI active while the holder
 * is switched out never lets them come. A third time it turns itself off
 * (PSCI CPU_OFF) in its handler, the interrupt active: vCPU 2, alone on
 * cpu0 then (no switch there to rescue it), takes HOLD_TICKS and turns
 * vCPU 0 on again, which starts afresh (its redistributor's active state
 * cleared, as an OS does at CPU bring-up) and carries on. Some handlers
 * also run longer than a time slice, so the slice timer switches vCPUs
 * while an interrupt is active. A timer interrupt whose handler finds the timer
 * condition not met (CNTV_CTL_EL0.ISTATUS = 0) is counted as spurious.
 * Only vCPU 0 prints.
 */
#include "guest.h"

#define VCPUS 3 /* MPIDR 0, 1, 2 */
#define AFF_OFF 1
#define TICKS 40       /* timer interrupts each vCPU takes */
#define HOLD_TICKS 3   /* vCPU 2's interrupts while vCPU 0 holds its own */
#define HOLD_ACTIVE_AT 5
#define HOLD_PENDING_AT 10
#define HOLD_OFF_AT 15
#define TIMEOUT_S 5

#define INTID_VTIMER 27
#define INTID_SPURIOUS 1023

/* The emulated GICv3 (examples/qemu/vtimer.toml; redistributors as hv/arch/aarch64/vgic.h says). */
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
#define GICR_ICACTIVER0 (GICR_SGI + 0x0380)
#define GICR_IPRIORITYR (GICR_SGI + 0x0400)

/* ICC_CTLR_EL1.EOImode [1]: EOIR drops the priority, DIR deactivates. */
#define ICC_CTLR_EOIMODE 2u

/* CNTV_CTL_EL0: ENABLE [0], IMASK [1], ISTATUS [2]. */
#define CNTV_ENABLE 1u
#define CNTV_ISTATUS (1u << 2)

static uint8_t stacks[VCPUS][4096] __attribute__((aligned(16)));
static volatile uint32_t ticks[VCPUS], spurious[VCPUS], unexpected[VCPUS], done[VCPUS];
static volatile uint32_t held_active, held_pending, held_off; /* vCPU 2's ticks in each, +1 */
static volatile int holds_over; /* vCPU 0 is back on: the others may stop at TICKS */
static volatile int off_phase; /* 1: vCPU 0 turns itself off holding its interrupt; 2: back on */
static volatile int64_t on[VCPUS], on_again;
static uint64_t period;

void secondary_entry(void);
void secondary_main(void);
void resumed_entry(void);
void resumed_main(void);
void irq_handler(void);
void bad_exception(uint64_t esr, uint64_t elr);

/*
 * CPU_ON's entry (x0 = the stack top), and the EL1 vector table: IRQs
 * from EL1 with SP_EL1 (offset 0x280) go to irq_handler with the
 * caller-saved registers kept; anything else is reported.
 */
__asm__(".text\n"
	".global secondary_entry\n"
	"secondary_entry:\n"
	"	mov sp, x0\n"
	"	b secondary_main\n"
	".global resumed_entry\n"
	"resumed_entry:\n"
	"	mov sp, x0\n"
	"	b resumed_main\n"
	"	.balign 2048\n"
	"vectors:\n"
	"	.rept 5\n"
	"	.balign 128\n"
	"	b bad_entry\n"
	"	.endr\n"
	"	.balign 128\n" /* 0x280: IRQ, current EL, SP_ELx */
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

static uint64_t timer_ctl(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntv_ctl_el0" : "=r"(v) : : "memory");
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
		__asm__ volatile("msr cntv_cval_el0, %0\n\tisb" : : "r"(counter() + period) : "memory");
	else
		__asm__ volatile("msr cntv_tval_el0, %0\n\tisb" : : "r"(period) : "memory");
}

static int timed_out(uint64_t start)
{
	return counter() - start > TIMEOUT_S * counter_freq();
}

/* Busy for about us microseconds (no WFI: only the slice timer takes the CPU away). */
static void spin(uint64_t us)
{
	uint64_t start = counter();

	while (counter() - start < counter_freq() / 1000000 * us)
		;
}

/*
 * vCPU 0 keeps its timer interrupt in flight until vCPU 2 has taken
 * HOLD_TICKS more, giving the CPU up now and then (WFI, trapped: the
 * hypervisor switches to vCPU 2). Returns how many vCPU 2 took, + 1; 0 on timeout.
 */
static uint32_t hold(void)
{
	uint32_t from = ticks[2];
	uint64_t start = counter();

	while (ticks[2] - from < HOLD_TICKS) {
		if (timed_out(start))
			return 0;
		cpu_yield();
		spin(500);
	}
	return ticks[2] - from + 1;
}

void irq_handler(void)
{
	uint64_t id = guest_mpidr(), iar;
	uint32_t n;

	__asm__ volatile("mrs %0, S3_0_C12_C12_0" : "=r"(iar)); /* ICC_IAR1_EL1 */
	if ((iar & 0xffffff) == INTID_SPURIOUS)
		return;
	if ((iar & 0xffffff) != INTID_VTIMER) {
		unexpected[id]++;
	} else {
		if (!(timer_ctl() & CNTV_ISTATUS))
			spurious[id]++;
		n = ++ticks[id];
		if (id == 0 && n == HOLD_ACTIVE_AT) {
			held_active = hold(); /* active, not yet EOId */
		} else if (id == 0 && n == HOLD_OFF_AT) {
			off_phase = 1;
			hvc_call4(PSCI_CPU_OFF, 0, 0, 0, 0); /* active, never EOId */
			off_phase = 2;                       /* CPU_OFF failed */
			holds_over = 1;
		}
		else if (n % 8 == 4)
			spin(3000); /* longer than a 2 ms slice: switched out while active */
		rearm(id);
	}
	__asm__ volatile("msr S3_0_C12_C12_1, %0\n\tisb" : : "r"(iar) : "memory"); /* ICC_EOIR1_EL1 */
	if (id == 1)
		__asm__ volatile("msr S3_0_C12_C11_1, %0\n\tisb" : : "r"(iar) : "memory"); /* ICC_DIR_EL1 */
}

void bad_exception(uint64_t esr, uint64_t elr)
{
	put_str("vtimer: UNEXPECTED exception, ESR ");
	put_hex(esr);
	put_str(" ELR ");
	put_hex(elr);
	put_str("\n");
	guest_power_off();
}

/* This vCPU's redistributor and CPU interface: PPI 27 Group 1, enabled, unmasked. */
static void gic_cpu_setup(uint64_t id)
{
	uintptr_t rd = GICR_BASE + id * GICR_FRAME;

	mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	while (mmio_read32(rd + GICR_WAKER) & GICR_WAKER_ASLEEP)
		;
	mmio_write32(rd + GICR_IGROUPR0, mmio_read32(rd + GICR_IGROUPR0) | 1u << INTID_VTIMER);
	mmio_write32(rd + GICR_IPRIORITYR + 24, 0xa0u << 24); /* INTID 27: byte 3 of the word for 24-27 */
	mmio_write32(rd + GICR_ISENABLER0, 1u << INTID_VTIMER);
	/* Nothing active from before a CPU_OFF (Linux clears every SGI and PPI here too). */
	mmio_write32(rd + GICR_ICACTIVER0, 1u << INTID_VTIMER);
	__asm__ volatile("msr S3_0_C12_C12_5, %0\n\t" /* ICC_SRE_EL1.SRE */
			 "msr S3_0_C4_C6_0, %1\n\t"   /* ICC_PMR_EL1: every priority */
			 "msr S3_0_C12_C12_7, %2\n\t" /* ICC_IGRPEN1_EL1 */
			 "msr S3_0_C12_C12_4, %3\n\t" /* ICC_CTLR_EL1 */
			 "isb"
			 :
			 : "r"(1ull), "r"(0xffull), "r"(1ull),
			   "r"((uint64_t)(id == 1 ? ICC_CTLR_EOIMODE : 0))
			 : "memory");
}

/* vCPU 0 also holds its interrupt pending: IRQs masked, the timer condition met. */
static void hold_pending(void)
{
	uint64_t start = counter();

	irqs_off();
	while (!(timer_ctl() & CNTV_ISTATUS))
		if (timed_out(start))
			break;
	spin(200); /* time for the hypervisor to take the physical PPI and inject it */
	held_pending = hold();
	irqs_on(); /* taken now, ISTATUS still 1 */
}

/*
 * vCPU 2 while vCPU 0 is off with its interrupt active: HOLD_TICKS of its
 * own, alone on cpu0, then vCPU 0 on again (resumed_entry).
 */
static void while_off(void)
{
	uint64_t start = counter();
	uint32_t from;

	while (hvc_call4(PSCI_AFFINITY_INFO, 0, 0, 0, 0) != AFF_OFF && !timed_out(start))
		cpu_yield();
	from = ticks[2];
	while (ticks[2] - from < HOLD_TICKS && !timed_out(start))
		cpu_yield();
	held_off = ticks[2] - from < HOLD_TICKS ? 0 : ticks[2] - from + 1;
	off_phase = 2;
	on_again = hvc_call4(PSCI_CPU_ON, 0, (uintptr_t)resumed_entry,
			     (uintptr_t)(stacks[0] + sizeof stacks[0]), 0);
}

/* This vCPU's timer interrupt on and its first event: its only CNTV_CTL_EL0 write. */
static void start_timer(uint64_t id)
{
	__asm__ volatile("msr vbar_el1, %0\n\tisb" : : "r"(vectors) : "memory");
	gic_cpu_setup(id);
	rearm(id);
	__asm__ volatile("msr cntv_ctl_el0, %0\n\tisb" : : "r"((uint64_t)CNTV_ENABLE) : "memory");
	irqs_on();
}

static void run(uint64_t id)
{
	uint64_t start = counter();

	while ((ticks[id] < TICKS || !holds_over) && !timed_out(start)) {
		if (id == 0 && ticks[0] >= HOLD_PENDING_AT && !held_pending)
			hold_pending();
		if (id == 2 && off_phase == 1)
			while_off();
		if (ticks[id] % 2)
			cpu_yield();
		else
			spin(100);
	}
	irqs_off();
	if (id == 0)
		holds_over = 1; /* the others stop waiting (also when it timed out) */
	done[id] = 1;
}

void secondary_main(void)
{
	start_timer(guest_mpidr());
	run(guest_mpidr());
	hvc_call4(PSCI_CPU_OFF, 0, 0, 0, 0);
	for (;;)
		cpu_yield();
}

/* vCPU 0, once vCPUs 1 and 2 are off: the results. */
static void report(void)
{
	uint64_t start = counter();
	int ok = 1;

	for (uint64_t id = 1; id < VCPUS; id++)
		while ((!done[id] || hvc_call4(PSCI_AFFINITY_INFO, id, 0, 0, 0) != AFF_OFF) &&
		       !timed_out(start))
			cpu_yield();
	for (int id = 0; id < VCPUS; id++) {
		put_str("vtimer: vCPU ");
		put_dec(id);
		put_str(id == 0 ? " (CVAL)" : id == 1 ? " (TVAL, EOI+DIR)" : " (TVAL)");
		put_str(": ");
		put_dec(on[id] == 0 && done[id] ? (int64_t)ticks[id] : -1);
		put_str(" timer interrupts, ");
		put_dec(spurious[id]);
		put_str(" spurious, ");
		put_dec(unexpected[id]);
		put_str(" other\n");
		ok = ok && on[id] == 0 && done[id] && ticks[id] >= TICKS && !spurious[id] &&
		     !unexpected[id];
	}
	put_str("vtimer: vCPU 2 took ");
	put_dec((int64_t)held_active - 1);
	put_str(" while vCPU 0 held its interrupt active, ");
	put_dec((int64_t)held_pending - 1);
	put_str(" while it held it pending, ");
	put_dec((int64_t)held_off - 1);
	put_str(" while it was off holding it active\n");
	ok = ok && held_active && held_pending && held_off && on_again == 0;
	put_str(ok ? "vtimer: ok\n" : "vtimer: FAILED\n");
}

/* vCPU 0 again, after its CPU_OFF with its interrupt active: a fresh start. */
void resumed_main(void)
{
	holds_over = 1; /* the last of the three */
	start_timer(0);
	run(0);
	report();
	guest_power_off();
}

int main(void)
{
	period = counter_freq() / 1000; /* 1 ms */
	mmio_write32(GICD_BASE + GICD_CTLR, GICD_CTLR_ENABLE_G1);
	for (uint64_t id = 1; id < VCPUS; id++)
		on[id] = hvc_call4(PSCI_CPU_ON, id, (uintptr_t)secondary_entry,
				   (uintptr_t)(stacks[id] + sizeof stacks[id]), 0);
	start_timer(0);
	run(0); /* returns only when its CPU_OFF failed: vCPU 0 goes on in resumed_main */
	report();
	return 0;
}
