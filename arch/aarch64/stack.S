/*
 * Resume points and running on another stack (<arch/trap.h>).
 * struct arch_resume (<asm/trap.h>) holds x19-x28, x29, x30, sp, DAIF.
 */
	.text

/* int arch_resume_set(struct arch_resume *r): 0 now, 1 when resumed. */
	.globl arch_resume_set
	.type arch_resume_set, %function
arch_resume_set:
	stp	x19, x20, [x0, #16 * 0]
	stp	x21, x22, [x0, #16 * 1]
	stp	x23, x24, [x0, #16 * 2]
	stp	x25, x26, [x0, #16 * 3]
	stp	x27, x28, [x0, #16 * 4]
	stp	x29, x30, [x0, #16 * 5]
	mov	x1, sp
	mrs	x2, daif
	stp	x1, x2, [x0, #16 * 6]
	mov	x0, #0
	ret
	.size arch_resume_set, . - arch_resume_set

/*
 * long arch_call_on_stack(long (*fn)(void *), void *arg, void *stack_top)
 * The frame record stays on the caller's stack, so backtraces cross over.
 */
	.globl arch_call_on_stack
	.type arch_call_on_stack, %function
arch_call_on_stack:
	stp	x29, x30, [sp, #-32]!
	mov	x29, sp
	str	x19, [sp, #16]
	mov	x19, sp
	and	sp, x2, #~15
	mov	x3, x0
	mov	x0, x1
	blr	x3
	mov	sp, x19
	ldr	x19, [sp, #16]
	ldp	x29, x30, [sp], #32
	ret
	.size arch_call_on_stack, . - arch_call_on_stack
