/*
 * The i386 vDSO's assembly entry points (LINUX_2.5, vdso32.ver).
 *
 * __kernel_vsyscall (AT_SYSINFO): glibc makes every system call through
 * it.  This kernel's entry is INT 0x80, which keeps every register but
 * EAX, so that is all it does.  Its CFI lets an unwinder (thread
 * cancellation in a blocking call) step out of it.
 *
 * The signal return trampolines: a handler installed without SA_RESTORER
 * returns to __kernel_sigreturn (a frame without siginfo) or
 * __kernel_rt_sigreturn.  No CFI: unwinders recognise a signal frame by
 * these very bytes at the return address; the nop before each keeps the
 * address they look up (the return address less one) out of any
 * function's unwind entry.
 */
	.text
	.globl	__kernel_vsyscall
	.type	__kernel_vsyscall, @function
	.balign	16
__kernel_vsyscall:
	.cfi_startproc
	int	$0x80
	ret
	.cfi_endproc
	.size	__kernel_vsyscall, . - __kernel_vsyscall

	.section .text.sigreturn, "ax", @progbits
	.balign	32
	nop
	.globl	__kernel_sigreturn
	.type	__kernel_sigreturn, @function
__kernel_sigreturn:
	popl	%eax			/* the signal number, which the frame has below sc */
	movl	$119, %eax		/* __NR_sigreturn */
	int	$0x80
	.size	__kernel_sigreturn, . - __kernel_sigreturn

	.balign	32
	nop
	.globl	__kernel_rt_sigreturn
	.type	__kernel_rt_sigreturn, @function
__kernel_rt_sigreturn:
	movl	$173, %eax		/* __NR_rt_sigreturn */
	int	$0x80
	.size	__kernel_rt_sigreturn, . - __kernel_rt_sigreturn

	.section .note.GNU-stack, "", @progbits
