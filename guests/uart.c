/* SPDX-License-Identifier: MIT */
/*
 * Exercises lib/vm's emulated PL011: FR (TXFF clear, RXFE and TXFE set), DR
 * byte and halfword stores, DR reads (no input: 0), control registers that
 * keep what is written (IBRD reset 0, CR), the peripheral ID a driver
 * probes (PeriphID0 0x11 of an r1p5 PL011), and a reserved offset (reads
 * as zero, writes ignored). Prints "uart: ok" when every check passed.
 */
#include "guest.h"

#define UART_IBRD 0x024
#define UART_CR 0x030
#define UART_PERIPHID0 0xfe0
#define UART_RESERVED 0x100

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
