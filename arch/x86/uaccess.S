/*
 * x86 user-memory copies (<kernel/uaccess.h>): REP MOVS/STOS of words for
 * the bulk and of bytes for the tail, and a byte loop, inside SMAP's
 * STAC/CLAC brackets, each faulting instruction with an exception-table
 * entry.  Words rather than REP MOVSB alone: CPUs without ERMS (QEMU's
 * qemu64/qemu32 among them) move one byte per step, and under TCG every
 * step counts as an instruction.  A fault demand paging cannot resolve
 * resumes at the fixup with the count register still holding the units
 * not done and the pointers at the first of them; a fault in the word
 * part redoes the rest with REP MOVSB/STOSB, which stops at the first
 * byte that cannot be reached, so the result is exact.
 */
#include <asm/asm.h>

	.text
#ifdef __x86_64__
/* size_t arch_copy_from_user(void *dst, const void *src, size_t n), and _to_ */
	.globl arch_copy_from_user
	.type arch_copy_from_user, @function
	.globl arch_copy_to_user
	.type arch_copy_to_user, @function
arch_copy_from_user:
arch_copy_to_user:
	movq	%rdx, %rcx
	shrq	$3, %rcx			/* 8-byte words */
	andl	$7, %edx			/* then the tail's bytes */
	USER_ACCESS_BEGIN
1:	rep movsq
	movl	%edx, %ecx
2:	rep movsb
3:	USER_ACCESS_END
	movq	%rcx, %rax
	ret
4:	leaq	(%rdx,%rcx,8), %rcx		/* a fault among the words: bytes left */
	jmp	2b
	EXTABLE	1b, 4b
	EXTABLE	2b, 3b
	.size arch_copy_from_user, . - arch_copy_from_user

/* size_t arch_clear_user(void *dst, size_t n) */
	.globl arch_clear_user
	.type arch_clear_user, @function
arch_clear_user:
	movq	%rsi, %rcx
	shrq	$3, %rcx
	andl	$7, %esi
	USER_ACCESS_BEGIN
	xorl	%eax, %eax
1:	rep stosq
	movl	%esi, %ecx
2:	rep stosb
3:	USER_ACCESS_END
	movq	%rcx, %rax
	ret
4:	leaq	(%rsi,%rcx,8), %rcx
	jmp	2b
	EXTABLE	1b, 4b
	EXTABLE	2b, 3b
	.size arch_clear_user, . - arch_clear_user

/* long arch_strnlen_user(const char *s, size_t n): length, n, or -1 */
	.globl arch_strnlen_user
	.type arch_strnlen_user, @function
arch_strnlen_user:
	USER_ACCESS_BEGIN
	xorl	%eax, %eax
1:	cmpq	%rsi, %rax
	jae	3f
2:	movzbl	(%rdi,%rax), %ecx
	testl	%ecx, %ecx
	jz	3f
	incq	%rax
	jmp	1b
4:	movq	$-1, %rax
3:	USER_ACCESS_END
	ret
	EXTABLE	2b, 4b
	.size arch_strnlen_user, . - arch_strnlen_user

/* int arch_user_cmpxchg32(uint32_t *uaddr, uint32_t old, uint32_t new, uint32_t *cur) */
	.globl arch_user_cmpxchg32
	.type arch_user_cmpxchg32, @function
arch_user_cmpxchg32:
	movl	%esi, %eax
	USER_ACCESS_BEGIN
1:	lock cmpxchgl %edx, (%rdi)
	USER_ACCESS_END
	movl	%eax, (%rcx)
	xorl	%eax, %eax
	ret
2:	USER_ACCESS_END
	movl	$-14, %eax			/* -EFAULT */
	ret
	EXTABLE	1b, 2b
	.size arch_user_cmpxchg32, . - arch_user_cmpxchg32
#else
/* cdecl: the arguments above the return address and the two saved registers. */
	.globl arch_copy_from_user
	.type arch_copy_from_user, @function
	.globl arch_copy_to_user
	.type arch_copy_to_user, @function
arch_copy_from_user:
arch_copy_to_user:
	pushl	%edi
	pushl	%esi
	movl	12(%esp), %edi
	movl	16(%esp), %esi
	movl	20(%esp), %edx
	movl	%edx, %ecx
	shrl	$2, %ecx			/* 4-byte words */
	andl	$3, %edx			/* then the tail's bytes */
	USER_ACCESS_BEGIN
1:	rep movsl
	movl	%edx, %ecx
2:	rep movsb
3:	USER_ACCESS_END
	movl	%ecx, %eax
	popl	%esi
	popl	%edi
	ret
4:	leal	(%edx,%ecx,4), %ecx		/* a fault among the words: bytes left */
	jmp	2b
	EXTABLE	1b, 4b
	EXTABLE	2b, 3b
	.size arch_copy_from_user, . - arch_copy_from_user

	.globl arch_clear_user
	.type arch_clear_user, @function
arch_clear_user:
	pushl	%edi
	movl	8(%esp), %edi
	movl	12(%esp), %edx
	movl	%edx, %ecx
	shrl	$2, %ecx
	andl	$3, %edx
	USER_ACCESS_BEGIN
	xorl	%eax, %eax
1:	rep stosl
	movl	%edx, %ecx
2:	rep stosb
3:	USER_ACCESS_END
	movl	%ecx, %eax
	popl	%edi
	ret
4:	leal	(%edx,%ecx,4), %ecx
	jmp	2b
	EXTABLE	1b, 4b
	EXTABLE	2b, 3b
	.size arch_clear_user, . - arch_clear_user

	.globl arch_strnlen_user
	.type arch_strnlen_user, @function
arch_strnlen_user:
	pushl	%ebx
	movl	8(%esp), %edx
	movl	12(%esp), %ebx
	USER_ACCESS_BEGIN
	xorl	%eax, %eax
1:	cmpl	%ebx, %eax
	jae	3f
2:	movzbl	(%edx,%eax), %ecx
	testl	%ecx, %ecx
	jz	3f
	incl	%eax
	jmp	1b
4:	movl	$-1, %eax
3:	USER_ACCESS_END
	popl	%ebx
	ret
	EXTABLE	2b, 4b
	.size arch_strnlen_user, . - arch_strnlen_user

	.globl arch_user_cmpxchg32
	.type arch_user_cmpxchg32, @function
arch_user_cmpxchg32:
	movl	4(%esp), %edx			/* uaddr */
	movl	8(%esp), %eax			/* old */
	movl	12(%esp), %ecx			/* new */
	USER_ACCESS_BEGIN
1:	lock cmpxchgl %ecx, (%edx)
	USER_ACCESS_END
	movl	16(%esp), %edx
	movl	%eax, (%edx)
	xorl	%eax, %eax
	ret
2:	USER_ACCESS_END
	movl	$-14, %eax			/* -EFAULT */
	ret
	EXTABLE	1b, 2b
	.size arch_user_cmpxchg32, . - arch_user_cmpxchg32
#endif
