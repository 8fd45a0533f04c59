/*
 * x86-64 register frame: the saved PC, resuming at a resume point, and
 * which registers the dump shows (../regs.c prints them).
 */
#include <stddef.h>
#include <arch/trap.h>
#include <kernel/panic.h>
#include "../internal.h"

BUILD_BUG_ON(sizeof(struct arch_regs) != ARCH_REGS_SIZE);
/* entry.S fills a resume point by these numbers. */
BUILD_BUG_ON(offsetof(struct arch_resume, sp) != 48);
BUILD_BUG_ON(offsetof(struct arch_resume, pc) != 56);

uintptr_t
arch_regs_pc(const struct arch_regs *regs)
{
	return regs->rip;
}

bool
arch_regs_irqs_enabled(const struct arch_regs *regs)
{
	return regs->rflags & (1u << 9);	/* EFLAGS.IF */
}

uintptr_t
arch_regs_fp(const struct arch_regs *regs)
{
	return regs->rbp;
}

void
arch_regs_set_pc(struct arch_regs *regs, uintptr_t pc)
{
	regs->rip = pc;
}

/*
 * Return from the trap into arch_resume_set()'s caller, as a second return
 * with value 1: IRETQ loads RSP as well, so the frame is all it takes,
 * even on a double fault's IST stack.
 */
void
arch_regs_resume(struct arch_regs *regs, const struct arch_resume *r)
{
	regs->rbx = r->rbx;
	regs->rbp = r->rbp;
	regs->r12 = r->r12;
	regs->r13 = r->r13;
	regs->r14 = r->r14;
	regs->r15 = r->r15;
	regs->rsp = r->sp;
	regs->rip = r->pc;
	regs->rax = 1;
}

void
arch_regs_dump(const struct arch_regs *regs)
{
	const struct x86_reg list[] = {
		{ "rax", regs->rax, 16 }, { "rbx", regs->rbx, 16 }, { "rcx", regs->rcx, 16 },
		X86_REG_ROW_END,
		{ "rdx", regs->rdx, 16 }, { "rsi", regs->rsi, 16 }, { "rdi", regs->rdi, 16 },
		X86_REG_ROW_END,
		{ "rbp", regs->rbp, 16 }, { "rsp", regs->rsp, 16 }, { "r8 ", regs->r8, 16 },
		X86_REG_ROW_END,
		{ "r9 ", regs->r9, 16 }, { "r10", regs->r10, 16 }, { "r11", regs->r11, 16 },
		X86_REG_ROW_END,
		{ "r12", regs->r12, 16 }, { "r13", regs->r13, 16 }, { "r14", regs->r14, 16 },
		X86_REG_ROW_END,
		{ "r15", regs->r15, 16 }, { "rip", regs->rip, 16 },
		{ "rflags", regs->rflags, 8 }, X86_REG_ROW_END,
		{ "cs", regs->cs, 4 }, { "ss", regs->ss, 4 },	/* the CRs follow */
	};

	x86_regs_print(list, ARRAY_SIZE(list));
}
