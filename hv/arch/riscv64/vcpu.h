/* SPDX-License-Identifier: MIT */
/*
 * A virtual hart: its general registers, sepc/sstatus/hstatus (switched on
 * every exit by entry.S), the VS-level CSRs and the FP registers (switched
 * when the physical hart changes vCPU: vcpu_load / vcpu_put), its virtual
 * interrupts (hvip) and its SBI timer deadline.
 */
#ifndef HV_ARCH_RISCV64_VCPU_H
#define HV_ARCH_RISCV64_VCPU_H

/* Offsets in struct vcpu_regs, for entry.S (checked in vcpu.c). */
#define VCPU_REGS_SEPC 256
#define VCPU_REGS_SSTATUS 264
#define VCPU_REGS_HSTATUS 272
#define VCPU_REGS_HOST_SP 280

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hv_vm;

struct vcpu_regs {
	uint64_t x[32]; /* x[0] unused (zero) */
	uint64_t sepc, sstatus, hstatus;
	uint64_t host_sp; /* entry.S: the hypervisor's stack while the guest runs */
};

/* The VS-level CSRs a guest owns. */
struct vcpu_vs_csrs {
	uint64_t vsstatus, vsie, vstvec, vsscratch, vsepc, vscause, vstval, vsatp;
	/*
	 * scounteren and senvcfg have no VS copies: with V = 1 the guest reads
	 * and writes HS-mode's own (for its VU-mode), so they are switched too,
	 * or one VM would see and set another's.
	 */
	uint64_t scounteren, senvcfg;
};

/* f0-f31 and fcsr (fp.S). */
struct vcpu_fp {
	uint64_t f[32];
	uint64_t fcsr;
};

enum vcpu_state { VCPU_OFF, VCPU_RUNNABLE };

struct vcpu {
	struct vcpu_regs regs;
	struct vcpu_vs_csrs vs;
	struct vcpu_fp fp;
	/*
	 * Its virtual interrupts: hvip's VSSIP/VSTIP/VSEIP while it is off the
	 * hart (vsip.SSIP is the guest's to clear: read back on every exit),
	 * and bits other harts post for it (SBI IPI, the vPLIC), taken in at
	 * its next entry.
	 */
	uint64_t hvip;
	uint64_t posted; /* atomic */
	uint64_t timer_deadline; /* SBI set_timer, rdtime ticks; ~0 = none */
	uint32_t fence_pending;  /* atomic: an SBI RFENCE asked for a VS-stage flush */
	uint32_t eip;            /* atomic: its vPLIC S context has an interrupt for it */
	/* From here on vcpu_reset sets each field: other harts read some without a lock. */
	uint64_t hartid;         /* the hart id the guest knows it by (lib/vm's arch_id) */
	uint32_t id;
	uint32_t pcpu;
	enum vcpu_state state;
	bool yield;
	struct hv_vm *vm;
	uint64_t scause, stval, htval, htinst; /* of the last exit */
};

/*
 * Puts v at entry in VS-mode, paging off, a0 = hartid, a1 = arg (SBI boot
 * protocol), every other register zero, VCPU_OFF; its placement stays.
 */
void vcpu_reset(struct vcpu *v, struct hv_vm *vm, uint32_t id, uint64_t hartid, uint64_t entry,
		uint64_t arg);

/* Enters the guest with regs; returns on its next exit with regs updated (entry.S). */
void guest_enter(struct vcpu_regs *regs);

/*
 * A halfword of the running guest's instructions at its virtual address va
 * (HLVX.HU, entry.S); *faulted = 1 and 0 returned when the read faults.
 */
uint64_t guest_fetch_hu(uint64_t va, uint64_t *faulted);

/* FP registers (entry.S). */
void fp_save(struct vcpu_fp *fp);
void fp_restore(const struct vcpu_fp *fp);

/* SBI set_timer of v, the vCPU loaded on this hart: its timer at deadline (rdtime ticks). */
void vcpu_set_timer(struct vcpu *v, uint64_t deadline);

/* Posts hvip bits (HVIP_VS*) to v from any hart and kicks its hart when that is another. */
void vcpu_post(struct vcpu *v, uint64_t bits);
#endif

#endif
