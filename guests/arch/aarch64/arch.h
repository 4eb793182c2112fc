/* SPDX-License-Identifier: MIT */
/*
 * The aarch64 side of the test guests (guests/common/guest.h includes it):
 * EL1 with the MMU off, the console on the PL011, the hypervisor's services
 * through HVC (PSCI and the IVC hypercalls, x0 = code).
 */
#ifndef GUEST_ARCH_H
#define GUEST_ARCH_H

#include <stdint.h>

#define GUEST_ARCH "aarch64"

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
#define PSCI_SYSTEM_RESET 0x84000009u
/* AFFINITY_INFO's answer for a vCPU that is off. */
#define PSCI_AFF_OFF 1
#define PSCI_INVALID_PARAMETERS (-2)

/* The portable guests' words for this architecture's CPU calls (guest.h). */
#define CPU_ID_NAME "MPIDR"
#define CPU_STATE_CALL "AFFINITY_INFO"
#define CPU_START_CALL "CPU_ON"
#define CPU_STATE_OFF PSCI_AFF_OFF
#define CPU_START_INVALID PSCI_INVALID_PARAMETERS
/* Guest-physical addresses the VM files of examples/qemu leave unmapped or give a device. */
#define GUEST_UNMAPPED 0x10000000ul   /* nothing there: fault.c */
#define GUEST_UNMAPPED_STR "0x10000000"
#define GUEST_OUTSIDE_RAM 0x80000000ul /* past the RAM of rogue.toml */
#define GUEST_CONSOLE_BASE UART_BASE  /* the emulated console's window */
#define GUEST_RESET_BOOTS 0x43f00000ul /* near the end of reset.toml's 64 MiB */
#define GUEST_RAM_BASE 0x40000000ul    /* a VM's RAM: 64 MiB from here (rogue-ram.toml) */
#define GUEST_RAM_END 0x44000000ul
#define GUEST_HOST_IRQCHIP 0x08000000ul /* the host's GIC distributor, no VM's: rogue-mmio.c */

/*
 * A secondary CPU's entry: the start call's context argument (x0 under
 * PSCI) is the new CPU's stack top; then C function fn runs on it.
 */
#define SECONDARY_ENTRY(name, fn) \
	__asm__(".text\n.global " #name "\n" #name ":\n\tmov sp, x0\n\tb " #fn "\n")

/* SMCCC fast calls: function ID in w0, result in x0. */
int64_t hvc_call(uint32_t fid);
int64_t smc_call(uint32_t fid);
/* HVC with arguments x1..x4. */
int64_t hvc_call4(uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3, uint64_t x4);

/* Ticks of the system counter per second (CNTFRQ_EL0). */
static inline uint64_t counter_freq(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

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

/* Orders this CPU's memory accesses before and after it for the other CPUs (and VMs). */
static inline void guest_barrier(void)
{
	__asm__ volatile("dmb ish" : : : "memory");
}

/*
 * SVE/SME register file to and from buf (arch/aarch64/sve.S): Z0-Z31, P0-P15 and,
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

/* This vCPU's MPIDR affinity fields (Aff3, Aff2..Aff0). */
static inline uint64_t guest_mpidr(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(v));
	return v & 0xff00ffffffull;
}

#endif
