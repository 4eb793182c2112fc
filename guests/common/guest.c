/* SPDX-License-Identifier: MIT */
/* Console output through the PL011 at 0x0900_0000 and PSCI calls. */
#include "guest.h"

uint64_t guest_boot_x1;

void put_char(char c)
{
	while (mmio_read32(UART_BASE + UART_FR) & UART_FR_TXFF)
		;
	mmio_write32(UART_BASE + UART_DR, (uint8_t)c);
}

void put_str(const char *s)
{
	while (*s)
		put_char(*s++);
}

void put_hex(uint64_t v)
{
	put_str("0x");
	for (int shift = 60; shift >= 0; shift -= 4)
		put_char("0123456789abcdef"[(v >> shift) & 0xf]);
}

void put_dec(int64_t v)
{
	char buf[24];
	int n = 0;
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	if (v < 0)
		put_char('-');
	do
		buf[n++] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	while (n)
		put_char(buf[--n]);
}

uint32_t checksum(const volatile uint8_t *p, uint32_t len)
{
	uint32_t h = 2166136261u;

	for (uint32_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
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
