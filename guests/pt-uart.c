/* SPDX-License-Identifier: MIT */
/*
 * A device passed through with its interrupt (interrupt_mode
 * "passthrough"; tests/qemu/run "pt-irq"): the hypervisor keeps the GIC,
 * routes the device's SPI to this VM's CPU and delivers it through the
 * vGIC as a hardware interrupt, whose EOI here deactivates the physical one.
 *
 * pt-uart (this file) owns QEMU's PL011 (SPI 1, INTID 33): it enables the
 * receive interrupts and echoes each byte the test types into QEMU's
 * serial, until EVENTS bytes came. pt-rtc (guests/pt-rtc.c) owns the PL031
 * RTC (SPI 2, INTID 34) and takes EVENTS alarm interrupts, one a second.
 * Each enables both INTIDs at its vGIC, so an interrupt of the other VM's
 * device delivered here would be seen: it is reported as FOREIGN and
 * fails the test. Each prints a verdict and powers off.
 */
#include "guest.h"

#ifndef PT_RTC
#define PT_RTC 0
#endif
#define NAME (PT_RTC ? "pt-rtc" : "pt-uart")
#define INTID_UART 33 /* SPI 1 */
#define INTID_RTC 34  /* SPI 2 */
#define MY_INTID (PT_RTC ? INTID_RTC : INTID_UART)
#define EVENTS 3
#define TIMEOUT_S 20
#define INTID_SPURIOUS 1023

/* The vGIC at QEMU virt's GIC frames (include/vmcfg/check.h VMCFG_VGIC_*). */
#define GICD_BASE 0x08000000ul
#define GICD_CTLR 0x0000
#define GICD_CTLR_ENABLE_G1 (1u << 1)
#define GICD_IGROUPR1 0x0084
#define GICD_ISENABLER1 0x0104
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER 0x6000
#define GICR_BASE 0x080a0000ul
#define GICR_WAKER 0x0014
#define GICR_WAKER_SLEEP (1u << 1)
#define GICR_WAKER_ASLEEP (1u << 2)

/* PL011: interrupt mask (RXIM [4], RTIM [6]). */
#define UART_IMSC 0x038
#define UART_RX_INTS (1u << 4 | 1u << 6)

/* PL031 RTC (QEMU virt): data (seconds), match, interrupt mask, clear. */
#define RTC_BASE 0x09010000ul
#define RTC_DR 0x000
#define RTC_MR 0x004
#define RTC_IMSC 0x010
#define RTC_ICR 0x01c

static volatile uint32_t events, foreign, spurious;

void irq_handler(void);
void bad_exception(uint64_t esr, uint64_t elr);

/* The EL1 vector table (IRQ from EL1h at 0x280); everything else is fatal. */
__asm__(".text\n"
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

static void say(const char *what, uint64_t n)
{
	put_str(NAME);
	put_str(": ");
	put_str(what);
	put_dec((int64_t)n);
	put_str("\n");
}

/* The device's own interrupt: served, so its level drops before the EOI. */
static void serve_device(void)
{
	if (PT_RTC) {
		mmio_write32(RTC_BASE + RTC_ICR, 1);
		events++;
		say("alarm interrupt (INTID 34) #", events);
		if (events < EVENTS)
			mmio_write32(RTC_BASE + RTC_MR, mmio_read32(RTC_BASE + RTC_DR) + 1);
		return;
	}
	while (!(mmio_read32(UART_BASE + UART_FR) & UART_FR_RXFE)) {
		char c = (char)mmio_read32(UART_BASE + UART_DR);

		events++;
		put_str("pt-uart: received '");
		put_char(c >= 0x21 && c < 0x7f ? c : '?');
		put_str("' (INTID 33) #");
		put_dec(events);
		put_str("\n");
	}
}

void irq_handler(void)
{
	uint64_t iar;
	uint32_t intid;

	__asm__ volatile("mrs %0, S3_0_C12_C12_0" : "=r"(iar)); /* ICC_IAR1_EL1 */
	intid = (uint32_t)(iar & 0xffffff);
	if (intid == INTID_SPURIOUS) {
		spurious++;
		return;
	}
	if (intid == MY_INTID) {
		serve_device();
	} else {
		foreign++;
		say("FOREIGN interrupt INTID ", intid);
	}
	__asm__ volatile("msr S3_0_C12_C12_1, %0\n\tisb" : : "r"(iar) : "memory"); /* ICC_EOIR1_EL1 */
}

void bad_exception(uint64_t esr, uint64_t elr)
{
	put_str(NAME);
	put_str(": unexpected exception, ESR ");
	put_hex(esr);
	put_str(" ELR ");
	put_hex(elr);
	put_str("\n");
	hvc_call(PSCI_SYSTEM_OFF);
}

static uint64_t now(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v));
	return v;
}

