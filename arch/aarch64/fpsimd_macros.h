/*
 * Saving and loading the FP/SIMD registers (assembly only): the switch
 * (switch.S) and the C-callable helpers (fpsimd.S) share these.  The
 * kernel is built -mgeneral-regs-only; these files say they use FP/SIMD.
 */
#ifndef AARCH64_FPSIMD_MACROS_H
#define AARCH64_FPSIMD_MACROS_H

#include <asm/thread.h>

	.arch_extension fp
	.arch_extension simd

/* Store v0-v31, FPSR, FPCR at [base] (struct arch_fpsimd); clobbers x<tmp>. */
.macro fpsimd_save base, tmp
	stp	q0, q1, [\base, #32 * 0]
	stp	q2, q3, [\base, #32 * 1]
	stp	q4, q5, [\base, #32 * 2]
	stp	q6, q7, [\base, #32 * 3]
	stp	q8, q9, [\base, #32 * 4]
	stp	q10, q11, [\base, #32 * 5]
	stp	q12, q13, [\base, #32 * 6]
	stp	q14, q15, [\base, #32 * 7]
	stp	q16, q17, [\base, #32 * 8]
	stp	q18, q19, [\base, #32 * 9]
	stp	q20, q21, [\base, #32 * 10]
	stp	q22, q23, [\base, #32 * 11]
	stp	q24, q25, [\base, #32 * 12]
	stp	q26, q27, [\base, #32 * 13]
	stp	q28, q29, [\base, #32 * 14]
	stp	q30, q31, [\base, #32 * 15]
	mrs	x\tmp, fpsr
	str	w\tmp, [\base, #FPSIMD_FPSR]
	mrs	x\tmp, fpcr
	str	w\tmp, [\base, #FPSIMD_FPCR]
.endm

/* Load them back from [base]; clobbers x<tmp>. */
.macro fpsimd_load base, tmp
	ldp	q0, q1, [\base, #32 * 0]
	ldp	q2, q3, [\base, #32 * 1]
	ldp	q4, q5, [\base, #32 * 2]
	ldp	q6, q7, [\base, #32 * 3]
	ldp	q8, q9, [\base, #32 * 4]
	ldp	q10, q11, [\base, #32 * 5]
	ldp	q12, q13, [\base, #32 * 6]
	ldp	q14, q15, [\base, #32 * 7]
	ldp	q16, q17, [\base, #32 * 8]
	ldp	q18, q19, [\base, #32 * 9]
	ldp	q20, q21, [\base, #32 * 10]
	ldp	q22, q23, [\base, #32 * 11]
	ldp	q24, q25, [\base, #32 * 12]
	ldp	q26, q27, [\base, #32 * 13]
	ldp	q28, q29, [\base, #32 * 14]
	ldp	q30, q31, [\base, #32 * 15]
	ldr	w\tmp, [\base, #FPSIMD_FPSR]
	msr	fpsr, x\tmp
	ldr	w\tmp, [\base, #FPSIMD_FPCR]
	msr	fpcr, x\tmp
.endm

#endif
