/* SPDX-License-Identifier: MIT */
/*
 * FP/SIMD register file save/restore for vCPU switches. The hypervisor is
 * built with -mgeneral-regs-only and never touches these registers itself,
 * so they hold the loaded vCPU's values from vcpu_load to vcpu_put.
 * Layout: struct vcpu_fpsimd (q0..q31, then FPSR and FPCR).
 */
	.text

/* void fpsimd_save(struct vcpu_fpsimd *fp) */
	.global fpsimd_save
fpsimd_save:
	stp	q0, q1, [x0, #0]
	stp	q2, q3, [x0, #32]
	stp	q4, q5, [x0, #64]
	stp	q6, q7, [x0, #96]
	stp	q8, q9, [x0, #128]
	stp	q10, q11, [x0, #160]
	stp	q12, q13, [x0, #192]
	stp	q14, q15, [x0, #224]
	stp	q16, q17, [x0, #256]
	stp	q18, q19, [x0, #288]
	stp	q20, q21, [x0, #320]
	stp	q22, q23, [x0, #352]
	stp	q24, q25, [x0, #384]
	stp	q26, q27, [x0, #416]
	stp	q28, q29, [x0, #448]
	stp	q30, q31, [x0, #480]
	mrs	x1, fpsr
	mrs	x2, fpcr
	add	x0, x0, #512			/* beyond the reach of an stp offset */
	stp	x1, x2, [x0]
	ret

/* void fpsimd_restore(const struct vcpu_fpsimd *fp) */
	.global fpsimd_restore
fpsimd_restore:
	add	x1, x0, #512
	ldp	x2, x3, [x1]
	msr	fpsr, x2
	msr	fpcr, x3
	ldp	q0, q1, [x0, #0]
	ldp	q2, q3, [x0, #32]
	ldp	q4, q5, [x0, #64]
	ldp	q6, q7, [x0, #96]
	ldp	q8, q9, [x0, #128]
	ldp	q10, q11, [x0, #160]
	ldp	q12, q13, [x0, #192]
	ldp	q14, q15, [x0, #224]
	ldp	q16, q17, [x0, #256]
	ldp	q18, q19, [x0, #288]
	ldp	q20, q21, [x0, #320]
	ldp	q22, q23, [x0, #352]
	ldp	q24, q25, [x0, #384]
	ldp	q26, q27, [x0, #416]
	ldp	q28, q29, [x0, #448]
	ldp	q30, q31, [x0, #480]
	ret

/*
 * SVE (FEAT_SVE) in place of the above where the CPU has it: the V
 * registers are the low 128 bits of the Z registers, so saving Z0-Z31,
 * P0-P15 and FFR at the full vector length covers them. The vector length
 * here, at EL2, is the one ZCR_EL2 allows (set once by cpu.c to the
 * largest the CPU supports), whatever a guest wrote to ZCR_EL1 for itself;
 * CPTR_EL2.TZ = 0 lets EL2 run these. In Streaming SVE mode (a guest's
 * PSTATE.SM, which EL2 keeps until vcpu_put leaves it) the same
 * instructions work at the streaming vector length (SMCR_EL2), and FFR
 * exists only with FEAT_SME_FA64 (SMCR_EL2.FA64 then set): x2 says
 * whether to switch it.
 * Layout of the buffer (vcpu_sve_size): Z0..Z31 (VL bytes each), P0..P15
 * (VL / 8 bytes each), FFR (VL / 8 bytes). FPSR, FPCR go to x1[0], x1[1].
 */
	.arch_extension sve
	.arch_extension sme

/* uint64_t sve_vector_bytes(void): the vector length at this EL (RDVL). */
	.global sve_vector_bytes
sve_vector_bytes:
	rdvl	x0, #1
	ret

/* uint64_t sme_vector_bytes(void): the streaming vector length at this EL (RDSVL). */
	.global sme_vector_bytes
sme_vector_bytes:
	rdsvl	x0, #1
	ret

/* x3 = x0 + 32 * VL: where the predicates start (ADDVL reaches only 31). */
.macro	preds_base
	rdvl	x3, #1
	add	x3, x0, x3, lsl #5
.endm

/* void sve_save(void *regs, uint64_t *fpsr_fpcr, int ffr): int, so w2 is all defined */
	.global sve_save
sve_save:
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	str	z\n, [x0, #\n, mul vl]
	.endr
	preds_base
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	str	p\n, [x3, #\n, mul vl]
	.endr
	cbz	w2, 1f
	rdffr	p0.b				/* P0 is saved: it may carry FFR out */
	str	p0, [x3, #16, mul vl]
1:	mrs	x4, fpsr
	mrs	x5, fpcr
	stp	x4, x5, [x1]
	ret

/* void sve_restore(const void *regs, const uint64_t *fpsr_fpcr, int ffr) */
	.global sve_restore
sve_restore:
	ldp	x4, x5, [x1]
	msr	fpsr, x4
	msr	fpcr, x5
	preds_base
	cbz	w2, 1f
	ldr	p0, [x3, #16, mul vl]		/* FFR first, through P0 */
	wrffr	p0.b
1:	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	ldr	p\n, [x3, #\n, mul vl]
	.endr
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ldr	z\n, [x0, #\n, mul vl]
	.endr
	ret

/*
 * SME's ZA storage, with PSTATE.ZA = 1: SVL vectors of SVL bytes (SVL the
 * streaming vector length at EL2, SMCR_EL2), one after the other.
 * void za_save(void *za), void za_restore(const void *za)
 */
	.global za_save
za_save:
	rdsvl	x1, #1
	mov	w12, #0
1:	str	za[w12, 0], [x0]
	add	x0, x0, x1
	add	w12, w12, #1
	cmp	x12, x1
	b.ne	1b
	ret

	.global za_restore
za_restore:
	rdsvl	x1, #1
	mov	w12, #0
1:	ldr	za[w12, 0], [x0]
	add	x0, x0, x1
	add	w12, w12, #1
	cmp	x12, x1
	b.ne	1b
	ret
