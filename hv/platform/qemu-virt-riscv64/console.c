/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's own console on riscv64: the polled NS16550A transmitter
 * OpenSBI has already set up (THR at offset 0, LSR at 5, LSR.THRE = bit 5).
 */
#include "core/console.h"
#include "platform/qemu-virt-riscv64/platform.h"

#define UART_THR 0
#define UART_LSR 5
#define UART_LSR_THRE 0x20u

static volatile uint8_t *uart_reg(uint64_t off)
{
	return (volatile uint8_t *)(uintptr_t)(PLAT_UART_BASE + off);
}

void console_hw_putc(char c)
{
	while (!(*uart_reg(UART_LSR) & UART_LSR_THRE))
		;
	*uart_reg(UART_THR) = (uint8_t)c;
}
