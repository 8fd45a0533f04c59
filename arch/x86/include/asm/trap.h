/*
 * x86 interrupt frame, as arch/x86/{32,64}/entry.S save it: the general
 * registers, the vector and error code the stub pushed, then what the CPU
 * pushed.  Vectors 0-31 are CPU exceptions, 0x20-0x2f the 8259 PIC's
 * lines (remapped past the exceptions), everything above is free.
 */
#ifndef ASM_TRAP_H
#define ASM_TRAP_H

#define X86_NR_EXCEPTIONS	32
#define X86_NR_VECTORS		256
#define X86_PIC_VECTOR_BASE	0x20	/* IRQ 0-15 -> vectors 0x20-0x2f */
#define X86_STUB_SIZE		16	/* bytes per entry stub */

/*
 * i386: arch_regs_resume() marks the frame with this vector so that the
 * exit path moves it to the resume point's stack; an IRET within ring 0
 * does not load ESP.
 */
#define X86_VECTOR_RESUME	0xffffffff
/* A frame built by a system-call entry, or for a new user program: no vector. */
#define X86_VECTOR_NONE		0x100

#ifndef __ASSEMBLER__
#include <stdint.h>

#ifdef __x86_64__
struct arch_regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;
	uint64_t error;		/* the CPU's error code, or 0 */
	/* Pushed by the CPU (always, in 64-bit mode). */
	uint64_t rip, cs, rflags, rsp, ss;
};

#define ARCH_REGS_SIZE	(22 * 8)
#else
struct arch_regs {
	/*
	 * PUSHA's frame.  Its ESP slot, which POPA skips, is overwritten with
	 * the stack pointer at the time of the interrupt.
	 */
	uint32_t edi, esi, ebp, sp, ebx, edx, ecx, eax;
	uint32_t ds, es, fs, gs;
	uint32_t vector;
	uint32_t error;
	/* Pushed by the CPU; esp and ss only on a change to ring 0. */
	uint32_t eip, cs, eflags;
	uint32_t esp, ss;
};

#define ARCH_REGS_SIZE	(19 * 4)
#endif

/* The interrupt vector that was taken. */
static inline unsigned int
x86_regs_vector(const struct arch_regs *regs)
{
	return (unsigned int)regs->vector;
}

/* The stack pointer at the trap. */
static inline uintptr_t
x86_regs_sp(const struct arch_regs *regs)
{
#ifdef __x86_64__
	return regs->rsp;
#else
	return regs->sp;
#endif
}

/* EFLAGS at the trap. */
static inline unsigned long
x86_regs_flags(const struct arch_regs *regs)
{
#ifdef __x86_64__
	return regs->rflags;
#else
	return regs->eflags;
#endif
}

/*
 * A resume point (arch_resume_set() in {32,64}/entry.S): the callee-saved
 * registers, the stack pointer after arch_resume_set() returns, and where
 * it returns to.  The offsets are entry.S's.
 */
struct arch_resume {
#ifdef __x86_64__
	uint64_t rbx, rbp, r12, r13, r14, r15;
#else
	uint32_t ebx, esi, edi, ebp;
#endif
	uintptr_t sp;
	uintptr_t pc;
};
#endif

#endif
