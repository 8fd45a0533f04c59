/* AArch64 exception frame, as arch/aarch64/vectors.S saves it. */
#ifndef ASM_TRAP_H
#define ASM_TRAP_H

#include <stdint.h>

struct arch_regs {
	uint64_t x[31];		/* x0..x30 (x30 = lr) */
	uint64_t sp;		/* sp at the time of the exception */
	uint64_t pc;		/* ELR_EL1 */
	uint64_t pstate;	/* SPSR_EL1 */
};

#define ARCH_REGS_SIZE	(34 * 8)

#endif
