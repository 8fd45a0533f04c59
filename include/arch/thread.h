/*
 * HAL contract, threads: the per-thread CPU context and the switch.
 *
 * The port's <asm/thread.h> defines struct arch_thread: what a switch
 * saves (callee-saved registers and the stack pointer, nothing the C
 * calling convention lets a callee clobber) and, on the MMU ports, room
 * for what processes will need: the FP/SIMD save area, the thread's TLS
 * base (TPIDR_EL0, the FS base, i386's TLS descriptor) and the kernel
 * stack top the CPU loads on entry from user mode (TSS esp0/rsp0).
 *
 * FP/SIMD is saved eagerly: kernel code is integer-only, and a thread
 * that owns FP state (arch_thread_fp_own(): user threads, tests) has its
 * registers saved and restored at every switch.  Never lazily: a
 * trap-on-first-use scheme leaves one thread's registers readable by
 * another until the trap.  Kernel code that must use FP/SIMD (AArch64:
 * Debian's libfdt uses SIMD stores) brackets it with
 * arch_fp_kernel_begin()/arch_fp_kernel_end(), which keep the current
 * thread's FP state intact around it.  MMU ports implement:
 *
 *   void arch_thread_fp_own(struct arch_thread *t)
 *	t owns FP state from now on (reset values), saved at every switch.
 *	Before t first runs, or by t itself.
 *   void arch_fp_kernel_begin(void), arch_fp_kernel_end(void)
 *	Thread context, not nested; preemption is off in between.
 */
#ifndef ARCH_THREAD_H
#define ARCH_THREAD_H

#include <kernel/types.h>
#include <asm/thread.h>

/*
 * Set up a thread that has never run: the first switch to it calls
 * thread_trampoline(entry, arg) (core) with interrupts disabled and the
 * stack pointer at stack_top.  The first frame carries entry and arg, so
 * struct thread need not: in callee-saved registers, from which a short
 * stub of the port's moves them into the argument registers (as Linux's
 * ret_from_fork does), or wherever the port's calling convention wants them.
 */
void arch_thread_init(struct arch_thread *t, void *stack_top, void (*entry)(void *arg),
		      void *arg);

/*
 * Save the running context into prev and resume next.  Called with
 * interrupts disabled, from a thread or (on ports that allow it) from the
 * tail of an interrupt handler; returns when prev runs again, with
 * interrupts still disabled.
 *
 * A port may instead leave the switches interrupts ask for to an
 * exception of its own that runs last, on the way back to the thread
 * (ARMv6-M's PendSV).  It defines ARCH_CONTEXT_SWITCH_DEFERRED (one CPU
 * only) and arch_preempt_request(), which the core calls at the end of
 * an interrupt that made a better thread ready.  That exception checks
 * that the current thread may be switched out (its struct thread_preempt,
 * <kernel/cpu.h>: need_resched(), count 0), calls
 * sched_preempt_deferred(current) (<kernel/thread.h>) for the books and
 * switches to the thread it returns (the port finds each one's struct
 * arch_thread at a fixed offset it checks at build time).  arch_context_switch() is then only called
 * from threads, and the core finishes a switch's bookkeeping before it
 * instead of on the incoming thread's stack after.
 */
void arch_context_switch(struct arch_thread *prev, struct arch_thread *next);

/*
 * A port without an MMU may guard stacks itself: it defines
 * ARCH_STACK_GUARD, the bytes the core allocates below each thread's
 * stack, and the core calls this after arch_thread_init() with that area,
 * [lo, hi), hi being the stack's bottom.
 */
#ifndef ARCH_STACK_GUARD
#define ARCH_STACK_GUARD	0
#else
void arch_thread_stack_guard(struct arch_thread *t, uintptr_t lo, uintptr_t hi);
#endif

/* Entered by the first switch to a new thread (defined in kernel/thread.c). */
__attribute__((noreturn)) void thread_trampoline(void (*entry)(void *arg), void *arg);

#endif
