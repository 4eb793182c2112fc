/* SPDX-License-Identifier: MIT */
/* The aarch64 runtime of the test guests: the PL011 at 0x0900_0000, PSCI and IVC through HVC. */
#include "guest.h"

uint64_t guest_boot_x1;

void put_char(char c)
{
	while (mmio_read32(UART_BASE + UART_FR) & UART_FR_TXFF)
		;
	mmio_write32(UART_BASE + UART_DR, (uint8_t)c);
}

int64_t hvc_call4(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	register uint64_t x0 __asm__("x0") = a0;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;
	register uint64_t x4 __asm__("x4") = a4;

	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4) : : "memory");
	return (int64_t)x0;
}

int64_t hvc_call(uint32_t fid)
{
	register uint64_t x0 __asm__("x0") = fid;

	__asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	return (int64_t)x0;
}

int64_t smc_call(uint32_t fid)
{
	register uint64_t x0 __asm__("x0") = fid;

	__asm__ volatile("smc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	return (int64_t)x0;
}

void guest_power_off(void)
{
	hvc_call(PSCI_SYSTEM_OFF);
	for (;;)
		__asm__ volatile("wfi");
}

void put_privilege(void)
{
	uint64_t el;

	__asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
	put_str("at EL");
	put_char((char)('0' + ((el >> 2) & 3)));
}

void guest_reset(void)
{
	hvc_call(PSCI_SYSTEM_RESET);
}

int64_t ivc_call(uint64_t code, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	return hvc_call4(code, a1, a2, a3, a4);
}

uint64_t guest_cpu_id(void)
{
	return guest_mpidr();
}

int64_t guest_cpu_start(uint64_t id, void (*entry)(void), uint64_t ctx)
{
	return hvc_call4(PSCI_CPU_ON, id, (uintptr_t)entry, ctx, 0);
}

int64_t guest_cpu_state(uint64_t id)
{
	return hvc_call4(PSCI_AFFINITY_INFO, id, 0, 0, 0);
}

void guest_cpu_stop(void)
{
	hvc_call4(PSCI_CPU_OFF, 0, 0, 0, 0);
}
