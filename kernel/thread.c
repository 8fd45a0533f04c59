/*
 * Kernel threads: creation with their own stack (guarded on MMU ports,
 * from the heap on the RTOS profile), the first run, exit and join,
 * sleeping, priority changes.  Scheduling decisions are in sched.c.
 */
#define pr_fmt(fmt) "thread: " fmt

#include <string.h>
#include <arch/cpu.h>
#include <kernel/errno.h>
#include <kernel/list.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/slab.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include "sched_internal.h"

static LIST_HEAD(all_threads);
static unsigned int nr_threads;

static void
timeout_expired(struct timer *tm)
{
	thread_wake(container_of(tm, struct thread, timeout), -ETIMEDOUT);
}

static void
setup_common(struct thread *t, const char *name, int prio)
{
	unsigned long flags;

	strlcpy(t->name, name, sizeof(t->name));
	t->prio = t->base_prio = prio;
	list_init(&t->held);
	list_init(&t->run_node);
	wq_init(&t->joiners);
	timer_init(&t->timeout, timeout_expired);
	flags = arch_irq_save();
	list_add_tail(&t->all_node, &all_threads);
	nr_threads++;
	arch_irq_restore(flags);
}

void
thread_register_boot(struct thread *boot)
{
	setup_common(boot, boot->name, boot->prio);
}

static int
stack_alloc(struct thread *t, size_t size)
{
	t->stack_size = size;
#ifdef CONFIG_PAGING
	return kstack_alloc(&t->kstack, size, t->name);
#else
	t->stack = kmalloc(size);
	return t->stack ? 0 : -ENOMEM;
#endif
}

static void
stack_free(struct thread *t)
{
#ifdef CONFIG_PAGING
	kstack_free(&t->kstack);
#else
	kfree(t->stack);
#endif
}

static void *
stack_top(struct thread *t)
{
#ifdef CONFIG_PAGING
	return (void *)(t->kstack.base + t->kstack.size);
#else
	return (char *)t->stack + t->stack_size;
#endif
}

struct thread *
thread_create(const char *name, void (*entry)(void *arg), void *arg, int prio,
	      size_t stack_size)
{
	struct thread *t;

	if (prio < THREAD_PRIO_IDLE || prio > THREAD_PRIO_MAX || !entry)
		return NULL;
	t = kzalloc(sizeof(*t));
	if (!t)
		return NULL;
	setup_common(t, name, prio);
	if (stack_alloc(t, stack_size ? stack_size : CONFIG_THREAD_STACK_SIZE)) {
		unsigned long flags = arch_irq_save();

		list_del(&t->all_node);
		nr_threads--;
		arch_irq_restore(flags);
		kfree(t);
		return NULL;
	}
	t->entry = entry;
	t->arg = arg;
	arch_thread_init(&t->arch, stack_top(t));
	sched_add(t);
	return t;
}

/* The first code a new thread runs, with interrupts masked (see HAL). */
void
thread_trampoline(void)
{
	struct thread *t = thread_current();

	arch_irq_enable();
	t->entry(t->arg);
	thread_exit(0);
}

void
thread_exit(int code)
{
	struct thread *t = thread_current();

	if (!list_empty(&t->held))
		panic("thread %s exits holding a mutex", t->name);
	arch_irq_disable();		/* for good: this thread never runs again */
	t->exit_code = code;
	t->state = THREAD_DEAD;
	/* Wake the joiner by hand: it sleeps on our queue, we are not blocked. */
	while (!list_empty(&t->joiners.waiters))
		thread_wake(list_first_entry(&t->joiners.waiters, struct thread, run_node), 0);
	schedule();			/* never comes back: DEAD is not re-queued */
	panic("dead thread %s ran again", t->name);
}

int
thread_join(struct thread *t)
{
	struct thread *me = thread_current();
	unsigned long flags = arch_irq_save();
	int code;

	if (t == me)
		panic("thread %s joins itself", me->name);
	while (t->state != THREAD_DEAD) {
		struct list_head *pos;

		/* Into the joiners' queue in priority order, like wq_wait(). */
		list_for_each(pos, &t->joiners.waiters)
			if (list_entry(pos, struct thread, run_node)->prio < me->prio)
				break;
		list_add_tail(&me->run_node, pos);
		me->wq = &t->joiners;
		sched_block();
	}
	list_del(&t->all_node);
	nr_threads--;
	arch_irq_restore(flags);
	code = t->exit_code;
	stack_free(t);
	kfree(t);
	return code;
}

void
thread_sleep_ns(uint64_t ns)
{
	struct thread *me = thread_current();
	unsigned long flags = arch_irq_save();

	me->wq = NULL;
	timer_arm(&me->timeout, time_ns() + ns);
	sched_block();
	arch_irq_restore(flags);
}

void
thread_set_priority(struct thread *t, int prio)
{
	int inherited;

	if (prio < THREAD_PRIO_IDLE || prio > THREAD_PRIO_MAX)
		return;
	t->base_prio = prio;
	inherited = mutex_inherited_prio(t);
	sched_set_effective_prio(t, inherited > prio ? inherited : prio);
	preempt_point();		/* t may now outrank us, or we fell below */
}

unsigned int
thread_count(void)
{
	return nr_threads;
}
