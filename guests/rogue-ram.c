/* SPDX-License-Identifier: MIT */
/* Writes the first byte past its 64 MiB of RAM: the hypervisor stops it. */
#include "guest.h"

int main(void)
{
	put_str("rogue-ram: writing past the end of RAM\n");
	mmio_write32(GUEST_RAM_END, 1);
	put_str("rogue-ram: still running\n");
	return 0;
}
