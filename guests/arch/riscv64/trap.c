/* SPDX-License-Identifier: MIT */
/*
 * What a guest trap says before the VM powers off: the cause by name, and
 * where (sepc) and at what (stval). Under a hypervisor most faults never
 * reach the guest (it stops the VM); on a bare machine this is the report.
 */
#include "guest.h"

void guest_trap_report(void);

static const char *const exception_names[] = {
	"instruction address misaligned", "instruction access fault", "illegal instruction",
	"breakpoint", "load address misaligned", "load access fault",
	"store address misaligned", "store access fault", "environment call from U-mode",
	"environment call from S-mode", "(10)", "environment call from M-mode",
	"instruction page fault", "load page fault", "(14)", "store page fault",
};

void guest_trap_report(void)
{
	uint64_t cause, epc, tval;

	__asm__ volatile("csrr %0, scause\n\tcsrr %1, sepc\n\tcsrr %2, stval"
			 : "=r"(cause), "=r"(epc), "=r"(tval));
	put_str("trap: ");
	if (cause >> 63)
		put_str("interrupt");
	else if (cause < sizeof exception_names / sizeof exception_names[0])
		put_str(exception_names[cause]);
	else
		put_str("exception");
	put_str(" (scause ");
	put_hex(cause);
	put_str(") at sepc ");
	put_hex(epc);
	put_str(", stval ");
	put_hex(tval);
	put_str("\n");
	guest_power_off();
}
