/* SPDX-License-Identifier: MIT */
/* Reads the host's interrupt controller (GIC distributor, PLIC), which is not one of its devices: stopped. */
#include "guest.h"

int main(void)
{
	put_str("rogue-mmio: reading the host's interrupt controller\n");
	(void)mmio_read32(GUEST_HOST_IRQCHIP);
	put_str("rogue-mmio: still running\n");
	return 0;
}
