/* SPDX-License-Identifier: MIT */
/*
 * The riscv64 runtime of the test guests: every service through SBI calls
 * (ECALL: a7 = extension, a6 = function, a0.. arguments; a0 = error, a1 =
 * value), so they run the same under the hypervisor and on OpenSBI.
 */
#include "guest.h"

uint64_t guest_boot_x1;
uint64_t guest_boot_seed;
void (*guest_trap_handler)(void);

struct sbiret sbi_call(uint64_t ext, uint64_t fid, uint64_t arg0, uint64_t arg1, uint64_t arg2)
{
	register uint64_t a0 __asm__("a0") = arg0;
	register uint64_t a1 __asm__("a1") = arg1;
	register uint64_t a2 __asm__("a2") = arg2;
	register uint64_t a6 __asm__("a6") = fid;
	register uint64_t a7 __asm__("a7") = ext;

	__asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a2), "r"(a6), "r"(a7) : "memory");
	return (struct sbiret){ (int64_t)a0, (int64_t)a1 };
}

/* The legacy extensions (0x00-0x0f): a7 = extension, result in a0. */
static int64_t sbi_legacy(uint64_t ext, uint64_t arg0)
{
	register uint64_t a0 __asm__("a0") = arg0;
	register uint64_t a7 __asm__("a7") = ext;

	__asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "a1", "memory");
	return (int64_t)a0;
}

int sbi_probe(uint64_t ext)
{
	struct sbiret r = sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, ext, 0, 0);

	return r.error == 0 && r.value != 0;
}

/* 0 not asked yet, 1 DBCN, 2 the legacy putchar (an SBI before v2.0, e.g. OpenSBI 1.2). */
static volatile int console_kind;

void put_char(char c)
{
	if (!console_kind)
		console_kind = sbi_probe(SBI_EXT_DBCN) ? 1 : 2;
	if (console_kind == 1)
		sbi_call(SBI_EXT_DBCN, SBI_DBCN_WRITE_BYTE, (uint8_t)c, 0, 0);
	else
		sbi_legacy(SBI_LEGACY_PUTCHAR, (uint8_t)c);
}

void put_privilege(void)
{
	/* A guest cannot tell VS-mode from S-mode: that is the point of the H extension. */
	put_str("in S-mode");
}

#define SIE_STIE (1ul << 5)

void cpu_yield(void)
{
	uint64_t when = counter() + RISCV_TIMEBASE_HZ / 1000;

	if (sbi_call(SBI_EXT_TIME, 0, when, 0, 0).error)
		sbi_legacy(SBI_LEGACY_SET_TIMER, when);
	__asm__ volatile("csrs sie, %0\n\twfi" : : "r"(SIE_STIE) : "memory");
}

void guest_power_off(void)
{
	sbi_call(SBI_EXT_SRST, 0, SBI_SRST_SHUTDOWN, 0, 0);
	sbi_legacy(SBI_LEGACY_SHUTDOWN, 0);
	for (;;)
		__asm__ volatile("wfi");
}

void guest_reset(void)
{
	sbi_call(SBI_EXT_SRST, 0, SBI_SRST_COLD_REBOOT, 0, 0);
}

int64_t ivc_call(uint64_t code, uint64_t arg1, uint64_t arg2, uint64_t arg3, uint64_t arg4)
{
	register uint64_t a0 __asm__("a0") = arg1;
	register uint64_t a1 __asm__("a1") = arg2;
	register uint64_t a2 __asm__("a2") = arg3;
	register uint64_t a3 __asm__("a3") = arg4;
	register uint64_t a6 __asm__("a6") = code;
	register uint64_t a7 __asm__("a7") = VMCFG_SBI_EXT_HVC;

	__asm__ volatile("ecall" : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3) : "r"(a6), "r"(a7) : "memory");
	return (int64_t)a0;
}

uint64_t guest_cpu_id(void)
{
	uint64_t id;

	__asm__ volatile("mv %0, tp" : "=r"(id));
	return id;
}

int64_t guest_cpu_start(uint64_t id, void (*entry)(void), uint64_t ctx)
{
	return sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, id, (uintptr_t)entry, ctx).error;
}

int64_t guest_cpu_state(uint64_t id)
{
	struct sbiret r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, id, 0, 0);

	return r.error ? r.error : r.value;
}

void guest_cpu_stop(void)
{
	sbi_call(SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0, 0);
}
