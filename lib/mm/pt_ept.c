/* SPDX-License-Identifier: MIT */
/*
 * x86-64 EPT, 4 levels (Intel SDM Vol. 3C, 29.3 "The Extended Page Table
 * Mechanism (EPT)": 29.3.2 translation, 29.3.7 memory type; EPTP in 25.6.11).
 *
 * Entry bits used here:
 *   0 read, 1 write, 2 execute (bits 2:0 all clear = not present)
 *   [5:3] memory type of a leaf: 6 write-back, 0 uncacheable
 *   6     ignore guest PAT (leaf): set for DEVICE so the guest cannot make it cacheable;
 *         UNCACHED is UC without it (the guest may still choose WC, like Arm Normal-NC)
 *   7     leaf at level 2 (1 GiB) or 1 (2 MiB); ignored at level 0
 *   11    ignored by the CPU: the aspace owns the frames
 *   52    ignored by the CPU: VMCFG_MEM_USER
 *   [51:12] physical address
 * Table entries grant R, W and X; leaves narrow them (permissions AND down
 * the walk). W without R is an EPT misconfiguration: refused. Execute-only
 * needs IA32_VMX_EPT_VPID_CAP bit 0, 1 GiB leaves bit 17 (both common).
 */
#include "pt_internal.h"
#include "../base/libc.h"

#define EPT_R (1ull << 0)
#define EPT_W (1ull << 1)
#define EPT_X (1ull << 2)
#define EPT_MT_SHIFT 3
#define EPT_MT_MASK (7ull << EPT_MT_SHIFT)
#define EPT_MT_UC 0ull
#define EPT_MT_WB 6ull
#define EPT_IPAT (1ull << 6)
#define EPT_LARGE (1ull << 7)
#define EPT_SW_OWNED (1ull << 11)
#define EPT_SW_USER (1ull << 52)
#define EPT_PA_BITS 52
#define EPT_ADDR_MASK (((1ull << EPT_PA_BITS) - 1) & ~(VMCFG_PAGE_SIZE - 1))

#define EPTP_WALK_LENGTH_SHIFT 3 /* page-walk length minus one */

static int ept_check_flags(uint32_t flags)
{
	int err = vmcfg_pt_check_common_flags(flags);
	if (err)
		return err;
	if ((flags & VMCFG_MEM_WRITE) && !(flags & VMCFG_MEM_READ))
		return VMCFG_EINVAL;
	return 0;
}

static uint64_t ept_encode_table(uint64_t pa)
{
	return (pa & EPT_ADDR_MASK) | EPT_R | EPT_W | EPT_X;
}

static uint64_t ept_encode_leaf(unsigned level, uint64_t pa, uint32_t flags, bool owned)
{
	uint64_t d = pa & EPT_ADDR_MASK;

	if (flags & VMCFG_MEM_READ)
		d |= EPT_R;
	if (flags & VMCFG_MEM_WRITE)
		d |= EPT_W;
	if (flags & VMCFG_MEM_EXECUTE)
		d |= EPT_X;
	if (flags & VMCFG_MEM_DEVICE)
		d |= EPT_MT_UC << EPT_MT_SHIFT | EPT_IPAT;
	else if (flags & VMCFG_MEM_UNCACHED)
		d |= EPT_MT_UC << EPT_MT_SHIFT;
	else
		d |= EPT_MT_WB << EPT_MT_SHIFT;
	if (level > 0)
		d |= EPT_LARGE;
	if (flags & VMCFG_MEM_USER)
		d |= EPT_SW_USER;
	if (owned)
		d |= EPT_SW_OWNED;
	return d;
}

static int ept_decode(unsigned level, uint64_t desc, struct vmcfg_pte *out)
{
	if (!(desc & (EPT_R | EPT_W | EPT_X)))
		return vmcfg_pt_decode_absent(level, EPT_PA_BITS, desc, out);
	*out = (struct vmcfg_pte){ 0 };
	uint64_t pa = desc & EPT_ADDR_MASK;
	if (level > 0 && !(desc & EPT_LARGE)) {
		if (desc != ept_encode_table(pa))
			return VMCFG_EINVAL;
		out->type = VMCFG_PTE_TABLE;
		out->pa = pa;
		return 0;
	}
	if (level > 2)
		return VMCFG_EINVAL; /* bit 7 is reserved in a PML4 entry */
	uint32_t flags = 0;
	if (desc & EPT_R)
		flags |= VMCFG_MEM_READ;
	if (desc & EPT_W)
		flags |= VMCFG_MEM_WRITE;
	if (desc & EPT_X)
		flags |= VMCFG_MEM_EXECUTE;
	uint64_t mt = (desc & EPT_MT_MASK) >> EPT_MT_SHIFT;
	if (mt == EPT_MT_UC)
		flags |= (desc & EPT_IPAT) ? VMCFG_MEM_DEVICE : VMCFG_MEM_UNCACHED;
	else if (mt != EPT_MT_WB)
		return VMCFG_EINVAL;
	if (desc & EPT_SW_USER)
		flags |= VMCFG_MEM_USER;
	bool owned = (desc & EPT_SW_OWNED) != 0;
	if (ept_check_flags(flags) || !vmcfg_pt_leaf_pa_ok(level, pa, EPT_PA_BITS) ||
	    ept_encode_leaf(level, pa, flags, owned) != desc)
		return VMCFG_EINVAL;
	out->type = VMCFG_PTE_LEAF;
	out->pa = pa;
	out->flags = flags;
	out->owned = owned;
	return 0;
}

static unsigned ept_root_pages(unsigned ipa_bits)
{
	(void)ipa_bits;
	return 1;
}

static int ept_regs(unsigned ipa_bits, unsigned pa_bits, uint64_t root_pa, struct vmcfg_pt_regs *out)
{
	int err = vmcfg_pt_check_regs(&vmcfg_pt_x86_ept4, ipa_bits, pa_bits, root_pa);
	if (err)
		return err;
	out->root = root_pa | (4ull - 1) << EPTP_WALK_LENGTH_SHIFT | EPT_MT_WB;
	out->control = 0;
	return 0;
}

const struct vmcfg_pt_format vmcfg_pt_x86_ept4 = {
	.name = "x86-ept4",
	.kind = VMCFG_PT_X86_EPT4,
	.levels = 4,
	.leaf_levels = 0x7,
	.min_ipa_bits = 32,
	.max_ipa_bits = 48,
	.max_pa_bits = EPT_PA_BITS,
	.root_pages = ept_root_pages,
	.check_flags = ept_check_flags,
	.encode_table = ept_encode_table,
	.encode_leaf = ept_encode_leaf,
	.encode_lazy = vmcfg_pt_encode_lazy,
	.encode_deferred = vmcfg_pt_encode_deferred,
	.decode = ept_decode,
	.regs = ept_regs,
};
