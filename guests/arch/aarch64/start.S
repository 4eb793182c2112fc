/* SPDX-License-Identifier: MIT */
/* Guest entry at EL1 (MMU off): stack, zeroed .bss, x1 kept, main, then power off. */
	.section .text.start, "ax"
	.global _start
_start:
	mov	x21, x1			/* x1 at entry: the hypervisor's seed= (guest_boot_x1) */
	ldr	x1, =__stack_top
	mov	sp, x1
	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:	ldr	x1, =guest_boot_x1
	str	x21, [x1]
	bl	main
	bl	guest_power_off
3:	b	3b
