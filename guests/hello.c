/* SPDX-License-Identifier: MIT */
/* The demo guest: says hello from its privilege level (EL1, S-mode) and powers off. */
#include "guest.h"

int main(void)
{
	put_str("Hello from a guest ");
	put_privilege();
	put_str("\n");
	return 0;
}
