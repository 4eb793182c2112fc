/* SPDX-License-Identifier: MIT */
/*
 * AArch64 system registers the hypervisor programs, and the fields it uses.
 * Bit positions are from the Arm Architecture Reference Manual for A-profile
 * (DDI 0487), chapter D19 "AArch64 System Register Descriptions"; each group
 * names its register. Only fields this code sets or decodes are listed.
 */
#ifndef HV_ARCH_AARCH64_SYSREG_H
#define HV_ARCH_AARCH64_SYSREG_H

/* Constants usable from C and from assembly (where an "ull" suffix is an error). */
#ifdef __ASSEMBLER__
#define U64(x) x
#else
#define U64(x) x##ull
#endif
#define BIT(n) (U64(1) << (n))

/* HCR_EL2: what EL1/EL0 may do without trapping, and interrupt routing. */
#define HCR_VM BIT(0)     /* stage-2 translation on for EL1&0 */
#define HCR_SWIO BIT(1)   /* DC ISW acts as DC CISW: guests cannot discard dirty lines */
#define HCR_FMO BIT(3)    /* physical FIQs go to EL2; virtual FIQs reach EL1 */
#define HCR_IMO BIT(4)    /* physical IRQs go to EL2; virtual IRQs reach EL1 */
#define HCR_AMO BIT(5)    /* physical SErrors go to EL2; virtual SErrors reach EL1 */
#define HCR_FB BIT(9)     /* broadcast EL1 TLB and I-cache maintenance (guest SMP) */
#define HCR_BSU_IS (U64(1) << 10) /* BSU[11:10] = 0b01: barriers upgraded to inner shareable */
#define HCR_TWI BIT(13)   /* trap WFI */
#define HCR_TWE BIT(14)   /* trap WFE */
#define HCR_TID3 BIT(18)  /* trap EL1 reads of the ID registers (op0 3, op1 0, CRn 0, CRm 1-7):
			     answered by idreg.c with what guests are given */
#define HCR_TSC BIT(19)   /* trap SMC (EC 0x17), so guests never reach the firmware */
#define HCR_TIDCP BIT(20) /* trap IMPLEMENTATION DEFINED system registers */
#define HCR_TACR BIT(21)  /* trap ACTLR_EL1 (IMPLEMENTATION DEFINED CPU controls) */
#define HCR_RW BIT(31)    /* EL1 is AArch64 */
#define HCR_TLOR BIT(35)  /* trap the LORegions registers (FEAT_LOR; RES0 without), not switched */
/*
 * Pointer authentication (FEAT_PAuth), set only where the CPU implements it
 * (cpu.c); RES0 otherwise. With a bit at 0, EL1/EL0 trap to EL2:
 */
#define HCR_APK BIT(40)   /* 0: MRS/MSR of the key registers AP*Key*_EL1 trap (EC 0x18) */
#define HCR_API BIT(41)   /* 0: PAC*, AUT*, PACGA and the authenticating branch, return and
			     load forms trap (EC 0x09) where SCTLR_EL1.En<key> enables them */

/* SCTLR_EL2 with HCR_EL2.E2H == 0 (the hypervisor's own EL2 regime). */
#define SCTLR_EL2_RES1 U64(0x30c50830) /* bits 29, 28, 23, 22, 18, 16, 11, 5, 4 */
#define SCTLR_EL2_SA BIT(3)          /* SP alignment check */
#define SCTLR_EL2_I BIT(12)          /* instruction fetches cacheable */

/*
 * SCTLR_EL1 as a guest first sees it: the RES1 bits of Armv8.0 (29, 28, 23,
 * 22, 20, 11), MMU and caches off, little-endian, as after a warm reset.
 */
#define SCTLR_EL1_RESET U64(0x30d00800)

/*
 * CPTR_EL2 with HCR_EL2.E2H == 0 (Arm ARM D19.2 CPTR_EL2): RES1 bits 13, 9
 * and 7:0; bit 8 is TZ with FEAT_SVE (RES1 without), bit 12 TSM with
 * FEAT_SME (RES1 without), so writing them as 1 is right on every CPU.
 *   TZ  [8]  1: SVE instructions (outside Streaming SVE mode) and ZCR_EL1 /
 *            ZCR_EL2 accesses at EL2, EL1 and EL0 trap to EL2 (EC 0x19);
 *   TFP [10] 1: FP/SIMD instructions at EL2, EL1 and EL0 trap to EL2 (EC 0x07);
 *   TSM [12] 1: SME instructions, SVE ones in Streaming SVE mode, and SVCR /
 *            SMCR_EL1 / SMCR_EL2 accesses at EL2, EL1 and EL0 trap to EL2
 *            (EC 0x1d).
 */
#define CPTR_EL2_RES1 U64(0x22ff)
#define CPTR_EL2_TZ BIT(8)
#define CPTR_EL2_TFP BIT(10)
#define CPTR_EL2_TSM BIT(12)

