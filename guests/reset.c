/* SPDX-License-Identifier: MIT */
/*
 * PSCI SYSTEM_RESET restarts this VM alone (tests/qemu/run). A boot counter
 * in RAM outside the image survives the warm reset, so each boot knows
 * which it is. Boot 1 starts vCPU 1 on the other physical CPU, where it
 * spins without ever leaving the guest (no slice ends its turn there: only
 * the hypervisor's kick stops it), and resets with it running. Boot 2 finds
 * vCPU 1 off again (reset to the VM's start) and resets once more; boot 3
 * powers off.
 */
#include "guest.h"

#define PSCI_SYSTEM_RESET 0x84000009u
#define AFF_ON 0
#define AFF_OFF 1
#define SECOND_MPIDR 0x1
/* Near the end of the VM's 64 MiB, far from the image and its stack. */
#define BOOTS ((volatile uint64_t *)0x43f00000ul)

static uint8_t stack1[4096] __attribute__((aligned(16)));
static volatile uint64_t spins;

void secondary_entry(void);
void secondary_main(void);
__asm__(".text\n.global secondary_entry\nsecondary_entry:\n\tmov sp, x0\n\tb secondary_main\n");

void secondary_main(void)
{
	for (;;)
		spins++;
}

static void reset(void)
{
	hvc_call(PSCI_SYSTEM_RESET);
	put_str("reset: UNEXPECTED: SYSTEM_RESET returned\n");
	for (;;)
		cpu_yield();
}

int main(void)
{
	uint64_t boot = ++*BOOTS;
	int64_t second = hvc_call4(PSCI_AFFINITY_INFO, SECOND_MPIDR, 0, 0, 0);

	put_str("reset: boot ");
	put_dec((int64_t)boot);
	put_str(", vCPU 1 ");
	put_str(second == AFF_OFF ? "off\n" : "NOT off\n");
	if (boot == 1) {
		uint64_t start = counter();

		hvc_call4(PSCI_CPU_ON, SECOND_MPIDR, (uintptr_t)secondary_entry,
			  (uintptr_t)(stack1 + sizeof stack1), 0);
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
