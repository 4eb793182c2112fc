/* SPDX-License-Identifier: MIT */
/*
 * The harness of the guests whose vCPUs all run the same checks (pauth,
 * sve, sme): vCPUs 1..n-1 start (guest_cpu_start) on stacks of their
 * own, vCPU 0 runs the checks too, and vCPU 0 waits for the others to
 * finish and turn themselves off before it reports.
 */
#include "guest.h"

static uint8_t stacks[TEAM_MAX][4096] __attribute__((aligned(16)));
static volatile uint32_t done[TEAM_MAX], failures[TEAM_MAX];
static int64_t started[TEAM_MAX];

/* Defined by the guests that use the harness (a weak reference for the others). */
uint32_t team_member(uint64_t id) __attribute__((weak));

void team_entry(void);
void team_secondary(void);
SECONDARY_ENTRY(team_entry, team_secondary);

void team_secondary(void)
{
	uint64_t id = guest_cpu_id();

	failures[id] = team_member(id);
	done[id] = 1;
	/* Off with whatever state its checks left: the hypervisor must put that too. */
	guest_cpu_stop();
	for (;;)
		cpu_yield();
}

void team_run(unsigned n, unsigned timeout_s)
{
	uint64_t start;

	for (uint64_t id = 1; id < n; id++)
		started[id] = guest_cpu_start(id, team_entry, (uintptr_t)(stacks[id] + sizeof stacks[id]));
	failures[0] = team_member(0);
	done[0] = 1;
	start = counter();
	for (uint64_t id = 1; id < n; id++)
		while ((!done[id] || guest_cpu_state(id) != CPU_STATE_OFF) &&
		       counter() - start < timeout_s * counter_freq())
			cpu_yield();
}

int team_report(const char *name, unsigned n)
{
	int ok = 1;

	put_str("; failed checks per vCPU:");
	for (unsigned id = 0; id < n; id++) {
		int ran = done[id] && started[id] == 0;

		put_char(' ');
		put_dec(ran ? (int64_t)failures[id] : -1);
		ok = ok && ran && failures[id] == 0;
	}
	put_str("\n");
	put_str(name);
	put_str(ok ? ": ok\n" : ": FAILED\n");
	return ok;
}
