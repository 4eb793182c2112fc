/* SPDX-License-Identifier: MIT */
/* Calls into the platform firmware's PSCI through SMC (SMCCC, Arm DEN 0028). */
#include "arch/aarch64/psci.h"

/*
 * One SMC64 fast call: function ID in w0, arguments in x1-x3, result in x0.
 * SMCCC v1.0 lets the callee corrupt x4-x17, so they are clobbered here.
 */
static int64_t smc_call(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("smc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14",
			   "x15", "x16", "x17", "memory");
	return (int64_t)x0;
}

int64_t psci_cpu_on(uint64_t target_mpidr, uint64_t entry, uint64_t context)
{
	return smc_call(PSCI_0_2_CPU_ON_64, target_mpidr, entry, context);
}

void psci_system_off(void)
{
	smc_call(PSCI_0_2_SYSTEM_OFF, 0, 0, 0);
}
