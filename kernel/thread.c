/*
 * Kernel threads: creation with their own stack (guarded on MMU ports,
 * from the heap on the RTOS profile), the first run, exit and join,
 * sleeping.  Scheduling decisions are in sched.c, priorities in mutex.c.
 */
#define pr_fmt(fmt) "thread: " fmt

#include <string.h>
#include <arch/cpu.h>
#include <kernel/atomic.h>
#include <kernel/errno.h>
#include <kernel/list.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/slab.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#ifdef CONFIG_VFS
#include <kernel/fs.h>
#endif
#include "sched_internal.h"

/* Every thread, for listings and counts; also each one's exited and joined. */
static struct spinlock threads_lock = SPINLOCK_INIT("threads");
static LIST_HEAD(all_threads);			/* threads_lock */
/*
 * Joiners wait here for any thread's exit and look again: joins are rare,
 * so one queue for all costs less than one in every thread.
 */
static struct wait_queue thread_exits = WAIT_QUEUE_INIT(thread_exits);
static unsigned int nr_threads;			/* threads_lock */
#ifdef CONFIG_SCHED_STATS
static unsigned long nr_created;		/* threads_lock */
#endif

static void
list_thread(struct thread *t)
{
	unsigned long flags = spin_lock_irqsave(&threads_lock);

	list_add_tail(&t->all_node, &all_threads);
	nr_threads++;
#ifdef CONFIG_SCHED_STATS
	nr_created++;
#endif
	spin_unlock_irqrestore(&threads_lock, flags);
}

static void
unlist_thread(struct thread *t)
{
	unsigned long flags = spin_lock_irqsave(&threads_lock);

	list_del(&t->all_node);
	nr_threads--;
	spin_unlock_irqrestore(&threads_lock, flags);
}

static void
setup_common(struct thread *t, const char *name, int prio)
{
#ifdef CONFIG_THREAD_NAMES
	strlcpy(t->name, name, sizeof(t->name));
#else
	(void)name;
#endif
	t->prio = t->base_prio = prio;
	t->pi_mutexes = NULL;
	list_init(&t->run_node);
#ifdef CONFIG_PROCESSES
	list_init(&t->group_node);
	list_init(&t->reap_node);
	list_init(&t->pending.queue);
#endif
	clear_need_resched(t);
	sched_thread_init(t);
}

void
thread_register_boot(struct thread *boot)
{
	/* The stack start-up ran on, never freed: backtraces need its bounds. */
#ifdef CONFIG_PAGING
	boot->kstack.base = (vaddr_t)boot_stack;
	boot->kstack.size = (size_t)(boot_stack_top - boot_stack);
	boot->kstack.owner = thread_name(boot);
#else
	boot->stack = boot_stack;
#endif
	list_thread(boot);
}

#ifdef CONFIG_PAGING
static struct thread *
thread_alloc_stack(size_t size)
{
	struct thread *t = kzalloc(sizeof(*t));

	if (t && kstack_alloc(&t->kstack, size, thread_name(t))) {
		kfree(t);
		t = NULL;
	}
	return t;
}

static void
thread_free(struct thread *t)
{
	kstack_free(&t->kstack);
	kfree(t);
}

void *
thread_stack_top(const struct thread *t)
{
	return (void *)(t->kstack.base + t->kstack.size);
}

size_t
thread_stack_size(const struct thread *t)
{
	return t->kstack.size;
}
#else
/*
 * One heap block: the port's guard area (if it has one), the stack, then
 * the structure, which is the stack's top.  One allocation, no heap header
 * or size of its own, and an overflow runs into the guard, never into the
 * structure.  Payloads are 8-aligned, the stack's size is rounded to 8:
 * the top is as aligned as the ABIs want it.
 */
static struct thread *
thread_alloc_stack(size_t size)
{
	size_t stack = ALIGN_UP(size, 8);
	char *p = kmalloc(ARCH_STACK_GUARD + stack + sizeof(struct thread));
	struct thread *t;

	if (!p)
		return NULL;
	t = (struct thread *)(p + ARCH_STACK_GUARD + stack);
	memset(t, 0, sizeof(*t));
	t->stack = p + ARCH_STACK_GUARD;
	return t;
}

static void
thread_free(struct thread *t)
{
	kfree((char *)t->stack - ARCH_STACK_GUARD);
}

/* The boot thread's structure is static and its stack the linker's. */
void *
thread_stack_top(const struct thread *t)
{
	return t == &boot_thread ? boot_stack_top : (char *)t;
}

size_t
thread_stack_size(const struct thread *t)
{
	return (size_t)((char *)thread_stack_top(t) - (char *)t->stack);
}
#endif

#ifdef CONFIG_THREAD_STACK_CHECK
/* The whole stack, before its first frame is built on it. */
static void
stack_paint(struct thread *t)
{
	uint32_t *p = t->stack, *end = thread_stack_top(t);

	while (p < end)
		*p++ = THREAD_STACK_PAINT;
}

