/*
 * i386 interrupt and exception entry.  The stubs (../vectors.S) join the
 * common path here, which saves the segment registers and PUSHA as a
 * struct arch_regs and calls x86_trap(); also the double-fault task's
 * entry and the GDT load.
 */
#include <asm/segment.h>

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
	cld
	pushl	%esp				/* struct arch_regs * */
	call	x86_trap
	addl	$4, %esp
	popal
	popl	%ds
	popl	%es
	popl	%fs
	popl	%gs
	addl	$8, %esp			/* vector and error code */
	iret

/*
 * The double-fault task (see tss.c) starts here on its own stack, with
 * the error code pushed; the C side never returns.
 */
	.globl x86_double_fault_task
	.type x86_double_fault_task, @function
x86_double_fault_task:
	call	x86_double_fault
1:	cli
	hlt
	jmp	1b
	.size x86_double_fault_task, . - x86_double_fault_task

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
