/* SPDX-License-Identifier: MIT */
/*
 * What the test guests share, on every architecture: console output, the
 * CPU calls (start, stop, state), the IVC calls, power off and reset, the
 * counter. Each architecture implements them in guests/arch/<arch>/ (aarch64:
 * PL011, PSCI and HVC; riscv64: SBI). A guest that needs one architecture's
 * registers uses that arch.h's own functions and is built for it alone
 * (guests/guests.mk's list per architecture).
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The architecture's half: guests/arch/<arch>/arch.h (guests.mk puts it on
 * the include path). Each defines GUEST_ARCH, the inline counter() and
 * counter_freq() (ticks and ticks per second), cpu_yield() (gives the CPU
 * to the hypervisor for a while), guest_barrier() (orders memory accesses
 * for the other CPUs), SECONDARY_ENTRY, the CPU_* words and constants of
 * the CPU calls below, and the GUEST_* addresses its VM files leave
 * unmapped or give to something.
 */
#include "arch.h"

/*
 * The IVC hypercalls (include/vmcfg/ivc.h's codes, ivc_call's arguments in
 * that order: aarch64 HVC with x0 = code, x1.. arguments, result in x0;
 * riscv64 the SBI extension VMCFG_SBI_EXT_HVC with a6 = code, a0.. arguments,
 * result in a0).
 */
#define IVC_PUBLISH 3     /* x1 key, x2 &base, x3 &size (in: size wanted) */
#define IVC_SUBSCRIBE 4   /* x1 publisher VM id, x2 key, x3 &base, x4 &size */
#define IVC_UNPUBLISH 5   /* x1 key */
#define IVC_UNSUBSCRIBE 6 /* x1 publisher VM id, x2 key */
/* Results the guests tell apart (VMCFG_E* of include/vmcfg/base.h). */
#define IVC_ENOENT (-5)
#define IVC_EALIGN (-10)
#define IVC_EFAULT (-12)
#define IVC_EPERM (-13)

int main(void);

/*
 * x1 at the guest's entry (aarch64 start.S): the hypervisor's seed= boot
 * argument for vCPU 0; riscv64: a1, the guest DT's address.
 */
extern uint64_t guest_boot_x1;

static inline uint32_t mmio_read32(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

void put_char(char c);
void put_str(const char *s);
void put_hex(uint64_t v);
void put_dec(int64_t v);
/* Where the guest runs, as the architecture says it: "at EL1", "in S-mode". */
void put_privilege(void);

/*
 * The message ivc-pub writes into its channel and ivc-sub reads, after the
 * 32-byte header the registry writes at the channel's start. The data runs
 * past the first page, so the channel's pages must be contiguous in the
 * guest's view.
 */
#define IVC_DEMO_KEY 1
#define IVC_DEMO_PUBLISHER 2 /* the publisher's VM id */
#define IVC_DEMO_SIZE 0x2000
#define IVC_MSG_OFFSET 64
#define IVC_MSG_LEN 6000
struct ivc_msg {
	uint32_t ready;  /* set last by the publisher */
	uint32_t len, sum;
	uint32_t answer; /* the checksum the subscriber computed */
	uint8_t data[IVC_MSG_LEN];
};

/* FNV-1a over len bytes. */
uint32_t checksum(const volatile uint8_t *p, uint32_t len);

/*
 * The well-behaved VM (deadline.c) runs beside a hostile one (ivc-storm.c,
 * fuzz.c) until that one says it is done: the hostile VM publishes its
 * status channel (STATUS_KEY_*), which deadline subscribes to read-only,
 * and sets the word at STATUS_DONE after the header when it has finished.
 */
#define STATUS_KEY_STORM 0x57 /* ivc-storm's; keys are unique in a system (E0312) */
#define STATUS_KEY_FUZZ 0x58   /* fuzz's */
#define BEACON_KEY 0x59         /* deadline's channel, granted read-only to fuzz */
#define DEADLINE_VM_ID 25
#define STATUS_SIZE 0x1000
#define STATUS_DONE 64
#define STORM_VM_ID 24
#define FUZZ_VM_ID 26

/*
 * The harness of guests whose vCPUs all run the same checks (team.c): each
 * such guest defines team_member, which vCPU id (guest_cpu_id: 0, 1, ...) runs
 * and which returns its count of failed checks. team_run starts vCPUs
 * 1..n-1 at it (guest_cpu_start, n <= TEAM_MAX), runs it on vCPU 0, and waits
 * up to timeout_s seconds until every other vCPU is done and off again.
 * team_report then prints "; failed checks per vCPU: a b ..." (-1 for one
 * that never ran) and "NAME: ok" or "NAME: FAILED", and returns whether
 * all ran and passed.
 */
#define TEAM_MAX 4
uint32_t team_member(uint64_t id);
void team_run(unsigned n, unsigned timeout_s);
int team_report(const char *name, unsigned n);

/* The VM off (aarch64 PSCI SYSTEM_OFF, riscv64 SBI SRST shutdown); does not return. */
__attribute__((noreturn)) void guest_power_off(void);

/*
 * The VM restarted (PSCI SYSTEM_RESET, SBI SRST warm reboot): RAM outside
 * the image keeps its contents. Returns only when the call was refused.
 */
void guest_reset(void);

/* An IVC hypercall (the codes above) with up to four arguments; its result. */
int64_t ivc_call(uint64_t code, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);

/*
 * The CPUs of the VM, by their architectural id (aarch64 MPIDR affinity,
 * riscv64 hart id). guest_cpu_start starts CPU id at entry (a
 * SECONDARY_ENTRY of arch.h) with ctx as its stack top: 0, or the call's
 * error (CPU_START_INVALID for an id the VM does not have).
 * guest_cpu_state is CPU_STATE_OFF for a CPU that is off (PSCI
 * AFFINITY_INFO, SBI HSM HART_GET_STATUS: both 1), else what the call says
 * (0 on). guest_cpu_stop turns the calling CPU off and returns only when
 * that was refused.
 */
uint64_t guest_cpu_id(void);
int64_t guest_cpu_start(uint64_t id, void (*entry)(void), uint64_t ctx);
int64_t guest_cpu_state(uint64_t id);
void guest_cpu_stop(void);

#endif
