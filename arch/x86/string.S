/*
 * The kernel's memcpy and memset on x86 (lib/string.c has the portable
 * ones, left out on this port): REP MOVS/STOS of whole words, then of the
 * tail's bytes.  The C loops move one word per four to six instructions;
 * a string instruction moves one word per step.  On CPUs with fast
 * strings that is fast anyway, and under QEMU's TCG, where each step is
 * counted as an instruction, a 4 KiB page costs 512 (x86_64) or 1024
 * (i386) instead of about 3000.  The direction flag is clear in the
 * kernel (the entry paths clear it, as the ABI wants).
 */
#include <asm/asm.h>

	.text
#ifdef __x86_64__
/* void *memcpy(void *dst, const void *src, size_t n) */
	.globl memcpy
	.type memcpy, @function
memcpy:
	movq	%rdi, %rax
	movq	%rdx, %rcx
	shrq	$3, %rcx
	andl	$7, %edx
	rep movsq
	movl	%edx, %ecx
	rep movsb
	ret
	.size memcpy, . - memcpy

/* void *memset(void *dst, int c, size_t n) */
	.globl memset
	.type memset, @function
memset:
	movq	%rdi, %r9
	movzbl	%sil, %eax
	movabsq	$0x0101010101010101, %rsi
	imulq	%rsi, %rax			/* the byte in every byte of the word */
	movq	%rdx, %rcx
	shrq	$3, %rcx
	andl	$7, %edx
	rep stosq
	movl	%edx, %ecx
	rep stosb
	movq	%r9, %rax
	ret
	.size memset, . - memset
#else
/* cdecl: the arguments above the return address and the saved registers. */
	.globl memcpy
	.type memcpy, @function
memcpy:
	pushl	%edi
	pushl	%esi
	movl	12(%esp), %edi
	movl	16(%esp), %esi
	movl	20(%esp), %edx
	movl	%edx, %ecx
	shrl	$2, %ecx
	andl	$3, %edx
	rep movsl
	movl	%edx, %ecx
	rep movsb
	movl	12(%esp), %eax
	popl	%esi
	popl	%edi
	ret
	.size memcpy, . - memcpy

	.globl memset
	.type memset, @function
memset:
	pushl	%edi
	movl	8(%esp), %edi
	movzbl	12(%esp), %eax
	imull	$0x01010101, %eax, %eax
	movl	16(%esp), %edx
	movl	%edx, %ecx
	shrl	$2, %ecx
	andl	$3, %edx
	rep stosl
	movl	%edx, %ecx
	rep stosb
	movl	8(%esp), %eax
	popl	%edi
	ret
	.size memset, . - memset
#endif
