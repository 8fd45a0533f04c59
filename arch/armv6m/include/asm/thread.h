/*
 * ARMv6-M thread context: only the process stack pointer.  Threads run in
 * Thread mode on the process stack (PSP); exceptions run on the main stack
 * (MSP).  What the saved stack pointer points at depends on how the thread
 * left the CPU (switch.S):
 *
 *   it switched itself out (arch_context_switch() in Thread mode): a call
 *   frame, r8-r11, r4-r7 and the return address, 36 bytes;
 *
 *   it was preempted (PendSV, after an interrupt asked for a switch): an
 *   exception frame, r4-r7 and r8-r11 pushed by PendSV below the 8 words
 *   the hardware stacked (struct armv6m_hw_frame).  Bit 0 of the saved
 *   stack pointer is set to say so (stacks are word-aligned).
 *
 * Either side may resume either kind, so a switch between two threads that
 * switch themselves out never takes an exception.
 */
#ifndef ASM_THREAD_H
#define ASM_THREAD_H

/* Call frame, from the saved stack pointer up. */
#define ARMV6M_CALL_R8		0
#define ARMV6M_CALL_R4		16
#define ARMV6M_CALL_LR		32
#define ARMV6M_CALL_FRAME	36

/* Exception frame: PendSV's part, below the hardware's. */
#define ARMV6M_SWITCH_R4	0
#define ARMV6M_SWITCH_R8	16
#define ARMV6M_SWITCH_FRAME	32
#define ARMV6M_SP_PREEMPTED	1	/* bit 0 of arch_thread.sp */

/*
 * A switch requested from Handler mode happens later, in PendSV, and the
 * thread it leaves resumes where the interrupt caught it, not inside
 * arch_context_switch(): the core completes its bookkeeping before it
 * asks for the switch (<arch/thread.h>).  One CPU only.
 */
#define ARCH_CONTEXT_SWITCH_DEFERRED	1

/* struct armv6m_switch (switch.S), the switch PendSV is to perform. */
#define ARMV6M_SW_FROM		0
#define ARMV6M_SW_TO		4

#ifdef CONFIG_ARMV6M_MPU_STACK_GUARD
/*
 * Room the core leaves below each heap stack (<arch/thread.h>): the
 * 32-byte guard region must be 32-aligned, and fit whatever the heap's
 * 8-byte alignment gives.
 */
#define ARCH_STACK_GUARD	64
#define ARMV6M_GUARD_SIZE	32
/* struct arch_thread: MPU_RBAR and MPU_RASR values, stored as a pair. */
#define ARMV6M_THREAD_MPU	4
#endif

#ifndef __ASSEMBLER__
#include <stdint.h>

struct arch_thread {
	uint32_t sp;		/* PSP at its saved frame; bit 0: preempted */
#ifdef CONFIG_ARMV6M_MPU_STACK_GUARD
	uint32_t mpu_rbar;	/* its guard region; 0, 0: none (region 0 off) */
	uint32_t mpu_rasr;
#endif
};

/*
 * A switch asked for from Handler mode and not yet done: PendSV saves the
 * running context into from and loads to.  Several requests before PendSV
 * runs (interrupts tail-chained) keep the first from, whose registers are
 * the live ones, and the last to.  from is NULL when none is pending.
 * Interrupts masked guard it.
 */
struct armv6m_switch {
	struct arch_thread *from;
	struct arch_thread *to;
};

extern struct armv6m_switch armv6m_switch;
#endif

#endif
