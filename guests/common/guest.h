/* SPDX-License-Identifier: MIT */
/* What the test guests share: console output through the PL011, PSCI calls. */
#ifndef GUEST_H
#define GUEST_H

#include <stdbool.h>
#include <stdint.h>

#define UART_BASE 0x09000000ul
#define UART_DR 0x000
#define UART_FR 0x018
#define UART_FR_TXFF (1u << 5)
#define UART_FR_RXFE (1u << 4)
#define UART_FR_TXFE (1u << 7)

#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON 0xc4000003u
#define PSCI_AFFINITY_INFO 0xc4000004u
#define PSCI_SYSTEM_OFF 0x84000008u

/* The IVC hypercalls (include/vmcfg/ivc.h): x0 = code, x1.. arguments, result in x0. */
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

/* x1 at the guest's entry (start.S): the hypervisor's seed= boot argument for vCPU 0. */
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

/* SMCCC fast calls: function ID in w0, result in x0. */
int64_t hvc_call(uint32_t fid);
int64_t smc_call(uint32_t fid);

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

/* Ticks of the system counter per second (CNTFRQ_EL0). */
static inline uint64_t counter_freq(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

/* HVC with arguments x1..x4. */
int64_t hvc_call4(uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3, uint64_t x4);

/* Gives the CPU up for a while: WFI traps to the hypervisor, which runs another vCPU. */
static inline void cpu_yield(void)
{
	__asm__ volatile("wfi" : : : "memory");
}

/* The system counter (CNTVCT_EL0), after the instructions before it. */
static inline uint64_t counter(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

/*
 * SVE/SME register file to and from buf (common/sve.S): Z0-Z31, P0-P15 and,
 * if ffr, FFR at the current vector length; the ZA storage (PSTATE.ZA = 1).
 * Only on a CPU with SVE (and SME for ZA), enabled at EL1 (CPACR_EL1).
 */
void sve_load(const uint8_t *buf, int ffr);
void sve_store(uint8_t *buf, int ffr);
void za_load(const uint8_t *buf);
void za_store(uint8_t *buf);

/* The architecture's largest (streaming) vector length in bytes, 2048 bits. */
#define SVE_VL_MAX 256
/* sve_store's bytes at the largest length: Z0-Z31 (VL each), P0-P15 and FFR (VL / 8 each). */
#define SVE_STATE_MAX (32 * SVE_VL_MAX + 17 * (SVE_VL_MAX / 8))
/* CPACR_EL1: FP/SIMD and SVE not trapped at EL1 and EL0. */
#define CPACR_FPEN (3ull << 20)
#define CPACR_ZEN (3ull << 16)
#define ZCR_EL1 "S3_0_C1_C2_0"

/* RDVL #1: the current vector length in bytes (the streaming one in Streaming SVE mode). */
__attribute__((target("arch=armv8.2-a+sve"))) static inline uint32_t sve_rdvl(void)
{
	uint64_t n;

	__asm__ volatile("rdvl %0, #1" : "=r"(n));
	return (uint32_t)n;
}

/* AFFINITY_INFO's answer for a vCPU that is off. */
#define PSCI_AFF_OFF 1

/* This vCPU's MPIDR affinity fields (Aff3, Aff2..Aff0). */
static inline uint64_t guest_mpidr(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(v));
	return v & 0xff00ffffffull;
}

/*
 * The harness of guests whose vCPUs all run the same checks (team.c): each
 * such guest defines team_member, which vCPU id (its MPIDR: 0, 1, ...) runs
 * and which returns its count of failed checks. team_run starts vCPUs
 * 1..n-1 at it (PSCI CPU_ON, n <= TEAM_MAX), runs it on vCPU 0, and waits
 * up to timeout_s seconds until every other vCPU is done and off again.
 * team_report then prints "; failed checks per vCPU: a b ..." (-1 for one
 * that never ran) and "NAME: ok" or "NAME: FAILED", and returns whether
 * all ran and passed.
 */
#define TEAM_MAX 4
uint32_t team_member(uint64_t id);
void team_run(unsigned n, unsigned timeout_s);
int team_report(const char *name, unsigned n);

/* PSCI SYSTEM_OFF through HVC; does not return. */
__attribute__((noreturn)) void guest_power_off(void);

#endif
