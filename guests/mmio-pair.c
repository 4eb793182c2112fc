/* SPDX-License-Identifier: MIT */
/*
 * A store pair to the console: the data abort has no syndrome (ISV = 0),
 * so the hypervisor cannot emulate it and stops this VM.
 */
#include "guest.h"

int main(void)
{
	uint64_t a = 'p', b = 'q';

	put_str("stp to the console\n");
	__asm__ volatile("stp %0, %1, [%2]" : : "r"(a), "r"(b), "r"(UART_BASE + UART_DR) : "memory");
	put_str("mmio-pair: still running\n");
	return 0;
}
