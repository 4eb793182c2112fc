/* SPDX-License-Identifier: MIT */
/*
 * Ending the machine: QEMU's test finisher carries the exit status
 * (platform.h); SBI SRST shutdown is the fallback where there is none.
 */
#include "core/panic.h"
#include "platform/qemu-virt-riscv64/platform.h"
#include "arch/riscv64/sbi.h"

#include <stdint.h>

static void finisher(uint32_t value)
{
	*(volatile uint32_t *)(uintptr_t)PLAT_TEST_BASE = value;
}

void hv_halt(void)
{
	sbi_shutdown();
	for (;;)
		__asm__ volatile("wfi");
}

void hv_exit(int status)
{
	finisher(status == HV_EXIT_OK ? PLAT_TEST_PASS : (uint32_t)status << 16 | PLAT_TEST_FAIL);
	hv_halt();
}
