/*
 * HAL contract, exceptions: the register frame a port saves on entry.
 *
 * The port's <asm/trap.h> defines struct arch_regs.  Its exception entry
 * decodes what happened into a struct trap_report and calls trap_fatal()
 * for anything it cannot handle; interrupts go to irq_handle().
 */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

#include <kernel/types.h>
#include <asm/trap.h>

uintptr_t arch_regs_pc(const struct arch_regs *regs);
void arch_regs_set_pc(struct arch_regs *regs, uintptr_t pc);

/* Print every saved register (used by reports). */
void arch_regs_dump(const struct arch_regs *regs);

#endif
