/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's own console: a polled PL011 transmitter, and its
 * receiver for the VMs' console input (Arm PrimeCell UART PL011 TRM, DDI
 * 0183: UARTDR at 0x000, UARTFR at 0x018 with RXFE bit 4 and TXFF bit 5,
 * UARTIMSC at 0x038 with RXIM bit 4 and RTIM bit 6). No initialisation:
 * QEMU's PL011 transmits and receives from reset, and on hardware the
 * firmware has set the baud rate before the hypervisor runs.
 */
#include "core/console.h"
#include "platform/qemu-virt/platform.h"

#define UART_DR 0x000
#define UART_FR 0x018
#define UART_FR_RXFE (1u << 4)
#define UART_FR_TXFF (1u << 5)
#define UART_IMSC 0x038
#define UART_IMSC_RX (1u << 4 | 1u << 6) /* receive, receive timeout */

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

int console_hw_getc(void)
{
	if (*uart_reg(UART_FR) & UART_FR_RXFE)
		return -1;
	return (int)(*uart_reg(UART_DR) & 0xff); /* the read clears the receive interrupt */
}

void console_hw_rx_irq(bool on)
{
	uint32_t imsc = *uart_reg(UART_IMSC);

	*uart_reg(UART_IMSC) = on ? imsc | UART_IMSC_RX : imsc & ~UART_IMSC_RX;
}

uint64_t console_hw_base(void)
{
	return PLAT_UART_BASE;
}

uint32_t console_hw_host_irq(void)
{
	return PLAT_UART_INTID - 32;
}
