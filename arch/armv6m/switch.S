/*
 * The context switch (<arch/thread.h>, frames in <asm/thread.h>).
 *
 * A thread that blocks or yields (Thread mode, interrupts masked) calls
 * arch_context_switch(), which switches at once, like a function call:
 * it pushes the callee-saved registers and the return address as the
 * thread's call frame and resumes the next thread from whichever frame it
 * left.  No exception is taken, so a yield between two threads costs no
 * more than the registers it moves.
 *
 * An interrupt that readies a better thread pends PendSV, which runs at
 * the lowest exception priority, after every handler, tail-chained on the
 * way back to Thread mode.  The hardware has stacked r0-r3, r12, lr, pc
 * and xPSR on the running thread's PSP; PendSV asks the core whom to
 * resume (sched_preempt_deferred()), pushes r4-r11 below the hardware's
 * frame (the exception frame) and resumes the next thread, either by
 * exception return or, for a call frame, through a hardware frame it
 * makes that returns into it.
 *
 * ARMv6-M's STM/LDM take only r0-r7, so r8-r11 travel through r4-r7.
 * A kernel compiled to leave r8-r11 alone (ARMV6M_HIGH_REGS_FIXED) holds
 * nothing in them anywhere, its 64-bit helpers included (aeabi_long.c),
 * so neither frame has room for them and resuming either leaves them as
 * they are.
 */
	.syntax	unified
	.cpu	cortex-m0
	.thumb

#include <asm/thread.h>

#define MPU_RBAR	0xe000ed9c	/* MPU_RASR follows */

/*
 * The incoming thread's stack guard (mpu.c) into MPU region 0, before
 * anything runs on its stack; r4-r7 are saved already.  \next + \arch is
 * its struct arch_thread.  An exception return synchronises by itself, a
 * Thread-mode switch needs the barriers.
 */
