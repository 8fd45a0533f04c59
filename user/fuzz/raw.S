/*
 * The fuzzer's raw system calls, one block per port.  glibc's syscall()
 * sets errno (thread-local storage, which the fuzzer's threads share) and
 * its clone() runs C in the child; these return the kernel's value as is
 * (-errno on failure) and never touch memory.
 *
 *   long fz_syscall(long nr, long a0, ..., long a5)
 *   long fz_syscall_fork(long nr, long a0, ..., long a5)
 *	the same, but where the call returns 0 (the child of fork, vfork,
 *	clone or clone3, perhaps on a stack of the fuzzer's choosing, perhaps
 *	sharing its memory) the child ends at once with exit(0), using
 *	neither its stack nor its thread pointer
 *   long fz_clone_thread(unsigned long flags, void *sp, int *ptid,
 *			  int *ctid, unsigned long tls)
 *	clone() for the fuzzer's own threads: the child pops a function
 *	and its argument from sp (fz_thread_stack() in worker.c lays them
 *	out), calls it, then exit(0)s
 */

#if defined(__aarch64__)

	.text
	.globl	fz_syscall
	.type	fz_syscall, %function
fz_syscall:
	mov	x8, x0
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	mov	x3, x4
	mov	x4, x5
	mov	x5, x6
	svc	#0
	ret
	.size	fz_syscall, . - fz_syscall

	.globl	fz_syscall_fork
	.type	fz_syscall_fork, %function
fz_syscall_fork:
	mov	x8, x0
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	mov	x3, x4
	mov	x4, x5
	mov	x5, x6
	svc	#0
	cbz	x0, 1f
	ret
1:	mov	x8, #93			/* exit */
	mov	x0, #0
	svc	#0
	brk	#0
	.size	fz_syscall_fork, . - fz_syscall_fork

	/* clone(flags, sp, ptid, tls, ctid): the generic order */
	.globl	fz_clone_thread
	.type	fz_clone_thread, %function
fz_clone_thread:
	mov	x5, x4			/* tls */
	mov	x4, x3			/* ctid */
	mov	x3, x5
	mov	x8, #220		/* clone */
	svc	#0
	cbz	x0, 1f
	ret
1:	ldp	x1, x0, [sp], #16	/* function, argument */
	mov	x29, xzr
	blr	x1
	mov	x8, #93
	mov	x0, #0
	svc	#0
	brk	#0
	.size	fz_clone_thread, . - fz_clone_thread

	.globl	fz_sigreturn_jump
	.type	fz_sigreturn_jump, %function
fz_sigreturn_jump:
	mov	sp, x0
	mov	x8, x1
	svc	#0
	brk	#0
	.size	fz_sigreturn_jump, . - fz_sigreturn_jump

#elif defined(__x86_64__)

	.text
	.globl	fz_syscall
	.type	fz_syscall, @function
fz_syscall:
	movq	%rdi, %rax
	movq	%rsi, %rdi
	movq	%rdx, %rsi
	movq	%rcx, %rdx
	movq	%r8, %r10
	movq	%r9, %r8
	movq	8(%rsp), %r9
	syscall
	ret
	.size	fz_syscall, . - fz_syscall

	.globl	fz_syscall_fork
	.type	fz_syscall_fork, @function
fz_syscall_fork:
	movq	%rdi, %rax
	movq	%rsi, %rdi
	movq	%rdx, %rsi
	movq	%rcx, %rdx
	movq	%r8, %r10
	movq	%r9, %r8
	movq	8(%rsp), %r9
	syscall
	testq	%rax, %rax
	jz	1f
	ret
1:	movl	$60, %eax		/* exit */
	xorl	%edi, %edi
	syscall
	ud2
	.size	fz_syscall_fork, . - fz_syscall_fork

	/* x86-64 clone(flags, sp, ptid, ctid, tls) */
	.globl	fz_clone_thread
	.type	fz_clone_thread, @function
fz_clone_thread:
	movq	%rcx, %r10		/* ctid */
	movl	$56, %eax		/* clone */
	syscall
	testq	%rax, %rax
	jz	1f
	ret
1:	popq	%rax			/* function */
	popq	%rdi			/* argument */
	xorl	%ebp, %ebp
	call	*%rax
	movl	$60, %eax
	xorl	%edi, %edi
	syscall
	ud2
	.size	fz_clone_thread, . - fz_clone_thread

	.globl	fz_sigreturn_jump
	.type	fz_sigreturn_jump, @function
fz_sigreturn_jump:
	movq	%rdi, %rsp
	movq	%rsi, %rax
	syscall
	ud2
	.size	fz_sigreturn_jump, . - fz_sigreturn_jump

#elif defined(__i386__)

	.text
	.globl	fz_syscall
	.type	fz_syscall, @function
fz_syscall:
	pushl	%ebp
	pushl	%edi
	pushl	%esi
	pushl	%ebx
	movl	20(%esp), %eax
	movl	24(%esp), %ebx
	movl	28(%esp), %ecx
	movl	32(%esp), %edx
	movl	36(%esp), %esi
	movl	40(%esp), %edi
	movl	44(%esp), %ebp
	int	$0x80
	popl	%ebx
	popl	%esi
	popl	%edi
	popl	%ebp
	ret
	.size	fz_syscall, . - fz_syscall

	.globl	fz_syscall_fork
	.type	fz_syscall_fork, @function
fz_syscall_fork:
	pushl	%ebp
	pushl	%edi
	pushl	%esi
	pushl	%ebx
	movl	20(%esp), %eax
	movl	24(%esp), %ebx
	movl	28(%esp), %ecx
	movl	32(%esp), %edx
	movl	36(%esp), %esi
	movl	40(%esp), %edi
	movl	44(%esp), %ebp
	int	$0x80
	testl	%eax, %eax
	jz	1f
	popl	%ebx
	popl	%esi
	popl	%edi
	popl	%ebp
	ret
1:	movl	$1, %eax		/* exit */
	xorl	%ebx, %ebx
	int	$0x80
	ud2
	.size	fz_syscall_fork, . - fz_syscall_fork

	/* i386 clone(flags, sp, ptid, tls, ctid) */
	.globl	fz_clone_thread
	.type	fz_clone_thread, @function
fz_clone_thread:
	pushl	%ebp
	pushl	%edi
	pushl	%esi
	pushl	%ebx
	movl	$120, %eax		/* clone */
	movl	20(%esp), %ebx		/* flags */
	movl	24(%esp), %ecx		/* sp */
	movl	28(%esp), %edx		/* ptid */
	movl	32(%esp), %edi		/* ctid */
	movl	36(%esp), %esi		/* tls */
	int	$0x80
	testl	%eax, %eax
	jz	1f
	popl	%ebx
	popl	%esi
	popl	%edi
	popl	%ebp
	ret
1:	popl	%eax			/* function; the argument stays on top */
	xorl	%ebp, %ebp
	call	*%eax
	movl	$1, %eax
	xorl	%ebx, %ebx
	int	$0x80
	ud2
	.size	fz_clone_thread, . - fz_clone_thread

	.globl	fz_sigreturn_jump
	.type	fz_sigreturn_jump, @function
fz_sigreturn_jump:
	movl	8(%esp), %eax
	movl	4(%esp), %esp
	int	$0x80
	ud2
	.size	fz_sigreturn_jump, . - fz_sigreturn_jump

#else
#error "kite-fuzz: no raw system calls for this architecture"
#endif

	.section .note.GNU-stack, "", %progbits
