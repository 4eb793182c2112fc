/* SPDX-License-Identifier: MIT */
/*
 * riscv64 G-stage tables, Sv39x4 and Sv48x4 (RISC-V privileged spec,
 * "Hypervisor Extension", "Two-Stage Address Translation"; PTE format of
 * "Sv39: Page-Based 39-bit Virtual-Memory System").
 *
 * The x4 schemes widen the root by two bits: a 16 KiB root of 2048 entries,
 * aligned to 16 KiB. PTE bits used here:
 *   0 V, 1 R, 2 W, 3 X, 4 U, 6 A, 7 D; [53:10] PPN; 8 and 9 are RSW (software)
 *   [62:61] PBMT (Svpbmt): 1 NC for UNCACHED, 2 IO for DEVICE
 * Leaves: U is always set (G-stage accesses are checked as U-mode); A and D
 * are preset so no hardware update or fault is needed. Non-leaf PTEs have
 * only V and the PPN (A, D, U are reserved there and must be zero).
 * W without R is a reserved encoding: such flags are refused.
 * RSW bit 8 keeps VMCFG_MEM_USER, bit 9 the aspace's ownership.
 * DEVICE / UNCACHED need Svpbmt with henvcfg.PBMTE = 1 on the host.
 */
#include "pt_internal.h"
#include "../base/libc.h"

#define RV_V (1ull << 0)
#define RV_R (1ull << 1)
#define RV_W (1ull << 2)
#define RV_X (1ull << 3)
#define RV_U (1ull << 4)
#define RV_A (1ull << 6)
#define RV_D (1ull << 7)
#define RV_SW_USER (1ull << 8)
#define RV_SW_OWNED (1ull << 9)
#define RV_PPN_SHIFT 10
#define RV_PPN_MASK (((1ull << 44) - 1) << RV_PPN_SHIFT)
#define RV_PBMT_NC (1ull << 61)
#define RV_PBMT_IO (2ull << 61)
#define RV_PA_BITS 56

#define HGATP_MODE_SHIFT 60
#define HGATP_MODE_SV39X4 8ull
#define HGATP_MODE_SV48X4 9ull

static int riscv_check_flags(uint32_t flags)
{
	int err = vmcfg_pt_check_common_flags(flags);
	if (err)
		return err;
	if ((flags & VMCFG_MEM_WRITE) && !(flags & VMCFG_MEM_READ))
		return VMCFG_EINVAL;
	return 0;
}

static uint64_t ppn_bits(uint64_t pa)
{
	return (pa >> VMCFG_PAGE_SHIFT) << RV_PPN_SHIFT & RV_PPN_MASK;
}

static uint64_t riscv_encode_table(uint64_t pa)
{
	return ppn_bits(pa) | RV_V;
}

static uint64_t riscv_encode_leaf(unsigned level, uint64_t pa, uint32_t flags, bool owned)
{
	uint64_t d = ppn_bits(pa) | RV_V | RV_U | RV_A | RV_D;

	(void)level; /* the level is implied by where the leaf sits */
	if (flags & VMCFG_MEM_READ)
		d |= RV_R;
	if (flags & VMCFG_MEM_WRITE)
		d |= RV_W;
	if (flags & VMCFG_MEM_EXECUTE)
		d |= RV_X;
	if (flags & VMCFG_MEM_DEVICE)
		d |= RV_PBMT_IO;
	else if (flags & VMCFG_MEM_UNCACHED)
		d |= RV_PBMT_NC;
	if (flags & VMCFG_MEM_USER)
		d |= RV_SW_USER;
	if (owned)
		d |= RV_SW_OWNED;
	return d;
}

