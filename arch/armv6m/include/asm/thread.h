/*
 * ARMv6-M thread context: only the process stack pointer.  Threads run in
 * Thread mode on the process stack (PSP); exceptions run on the main stack
 * (MSP).  A switch happens in PendSV (switch.S): the hardware has pushed
 * r0-r3, r12, lr, pc and xPSR on the outgoing thread's PSP, PendSV pushes
 * the rest below that (the switch frame) and pops the incoming thread's.
 */
#ifndef ASM_THREAD_H
#define ASM_THREAD_H

/*
 * The switch frame, from the saved PSP up: r4-r7, r8-r11, then one word
 * saying whether the thread resumes with PRIMASK set (it switched itself
 * out from Thread mode, in arch_context_switch(), where interrupts are
 * masked) or clear (it was preempted by an interrupt).  The hardware
 * frame (struct armv6m_hw_frame, 8 words) sits right above it.
 */
#define ARMV6M_SWITCH_R4	0
#define ARMV6M_SWITCH_R8	16
#define ARMV6M_SWITCH_MASKED	32
#define ARMV6M_SWITCH_FRAME	36

/* struct armv6m_switch (thread.c), the switch PendSV is to perform. */
/*
 * A switch requested from Handler mode happens later, in PendSV, and the
 * thread it leaves resumes where the interrupt caught it, not inside
 * arch_context_switch(): the core completes its bookkeeping before it
 * asks for the switch (<arch/thread.h>).  One CPU only.
 */
#define ARCH_CONTEXT_SWITCH_DEFERRED	1

#define ARMV6M_SW_FROM		0
#define ARMV6M_SW_TO		4
#define ARMV6M_SW_MASKED	8

#ifndef __ASSEMBLER__
#include <stdint.h>

struct arch_thread {
	uint32_t sp;		/* PSP at the switch frame */
};

/*
 * A switch asked for and not yet done: PendSV saves the running context
 * into from and loads to.  Several requests before PendSV runs (an
 * interrupt preempting a Thread-mode switch) keep the first from and the
 * last to.  from is NULL when none is pending.
 */
struct armv6m_switch {
	struct arch_thread *from;
	struct arch_thread *to;
	uint32_t masked;	/* from resumes with interrupts masked */
};

extern struct armv6m_switch armv6m_switch;
#endif

#endif
