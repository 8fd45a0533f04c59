/*
 * Where a system call's number, arguments and result live in the x86
 * user frame (<arch/user.h>): inline, as they are on every call's path.
 * x86-64: RAX, then RDI RSI RDX R10 R8 R9 (SYSCALL clobbers RCX); i386's
 * INT 0x80: EAX, then EBX ECX EDX ESI EDI EBP.  The result goes to RAX/EAX.
 */
#ifndef ASM_SYSCALL_H
#define ASM_SYSCALL_H

#include <asm/trap.h>

static inline unsigned long
arch_syscall_nr(const struct arch_regs *regs)
{
#ifdef __x86_64__
	return regs->rax;
#else
	return regs->eax;
#endif
}

static inline void
arch_syscall_args(const struct arch_regs *regs, unsigned long args[6])
{
#ifdef __x86_64__
	args[0] = regs->rdi;
	args[1] = regs->rsi;
	args[2] = regs->rdx;
	args[3] = regs->r10;
	args[4] = regs->r8;
	args[5] = regs->r9;
#else
	args[0] = regs->ebx;
	args[1] = regs->ecx;
	args[2] = regs->edx;
	args[3] = regs->esi;
	args[4] = regs->edi;
	args[5] = regs->ebp;
#endif
}

static inline void
arch_syscall_set_return(struct arch_regs *regs, long ret)
{
#ifdef __x86_64__
	regs->rax = (uint64_t)ret;
#else
	regs->eax = (uint32_t)ret;
#endif
}

static inline long
arch_syscall_get_return(const struct arch_regs *regs)
{
#ifdef __x86_64__
	return (long)regs->rax;
#else
	return (long)regs->eax;
#endif
}

#endif