size_t
thread_stack_used(const struct thread *t)
{
	const uint32_t *p = t->stack, *end = thread_stack_top(t);

	while (p < end && *p == THREAD_STACK_PAINT)
		p++;
	return (size_t)((const char *)end - (const char *)p);
}

__noreturn void
thread_stack_overflow(const struct thread *t)
{
	panic("stack overflow: thread " THREAD_FMT " ran past the bottom of its %zu-byte stack at %p",
	      THREAD_ARG(t), thread_stack_size(t), t->stack);
}
#else
static void
stack_paint(struct thread *t)
{
}
#endif

/* A thread with its stack and first switch frame, not yet scheduled. */
static struct thread *
thread_new(const char *name, void (*entry)(void *arg), void *arg, int prio,
	   size_t stack_size)
{
	struct thread *t = thread_alloc_stack(stack_size ? stack_size : CONFIG_THREAD_STACK_SIZE);

	if (!t)
		return NULL;
	setup_common(t, name, prio);
	stack_paint(t);
#ifdef CONFIG_PROCESSES
	t->start_ns = time_ns();
#endif
#ifdef CONFIG_VFS
	vfs_thread_inherit(t, thread_current());
#endif
	arch_thread_init(&t->arch, thread_stack_top(t), entry, arg);
#if ARCH_STACK_GUARD
	arch_thread_stack_guard(&t->arch, (uintptr_t)t->stack - ARCH_STACK_GUARD,
				(uintptr_t)t->stack);
#endif
	list_thread(t);
	return t;
}

struct thread *
thread_alloc(const char *name, void (*entry)(void *arg), void *arg, int prio, size_t stack_size)
{
	if (prio < THREAD_PRIO_IDLE || prio > THREAD_PRIO_MAX || !entry)
		return NULL;
	return thread_new(name, entry, arg, prio, stack_size);
}

void
thread_start(struct thread *t, cpumask_t affinity)
{
#ifdef CONFIG_SMP
	t->affinity = affinity & CPUMASK_ALL;
#endif
	sched_add(t);
}

void
thread_free_unstarted(struct thread *t)
{
#ifdef CONFIG_VFS
	vfs_thread_exit(t);
#endif
	unlist_thread(t);
	thread_free(t);
}

struct thread *
thread_create_on(const char *name, void (*entry)(void *arg), void *arg, int prio,
		 size_t stack_size, cpumask_t affinity)
{
	struct thread *t;

	if (prio < THREAD_PRIO_IDLE || prio > THREAD_PRIO_MAX || !entry ||
	    !(affinity & cpus_online()))
		return NULL;
	t = thread_new(name, entry, arg, prio, stack_size);
	if (!t)
		return NULL;
#ifdef CONFIG_SMP
	t->affinity = affinity & CPUMASK_ALL;
#endif
	sched_add(t);
	return t;
}

struct thread *
thread_create(const char *name, void (*entry)(void *arg), void *arg, int prio,
	      size_t stack_size)
{
	return thread_create_on(name, entry, arg, prio, stack_size, CPUMASK_ALL);
}

static void
idle_entry(void *unused)
{
	sched_idle_loop();
}

struct thread *
thread_create_idle(unsigned int cpu)
{
#ifdef CONFIG_THREAD_NAMES
	char name[THREAD_NAME_LEN];

	snprintf(name, sizeof(name), "idle/%u", cpu);
#else
	const char *name = NULL;
#endif
	return thread_new(name, idle_entry, NULL, THREAD_PRIO_IDLE, CONFIG_IDLE_STACK_SIZE);
}

/* The first code a new thread runs, with interrupts masked (see HAL). */
void
thread_trampoline(void (*entry)(void *arg), void *arg)
{
#ifndef ARCH_CONTEXT_SWITCH_DEFERRED
	sched_finish_switch();		/* the switch that brought us here */
#endif
	arch_irq_enable();
	entry(arg);
	thread_exit(0);
}

void
thread_exit(int code)
{
	struct thread *t = thread_current();

#ifdef CONFIG_VFS
	vfs_thread_exit(t);		/* closes its files: may sleep */
#endif
	if (t->mutexes_held)
		panic("thread " THREAD_FMT " exits holding %u mutex%s", THREAD_ARG(t), t->mutexes_held,
		      t->mutexes_held == 1 ? "" : "es");
	arch_irq_disable();		/* for good: this thread never runs again */
	t->exit_code = code;
	spin_lock(&threads_lock);
	t->exited = true;
	spin_unlock(&threads_lock);
	wq_wake_all(&thread_exits);
	t->state = THREAD_DEAD;
	schedule();			/* never comes back: DEAD leaves the CPU */
	panic("dead thread " THREAD_FMT " ran again", THREAD_ARG(t));
}

