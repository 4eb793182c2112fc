/* SPDX-License-Identifier: MIT */
/*
 * What the page-table format files share: the format objects, the flag
 * rules every format starts from, and the lazy-descriptor encoding (the
 * same in all three architectures, because each ignores every bit of a
 * descriptor whose valid bits are clear).
 */
#ifndef VMCFG_LIB_MM_PT_INTERNAL_H
#define VMCFG_LIB_MM_PT_INTERNAL_H

#include "vmcfg/aspace.h"

extern const struct vmcfg_pt_format vmcfg_pt_arm64_s2_3l;
extern const struct vmcfg_pt_format vmcfg_pt_arm64_s2_4l;
extern const struct vmcfg_pt_format vmcfg_pt_riscv_sv39x4;
extern const struct vmcfg_pt_format vmcfg_pt_riscv_sv48x4;
extern const struct vmcfg_pt_format vmcfg_pt_x86_ept4;

/* Unknown bits, no access at all, DEVICE with UNCACHED: VMCFG_EINVAL; else 0. */
int vmcfg_pt_check_common_flags(uint32_t flags);

/*
 * Lazy mapping: bit 62 marks it, the flags sit in bits 13:8. Bit 0 (arm64
 * valid, riscv V) and bits 2:0 (EPT R/W/X) stay clear, so every MMU sees
 * "not present" and faults.
 */
uint64_t vmcfg_pt_encode_lazy(uint32_t flags);

/*
 * Deferred leaf: the lazy encoding plus bit 61, with the frame number
 * (pa >> 12) from bit 14 up (bit 57 at most: every format's addresses are
 * below 2^56).
 */
uint64_t vmcfg_pt_encode_deferred(unsigned level, uint64_t pa, uint32_t flags);

/*
 * Decodes a descriptor at level that the MMU sees as not present: zero,
 * lazy, or deferred with its frames aligned to the level and below
 * 2^pa_bits; else VMCFG_EINVAL.
 */
int vmcfg_pt_decode_absent(unsigned level, unsigned pa_bits, uint64_t desc, struct vmcfg_pte *out);

/*
 * What every format's regs checks first: ipa_bits within the format's range
 * and pa_bits from 32 to its maximum (else VMCFG_ERANGE); root_pa aligned to
 * the root's size and below 2^pa_bits (else VMCFG_EALIGN).
 */
int vmcfg_pt_check_regs(const struct vmcfg_pt_format *f, unsigned ipa_bits, unsigned pa_bits,
		  uint64_t root_pa);

/* Whether pa is page-aligned, aligned to a leaf at level and below 2^pa_bits. */
bool vmcfg_pt_leaf_pa_ok(unsigned level, uint64_t pa, unsigned pa_bits);

#endif
