/*
 * x86 thread context, both widths: only the stack pointer.  The switch
 * (arch/x86/switch.S) pushes the callee-saved registers and its return
 * address on the outgoing stack and pops the incoming thread's.  Kernel
 * code is integer-only, so no x87/SSE state is switched (docs/x86.md).
 */
#ifndef ASM_THREAD_H
#define ASM_THREAD_H

/* Registers in a switch frame, below the return address (asm/asm.h). */
#ifdef __x86_64__
#define X86_SWITCH_REGS		6	/* rbx, rbp, r12-r15 */
#else
#define X86_SWITCH_REGS		4	/* ebx, esi, edi, ebp */
#endif

#ifndef __ASSEMBLER__
#include <stdint.h>

struct arch_thread {
	uintptr_t sp;			/* at the switch frame */
};
#endif

#endif
