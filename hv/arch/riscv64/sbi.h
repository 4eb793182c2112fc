/* SPDX-License-Identifier: MIT */
/*
 * Calls from HS-mode to the firmware below (OpenSBI), per the RISC-V SBI
 * specification v2.0: a7 = extension id, a6 = function id, a0.. arguments;
 * a0 = error, a1 = value on return. Also the ids of the extensions the
 * hypervisor implements for its guests (vsbi.c).
 */
#ifndef HV_ARCH_RISCV64_SBI_H
#define HV_ARCH_RISCV64_SBI_H

#include <stdint.h>

#define SBI_EXT_LEGACY_SET_TIMER 0x00
#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_LEGACY_GETCHAR 0x02
#define SBI_EXT_LEGACY_CLEAR_IPI 0x03
#define SBI_EXT_LEGACY_SEND_IPI 0x04
#define SBI_EXT_LEGACY_REMOTE_FENCE_I 0x05
#define SBI_EXT_LEGACY_REMOTE_SFENCE_VMA 0x06
#define SBI_EXT_LEGACY_REMOTE_SFENCE_VMA_ASID 0x07
#define SBI_EXT_LEGACY_SHUTDOWN 0x08
#define SBI_EXT_BASE 0x10
#define SBI_EXT_TIME 0x54494D45
#define SBI_EXT_IPI 0x735049
#define SBI_EXT_RFENCE 0x52464E43
#define SBI_EXT_HSM 0x48534D
#define SBI_EXT_SRST 0x53525354
#define SBI_EXT_DBCN 0x4442434E
/* The reference's hypercall extension ("HVC" in ASCII; riscv_vcpu's EID_HVC). */
#define SBI_EXT_HVC 0x485643

#define SBI_SUCCESS 0
#define SBI_ERR_FAILED (-1)
#define SBI_ERR_NOT_SUPPORTED (-2)
#define SBI_ERR_INVALID_PARAM (-3)
#define SBI_ERR_DENIED (-4)
#define SBI_ERR_INVALID_ADDRESS (-5)
#define SBI_ERR_ALREADY_AVAILABLE (-6)
#define SBI_ERR_ALREADY_STARTED (-7)
#define SBI_ERR_ALREADY_STOPPED (-8)

struct sbiret {
	long error;
	long value;
};

struct sbiret sbi_call(uint64_t ext, uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2,
		       uint64_t a3, uint64_t a4);

/* TIME set_timer: the hart's supervisor timer interrupt at deadline (rdtime ticks). */
void sbi_set_timer(uint64_t deadline);

/* IPI send_ipi to one hart: sets its sip.SSIP. */
void sbi_send_ipi_hart(uint64_t hartid);

/* HSM hart_start: hartid runs at addr (HS-mode, MMU off) with a0 = hartid, a1 = opaque. */
long sbi_hart_start(uint64_t hartid, uint64_t addr, uint64_t opaque);

/* RFENCE remote_hfence_gvma_vmid over every hart (hart_mask_base = -1): gpa range, vmid. */
long sbi_remote_hfence_gvma_vmid(uint64_t gpa, uint64_t size, uint64_t vmid);

/* SRST system_reset(shutdown) or legacy shutdown; returns only when both fail. */
void sbi_shutdown(void);

#endif
