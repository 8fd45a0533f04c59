/* x86-64 register frame: the saved PC and the dump reports end with. */
#include <arch/trap.h>
#include <asm/x86.h>
#include <kernel/panic.h>
#include <kernel/printk.h>

BUILD_BUG_ON(sizeof(struct arch_regs) != ARCH_REGS_SIZE);

uintptr_t
arch_regs_pc(const struct arch_regs *regs)
{
	return regs->rip;
}

void
arch_regs_set_pc(struct arch_regs *regs, uintptr_t pc)
{
	regs->rip = pc;
}

#define R(x)	((unsigned long long)(x))

void
arch_regs_dump(const struct arch_regs *regs)
{
	printk(KERN_EMERG "  rax %016llx  rbx %016llx  rcx %016llx\n",
	       R(regs->rax), R(regs->rbx), R(regs->rcx));
	printk(KERN_EMERG "  rdx %016llx  rsi %016llx  rdi %016llx\n",
	       R(regs->rdx), R(regs->rsi), R(regs->rdi));
	printk(KERN_EMERG "  rbp %016llx  rsp %016llx  r8  %016llx\n",
	       R(regs->rbp), R(regs->rsp), R(regs->r8));
	printk(KERN_EMERG "  r9  %016llx  r10 %016llx  r11 %016llx\n",
	       R(regs->r9), R(regs->r10), R(regs->r11));
	printk(KERN_EMERG "  r12 %016llx  r13 %016llx  r14 %016llx\n",
	       R(regs->r12), R(regs->r13), R(regs->r14));
	printk(KERN_EMERG "  r15 %016llx  rip %016llx  rflags %08llx\n",
	       R(regs->r15), R(regs->rip), R(regs->rflags));
	printk(KERN_EMERG "  cs %04llx  ss %04llx  cr0 %08lx  cr2 %016lx  cr3 %08lx  cr4 %08lx\n",
	       R(regs->cs), R(regs->ss), read_cr(0), read_cr(2), read_cr(3), read_cr(4));
}
