/*
 * x86-64 interrupt and exception entry.  One stub per vector pushes a
 * zero where the CPU pushes no error code, then the vector number, and
 * joins the common path, which saves a struct arch_regs and calls
 * x86_trap().  The CPU aligned RSP to 16 bytes before pushing its frame,
 * and the frame is a multiple of 16 bytes, so C is entered aligned.
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
	pushq	$0
	.endif
	pushq	$vec
	jmp	x86_isr_common
	.set	vec, vec + 1
	.endr
	.balign	X86_STUB_SIZE
	.globl x86_vector_stubs_end
x86_vector_stubs_end:			/* link.ld checks the stubs' size */

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
	movl	$KERNEL_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	popq	%rax				/* return address */
	pushq	$KERNEL_CS
	pushq	%rax
	lretq
	.size x86_load_gdt, . - x86_load_gdt

/*
 * Faulting instructions with exception-table entries: the HAL's
 * arch_trigger_undefined() and the x86 tests' triggers.
 */
.macro extable insn, fixup
	.pushsection __extable, "a"
	.balign	8
	.quad	\insn, \fixup
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
	movl	%edi, %eax
1:	movw	%ax, %fs
2:	xorl	%eax, %eax
	movw	%ax, %fs
	ret
	extable	1b, 2b
	.size x86_trigger_gp_selector, . - x86_trigger_gp_selector

/* uintptr_t x86_probe_read(uintptr_t addr): ~0 when the read faults. */
	.globl x86_probe_read
	.type x86_probe_read, @function
x86_probe_read:
	movq	$-1, %rax
1:	movq	(%rdi), %rax
2:	ret
	extable	1b, 2b
	.size x86_probe_read, . - x86_probe_read
