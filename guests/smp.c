/* SPDX-License-Identifier: MIT */
/*
 * Guest SMP through PSCI: vCPU 0 finds vCPU 1 (MPIDR 0x1) off, fails to
 * start a vCPU that does not exist, starts vCPU 1 on its own stack, waits
 * until it has printed and turned itself off again (AFFINITY_INFO), and
 * powers the VM off. One vCPU prints at a time: their bytes share a UART.
 */
#include "guest.h"

#define PSCI_INVALID_PARAMETERS (-2)
#define AFF_OFF 1
#define SECOND_MPIDR 0x1
#define NO_SUCH_MPIDR 0x7

static uint8_t stack1[4096] __attribute__((aligned(16)));
static volatile uint32_t second_ran;

/* CPU_ON's entry: x0 = the context id, here the new vCPU's stack top. */
void secondary_entry(void);
void secondary_main(void);
__asm__(".text\n.global secondary_entry\nsecondary_entry:\n\tmov sp, x0\n\tb secondary_main\n");

void secondary_main(void)
{
	put_str("smp: vCPU with MPIDR ");
	put_hex(guest_mpidr());
	put_str(" running\n");
	second_ran = 1;
	hvc_call4(PSCI_CPU_OFF, 0, 0, 0, 0);
	put_str("smp: CPU_OFF returned\n");
	for (;;)
		cpu_yield();
}

int main(void)
{
	int64_t before = hvc_call4(PSCI_AFFINITY_INFO, SECOND_MPIDR, 0, 0, 0);
	int64_t bogus = hvc_call4(PSCI_CPU_ON, NO_SUCH_MPIDR, (uintptr_t)secondary_entry, 0, 0);
	int64_t on = hvc_call4(PSCI_CPU_ON, SECOND_MPIDR, (uintptr_t)secondary_entry,
			       (uintptr_t)(stack1 + sizeof stack1), 0);
	uint64_t start = counter();

	while (!second_ran && counter() - start < 5 * counter_freq())
		cpu_yield();
	while (hvc_call4(PSCI_AFFINITY_INFO, SECOND_MPIDR, 0, 0, 0) != AFF_OFF &&
	       counter() - start < 5 * counter_freq())
		cpu_yield();
	put_str("smp: vCPU with MPIDR ");
	put_hex(guest_mpidr());
	put_str(": AFFINITY_INFO before ");
	put_dec(before);
	put_str(", CPU_ON of MPIDR 0x7 ");
	put_dec(bogus);
	put_str(", CPU_ON of MPIDR 0x1 ");
	put_dec(on);
	put_str("\n");
	put_str(before == AFF_OFF && bogus == PSCI_INVALID_PARAMETERS && on == 0 && second_ran &&
			hvc_call4(PSCI_AFFINITY_INFO, SECOND_MPIDR, 0, 0, 0) == AFF_OFF
		? "smp: ok\n"
		: "smp: FAILED\n");
	return 0;
}
