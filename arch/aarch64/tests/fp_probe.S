/*
 * FP/SIMD register patterns for the FP tests (fp_test.c):
 *   void aarch64_test_fp_fill(uint64_t seed)
 *	v<n> = { seed + n, ~(seed + n) }, FPCR.{RMode,FZ,DN} and the FPSR
 *	cumulative flags from seed's low bits;
 *   unsigned int aarch64_test_fp_check(uint64_t seed)
 *	how many of those 34 registers differ from the pattern.
 */
	.arch_extension fp
	.arch_extension simd

	.text
	.globl aarch64_test_fp_fill
	.type aarch64_test_fp_fill, %function
aarch64_test_fp_fill:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	add	x1, x0, #\n
	mvn	x2, x1
	fmov	d\n, x1
	mov	v\n\().d[1], x2
	.endr
	ubfiz	x1, x0, #22, #4
	msr	fpcr, x1
	and	x1, x0, #0x1f
	msr	fpsr, x1
	ret
	.size aarch64_test_fp_fill, . - aarch64_test_fp_fill

	.globl aarch64_test_fp_check
	.type aarch64_test_fp_check, %function
aarch64_test_fp_check:
	mov	x3, #0
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	add	x1, x0, #\n
	mvn	x2, x1
	fmov	x4, d\n
	mov	x5, v\n\().d[1]
	cmp	x4, x1
	ccmp	x5, x2, #0, eq
	cinc	x3, x3, ne
	.endr
	mrs	x4, fpcr
	and	x4, x4, #(0xf << 22)
	ubfiz	x1, x0, #22, #4
	cmp	x4, x1
	cinc	x3, x3, ne
	mrs	x4, fpsr
	and	x4, x4, #0x1f
	and	x1, x0, #0x1f
	cmp	x4, x1
	cinc	x3, x3, ne
	mov	w0, w3
	ret
	.size aarch64_test_fp_check, . - aarch64_test_fp_check