int
thread_join(struct thread *t)
{
	struct thread *me = thread_current();
	unsigned long flags;
	int code;

	if (t == me)
		panic("thread " THREAD_FMT " joins itself", THREAD_ARG(me));
	flags = spin_lock_irqsave(&threads_lock);
	if (t->joined) {
		/* Both would free it (review finding): one joiner only. */
		spin_unlock_irqrestore(&threads_lock, flags);
		panic("thread " THREAD_FMT " joined by " THREAD_FMT " while another joins it already",
		      THREAD_ARG(t), THREAD_ARG(me));
	}
	t->joined = true;
	while (!t->exited)
		wq_wait(&thread_exits, &threads_lock, WAIT_FOREVER);
	spin_unlock_irqrestore(&threads_lock, flags);
#ifdef CONFIG_SMP
	/* Its last instructions may still run on its CPU, on its stack. */
	while (load_acquire(&t->on_cpu))
		arch_cpu_relax();
#endif
	unlist_thread(t);
	code = t->exit_code;
	if (t != &boot_thread)		/* static, on the linker's stack: nothing to free */
		thread_free(t);
	return code;
}

void
thread_sleep_ns(uint64_t ns)
{
	struct thread *me = thread_current();
	struct wait_timeout to;
	unsigned long flags = arch_irq_save();

	me->wake_result = 0;
	me->state = THREAD_BLOCKED;
	wait_timeout_arm(&to, wait_deadline(ns));
	schedule();
	wait_timeout_cancel(&to);
	arch_irq_restore(flags);
}

#ifdef CONFIG_PROCESSES
int
thread_sleep_interruptible_until(uint64_t deadline_ns)
{
	struct thread *me = thread_current();
	struct wait_timeout to;
	unsigned long flags = arch_irq_save();
	int ret;

	me->wake_result = 0;
	me->interruptible = true;
	me->state = THREAD_BLOCKED;
	smp_mb();			/* pairs with thread_interrupt() */
	if (thread_signal_pending(me)) {
		me->state = THREAD_RUNNING;
		me->interruptible = false;
		arch_irq_restore(flags);
		return -EINTR;
	}
	if (deadline_ns != WAIT_FOREVER)
		wait_timeout_arm(&to, deadline_ns);
	schedule();
	if (deadline_ns != WAIT_FOREVER)
		wait_timeout_cancel(&to);
	me->interruptible = false;
	ret = me->wake_result;
	arch_irq_restore(flags);
	return ret == -ETIMEDOUT ? 0 : ret;
}
#endif

void
thread_for_each(void (*fn)(struct thread *t, void *arg), void *arg)
{
	unsigned long flags = spin_lock_irqsave(&threads_lock);
	struct list_head *pos;

	list_for_each(pos, &all_threads)
		fn(list_entry(pos, struct thread, all_node), arg);
	spin_unlock_irqrestore(&threads_lock, flags);
}

static const char *const state_names[] = {
	[THREAD_READY] = "ready", [THREAD_RUNNING] = "running",
	[THREAD_BLOCKED] = "blocked", [THREAD_DEAD] = "dead",
};

/* Idle threads stay RUNNING between turns: running means on a CPU now. */
static bool
on_a_cpu(const struct thread *t)
{
	for (unsigned int i = 0; i < NR_CPUS; i++)
		if (READ_ONCE(cpus[i].current) == t)
			return true;
	return false;
}

static void
print_one(struct thread *t, void *arg)
{
	enum thread_state st = t->state == THREAD_RUNNING && !on_a_cpu(t) ? THREAD_READY : t->state;
	const char *state = (unsigned int)st < ARRAY_SIZE(state_names) &&
			    state_names[st] ? state_names[st] : "?";

#ifdef CONFIG_THREAD_NAMES
	const char *id = t->name;
#else
	char id[2 + 2 * sizeof(void *) + 1];

	snprintf(id, sizeof(id), "%p", (void *)t);	/* what its creator was handed */
#endif
#ifdef CONFIG_THREAD_STACK_CHECK
	printk(KERN_RAW "%-16s %-8s %4d %6zu %6zu\n", id, state, t->prio, thread_stack_used(t),
	       thread_stack_size(t));
#else
	printk(KERN_RAW "%-16s %-8s %4d %6s %6zu\n", id, state, t->prio, "-",
	       thread_stack_size(t));
#endif
}

void
thread_list_print(void)
{
	printk(KERN_RAW "%-16s %-8s %4s %6s %6s\n", "THREAD", "STATE", "PRIO", "STACK", "OF");
	thread_for_each(print_one, NULL);
}

unsigned int
thread_count(void)
{
	return READ_ONCE(nr_threads);
}

#ifdef CONFIG_SCHED_STATS
unsigned long
thread_created_total(void)
{
	return READ_ONCE(nr_created);
}
#endif
