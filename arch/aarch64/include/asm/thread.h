/*
 * AArch64 thread context: only the stack pointer.  The switch pushes the
 * callee-saved registers (x19-x30) on the outgoing stack and pops the
 * incoming thread's; kernel code never touches FP/SIMD registers.
 */
#ifndef ASM_THREAD_H
#define ASM_THREAD_H

/* The switch frame: x19..x28, x29 (fp), x30 (lr), 16-byte aligned. */
#define ARCH_SWITCH_FRAME	(12 * 8)

#ifndef __ASSEMBLER__
#include <stdint.h>

struct arch_thread {
	uint64_t sp;
};
#endif

#endif
