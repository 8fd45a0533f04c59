/*
 * x86 threads, both widths: the first switch frame, which "returns" into
 * the core's thread_trampoline(), and the switch around switch.S's stack
 * swap: the FP/SSE registers of threads that own them, the TLS base and
 * this CPU's TSS sp0.
 */
#include <arch/thread.h>
#include <arch/trap.h>
#include <asm/desc.h>
#include <asm/x86.h>
#include "fpu.h"
#include "internal.h"
#include "percpu.h"

void x86_switch_stacks(struct arch_thread *prev, struct arch_thread *next);
void x86_switch_fp(struct arch_thread *prev, struct arch_thread *next);
void x86_thread_start(void);

void
arch_thread_init(struct arch_thread *t, void *stack_top, void (*entry)(void *arg), void *arg)
{
	uintptr_t *sp = (uintptr_t *)((uintptr_t)stack_top & ~(uintptr_t)15);

#ifdef CONFIG_PROCESSES
	/*
	 * The top of the stack is where an entry from ring 3 puts the user
	 * frame (TSS sp0 = entry_stack): the thread's kernel code starts below.
	 */
	sp = (uintptr_t *)(((uintptr_t)stack_top - sizeof(struct arch_regs)) & ~(uintptr_t)15);
#endif

	/*
	 * thread_trampoline(entry, arg) is entered as if called from a 16-byte
	 * aligned stack (the SysV ABI of both widths): a null return address
	 * under it, which also ends a frame-pointer walk, as does the zero
	 * EBP/RBP.  i386 passes the arguments above that return address;
	 * x86-64 in RDI and RSI, which x86_thread_start (switch.S) loads from
	 * RBX and R12, popped by the switch.
	 */
#ifdef __x86_64__
	uintptr_t first_ret = (uintptr_t)x86_thread_start;
#else
	uintptr_t first_ret = (uintptr_t)thread_trampoline;

	sp -= 2;			/* padding: the arguments end 16-byte aligned */
	*--sp = (uintptr_t)arg;
	*--sp = (uintptr_t)entry;
#endif
	*--sp = 0;
	*--sp = first_ret;
	for (int i = 0; i < X86_SWITCH_REGS; i++)
		*--sp = 0;
#ifdef __x86_64__
	sp[X86_SWITCH_RBX] = (uintptr_t)entry;
	sp[X86_SWITCH_R12] = (uintptr_t)arg;
#endif
	t->sp = (uintptr_t)sp;
	t->entry_stack = (uintptr_t)stack_top;
}

/* This CPU's TLS segment or FS base, when the incoming thread's differs. */
void
x86_tls_load(struct x86_cpu *c, uintptr_t tls)
{
#ifdef __x86_64__
	wrmsr(MSR_FS_BASE, tls);
#else
	c->gdt[GDT_TLS] = tls ? x86_data_desc(tls, 3) : 0;
#endif
	c->tls = tls;
}

/*
 * The incoming thread's user-mode context: where an entry from user mode
 * finds its kernel stack, and its TLS base.  Only threads that own FP
 * state can have one (user threads own FP state by the contract); kernel
 * threads never enter from user mode or use TLS, so what the previous
 * thread left in the TSS and FS is harmless while they run.
 */
void
x86_user_context_load(struct arch_thread *next)
{
	struct x86_cpu *c = x86_this_cpu();

	x86_tss_set_sp0(&c->tss, next->entry_stack);
#ifdef CONFIG_PROCESSES
	this_cpu()->entry_stack = next->entry_stack;	/* SYSCALL's (64/syscall.S) */
#endif
	if (next->tls != c->tls)
		x86_tls_load(c, next->tls);
}

/*
 * arch_context_switch() (switch.S) when either thread owns FP state,
 * interrupts masked.  The FP registers are restored before the stack
 * swap: kernel code between here and the incoming thread's own code
 * never touches them.
 */
void
x86_switch_fp(struct arch_thread *prev, struct arch_thread *next)
{
	if (prev->fp_owned)
		x86_fp_save(prev);
	if (next->fp_owned) {
		x86_fp_restore(next);
		x86_user_context_load(next);
	}
	x86_switch_stacks(prev, next);
}
