/*
 * ARMv6-M thread context: only the process stack pointer.  Threads run in
 * Thread mode on the process stack (PSP); exceptions run on the main stack
 * (MSP).  What the saved stack pointer points at depends on how the thread
 * left the CPU (switch.S):
 *
 *   it switched itself out (arch_context_switch() in Thread mode): a call
 *   frame, r8-r11, r4-r7 and the return address, 36 bytes; or, when the
 *   kernel is compiled to leave r8-r11 alone (ARMV6M_HIGH_REGS_FIXED,
 *   meson.build), r4-r7 and the return address, 20 bytes;
 *
 *   it was preempted (PendSV, after an interrupt made a better thread ready): an
 *   exception frame, r4-r7 and r8-r11 pushed by PendSV below the 8 words
 *   the hardware stacked (struct armv6m_hw_frame); r4-r7 only when no code
 *   in the image uses r8-r11 (ARMV6M_HIGH_REGS_FIXED: the kernel's own
 *   64-bit helpers replace libgcc's, aeabi_long.c).  Bit 0 of the saved
 *   stack pointer is set to say so (stacks are word-aligned).
 *
 * Either side may resume either kind, so a switch between two threads that
 * switch themselves out never takes an exception.
 */
#ifndef ASM_THREAD_H
#define ASM_THREAD_H

/* Call frame, from the saved stack pointer up. */
#ifdef ARMV6M_HIGH_REGS_FIXED
#define ARMV6M_CALL_R4		0
#define ARMV6M_CALL_LR		16
#define ARMV6M_CALL_FRAME	20
#else
#define ARMV6M_CALL_R8		0
#define ARMV6M_CALL_R4		16
#define ARMV6M_CALL_LR		32
#define ARMV6M_CALL_FRAME	36
#endif

/* Exception frame: PendSV's part, below the hardware's. */
#define ARMV6M_SWITCH_R4	0
#ifdef ARMV6M_HIGH_REGS_FIXED
#define ARMV6M_SWITCH_FRAME	16
#else
#define ARMV6M_SWITCH_R8	16
#define ARMV6M_SWITCH_FRAME	32
#endif
#define ARMV6M_SP_PREEMPTED	1	/* bit 0 of arch_thread.sp */

/*
 * Where PendSV finds what it switches (arch/armv6m/thread.c checks): the
 * running thread in struct cpu; in struct thread, its struct
 * thread_preempt (a halfword, 0 when it may and should be switched out)
 * and its context.
 */
#define ARMV6M_CPU_CURRENT	4
#define ARMV6M_THREAD_PREEMPT	8
#define ARMV6M_THREAD_ARCH	12

/*
 * An interrupt that makes a better thread ready only pends PendSV, which
 * runs after every handler, on the way back to Thread mode: it asks the
 * core which thread to resume (sched_preempt_deferred()) and switches
 * there, once however many handlers ran (<arch/thread.h>).  One CPU only.
 */
#define ARCH_CONTEXT_SWITCH_DEFERRED	1

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

/* PendSV is pended through ICSR (also armv6m.h's SCB_ICSR): usable from assembly too. */
#define ARMV6M_SCB_ICSR		0xe000ed04
#define ARMV6M_ICSR_PENDSVSET	(1 << 28)

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <kernel/mmio.h>

struct arch_thread {
	uint32_t sp;		/* PSP at its saved frame; bit 0: preempted */
#ifdef CONFIG_ARMV6M_MPU_STACK_GUARD
	uint32_t mpu_rbar;	/* its guard region; 0, 0: none (region 0 off) */
	uint32_t mpu_rasr;
#endif
};

/*
 * The HAL's preemption request: PendSV, taken once the handlers are done.
 * The bit from a literal: the compiler builds 1 << 28 in two
 * instructions (move, shift) where one load does, on every interrupt
 * that wakes a thread.
 */
static inline void
arch_preempt_request(void)
{
	uint32_t set;

	__asm__("ldr %0, =%c1" : "=l"(set) : "i"(ARMV6M_ICSR_PENDSVSET));
	mmio_write32(ARMV6M_SCB_ICSR, set);
}
#endif

#endif
