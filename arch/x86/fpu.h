/*
 * Saving and restoring a thread's FP/SSE registers (FXSAVE format, or
 * FNSAVE on an i386 without FXSR), inline for the switch path
 * (thread.c); the policy is in fpu.c.  Private to arch/x86.
 */
#ifndef ARCH_X86_FPU_H
#define ARCH_X86_FPU_H

#include <arch/thread.h>
#include <asm/x86.h>
#include <kernel/compiler.h>

static __always_inline void *
x86_fp_area(struct arch_thread *t)
{
	return (void *)ALIGN_UP((uintptr_t)t->fp_buf, X86_FP_AREA_ALIGN);
}

#ifndef __x86_64__
/* Set once by the boot CPU (fpu.c): the CPU has FXSAVE, CR4.OSFXSR is on. */
extern bool x86_fxsr;
#endif

static __always_inline void
x86_fp_save(struct arch_thread *t)
{
#ifdef __x86_64__
	__asm__ __volatile__("fxsave64 (%0)" :: "r"(x86_fp_area(t)) : "memory");
#else
	if (x86_fxsr)
		__asm__ __volatile__("fxsave (%0)" :: "r"(x86_fp_area(t)) : "memory");
	else
		__asm__ __volatile__("fnsave (%0)" :: "r"(x86_fp_area(t)) : "memory");
#endif
}

static __always_inline void
x86_fp_restore(struct arch_thread *t)
{
#ifdef __x86_64__
	__asm__ __volatile__("fxrstor64 (%0)" :: "r"(x86_fp_area(t)) : "memory");
#else
	if (x86_fxsr)
		__asm__ __volatile__("fxrstor (%0)" :: "r"(x86_fp_area(t)) : "memory");
	else
		__asm__ __volatile__("frstor (%0)" :: "r"(x86_fp_area(t)) : "memory");
#endif
}

#endif
