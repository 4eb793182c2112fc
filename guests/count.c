/* SPDX-License-Identifier: MIT */
/*
 * Prints 40 numbered lines, busy for 1 ms of the system counter between
 * them and never giving its CPU up: VMs sharing a CPU take turns only by
 * the hypervisor's time slice. The test checks every line arrived.
 */
#include "guest.h"

#define LINES 40

int main(void)
{
	uint64_t ms = counter_freq() / 1000;

	for (int i = 1; i <= LINES; i++) {
		uint64_t start = counter();

		put_str("count: line ");
		put_dec(i);
		put_str(" of 40\n");
		while (counter() - start < ms)
			;
	}
	return 0;
}
