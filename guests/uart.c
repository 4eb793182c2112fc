/* SPDX-License-Identifier: MIT */
/*
 * Exercises lib/vm's emulated console, the architecture's model. aarch64,
 * the PL011: FR (TXFF clear, RXFE and TXFE set), DR byte and halfword
 * stores, DR reads (no input: 0), control registers that keep what is
 * written (IBRD reset 0, CR), the peripheral ID a driver probes (PeriphID0
 * 0x11 of an r1p5 PL011), and a reserved offset (reads as zero, writes
 * ignored). riscv64, the 16550 (QEMU virt's, so also on the bare machine):
 * LSR (transmitter empty, no data), IIR with the FIFOs on, MSR (CTS, DSR,
 * DCD), the scratch register, IER's four bits, the divisor latch behind
 * LCR.DLAB, MCR, and a THR store. Prints "uart: ok" when every check passed.
 */
#include "guest.h"

static int failures;

static void check(const char *what, uint64_t got, uint64_t want)
{
	put_str(what);
	put_str(" = ");
	put_hex(got);
	if (got != want) {
		put_str(" (want ");
		put_hex(want);
		put_str(")");
		failures++;
	}
	put_str("\n");
}

#if defined(__riscv)
enum { THR = 0, IER = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };

static uint8_t reg_read(unsigned off)
{
	return *(volatile uint8_t *)(GUEST_CONSOLE_BASE + off);
}

static void reg_write(unsigned off, uint8_t v)
{
	*(volatile uint8_t *)(GUEST_CONSOLE_BASE + off) = v;
}

int main(void)
{
	uint8_t lcr, dll, mcr_was = reg_read(MCR), mcr;

	reg_write(IIR_FCR, 0x01); /* FIFOs on, as Linux and OpenSBI have them */
	check("LSR", reg_read(LSR), 0x60);
	check("IIR", reg_read(IIR_FCR), 0xc1);
	check("MSR", reg_read(MSR), 0xb0);
	reg_write(SCR, 0x5a);
	check("SCR after write", reg_read(SCR), 0x5a);
	reg_write(IER, 0xff);
	check("IER after writing 0xff", reg_read(IER), 0x0f);
	reg_write(IER, 0);
	/* Nothing printed while DLAB is set: THR is the divisor's low byte then. */
	reg_write(LCR, 0x83);
	reg_write(THR, 0x0c);
	dll = reg_read(THR);
	lcr = reg_read(LCR);
	reg_write(LCR, 0x03);
	check("LCR with DLAB", lcr, 0x83);
	check("DLL", dll, 0x0c);
	check("RBR (no input)", reg_read(THR), 0);
	reg_write(MCR, 0x0b);
	mcr = reg_read(MCR);
	reg_write(MCR, mcr_was);
	check("MCR after write", mcr, 0x0b);

	reg_write(THR, 'x');
	put_str(" <- THR store\n");

	put_str(failures ? "uart: FAILED\n" : "uart: ok\n");
	return 0;
}
#else
#define UART_IBRD 0x024
#define UART_CR 0x030
#define UART_PERIPHID0 0xfe0
#define UART_RESERVED 0x100

int main(void)
{
	check("FR", mmio_read32(UART_BASE + UART_FR), UART_FR_TXFE | UART_FR_RXFE);
	check("DR read", mmio_read32(UART_BASE + UART_DR), 0);
	check("IBRD", mmio_read32(UART_BASE + UART_IBRD), 0);
	mmio_write32(UART_BASE + UART_CR, 0x301);
	check("CR after write", mmio_read32(UART_BASE + UART_CR), 0x301);
	check("PeriphID0 (8-bit read)", *(volatile uint8_t *)(UART_BASE + UART_PERIPHID0), 0x11);
	mmio_write32(UART_BASE + UART_RESERVED, 0xffffffff);
	check("reserved after write", mmio_read32(UART_BASE + UART_RESERVED), 0);

	/* A byte and a halfword store to DR: only the low 8 bits are the character. */
	*(volatile uint8_t *)(UART_BASE + UART_DR) = 'b';
	*(volatile uint16_t *)(UART_BASE + UART_DR) = 0x4100 | 'h';
	put_str(" <- byte and halfword stores\n");

	put_str(failures ? "uart: FAILED\n" : "uart: ok\n");
	return 0;
}
#endif
