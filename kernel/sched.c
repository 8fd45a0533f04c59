/*
 * The scheduler: per-CPU run queues, one list per priority and a bitmap
 * of the non-empty ones.  The highest ready priority always runs; equals
 * take turns every time slice.  A thread woken at a higher priority than
 * the running one preempts it at once, or, from an interrupt handler, when
 * the handler returns.  All of this runs with interrupts masked, which on
 * one CPU is the run-queue lock.
 */
#define pr_fmt(fmt) "sched: " fmt

#include <string.h>
#include <arch/cpu.h>
#include <kernel/errno.h>
#include <kernel/list.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include "sched_internal.h"

#define SLICE_TICKS	((CONFIG_TIMESLICE_MS * CONFIG_HZ + 999) / 1000)

_Static_assert(CONFIG_NR_PRIORITIES <= 32, "the ready bitmap is 32 bits");

struct cpu_sched {
	struct thread *current;
	struct thread *idle;
	struct list_head runq[CONFIG_NR_PRIORITIES];
	uint32_t ready;			/* bit p: runq[p] is not empty */
	int preempt_count;		/* > 0: no preemption */
	int irq_depth;
	bool need_resched;
	bool started;
	unsigned long switches;
};

static struct cpu_sched cpu;
static struct thread boot_thread;

static int
highest_ready(void)
{
	return cpu.ready ? 31 - __builtin_clz(cpu.ready) : -1;
}

/* Run-queue operations; interrupts are masked by the callers. */
static void
enqueue(struct thread *t)
{
	t->state = THREAD_READY;
	list_add_tail(&t->run_node, &cpu.runq[t->prio]);
	cpu.ready |= 1u << t->prio;
}

static void
dequeue(struct thread *t)
{
	list_del(&t->run_node);
	if (list_empty(&cpu.runq[t->prio]))
		cpu.ready &= ~(1u << t->prio);
}

static void
check_preempt(struct thread *t)
{
	if (cpu.current && t->prio > cpu.current->prio)
		cpu.need_resched = true;
}

struct thread *
thread_current(void)
{
	return cpu.current;
}

bool
in_irq(void)
{
	return cpu.irq_depth > 0;
}

unsigned long
sched_context_switches(void)
{
	return cpu.switches;
}

/*
 * Switch to the best ready thread.  The caller has masked interrupts and
 * set the current thread's state: RUNNING (preemption or yield: it goes
 * back on its run queue), BLOCKED or DEAD (it does not).
 */
static void
reschedule(void)
{
	struct thread *prev = cpu.current, *next;
	int p;

	if (IS_ENABLED(CONFIG_DEBUG_KERNEL) && prev->state == THREAD_BLOCKED &&
	    prev->locks_held)
		panic("thread %s sleeps holding %u spinlock%s", prev->name, prev->locks_held,
		      prev->locks_held == 1 ? "" : "s");
	cpu.need_resched = false;
	if (prev->state == THREAD_RUNNING)
		enqueue(prev);
	p = highest_ready();
	if (p < 0)
		panic("no thread to run (not even idle)");
	next = list_first_entry(&cpu.runq[p], struct thread, run_node);
	dequeue(next);
	next->state = THREAD_RUNNING;
	if (next->slice == 0)
		next->slice = SLICE_TICKS;
	if (next == prev)
		return;
	cpu.current = next;
	cpu.switches++;
	arch_context_switch(&prev->arch, &next->arch);
	/* prev runs again here, interrupts still masked. */
}

void
schedule(void)
{
	unsigned long flags = arch_irq_save();

	reschedule();
	arch_irq_restore(flags);
}

void
thread_yield(void)
{
	unsigned long flags = arch_irq_save();

	cpu.current->slice = 0;		/* to the back of its priority */
	reschedule();
	arch_irq_restore(flags);
}

/* Make a blocked thread ready; result tells it why (0 or -ETIMEDOUT). */
void
thread_wake(struct thread *t, int result)
{
	unsigned long flags = arch_irq_save();

	if (t->state != THREAD_BLOCKED) {
		arch_irq_restore(flags);
		return;
	}
	if (t->wq) {
		list_del(&t->run_node);
		t->wq = NULL;
	}
	timer_cancel(&t->timeout);
	t->wake_result = result;
	enqueue(t);
	check_preempt(t);
	arch_irq_restore(flags);
	preempt_point();
}