static int riscv_decode(unsigned level, uint64_t desc, struct vmcfg_pte *out)
{
	if (!(desc & RV_V))
		return vmcfg_pt_decode_absent(level, RV_PA_BITS, desc, out);
	*out = (struct vmcfg_pte){ 0 };
	uint64_t pa = (desc & RV_PPN_MASK) >> RV_PPN_SHIFT << VMCFG_PAGE_SHIFT;
	if (!(desc & (RV_R | RV_W | RV_X))) {
		/* A pointer at level 0 is a page fault to the MMU. */
		if (level == 0 || desc != riscv_encode_table(pa))
			return VMCFG_EINVAL;
		out->type = VMCFG_PTE_TABLE;
		out->pa = pa;
		return 0;
	}
	if (level > 2)
		return VMCFG_EINVAL;
	uint32_t flags = 0;
	if (desc & RV_R)
		flags |= VMCFG_MEM_READ;
	if (desc & RV_W)
		flags |= VMCFG_MEM_WRITE;
	if (desc & RV_X)
		flags |= VMCFG_MEM_EXECUTE;
	if ((desc & (3ull << 61)) == RV_PBMT_IO)
		flags |= VMCFG_MEM_DEVICE;
	else if ((desc & (3ull << 61)) == RV_PBMT_NC)
		flags |= VMCFG_MEM_UNCACHED;
	if (desc & RV_SW_USER)
		flags |= VMCFG_MEM_USER;
	bool owned = (desc & RV_SW_OWNED) != 0;
	/* Exactness; also refuses misaligned superpages, which the MMU would fault on. */
	if (riscv_check_flags(flags) || !vmcfg_pt_leaf_pa_ok(level, pa, RV_PA_BITS) ||
	    riscv_encode_leaf(level, pa, flags, owned) != desc)
		return VMCFG_EINVAL;
	out->type = VMCFG_PTE_LEAF;
	out->pa = pa;
	out->flags = flags;
	out->owned = owned;
	return 0;
}

/* The x4 root is 2048 entries whatever part of it the IPA width uses. */
static unsigned riscv_root_pages(unsigned ipa_bits)
{
	(void)ipa_bits;
	return 4;
}

static int riscv_regs(const struct vmcfg_pt_format *f, uint64_t mode, unsigned ipa_bits,
		      unsigned pa_bits, uint64_t root_pa, struct vmcfg_pt_regs *out)
{
	int err = vmcfg_pt_check_regs(f, ipa_bits, pa_bits, root_pa);
	if (err)
		return err;
	out->root = mode << HGATP_MODE_SHIFT | root_pa >> VMCFG_PAGE_SHIFT; /* VMID 0 */
	out->control = 0;
	return 0;
}

static int riscv_regs_sv39x4(unsigned ipa_bits, unsigned pa_bits, uint64_t root_pa,
			     struct vmcfg_pt_regs *out)
{
	return riscv_regs(&vmcfg_pt_riscv_sv39x4, HGATP_MODE_SV39X4, ipa_bits, pa_bits, root_pa, out);
}

static int riscv_regs_sv48x4(unsigned ipa_bits, unsigned pa_bits, uint64_t root_pa,
			     struct vmcfg_pt_regs *out)
{
	return riscv_regs(&vmcfg_pt_riscv_sv48x4, HGATP_MODE_SV48X4, ipa_bits, pa_bits, root_pa, out);
}

const struct vmcfg_pt_format vmcfg_pt_riscv_sv39x4 = {
	.name = "riscv-sv39x4",
	.kind = VMCFG_PT_RISCV_SV39X4,
	.levels = 3,
	.leaf_levels = 0x7,
	.min_ipa_bits = 32,
	.max_ipa_bits = 41,
	.max_pa_bits = RV_PA_BITS,
	.root_pages = riscv_root_pages,
	.check_flags = riscv_check_flags,
	.encode_table = riscv_encode_table,
	.encode_leaf = riscv_encode_leaf,
	.encode_lazy = vmcfg_pt_encode_lazy,
	.encode_deferred = vmcfg_pt_encode_deferred,
	.decode = riscv_decode,
	.regs = riscv_regs_sv39x4,
};

const struct vmcfg_pt_format vmcfg_pt_riscv_sv48x4 = {
	.name = "riscv-sv48x4",
	.kind = VMCFG_PT_RISCV_SV48X4,
	.levels = 4,
	.leaf_levels = 0x7,
	.min_ipa_bits = 32,
	.max_ipa_bits = 50,
	.max_pa_bits = RV_PA_BITS,
	.root_pages = riscv_root_pages,
	.check_flags = riscv_check_flags,
	.encode_table = riscv_encode_table,
	.encode_leaf = riscv_encode_leaf,
	.encode_lazy = vmcfg_pt_encode_lazy,
	.encode_deferred = vmcfg_pt_encode_deferred,
	.decode = riscv_decode,
	.regs = riscv_regs_sv48x4,
};
