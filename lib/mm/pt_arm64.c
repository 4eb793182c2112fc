/* SPDX-License-Identifier: MIT */
/*
 * arm64 stage-2 translation tables, 4 KiB granule (Arm ARM D8, "Stage 2
 * translation table descriptors"; VTCR_EL2 and VTTBR_EL2 in D23/D19).
 *
 * Descriptor bits used here:
 *   [1:0]   0b11 table (levels 3..1 here) or page (level 0); 0b01 block (levels 2, 1)
 *   [5:2]   MemAttr (stage 2, FEAT_S2FWB off): 0b1111 Normal inner+outer write-back,
 *           0b0101 Normal non-cacheable, 0b0001 Device-nGnRE
 *   [7:6]   S2AP: bit 6 read, bit 7 write (0b10 = write-only is a legal encoding)
 *   [9:8]   SH: 0b11 inner shareable for Normal memory; 0b00 for Device (ignored there)
 *   [10]    AF, always set: no access-flag faults (VTCR_EL2.HA stays 0)
 *   [47:12] output address (table, page; blocks use [47:30] or [47:21])
 *   [54]    XN (XN[1] with FEAT_XNX: 0b10 = never executable at EL1 or EL0)
 *   [55]    software: the aspace owns the frames
 *   [56]    software: VMCFG_MEM_USER (stage 2 has no user/kernel distinction)
 * Table descriptors carry no attributes at stage 2.
 */
#include "pt_internal.h"
#include "../base/libc.h"

#define A64_VALID (1ull << 0)
#define A64_TABLE_OR_PAGE (1ull << 1)
#define A64_MEMATTR_SHIFT 2
#define A64_MEMATTR_MASK (0xfull << A64_MEMATTR_SHIFT)
#define A64_MEMATTR_NORMAL_WB 0xfull
#define A64_MEMATTR_NORMAL_NC 0x5ull
#define A64_MEMATTR_DEVICE_NGNRE 0x1ull
#define A64_S2AP_READ (1ull << 6)
#define A64_S2AP_WRITE (1ull << 7)
#define A64_SH_INNER (3ull << 8)
#define A64_AF (1ull << 10)
#define A64_XN (1ull << 54)
#define A64_SW_OWNED (1ull << 55)
#define A64_SW_USER (1ull << 56)
#define A64_PA_BITS 48
#define A64_OA_MASK (((1ull << A64_PA_BITS) - 1) & ~(VMCFG_PAGE_SIZE - 1))

/* VTCR_EL2 fields. */
#define VTCR_SL0_SHIFT 6
#define VTCR_IRGN0_WBWA (1ull << 8)
#define VTCR_ORGN0_WBWA (1ull << 10)
#define VTCR_SH0_INNER (3ull << 12)
#define VTCR_TG0_4K (0ull << 14)
#define VTCR_PS_SHIFT 16
#define VTCR_RES1 (1ull << 31)

static int arm64_check_flags(uint32_t flags)
{
	return vmcfg_pt_check_common_flags(flags);
}

static uint64_t arm64_encode_table(uint64_t pa)
{
	return (pa & A64_OA_MASK) | A64_TABLE_OR_PAGE | A64_VALID;
}

static uint64_t arm64_encode_leaf(unsigned level, uint64_t pa, uint32_t flags, bool owned)
{
	uint64_t d = (pa & A64_OA_MASK) | A64_VALID | A64_AF;
	uint64_t attr = A64_MEMATTR_NORMAL_WB;

	if (level == 0)
		d |= A64_TABLE_OR_PAGE;
	if (flags & VMCFG_MEM_DEVICE)
		attr = A64_MEMATTR_DEVICE_NGNRE;
	else if (flags & VMCFG_MEM_UNCACHED)
		attr = A64_MEMATTR_NORMAL_NC;
	d |= attr << A64_MEMATTR_SHIFT;
	if (!(flags & VMCFG_MEM_DEVICE))
		d |= A64_SH_INNER;
	if (flags & VMCFG_MEM_READ)
		d |= A64_S2AP_READ;
	if (flags & VMCFG_MEM_WRITE)
		d |= A64_S2AP_WRITE;
	if (!(flags & VMCFG_MEM_EXECUTE))
		d |= A64_XN;
	if (flags & VMCFG_MEM_USER)
		d |= A64_SW_USER;
	if (owned)
		d |= A64_SW_OWNED;
	return d;
}

static int arm64_decode(unsigned level, uint64_t desc, struct vmcfg_pte *out, unsigned levels)
{
	if (!(desc & A64_VALID))
		return vmcfg_pt_decode_absent(level, A64_PA_BITS, desc, out);
	*out = (struct vmcfg_pte){ 0 };
	if (level > 0 && (desc & A64_TABLE_OR_PAGE)) {
		if (desc != arm64_encode_table(desc & A64_OA_MASK))
			return VMCFG_EINVAL;
		out->type = VMCFG_PTE_TABLE;
		out->pa = desc & A64_OA_MASK;
		return 0;
	}
	/* A block below the root of a 4-level table at level 3 does not exist with 4 KiB pages. */
	if (level > 2 || level >= levels)
		return VMCFG_EINVAL;
	uint64_t attr = (desc & A64_MEMATTR_MASK) >> A64_MEMATTR_SHIFT;
	uint32_t flags = 0;
	if (attr == A64_MEMATTR_DEVICE_NGNRE)
		flags |= VMCFG_MEM_DEVICE;
	else if (attr == A64_MEMATTR_NORMAL_NC)
		flags |= VMCFG_MEM_UNCACHED;
	else if (attr != A64_MEMATTR_NORMAL_WB)
		return VMCFG_EINVAL;
	if (desc & A64_S2AP_READ)
		flags |= VMCFG_MEM_READ;
	if (desc & A64_S2AP_WRITE)
		flags |= VMCFG_MEM_WRITE;
	if (!(desc & A64_XN))
		flags |= VMCFG_MEM_EXECUTE;
	if (desc & A64_SW_USER)
		flags |= VMCFG_MEM_USER;
	uint64_t pa = desc & A64_OA_MASK;
	bool owned = (desc & A64_SW_OWNED) != 0;
	/* Exactness: anything the encoder would not produce (stray bits, bad alignment) is refused. */
	if (arm64_check_flags(flags) || !vmcfg_pt_leaf_pa_ok(level, pa, A64_PA_BITS) ||
	    arm64_encode_leaf(level, pa, flags, owned) != desc)
		return VMCFG_EINVAL;
	out->type = VMCFG_PTE_LEAF;
	out->pa = pa;
	out->flags = flags;
	out->owned = owned;
	return 0;
}

