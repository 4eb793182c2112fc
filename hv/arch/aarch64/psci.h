/* SPDX-License-Identifier: MIT */
/*
 * PSCI (Arm DEN 0022, Power State Coordination Interface): the function IDs
 * and return codes used both ways — the hypervisor calling the platform
 * firmware (QEMU's built-in PSCI, conduit SMC) and guests calling the
 * hypervisor (HVC or trapped SMC).
 */
#ifndef HV_ARCH_AARCH64_PSCI_H
#define HV_ARCH_AARCH64_PSCI_H

#include <stdint.h>

#define PSCI_0_2_VERSION 0x84000000u
#define PSCI_0_2_CPU_OFF 0x84000002u
#define PSCI_0_2_CPU_ON_32 0x84000003u
#define PSCI_0_2_CPU_ON_64 0xc4000003u
#define PSCI_0_2_AFFINITY_INFO_32 0x84000004u
#define PSCI_0_2_AFFINITY_INFO_64 0xc4000004u
#define PSCI_0_2_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_0_2_SYSTEM_OFF 0x84000008u
#define PSCI_0_2_SYSTEM_RESET 0x84000009u

/* PSCI_VERSION's answer: major in bits [31:16], minor in [15:0]. */
#define PSCI_VERSION_0_2 0x00000002u

/* MIGRATE_INFO_TYPE: "Trusted OS not present or does not require migration". */
#define PSCI_TOS_NOT_PRESENT_MP 2

#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_DENIED (-3)
#define PSCI_ALREADY_ON (-4)

/* CPU_ON through the firmware: start target_mpidr at entry with x0 = context. */
int64_t psci_cpu_on(uint64_t target_mpidr, uint64_t entry, uint64_t context);

/* SYSTEM_OFF through the firmware; QEMU exits with status 0. Returns only if refused. */
void psci_system_off(void);

#endif
