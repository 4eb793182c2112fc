/* SPDX-License-Identifier: MIT */
/* Reads a guest-physical address nothing is mapped at: the hypervisor stops this VM. */
#include "guest.h"

#define UNMAPPED 0x10000000ul

int main(void)
{
	put_str("reading unmapped IPA 0x10000000\n");
	(void)mmio_read32(UNMAPPED);
	put_str("fault: still running\n");
	return 0;
}
