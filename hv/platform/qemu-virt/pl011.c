/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's own console: a polled PL011 transmitter (Arm PrimeCell
 * UART PL011 TRM, DDI 0183: UARTDR at 0x000, UARTFR at 0x018, FR.TXFF = bit 5).
 * No initialisation: QEMU's PL011 transmits from reset, and on hardware the
 * firmware has set the baud rate before the hypervisor runs.
 */
#include "core/console.h"
#include "platform/qemu-virt/platform.h"

#define UART_DR 0x000
#define UART_FR 0x018
#define UART_FR_TXFF (1u << 5)

static volatile uint32_t *uart_reg(uint64_t off)
{
	return (volatile uint32_t *)(uintptr_t)(PLAT_UART_BASE + off);
}

void console_hw_putc(char c)
{
	while (*uart_reg(UART_FR) & UART_FR_TXFF)
		;
	*uart_reg(UART_DR) = (uint8_t)c;
}
