/*
 * AArch64 exception vectors (VBAR_EL1).  Every entry saves a struct
 * arch_regs and calls C: interrupts go to irq_handle(), synchronous
 * exceptions to aarch64_sync(), anything that should never happen to
 * aarch64_bad_vector().  The return path sets SP from the frame, so a
 * handler can resume the interrupted code on another stack.
 *
 * Stacks: the kernel runs in EL1h on SP_EL1; SP_EL0 holds this CPU's
 * exception stack (head.S for every CPU; user entry will save and restore
 * the user's SP_EL0 around it).  A synchronous exception first asks the MMU (AT)
 * whether the interrupted stack has room for a frame and a handler: when
 * a kernel stack has run into its guard page it has not, and saving the
 * frame there would fault again forever.  Such an exception is handled on
 * the exception stack instead (EL1t), where the report names the stack.
 * Exceptions taken while on the exception stack arrive through the
 * "current EL with SP0" vectors.
 */
#define FRAME		(34 * 8)
#define CPU_OFFSET_ID	16		/* struct cpu.id (kernel/cpu.c checks it) */	/* sizeof(struct arch_regs) */
#define F_SP		(31 * 8)	/* offsetof(struct arch_regs, sp) */
/* Stack a synchronous exception needs: the frame and the C handler's. */
#define SYNC_ROOM	(FRAME + 2048)
/*
 * Every CPU's exception stack is 16 KiB ending at a 64 KiB boundary
 * (head.S, smp.c): bit 14 is set inside it and clear just below it, and
 * its top is the next 64 KiB boundary above any address in it.
 */
#define EXC_STACK_BIT	14
#define EXC_STACK_ALIGN_MASK	0xffff

