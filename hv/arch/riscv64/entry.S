/* SPDX-License-Identifier: MIT */
/*
 * The world switch (RISC-V Privileged Architecture, 8.2.2 and 8.6): guest_enter
 * saves the hypervisor's callee-saved registers on its stack, points
 * sscratch at the vCPU's registers and stvec at guest_exit, loads the
 * guest's sepc/sstatus/hstatus (SPV = 1: sret enters VS-mode) and general
 * registers, and srets. Any trap from the guest lands on guest_exit, which
 * saves the guest's registers and returns from guest_enter. The
 * hypervisor's own traps go to boot.S's hs_vector again.
 */
#include "arch/riscv64/vcpu.h"

#define R(n) (n * 8)

	.text
	.globl guest_enter
guest_enter:
	addi	sp, sp, -16 * 8
	sd	ra, R(0)(sp)
	sd	s0, R(1)(sp)
	sd	s1, R(2)(sp)
	sd	s2, R(3)(sp)
	sd	s3, R(4)(sp)
	sd	s4, R(5)(sp)
	sd	s5, R(6)(sp)
	sd	s6, R(7)(sp)
	sd	s7, R(8)(sp)
	sd	s8, R(9)(sp)
	sd	s9, R(10)(sp)
	sd	s10, R(11)(sp)
	sd	s11, R(12)(sp)
	sd	gp, R(13)(sp)
	sd	tp, R(14)(sp)
	sd	sp, VCPU_REGS_HOST_SP(a0)
	csrw	sscratch, a0
	lla	t0, guest_exit
	csrw	stvec, t0
	ld	t0, VCPU_REGS_SEPC(a0)
	csrw	sepc, t0
	ld	t0, VCPU_REGS_SSTATUS(a0)
	csrw	sstatus, t0
	ld	t0, VCPU_REGS_HSTATUS(a0)
	csrw	0x600, t0		/* hstatus */
	ld	ra, R(1)(a0)
	ld	sp, R(2)(a0)
	ld	gp, R(3)(a0)
	ld	tp, R(4)(a0)
	ld	t0, R(5)(a0)
	ld	t1, R(6)(a0)
	ld	t2, R(7)(a0)
	ld	s0, R(8)(a0)
	ld	s1, R(9)(a0)
	ld	a1, R(11)(a0)
	ld	a2, R(12)(a0)
	ld	a3, R(13)(a0)
	ld	a4, R(14)(a0)
	ld	a5, R(15)(a0)
	ld	a6, R(16)(a0)
	ld	a7, R(17)(a0)
	ld	s2, R(18)(a0)
	ld	s3, R(19)(a0)
	ld	s4, R(20)(a0)
	ld	s5, R(21)(a0)
	ld	s6, R(22)(a0)
	ld	s7, R(23)(a0)
	ld	s8, R(24)(a0)
	ld	s9, R(25)(a0)
	ld	s10, R(26)(a0)
	ld	s11, R(27)(a0)
	ld	t3, R(28)(a0)
	ld	t4, R(29)(a0)
	ld	t5, R(30)(a0)
	ld	t6, R(31)(a0)
	ld	a0, R(10)(a0)
	sret

	.align 2
guest_exit:
	csrrw	a0, sscratch, a0	/* a0 = the vCPU's registers, sscratch = its a0 */
	sd	ra, R(1)(a0)
	sd	sp, R(2)(a0)
	sd	gp, R(3)(a0)
	sd	tp, R(4)(a0)
	sd	t0, R(5)(a0)
	sd	t1, R(6)(a0)
	sd	t2, R(7)(a0)
	sd	s0, R(8)(a0)
	sd	s1, R(9)(a0)
	sd	a1, R(11)(a0)
	sd	a2, R(12)(a0)
	sd	a3, R(13)(a0)
	sd	a4, R(14)(a0)
	sd	a5, R(15)(a0)
	sd	a6, R(16)(a0)
	sd	a7, R(17)(a0)
	sd	s2, R(18)(a0)
	sd	s3, R(19)(a0)
	sd	s4, R(20)(a0)
	sd	s5, R(21)(a0)
	sd	s6, R(22)(a0)
	sd	s7, R(23)(a0)
	sd	s8, R(24)(a0)
	sd	s9, R(25)(a0)
	sd	s10, R(26)(a0)
	sd	s11, R(27)(a0)
	sd	t3, R(28)(a0)
	sd	t4, R(29)(a0)
	sd	t5, R(30)(a0)
	sd	t6, R(31)(a0)
	csrr	t0, sscratch
	sd	t0, R(10)(a0)
	csrr	t0, sepc
	sd	t0, VCPU_REGS_SEPC(a0)
	csrr	t0, sstatus
	sd	t0, VCPU_REGS_SSTATUS(a0)
	csrr	t0, 0x600		/* hstatus */
	sd	t0, VCPU_REGS_HSTATUS(a0)
	ld	sp, VCPU_REGS_HOST_SP(a0)
	lla	t0, hs_vector
	csrw	stvec, t0
	ld	ra, R(0)(sp)
	ld	s0, R(1)(sp)
	ld	s1, R(2)(sp)
	ld	s2, R(3)(sp)
	ld	s3, R(4)(sp)
	ld	s4, R(5)(sp)
	ld	s5, R(6)(sp)
	ld	s6, R(7)(sp)
	ld	s7, R(8)(sp)
	ld	s8, R(9)(sp)
	ld	s9, R(10)(sp)
	ld	s10, R(11)(sp)
	ld	s11, R(12)(sp)
	ld	gp, R(13)(sp)
	ld	tp, R(14)(sp)
	addi	sp, sp, 16 * 8
	ret

/* f0-f31 then fcsr (struct vcpu_fp); sstatus.FS must be on (vcpu.c). */
	.option push
	.option arch, +d
	.globl fp_save
fp_save:
	.irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\n, (\n * 8)(a0)
	.endr
	frcsr	t0
	sd	t0, 256(a0)
	ret

	.globl fp_restore
fp_restore:
	.irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld	f\n, (\n * 8)(a0)
	.endr
	ld	t0, 256(a0)
	fscsr	t0
	ret
	.option pop

/*
 * uint64_t guest_fetch_hu(uint64_t va, uint64_t *faulted): one halfword of
 * the guest's instructions at its virtual address va, read with HLVX.HU
 * through its own translation (vsatp, then the G-stage) at the privilege
 * it trapped from (hstatus.SPVP). A fault of that read (the guest's tables
 * changed under it) is caught here, not in hs_vector: *faulted = 1, 0
 * returned. The trap's scause/stval/sepc are lost; the caller saved the
 * guest's exit state before.
 */
	.globl guest_fetch_hu
guest_fetch_hu:
	lla	t0, 1f
	csrw	stvec, t0
	sd	zero, 0(a1)
	.insn r 0x73, 4, 0x32, a2, a0, x3	/* hlvx.hu a2, (a0) */
	mv	a0, a2
	j	2f
	.align 2
1:	li	t1, 1
	sd	t1, 0(a1)
	li	a0, 0
2:	lla	t0, hs_vector
	csrw	stvec, t0
	ret
