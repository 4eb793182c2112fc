/* SPDX-License-Identifier: MIT */
/*
 * The EL2 exception vectors (VBAR_EL2: 2 KiB aligned, 16 entries of 0x80
 * bytes; Arm ARM D1.3 "Exception vectors") and the guest world switch.
 *
 * A guest runs inside guest_enter: the call saves the hypervisor's
 * callee-saved registers on the EL2 stack, loads the vCPU's registers and
 * erets. An exception from the guest (the "lower EL, AArch64" vectors) saves
 * all guest registers back into the same struct vcpu_regs and returns from
 * guest_enter with the vector's kind, so the run loop is plain C. SP_EL2 is
 * untouched by the guest, so the hypervisor's frame is where it was left.
 *
 * Exceptions taken from EL2 itself are hypervisor bugs: their handler saves
 * the full register frame for the report and never returns.
 */
#include "arch/aarch64/vcpu.h"

/* guest_enter's frame on the EL2 stack: x19-x30, then the vcpu_regs pointer. */
#define HOST_FRAME_SIZE 112
#define HOST_FRAME_REGS 96

/* The frame of a fatal EL2 exception: struct el2_frame in exception.c. */
#define EL2_FRAME_SIZE 272

.macro fatal_vector kind
	.balign 0x80
	sub	sp, sp, #EL2_FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x1, #\kind
	b	el2_fatal
.endm

.macro guest_vector kind
	.balign 0x80
	stp	x0, x1, [sp, #-16]!
	mov	x1, #\kind
	b	guest_exit
.endm

	.section .text.vectors, "ax"
	.balign 0x800
	.global el2_vectors
el2_vectors:
	/* Current EL with SP_EL0: EL2 always runs on SP_EL2, so never taken. */
	fatal_vector GUEST_EXIT_SYNC
	fatal_vector GUEST_EXIT_IRQ
	fatal_vector GUEST_EXIT_FIQ
	fatal_vector GUEST_EXIT_SERROR
	/* Current EL with SP_EL2: the hypervisor's own faults. */
	fatal_vector GUEST_EXIT_SYNC
	fatal_vector GUEST_EXIT_IRQ
	fatal_vector GUEST_EXIT_FIQ
	fatal_vector GUEST_EXIT_SERROR
	/* Lower EL using AArch64: the guest (EL1, or EL0 of either width, since HCR_EL2.RW = 1). */
	guest_vector GUEST_EXIT_SYNC
	guest_vector GUEST_EXIT_IRQ
	guest_vector GUEST_EXIT_FIQ
	guest_vector GUEST_EXIT_SERROR
	/* Lower EL using AArch32: unreachable while EL1 is AArch64 (HCR_EL2.RW = 1). */
	fatal_vector GUEST_EXIT_SYNC
	fatal_vector GUEST_EXIT_IRQ
	fatal_vector GUEST_EXIT_FIQ
	fatal_vector GUEST_EXIT_SERROR

/* uint64_t guest_enter(struct vcpu_regs *regs) */
	.text
	.global guest_enter
guest_enter:
	sub	sp, sp, #HOST_FRAME_SIZE
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	str	x0, [sp, #HOST_FRAME_REGS]

	ldp	x1, x2, [x0, #VCPU_REGS_PC]
	msr	elr_el2, x1
	msr	spsr_el2, x2
	ldp	x2, x3, [x0, #16]
	ldp	x4, x5, [x0, #32]
	ldp	x6, x7, [x0, #48]
	ldp	x8, x9, [x0, #64]
	ldp	x10, x11, [x0, #80]
	ldp	x12, x13, [x0, #96]
	ldp	x14, x15, [x0, #112]
	ldp	x16, x17, [x0, #128]
	ldp	x18, x19, [x0, #144]
	ldp	x20, x21, [x0, #160]
	ldp	x22, x23, [x0, #176]
	ldp	x24, x25, [x0, #192]
	ldp	x26, x27, [x0, #208]
	ldp	x28, x29, [x0, #224]
	ldr	x30, [x0, #240]
	ldp	x0, x1, [x0, #VCPU_REGS_X0]
	eret
	/* No straight-line speculation past the eret (Armv8.0 has no SB instruction). */
	dsb	nsh
	isb

/* Entered from guest_vector: the guest's x0/x1 are on the stack, x1 = the kind. */
guest_exit:
	ldr	x0, [sp, #16 + HOST_FRAME_REGS]
	stp	x2, x3, [x0, #16]
	stp	x4, x5, [x0, #32]
	stp	x6, x7, [x0, #48]
	stp	x8, x9, [x0, #64]
	stp	x10, x11, [x0, #80]
	stp	x12, x13, [x0, #96]
	stp	x14, x15, [x0, #112]
	stp	x16, x17, [x0, #128]
	stp	x18, x19, [x0, #144]
	stp	x20, x21, [x0, #160]
	stp	x22, x23, [x0, #176]
	stp	x24, x25, [x0, #192]
	stp	x26, x27, [x0, #208]
	stp	x28, x29, [x0, #224]
	str	x30, [x0, #240]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0, #VCPU_REGS_X0]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x0, #VCPU_REGS_PC]

	mov	x0, x1
	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	add	sp, sp, #HOST_FRAME_SIZE
	ret

/* Entered from fatal_vector: x0/x1 saved at the frame's start, x1 = the kind. */
el2_fatal:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	add	x2, sp, #EL2_FRAME_SIZE		/* the SP the fault interrupted */
	stp	x30, x2, [sp, #240]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [sp, #256]
	mov	x0, sp
	bl	el2_exception			/* does not return */
