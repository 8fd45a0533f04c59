/*
 * x86-64 interrupt and exception entry.  The stubs (../vectors.S) join
 * the common path here, which saves a struct arch_regs and calls
 * x86_trap(); also the GDT load, resume points and running a function
 * on another stack.  The CPU aligned RSP to 16 bytes before
 * pushing its frame, and the frame is a multiple of 16 bytes, so C is
 * entered aligned.
 */
#include <asm/asm.h>
#include <asm/segment.h>

	.text
	.globl x86_isr_common
x86_isr_common:
#ifdef CONFIG_PROCESSES
	/* From ring 3 (the frame's CS, above vector and error code): the kernel's GS base. */
	testb	$3, 24(%rsp)
	jz	1f
	swapgs
1:
#endif
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
	/* EFLAGS.AC from user mode or an interrupted user copy must not lift SMAP here. */
	USER_ACCESS_END
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
#ifdef CONFIG_PROCESSES
	testb	$3, 8(%rsp)
	jz	2f
	swapgs
2:
#endif
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

/*
 * int arch_resume_set(struct arch_resume *r): remember the callee-saved
 * registers, the stack pointer after the return and the return address;
 * 0 now, 1 when a trap resumes here (arch_regs_resume() in regs.c).
 */
	.globl arch_resume_set
	.type arch_resume_set, @function
arch_resume_set:
	movq	%rbx, 0(%rdi)
	movq	%rbp, 8(%rdi)
	movq	%r12, 16(%rdi)
	movq	%r13, 24(%rdi)
	movq	%r14, 32(%rdi)
	movq	%r15, 40(%rdi)
	leaq	8(%rsp), %rax
	movq	%rax, 48(%rdi)
	movq	(%rsp), %rax
	movq	%rax, 56(%rdi)
	xorl	%eax, %eax
	ret
	.size arch_resume_set, . - arch_resume_set

/* long arch_call_on_stack(long (*fn)(void *), void *arg, void *stack_top) */
	.globl arch_call_on_stack
	.type arch_call_on_stack, @function
arch_call_on_stack:
	pushq	%rbp
	movq	%rsp, %rbp
	andq	$-16, %rdx			/* the ABI's alignment at the call */
	movq	%rdx, %rsp
	movq	%rdi, %rax
	movq	%rsi, %rdi
	call	*%rax
	movq	%rbp, %rsp
	popq	%rbp
	ret
	.size arch_call_on_stack, . - arch_call_on_stack
