/* SPDX-License-Identifier: MIT */
/* Physical harts: per-hart HS-mode state, the timer, bringing the others online. */
#include "arch/riscv64/cpu.h"
#include "arch/riscv64/csr.h"
#include "arch/riscv64/plic.h"
#include "arch/riscv64/sbi.h"
#include "core/console.h"
#include "core/cpu_online.h"
#include "core/panic.h"
#include "core/sched.h"
#include "platform/qemu-virt-riscv64/platform.h"

struct cpu cpus[HV_MAX_CPUS];
uint64_t hv_timebase_hz = PLAT_TIMEBASE_HZ;
bool hv_sstc;
/* Written by boot.S before any C code runs. */
uint64_t hv_boot_hartid;
/* Slot s's hart id + 1 (0: none), written before its hart_start: boot.S's late_hart reads it. */
uint64_t hv_slot_hartid[HV_MAX_CPUS];

/*
 * The HS-mode controls of a hart, set once (RISC-V Privileged 8.2):
 *   hedeleg   the exceptions a guest handles itself go straight to VS-mode:
 *             misaligned fetch, illegal instruction, breakpoint, misaligned
 *             load/store, ecall from VU-mode, and VS-stage page faults;
 *             everything else (ecalls from VS-mode: SBI; guest page faults:
 *             the G-stage; access faults; virtual instructions) comes here;
 *   hideleg   VS-level software, timer and external interrupts are the
 *             guest's (injected through hvip);
 *   hcounteren  the guest reads time, cycle and instret without a trap;
 *   henvcfg.STCE  Sstc for guests where the hart has it (and the firmware
 *             enabled it, menvcfg.STCE): the guest's timer, set through SBI
 *             TIME or its own stimecmp, is vstimecmp, which raises VSTIP
 *             itself. There hvip.VSTIP is not writable (QEMU 7.2), so
 *             without Sstc the hypervisor injects VSTIP at the deadline;
 *   sie       what HS-mode itself takes: its timer (slice and guests' SBI
 *             timers), software interrupts (kicks from other harts) and
 *             external interrupts (the host PLIC's sources of passthrough
 *             devices: plic.c).
 */
static void hart_init(void)
{
	csrn_write(CSR_HEDELEG, (1ul << EXC_INST_MISALIGNED) | (1ul << EXC_ILLEGAL) |
					(1ul << EXC_BREAKPOINT) | (1ul << EXC_LOAD_MISALIGNED) |
					(1ul << EXC_STORE_MISALIGNED) | (1ul << EXC_ECALL_U) |
					(1ul << EXC_INST_PAGE) | (1ul << EXC_LOAD_PAGE) |
					(1ul << EXC_STORE_PAGE));
	csrn_write(CSR_HIDELEG, HVIP_VSSIP | HVIP_VSTIP | HVIP_VSEIP);
	csrn_write(CSR_HCOUNTEREN, 7ul);
	csrn_write(CSR_HENVCFG, csrn_read(CSR_HENVCFG) | HENVCFG_STCE);
	hv_sstc = (csrn_read(CSR_HENVCFG) & HENVCFG_STCE) != 0;
	if (hv_sstc)
		csrn_write(CSR_VSTIMECMP, ~0ul);
	csrn_write(CSR_HVIP, 0ul);
	csrn_write(CSR_HGATP, 0ul);
	csr_write(sie, SIP_SSIP | SIP_STIP);
	plic_hart_init();
	this_cpu()->timer_armed = 0; /* unknown: the first arm always calls SBI */
	cpu_timer_arm(~0ull);
}

void cpu_timer_arm(uint64_t deadline)
{
	struct cpu *c = this_cpu();

	if (c->timer_armed == deadline)
		return;
	c->timer_armed = deadline;
	/* Also clears a pending STIP of an earlier deadline (SBI TIME). */
	sbi_set_timer(deadline);
}

void hv_arch_boot_cpu_init(void)
{
	cpus[0].index = 0;
	cpus[0].hartid = hv_boot_hartid;
	hart_init();
	__atomic_store_n(&cpus[0].online, true, __ATOMIC_RELEASE);
	hv_log("vmcfg reference hypervisor %s, HS-mode (hart %llu); guest timers: %s", VMCFG_VERSION,
	       (unsigned long long)hv_boot_hartid,
	       hv_sstc ? "Sstc (vstimecmp)" : "SBI TIME, injected through hvip.VSTIP");
}

bool hv_arch_cpu_is_self(uint64_t id)
{
	return id == this_cpu()->hartid;
}

int64_t hv_arch_cpu_start(uint32_t index, uint64_t id)
{
	cpus[index].index = index;
	cpus[index].hartid = id;
	/* Before the start: boot.S's late_hart reads it. */
	__atomic_store_n(&hv_slot_hartid[index], id + 1, __ATOMIC_RELEASE);
	return sbi_hart_start(id, (uint64_t)(uintptr_t)hv_secondary_entry, index);
}

uint64_t hv_arch_counter(void)
{
	return rdtime();
}

uint64_t hv_arch_counter_hz(void)
{
	return hv_timebase_hz;
}

void hv_secondary_main(uint32_t index)
{
	__asm__ volatile("mv tp, %0" : : "r"(&cpus[index]));
	hart_init();
	if (!cpu_online_claim(index)) {
		for (;;) /* too late: the boot hart went on without it */
			__asm__ volatile("wfi");
	}
	hv_log("cpu%u online (hart %llu)", index, (unsigned long long)cpus[index].hartid);
	__atomic_store_n(&cpus[index].online, true, __ATOMIC_RELEASE);
	sched_secondary();
	for (;;)
		__asm__ volatile("wfi");
}

void hs_exception(uint64_t scause, uint64_t sepc, uint64_t stval)
{
	if (hv_panicking())
		hv_halt();
	hv_panic("HS-mode trap: scause %#llx, sepc %#llx, stval %#llx", (unsigned long long)scause,
		 (unsigned long long)sepc, (unsigned long long)stval);
}
