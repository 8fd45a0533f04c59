/*
 * i386 interrupt and exception entry.  One stub per vector pushes a zero
 * where the CPU pushes no error code, then the vector number, and joins
 * the common path, which saves the segment registers and PUSHA as a
 * struct arch_regs and calls x86_trap().
 */
#include <asm/segment.h>
#include <asm/trap.h>

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
		      (v) == 21 || (v) == 29 || (v) == 30)

	.text
	.balign	X86_STUB_SIZE
	.globl x86_vector_stubs
x86_vector_stubs:
	.set	vec, 0
	.rept	X86_NR_VECTORS
	.balign	X86_STUB_SIZE
	.if	!HAS_ERROR(vec)
	pushl	$0
	.endif
	pushl	$vec
	jmp	x86_isr_common
	.set	vec, vec + 1
	.endr
	.balign	X86_STUB_SIZE
	.globl x86_vector_stubs_end
x86_vector_stubs_end:			/* link.ld checks the stubs' size */

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
	movl	$KERNEL_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	ljmp	$KERNEL_CS, $1f
1:	ret
	.size x86_load_gdt, . - x86_load_gdt

/*
 * Faulting instructions with exception-table entries: the HAL's
 * arch_trigger_undefined() and the x86 tests' triggers.
 */
.macro extable insn, fixup
	.pushsection __extable, "a"
	.balign	4
	.long	\insn, \fixup
	.popsection
.endm

	.globl arch_trigger_undefined
	.type arch_trigger_undefined, @function
arch_trigger_undefined:
1:	ud2
2:	ret
	extable	1b, 2b
	.size arch_trigger_undefined, . - arch_trigger_undefined

	.globl x86_trigger_divide
	.type x86_trigger_divide, @function
x86_trigger_divide:
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	movl	$1, %eax
1:	divl	%ecx
2:	ret
	extable	1b, 2b
	.size x86_trigger_divide, . - x86_trigger_divide

/* void x86_trigger_gp_selector(unsigned int selector): load it into FS. */
	.globl x86_trigger_gp_selector
	.type x86_trigger_gp_selector, @function
x86_trigger_gp_selector:
	movl	4(%esp), %eax
1:	movw	%ax, %fs
2:	ret
	extable	1b, 2b
	.size x86_trigger_gp_selector, . - x86_trigger_gp_selector

/* uintptr_t x86_probe_read(uintptr_t addr): ~0 when the read faults. */
	.globl x86_probe_read
	.type x86_probe_read, @function
x86_probe_read:
	movl	4(%esp), %ecx
	movl	$-1, %eax
1:	movl	(%ecx), %eax
2:	ret
	extable	1b, 2b
	.size x86_probe_read, . - x86_probe_read
