/*
 * ARMv6-M vector table and exception entry.  The table sits at the start
 * of flash (VTOR is fixed at 0 on ARMv6-M): the initial main stack
 * pointer, then one handler address per exception.
 *
 * Threads run in Thread mode on the process stack (PSP), handlers on the
 * main stack (MSP).  The hardware has already pushed r0-r3, r12, lr, pc
 * and xPSR on the interrupted code's stack when a handler starts.  The
 * fault entries add r4-r11, EXC_RETURN and a pointer to the hardware
 * frame (struct arch_regs) and call C with it.  SysTick enters
 * irq_handle(), where the NVIC driver sees it (a core exception it masks
 * in software); the 32 external interrupts are irq_handle_line() itself,
 * a C function, as CMSIS's handlers are: the hardware saved what C may
 * clobber, left the stack 8-byte aligned and put EXC_RETURN in lr, which
 * its return pops into pc.  It reads its line from IPSR (IPSR - 16 is
 * the NVIC's number for it), so nothing asks the controller on the way
 * to the handler.  Neither passes a register frame: nothing on this port
 * reads an interrupt's (no watchdog), C keeps r4-r11, and a switch the
 * handler asks for happens later, in PendSV.
 */
	.syntax	unified
	.cpu	cortex-m0
	.thumb

	.section .vectors, "a"
	.globl	armv6m_vectors
armv6m_vectors:
	.word	__irq_stack_top			/* 0: initial MSP, the handlers' stack */
	.word	armv6m_reset			/* 1: Reset */
	.word	armv6m_nmi_entry		/* 2: NMI */
	.word	armv6m_hardfault_entry		/* 3: HardFault */
	.rept	7
	.word	armv6m_exception_entry		/* 4-10: reserved on ARMv6-M */
	.endr
	.word	armv6m_exception_entry		/* 11: SVCall */
	.word	armv6m_exception_entry		/* 12: reserved (debug monitor on v7-M) */
	.word	armv6m_exception_entry		/* 13: reserved */
	.word	armv6m_pendsv			/* 14: PendSV, the context switch (switch.S) */
	.word	armv6m_irq_entry		/* 15: SysTick */
	.rept	32
	.word	irq_handle_line			/* 16-47: external interrupts 0-31 (C) */
	.endr
	.size	armv6m_vectors, . - armv6m_vectors

/*
 * Build a struct arch_regs below the current (main) stack pointer and leave
 * r0 pointing at it.  The hardware frame is on the process stack when
 * EXC_RETURN bit 2 is set, else right here on the main stack.  Ten words
 * keep the 8-byte alignment the hardware gave the handler.
 */
.macro	save_regs
	mov	r0, lr
	movs	r1, #4
	tst	r0, r1
	bne	1f
	mrs	r1, msp
	b	2f
1:	mrs	r1, psp
2:	push	{r0, r1}			/* exc_return, frame */
	mov	r0, r8
	mov	r1, r9
	mov	r2, r10
	mov	r3, r11
	push	{r0-r3}				/* r8-r11 */
	push	{r4-r7}
	mov	r0, sp
.endm

/* Reload r4-r11 from the frame (a handler may change them) and return. */
.macro	restore_regs_and_return
	pop	{r4-r7}
	pop	{r0-r3}
	mov	r8, r0
	mov	r9, r1
	mov	r10, r2
	mov	r11, r3
	pop	{r0, r1}
	bx	r0				/* EXC_RETURN: the hardware unstacks */
.endm

.macro	entry name, handler
	.text
	.globl	\name
	.type	\name, %function
	.thumb_func
\name:
	save_regs
	bl	\handler
	restore_regs_and_return
	.size	\name, . - \name
.endm

	entry	armv6m_hardfault_entry, armv6m_hardfault
	entry	armv6m_nmi_entry, armv6m_nmi
	entry	armv6m_exception_entry, armv6m_bad_exception

	.text
	.globl	armv6m_irq_entry
	.type	armv6m_irq_entry, %function
	.thumb_func
armv6m_irq_entry:
	push	{r0, lr}			/* EXC_RETURN; r0 keeps 8-byte alignment */
	movs	r0, #0				/* irq_handle(NULL) */
	bl	irq_handle
	pop	{r0, pc}			/* exception return */
	.size	armv6m_irq_entry, . - armv6m_irq_entry