/* Enables INTID intid at the distributor: Group 1, priority 0xa0, routed to vCPU 0. */
static void gic_spi_enable(uint32_t intid)
{
	uint32_t bit = 1u << (intid % 32);

	mmio_write32(GICD_BASE + GICD_IGROUPR1, mmio_read32(GICD_BASE + GICD_IGROUPR1) | bit);
	mmio_write32(GICD_BASE + GICD_IPRIORITYR + intid / 4 * 4,
		     mmio_read32(GICD_BASE + GICD_IPRIORITYR + intid / 4 * 4) |
			     0xa0u << (intid % 4 * 8));
	mmio_write32(GICD_BASE + GICD_IROUTER + intid * 8, (uint32_t)(guest_mpidr() & 0xffffff));
	mmio_write32(GICD_BASE + GICD_ISENABLER1, bit);
}

int main(void)
{
	uint64_t freq, deadline;

	__asm__ volatile("msr vbar_el1, %0\n\tisb" : : "r"(vectors));
	mmio_write32(GICR_BASE + GICR_WAKER, mmio_read32(GICR_BASE + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	while (mmio_read32(GICR_BASE + GICR_WAKER) & GICR_WAKER_ASLEEP)
		;
	__asm__ volatile("msr S3_0_C12_C12_5, %0\n\t" /* ICC_SRE_EL1.SRE */
			 "msr S3_0_C4_C6_0, %1\n\t"   /* ICC_PMR_EL1: every priority */
			 "msr S3_0_C12_C12_7, %2\n\t" /* ICC_IGRPEN1_EL1 */
			 "isb"
			 :
			 : "r"(1ull), "r"(0xffull), "r"(1ull)
			 : "memory");
	gic_spi_enable(INTID_UART);
	gic_spi_enable(INTID_RTC);
	mmio_write32(GICD_BASE + GICD_CTLR, GICD_CTLR_ENABLE_G1);
	if (PT_RTC) {
		mmio_write32(RTC_BASE + RTC_MR, mmio_read32(RTC_BASE + RTC_DR) + 1);
		mmio_write32(RTC_BASE + RTC_IMSC, 1);
	} else {
		mmio_write32(UART_BASE + UART_IMSC, UART_RX_INTS);
	}
	say(PT_RTC ? "alarm armed, interrupts wanted: " : "waiting for input, bytes wanted: ",
	    EVENTS);
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	deadline = now() + TIMEOUT_S * freq;
	__asm__ volatile("msr daifclr, #2" ::: "memory");
	while (events < EVENTS && now() < deadline)
		__asm__ volatile("wfi");
	__asm__ volatile("msr daifset, #2" ::: "memory");
	if (PT_RTC)
		mmio_write32(RTC_BASE + RTC_IMSC, 0);
	else
		mmio_write32(UART_BASE + UART_IMSC, 0);
	put_str(NAME);
	put_str(events >= EVENTS && !foreign ? ": ok, " : ": FAILED, ");
	put_dec(events);
	put_str(" of its own interrupts, ");
	put_dec(foreign);
	put_str(" foreign\n");
	return 0;
}
