/* SPDX-License-Identifier: MIT */
/*
 * A reset (PSCI SYSTEM_RESET, SBI SRST) restarts this VM alone (tests/qemu/run). A boot counter
 * in RAM outside the image survives the warm reset, so each boot knows
 * which it is. Boot 1 starts vCPU 1 (the second CPU) on the other physical CPU, where it
 * spins without ever leaving the guest (no slice ends its turn there: only
 * the hypervisor's kick stops it), and resets with it running. Boot 2 finds
 * vCPU 1 off again (reset to the VM's start) and resets once more; boot 3
 * powers off.
 */
#include "guest.h"

/* Near the end of the VM's 64 MiB, far from the image and its stack. */
#define BOOTS ((volatile uint64_t *)GUEST_RESET_BOOTS)

static uint8_t stack1[4096] __attribute__((aligned(16)));
static volatile uint64_t spins;

void secondary_entry(void);
void secondary_main(void);
SECONDARY_ENTRY(secondary_entry, secondary_main);

void secondary_main(void)
{
	for (;;)
		spins++;
}

static void reset(void)
{
	guest_reset();
	put_str("reset: UNEXPECTED: SYSTEM_RESET returned\n");
	for (;;)
		cpu_yield();
}

int main(void)
{
	uint64_t boot = ++*BOOTS;
	/* Under a hypervisor the boot CPU is 0; firmware may boot another (OpenSBI's lottery). */
	uint64_t other = guest_cpu_id() == 1 ? 0 : 1;
	int64_t second = guest_cpu_state(other);

	put_str("reset: boot ");
	put_dec((int64_t)boot);
	put_str(", vCPU 1 ");
	put_str(second == CPU_STATE_OFF ? "off\n" : "NOT off\n");
	if (boot == 1) {
		uint64_t start = counter();

		guest_cpu_start(other, secondary_entry, (uintptr_t)(stack1 + sizeof stack1));
		while (!spins && counter() - start < 5 * counter_freq())
			cpu_yield();
		put_str(spins ? "reset: vCPU 1 spinning; SYSTEM_RESET\n"
			      : "reset: FAILED: vCPU 1 never ran\n");
		reset();
	}
	if (boot == 2)
		reset();
	put_str("reset: done\n");
	return 0;
}
