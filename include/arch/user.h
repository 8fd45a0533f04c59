/*
 * HAL contract, user mode (ports with CONFIG_PROCESSES).  The port owns
 * the entry from user mode (system calls, faults, interrupts), the
 * register frame at the top of each user thread's kernel stack, and the
 * signal frame layout of its Linux ABI.  The core owns everything the
 * entries lead to: syscall_entry(), user_fault(), exit_to_user().
 *
 * Core functions a port's entry code calls (kernel/entry.c):
 *   void syscall_entry(struct arch_regs *regs)
 *	a system call from user mode, interrupts enabled.
 *   void user_fault(struct arch_regs *regs, uintptr_t addr, bool write,
 *		     bool exec)
 *	a page fault from user mode (interrupts enabled): demand paging, or
 *	SIGSEGV for the process.
 *   void user_trap(struct arch_regs *regs, int sig, int code, uintptr_t addr)
 *	any other exception from user mode: the signal it raises.
 *   void exit_to_user(struct arch_regs *regs)
 *	last thing before returning to user mode, interrupts masked: runs
 *	pending work (rescheduling, signals) and returns with them masked.
 */
#ifndef ARCH_USER_H
#define ARCH_USER_H

#include <kernel/types.h>
#include <arch/trap.h>

struct thread;
struct k_sigaction;
struct ksiginfo;

/* A fresh user register set: pc, stack pointer, everything else zero. */
void arch_user_regs_init(struct arch_regs *regs, uintptr_t pc, uintptr_t sp);
/* Where a thread's user frame lives: the top of its kernel stack. */
struct arch_regs *arch_user_regs_of(struct thread *t);
/* Leave the kernel for user mode with the frame at regs (the thread's own). */
__attribute__((noreturn)) void arch_user_enter(struct arch_regs *regs);
/*
 * fork: child (not started) gets the caller's user FP/SIMD registers and
 * TLS register, as they are now.
 */
void arch_user_thread_copy(struct thread *child, struct thread *parent);

/*
 * System calls: the number, the six arguments, the result, inline in the
 * port's <asm/syscall.h>:
 *   unsigned long arch_syscall_nr(const struct arch_regs *regs);
 *   void arch_syscall_args(const struct arch_regs *regs, unsigned long args[6]);
 *   void arch_syscall_set_return(struct arch_regs *regs, long ret);
 *   long arch_syscall_get_return(const struct arch_regs *regs);
 */
#ifdef CONFIG_PROCESSES
#include <asm/syscall.h>
#endif
/* Make the interrupted call run again: pc back to the call, nr and arg0 restored. */
void arch_syscall_restart(struct arch_regs *regs, long nr, unsigned long arg0);
/* The user stack pointer of a frame, and setting it / the return value. */
uintptr_t arch_user_sp(const struct arch_regs *regs);
void arch_user_set_sp(struct arch_regs *regs, uintptr_t sp);

/* The thread's TLS register (TPIDR_EL0, FS base, the i386 TLS descriptor). */
void arch_set_tls(struct thread *t, uintptr_t tls);
/*
 * clone(CLONE_SETTLS)'s tls argument for the new thread t, read from the
 * caller's memory where the port's ABI passes a descriptor (i386: a
 * struct user_desc, as set_thread_area takes), else the thread pointer
 * itself.  0 or -EFAULT/-EINVAL.
 */
int arch_clone_tls(struct thread *t, uintptr_t tls);

/*
 * Signal delivery: build the port's rt_sigframe (siginfo, ucontext with
 * the saved registers, FP state and the blocked mask) at sp, and point
 * regs at the handler.  0, or -EFAULT when the frame cannot be written
 * (the core then kills the process with SIGSEGV).
 */
int arch_signal_setup(struct arch_regs *regs, int sig, const struct k_sigaction *ka,
		      const struct ksiginfo *info, uint64_t blocked, uintptr_t sp);
/*
 * rt_sigreturn (and i386's sigreturn, rt == false): restore regs and the
 * mask from the frame at the user stack pointer.  0 or -EFAULT.
 */
int arch_signal_return(struct arch_regs *regs, uint64_t *blocked, bool rt);
/*
 * The kernel wrote instructions through kaddr (a program's page read from
 * its file): make them visible to instruction fetches (no-op on x86).
 */
void arch_sync_icache(const void *kaddr, size_t len);

/*
 * Fill the page every process maps as its signal trampoline: the code a
 * handler returns to when it gave no SA_RESTORER (rt_sigreturn).
 */
void arch_sigpage_fill(void *page);
/* Bytes a signal frame takes (AT_MINSIGSTKSZ, sigaltstack checks). */
size_t arch_signal_frame_size(void);

/* ELF: the machine this port runs, HWCAP/HWCAP2 and AT_PLATFORM. */
unsigned long arch_elf_hwcap(void);
unsigned long arch_elf_hwcap2(void);
const char *arch_elf_platform(void);

/* The core's side (kernel/entry.c). */
void syscall_entry(struct arch_regs *regs);
void user_fault(struct arch_regs *regs, uintptr_t addr, bool write, bool exec);
void user_trap(struct arch_regs *regs, int sig, int code, uintptr_t addr);
void exit_to_user(struct arch_regs *regs);

#endif
