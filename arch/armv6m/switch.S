/*
 * PendSV: the context switch.  arch_context_switch() (thread.c) records
 * the switch in armv6m_switch and pends PendSV, which runs at the lowest
 * exception priority: after every interrupt handler, tail-chained on the
 * way back to Thread mode.  So PendSV always interrupts Thread mode, the
 * hardware has stacked r0-r3, r12, lr, pc and xPSR on the running
 * thread's PSP, and EXC_RETURN in lr says "Thread mode, PSP".
 *
 * Here: push r4-r11 and the resume mask below that frame (the switch
 * frame, <asm/thread.h>), store PSP in from, load to's PSP, pop its switch
 * frame, return.  The hardware unstacks the rest of to's registers.
 *
 * ARMv6-M's STM/LDM take only r0-r7, so r8-r11 travel through r4-r7.
 * Interrupts stay masked throughout: an interrupt handler may ask for
 * another switch, and must not see armv6m_switch half consumed.
 */
	.syntax	unified
	.cpu	cortex-m0
	.thumb

#include <asm/thread.h>

	.text
	.globl	armv6m_pendsv
	.type	armv6m_pendsv, %function
	.thumb_func
armv6m_pendsv:
	cpsid	i
	ldr	r3, =armv6m_switch
	ldr	r0, [r3, #ARMV6M_SW_FROM]
	cmp	r0, #0
	beq	3f				/* nothing pending */
	ldr	r1, [r3, #ARMV6M_SW_TO]
	ldr	r2, [r3, #ARMV6M_SW_MASKED]
	mov	r12, r2				/* from's resume mask */
	movs	r2, #0
	str	r2, [r3, #ARMV6M_SW_FROM]	/* consumed */
	cmp	r0, r1
	beq	1f				/* back to itself: just resume */

	/* Save from: its switch frame below the hardware frame. */
	mrs	r2, psp
	subs	r2, #ARMV6M_SWITCH_FRAME
	str	r2, [r0]			/* from->sp */
	mov	r3, r12
	str	r3, [r2, #ARMV6M_SWITCH_MASKED]
	stmia	r2!, {r4-r7}
	mov	r4, r8
	mov	r5, r9
	mov	r6, r10
	mov	r7, r11
	stmia	r2!, {r4-r7}

	/* Load to. */
	ldr	r2, [r1]			/* to->sp */
	adds	r2, #ARMV6M_SWITCH_R8
	ldmia	r2!, {r4-r7}
	mov	r8, r4
	mov	r9, r5
	mov	r10, r6
	mov	r11, r7
	ldmia	r2!, {r3}			/* to's resume mask */
	mov	r12, r3
	msr	psp, r2				/* its hardware frame */
	subs	r2, #ARMV6M_SWITCH_FRAME
	ldmia	r2!, {r4-r7}

	/*
	 * A thread that switched itself out resumes inside
	 * arch_context_switch() with interrupts masked, as it left; PRIMASK
	 * is not part of the stacked state, so set it here.
	 */
1:	mov	r3, r12
	cmp	r3, #0
	bne	2f
3:	cpsie	i
2:	bx	lr
	.size	armv6m_pendsv, . - armv6m_pendsv
	.ltorg
