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
