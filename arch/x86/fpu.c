/*
 * FP and SSE state, both widths, switched eagerly (<arch/thread.h>):
 * a thread that owns FP state has its x87/MMX/SSE registers saved into
 * its struct arch_thread at every switch away and restored at every
 * switch to it; nobody else's are touched, and CR0.TS is never used to
 * defer the work (a lazy scheme leaves one thread's registers readable
 * by another until the trap).  FXSAVE/FXRSTOR where the CPU has them
 * (every x86-64 CPU, QEMU's qemu32), FNSAVE/FRSTOR on an i386 without.
 * XSAVE state beyond SSE (AVX) stays disabled: CR4.OSXSAVE is off, so
 * such instructions are #UD.
 */
#include <string.h>
#include <arch/cpu.h>
#include <arch/thread.h>
#include <asm/x86.h>
#include <kernel/thread.h>
#include "fpu.h"
#include "internal.h"

#define FCW_DEFAULT	0x037f		/* all exceptions masked, 64-bit precision */
#define MXCSR_DEFAULT	0x1f80		/* all exceptions masked, round to nearest */
#define FXSAVE_MXCSR	24		/* offsets in the FXSAVE image */
#define FNSAVE_FTW	8		/* in the FNSAVE image: the tag word */

#ifdef __x86_64__
#define fxsr()		true
#else
bool x86_fxsr;				/* written once, by the boot CPU */
#define fxsr()		x86_fxsr
#endif

void
x86_fp_init(void)
{
#ifndef __x86_64__
	x86_fxsr = read_cr(4) & CR4_OSFXSR;
#endif
}

/* The state FNINIT and a reset MXCSR leave, as a save image. */
static void
fp_area_reset(struct arch_thread *t)
{
	uint8_t *a = x86_fp_area(t);
	uint16_t fcw = FCW_DEFAULT;

	memset(a, 0, X86_FP_AREA_SIZE);
	memcpy(a, &fcw, sizeof(fcw));
	if (fxsr()) {
		uint32_t mxcsr = MXCSR_DEFAULT;

		memcpy(a + FXSAVE_MXCSR, &mxcsr, sizeof(mxcsr));	/* FTW 0: all empty */
	} else {
		uint16_t ftw = 0xffff;					/* all empty */

		memcpy(a + FNSAVE_FTW, &ftw, sizeof(ftw));
	}
}

void
arch_thread_fp_own(struct arch_thread *t)
{
	unsigned long flags = arch_irq_save();

	fp_area_reset(t);
	t->fp_owned = true;
	/* The running thread itself: its registers take the reset values now. */
	if (t == &thread_current()->arch)
		x86_fp_restore(t);
	arch_irq_restore(flags);
}

/*
 * Kernel FP use, not nested, in thread context: the owner's registers
 * are parked in its area meanwhile (no switch can happen: preemption is
 * off), and brought back at the end.
 */
void
arch_fp_kernel_begin(void)
{
	struct thread *me;

	preempt_disable();
	me = thread_current();
	if (me && me->arch.fp_owned)
		x86_fp_save(&me->arch);
	__asm__ __volatile__("fninit" ::: "memory");
}

void
arch_fp_kernel_end(void)
{
	struct thread *me = thread_current();

	if (me && me->arch.fp_owned)
		x86_fp_restore(&me->arch);
	preempt_enable();
}
