/* SPDX-License-Identifier: MIT */
/*
 * Entry at EL2. QEMU (-kernel with an ELF, no firmware) starts only the
 * first CPU, here, with the MMU off; the others start powered off and come
 * up later through PSCI CPU_ON at hv_secondary_entry. QEMU 7.2 passes
 * x0 = 0 for an ELF image; hv_main finds the DTB either way.
 */
#include "arch/aarch64/cpu.h"
#include "arch/aarch64/sysreg.h"

	.section .text.boot, "ax"
	.global _start
_start:
	mov	x19, x0				/* a DTB address, if the loader gave one */
	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)			/* CurrentEL.EL, bits [3:2] */
	b.ne	halt				/* not at EL2: nothing can be virtualised */

	/* Zero .bss before any C code runs (16-byte aligned and sized, hv.ld). */
	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:
	mov	x0, #0
	bl	el2_setup
	mov	x0, x19
	bl	hv_main				/* does not return */
	b	halt

/* PSCI CPU_ON entry: EL2, MMU off, x0 = context id = this CPU's index. */
	.global hv_secondary_entry
hv_secondary_entry:
	mov	x19, x0
	cmp	x0, #HV_MAX_CPUS
	b.hs	halt
	bl	el2_setup
	mov	x0, x19
	bl	hv_secondary_main		/* does not return */
	b	halt

/*
 * x0 = CPU index: mask exceptions, set SCTLR_EL2 to a known value (MMU and
 * data cache off, SP alignment checked), take this CPU's stack, install the
 * vectors. Clobbers x0-x2.
 */
el2_setup:
	msr	daifset, #0xf
	ldr	x1, =(SCTLR_EL2_RES1 | SCTLR_EL2_I | SCTLR_EL2_SA)
	msr	sctlr_el2, x1
	ldr	x1, =hv_stacks
	add	x0, x0, #1
	mov	x2, #HV_STACK_SIZE
	madd	x1, x0, x2, x1			/* stacks grow down from the top of their slot */
	mov	sp, x1
	ldr	x1, =el2_vectors
	msr	vbar_el2, x1
	isb
	ret

halt:
	wfe
	b	halt

	.section .stacks, "aw", %nobits
	.balign 16
hv_stacks:
	.space	HV_MAX_CPUS * HV_STACK_SIZE
