/*
 * x86-64 interrupt and exception entry.  The stubs (../vectors.S) join
 * the common path here, which saves a struct arch_regs and calls
 * x86_trap(); also the GDT load.  The CPU aligned RSP to 16 bytes before
 * pushing its frame, and the frame is a multiple of 16 bytes, so C is
 * entered aligned.
 */
#include <asm/segment.h>

	.text
	.globl x86_isr_common
x86_isr_common:
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	cld
	movq	%rsp, %rdi
	call	x86_trap
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp			/* vector and error code */
	iretq

/* void x86_load_gdt(const struct desc_ptr *): reload every segment. */
	.globl x86_load_gdt
	.type x86_load_gdt, @function
x86_load_gdt:
	lgdt	(%rdi)
	load_data_segments
	popq	%rax				/* return address */
	pushq	$KERNEL_CS
	pushq	%rax
	lretq
	.size x86_load_gdt, . - x86_load_gdt
