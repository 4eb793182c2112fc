/* SPDX-License-Identifier: MIT */
/* The format registry and the rules all formats share. */
#include "pt_internal.h"
#include "../base/libc.h"

#define LAZY_MARK (1ull << 62)
#define LAZY_FLAGS_SHIFT 8
#define DEFERRED_MARK (1ull << 61)
#define DEFERRED_PFN_SHIFT 14

static const struct vmcfg_pt_format *const formats[VMCFG_PT_KIND_COUNT] = {
	[VMCFG_PT_ARM64_S2_3L] = &vmcfg_pt_arm64_s2_3l,
	[VMCFG_PT_ARM64_S2_4L] = &vmcfg_pt_arm64_s2_4l,
	[VMCFG_PT_RISCV_SV39X4] = &vmcfg_pt_riscv_sv39x4,
	[VMCFG_PT_RISCV_SV48X4] = &vmcfg_pt_riscv_sv48x4,
	[VMCFG_PT_X86_EPT4] = &vmcfg_pt_x86_ept4,
};

const struct vmcfg_pt_format *vmcfg_pt_format_get(enum vmcfg_pt_kind kind)
{
	if ((unsigned)kind >= VMCFG_PT_KIND_COUNT)
		return NULL;
	return formats[kind];
}

const struct vmcfg_pt_format *vmcfg_pt_format_find(const char *name)
{
	size_t len = strlen(name);
	for (unsigned k = 0; k < VMCFG_PT_KIND_COUNT; k++)
		if (strlen(formats[k]->name) == len && memcmp(formats[k]->name, name, len) == 0)
			return formats[k];
	return NULL;
}

const char *vmcfg_pte_type_name(enum vmcfg_pte_type type)
{
	switch (type) {
	case VMCFG_PTE_NONE:
		return "none";
	case VMCFG_PTE_TABLE:
		return "table";
	case VMCFG_PTE_LEAF:
		return "leaf";
	case VMCFG_PTE_LAZY:
		return "lazy";
	case VMCFG_PTE_DEFERRED:
		return "deferred";
	}
	return "?";
}

int vmcfg_pt_check_common_flags(uint32_t flags)
{
	if (flags & ~VMCFG_MEM_ALL)
		return VMCFG_EINVAL;
	if (!(flags & (VMCFG_MEM_READ | VMCFG_MEM_WRITE | VMCFG_MEM_EXECUTE)))
		return VMCFG_EINVAL;
	if ((flags & VMCFG_MEM_DEVICE) && (flags & VMCFG_MEM_UNCACHED))
		return VMCFG_EINVAL;
	return 0;
}

uint64_t vmcfg_pt_encode_lazy(uint32_t flags)
{
	return LAZY_MARK | (uint64_t)(flags & VMCFG_MEM_ALL) << LAZY_FLAGS_SHIFT;
}

uint64_t vmcfg_pt_encode_deferred(unsigned level, uint64_t pa, uint32_t flags)
{
	(void)level; /* the frames' alignment is the caller's promise, checked on decode */
	return vmcfg_pt_encode_lazy(flags) | DEFERRED_MARK |
	       (pa >> VMCFG_PAGE_SHIFT) << DEFERRED_PFN_SHIFT;
}

int vmcfg_pt_decode_absent(unsigned level, unsigned pa_bits, uint64_t desc, struct vmcfg_pte *out)
{
	*out = (struct vmcfg_pte){ 0 };
	if (desc == 0)
		return 0;
	uint32_t flags = (uint32_t)(desc >> LAZY_FLAGS_SHIFT) & VMCFG_MEM_ALL;
	if (vmcfg_pt_check_common_flags(flags))
		return VMCFG_EINVAL;
	if (desc & DEFERRED_MARK) {
		uint64_t pa = (desc & (DEFERRED_MARK - 1)) >> DEFERRED_PFN_SHIFT << VMCFG_PAGE_SHIFT;
		if (level > 2 || desc != vmcfg_pt_encode_deferred(level, pa, flags) ||
		    !vmcfg_pt_leaf_pa_ok(level, pa, pa_bits))
			return VMCFG_EINVAL;
		out->type = VMCFG_PTE_DEFERRED;
		out->pa = pa;
	} else {
		if (desc != vmcfg_pt_encode_lazy(flags))
			return VMCFG_EINVAL;
		out->type = VMCFG_PTE_LAZY;
	}
	out->flags = flags;
	out->owned = true;
	return 0;
}

int vmcfg_pt_check_regs(const struct vmcfg_pt_format *f, unsigned ipa_bits, unsigned pa_bits,
		  uint64_t root_pa)
{
	if (ipa_bits < f->min_ipa_bits || ipa_bits > f->max_ipa_bits || pa_bits < 32 ||
	    pa_bits > f->max_pa_bits)
		return VMCFG_ERANGE;
	uint64_t root_size = (uint64_t)f->root_pages(ipa_bits) * VMCFG_PAGE_SIZE;
	if ((root_pa & (root_size - 1)) || (root_pa >> pa_bits))
		return VMCFG_EALIGN;
	return 0;
}

bool vmcfg_pt_leaf_pa_ok(unsigned level, uint64_t pa, unsigned pa_bits)
{
	return (pa & (vmcfg_pt_level_size(level) - 1)) == 0 && (pa >> pa_bits) == 0;
}
