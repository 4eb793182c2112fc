/* SPDX-License-Identifier: MIT */
/* Stage-2 TLB maintenance (Arm ARM DDI 0487, C5.5 "A64 System instructions for TLB maintenance"). */
#include "arch/aarch64/stage2.h"
#include "arch/aarch64/sysreg.h"
#include "vmcfg/base.h"

/* Makes vttbr's VMID current for the TLBI operations; returns the VTTBR_EL2 to restore. */
static uint64_t vmid_enter(uint64_t vttbr)
{
	uint64_t saved = sysreg_read(vttbr_el2);

	sysreg_write(vttbr_el2, vttbr);
	isb(); /* the TLBIs below must see the new VMID */
	return saved;
}

static void vmid_leave(uint64_t saved)
{
	sysreg_write(vttbr_el2, saved);
	isb();
}

void stage2_flush_vmid(uint64_t vttbr)
{
	uint64_t saved = vmid_enter(vttbr);

	/* VMALLS12E1IS: all stage-1 and stage-2 entries of the current VMID, Inner Shareable. */
	__asm__ volatile("dsb ishst\n\ttlbi vmalls12e1is\n\tdsb ish" : : : "memory");
	vmid_leave(saved);
}

void stage2_mapped(void)
{
	/*
	 * DSB ISHST: table walks are not ordered after earlier stores without
	 * it (Arm ARM D8.2 "Translation table walks"); ISH, as the VM's other
	 * vCPUs walk the same tables on the other CPUs.
	 */
	__asm__ volatile("dsb ishst" : : : "memory");
}

void stage2_unmapped(uint64_t vttbr, uint64_t ipa, uint64_t size)
{
	uint64_t saved = vmid_enter(vttbr);

	/*
	 * DSB ISHST: the invalid descriptors lib/mm stored reach the table
	 * walkers of every CPU before any invalidation is issued, so no walk
	 * after the TLBI can reload the old entry.
	 */
	__asm__ volatile("dsb ishst" : : : "memory");
	/*
	 * TLBI IPAS2E1IS, Xt: the stage-2 entries for one IPA page of the
	 * current VMID on every CPU of the Inner Shareable domain. Xt[35:0]
	 * holds IPA[47:12] (4 KiB granule), Xt[63] NS = 0 (Non-secure IPA
	 * space), TTL Xt[47:44] = 0 (level unknown).
	 */
	for (uint64_t off = 0; off < size; off += VMCFG_PAGE_SIZE)
		__asm__ volatile("tlbi ipas2e1is, %0"
				 :
				 : "r"(((ipa + off) >> VMCFG_PAGE_SHIFT) & 0xfffffffffull)
				 : "memory");
	/*
	 * TLBI IPAS2E1IS is only required to remove stage-2-only entries: a
	 * TLB may also hold combined stage 1+2 entries (VA -> PA) that used
	 * the old mapping, and no by-IPA operation reaches those. So, once
	 * the stage-2 invalidation has completed (DSB ISH), TLBI VMALLE1IS
	 * drops the VMID's stage-1 (and combined) entries, DSB ISH waits for
	 * that on every CPU, and ISB makes this CPU's next translation see it.
	 * (The sequence Linux's __kvm_tlb_flush_vmid_ipa uses.)
	 */
	__asm__ volatile("dsb ish\n\ttlbi vmalle1is\n\tdsb ish\n\tisb" : : : "memory");
	vmid_leave(saved);
}
