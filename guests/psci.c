/* SPDX-License-Identifier: MIT */
/*
 * PSCI through both conduits: VERSION by HVC and by SMC (which the
 * hypervisor traps), an unknown function (NOT_SUPPORTED), then CPU_OFF of
 * its only vCPU, which ends the VM.
 */
#include "guest.h"

#define PSCI_NOT_SUPPORTED (-1)
#define UNKNOWN_FUNCTION 0x8400001fu

int main(void)
{
	int64_t hvc = hvc_call(PSCI_VERSION), smc = smc_call(PSCI_VERSION);
	int64_t unknown = hvc_call(UNKNOWN_FUNCTION);

	put_str("version by hvc ");
	put_hex((uint64_t)hvc);
	put_str(", by smc ");
	put_hex((uint64_t)smc);
	put_str("; unknown function ");
	put_hex((uint64_t)unknown);
	put_str("\n");
	if (hvc == 2 && smc == 2 && unknown == PSCI_NOT_SUPPORTED)
		put_str("psci: ok\n");
	else
		put_str("psci: FAILED\n");
	hvc_call(PSCI_CPU_OFF);
	put_str("psci: CPU_OFF returned\n");
	return 0;
}
