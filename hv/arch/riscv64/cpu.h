/* SPDX-License-Identifier: MIT */
/*
 * Physical harts: their number, stacks and per-CPU state. The tp register
 * holds the running hart's struct cpu in HS-mode from its first C
 * instruction on (a guest's tp is switched with its other registers).
 */
#ifndef HV_ARCH_RISCV64_CPU_H
#define HV_ARCH_RISCV64_CPU_H

#define HV_MAX_CPUS 8
#define HV_STACK_SIZE 0x4000 /* per hart, HS-mode only */
#define HV_CPU_MAX_VCPUS 16

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

struct vcpu;

struct cpu {
	uint32_t index;  /* 0 = the boot hart; others in device-tree order */
	uint64_t hartid; /* its hart id (the DT's reg, OpenSBI's a0) */
	bool online;
	struct vcpu *runq[HV_CPU_MAX_VCPUS]; /* core/sched.c */
	uint32_t runq_len;
	struct vcpu *loaded; /* whose VS context the hart holds (vcpu.c) */
	bool done;
	uint64_t timer_armed;   /* the deadline last given to SBI set_timer; ~0 = none */
	uint64_t slice_end;     /* the running vCPU's slice ends here (rdtime), ~0 = no slice */
	uint64_t hgatp_loaded;  /* hgatp last written (a change flushes: vcpu.c) */
};

extern struct cpu cpus[HV_MAX_CPUS];

static inline struct cpu *this_cpu(void)
{
	struct cpu *c;

	__asm__("mv %0, tp" : "=r"(c));
	return c;
}

/* The timebase (ticks of rdtime per second), from the DT's /cpus; QEMU virt: 10 MHz. */
extern uint64_t hv_timebase_hz;

/* Guests' timers are vstimecmp (Sstc, henvcfg.STCE = 1), not injected VSTIP (cpu.c). */
extern bool hv_sstc;

/* Arms this hart's supervisor timer for deadline (rdtime ticks), ~0 disarms; skips repeats. */
void cpu_timer_arm(uint64_t deadline);

/* Entry point of secondary harts (boot.S): a0 = hart id, a1 = their index. */
void hv_secondary_entry(void);
__attribute__((noreturn)) void hv_secondary_main(uint32_t index);

/* Traps taken in HS-mode itself (boot.S): reports and panics. */
__attribute__((noreturn)) void hs_exception(uint64_t scause, uint64_t sepc, uint64_t stval);
#endif

#endif
