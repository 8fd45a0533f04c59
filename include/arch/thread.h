/*
 * HAL contract, threads: the per-thread CPU context and the switch.
 *
 * The port's <asm/thread.h> defines struct arch_thread (what a switch
 * saves: callee-saved registers and the stack pointer, nothing the C
 * calling convention lets a callee clobber).  Kernel code is integer-only
 * (-mgeneral-regs-only or the like), so no FP/SIMD state is switched; user
 * FP state will be saved lazily when processes arrive (docs/sched.md).
 */
#ifndef ARCH_THREAD_H
#define ARCH_THREAD_H

#include <kernel/types.h>
#include <asm/thread.h>

/*
 * Set up a thread that has never run: the first switch to it calls
 * thread_trampoline() (core) with interrupts disabled and the stack pointer
 * at stack_top, which then runs the thread's entry function.
 */
void arch_thread_init(struct arch_thread *t, void *stack_top);

/*
 * Save the running context into prev and resume next.  Called with
 * interrupts disabled, from a thread or (on ports that allow it) from the
 * tail of an interrupt handler; returns when prev runs again, with
 * interrupts still disabled.  ARMv6-M performs the switch in PendSV: from
 * handler mode it only pends it, and the switch happens when the
 * interrupt returns.  Such a port defines ARCH_CONTEXT_SWITCH_DEFERRED
 * (uniprocessor only): the core then finishes a switch's bookkeeping
 * before calling this, instead of on the incoming thread's stack after.
 */
void arch_context_switch(struct arch_thread *prev, struct arch_thread *next);

/* Entered by the first switch to a new thread (defined in kernel/thread.c). */
__attribute__((noreturn)) void thread_trampoline(void);

#endif
