/*
 * Frame-pointer backtraces for the reports of a dying or stuck kernel
 * (MMU ports: they are built with frame pointers; the Cortex-M port is not,
 * and prints nothing).
 */
#ifndef KERNEL_BACKTRACE_H
#define KERNEL_BACKTRACE_H

#include <kernel/types.h>

struct arch_regs;

#ifdef CONFIG_MMU
/*
 * "<prefix>Call trace (addr2line -e kernel.elf):", then pc and the return
 * address of each frame record from fp up while the records stay inside
 * [lo, hi) and go up (at most 16).
 */
void backtrace_print(const char *prefix, uintptr_t pc, uintptr_t fp, uintptr_t lo, uintptr_t hi);
/* The same for kernel code that regs interrupted on the current thread's stack. */
void backtrace_regs(const char *prefix, const struct arch_regs *regs);
#else
static inline void
backtrace_print(const char *prefix, uintptr_t pc, uintptr_t fp, uintptr_t lo, uintptr_t hi)
{
}

static inline void
backtrace_regs(const char *prefix, const struct arch_regs *regs)
{
}
#endif

#endif
