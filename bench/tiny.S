/*
 * kbench-tiny: the smallest static program, _start calling exit(0), for
 * kbench's fork_exec_tiny row (exec without a C library's start-up).
 * Built -nostdlib -static by the Linux cross toolchain of the board.
 */
	.text
	.globl	_start
_start:
#if defined(__aarch64__)
	mov	x0, #0
	mov	x8, #93			/* exit */
	svc	#0
#elif defined(__x86_64__)
	xor	%edi, %edi
	mov	$60, %eax		/* exit */
	syscall
#elif defined(__i386__)
	xor	%ebx, %ebx
	mov	$1, %eax		/* exit */
	int	$0x80
#else
#error "kbench-tiny: no exit sequence for this architecture"
#endif
	.section .note.GNU-stack, "", %progbits
