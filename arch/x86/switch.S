/*
 * void arch_context_switch(struct arch_thread *prev, struct arch_thread *next)
 *
 * Pushes the caller's callee-saved registers, saves the stack pointer in
 * prev, loads next's and pops its registers: the RET then returns into
 * next's own call of this function, or into thread_trampoline the first
 * time (thread.c builds that frame).  Assembled for both widths
 * (asm/asm.h); interrupts stay masked throughout, as the caller left
 * them, so the flags need no saving.  struct arch_thread's sp is its
 * first member.
 */
#include <asm/asm.h>

	.text
	.globl arch_context_switch
	.type arch_context_switch, @function
arch_context_switch:
	mov	ARG1, PTR_AX			/* before the pushes move ESP */
	mov	ARG2, PTR_DX
	.irp	reg, CALLEE_SAVED
	push	\reg
	.endr
	mov	PTR_SP, (PTR_AX)
	mov	(PTR_DX), PTR_SP
	.irp	reg, CALLEE_SAVED_REVERSED
	pop	\reg
	.endr
	ret
	.size arch_context_switch, . - arch_context_switch
