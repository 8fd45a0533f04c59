/*
 * i386 register frame: the saved PC, resuming at a resume point, and
 * which registers the dump shows (../regs.c prints them).
 */
#include <stddef.h>
#include <arch/trap.h>
#include <asm/segment.h>
#include <kernel/panic.h>
#include "../internal.h"

/* entry.S addresses these by number. */
BUILD_BUG_ON(offsetof(struct arch_regs, sp) != 12);
BUILD_BUG_ON(offsetof(struct arch_regs, cs) != 60);
BUILD_BUG_ON(offsetof(struct arch_regs, esp) != 68);
BUILD_BUG_ON(offsetof(struct arch_regs, vector) != 48);
BUILD_BUG_ON(sizeof(struct arch_regs) != ARCH_REGS_SIZE);
BUILD_BUG_ON(offsetof(struct arch_resume, sp) != 16);
BUILD_BUG_ON(offsetof(struct arch_resume, pc) != 20);

uintptr_t
arch_regs_pc(const struct arch_regs *regs)
{
	return regs->eip;
}

bool
arch_regs_irqs_enabled(const struct arch_regs *regs)
{
	return regs->eflags & (1u << 9);	/* EFLAGS.IF */
}

uintptr_t
arch_regs_fp(const struct arch_regs *regs)
{
	return regs->ebp;
}

void
arch_regs_set_pc(struct arch_regs *regs, uintptr_t pc)
{
	regs->eip = pc;
}

/*
 * Return from the trap into arch_resume_set()'s caller, as a second return
 * with value 1.  IRET within ring 0 keeps ESP, so the vector is marked and
 * the exit path (entry.S) rebuilds the frame on the resume point's stack;
 * the double-fault task copies the registers into the TSS it returns to.
 */
void
arch_regs_resume(struct arch_regs *regs, const struct arch_resume *r)
{
	regs->ebx = r->ebx;
	regs->esi = r->esi;
	regs->edi = r->edi;
	regs->ebp = r->ebp;
	regs->sp = r->sp;
	regs->esp = r->sp;
	regs->eip = r->pc;
	regs->eax = 1;
	regs->vector = X86_VECTOR_RESUME;
}

void
arch_regs_dump(const struct arch_regs *regs)
{
	/* The CPU pushes SS:ESP only when it changes privilege level. */
	uint32_t ss = regs->cs & 3 ? regs->ss : KERNEL_DS;
	/* A pushed segment register may leave the slot's upper half undefined. */
	const struct x86_reg list[] = {
		{ "eax", regs->eax, 8 }, { "ebx", regs->ebx, 8 },
		{ "ecx", regs->ecx, 8 }, { "edx", regs->edx, 8 }, X86_REG_ROW_END,
		{ "esi", regs->esi, 8 }, { "edi", regs->edi, 8 },
		{ "ebp", regs->ebp, 8 }, { "esp", regs->sp, 8 }, X86_REG_ROW_END,
		{ "eip", regs->eip, 8 }, { "eflags", regs->eflags, 8 },
		{ "cs", regs->cs & 0xffff, 4 }, { "ss", ss & 0xffff, 4 }, X86_REG_ROW_END,
		{ "ds", regs->ds & 0xffff, 4 }, { "es", regs->es & 0xffff, 4 },
		{ "fs", regs->fs & 0xffff, 4 }, { "gs", regs->gs & 0xffff, 4 }, X86_REG_ROW_END,
	};

	x86_regs_print(list, ARRAY_SIZE(list));
}
