/* SPDX-License-Identifier: MIT */
/*
 * Guest entry in S-mode (VS-mode under a hypervisor), paging off, a0 =
 * hart id, a1 = DT address: hart id in tp, the trap report in stvec, the
 * stack, zeroed .bss, a1 and a2 kept (guest_boot_x1, guest_boot_seed), main,
 * then power off.
 */
	.section .text.start, "ax"
	.global _start
_start:
	mv	tp, a0
	la	t0, guest_trap_entry
	csrw	stvec, t0
	la	sp, __stack_top
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	la	t0, guest_boot_x1
	sd	a1, 0(t0)
	la	t0, guest_boot_seed
	sd	a2, 0(t0)
	call	main
	call	guest_power_off
3:	j	3b

/*
 * Any trap: a stack of its own (the faulting one may be the cause), then
 * the report (trap.c), which powers off. Traps are never returned from.
 */
	.text
	.balign	4
	.global	guest_trap_entry
guest_trap_entry:
	la	sp, __trap_stack_top
	call	guest_trap_report
4:	j	4b

/*
 * A trap the guest takes and returns from (guest_trap_handler, arch.h): the
 * caller-saved registers kept on the interrupted stack (the ABI has no red
 * zone), the handler called, then sret.
 */
	.balign	4
	.global	guest_trap_return_entry
guest_trap_return_entry:
	addi	sp, sp, -144
	sd	ra, 0(sp)
	sd	t0, 8(sp)
	sd	t1, 16(sp)
	sd	t2, 24(sp)
	sd	a0, 32(sp)
	sd	a1, 40(sp)
	sd	a2, 48(sp)
	sd	a3, 56(sp)
	sd	a4, 64(sp)
	sd	a5, 72(sp)
	sd	a6, 80(sp)
	sd	a7, 88(sp)
	sd	t3, 96(sp)
	sd	t4, 104(sp)
	sd	t5, 112(sp)
	sd	t6, 120(sp)
	ld	t0, guest_trap_handler
	jalr	t0
	ld	ra, 0(sp)
	ld	t0, 8(sp)
	ld	t1, 16(sp)
	ld	t2, 24(sp)
	ld	a0, 32(sp)
	ld	a1, 40(sp)
	ld	a2, 48(sp)
	ld	a3, 56(sp)
	ld	a4, 64(sp)
	ld	a5, 72(sp)
	ld	a6, 80(sp)
	ld	a7, 88(sp)
	ld	t3, 96(sp)
	ld	t4, 104(sp)
	ld	t5, 112(sp)
	ld	t6, 120(sp)
	addi	sp, sp, 144
	sret
