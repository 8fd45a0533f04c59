/*
 * The i386 task state segment's layout.  The main TSS holds SS0:ESP0,
 * where an entry from user mode switches to (the running thread's stack
 * top, written at every switch), and receives the state a double fault
 * interrupted; the double-fault task's own TSS has its stack and tables.
 */
#ifndef ARCH_X86_32_TSS_H
#define ARCH_X86_32_TSS_H

#include <kernel/types.h>

#define X86_EXC_STACKS		1	/* the double-fault task's */

/* The 16-bit fields sit in the low half of 32-bit slots. */
struct x86_tss {
	uint32_t link;
	uint32_t esp0, ss0, esp1, ss1, esp2, ss2;
	uint32_t cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs;
	uint32_t ldt;
	uint16_t trap;
	uint16_t iomap_base;
};

static inline void
x86_tss_set_sp0(struct x86_tss *tss, uintptr_t sp)
{
	tss->esp0 = (uint32_t)sp;
}

#endif
