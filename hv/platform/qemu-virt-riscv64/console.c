/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's own console on riscv64: the polled NS16550A transmitter
 * OpenSBI has already set up (THR at offset 0, LSR at 5, LSR.THRE = bit 5),
 * and its receiver for the VMs' console input (RBR at 0, LSR.DR = bit 0,
 * IER at 1 with ERBFI, the received-data interrupt, bit 0).
 */
#include "core/console.h"
#include "platform/qemu-virt-riscv64/platform.h"

#define UART_THR 0
#define UART_RBR 0
#define UART_IER 1
#define UART_LSR 5
#define UART_LSR_DR 0x01u
#define UART_LSR_THRE 0x20u
#define UART_IER_ERBFI 0x01u

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

int console_hw_getc(void)
{
	if (!(*uart_reg(UART_LSR) & UART_LSR_DR))
		return -1;
	return *uart_reg(UART_RBR);
}

void console_hw_rx_irq(bool on)
{
	uint8_t ier = *uart_reg(UART_IER);

	*uart_reg(UART_IER) = (uint8_t)(on ? ier | UART_IER_ERBFI : ier & ~UART_IER_ERBFI);
}

uint64_t console_hw_base(void)
{
	return PLAT_UART_BASE;
}

uint32_t console_hw_host_irq(void)
{
	return PLAT_UART_IRQ;
}
