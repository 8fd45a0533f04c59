/*
 * void arch_context_switch(struct arch_thread *prev, struct arch_thread *next)
 *
 * Saves the callee-saved registers and the stack pointer of the caller
 * into prev, loads next's and returns into next (into its own call of
 * this function, or into aarch64_thread_start the first time).  Threads
 * that own FP state (eager: <arch/thread.h>; every user thread will) also
 * have their EL0 state switched: the FP/SIMD registers and the TLS
 * register.  Kernel threads have none (EL0 never runs while they do, and
 * kernel code uses neither), so a switch between them costs two loads and
 * two branches more than one without FP at all.
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
	ldr	w11, [x0, #THREAD_FP_OWNED]
	cbz	w11, 1f
	mrs	x10, tpidr_el0
	str	x10, [x0, #THREAD_TLS]
	add	x12, x0, #THREAD_FPSIMD
	fpsimd_save x12, 13
1:	ldr	w11, [x1, #THREAD_FP_OWNED]
	cbz	w11, 2f
	ldr	x10, [x1, #THREAD_TLS]
	msr	tpidr_el0, x10
	add	x12, x1, #THREAD_FPSIMD
	fpsimd_load x12, 13
2:	ldr	x9, [x1, #THREAD_SP]
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

	/*
	 * A new thread's first instructions (thread.c's first frame):
	 * thread_trampoline(entry, arg) from x19 and x20; it never returns.
	 */
	.globl aarch64_thread_start
	.type aarch64_thread_start, %function
aarch64_thread_start:
	mov	x0, x19
	mov	x1, x20
	b	thread_trampoline
	.size aarch64_thread_start, . - aarch64_thread_start
