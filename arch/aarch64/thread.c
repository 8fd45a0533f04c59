/*
 * AArch64 thread set-up: a switch frame that "returns" into
 * aarch64_thread_start (switch.S) with the entry and its argument in x19
 * and x20, no TLS, no FP state until arch_thread_fp_own().  With
 * processes, the top of every kernel stack is kept for the user register
 * frame (arch_user_regs_of()): the thread's own kernel code starts below.
 */
#include <string.h>
#include <arch/thread.h>
#include <arch/trap.h>

void aarch64_thread_start(void);	/* switch.S */

void
arch_thread_init(struct arch_thread *t, void *stack_top, void (*entry)(void *arg), void *arg)
{
	uintptr_t top = (uintptr_t)stack_top & ~15UL;
	uint64_t *frame;

#ifdef CONFIG_PROCESSES
	top -= sizeof(struct arch_regs);
#endif
	frame = (uint64_t *)top - ARCH_SWITCH_FRAME / 8;

	memset(frame, 0, ARCH_SWITCH_FRAME);
	frame[0] = (uint64_t)(uintptr_t)entry;			/* x19 */
	frame[1] = (uint64_t)(uintptr_t)arg;			/* x20 */
	frame[11] = (uint64_t)(uintptr_t)aarch64_thread_start;	/* x30: where ret goes */
	t->sp = (uint64_t)(uintptr_t)frame;
	t->tls = 0;
	t->entry_stack = (uint64_t)(uintptr_t)stack_top;
	t->fp_owned = 0;
}
