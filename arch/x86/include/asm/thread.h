/*
 * x86 thread context, both widths.  The switch (arch/x86/switch.S)
 * pushes the callee-saved registers and its return address on the
 * outgoing stack and keeps the stack pointer here.  When either thread
 * owns FP state (<arch/thread.h>) arch/x86/thread.c also switches what
 * else such a thread carries: its FP/SSE registers (saved and restored
 * eagerly, in FXSAVE format), its TLS base, and the stack top an entry
 * from user mode switches to (this CPU's TSS sp0).  Kernel code stays
 * integer-only outside arch_fp_kernel_begin/end (docs/x86.md).
 */
#ifndef ASM_THREAD_H
#define ASM_THREAD_H

/* Registers in a switch frame, below the return address (asm/asm.h). */
#ifdef __x86_64__
#define X86_SWITCH_REGS		6	/* rbx, rbp, r12-r15 */
/* Their slots, from the saved stack pointer up (switch.S pops r15 first). */
#define X86_SWITCH_R12		3
#define X86_SWITCH_RBX		5
#else
#define X86_SWITCH_REGS		4	/* ebx, esi, edi, ebp */
#endif

/* struct arch_thread offsets switch.S uses. */
#define THREAD_SP		0
#define THREAD_FP_OWNED		(3 * __SIZEOF_POINTER__)

#define X86_FP_AREA_SIZE	512	/* FXSAVE (FNSAVE, without FXSR, takes 108) */
#define X86_FP_AREA_ALIGN	16

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

/* Written by the thread itself, or before it first runs. */
struct arch_thread {
	uintptr_t sp;			/* at the switch frame: switch.S wants it first */
	uintptr_t entry_stack;		/* kernel stack top, for entry from user mode */
	uintptr_t tls;			/* FS base (x86_64), GDT_TLS base (i386) */
	/*
	 * FP/SSE saved and restored at switches; such a thread's entry_stack
	 * and tls are loaded when it is switched to (kernel threads have no
	 * use for them).
	 */
	bool fp_owned;
	/*
	 * While switched out (fp_owned): FXSAVE wants 16-byte alignment, and
	 * a struct thread from kmalloc has only the pointer size's, so the
	 * area starts at the first aligned byte (x86_fp_area()).
	 */
	uint8_t fp_buf[X86_FP_AREA_SIZE + X86_FP_AREA_ALIGN - 1];
};

_Static_assert(__builtin_offsetof(struct arch_thread, sp) == THREAD_SP, "switch.S");
_Static_assert(__builtin_offsetof(struct arch_thread, fp_owned) == THREAD_FP_OWNED, "switch.S");

void arch_thread_fp_own(struct arch_thread *t);
void arch_fp_kernel_begin(void);
void arch_fp_kernel_end(void);
#endif

#endif
