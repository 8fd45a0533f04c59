/*
 * The host "port" half of <arch/thread.h>: a kernel thread's context is a
 * ucontext on the stack the kernel allocated for it (host_thread.c).
 */
#ifndef ASM_THREAD_H
#define ASM_THREAD_H

#include <stddef.h>
#include <ucontext.h>

struct arch_thread {
	ucontext_t uc;
	/* The stack, for ASan's switch annotations (the boot thread's is learnt). */
	const void *stack_bottom;
	size_t stack_size;
	void *fake_stack;		/* ASan's state for it while switched out */
	void (*entry)(void *arg);	/* for thread_trampoline(), as a port's first frame */
	void *arg;
};

/* The host's FP registers are the test process's own: nothing to keep. */
static inline void arch_fp_kernel_begin(void) { }
static inline void arch_fp_kernel_end(void) { }

#endif
