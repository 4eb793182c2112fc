/* SPDX-License-Identifier: MIT */
/* The demo guest: says hello from EL1 and powers off. */
#include "guest.h"

int main(void)
{
	uint64_t el;

	__asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
	put_str("Hello from a guest at EL");
	put_char((char)('0' + ((el >> 2) & 3)));
	put_str("\n");
	return 0;
}
