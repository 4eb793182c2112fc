/* SPDX-License-Identifier: MIT */
/* The hypervisor's own SBI calls to OpenSBI (sbi.h). */
#include "arch/riscv64/sbi.h"

struct sbiret sbi_call(uint64_t ext, uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2,
		       uint64_t a3, uint64_t a4)
{
	register uint64_t r0 __asm__("a0") = a0;
	register uint64_t r1 __asm__("a1") = a1;
	register uint64_t r2 __asm__("a2") = a2;
	register uint64_t r3 __asm__("a3") = a3;
	register uint64_t r4 __asm__("a4") = a4;
	register uint64_t r6 __asm__("a6") = fid;
	register uint64_t r7 __asm__("a7") = ext;

	__asm__ volatile("ecall"
			 : "+r"(r0), "+r"(r1)
			 : "r"(r2), "r"(r3), "r"(r4), "r"(r6), "r"(r7)
			 : "memory");
	return (struct sbiret){ (long)r0, (long)r1 };
}

void sbi_set_timer(uint64_t deadline)
{
	sbi_call(SBI_EXT_TIME, 0, deadline, 0, 0, 0, 0);
}

void sbi_send_ipi_hart(uint64_t hartid)
{
	sbi_call(SBI_EXT_IPI, 0, 1, hartid, 0, 0, 0);
}

long sbi_hart_start(uint64_t hartid, uint64_t addr, uint64_t opaque)
{
	return sbi_call(SBI_EXT_HSM, 0, hartid, addr, opaque, 0, 0).error;
}

long sbi_remote_hfence_gvma_vmid(uint64_t gpa, uint64_t size, uint64_t vmid)
{
	/* hart_mask 0 with hart_mask_base -1: every hart (SBI v0.2+). */
	return sbi_call(SBI_EXT_RFENCE, 3, 0, (uint64_t)-1, gpa, size, vmid).error;
}

void sbi_shutdown(void)
{
	sbi_call(SBI_EXT_SRST, 0, 0, 0, 0, 0, 0);
	sbi_call(SBI_EXT_LEGACY_SHUTDOWN, 0, 0, 0, 0, 0, 0);
}
