/* SPDX-License-Identifier: MIT */
/*
 * Entry from OpenSBI (fw_dynamic): HS-mode, MMU off (satp = 0), a0 = hart
 * id, a1 = the DTB. Only the boot hart comes here; the others are started
 * later through SBI HSM hart_start at hv_secondary_entry (a0 = hart id,
 * a1 = our opaque: their index in cpus[]).
 */
#include "arch/riscv64/cpu.h"

	.section .text.boot, "ax"
	.globl _start
_start:
	/* No floating point in HS-mode code; the FP switch (fp.S) turns it on itself. */
	csrw	sie, zero
	lla	t0, hs_vector
	csrw	stvec, t0
	/*
	 * Only the first hart through here boots. OpenSBI 1.1 marks a hart
	 * START_PENDING before it stores hart_start's address, so a waiting
	 * hart can leave for its old next address (this one) instead of
	 * hv_secondary_entry: seen under load, the late hart cleared .bss and
	 * booted a second time. Such a hart becomes the secondary it was asked
	 * to be: cpu_start_secondaries wrote its slot in hv_slot_hartid first.
	 */
	lla	t0, hv_boot_claimed
	li	t1, 1
	amoswap.w.aqrl t1, t1, (t0)
	bnez	t1, late_hart
	/* Clear .bss (the stacks are in it). */
	lla	t0, __bss_start
	lla	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	la	t0, hv_boot_hartid
	sd	a0, 0(t0)
	lla	sp, hv_stacks + HV_STACK_SIZE
	lla	tp, cpus
	mv	a0, a1
	call	hv_main
3:	wfi
	j	3b

/* a0 = hart id: find slot s with hv_slot_hartid[s] == a0 + 1, then enter as a secondary of slot s. */
late_hart:
	addi	t2, a0, 1
6:	lla	t0, hv_slot_hartid
	li	a1, 0
	li	t3, HV_MAX_CPUS
7:	fence	r, r
	ld	t1, 0(t0)
	beq	t1, t2, hv_secondary_entry
	addi	t0, t0, 8
	addi	a1, a1, 1
	bltu	a1, t3, 7b
	j	6b

	.globl hv_secondary_entry
hv_secondary_entry:
	csrw	sie, zero
	lla	t0, hs_vector
	csrw	stvec, t0
	/* sp = hv_stacks + (index + 1) * HV_STACK_SIZE. */
	addi	t0, a1, 1
	li	t1, HV_STACK_SIZE
	mul	t0, t0, t1
	lla	sp, hv_stacks
	add	sp, sp, t0
	/* tp is set by hv_secondary_main, before anything reads it. */
	mv	a0, a1
	call	hv_secondary_main
4:	wfi
	j	4b

/*
 * Traps taken in HS-mode itself: a hypervisor bug (HS-mode runs with
 * interrupts off, sstatus.SIE = 0). Reported by hs_exception on the
 * current stack.
 */
	.align 2
	.globl hs_vector
hs_vector:
	csrr	a0, scause
	csrr	a1, sepc
	csrr	a2, stval
	call	hs_exception
5:	wfi
	j	5b

	/* In .data: the first hart clears .bss, and a late one must still see the claim. */
	.data
	.align 2
hv_boot_claimed:
	.word	0

	.bss
	.align 12
	.globl hv_stacks
hv_stacks:
	.space HV_STACK_SIZE * HV_MAX_CPUS
