/*
 * x86 thread set-up, both widths: the first switch frame, which "returns"
 * into the core's thread_trampoline().
 */
#include <arch/thread.h>

void
arch_thread_init(struct arch_thread *t, void *stack_top)
{
	uintptr_t *sp = (uintptr_t *)((uintptr_t)stack_top & ~(uintptr_t)15);

	/*
	 * thread_trampoline() is entered as if called from a 16-byte aligned
	 * stack (the SysV ABI of both widths): a null return address under
	 * it, which also ends a frame-pointer walk, as does the zero EBP/RBP.
	 */
	*--sp = 0;
	*--sp = (uintptr_t)thread_trampoline;
	for (int i = 0; i < X86_SWITCH_REGS; i++)
		*--sp = 0;
	t->sp = (uintptr_t)sp;
}
