/*
 * Where a system call's number, arguments and result live in the AArch64
 * user frame (<arch/user.h>): inline, as they are on every call's path.
 * SVC #0 with the number in X8 and arguments in X0 to X5; the result
 * goes to X0.
 */
#ifndef ASM_SYSCALL_H
#define ASM_SYSCALL_H

#include <asm/trap.h>

static inline unsigned long
arch_syscall_nr(const struct arch_regs *regs)
{
	return regs->x[8];
}

/* Written out: GCC at -O2 keeps a loop here (33 instructions). */
static inline void
arch_syscall_args(const struct arch_regs *regs, unsigned long args[6])
{
	args[0] = regs->x[0];
	args[1] = regs->x[1];
	args[2] = regs->x[2];
	args[3] = regs->x[3];
	args[4] = regs->x[4];
	args[5] = regs->x[5];
}

static inline void
arch_syscall_set_return(struct arch_regs *regs, long ret)
{
	regs->x[0] = (uint64_t)ret;
}

static inline long
arch_syscall_get_return(const struct arch_regs *regs)
{
	return (long)regs->x[0];
}

#endif