static int arm64_decode_3l(unsigned level, uint64_t desc, struct vmcfg_pte *out)
{
	return arm64_decode(level, desc, out, 3);
}

static int arm64_decode_4l(unsigned level, uint64_t desc, struct vmcfg_pte *out)
{
	return arm64_decode(level, desc, out, 4);
}

/* 3 levels start at level 1 (Arm's numbering), whose table resolves IPA bits [38:30];
 * wider IPAs concatenate 2^(ipa-39) tables there (at most 16 architecturally). */
static unsigned arm64_root_pages_3l(unsigned ipa_bits)
{
	return ipa_bits > 39 ? 1u << (ipa_bits - 39) : 1;
}

static unsigned arm64_root_pages_4l(unsigned ipa_bits)
{
	(void)ipa_bits;
	return 1;
}

/* VTCR_EL2.PS encodings (= ID_AA64MMFR0_EL1.PARange). */
static int arm64_ps(unsigned pa_bits, uint64_t *ps)
{
	static const unsigned widths[] = { 32, 36, 40, 42, 44, 48 };
	for (unsigned i = 0; i < sizeof widths / sizeof widths[0]; i++) {
		if (widths[i] == pa_bits) {
			*ps = i;
			return 0;
		}
	}
	return VMCFG_EINVAL;
}

static int arm64_regs(const struct vmcfg_pt_format *f, unsigned ipa_bits, unsigned pa_bits,
		      uint64_t root_pa, struct vmcfg_pt_regs *out)
{
	uint64_t ps;
	if (ipa_bits > pa_bits) /* VTCR_EL2.T0SZ beyond PS faults every walk */
		return VMCFG_ERANGE;
	int err = vmcfg_pt_check_regs(f, ipa_bits, pa_bits, root_pa);
	if (err)
		return err;
	if (arm64_ps(pa_bits, &ps))
		return VMCFG_EINVAL;
	/* SL0 with a 4 KiB granule: 0b01 starts at level 1 (3 levels), 0b10 at level 0 (4). */
	uint64_t sl0 = f->levels == 3 ? 1 : 2;
	out->control = (64 - ipa_bits) | sl0 << VTCR_SL0_SHIFT | VTCR_IRGN0_WBWA | VTCR_ORGN0_WBWA |
		       VTCR_SH0_INNER | VTCR_TG0_4K | ps << VTCR_PS_SHIFT | VTCR_RES1;
	out->root = root_pa; /* VTTBR_EL2.BADDR; VMID and CnP left to the embedder */
	return 0;
}

static int arm64_regs_3l(unsigned ipa_bits, unsigned pa_bits, uint64_t root_pa,
			 struct vmcfg_pt_regs *out)
{
	return arm64_regs(&vmcfg_pt_arm64_s2_3l, ipa_bits, pa_bits, root_pa, out);
}

static int arm64_regs_4l(unsigned ipa_bits, unsigned pa_bits, uint64_t root_pa,
			 struct vmcfg_pt_regs *out)
{
	return arm64_regs(&vmcfg_pt_arm64_s2_4l, ipa_bits, pa_bits, root_pa, out);
}

const struct vmcfg_pt_format vmcfg_pt_arm64_s2_3l = {
	.name = "arm64-s2-3l",
	.kind = VMCFG_PT_ARM64_S2_3L,
	.levels = 3,
	.leaf_levels = 0x7,
	.min_ipa_bits = 32,
	.max_ipa_bits = 42,
	.max_pa_bits = A64_PA_BITS,
	.root_pages = arm64_root_pages_3l,
	.check_flags = arm64_check_flags,
	.encode_table = arm64_encode_table,
	.encode_leaf = arm64_encode_leaf,
	.encode_lazy = vmcfg_pt_encode_lazy,
	.encode_deferred = vmcfg_pt_encode_deferred,
	.decode = arm64_decode_3l,
	.regs = arm64_regs_3l,
};

const struct vmcfg_pt_format vmcfg_pt_arm64_s2_4l = {
	.name = "arm64-s2-4l",
	.kind = VMCFG_PT_ARM64_S2_4L,
	.levels = 4,
	.leaf_levels = 0x7,
	.min_ipa_bits = 44,
	.max_ipa_bits = 48,
	.max_pa_bits = A64_PA_BITS,
	.root_pages = arm64_root_pages_4l,
	.check_flags = arm64_check_flags,
	.encode_table = arm64_encode_table,
	.encode_leaf = arm64_encode_leaf,
	.encode_lazy = vmcfg_pt_encode_lazy,
	.encode_deferred = vmcfg_pt_encode_deferred,
	.decode = arm64_decode_4l,
	.regs = arm64_regs_4l,
};
