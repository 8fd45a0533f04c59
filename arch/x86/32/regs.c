/* i386 register frame: the saved PC and the dump reports end with. */
#include <stddef.h>
#include <arch/trap.h>
#include <asm/segment.h>
#include <asm/x86.h>
#include <kernel/panic.h>
#include <kernel/printk.h>

/* entry.S addresses these by number. */
BUILD_BUG_ON(offsetof(struct arch_regs, sp) != 12);
BUILD_BUG_ON(offsetof(struct arch_regs, cs) != 60);
BUILD_BUG_ON(offsetof(struct arch_regs, esp) != 68);
BUILD_BUG_ON(sizeof(struct arch_regs) != ARCH_REGS_SIZE);

uintptr_t
arch_regs_pc(const struct arch_regs *regs)
{
	return regs->eip;
}

void
arch_regs_set_pc(struct arch_regs *regs, uintptr_t pc)
{
	regs->eip = pc;
}

void
arch_regs_dump(const struct arch_regs *regs)
{
	/* The CPU pushes SS:ESP only when it changes privilege level. */
	uint32_t ss = regs->cs & 3 ? regs->ss : KERNEL_DS;

	printk(KERN_EMERG "  eax %08x  ebx %08x  ecx %08x  edx %08x\n",
	       regs->eax, regs->ebx, regs->ecx, regs->edx);
	printk(KERN_EMERG "  esi %08x  edi %08x  ebp %08x  esp %08x\n",
	       regs->esi, regs->edi, regs->ebp, regs->sp);
	printk(KERN_EMERG "  eip %08x  eflags %08x  cs %04x  ss %04x\n",
	       regs->eip, regs->eflags, regs->cs & 0xffff, ss & 0xffff);
	printk(KERN_EMERG "  ds %04x  es %04x  fs %04x  gs %04x\n",
	       regs->ds & 0xffff, regs->es & 0xffff, regs->fs & 0xffff, regs->gs & 0xffff);
	printk(KERN_EMERG "  cr0 %08lx  cr2 %08lx  cr3 %08lx  cr4 %08lx\n",
	       read_cr(0), read_cr(2), read_cr(3), read_cr(4));
}
