/*
 * x86 user mode, both widths (<arch/user.h>): the ring-3 register frame,
 * system-call registers (x86-64 SYSCALL: RAX, RDI, RSI, RDX, R10, R8, R9;
 * i386 int 0x80: EAX, EBX, ECX, EDX, ESI, EDI, EBP), what exceptions from
 * ring 3 mean as signals, the TLS base, HWCAP and the platform name.  The
 * signal frames are each width's own ({32,64}/signal.c).
 */
#include <string.h>
#include <arch/cpu.h>
#include <arch/user.h>
#include <asm/segment.h>
#include <asm/x86.h>
#include <kernel/cpu.h>
#include <kernel/irq.h>
#include <kernel/process.h>
#include <kernel/thread.h>
#include "fpu.h"
#include "internal.h"
#include "percpu.h"

void x86_user_entry(struct arch_regs *regs);
void x86_exit_to_user(struct arch_regs *regs);
#ifdef __x86_64__
void x86_syscall_entry(void);
#endif

#define EFLAGS_IF	(1u << 9)
#define EFLAGS_FIXED	(1u << 1)

/* si_code values */
#define ILL_ILLOPN	2
#define FPE_INTDIV	1
#define FPE_FLTINV	7
#define BUS_ADRALN	1
#define TRAP_BRKPT	1
#define SI_KERNEL	0x80

/* Page-fault error code bits. */
#define PF_W		(1u << 1)
#define PF_I		(1u << 4)

struct arch_regs *
arch_user_regs_of(struct thread *t)
{
	return (struct arch_regs *)((uintptr_t)thread_stack_top(t) - sizeof(struct arch_regs));
}

void
arch_user_regs_init(struct arch_regs *regs, uintptr_t pc, uintptr_t sp)
{
	memset(regs, 0, sizeof(*regs));
#ifdef __x86_64__
	regs->rip = pc;
	regs->rsp = sp;
	regs->cs = USER_CS64;
	regs->ss = USER_DS;
	regs->rflags = EFLAGS_IF | EFLAGS_FIXED;
#else
	regs->eip = pc;
	regs->esp = sp;
	regs->cs = USER_CS32;
	regs->ss = regs->ds = regs->es = USER_DS;
	regs->eflags = EFLAGS_IF | EFLAGS_FIXED;
#endif
	regs->vector = X86_VECTOR_NONE;
}

#ifdef __x86_64__




void
arch_syscall_restart(struct arch_regs *regs, long nr, unsigned long arg0)
{
	regs->rax = (uint64_t)nr;
	regs->rdi = arg0;
	regs->rip -= 2;			/* SYSCALL and INT 0x80 are two bytes */
}

uintptr_t
arch_user_sp(const struct arch_regs *regs)
{
	return regs->rsp;
}

void
arch_user_set_sp(struct arch_regs *regs, uintptr_t sp)
{
	regs->rsp = sp;
}
#else




void
arch_syscall_restart(struct arch_regs *regs, long nr, unsigned long arg0)
{
	regs->eax = (uint32_t)nr;
	regs->ebx = (uint32_t)arg0;
	regs->eip -= 2;			/* INT 0x80 */
}

uintptr_t
arch_user_sp(const struct arch_regs *regs)
{
	return regs->esp;
}

void
arch_user_set_sp(struct arch_regs *regs, uintptr_t sp)
{
	regs->esp = (uint32_t)sp;
}
#endif

void
arch_set_tls(struct thread *t, uintptr_t tls)
{
	unsigned long flags = arch_irq_save();

	t->arch.tls = tls;
	if (t == thread_current())
		x86_tls_load(x86_this_cpu(), tls);
	arch_irq_restore(flags);
}

void
arch_user_thread_copy(struct thread *child, struct thread *parent)
{
	unsigned long flags = arch_irq_save();

	/* The caller's registers are live: save them straight into the child's area. */
	x86_fp_save(&child->arch);
#ifndef __x86_64__
	if (!x86_fxsr)
		x86_fp_restore(&child->arch);	/* FNSAVE reinitialised ours */
#endif
	child->arch.tls = parent->arch.tls;
	child->arch.fp_owned = true;
	arch_irq_restore(flags);
}

/* ---- entries from ring 3 ---- */

static void
exception_signal(struct arch_regs *regs, unsigned int vec)
{
	uintptr_t pc = arch_regs_pc(regs);

	switch (vec) {
	case 0:
		user_trap(regs, SIGFPE, FPE_INTDIV, pc);
		break;
	case 1: case 3:
		user_trap(regs, SIGTRAP, TRAP_BRKPT, pc);
		break;
	case 6:
		user_trap(regs, SIGILL, ILL_ILLOPN, pc);
		break;
	case 16: case 19:
		user_trap(regs, SIGFPE, FPE_FLTINV, pc);
		break;
	case 17:
		user_trap(regs, SIGBUS, BUS_ADRALN, 0);
		break;
	default:			/* #GP, #SS, #NP, #OF, #BR, ... */
		user_trap(regs, SIGSEGV, SI_KERNEL, 0);
		break;
	}
}

/* Any vector taken in ring 3 (x86_trap): interrupts, exceptions, int 0x80. */
void
x86_user_entry(struct arch_regs *regs)
{
	unsigned int vec = x86_regs_vector(regs);

	if (vec == 0x80) {		/* first: the system calls are the common case */
		arch_irq_enable();
		syscall_entry(regs);
		arch_irq_disable();
	} else if (vec >= X86_NR_EXCEPTIONS) {
		irq_handle(regs);
	} else if (vec == 14) {
		uintptr_t addr = read_cr(2);	/* before anything can fault again */

		arch_irq_enable();
		user_fault(regs, addr, regs->error & PF_W, regs->error & PF_I);
		arch_irq_disable();
	} else {
		arch_irq_enable();
		exception_signal(regs, vec);
		arch_irq_disable();
	}
	exit_to_user(regs);
}

/* arch_user_enter(): this thread's user context to the CPU, then pending work. */
void
x86_exit_to_user(struct arch_regs *regs)
{
	x86_user_context_load(&thread_current()->arch);
	exit_to_user(regs);
}

#ifdef __x86_64__
#define MSR_STAR	0xc0000081u
#define MSR_LSTAR	0xc0000082u
#define MSR_SFMASK	0xc0000084u
/* What SYSCALL clears in RFLAGS: TF, IF, DF, IOPL, NT, AC. */
#define SFMASK		0x47700u

/* This CPU's SYSCALL: user CS/SS from STAR's high half (SYSRET adds 16 and 8). */
void
x86_syscall_init(void)
{
	wrmsr(MSR_STAR, (uint64_t)(USER_CS32 & ~3) << 48 | (uint64_t)KERNEL_CS << 32);
	wrmsr(MSR_LSTAR, (uintptr_t)x86_syscall_entry);
	wrmsr(MSR_SFMASK, SFMASK);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}
#endif

/* x86 keeps instruction fetches coherent with stores by itself. */
void
arch_sync_icache(const void *kaddr, size_t len)
{
	(void)kaddr;
	(void)len;
}

/* ---- what programs are told ---- */

unsigned long
arch_elf_hwcap(void)
{
	/* Linux's x86 AT_HWCAP: CPUID leaf 1's EDX. */
	return cpuid(1, 0).edx;
}

unsigned long
arch_elf_hwcap2(void)
{
	return 0;			/* no FSGSBASE for user mode */
}

const char *
arch_elf_platform(void)
{
#ifdef __x86_64__
	return "x86_64";
#else
	return "i686";
#endif
}
