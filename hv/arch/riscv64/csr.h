/* SPDX-License-Identifier: MIT */
/*
 * RISC-V CSRs and bits the hypervisor uses (RISC-V Privileged Architecture
 * 1.12, chapters 4 "Supervisor-Level ISA" and 8 "Hypervisor Extension").
 * The H-extension instructions are emitted with .insn, so any binutils
 * that knows rv64imac assembles them.
 */
#ifndef HV_ARCH_RISCV64_CSR_H
#define HV_ARCH_RISCV64_CSR_H

#define SSTATUS_SIE (1ul << 1)
#define SSTATUS_SPIE (1ul << 5)
#define SSTATUS_SPP (1ul << 8)
#define SSTATUS_FS (3ul << 13)
#define SSTATUS_FS_INITIAL (1ul << 13)

#define HSTATUS_SPV (1ul << 7)
#define HSTATUS_SPVP (1ul << 8)
#define HSTATUS_VTW (1ul << 21)

/* Interrupt numbers (scause with the top bit set) and their sip/sie/hvip bits. */
#define IRQ_S_SOFT 1
#define IRQ_VS_SOFT 2
#define IRQ_S_TIMER 5
#define IRQ_VS_TIMER 6
#define IRQ_S_EXT 9
#define IRQ_VS_EXT 10
#define SIP_SSIP (1ul << IRQ_S_SOFT)
#define SIP_STIP (1ul << IRQ_S_TIMER)
#define SIP_SEIP (1ul << IRQ_S_EXT)
#define HVIP_VSSIP (1ul << IRQ_VS_SOFT)
#define HVIP_VSTIP (1ul << IRQ_VS_TIMER)
#define HVIP_VSEIP (1ul << IRQ_VS_EXT)

/* Exception causes. */
#define EXC_INST_MISALIGNED 0
#define EXC_INST_ACCESS 1
#define EXC_ILLEGAL 2
#define EXC_BREAKPOINT 3
#define EXC_LOAD_MISALIGNED 4
#define EXC_LOAD_ACCESS 5
#define EXC_STORE_MISALIGNED 6
#define EXC_STORE_ACCESS 7
#define EXC_ECALL_U 8
#define EXC_ECALL_VS 10
#define EXC_INST_PAGE 12
#define EXC_LOAD_PAGE 13
#define EXC_STORE_PAGE 15
#define EXC_INST_GUEST_PAGE 20
#define EXC_LOAD_GUEST_PAGE 21
#define EXC_VIRTUAL_INST 22
#define EXC_STORE_GUEST_PAGE 23
#define SCAUSE_IRQ (1ul << 63)

#define HGATP_VMID_SHIFT 44
#define HGATP_VMID_MASK 0x3ffful

#ifndef __ASSEMBLER__
#include <stdint.h>

#define csr_read(csr)                                              \
	({                                                         \
		unsigned long v_;                                  \
		__asm__ volatile("csrr %0, " #csr : "=r"(v_) : : "memory"); \
		v_;                                                \
	})
#define csr_write(csr, val) __asm__ volatile("csrw " #csr ", %0" : : "rK"(val) : "memory")
#define csr_set(csr, val) __asm__ volatile("csrs " #csr ", %0" : : "rK"(val) : "memory")
#define csr_clear(csr, val) __asm__ volatile("csrc " #csr ", %0" : : "rK"(val) : "memory")

/* The H-extension CSRs by number: no assembler support needed. */
/* S-mode CSRs that VS-mode reaches directly (no VS copy): switched per vCPU. */
#define CSR_SCOUNTEREN 0x106
#define CSR_SENVCFG 0x10a
#define CSR_HSTATUS 0x600
#define CSR_HEDELEG 0x602
#define CSR_HIDELEG 0x603
#define CSR_HIE 0x604
#define CSR_HCOUNTEREN 0x606
#define CSR_HGEIE 0x607
#define CSR_HENVCFG 0x60a
#define HENVCFG_STCE (1ul << 63)
#define CSR_HTVAL 0x643
#define CSR_HIP 0x644
#define CSR_HVIP 0x645
#define CSR_HTINST 0x64a
#define CSR_HGATP 0x680
#define CSR_VSSTATUS 0x200
#define CSR_VSIE 0x204
#define CSR_VSTVEC 0x205
#define CSR_VSSCRATCH 0x240
#define CSR_VSEPC 0x241
#define CSR_VSCAUSE 0x242
#define CSR_VSTVAL 0x243
#define CSR_VSIP 0x244
#define CSR_VSATP 0x280
#define CSR_VSTIMECMP 0x24d

#define csrn_read(num)                                                   \
	({                                                               \
		unsigned long v_;                                        \
		__asm__ volatile("csrr %0, %1" : "=r"(v_) : "i"(num) : "memory"); \
		v_;                                                      \
	})
#define csrn_write(num, val) __asm__ volatile("csrw %0, %1" : : "i"(num), "r"(val) : "memory")

static inline uint64_t rdtime(void)
{
	uint64_t t;

	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

/* HFENCE.GVMA x0, x0: every G-stage (and combined) translation of every VMID, this hart. */
static inline void hfence_gvma_all(void)
{
	__asm__ volatile(".insn r 0x73, 0, 0x31, x0, x0, x0" : : : "memory");
}

/* HFENCE.VVMA x0, x0: every VS-stage translation of the current VMID, this hart. */
static inline void hfence_vvma_all(void)
{
	__asm__ volatile(".insn r 0x73, 0, 0x11, x0, x0, x0" : : : "memory");
}
#endif

#endif
