/*
 * The 256 interrupt and exception entry stubs the IDT points at
 * (desc.c), for both widths.  Each pushes a zero where the CPU pushes no
 * error code, so that every frame has the same shape, then its vector
 * number, and joins x86_isr_common ({32,64}/entry.S), which saves the
 * registers as a struct arch_regs.
 */
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
	/* No suffix: PUSH takes a stack slot, 4 bytes on i386, 8 on x86-64. */
	.if	!HAS_ERROR(vec)
	push	$0
	.endif
	push	$vec
	jmp	x86_isr_common
	.set	vec, vec + 1
	.endr
	.balign	X86_STUB_SIZE
	.globl x86_vector_stubs_end
x86_vector_stubs_end:			/* link.ld checks the stubs' size */
