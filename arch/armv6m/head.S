/*
 * ARMv6-M reset: the core has loaded MSP from vector 0 (the top of the
 * handlers' stack) and jumped here in Thread mode, privileged, on the
 * main stack.  Paint both stacks (so their high-water marks can be
 * measured), move Thread mode to the process stack, which is the boot
 * stack and becomes thread "main" (sched_init()), copy .data from flash,
 * clear .bss and enter C.
 */
	.syntax	unified
	.cpu	cortex-m0
	.thumb

#include "armv6m.h"

	.section .text.reset, "ax"
	.globl	armv6m_reset
	.type	armv6m_reset, %function
	.thumb_func
armv6m_reset:
	cpsid	i				/* the core enables them when ready */
	ldr	r0, =__stack_bottom		/* boot stack, then handlers' stack */
	mov	r1, sp
	ldr	r2, =ARMV6M_STACK_PAINT
1:	cmp	r0, r1
	bhs	2f
	str	r2, [r0]
	adds	r0, #4
	b	1b
2:
	ldr	r0, =__stack_top		/* Thread mode: PSP from now on */
	msr	psp, r0
	movs	r0, #CONTROL_SPSEL
	msr	control, r0
	isb
	ldr	r0, =__data_start
	ldr	r1, =__data_end
	ldr	r2, =__data_load
3:	cmp	r0, r1
	bhs	4f
	ldr	r3, [r2]
	str	r3, [r0]
	adds	r0, #4
	adds	r2, #4
	b	3b
4:
	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	movs	r2, #0
5:	cmp	r0, r1
	bhs	6f
	str	r2, [r0]
	adds	r0, #4
	b	5b
6:
	bl	armv6m_boot			/* never returns */
7:	wfi
	b	7b
	.size	armv6m_reset, . - armv6m_reset
	.ltorg