/*
 * MDCR_EL2: TPMCR [5] (PMCR_EL0), TPM [6] (every other PMU register), TDA
 * [9] (debug registers), TDOSA [10] (OS lock and power-down registers),
 * TDRA [11] (debug ROM address) trap EL1/EL0 accesses to EL2; HPMN [4:0]:
 * how many PMU event counters EL1 and EL0 may use.
 */
#define MDCR_TPMCR BIT(5)
#define MDCR_TPM BIT(6)
#define MDCR_TDA BIT(9)
#define MDCR_TDOSA BIT(10)
#define MDCR_TDRA BIT(11)
#define PMCR_N(pmcr) (((pmcr) >> 11) & 0x1f) /* PMCR_EL0.N: event counters implemented */

/* CNTHCTL_EL2 (E2H == 0). */
#define CNTHCTL_EL1PCTEN BIT(0) /* EL1/EL0 may read the physical counter */

/* VTTBR_EL2: VMID[55:48] (8-bit VMIDs); lib/mm's pt format supplies BADDR. */
#define VTTBR_VMID_SHIFT 48

/* ID_AA64MMFR0_EL1 */
#define ID_AA64MMFR0_PARANGE(v) ((v) & 0xf)

/*
 * ID registers by encoding (an Armv8.0 assembler knows only some by name).
 * Every encoding op0 = 3, op1 = 0, CRn = 0, CRm = 1..7 not allocated to a
 * register is RAZ (Arm ARM D19.1 "ID register space"), so reading a newer
 * one on an older CPU gives 0: "not implemented".
 */
#define SYS_ID_AA64PFR0_EL1 S3_0_C0_C4_0
#define SYS_ID_AA64PFR1_EL1 S3_0_C0_C4_1
#define SYS_ID_AA64ISAR1_EL1 S3_0_C0_C6_1
#define SYS_ID_AA64ISAR2_EL1 S3_0_C0_C6_2
#define ID_FIELD(v, lsb) (((v) >> (lsb)) & 0xf)
#define SYS_ID_AA64MMFR1_EL1 S3_0_C0_C7_1
#define ID_AA64PFR0_SVE 32  /* [35:32] FEAT_SVE */
#define ID_AA64PFR1_SME 24  /* [27:24] FEAT_SME */
#define ID_AA64MMFR1_LO 16  /* [19:16] FEAT_LOR */
#define ID_AA64ISAR1_APA 4  /* [7:4]   address authentication, QARMA5 */
#define ID_AA64ISAR1_API 8  /* [11:8]  address authentication, IMPLEMENTATION DEFINED */
#define ID_AA64ISAR1_GPA 24 /* [27:24] generic authentication, QARMA5 */
#define ID_AA64ISAR1_GPI 28 /* [31:28] generic authentication, IMPLEMENTATION DEFINED */
#define ID_AA64ISAR2_GPA3 8 /* [11:8]  generic authentication, QARMA3 */
#define ID_AA64ISAR2_APA3 12 /* [15:12] address authentication, QARMA3 */

/*
 * The pointer authentication key registers (FEAT_PAuth; Arm ARM D19.2
 * APIAKeyLo_EL1 and the rest), 128-bit keys as Lo/Hi halves: instruction
 * keys A and B, data keys A and B, the generic key. UNDEFINED without
 * FEAT_PAuth. X(name, encoding).
 */
#define PAUTH_KEY_SYSREGS(X)                                                    \
	X(apiakeylo_el1, S3_0_C2_C1_0) X(apiakeyhi_el1, S3_0_C2_C1_1)           \
	X(apibkeylo_el1, S3_0_C2_C1_2) X(apibkeyhi_el1, S3_0_C2_C1_3)           \
	X(apdakeylo_el1, S3_0_C2_C2_0) X(apdakeyhi_el1, S3_0_C2_C2_1)           \
	X(apdbkeylo_el1, S3_0_C2_C2_2) X(apdbkeyhi_el1, S3_0_C2_C2_3)           \
	X(apgakeylo_el1, S3_0_C2_C3_0) X(apgakeyhi_el1, S3_0_C2_C3_1)

/*
 * SVE vector length controls (FEAT_SVE), LEN [3:0]: the vector length is
 * (LEN + 1) * 128 bits, capped at what the CPU implements. ZCR_EL2 bounds
 * EL2 and EL1/EL0; ZCR_EL1 is the guest's own bound (switched per vCPU).
 */
#define SYS_ZCR_EL1 S3_0_C1_C2_0
#define SYS_ZCR_EL2 S3_4_C1_C2_0
#define ZCR_LEN_MAX 0xf

/* TPIDR2_EL0 (FEAT_SME): the SME thread pointer, EL0-visible. */
#define SYS_TPIDR2_EL0 S3_3_C13_C0_5

