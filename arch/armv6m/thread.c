/*
 * ARMv6-M threads: the first frame of a new thread, and the request side
 * of the PendSV context switch (switch.S does the switch itself).
 *
 * Threads run in Thread mode on the process stack; interrupt handlers,
 * PendSV included, run on the main stack, so a thread's stack only ever
 * holds its own frames plus one hardware frame and one switch frame.
 */
#include <string.h>
#include <arch/cpu.h>
#include <arch/thread.h>
#include <arch/trap.h>
#include <kernel/mmio.h>
#include "armv6m.h"

#define ICSR_PENDSVSET	(1u << 28)

struct armv6m_switch armv6m_switch;

/*
 * A thread that has never run looks like one that switched itself out:
 * a hardware frame that "returns" to thread_trampoline() and a switch
 * frame that resumes it with interrupts masked, as the HAL promises.
 */
void
arch_thread_init(struct arch_thread *t, void *stack_top)
{
	uint32_t *top = (uint32_t *)((uintptr_t)stack_top & ~7u);
	struct armv6m_hw_frame *hw = (struct armv6m_hw_frame *)top - 1;
	uint32_t *sw = (uint32_t *)hw - ARMV6M_SWITCH_FRAME / 4;

	memset(sw, 0, (size_t)((char *)top - (char *)sw));
	hw->pc = (uint32_t)(uintptr_t)thread_trampoline & ~1u;
	hw->xpsr = XPSR_T;		/* 8-aligned: no padding word */
	sw[ARMV6M_SWITCH_MASKED / 4] = 1;
	t->sp = (uint32_t)(uintptr_t)sw;
}

/*
 * Interrupts are masked (HAL).  In Handler mode (the scheduler called
 * from irq_handle()) only pend PendSV: it runs when the last handler
 * returns, before Thread mode executes another instruction.  In Thread
 * mode pend it and open PRIMASK: PendSV is taken at once, and this thread
 * comes back from it, masked again, when it is next switched to.
 */
void
arch_context_switch(struct arch_thread *prev, struct arch_thread *next)
{
	bool handler = XPSR_EXCEPTION(read_special(ipsr)) != 0;

	if (!armv6m_switch.from) {
		armv6m_switch.from = prev;
		armv6m_switch.masked = !handler;
	}
	armv6m_switch.to = next;
	mmio_write32(SCB_ICSR, ICSR_PENDSVSET);
	if (handler)
		return;
	__asm__ __volatile__("dsb; cpsie i; isb" ::: "memory");
	/* prev runs again here, PRIMASK set by PendSV. */
}
