/* SPDX-License-Identifier: MIT */
/*
 * Ending the machine. QEMU exits with status 0 on PSCI SYSTEM_OFF; a
 * non-zero status needs semihosting SYS_EXIT (operation 0x18): on AArch64,
 * x1 points to a two-word block {reason, subcode}, and with reason
 * ADP_Stopped_ApplicationExit QEMU exits with subcode as its status (Arm
 * "Semihosting for AArch32 and AArch64", SYS_EXIT). The call is HLT #0xF000.
 */
#include "arch/aarch64/psci.h"
#include "core/panic.h"

#define SEMIHOST_SYS_EXIT 0x18u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

static void semihost_exit(uint32_t status)
{
	uint64_t block[2] = { ADP_STOPPED_APPLICATION_EXIT, status };
	register uint64_t x0 __asm__("x0") = SEMIHOST_SYS_EXIT;
	register uint64_t x1 __asm__("x1") = (uint64_t)(uintptr_t)block;

	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
}

void hv_halt(void)
{
	psci_system_off();
	for (;;)
		__asm__ volatile("wfi");
}

void hv_exit(int status)
{
	/*
	 * Without -semihosting the HLT is an undefined instruction: the EL2
	 * exception handler then sees hv_panicking() (or panics) and halts.
	 */
	if (status != HV_EXIT_OK)
		semihost_exit((uint32_t)status);
	hv_halt();
}
