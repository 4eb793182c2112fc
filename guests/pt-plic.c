/* SPDX-License-Identifier: MIT */
/*
 * A device passed through with its interrupt on riscv64 (interrupt_mode
 * "passthrough"; tests/qemu-riscv64/run "pt-irq"), as guests/pt-uart.c is
 * on aarch64: the hypervisor keeps the host's PLIC, enables the device's
 * source at the hart of this VM's vCPU, and raises the same source at the
 * VM's vPLIC; the guest's completion there completes the host's claim.
 *
 * pt-uart (this file) owns QEMU virt's 16550 (source 10): it enables the
 * received-data interrupt and reports each byte the test types into QEMU's
 * serial, until EVENTS bytes came. pt-rtc (guests/pt-plic-rtc.c) owns the
 * goldfish RTC (source 11) and takes EVENTS alarm interrupts. Each enables
 * both sources at its vPLIC, so the other VM's interrupt delivered here
 * would be seen: it is reported as FOREIGN and fails the test. Interrupts
 * are taken (sie.SEIE), not polled. Each prints a verdict and powers off.
 *
 * pt-rtc first resets its VM (SBI SRST) from inside its first alarm's
 * handler, the source claimed and never completed: only the hypervisor's
 * completion of the host claim at the reset lets the RTC interrupt the
 * second boot, which takes its EVENTS alarms (a boot counter in RAM, as
 * guests/reset.c keeps, tells the boots apart).
 * Only riscv64 has a PLIC: elsewhere the guest says so.
 */
#include "guest.h"

#ifndef PT_RTC
#define PT_RTC 0
#endif
#define NAME (PT_RTC ? "pt-rtc" : "pt-uart")

#if defined(__riscv)
#define SOURCE_UART 10u
#define SOURCE_RTC 11u
#define MY_SOURCE (PT_RTC ? SOURCE_RTC : SOURCE_UART)
#define EVENTS 3
#define TIMEOUT_S 20

/* The vPLIC at QEMU virt's address (include/vmcfg/check.h VMCFG_VPLIC_*); context 1 is hart 0's S-mode. */
#define PLIC 0x0c000000ul
#define PLIC_PRIORITY(s) (PLIC + 4 * (s))
#define PLIC_ENABLE_CTX1 (PLIC + 0x2000 + 0x80)
#define PLIC_THRESHOLD_CTX1 (PLIC + 0x200000 + 0x1000)
#define PLIC_CLAIM_CTX1 (PLIC_THRESHOLD_CTX1 + 4)

/* NS16550A: receive buffer, interrupt enable (ERBFI), line status (DR). */
#define UART 0x10000000ul
#define UART_RBR 0
#define UART_IER 1
#define UART_IER_RX 0x01u
#define UART_LSR 5
#define UART_LSR_DR 0x01u

/* Goldfish RTC: nanoseconds; writing ALARM_LOW arms the alarm. */
#define RTC 0x00101000ul
#define RTC_TIME_LOW 0x00
#define RTC_TIME_HIGH 0x04
#define RTC_ALARM_LOW 0x08
#define RTC_ALARM_HIGH 0x0c
#define RTC_IRQ_ENABLED 0x10
#define RTC_CLEAR_INTERRUPT 0x1c
#define RTC_PERIOD_NS 300000000ull

#define SCAUSE_S_EXT (1ull << 63 | 9)
#define SIE_SEIE (1ul << 9)
#define SSTATUS_SIE (1ul << 1)

static volatile uint32_t events, foreign, other;
static uint64_t boot;

static uint8_t uart_read(unsigned reg)
{
	return *(volatile uint8_t *)(UART + reg);
}

static void uart_write(unsigned reg, uint8_t v)
{
	*(volatile uint8_t *)(UART + reg) = v;
}

static void rtc_arm(void)
{
	uint64_t now = mmio_read32(RTC + RTC_TIME_LOW); /* latches TIME_HIGH */
	uint64_t at = (now | (uint64_t)mmio_read32(RTC + RTC_TIME_HIGH) << 32) + RTC_PERIOD_NS;

	mmio_write32(RTC + RTC_ALARM_HIGH, (uint32_t)(at >> 32));
	mmio_write32(RTC + RTC_ALARM_LOW, (uint32_t)at);
}