/* x0-x30, ELR, SPSR into a frame at sp (sp already lowered). */
.macro save_regs
	stp	x0, x1, [sp, #16 * 0]
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	str	x30, [sp, #16 * 15]
	mrs	x22, elr_el1
	mrs	x23, spsr_el1
	stp	x22, x23, [sp, #16 * 16]
.endm

/* A frame on the current stack; its sp is the stack pointer before. */
.macro save_frame
	sub	sp, sp, #FRAME
	save_regs
	add	x21, sp, #FRAME
	str	x21, [sp, #F_SP]
.endm

/* ELR, SPSR, x2-x30 from the frame at sp; x0 = the frame's sp. */
.macro restore_most
	ldp	x22, x23, [sp, #16 * 16]
	msr	elr_el1, x22
	msr	spsr_el1, x23
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	ldp	x30, x0, [sp, #16 * 15]
.endm

/*
 * Return to code that ran on the stack we are on: the stack pointer
 * becomes the frame's sp (interrupts are masked, so the frame is read
 * after sp has moved past it).
 */
.macro restore_frame
	restore_most
	mov	x1, sp
	mov	sp, x0
	ldp	x0, x1, [x1]
	eret
.endm

/*
 * Entry at EL1t (we were on the exception stack): go on using it, unless
 * it has no room for another frame.  The sp arithmetic frees x0 for the
 * test without a store.
 */
.macro el1t_enter
	msr	spsel, #0
	add	sp, sp, x0
	sub	x0, sp, x0			/* x0 = sp */
	sub	x0, x0, #FRAME
	tbz	x0, #EXC_STACK_BIT, exception_stack_overflow
	add	x0, x0, #FRAME
	sub	x0, sp, x0			/* x0 = x0 again */
	sub	sp, sp, x0			/* sp = sp again */
.endm

.macro vector handler
	.balign	0x80
	b	\handler
.endm

.macro bad index
bad_\index:
	save_frame
	mov	x0, sp
	mov	x1, #\index
	bl	aarch64_bad_vector
	restore_frame
.endm

.macro bad_el1t index
bad_\index:
	el1t_enter
	save_frame
	mov	x0, sp
	mov	x1, #\index
	bl	aarch64_bad_vector
	restore_frame
.endm

	.text
	.balign	0x800
	.globl exception_vectors
exception_vectors:
	vector	el1t_sync	/* current EL, SP0: sync (on the exception stack) */
	vector	bad_1		/* irq */
	vector	bad_2		/* fiq */
	vector	bad_3		/* serror */
	vector	el1h_sync	/* current EL, SPx: sync */
	vector	el1h_irq	/* irq */
	vector	bad_6		/* fiq */
	vector	bad_7		/* serror */
#ifdef CONFIG_PROCESSES
	vector	el0_sync_entry	/* lower EL, AArch64: sync */
	vector	el0_irq_entry	/* irq */
#else
	vector	bad_8		/* lower EL: nothing runs at EL0 without processes */
	vector	bad_9
#endif
	vector	bad_10		/* fiq */
	vector	bad_11		/* serror */
	vector	bad_12		/* lower EL, AArch32 */
	vector	bad_13
	vector	bad_14
	vector	bad_15

el1h_sync:
	/* Two registers to work with, parked on the exception stack. */
	msr	spsel, #0
	stp	x0, x1, [sp, #-16]!
	msr	spsel, #1
	mrs	x1, par_el1			/* AT overwrites it: keep it */
	sub	x0, sp, #SYNC_ROOM
	at	s1e1w, x0
	isb
	mrs	x0, par_el1
	msr	par_el1, x1
	tbnz	x0, #0, el1h_sync_no_room	/* PAR_EL1.F: it would fault */
	msr	spsel, #0
	ldp	x0, x1, [sp], #16
	msr	spsel, #1
	save_frame
	mov	x0, sp
	bl	aarch64_sync
	restore_frame

	/* The frame goes on the exception stack; its sp is SP_EL1's. */
el1h_sync_no_room:
	msr	spsel, #0
	ldp	x0, x1, [sp], #16
	sub	sp, sp, #FRAME
	save_regs
	msr	spsel, #1
	mov	x21, sp
	msr	spsel, #0
	str	x21, [sp, #F_SP]
	mov	x0, sp
	bl	aarch64_sync_no_room
	/* Back to EL1h: SP_EL1 from the frame, the exception stack emptied. */
	restore_most
	msr	spsel, #1
	mov	sp, x0
	msr	spsel, #0
	ldp	x0, x1, [sp]
	add	sp, sp, #FRAME
	eret

el1t_sync:
	el1t_enter
	save_frame
	mov	x0, sp
	bl	aarch64_sync_nested
	restore_frame

/* Nothing is left to save: report with this CPU's exception stack afresh. */
exception_stack_overflow:
	mov	x0, sp
	orr	x0, x0, #EXC_STACK_ALIGN_MASK
	add	x0, x0, #1
	mov	sp, x0
	bl	aarch64_exception_stack_overflow
1:	wfe
	b	1b

el1h_irq:
	save_frame
	mov	x0, sp
	bl	irq_handle
	restore_frame

#ifdef CONFIG_PROCESSES
/*
 * From EL0.  SP_EL1 is the top of the thread's kernel stack (ret_to_user
 * left it there); the frame goes right below it, with the user's SP_EL0.
 * SP_EL0 becomes this CPU's exception stack again, saved by ret_to_user
 * in aarch64_exc_sp[cpu].
 */
.macro el0_enter
	sub	sp, sp, #FRAME
	save_regs
	mrs	x21, sp_el0
	str	x21, [sp, #F_SP]
	mrs	x21, tpidr_el1
	ldr	w22, [x21, #CPU_OFFSET_ID]
	adrp	x23, aarch64_exc_sp
	add	x23, x23, :lo12:aarch64_exc_sp
	ldr	x21, [x23, x22, lsl #3]
	msr	sp_el0, x21
	mov	x29, xzr			/* backtraces end here */
.endm

el0_sync_entry:
	el0_enter
	mov	x0, sp
	bl	aarch64_el0_sync
	b	ret_to_user

el0_irq_entry:
	el0_enter
	mov	x0, sp
	bl	irq_handle
	b	ret_to_user

/*
 * Back to EL0 with the frame at sp (the top of the kernel stack): pending
 * work first (rescheduling, signals: exit_to_user returns with interrupts
 * masked, on the CPU we then leave from), then this CPU's exception stack
 * pointer is kept aside and SP_EL0 becomes the user's.
 */
	.globl ret_to_user
ret_to_user:
	msr	daifset, #2
	mov	x0, sp
	bl	exit_to_user
	mrs	x21, tpidr_el1
	ldr	w22, [x21, #CPU_OFFSET_ID]
	adrp	x23, aarch64_exc_sp
	add	x23, x23, :lo12:aarch64_exc_sp
	mrs	x21, sp_el0
	str	x21, [x23, x22, lsl #3]
	ldr	x21, [sp, #F_SP]
	msr	sp_el0, x21
	restore_most
	mov	x1, sp
	add	sp, sp, #FRAME
	ldp	x0, x1, [x1]
	eret

/* void arch_user_enter(struct arch_regs *regs): regs is the top frame of our stack. */
	.globl arch_user_enter
	.type arch_user_enter, %function
arch_user_enter:
	mov	sp, x0
	b	ret_to_user
	.size arch_user_enter, . - arch_user_enter
#endif

	bad_el1t 1
	bad_el1t 2
	bad_el1t 3
	bad	6
	bad	7
#ifndef CONFIG_PROCESSES
	bad	8
	bad	9
#endif
	bad	10
	bad	11
	bad	12
	bad	13
	bad	14
	bad	15
	.ltorg

/* void arch_trigger_undefined(void): one UDF with an exception-table entry. */
	.globl arch_trigger_undefined
	.type arch_trigger_undefined, %function
arch_trigger_undefined:
1:	udf	#0
2:	ret
	.pushsection __extable, "a"
	.balign 8
	.quad	1b, 2b
	.popsection