void
preempt_point(void)
{
	if (cpu.need_resched && cpu.preempt_count == 0 && !in_irq() && cpu.started &&
	    arch_irqs_enabled())
		schedule();
}

/*
 * Change a thread's effective priority, keeping whatever queue it is on in
 * order (used directly and by priority inheritance).
 */
void
sched_set_effective_prio(struct thread *t, int prio)
{
	unsigned long flags = arch_irq_save();

	if (t->prio == prio) {
		arch_irq_restore(flags);
		return;
	}
	if (t->state == THREAD_READY) {
		dequeue(t);
		t->prio = prio;
		enqueue(t);
		check_preempt(t);
	} else {
		t->prio = prio;
		if (t->state == THREAD_BLOCKED && t->wq) {
			/* Wait queues are in priority order: move it. */
			struct wait_queue *wq = t->wq;
			struct list_head *pos;

			list_del(&t->run_node);
			list_for_each(pos, &wq->waiters)
				if (list_entry(pos, struct thread, run_node)->prio < prio)
					break;
			list_add_tail(&t->run_node, pos);
		}
		/* The running thread lowered itself below a ready one. */
		if (t == cpu.current && highest_ready() > prio)
			cpu.need_resched = true;
	}
	arch_irq_restore(flags);
}

void
preempt_disable(void)
{
	cpu.preempt_count++;
	barrier();
}

void
preempt_enable(void)
{
	barrier();
	if (--cpu.preempt_count == 0)
		preempt_point();
}

void
sched_tick(void)
{
	struct thread *cur = cpu.current;

	if (!cpu.started || !cur)
		return;
	if (cur != cpu.idle && cur->slice && --cur->slice == 0) {
		/* Its turn is over if an equal is waiting. */
		if (cpu.ready & (1u << cur->prio))
			cpu.need_resched = true;
		else
			cur->slice = SLICE_TICKS;
	}
}

void
sched_irq_enter(void)
{
	cpu.irq_depth++;
}

/* The preemption point of interrupts: called last by irq_handle(). */
void
sched_irq_exit(void)
{
	if (--cpu.irq_depth == 0 && cpu.need_resched && cpu.preempt_count == 0 &&
	    cpu.started)
		reschedule();		/* interrupts are masked in the handler */
}

void
sched_add(struct thread *t)
{
	unsigned long flags = arch_irq_save();

	enqueue(t);
	check_preempt(t);
	arch_irq_restore(flags);
	preempt_point();
}

/* Block the current thread; the caller queued it wherever it waits. */
void
sched_block(void)
{
	cpu.current->state = THREAD_BLOCKED;
	reschedule();
}

void
sched_init(void)
{
	for (int p = 0; p < CONFIG_NR_PRIORITIES; p++)
		list_init(&cpu.runq[p]);
	strlcpy(boot_thread.name, "main", sizeof(boot_thread.name));
	boot_thread.state = THREAD_RUNNING;
	boot_thread.prio = boot_thread.base_prio = THREAD_PRIO_DEFAULT;
	boot_thread.slice = SLICE_TICKS;
	list_init(&boot_thread.held);
	wq_init(&boot_thread.joiners);
	timer_init(&boot_thread.timeout, NULL);
	cpu.current = &boot_thread;
	cpu.preempt_count = 1;		/* until sched_start() */
}

static void
idle_loop(void *unused)
{
	for (;;)
		arch_wait_for_irq();
}

void
sched_start(void)
{
	thread_register_boot(&boot_thread);
	cpu.idle = thread_create("idle", idle_loop, NULL, THREAD_PRIO_IDLE,
				 CONFIG_IDLE_STACK_SIZE);
	if (!cpu.idle)
		panic("cannot create the idle thread");
	cpu.started = true;
	pr_info("%d priorities, %d ms time slice (%d tick%s), idle thread ready\n",
		CONFIG_NR_PRIORITIES, CONFIG_TIMESLICE_MS, SLICE_TICKS,
		SLICE_TICKS == 1 ? "" : "s");
	preempt_enable();
}
