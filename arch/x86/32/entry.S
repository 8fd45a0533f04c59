/*
 * i386 interrupt and exception entry.  The stubs (../vectors.S) join the
 * common path here, which saves the segment registers and PUSHA as a
 * struct arch_regs and calls x86_trap(); also the double-fault task's
 * entry, the GDT load, resume points and running a function on another
 * stack.
 */
#include <asm/asm.h>
#include <asm/segment.h>
#include <asm/trap.h>

#define REGS_SP		12		/* struct arch_regs offsets (regs.c) */
#define REGS_VECTOR	48
#define REGS_TO_EFLAGS	68		/* the frame up to and with EFLAGS */

	.text
	.globl x86_isr_common
x86_isr_common:
	pushl	%gs
	pushl	%fs
	pushl	%es
	pushl	%ds
	pushal
	/* regs->sp: &regs->esp from ring 0, the pushed ESP from ring 3. */
	leal	68(%esp), %eax
	testl	$3, 60(%esp)
	jz	1f
	movl	(%eax), %eax
1:	movl	%eax, 12(%esp)
	movl	$KERNEL_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	$PERCPU_SEL, %eax		/* this CPU's struct cpu */
	movl	%eax, %fs
	/*
	 * GS is the user's TLS segment, whose GDT slot changes at switches:
	 * the kernel runs with a null GS, so no stale selector is reloaded
	 * when an interrupt of kernel code returns.
	 */
	xorl	%eax, %eax
	movl	%eax, %gs
	cld
	/* EFLAGS.AC from user mode or an interrupted user copy must not lift SMAP here. */
	USER_ACCESS_END
	pushl	%esp				/* struct arch_regs * */
	call	x86_trap
	addl	$4, %esp
	cmpl	$X86_VECTOR_RESUME, REGS_VECTOR(%esp)
	je	resume
restore:
	popal
10:	popl	%ds
11:	popl	%es
12:	popl	%fs
13:	popl	%gs
	addl	$8, %esp			/* vector and error code */
	iret

	/*
	 * A user selector the return cannot load: the descriptor changed
	 * since the user loaded it (set_thread_area emptied the TLS slot
	 * that GS still names).  As Linux, return with a null selector in
	 * its place: the user's next use of it faults, not the kernel's.
	 */
20:	movl	$0, (%esp)
	jmp	10b
21:	movl	$0, (%esp)
	jmp	11b
22:	movl	$0, (%esp)
	jmp	12b
23:	movl	$0, (%esp)
	jmp	13b
	EXTABLE	10b, 20b
	EXTABLE	11b, 21b
	EXTABLE	12b, 22b
	EXTABLE	13b, 23b

#ifdef CONFIG_PROCESSES
/* void arch_user_enter(struct arch_regs *regs): the top frame of our stack. */
	.globl arch_user_enter
	.type arch_user_enter, @function
arch_user_enter:
	movl	4(%esp), %eax
	cli
	movl	%eax, %esp
	pushl	%eax
	call	x86_exit_to_user
	addl	$4, %esp
	jmp	restore
	.size arch_user_enter, . - arch_user_enter
#endif

/*
 * arch_regs_resume() asked for another stack: copy the frame (without
 * ESP and SS, which a ring-0 IRET does not pop) to just below it, go
 * there and return as usual.  On the same stack the copy moves up and
 * may overlap, so it runs from the top down.
 */
resume:
	movl	REGS_SP(%esp), %eax
	subl	$REGS_TO_EFLAGS, %eax		/* the frame's new place */
	leal	REGS_TO_EFLAGS - 4(%esp), %esi
	leal	REGS_TO_EFLAGS - 4(%eax), %edi
	movl	$REGS_TO_EFLAGS / 4, %ecx
	std
	rep movsl
	cld
	movl	%eax, %esp
	jmp	restore

/*
 * The double-fault task (see tss.c) starts here on its own stack, with
 * the error code pushed.  The C side returns only when the fault was
 * accepted and the interrupted task's state (in its TSS) rewritten: IRET
 * with NT set switches back to it.  The next double fault continues
 * after the IRET, with the stack as it was then: go round again.
 */
	.globl x86_double_fault_task
	.type x86_double_fault_task, @function
x86_double_fault_task:
	call	x86_double_fault
	addl	$4, %esp			/* the error code */
	iret
	jmp	x86_double_fault_task
	.size x86_double_fault_task, . - x86_double_fault_task

/*
 * Where a double fault that a test accepted resumes (tss.c): the task
 * switch back set CR0.TS, which nothing here wants; ECX holds the resume
 * point (caller-saved: free at a return from arch_resume_set()).
 */
	.globl x86_resume_clts
	.type x86_resume_clts, @function
x86_resume_clts:
	clts
	jmp	*%ecx
	.size x86_resume_clts, . - x86_resume_clts

/* void x86_load_gdt(const struct desc_ptr *): reload every segment. */
	.globl x86_load_gdt
	.type x86_load_gdt, @function
x86_load_gdt:
	movl	4(%esp), %eax
	lgdt	(%eax)
	load_data_segments
	ljmp	$KERNEL_CS, $1f
1:	ret
	.size x86_load_gdt, . - x86_load_gdt

/*
 * int arch_resume_set(struct arch_resume *r): remember the callee-saved
 * registers, the stack pointer after the return and the return address;
 * 0 now, 1 when a trap resumes here (arch_regs_resume() in regs.c).
 */
	.globl arch_resume_set
	.type arch_resume_set, @function
arch_resume_set:
	movl	4(%esp), %eax
	movl	%ebx, 0(%eax)
	movl	%esi, 4(%eax)
	movl	%edi, 8(%eax)
	movl	%ebp, 12(%eax)
	leal	4(%esp), %ecx
	movl	%ecx, 16(%eax)
	movl	(%esp), %ecx
	movl	%ecx, 20(%eax)
	xorl	%eax, %eax
	ret
	.size arch_resume_set, . - arch_resume_set

/* long arch_call_on_stack(long (*fn)(void *), void *arg, void *stack_top) */
	.globl arch_call_on_stack
	.type arch_call_on_stack, @function
arch_call_on_stack:
	pushl	%ebp
	movl	%esp, %ebp
	movl	16(%ebp), %eax			/* stack_top */
	andl	$-16, %eax
	movl	%eax, %esp
	subl	$12, %esp			/* 16-byte aligned at the call */
	pushl	12(%ebp)			/* arg */
	call	*8(%ebp)
	movl	%ebp, %esp
	popl	%ebp
	ret
	.size arch_call_on_stack, . - arch_call_on_stack
