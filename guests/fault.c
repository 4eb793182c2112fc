/* SPDX-License-Identifier: MIT */
/* Reads a guest-physical address nothing is mapped at: the hypervisor stops this VM. */
#include "guest.h"

int main(void)
{
	put_str("reading unmapped IPA ");
	put_str(GUEST_UNMAPPED_STR);
	put_str("\n");
	(void)mmio_read32(GUEST_UNMAPPED);
	put_str("fault: still running\n");
	return 0;
}
