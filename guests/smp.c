/* SPDX-License-Identifier: MIT */
/*
 * Guest SMP through the architecture's CPU calls (PSCI, SBI HSM): the boot
 * CPU finds the second one (id 1, or 0 when it is 1 itself) off, fails to
 * start a CPU that does not exist, starts the second on its own stack,
 * waits until it has printed and turned itself off again, and powers the
 * VM off. One CPU prints at a time: their bytes share a console.
 */
#include "guest.h"

#define NO_SUCH_CPU 0x7

static uint8_t stack1[4096] __attribute__((aligned(16)));
static volatile uint32_t second_ran;

void secondary_entry(void);
void secondary_main(void);
SECONDARY_ENTRY(secondary_entry, secondary_main);

void secondary_main(void)
{
	put_str("smp: vCPU with " CPU_ID_NAME " ");
	put_hex(guest_cpu_id());
	put_str(" running\n");
	second_ran = 1;
	guest_cpu_stop();
	put_str("smp: CPU_OFF returned\n");
	for (;;)
		cpu_yield();
}

int main(void)
{
	/* Under a hypervisor the boot CPU is 0; firmware may boot another (OpenSBI's lottery). */
	uint64_t second = guest_cpu_id() == 1 ? 0 : 1;
	int64_t before = guest_cpu_state(second);
	int64_t bogus = guest_cpu_start(NO_SUCH_CPU, secondary_entry, 0);
	int64_t on = guest_cpu_start(second, secondary_entry, (uintptr_t)(stack1 + sizeof stack1));
	uint64_t start = counter();

	while (!second_ran && counter() - start < 5 * counter_freq())
		cpu_yield();
	while (guest_cpu_state(second) != CPU_STATE_OFF && counter() - start < 5 * counter_freq())
		cpu_yield();
	put_str("smp: vCPU with " CPU_ID_NAME " ");
	put_hex(guest_cpu_id());
	put_str(": " CPU_STATE_CALL " before ");
	put_dec(before);
	put_str(", " CPU_START_CALL " of " CPU_ID_NAME " 0x7 ");
	put_dec(bogus);
	put_str(", " CPU_START_CALL " of " CPU_ID_NAME);
	put_str(second ? " 0x1 " : " 0x0 ");
	put_dec(on);
	put_str("\n");
	put_str(before == CPU_STATE_OFF && bogus == CPU_START_INVALID && on == 0 && second_ran &&
			guest_cpu_state(second) == CPU_STATE_OFF
		? "smp: ok\n"
		: "smp: FAILED\n");
	return 0;
}
