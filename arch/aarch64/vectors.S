/*
 * AArch64 exception vectors (VBAR_EL1).  Every entry saves a struct
 * arch_regs on the current stack and calls C: interrupts go to
 * irq_handle(), synchronous exceptions to aarch64_sync(), anything that
 * should never happen to aarch64_bad_vector().
 */
#define FRAME	(34 * 8)

.macro save_frame
	sub	sp, sp, #FRAME
	stp	x0, x1, [sp, #16 * 0]
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	add	x21, sp, #FRAME
	stp	x30, x21, [sp, #16 * 15]
	mrs	x22, elr_el1
	mrs	x23, spsr_el1
	stp	x22, x23, [sp, #16 * 16]
.endm

.macro restore_frame
	ldp	x22, x23, [sp, #16 * 16]
	msr	elr_el1, x22
	msr	spsr_el1, x23
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	ldr	x30, [sp, #16 * 15]
	add	sp, sp, #FRAME
	eret
.endm

.macro vector handler
	.balign	0x80
	b	\handler
.endm

.macro bad index
bad_\index:
	save_frame
	mov	x0, sp
	mov	x1, #\index
	bl	aarch64_bad_vector
	restore_frame
.endm

	.text
	.balign	0x800
	.globl exception_vectors
exception_vectors:
	vector	bad_0		/* current EL, SP0: sync */
	vector	bad_1		/* irq */
	vector	bad_2		/* fiq */
	vector	bad_3		/* serror */
	vector	el1_sync	/* current EL, SPx: sync */
	vector	el1_irq		/* irq */
	vector	bad_6		/* fiq */
	vector	bad_7		/* serror */
	vector	bad_8		/* lower EL, AArch64 */
	vector	bad_9
	vector	bad_10
	vector	bad_11
	vector	bad_12		/* lower EL, AArch32 */
	vector	bad_13
	vector	bad_14
	vector	bad_15

el1_sync:
	save_frame
	mov	x0, sp
	bl	aarch64_sync
	restore_frame

el1_irq:
	save_frame
	mov	x0, sp
	bl	irq_handle
	restore_frame

	bad	0
	bad	1
	bad	2
	bad	3
	bad	6
	bad	7
	bad	8
	bad	9
	bad	10
	bad	11
	bad	12
	bad	13
	bad	14
	bad	15

/* void arch_trigger_undefined(void): one UDF with an exception-table entry. */
	.globl arch_trigger_undefined
	.type arch_trigger_undefined, %function
arch_trigger_undefined:
1:	udf	#0
2:	ret
	.pushsection __extable, "a"
	.balign 8
	.quad	1b, 2b
	.popsection
