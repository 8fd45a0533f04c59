/*
 * AArch64 thread context.  The switch pushes the callee-saved registers
 * (x19-x30) on the outgoing stack and keeps the stack pointer here.  For
 * threads that own FP state (<arch/thread.h>: user threads, tests) it also
 * switches their EL0 state: the FP/SIMD registers and the TLS register
 * (TPIDR_EL0).  Kernel code never touches FP/SIMD outside
 * arch_fp_kernel_begin/end, nor TPIDR_EL0.  Offsets are shared with
 * switch.S and fpsimd.S.
 */
#ifndef ASM_THREAD_H
#define ASM_THREAD_H

/* The switch frame: x19..x28, x29 (fp), x30 (lr), 16-byte aligned. */
#define ARCH_SWITCH_FRAME	(12 * 8)

#define THREAD_SP		0
#define THREAD_TLS		8
#define THREAD_ENTRY_STACK	16
#define THREAD_FP_OWNED		24
#define THREAD_FPSIMD		32
/* Within the FP/SIMD area: v0-v31, then FPSR and FPCR. */
#define FPSIMD_FPSR		(32 * 16)
#define FPSIMD_FPCR		(32 * 16 + 4)
#define FPSIMD_SIZE		(32 * 16 + 8)

#ifndef __ASSEMBLER__
#include <stdint.h>

struct arch_fpsimd {
	uint64_t v[64];			/* v0..v31, low then high half */
	uint32_t fpsr;
	uint32_t fpcr;
};

/* Written by the thread itself, or before it first runs. */
struct arch_thread {
	uint64_t sp;			/* saved by the switch */
	uint64_t tls;			/* TPIDR_EL0 while switched out (fp_owned) */
	uint64_t entry_stack;		/* kernel stack top, for entry from EL0 */
	uint32_t fp_owned;		/* FP/SIMD saved and restored at switches */
	uint32_t pad;
	struct arch_fpsimd fp;		/* while switched out (fp_owned) */
};

_Static_assert(__builtin_offsetof(struct arch_thread, tls) == THREAD_TLS, "switch.S");
_Static_assert(__builtin_offsetof(struct arch_thread, entry_stack) == THREAD_ENTRY_STACK,
	       "switch.S");
_Static_assert(__builtin_offsetof(struct arch_thread, fp_owned) == THREAD_FP_OWNED, "switch.S");
_Static_assert(__builtin_offsetof(struct arch_thread, fp) == THREAD_FPSIMD, "switch.S");
_Static_assert(__builtin_offsetof(struct arch_fpsimd, fpsr) == FPSIMD_FPSR, "fpsimd.S");
_Static_assert(sizeof(struct arch_fpsimd) == FPSIMD_SIZE, "fpsimd.S");

void arch_thread_fp_own(struct arch_thread *t);
/* The live FP/SIMD registers to or from st (fpsimd.S). */
void aarch64_fpsimd_save(struct arch_fpsimd *st);
void aarch64_fpsimd_load(const struct arch_fpsimd *st);
void arch_fp_kernel_begin(void);
void arch_fp_kernel_end(void);
#endif

#endif
