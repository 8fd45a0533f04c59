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

/* The interrupted code ran with interrupts enabled (MMU ports). */
bool arch_regs_irqs_enabled(const struct arch_regs *regs);

/*
 * The interrupted code's frame pointer (MMU ports, built with frame
 * pointers): the frame record it points to holds the caller's frame
 * pointer, then the return address, on every MMU port.
 */
uintptr_t arch_regs_fp(const struct arch_regs *regs);

/* Print every saved register (used by reports). */
void arch_regs_dump(const struct arch_regs *regs);

/*
 * Resume points, for tests that provoke a fault anywhere inside a function
 * (a runaway recursion, say), not at one instruction with an exception-table
 * entry.  MMU ports implement these; <asm/trap.h> defines struct
 * arch_resume (callee-saved registers, stack pointer, return address).
 *
 * arch_resume_set() returns 0 when called and 1 when a trap handler later
 * resumes it: arch_regs_resume() rewrites the saved exception frame so
 * that returning from the exception lands there, on the stack it had.
 */
struct arch_resume;
int arch_resume_set(struct arch_resume *r) __attribute__((returns_twice));
void arch_regs_resume(struct arch_regs *regs, const struct arch_resume *r);

/* Run fn(arg) with the stack pointer at stack_top; returns fn's result. */
long arch_call_on_stack(long (*fn)(void *), void *arg, void *stack_top);

#endif
