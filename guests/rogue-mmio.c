/* SPDX-License-Identifier: MIT */
/* Reads the physical GIC distributor, which is not one of its devices: stopped. */
#include "guest.h"

#define GICD 0x08000000ul

int main(void)
{
	put_str("rogue-mmio: reading the GIC distributor\n");
	(void)mmio_read32(GICD);
	put_str("rogue-mmio: still running\n");
	return 0;
}