/* The end of an event's line: its source and its number. */
static void report_event(void)
{
	put_str(" (source ");
	put_dec(MY_SOURCE);
	put_str(") #");
	put_dec(events);
	put_str("\n");
}

/* The device's interrupt served: its line goes low before the completion. */
static void serve(void)
{
	if (PT_RTC) {
		mmio_write32(RTC + RTC_CLEAR_INTERRUPT, 1);
		events++;
		put_str(NAME);
		put_str(": alarm interrupt");
		report_event();
		if (events < EVENTS)
			rtc_arm();
		return;
	}
	while (uart_read(UART_LSR) & UART_LSR_DR) {
		char c = (char)uart_read(UART_RBR);

		events++;
		put_str(NAME);
		put_str(": received '");
		put_char(c >= ' ' && c < 127 ? c : '?');
		put_str("'");
		report_event();
	}
}

static void on_trap(void)
{
	uint64_t cause;
	uint32_t id;

	__asm__ volatile("csrr %0, scause" : "=r"(cause));
	if (cause != SCAUSE_S_EXT) {
		other++;
		return;
	}
	while ((id = mmio_read32(PLIC_CLAIM_CTX1)) != 0) {
		if (id == MY_SOURCE && PT_RTC && boot == 1) {
			put_str(NAME);
			put_str(": boot 1: alarm interrupt taken; reset with its claim open\n");
			guest_reset();
		} else if (id == MY_SOURCE) {
			serve();
		} else {
			foreign++;
			put_str(NAME);
			put_str(": FOREIGN interrupt, source ");
			put_dec(id);
			put_str("\n");
		}
		mmio_write32(PLIC_CLAIM_CTX1, id);
	}
}

int main(void)
{
	uint64_t start = counter();

	boot = PT_RTC ? ++*(volatile uint64_t *)GUEST_RESET_BOOTS : 1;
	guest_trap_handler = on_trap;
	__asm__ volatile("csrw stvec, %0" : : "r"(guest_trap_return_entry));
	mmio_write32(PLIC_PRIORITY(SOURCE_UART), 1);
	mmio_write32(PLIC_PRIORITY(SOURCE_RTC), 1);
	mmio_write32(PLIC_ENABLE_CTX1, 1u << SOURCE_UART | 1u << SOURCE_RTC);
	mmio_write32(PLIC_THRESHOLD_CTX1, 0);
	if (PT_RTC) {
		mmio_write32(RTC + RTC_IRQ_ENABLED, 1);
		rtc_arm();
	} else {
		uart_write(UART_IER, UART_IER_RX);
	}
	put_str(NAME);
	put_str(": waiting for its interrupts\n");
	/* Interrupts are taken between the WFIs only, so none slips in between the test and a WFI. */
	__asm__ volatile("csrs sie, %0" : : "r"(SIE_SEIE) : "memory");
	while (events < EVENTS && counter() - start < TIMEOUT_S * counter_freq())
		__asm__ volatile("wfi\n\tcsrs sstatus, %0\n\tcsrc sstatus, %0" : : "r"(SSTATUS_SIE)
				 : "memory");
	__asm__ volatile("csrc sie, %0" : : "r"(SIE_SEIE) : "memory");
	if (PT_RTC)
		mmio_write32(RTC + RTC_IRQ_ENABLED, 0);
	else
		uart_write(UART_IER, 0);
	put_str(NAME);
	put_str(events >= EVENTS && !foreign && !other ? ": ok, " : ": FAILED, ");
	put_dec(events);
	put_str(" of its own interrupts, ");
	put_dec(foreign);
	put_str(" foreign, ");
	put_dec(other);
	put_str(" other traps\n");
	return 0;
}
#else
int main(void)
{
	put_str(NAME);
	put_str(": riscv64 only\n");
	return 0;
}
#endif
