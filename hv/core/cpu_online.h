/* SPDX-License-Identifier: MIT */
/*
 * Bringing the secondary CPUs online, the same on every architecture (the
 * architecture only starts a CPU and keeps time: core/arch.h). The boot CPU
 * starts them early and reads the system meanwhile, which under QEMU's TCG
 * runs beside their start-up; it waits for them once, before any vCPU is
 * placed. Each bring-up is decided once, by compare-and-swap: the CPU comes
 * online, or the boot CPU gives up on it first, and then the CPU parks for
 * good, so one late beyond the limit never joins a placement already made.
 */
#ifndef HV_CORE_CPU_ONLINE_H
#define HV_CORE_CPU_ONLINE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Starts the other CPUs of the device tree (ids: their MPIDR or hart id,
 * count of them, the boot CPU's included) at the hypervisor's secondary
 * entry, each with its index in cpus[], and returns how many were started
 * without waiting for them. Logs those it could not start, and those beyond
 * HV_MAX_CPUS. An index is never given twice, even when a start failed: a
 * CPU that comes up late must not share another's stack.
 */
uint32_t cpu_start_secondaries(const uint64_t *ids, uint32_t count);

/*
 * Waits, with a time limit each, for the CPUs cpu_start_secondaries started
 * to come online (logs those that did not, which then never will); returns
 * how many CPUs are online, this one included. Called once, before any vCPU
 * is placed.
 */
uint32_t cpu_wait_secondaries(void);

/*
 * A secondary's claim to come online, made once on that CPU (index) after
 * its own set-up and before it marks itself online in cpus[]: false when
 * the boot CPU has given up on it, and then it must park for good.
 */
bool cpu_online_claim(uint32_t index);

#endif
