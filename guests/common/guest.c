/* SPDX-License-Identifier: MIT */
/* Console output formatting and the checksum, on every architecture. */
#include "guest.h"

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
