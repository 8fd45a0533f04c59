/*
 * The host port for the scheduler: thread contexts, a clock and a timer
 * interrupt, so kernel/sched.c and everything above it run unchanged in
 * one host process.
 *
 * Each kernel thread is a ucontext on the stack the kernel allocated for
 * it, switched with swapcontext().  ASan keeps state per stack (bounds,
 * fake frames), so every switch is announced to it; unannounced, a switch
 * looks like a wild stack overflow.
 *
 * Time stands still except at simulated timer interrupts: the idle
 * thread's arch_wait_for_irq() delivers one, and a test delivers one
 * wherever it calls host_irq_tick().  Each advances the clock by exactly
 * one tick and runs the kernel's interrupt path (sched_irq_enter,
 * timer_tick, sched_irq_exit), so wakeups and preemptions happen at the
 * same points, in the same order, on every run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>

#include <arch/cpu.h>
#include <arch/thread.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include "host_sched.h"

#if defined(__SANITIZE_ADDRESS__)
#define HOST_ASAN	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HOST_ASAN	1
#endif
#endif
#ifdef HOST_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

/* Simulated ticks with every thread asleep before we call it a deadlock. */
#define IDLE_TICK_LIMIT	100000

extern void (*host_wait_for_irq_hook)(void);

/*
 * The context the switch in progress leaves: whoever arrives records its
 * stack bounds, as ASan reports them, if they were unknown (the boot
 * thread runs on the process stack, which nobody allocated).
 */
static struct arch_thread *switch_from;

static void
fiber_leave(struct arch_thread *prev, struct arch_thread *next, bool dying)
{
#ifdef HOST_ASAN
	/* No save slot for a context that never resumes: ASan drops its state. */
	__sanitizer_start_switch_fiber(dying ? NULL : &prev->fake_stack, next->stack_bottom,
				       next->stack_size);
#else
	(void)dying;
	(void)next;
#endif
	switch_from = prev;
}

static void
fiber_arrive(void *fake_stack)
{
	const void *bottom = NULL;
	size_t size = 0;

#ifdef HOST_ASAN
	__sanitizer_finish_switch_fiber(fake_stack, &bottom, &size);
#else
	(void)fake_stack;
#endif
	if (switch_from && !switch_from->stack_bottom) {
		switch_from->stack_bottom = bottom;
		switch_from->stack_size = size;
	}
}

/* A new thread's first instructions: finish the switch, then the kernel's. */
static void
thread_entry(void)
{
	struct arch_thread *me;

	fiber_arrive(NULL);
	me = &thread_current()->arch;
	thread_trampoline(me->entry, me->arg);
}

void
arch_thread_init(struct arch_thread *t, void *stack_top, void (*entry)(void *arg), void *arg)
{
	/* The HAL passes the top only; the size is in the thread around t. */
	size_t size = thread_stack_size(container_of(t, struct thread, arch));
	char *bottom = (char *)stack_top - size;

	if (getcontext(&t->uc) != 0) {
		perror("host: getcontext");
		abort();
	}
	t->uc.uc_stack.ss_sp = bottom;
	t->uc.uc_stack.ss_size = size;
	t->uc.uc_link = NULL;			/* thread_trampoline() never returns */
	makecontext(&t->uc, thread_entry, 0);
	t->stack_bottom = bottom;
	t->stack_size = size;
	t->fake_stack = NULL;
	t->entry = entry;
	t->arg = arg;
}

void
arch_context_switch(struct arch_thread *prev, struct arch_thread *next)
{
	/* A dead thread leaves for good: join frees its stack next. */
	bool dying = container_of(prev, struct thread, arch)->state == THREAD_DEAD;

	fiber_leave(prev, next, dying);
	if (swapcontext(&prev->uc, &next->uc) != 0) {
		perror("host: swapcontext");
		abort();
	}
	fiber_arrive(prev->fake_stack);
}

/* The clock source: nanoseconds that only ticks move. */
static uint64_t clock_ns;

static uint64_t
host_clock_read(const struct clocksource *cs)
{
	(void)cs;
	return clock_ns;
}

static const struct clocksource host_clock = {
	.name = "host-fake",
	.read = host_clock_read,
	.rating = 1,
};

void
host_irq_tick(void)
{
	if (!arch_irqs_enabled()) {
		/* A masked interrupt would wait; the tests never mean that. */
		printf("Bail out! host_irq_tick() with interrupts masked\n");
		fflush(stdout);
		abort();
	}
	arch_irq_disable();			/* the CPU masks them on entry */
	sched_irq_enter();
	clock_ns += HOST_TICK_NS;
	timer_tick();
	sched_irq_exit();			/* may run other threads first */
	arch_irq_enable();			/* the return from the interrupt */
}

/* The idle thread's wait: the next tick comes at once. */
static void
idle_wait(void)
{
	static unsigned long last_switches, idle_ticks;

	if (sched_context_switches() != last_switches) {
		last_switches = sched_context_switches();
		idle_ticks = 0;
	} else if (++idle_ticks > IDLE_TICK_LIMIT) {
		printf("Bail out! every thread blocked for %d simulated ticks: deadlock\n",
		       IDLE_TICK_LIMIT);
		fflush(stdout);
		abort();
	}
	host_irq_tick();
}

/*
 * The boot thread's stack (kernel/thread.c records it for backtraces):
 * the process's main thread runs on the host's stack, so an empty range.
 */
__asm__(".pushsection .bss\n"
	".globl boot_stack, boot_stack_top\n"
	"boot_stack:\n"
	"boot_stack_top:\n"
	".popsection");

void
host_sched_boot(void)
{
	static bool booted;

	if (booted)
		return;
	booted = true;
	clocksource_register(&host_clock, NSEC_PER_SEC);
	host_wait_for_irq_hook = idle_wait;
	sched_init();
	sched_start();
}
