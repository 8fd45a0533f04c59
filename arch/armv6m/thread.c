/*
 * ARMv6-M threads: the first frame of a new thread (switch.S does the
 * switches).
 *
 * Threads run in Thread mode on the process stack; interrupt handlers,
 * PendSV included, run on the main stack, so a thread's stack only ever
 * holds its own frames plus one hardware frame and one saved frame.
 */
#include <string.h>
#include <arch/cpu.h>
#include <arch/thread.h>
#include <arch/trap.h>
#include <kernel/cpu.h>
#include <kernel/panic.h>
#include <kernel/thread.h>
#include "armv6m.h"

/* The offsets PendSV uses (switch.S, <asm/thread.h>). */
_Static_assert(__builtin_offsetof(struct cpu, current) == ARMV6M_CPU_CURRENT,
	       "PendSV reads current at the wrong offset of struct cpu");
_Static_assert(THREAD_OFFSET_PREEMPT == ARMV6M_THREAD_PREEMPT &&
	       sizeof(((struct thread_preempt *)0)->both) == 2,
	       "PendSV reads the wrong halfword as the preemption state");
_Static_assert(__builtin_offsetof(struct thread, arch) == ARMV6M_THREAD_ARCH,
	       "PendSV finds struct arch_thread at the wrong offset of struct thread");

/*
 * A thread that has never run looks like one that switched itself out: a
 * call frame returning into armv6m_thread_start (switch.S) with entry and
 * arg in r4 and r5, which calls thread_trampoline(entry, arg) with
 * interrupts masked as the HAL promises.
 */
void
arch_thread_init(struct arch_thread *t, void *stack_top, void (*entry)(void *arg), void *arg)
{
	uint32_t *top = (uint32_t *)((uintptr_t)stack_top & ~7u);
	uint32_t *f = top - ARMV6M_CALL_FRAME / 4;

	memset(f, 0, ARMV6M_CALL_FRAME);
	f[ARMV6M_CALL_R4 / 4] = (uint32_t)(uintptr_t)entry;
	f[ARMV6M_CALL_R4 / 4 + 1] = (uint32_t)(uintptr_t)arg;
	f[ARMV6M_CALL_LR / 4] = (uint32_t)(uintptr_t)armv6m_thread_start;
	t->sp = (uint32_t)(uintptr_t)f;
}

#ifdef CONFIG_DEBUG_KERNEL
void armv6m_pendsv_unasked(struct thread *from) __noreturn;

/*
 * PendSV found from not to be switched out (no better thread, or its
 * preemption count up), which sched_irq_exit() checked before it asked:
 * something else pended it, or changed from's state meanwhile.
 */
void
armv6m_pendsv_unasked(struct thread *from)
{
	panic("PendSV for thread " THREAD_FMT ", preemption state %#x: not asked for by an interrupt's exit",
	      THREAD_ARG(from), thread_preempt(from)->both);
}
#endif
