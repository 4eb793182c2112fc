/* SPDX-License-Identifier: MIT */
/*
 * The riscv64 side of the test guests (guests/common/guest.h includes it):
 * S-mode (VS-mode under a hypervisor) with paging off, entered with a0 =
 * hart id and a1 = the DT's address; every service through the SBI
 * (sbi.c): console (DBCN, else the legacy putchar), HSM, SRST, TIME, and
 * the IVC calls of the reference's extension "HVC".
 */
#ifndef GUEST_ARCH_H
#define GUEST_ARCH_H

#include <stdint.h>

#include "vmcfg/ivc.h" /* VMCFG_SBI_EXT_HVC: the extension the hypervisor implements */

#define GUEST_ARCH "riscv64"

/* SBI extension ids and function ids (the SBI specification v2.0). */
#define SBI_EXT_BASE 0x10
#define SBI_BASE_PROBE_EXTENSION 3
#define SBI_EXT_TIME 0x54494d45
#define SBI_EXT_HSM 0x48534d
#define SBI_HSM_HART_START 0
#define SBI_HSM_HART_STOP 1
#define SBI_HSM_HART_GET_STATUS 2
#define SBI_HSM_STOPPED 1
#define SBI_EXT_SRST 0x53525354
#define SBI_SRST_SHUTDOWN 0
#define SBI_SRST_COLD_REBOOT 1
#define SBI_EXT_DBCN 0x4442434e
#define SBI_DBCN_WRITE_BYTE 2
#define SBI_LEGACY_SET_TIMER 0x00
#define SBI_LEGACY_PUTCHAR 0x01
#define SBI_LEGACY_SHUTDOWN 0x08
#define SBI_ERR_NOT_SUPPORTED (-2)
#define SBI_ERR_INVALID_PARAM (-3)

/*
 * Traps a guest handles and returns from: stvec = guest_trap_return_entry
 * (start.S) calls guest_trap_handler, with the caller-saved registers kept;
 * the handler reads scause and sepc itself (an exception's sepc it must
 * step past).
 */
void guest_trap_return_entry(void);
extern void (*guest_trap_handler)(void);

/* a2 at entry: the hypervisor's seed= boot argument (fuzz-riscv64.c). */
extern uint64_t guest_boot_seed;

/* An SBI call's two results. */
struct sbiret {
	int64_t error, value;
};
struct sbiret sbi_call(uint64_t ext, uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2);
/* Whether the SBI implementation has extension ext (BASE probe_extension). */
int sbi_probe(uint64_t ext);

/* The portable guests' words for this architecture's CPU calls (guest.h). */
#define CPU_ID_NAME "hart"
#define CPU_STATE_CALL "HART_GET_STATUS"
#define CPU_START_CALL "HART_START"
#define CPU_STATE_OFF SBI_HSM_STOPPED
#define CPU_START_INVALID SBI_ERR_INVALID_PARAM

/*
 * Guest-physical addresses of the riscv64 VM files (RAM from 0x8000_0000,
 * the console's 16550 at QEMU virt's 0x1000_0000), which are also QEMU
 * virt's, so the guests run on the bare machine too.
 */
#define GUEST_UNMAPPED 0x08000000ul /* nothing there, on QEMU virt either: fault.c */
#define GUEST_UNMAPPED_STR "0x8000000"
#define GUEST_OUTSIDE_RAM 0x40000000ul /* below the RAM */
#define GUEST_CONSOLE_BASE 0x10000000ul /* the 16550 */
#define GUEST_RESET_BOOTS 0x83f00000ul  /* near the end of a 64 MiB VM at 0x8000_0000 */
#define GUEST_RAM_BASE 0x80000000ul     /* a VM's RAM: 64 MiB from here (rogue-ram.toml) */
#define GUEST_RAM_END 0x84000000ul
#define GUEST_HOST_IRQCHIP 0x0c000000ul /* the host's PLIC, given to no_irq VMs: rogue-mmio.c */

/*
 * A secondary hart's entry: HSM HART_START enters it with a0 = hart id and
 * a1 = the opaque argument, here the stack top; tp keeps the hart id
 * (guest_cpu_id), stvec the trap report (trap.c); then C function fn.
 */
#define SECONDARY_ENTRY(name, fn)                                                              \
	__asm__(".text\n.global " #name "\n" #name ":\n\tmv tp, a0\n\tmv sp, a1\n\t"           \
		"la t0, guest_trap_entry\n\tcsrw stvec, t0\n\ttail " #fn "\n")

/*
 * The timebase: QEMU virt's timebase-frequency (10 MHz), which the guest
 * DT's /cpus repeats (lib/fdt).
 */
#define RISCV_TIMEBASE_HZ 10000000ull

static inline uint64_t counter_freq(void)
{
	return RISCV_TIMEBASE_HZ;
}

/* The time CSR (a hypervisor must let the guest read it: hcounteren.TM). */
static inline uint64_t counter(void)
{
	uint64_t v;

	__asm__ volatile("rdtime %0" : "=r"(v) : : "memory");
	return v;
}

/*
 * Gives the hart up for a while: WFI, which traps to a hypervisor that
 * sets hstatus.VTW. On a bare machine (or without the trap) a timer 1 ms
 * ahead wakes it (the supervisor timer enabled in sie, interrupts off in
 * sstatus: WFI returns, no trap is taken).
 */
void cpu_yield(void);

/* Orders this hart's memory accesses before and after it for the other harts (and VMs). */
static inline void guest_barrier(void)
{
	__asm__ volatile("fence rw, rw" : : : "memory");
}

#endif
