/* SPDX-License-Identifier: MIT */
/* Bringing the secondary CPUs online (core/cpu_online.h). */
#include "core/arch.h"
#include "core/console.h"
#include "core/cpu_online.h"

/*
 * How long a secondary may take from its start to its claim: long, as
 * QEMU's TCG on a loaded host can leave a CPU's thread unscheduled for
 * seconds (boot tests under load saw 100 ms, then 2 s, pass); a CPU that
 * comes online costs only its own time.
 */
#define CPU_ONLINE_TIMEOUT_MS 10000

enum { BRINGUP_NONE, BRINGUP_STARTING, BRINGUP_ONLINE, BRINGUP_ABANDONED };

static uint32_t bringup[HV_MAX_CPUS];
static uint64_t started_id[HV_MAX_CPUS];
static uint32_t next = 1; /* the next index to give; index 0 is the boot CPU */

uint32_t cpu_start_secondaries(const uint64_t *ids, uint32_t count)
{
	uint32_t started = 0;

	for (uint32_t i = 0; i < count; i++) {
		uint32_t index;
		int64_t err;

		if (hv_arch_cpu_is_self(ids[i]))
			continue;
		if (next == HV_MAX_CPUS) {
			hv_log("cpu with %s %#llx left off: HV_MAX_CPUS is %d", HV_ARCH_CPU_ID_NAME,
			       (unsigned long long)ids[i], HV_MAX_CPUS);
			continue;
		}
		index = next++;
		__atomic_store_n(&bringup[index], BRINGUP_STARTING, __ATOMIC_RELEASE);
		err = hv_arch_cpu_start(index, ids[i]);
		if (err) {
			__atomic_store_n(&bringup[index], BRINGUP_NONE, __ATOMIC_RELEASE);
			hv_log("cpu with %s %#llx: %s failed (%lld)", HV_ARCH_CPU_ID_NAME,
			       (unsigned long long)ids[i], HV_ARCH_CPU_START_CALL, (long long)err);
			continue;
		}
		started_id[index] = ids[i];
		started++;
	}
	return started;
}

/* Whether CPU index came online in time; if not, it never will. */
static bool wait_online(uint32_t index)
{
	uint64_t hz = hv_arch_counter_hz(), start = hv_arch_counter();
	uint32_t starting = BRINGUP_STARTING;

	while (!__atomic_load_n(&cpus[index].online, __ATOMIC_ACQUIRE)) {
		if (hv_arch_counter() - start > hz / 1000 * CPU_ONLINE_TIMEOUT_MS &&
		    __atomic_compare_exchange_n(&bringup[index], &starting, BRINGUP_ABANDONED, false,
						__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			return false;
		starting = BRINGUP_STARTING; /* it won the race: it is coming online */
	}
	return true;
}

uint32_t cpu_wait_secondaries(void)
{
	uint32_t online = 1;

	for (uint32_t index = 1; index < next; index++) {
		uint32_t state = __atomic_load_n(&bringup[index], __ATOMIC_ACQUIRE);

		if (state == BRINGUP_NONE || state == BRINGUP_ABANDONED)
			continue; /* never started, or given up on (and said so) before */
		if (wait_online(index))
			online++;
		else
			hv_log("cpu%u (%s %#llx) did not come online", index, HV_ARCH_CPU_ID_NAME,
			       (unsigned long long)started_id[index]);
	}
	return online;
}

bool cpu_online_claim(uint32_t index)
{
	uint32_t starting = BRINGUP_STARTING;

	return __atomic_compare_exchange_n(&bringup[index], &starting, BRINGUP_ONLINE, false,
					   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}