/*
 * SME (FEAT_SME; Arm ARM D19.2 SMCR_EL1, SMCR_EL2, SVCR, SMIDR_EL1,
 * ID_AA64SMFR0_EL1). SMCR_ELx: LEN [3:0] as ZCR's, for the streaming
 * vector length; FA64 [31]: the full A64 instruction set (FFR included) in
 * Streaming SVE mode; EZT0 [30] (SME2): 0 traps ZT0 accesses. SVCR: SM [0]
 * Streaming SVE mode, ZA [1] the ZA storage on (PSTATE.SM, PSTATE.ZA).
 */
#define SYS_SMCR_EL1 S3_0_C1_C2_6
#define SYS_SMCR_EL2 S3_4_C1_C2_6
#define SYS_SMPRI_EL1 S3_0_C1_C2_4
#define SYS_SMIDR_EL1 S3_1_C0_C0_6
#define SYS_SVCR S3_3_C4_C2_2
#define SYS_ID_AA64SMFR0_EL1 S3_0_C0_C4_5
#define SMCR_LEN_MAX 0xf
#define SMCR_FA64 BIT(31)
#define SVCR_SM BIT(0)
#define SVCR_ZA BIT(1)
#define SMIDR_SMPS BIT(15)        /* SMPRI_EL1 (streaming priority) implemented */
#define ID_AA64SMFR0_FA64 BIT(63) /* FEAT_SME_FA64 */

/* MPIDR_EL1: the affinity fields Aff3 [39:32], Aff2 [23:16], Aff1 [15:8], Aff0 [7:0]. */
#define MPIDR_AFF_MASK U64(0xff00ffffff)
#define MPIDR_RES1 BIT(31)

/* SPSR_EL2 / PSTATE */
#define PSR_MODE_EL1H U64(0x5)
#define PSR_DAIF_MASK (U64(0xf) << 6) /* D, A, I, F */

/* ESR_ELx: exception syndrome. */
#define ESR_EC(esr) (((esr) >> 26) & 0x3f)
#define ESR_IL BIT(25) /* 32-bit instruction (else a 16-bit T32 one) */
#define ESR_ISS(esr) ((esr) & 0x1ffffff)

#define EC_UNKNOWN 0x00
#define EC_WFX 0x01
#define EC_HVC64 0x16
#define EC_SMC64 0x17
#define EC_SYSREG 0x18
#define EC_SVE 0x19 /* trapped by CPTR_EL2.TZ */
#define EC_SME 0x1d /* trapped by CPTR_EL2.TSM */
#define EC_IABT_LOW 0x20
#define EC_DABT_LOW 0x24

/* ISS of a data abort (EC 0x24/0x25). */
#define ISS_DABT_ISV BIT(24)                       /* the fields below are valid */
#define ISS_DABT_SAS(iss) (((iss) >> 22) & 0x3)   /* access size: 1 << SAS bytes */
#define ISS_DABT_SSE BIT(21)                       /* sign-extend the loaded value */
#define ISS_DABT_SRT(iss) (((iss) >> 16) & 0x1f)  /* the transfer register (31 = XZR) */
#define ISS_DABT_SF BIT(15)                        /* the register is 64-bit (else 32-bit) */
#define ISS_DABT_FNV BIT(10)                       /* FAR_EL2 not valid */
#define ISS_DABT_EA BIT(9)                         /* external abort */
#define ISS_DABT_S1PTW BIT(7)                      /* fault on a stage-1 table walk */
#define ISS_DABT_WNR BIT(6)                        /* write (else read) */
#define ISS_FSC(iss) ((iss) & 0x3f)                /* DFSC / IFSC */
#define FSC_TYPE(fsc) ((fsc) & 0x3c)               /* the fault type without the level */
#define FSC_TRANSLATION 0x04                       /* 0b0001LL */
#define FSC_ACCESS_FLAG 0x08                       /* 0b0010LL */
#define FSC_PERMISSION 0x0c                        /* 0b0011LL */

/* HPFAR_EL2.FIPA[43:4] holds IPA[55:12] of a stage-2 fault. */
#define HPFAR_IPA(hpfar) (((hpfar) & U64(0x00000ffffffffff0)) << 8)

#ifndef __ASSEMBLER__
#include <stdint.h>

#define STR_(x) #x
#define STR(x) STR_(x)

#define sysreg_read(reg)                                                  \
	({                                                                \
		uint64_t r_;                                              \
		__asm__ volatile("mrs %0, " STR(reg) : "=r"(r_));         \
		r_;                                                       \
	})

#define sysreg_write(reg, val)                                                    \
	do {                                                                      \
		uint64_t w_ = (val);                                              \
		__asm__ volatile("msr " STR(reg) ", %0" : : "r"(w_) : "memory"); \
	} while (0)

static inline void isb(void)
{
	__asm__ volatile("isb" : : : "memory");
}
#endif

#endif /* HV_ARCH_AARCH64_SYSREG_H */
