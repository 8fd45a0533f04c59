/*
 * FP/SSE register probes for the tests (thread_test.c), both widths:
 * load every SSE register, MXCSR and the x87 stack top from a struct
 * fp_probe, or store them into one.  Kernel C is integer-only
 * (-mgeneral-regs-only); these and fpu.c's saves are the only FP
 * instructions in the kernel.
 *
 * struct fp_probe { uint32_t xmm[16][4]; uint32_t mxcsr, pad; uint64_t x87; }
 * (i386 has xmm0-7 only; the rest of the array is left alone).
 */
#include <asm/asm.h>

#define PROBE_MXCSR	256
#define PROBE_X87	264

#ifdef __x86_64__
#define XMM_REGS	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
#else
#define XMM_REGS	0, 1, 2, 3, 4, 5, 6, 7
#endif

	.text
	.globl x86_fp_probe_load
	.type x86_fp_probe_load, @function
x86_fp_probe_load:
	mov	ARG1, PTR_AX
	.irp	n, XMM_REGS
	movups	\n * 16(PTR_AX), %xmm\n
	.endr
	ldmxcsr	PROBE_MXCSR(PTR_AX)
	fninit
	fldl	PROBE_X87(PTR_AX)
	ret
	.size x86_fp_probe_load, . - x86_fp_probe_load

	.globl x86_fp_probe_store
	.type x86_fp_probe_store, @function
x86_fp_probe_store:
	mov	ARG1, PTR_AX
	.irp	n, XMM_REGS
	movups	%xmm\n, \n * 16(PTR_AX)
	.endr
	stmxcsr	PROBE_MXCSR(PTR_AX)
	fstl	PROBE_X87(PTR_AX)		/* st0, left on the stack */
	ret
	.size x86_fp_probe_store, . - x86_fp_probe_store
