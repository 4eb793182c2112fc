/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 TLB maintenance for a VM's tables (the tables themselves are
 * lib/mm's). Both run at EL2 with HCR_EL2.E2H = 0, where the EL1&0 TLBI
 * operations act on the VMID held in VTTBR_EL2: each loads the VM's VTTBR
 * for the operation and puts the previous one back.
 */
#ifndef HV_ARCH_AARCH64_STAGE2_H
#define HV_ARCH_AARCH64_STAGE2_H

#include <stdint.h>

/* Drops every stage-1 and stage-2 TLB entry tagged with vttbr's VMID, on every CPU. */
void stage2_flush_vmid(uint64_t vttbr);

/*
 * After descriptors were made valid in a VM's tables (invalid → valid: no
 * TLB entry can be stale): makes the stores visible to every CPU's table
 * walker before the guest runs on (the ERET back to it is the context
 * synchronization). Without it a walk may still read the old invalid
 * descriptor, and the guest's access would stop its VM.
 */
void stage2_mapped(void);

/*
 * After [ipa, ipa + size) was unmapped from the tables of vttbr's VM:
 * removes the stale translations from every CPU's TLB before the frames
 * can be handed to anyone else.
 */
void stage2_unmapped(uint64_t vttbr, uint64_t ipa, uint64_t size);

#endif
