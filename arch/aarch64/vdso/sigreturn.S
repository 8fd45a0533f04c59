/*
 * The signal return trampoline of the AArch64 vDSO: a handler installed
 * without SA_RESTORER (arm64 glibc never sets one) returns here, and the
 * kernel's rt_sigreturn restores the interrupted context from the frame.
 *
 * No CFI: unwinders (libgcc, gdb) recognise a signal frame by these two
 * instructions at the return address.  The nop before them keeps the
 * address unwinders look up (the return address less one) out of any
 * function's unwind entry, so they fall back to that recognition.
 */
	.section .text.sigreturn, "ax", %progbits
	.balign	16
	nop
	.globl	__kernel_rt_sigreturn
	.type	__kernel_rt_sigreturn, %function
__kernel_rt_sigreturn:
	mov	x8, #139		/* __NR_rt_sigreturn */
	svc	#0
	.size	__kernel_rt_sigreturn, . - __kernel_rt_sigreturn

	.section .note.GNU-stack, "", %progbits
