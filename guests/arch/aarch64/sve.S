/* SPDX-License-Identifier: MIT */
/*
 * SVE and SME register file to and from memory, for the guests that check
 * the hypervisor switches them (sve.c, sme.c). At the current vector
 * length (the streaming one in Streaming SVE mode). Layout: Z0..Z31 (VL
 * bytes each), P0..P15 (VL / 8 bytes each), then FFR (VL / 8 bytes) if
 * w1 != 0. FFR goes through P0, which is loaded after it (load) or
 * reloaded after it (store), so P0 keeps its own value. The ZA storage:
 * SVL vectors of SVL bytes.
 */
	.arch_extension sve
	.arch_extension sme
	.text

/* x3 = x0 + 32 * VL: where the predicates start. */
.macro	preds_base
	rdvl	x3, #1
	add	x3, x0, x3, lsl #5
.endm

/* void sve_load(const uint8_t *buf, int ffr) */
	.global sve_load
sve_load:
	preds_base
	cbz	w1, 1f
	ldr	p0, [x3, #16, mul vl]
	wrffr	p0.b
1:	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	ldr	p\n, [x3, #\n, mul vl]
	.endr
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ldr	z\n, [x0, #\n, mul vl]
	.endr
	ret

/* void sve_store(uint8_t *buf, int ffr) */
	.global sve_store
sve_store:
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	str	z\n, [x0, #\n, mul vl]
	.endr
	preds_base
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	str	p\n, [x3, #\n, mul vl]
	.endr
	cbz	w1, 1f
	rdffr	p0.b
	str	p0, [x3, #16, mul vl]
	ldr	p0, [x3, #0, mul vl]
1:	ret

/* void za_load(const uint8_t *buf), void za_store(uint8_t *buf): PSTATE.ZA = 1. */
	.global za_load
za_load:
	rdsvl	x1, #1
	mov	w12, #0
1:	ldr	za[w12, 0], [x0]
	add	x0, x0, x1
	add	w12, w12, #1
	cmp	x12, x1
	b.ne	1b
	ret

	.global za_store
za_store:
	rdsvl	x1, #1
	mov	w12, #0
1:	str	za[w12, 0], [x0]
	add	x0, x0, x1
	add	w12, w12, #1
	cmp	x12, x1
	b.ne	1b
	ret
