/*
 * int x86_callee_saved_probe(void (*fn)(void), unsigned long seed): load
 * seed + 1, seed + 2, ... into the callee-saved registers, call fn (which
 * lets other threads run) and count the registers that came back changed.
 * What the C compiler keeps in them is up to it; this checks every one,
 * for both widths (asm/asm.h), whether fn yields or is preempted by an
 * interrupt.  Threads probing with different seeds see each other's
 * values if a switch mixes them up.
 */
#include <asm/asm.h>
#include <asm/thread.h>

/* Return address, the registers and the seed: pad the call to 16 bytes. */
#define PAD		((16 - (X86_SWITCH_REGS + 2) * PTR_SIZE % 16) % 16)

	.text
	.globl x86_callee_saved_probe
	.type x86_callee_saved_probe, @function
x86_callee_saved_probe:
	mov	ARG1, PTR_AX			/* before the pushes move ESP */
	mov	ARG2, PTR_DX
	.irp	reg, CALLEE_SAVED
	push	\reg
	.endr
	push	PTR_DX
	sub	$PAD, PTR_SP
	.set	n, 1
	.irp	reg, CALLEE_SAVED
	mov	PTR_DX, \reg
	add	$n, \reg
	.set	n, n + 1
	.endr
	call	*PTR_AX
	mov	PAD(PTR_SP), PTR_DX		/* the seed */
	xorl	%eax, %eax
	.set	n, 1
	.irp	reg, CALLEE_SAVED
	mov	PTR_DX, PTR_CX
	add	$n, PTR_CX
	cmp	PTR_CX, \reg
	setne	%cl
	movzbl	%cl, %ecx
	addl	%ecx, %eax
	.set	n, n + 1
	.endr
	add	$PAD + PTR_SIZE, PTR_SP
	.irp	reg, CALLEE_SAVED_REVERSED
	pop	\reg
	.endr
	ret
	.size x86_callee_saved_probe, . - x86_callee_saved_probe
