/*
 * void arch_context_switch(struct arch_thread *prev, struct arch_thread *next)
 *
 * Saves the callee-saved registers and the stack pointer of the caller
 * into prev, loads next's and returns into next (into its own call of
 * this function, or into thread_trampoline the first time).  The TLS
 * register goes with every thread; the FP/SIMD registers only with
 * threads that own FP state (eager: <arch/thread.h>), so a switch between
 * kernel threads costs two tests more than one without FP at all.
 */
#include <asm/thread.h>
#include "fpsimd_macros.h"

	.text
	.globl arch_context_switch
	.type arch_context_switch, %function
arch_context_switch:
	sub	sp, sp, #ARCH_SWITCH_FRAME
	stp	x19, x20, [sp, #16 * 0]
	stp	x21, x22, [sp, #16 * 1]
	stp	x23, x24, [sp, #16 * 2]
	stp	x25, x26, [sp, #16 * 3]
	stp	x27, x28, [sp, #16 * 4]
	stp	x29, x30, [sp, #16 * 5]
	mov	x9, sp
	str	x9, [x0, #THREAD_SP]
	mrs	x10, tpidr_el0
	str	x10, [x0, #THREAD_TLS]
	ldr	w11, [x0, #THREAD_FP_OWNED]
	cbz	w11, 1f
	add	x12, x0, #THREAD_FPSIMD
	fpsimd_save x12, 13
1:	ldr	w11, [x1, #THREAD_FP_OWNED]
	cbz	w11, 2f
	add	x12, x1, #THREAD_FPSIMD
	fpsimd_load x12, 13
2:	ldr	x10, [x1, #THREAD_TLS]
	msr	tpidr_el0, x10
	ldr	x9, [x1, #THREAD_SP]
	mov	sp, x9
	ldp	x19, x20, [sp, #16 * 0]
	ldp	x21, x22, [sp, #16 * 1]
	ldp	x23, x24, [sp, #16 * 2]
	ldp	x25, x26, [sp, #16 * 3]
	ldp	x27, x28, [sp, #16 * 4]
	ldp	x29, x30, [sp, #16 * 5]
	add	sp, sp, #ARCH_SWITCH_FRAME
	ret
	.size arch_context_switch, . - arch_context_switch
