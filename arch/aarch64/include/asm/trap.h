/*
 * AArch64 exception frame, as arch/aarch64/vectors.S saves it, and the
 * resume point arch/aarch64/stack.S records.
 */
#ifndef ASM_TRAP_H
#define ASM_TRAP_H

#include <stdint.h>

struct arch_regs {
	uint64_t x[31];		/* x0..x30 (x30 = lr) */
	uint64_t sp;		/* sp at the time of the exception; restored on return */
	uint64_t pc;		/* ELR_EL1 */
	uint64_t pstate;	/* SPSR_EL1 */
};

#define ARCH_REGS_SIZE	(34 * 8)

/* What arch_resume_set() keeps: the callee-saved state of its caller. */
struct arch_resume {
	uint64_t x19_x28[10];
	uint64_t fp;		/* x29 */
	uint64_t lr;		/* x30: where arch_resume_set() returns to */
	uint64_t sp;
	uint64_t daif;
};

#endif