.macro	load_guard next, arch=0
#ifdef CONFIG_ARMV6M_MPU_STACK_GUARD
	ldr	r4, [\next, #(\arch + ARMV6M_THREAD_MPU)]
	ldr	r5, [\next, #(\arch + ARMV6M_THREAD_MPU + 4)]
	ldr	r6, =MPU_RBAR
	stmia	r6!, {r4, r5}
	dsb
	isb
#endif
.endm

/* r8-r11 through r4-r7 (clobbered): ARMv6-M's STM/LDM take low registers only. */
.macro	high_to_low
	mov	r4, r8
	mov	r5, r9
	mov	r6, r10
	mov	r7, r11
.endm

.macro	low_to_high
	mov	r8, r4
	mov	r9, r5
	mov	r10, r6
	mov	r11, r7
.endm

/*
 * The end of undoing an exception frame by hand, sp at it: the PC (r0,
 * with its Thumb bit) into the word pop {pc} takes last, at slot; r12,
 * lr and the flags (r1 holds xPSR); then r0-r3, the rest up to slot, and
 * the PC.  It was interrupted, so it resumes with interrupts on.
 */
.macro	unstack_tail slot
	str	r0, [sp, #\slot]
	ldr	r0, [sp, #16]
	mov	r12, r0
	ldr	r0, [sp, #20]
	mov	lr, r0
	msr	APSR_nzcvq, r1
	pop	{r0-r3}
	add	sp, #(\slot - 16)
	cpsie	i
	pop	{pc}
.endm

/*
 * void arch_context_switch(struct arch_thread *prev, struct arch_thread *next)
 * Thread mode, interrupts masked.  Returns when prev runs again,
 * interrupts still masked.
 */
	.text
	.globl	arch_context_switch
	.type	arch_context_switch, %function
	.thumb_func
arch_context_switch:
	push	{r4-r7, lr}			/* the call frame */
#ifndef ARMV6M_HIGH_REGS_FIXED
	high_to_low
	push	{r4-r7}
#endif
	mov	r2, sp
	str	r2, [r0]			/* prev->sp */
	load_guard r1
	ldr	r2, [r1]			/* next->sp */
	lsrs	r3, r2, #1
	bcs	.Lresume_preempted
	mov	sp, r2				/* next switched itself out */
#ifndef ARMV6M_HIGH_REGS_FIXED
	pop	{r4-r7}
	low_to_high
#endif
	pop	{r4-r7, pc}

	/*
	 * next was preempted: undo its exception frame by hand, as the
	 * hardware would on exception return.  pc goes last, with pop {pc},
	 * from the word just below where the frame ends (xPSR bit 9: the
	 * hardware added a word to align it), so everything else is loaded
	 * first; APSR's flags too, which nothing after changes.
	 */
.Lresume_preempted:
#ifdef ARMV6M_HIGH_REGS_FIXED
	subs	r2, #ARMV6M_SP_PREEMPTED
	ldmia	r2!, {r4-r7}
	mov	sp, r2				/* the hardware frame */
#else
	adds	r2, #(ARMV6M_SWITCH_R8 - ARMV6M_SP_PREEMPTED)
	ldmia	r2!, {r4-r7}
	low_to_high
	mov	sp, r2				/* the hardware frame */
	subs	r2, #ARMV6M_SWITCH_FRAME
	ldmia	r2!, {r4-r7}
#endif
	ldr	r0, [sp, #24]			/* pc */
	adds	r0, #1				/* Thumb, for pop {pc} */
	ldr	r1, [sp, #28]			/* xPSR */
	lsls	r2, r1, #22
	bmi	1f
	unstack_tail 28				/* over xPSR */
1:	unstack_tail 32				/* over the alignment word */

	.size	arch_context_switch, . - arch_context_switch
	.ltorg

/*
 * A new thread's first instructions (its first frame: thread.c): entry
 * and arg from r4 and r5 into the arguments of thread_trampoline(), which
 * never returns.  BL for its range; lr is dead.
 */
	.globl	armv6m_thread_start
	.type	armv6m_thread_start, %function
	.thumb_func
armv6m_thread_start:
	mov	r0, r4
	mov	r1, r5
	bl	thread_trampoline
	.size	armv6m_thread_start, . - armv6m_thread_start

/*
 * PendSV: always entered from Thread mode on the PSP (it is the lowest
 * priority).  sched_preempt_deferred() leaves r4-r11 alone (AAPCS), so
 * the thread's registers are saved only when it is really switched out.
 * Interrupts stay masked until the next context is loaded.
 */
	.globl	armv6m_pendsv
	.type	armv6m_pendsv, %function
	.thumb_func
armv6m_pendsv:
	cpsid	i
	ldr	r0, =cpus
	ldr	r0, [r0, #ARMV6M_CPU_CURRENT]	/* from: current */
	/*
	 * Asked for only when a better thread is ready and from allows it
	 * (sched_irq_exit()): a thread holding preemption off switches at
	 * its preempt_enable() instead (the boot thread holds it until
	 * sched_start() is done).  A debug kernel checks.
	 */
#ifdef CONFIG_DEBUG_KERNEL
	ldrh	r1, [r0, #ARMV6M_THREAD_PREEMPT]	/* count | no_resched << 8 */
	cmp	r1, #0
	beq	1f
	bl	armv6m_pendsv_unasked		/* no return */
1:
#endif
	push	{r0, lr}			/* from; EXC_RETURN */
	bl	sched_preempt_deferred		/* r0: to */
	pop	{r1, r2}			/* r1: from (no move: to stays in r0) */
	mov	lr, r2
	cmp	r0, r1
	beq	9f				/* nothing to switch */
	/* Save from: its exception frame, the stack pointer tagged. */
	mrs	r2, psp
	subs	r2, #ARMV6M_SWITCH_FRAME
	adds	r3, r2, #ARMV6M_SP_PREEMPTED
	str	r3, [r1, #ARMV6M_THREAD_ARCH]	/* from->arch.sp */
	stmia	r2!, {r4-r7}
#ifndef ARMV6M_HIGH_REGS_FIXED
	high_to_low
	stmia	r2!, {r4-r7}
#endif
	load_guard r0, ARMV6M_THREAD_ARCH

	ldr	r2, [r0, #ARMV6M_THREAD_ARCH]	/* to->arch.sp */
	lsrs	r3, r2, #1
	bcc	1f
#ifdef ARMV6M_HIGH_REGS_FIXED
	subs	r2, #ARMV6M_SP_PREEMPTED
	ldmia	r2!, {r4-r7}
	msr	psp, r2				/* its hardware frame */
#else
	adds	r2, #(ARMV6M_SWITCH_R8 - ARMV6M_SP_PREEMPTED)
	ldmia	r2!, {r4-r7}
	low_to_high
	msr	psp, r2				/* its hardware frame */
	subs	r2, #ARMV6M_SWITCH_FRAME
	ldmia	r2!, {r4-r7}
#endif
9:	cpsie	i
	bx	lr

	/*
	 * to switched itself out: a hardware frame where its call frame
	 * ends returns into arch_context_switch()'s caller; r0-r3, r12 and
	 * lr are dead across that call.  PRIMASK stays set: it resumes
	 * masked, as it left.
	 */
1:
#ifndef ARMV6M_HIGH_REGS_FIXED
	ldmia	r2!, {r4-r7}
	low_to_high
#endif
	ldmia	r2!, {r4-r7}
	ldr	r0, [r2]			/* the return address */
	subs	r0, #1				/* a frame's pc has bit 0 clear */
	subs	r2, #(32 - 4)
	str	r0, [r2, #24]
	ldr	r0, =0x01000000			/* xPSR: Thumb (one load, not two ALU ops) */
	str	r0, [r2, #28]
	msr	psp, r2
	bx	lr
	.size	armv6m_pendsv, . - armv6m_pendsv
	.ltorg
