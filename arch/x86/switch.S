/*
 * void arch_context_switch(struct arch_thread *prev, struct arch_thread *next)
 *
 * Pushes the caller's callee-saved registers, saves the stack pointer in
 * prev, loads next's and pops its registers: the RET then returns into
 * next's own call of this function, or, the first time, into
 * thread_trampoline (i386) or x86_thread_start (x86-64), as thread.c
 * built that frame.  Assembled for both widths (asm/asm.h); interrupts
 * stay masked throughout, as the caller left them, so the flags need no
 * saving.
 *
 * Between two kernel threads that is all.  When either owns FP state the
 * switch goes through x86_switch_fp() (thread.c), with the arguments as
 * they came, which does the rest and comes back to x86_switch_stacks.
 */
#include <asm/asm.h>
#include <asm/thread.h>

	.text
	.globl arch_context_switch
	.type arch_context_switch, @function
arch_context_switch:
	mov	ARG1, PTR_AX			/* before the pushes move ESP */
	mov	ARG2, PTR_DX
	cmpb	$0, THREAD_FP_OWNED(PTR_AX)
	jne	x86_switch_fp
	cmpb	$0, THREAD_FP_OWNED(PTR_DX)
	jne	x86_switch_fp
swap:
	.irp	reg, CALLEE_SAVED
	push	\reg
	.endr
	mov	PTR_SP, THREAD_SP(PTR_AX)
	mov	THREAD_SP(PTR_DX), PTR_SP
	.irp	reg, CALLEE_SAVED_REVERSED
	pop	\reg
	.endr
	ret

	/* x86_switch_stacks(prev, next): the same swap, from x86_switch_fp(). */
	.globl x86_switch_stacks
x86_switch_stacks:
	mov	ARG1, PTR_AX
	mov	ARG2, PTR_DX
	jmp	swap
	.size arch_context_switch, . - arch_context_switch

#ifdef __x86_64__
	/*
	 * A new thread's first instructions (thread.c's first frame):
	 * thread_trampoline(entry, arg) from RBX and R12; it never returns.
	 */
	.globl x86_thread_start
	.type x86_thread_start, @function
x86_thread_start:
	mov	%rbx, %rdi
	mov	%r12, %rsi
	jmp	thread_trampoline
	.size x86_thread_start, . - x86_thread_start
#endif
