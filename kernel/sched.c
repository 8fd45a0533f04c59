/*
 * The scheduler: one run queue per CPU, one list per priority and a bitmap
 * of the non-empty ones.  On each CPU the highest ready priority runs and
 * equals take turns every time slice.  A thread made ready goes to the
 * CPU that can run it soonest (idle, or running something less important:
 * sched_balance.c decides) and preempts there at once, through a
 * reschedule IPI when that is another CPU.  Idle CPUs and every CPU's
 * tick pull queued threads from busier CPUs.  Affinity masks limit where
 * a thread may run.
 *
 * Locking.  rq->lock (raw, interrupts masked) guards a run queue and the
 * scheduling fields of the threads on it (state READY/RUNNING, queued,
 * on_rq, cpu, slice).  t->wake_lock serialises everything that moves a
 * thread between CPUs or wakes it; it is taken before any rq->lock.  A
 * second run queue is only ever try-locked (balancing).  A thread sets itself
 * BLOCKED or DEAD (under the lock of what it waits on) and then calls
 * schedule(), which takes it off its CPU's books (on_rq) under rq->lock.
 *
 * Three flags keep a thread on one CPU at a time:
 *   on_rq   a CPU has it: running, or queued.  A waker that finds a
 *           blocking thread still on_rq just sets it RUNNING again: it
 *           had not gone yet.
 *   queued  it is on a run queue's list (what balancing may move).  One
 *           CPU keeps no flag: there a thread is on a list when it is
 *           READY and in neither waiting place (on_list()).
 *   on_cpu  a CPU is running it, from the moment it is picked until its
 *           context is saved after the switch away (cleared on the new
 *           thread's stack, sched_finish_switch()).  A waker waits for it
 *           to clear before handing the thread to another CPU, and a
 *           joiner before freeing the stack.
 * rq->lock is held across the switch and released by the incoming thread
 * (sched_finish_switch()), so nobody sees a half-switched run queue.
 */
#define pr_fmt(fmt) "sched: " fmt

#include <string.h>
#include <arch/cpu.h>
#include <kernel/atomic.h>
#include <kernel/bitops.h>
#include <kernel/errno.h>
#include <kernel/list.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#ifdef CONFIG_PROCESSES
#include <kernel/mman.h>
#endif
#include "sched_internal.h"

#define SLICE_TICKS	((CONFIG_TIMESLICE_MS * CONFIG_HZ + 999) / 1000)
#define BALANCE_TICKS	4		/* periodic balancing, per CPU */

_Static_assert(CONFIG_NR_PRIORITIES <= 32, "the ready bitmap is 32 bits");
_Static_assert(SLICE_TICKS <= UINT16_MAX, "struct thread keeps the slice in 16 bits");

#ifdef CONFIG_DEBUG_KERNEL
void
preempt_count_overflow(void)
{
	panic("preemption count of thread " THREAD_FMT " overflows: more than %u nested disables",
	      THREAD_ARG(thread_current()), (unsigned int)UINT8_MAX);
}
#endif

/* A fresh time slice; counted for /proc and the fairness test. */
static __always_inline void
new_slice(struct thread *t)
{
	t->slice = SLICE_TICKS;
#ifdef THREAD_COUNTS_SLICES
	t->nr_slices++;
#endif
}

struct rq {
	struct spinlock lock;		/* raw; see the top of the file */
	/* First: on one CPU (no lock word) q[p] is then at 8 * p. */
	struct list_head q[CONFIG_NR_PRIORITIES];
	struct thread *idle;
	uint32_t ready;			/* bit p: q[p] is not empty */
#ifdef CONFIG_SMP
	struct thread *prev;		/* switched away from, until finished */
	unsigned int nr_queued;		/* threads in q[], for balancing */
	unsigned int cpu;		/* one CPU: rq_cpu() is 0 */
	unsigned int balance_countdown;
#else
	/*
	 * One CPU: a thread woken above the running one and everything
	 * queued, READY but on no list: the coming switch takes it from
	 * here without the queue and dequeue (stash_next()).
	 */
	struct thread *next_up;
	/*
	 * One CPU: the thread a better one preempted, READY and first of its
	 * priority, but on no list: when the better one blocks, it comes
	 * back from here without the queue, search and dequeue
	 * (stash_preempted()).
	 */
	struct thread *preempted;
#endif
	bool started;			/* this CPU schedules */
#ifdef CONFIG_SCHED_STATS
	/* Time in the idle thread (lock): /proc/uptime and /proc/stat. */
	uint64_t idle_ns;		/* finished idle periods */
	uint64_t idle_since;		/* when the idle thread last came on */
#endif
} __cacheline_aligned_smp;

#ifdef CONFIG_SMP
#define wake_lock(t)	raw_spin_lock(&(t)->wake_lock)
#define wake_unlock(t)	raw_spin_unlock(&(t)->wake_lock)
#else
/* One CPU, interrupts masked: nothing else can wake or move the thread. */
#define wake_lock(t)	((void)(t))
#define wake_unlock(t)	((void)(t))
#endif

static struct rq rqs[NR_CPUS];
static bool sched_started;		/* preemption is on (sched_start()) */

static inline struct rq *
rq_of(unsigned int cpu)
{
	return &rqs[cpu];
}

/* rq's CPU; a constant on one CPU. */
static inline unsigned int
rq_cpu(const struct rq *rq)
{
#ifdef CONFIG_SMP
	return rq->cpu;
#else
	(void)rq;
	return 0;
#endif
}

/* What runs on rq's CPU: its struct cpu says (written under rq->lock). */
static inline struct thread *
rq_curr(const struct rq *rq)
{
	return cpus[rq_cpu(rq)].current;
}

/* Only where the caller cannot migrate (interrupts masked). */
static inline struct rq *
this_rq(void)
{
	return rq_of(cpu_id());
}

static __always_inline int
highest_ready(const struct rq *rq)
{
	return fls32(rq->ready);
}


/* ------------------------------------------------------------ run queues */

/* Onto rq's list (rq->lock held): at the head if it was preempted. */
static __always_inline void
enqueue(struct rq *rq, struct thread *t, bool head)
{
	int prio = t->prio;		/* once: the list stores could alias it */

	t->state = THREAD_READY;
#ifdef CONFIG_SMP
	t->cpu = rq->cpu;
	rq->nr_queued++;
#endif
	t->on_rq = true;
#ifdef CONFIG_SMP
	t->queued = true;
#endif
	if (head)
		list_add(&t->run_node, &rq->q[prio]);
	else
		list_add_tail(&t->run_node, &rq->q[prio]);
	rq->ready |= 1u << prio;
}

static __always_inline void
dequeue(struct rq *rq, struct thread *t)
{
	list_unlink(&t->run_node);	/* on_list() says whether it is linked */
#ifdef CONFIG_SMP
	t->queued = false;
#endif
	if (list_empty(&rq->q[t->prio]))
		rq->ready &= ~(1u << t->prio);
#ifdef CONFIG_SMP
	rq->nr_queued--;
#endif
}

/*
 * Is t on one of rq's lists (rq->lock held)?  One CPU: a READY thread is,
 * unless it waits in rq->next_up or rq->preempted.
 */
static inline bool
on_list(const struct rq *rq, const struct thread *t)
{
#ifdef CONFIG_SMP
	(void)rq;
	return t->queued;
#else
	return t->state == THREAD_READY && t != rq->next_up && t != rq->preempted;
#endif
}

/* Make rq's CPU reconsider (rq->lock held): a flag, and an IPI if remote. */
static void
resched(struct rq *rq)
{
	set_need_resched(rq_curr(rq));
#ifdef CONFIG_SMP
	if (rq->cpu != cpu_id())
		smp_send_ipi(cpumask_of(rq->cpu), IPI_RESCHEDULE);
#endif
}

/* t was queued on rq: does it run before what runs there? */
static void
check_preempt(struct rq *rq, struct thread *t)
{
	struct thread *curr = rq_curr(rq);

	/* The idle thread yields even to threads of its own priority, 0. */
	if (current_known(curr) && (t->prio > curr->prio || curr == rq->idle))
		resched(rq);
}

/*
 * Lock the run queue t is on (or would be on), with t->wake_lock first so
 * it cannot move meanwhile.  Interrupts are masked by the caller.
 */
static struct rq *
task_rq_lock(struct thread *t)
{
	wake_lock(t);
	for (;;) {
		struct rq *rq = rq_of(thread_cpu(t));

		raw_spin_lock(&rq->lock);
		if (rq == rq_of(thread_cpu(t)))
			return rq;
		raw_spin_unlock(&rq->lock);
	}
}

static void
task_rq_unlock(struct thread *t, struct rq *rq)
{
	raw_spin_unlock(&rq->lock);
	wake_unlock(t);
}

/* ----------------------------------------------------------- placement */

static bool
allowed_here(const struct thread *t, unsigned int cpu)
{
#ifdef CONFIG_SMP
	return cpumask_test(t->affinity, cpu);
#else
	return true;			/* one CPU: thread_create_on() checked */
#endif
}

#if defined(ARCH_CONTEXT_SWITCH_DEFERRED) && defined(CONFIG_SMP)
#error "a deferred context switch is for one CPU only"
#endif
#if defined(ARCH_HAS_IN_HANDLER) && !defined(ARCH_CONTEXT_SWITCH_DEFERRED)
#error "no interrupt depth is kept: only a deferred switch finds the outermost handler"
#endif

#ifdef CONFIG_SMP
/* The priority running on rq, for placement: -1 when idle. */
static int
running_prio(const struct rq *rq)
{
	const struct thread *c = READ_ONCE(cpus[rq->cpu].current);

	return !c || c == rq->idle ? -1 : c->prio;
}

/* Every online CPU's load; the others marked offline.  No locks: a hint. */
static unsigned int
load_snapshot(struct sched_load *load)
{
	cpumask_t online = cpus_online();
	unsigned int n = 0, c;

	for (c = 0; c < NR_CPUS; c++)
		load[c].online = false;
	for_each_cpu(c, online) {
		const struct rq *rq = rq_of(c);

		load[c].online = READ_ONCE(rq->started);
		load[c].running = running_prio(rq);
		load[c].top_queued = highest_ready(rq);
		load[c].queued = READ_ONCE(rq->nr_queued);
		n = c + 1;
	}
	return n;
}

static unsigned int
select_cpu(struct thread *t)
{
	struct sched_load load[NR_CPUS];
	const struct rq *prev = rq_of(t->cpu);
	unsigned int cpu, n;

	/* The common case first: its last CPU is idle and allowed. */
	if (allowed_here(t, t->cpu) && READ_ONCE(prev->started) &&
	    running_prio(prev) < 0 && !READ_ONCE(prev->nr_queued))
		return t->cpu;
	n = load_snapshot(load);
	cpu = sched_pick_cpu(load, n, t->affinity, t->prio, t->cpu, cpu_id());
	if (cpu >= n || !load[cpu].online || !allowed_here(t, cpu))
		cpu = cpumask_first(t->affinity & cpus_online());
	if (cpu >= NR_CPUS)
		cpu = cpu_id();		/* no allowed CPU is up: keep it running */
	return cpu;
}
#else
static unsigned int
select_cpu(struct thread *t)
{
	return 0;
}
#endif

#ifndef CONFIG_SMP
/*
 * One CPU: a thread made ready above the running thread and above every
 * queued one is the next to run, at the switch that resched() asks for.
 * It waits in rq->next_up instead of on a list: an interrupt's wake-up
 * is then a few stores, and its switch takes no dequeue and no search.
 * A better one displaces it to the head of its list (it woke first);
 * pick_next() checks it is still the best.  rq->lock held.
 */
/*
 * Back to the head of its list, for the rare turns of rq->next_up below
 * (displaced by a better thread, or outranked by a priority change): out
 * of line, so the wake-up and switch paths stay short and small.
 */
static __noinline void
unstash(struct rq *rq, struct thread *t)
{
	enqueue(rq, t, true);
}

static __always_inline bool
stash_next(struct rq *rq, struct thread *t)
{
	struct thread *curr = rq_curr(rq), *stashed = rq->next_up;

	if (!current_known(curr) || (t->prio <= curr->prio && curr != rq->idle) ||
	    (rq->ready >> t->prio))
		return false;
	if (stashed) {
		if (t->prio <= stashed->prio)
			return false;
		unstash(rq, stashed);
	}
	t->state = THREAD_READY;
	t->on_rq = true;
	rq->next_up = t;
	set_need_resched(curr);		/* resched(rq), curr at hand */
	return true;
}

/*
 * prev, preempted, waits in rq->preempted: in front of its list, where
 * enqueue() would put it.  It was running, so everything ready is below
 * it or about to run: the next switch back finds it here.  An earlier
 * one there was preempted first and goes to its list's head.
 */
static __always_inline void
stash_preempted(struct rq *rq, struct thread *prev)
{
	if (rq->preempted)
		unstash(rq, rq->preempted);
	prev->state = THREAD_READY;
	rq->preempted = prev;
}

/*
 * Both waiting places back to their lists, before a priority changes:
 * what they promise (next_up above everything, preempted below what
 * runs) holds only while priorities stay.
 */
static void
unstash_all(struct rq *rq)
{
	if (rq->preempted) {
		unstash(rq, rq->preempted);
		rq->preempted = NULL;
	}
	if (rq->next_up) {
		unstash(rq, rq->next_up);
		rq->next_up = NULL;
	}
}
#else
static inline bool stash_next(struct rq *rq, struct thread *t) { return false; }
#endif

/*
 * Queue a thread nobody's run queue has (new, woken, or pushed off a CPU
 * it may no longer use) where it runs soonest.  t->wake_lock held,
 * interrupts masked.  One CPU: inline, in an interrupt's path to the
 * thread it wakes (sched_wake_masked()).
 */
#ifdef CONFIG_SMP
static void
#else
static __always_inline void
#endif
activate(struct thread *t)
{
	unsigned int cpu = select_cpu(t);
	struct rq *rq = rq_of(cpu);

	raw_spin_lock(&rq->lock);
	if (!stash_next(rq, t)) {
		enqueue(rq, t, false);
		check_preempt(rq, t);
	}
	raw_spin_unlock(&rq->lock);
}

/* ------------------------------------------------------------ switching */

static __always_inline struct thread *
pick_next(struct rq *rq)
{
	int p;
	struct thread *next;

#ifndef CONFIG_SMP
	next = rq->next_up;
	if (next) {
		rq->next_up = NULL;
		if (!(rq->ready >> next->prio))
			return next;	/* still above everything queued */
		unstash(rq, next);	/* outranked meanwhile */
	}
	next = rq->preempted;
	if (next) {
		rq->preempted = NULL;
		/* First of its priority: only a higher one goes before it. */
		if (!(rq->ready >> next->prio >> 1))
			return next;
		unstash(rq, next);	/* something better woke meanwhile */
	}
#endif
	p = highest_ready(rq);
	if (p < 0)
		return rq->idle;
	next = list_first_entry(&rq->q[p], struct thread, run_node);
	dequeue(rq, next);
	return next;
}

static __always_inline void switch_books(struct rq *rq, struct thread *prev, struct thread *next);
static __always_inline void switch_to(struct rq *rq, struct thread *prev, struct thread *next);

/*
 * Put prev back or take it off this CPU's books, as its state says:
 * RUNNING (preempted or yielding) goes back on the run queue, BLOCKED or
 * DEAD leaves.  Then pick the best ready thread.  rq->lock held.  Returns
 * prev when it keeps the CPU.
 */
static __always_inline struct thread *
pick_after(struct rq *rq, struct thread *prev)
{
	struct thread *next, *idle = rq->idle;

	clear_need_resched(prev);
	if (prev->state == THREAD_RUNNING) {
		if (prev == idle) {
			/* Idle is never queued: it runs when the queues are empty. */
#ifndef CONFIG_SMP
		} else if (prev->slice > 0) {
			stash_preempted(rq, prev);	/* enqueue(rq, prev, true), deferred */
#endif
		} else if (allowed_here(prev, rq_cpu(rq))) {
			/* Preempted keeps its place (and slice); yield and expiry go last. */
			enqueue(rq, prev, prev->slice > 0);
#ifdef CONFIG_SMP
		} else {
			prev->state = THREAD_READY;	/* sched_finish_switch() moves it */
			prev->push = true;
#endif
		}
	} else {
		prev->on_rq = false;		/* BLOCKED or DEAD */
	}
	next = pick_next(rq);
	if (next == prev) {
		prev->state = THREAD_RUNNING;
		if (prev->slice == 0)
			new_slice(prev);
	}
	return next;
}

/*
 * pick_after() and, when another thread is to run, switch_books(): the
 * part of a switch both kinds of caller share.  This CPU's rq->lock held.
 */
static struct thread *
pick_and_book(struct thread *prev)
{
	struct rq *rq = this_rq();
	struct thread *next = pick_after(rq, prev);

	if (next != prev)
		switch_books(rq, prev, next);
	return next;
}

/* Switch to the best ready thread.  Interrupts are masked by the caller. */
static void
reschedule(void)
{
	struct rq *rq = this_rq();
	struct thread *prev = rq_curr(rq), *next;

	if (IS_ENABLED(CONFIG_DEBUG_KERNEL) && in_irq())
		panic("schedule() in an interrupt handler");
#ifdef CONFIG_DEBUG_KERNEL
	if (prev->state == THREAD_BLOCKED && prev->locks_held)
		panic("thread " THREAD_FMT " sleeps holding %u spinlock%s", THREAD_ARG(prev),
		      prev->locks_held, prev->locks_held == 1 ? "" : "s");
#endif
	raw_spin_lock(&rq->lock);
	next = pick_and_book(prev);
	if (next == prev) {
		raw_spin_unlock(&rq->lock);
		return;
	}
	switch_to(rq, prev, next);
}

#ifdef ARCH_CONTEXT_SWITCH_DEFERRED
/*
 * The port's preemption exception, on an interrupt's way back to the
 * thread it interrupted (<arch/thread.h>): the switch the interrupts
 * asked for, decided once however many of them woke something.  It is
 * asked only when the running thread, prev, may be switched out
 * (sched_irq_exit(): need_resched(), preemption count 0), and the port
 * passes prev; this does the books and returns the thread to resume
 * (prev: nothing to switch).
 * Interrupts masked on the one CPU, so nothing else can hold rq->lock,
 * which it does not take.  The exception calls the pick itself: no
 * wrapper's frame in an interrupt's path to its thread.
 */
struct thread *sched_preempt_deferred(struct thread *prev)
	__attribute__((alias("pick_and_book")));
#endif

/*
 * The books of a switch from prev, already requeued or taken off, to
 * next, already dequeued.  rq->lock held.  Inline: it is most of a
 * yield's cost on a small core.
 */
static __always_inline void
switch_books(struct rq *rq, struct thread *prev, struct thread *next)
{
#ifdef CONFIG_SMP
	if (next->on_cpu)
		panic("sched: thread " THREAD_FMT " picked on CPU%u while another CPU runs it",
		      THREAD_ARG(next), rq->cpu);
	next->on_cpu = 1;
	next->cpu = rq->cpu;
	rq->prev = prev;
#endif
	next->state = THREAD_RUNNING;
	if (next->slice == 0)
		new_slice(next);
#ifdef CONFIG_SCHED_STATS
	{
		/* Run time per thread (CLOCK_THREAD_CPUTIME_ID), in clock counts. */
		uint64_t count = time_count();

		prev->run_count += count - prev->run_since;
		next->run_since = count;
	}
	if (prev == rq->idle || next == rq->idle) {
		/* Idle time: converted only on switches from or to idle. */
		uint64_t now = time_ns();

		if (prev == rq->idle)
			rq->idle_ns += now - rq->idle_since;
		else
			rq->idle_since = now;
	}
#endif
#ifdef CONFIG_SCHED_SWITCH_COUNT
	cpus[rq_cpu(rq)].switches++;
#endif
#ifdef CONFIG_PROCESSES
	/* getrusage's voluntary and involuntary switches (Linux's nvcsw, nivcsw). */
	if (prev->state == THREAD_BLOCKED)
		prev->nvcsw++;
	else if (prev->state != THREAD_DEAD && prev != rq->idle)
		prev->nivcsw++;
	/* The incoming thread's address space (a kernel thread's: none). */
	if (next->mm != prev->mm)
		mm_activate(next->mm);
#endif
	cpus[rq_cpu(rq)].current = next;
#ifdef CONFIG_THREAD_STACK_CHECK
	thread_stack_check(prev);	/* no guard page: did it run off its stack? */
#endif
}

/*
 * The switch itself, the books done, from a thread (or, on ports that
 * switch in their interrupt handlers, the end of one).  rq->lock held;
 * the incoming side releases it (sched_finish_switch()).
 */
static __always_inline void
switch_to(struct rq *rq, struct thread *prev, struct thread *next)
{
#ifdef ARCH_CONTEXT_SWITCH_DEFERRED
	/* One CPU: the books are done before, so both kinds of resume agree. */
	sched_finish_switch();
	arch_context_switch(&prev->arch, &next->arch);
#else
	arch_context_switch(&prev->arch, &next->arch);
	/* prev runs again here, perhaps on another CPU, interrupts still masked. */
	sched_finish_switch();
#endif
}

/*
 * The second half of a switch, on the incoming thread's stack: the
 * outgoing thread's context is saved, so it may now run elsewhere (or be
 * freed, if it died).  Then this CPU's run queue is free again.
 */
void
sched_finish_switch(void)
{
	struct rq *rq = this_rq();
#ifdef CONFIG_SMP
	struct thread *prev = rq->prev;
	bool push = prev->push;

	rq->prev = NULL;
	prev->push = false;
	store_release(&prev->on_cpu, 0);
	raw_spin_unlock(&rq->lock);
	if (push) {
		/* Off a CPU its affinity no longer allows: queue it elsewhere. */
		wake_lock(prev);
		activate(prev);
		wake_unlock(prev);
	}
#else
	raw_spin_unlock(&rq->lock);	/* one CPU: the rest cannot happen */
#endif
}

void
schedule(void)
{
	unsigned long flags = arch_irq_save();

	reschedule();
	arch_irq_restore(flags);
}

/*
 * As Linux's sched_yield(), a yield is made with interrupts on and returns
 * with them on (a thread that may not sleep may not yield either): no
 * flags to keep across the switch, three of a yield's instructions on a
 * Cortex-M0.
 */
void
thread_yield(void)
{
	struct thread *me;

	if (IS_ENABLED(CONFIG_DEBUG_KERNEL) && !arch_irqs_enabled())
		panic("thread_yield() with interrupts masked");
	arch_irq_disable();
	me = thread_current();
#ifndef CONFIG_SMP
	struct rq *rq = rq_of(0);
	struct list_head *q = &rq->q[me->prio];

	/*
	 * One CPU: what runs is the best ready thread unless need_resched()
	 * says otherwise, so an equal at the head of its list is the one to
	 * run.  Trade places with it, without the general pick.
	 */
	if (IS_ENABLED(CONFIG_DEBUG_KERNEL) && me == rq->idle)
		panic("the idle thread yields");	/* it is never queued: no trade */
	if (!list_empty(q) && !need_resched(me)) {
		struct thread *next = list_first_entry(q, struct thread, run_node);

		/*
		 * enqueue() and dequeue() without the bitmap and on_rq
		 * updates, which cannot change here: 18 of a 101-instruction
		 * yield on a Cortex-M0.
		 */
		raw_spin_lock(&rq->lock);
		list_unlink_first(&next->run_node, q);
		me->slice = 0;
		me->state = THREAD_READY;
		list_add_tail(&me->run_node, q);	/* q stays non-empty */
		switch_books(rq, me, next);
		switch_to(rq, me, next);
		arch_irq_enable();
		return;
	}
#endif
	me->slice = 0;			/* to the back of its priority */
	reschedule();
	arch_irq_enable();
}

/* ------------------------------------------------------------ wake-ups */

/*
 * thread_wake() with interrupts masked by the caller and without its
 * preemption point: for wait queues, whose lock's release is one.
 * Returns the state t was found in: THREAD_BLOCKED when it woke t.  (A
 * state, not a bool: both exits then return what is in hand, where clang
 * recomputed the comparison for a merged true/false.)
 */
enum thread_state
sched_wake_masked(struct thread *t, int result)
{
	enum thread_state found;
	struct rq *rq;

	wake_lock(t);
	found = t->state;
	if (found != THREAD_BLOCKED) {
		wake_unlock(t);
		return found;
	}
	t->wake_result = result;
	if (READ_ONCE(t->on_rq)) {
		/* Still on its CPU, on the way into schedule(): it need not go. */
		rq = rq_of(thread_cpu(t));
		raw_spin_lock(&rq->lock);
		if (t->on_rq) {
			t->state = THREAD_RUNNING;
			raw_spin_unlock(&rq->lock);
			goto out;
		}
		raw_spin_unlock(&rq->lock);
	}
#ifdef CONFIG_SMP
	/* Its context may still be being saved on its old CPU. */
	while (load_acquire(&t->on_cpu))
		arch_cpu_relax();
#endif
	activate(t);
out:
	wake_unlock(t);
	return THREAD_BLOCKED;
}

bool
thread_wake(struct thread *t, int result)
{
	unsigned long flags = arch_irq_save();
	bool woke = sched_wake_masked(t, result) == THREAD_BLOCKED;

	arch_irq_restore(flags);
	if (woke)
		preempt_point();
	return woke;
}

void
sched_add(struct thread *t)
{
	unsigned long flags = arch_irq_save();

	wake_lock(t);
	activate(t);
	wake_unlock(t);
	arch_irq_restore(flags);
	preempt_point();
}

/* ----------------------------------------------------------- preemption */

void
preempt_schedule(void)
{
	struct thread *me = thread_current();

	if (me && need_resched(me) && me->preempt.count == 0 &&
	    arch_irqs_enabled() && !in_irq() && sched_started)
		schedule();
}

/* --------------------------------------------------- priority, affinity */

/*
 * Change a thread's effective priority, keeping whatever queue it is on in
 * order: its run queue, or the wait queue it sleeps on (whose lock comes
 * first).  Callers hold mutex_pi_lock (mutex.c).
 */
void
sched_set_effective_prio(struct thread *t, int prio)
{
	unsigned long flags = arch_irq_save();
	struct wait_queue *wq = READ_ONCE(t->wq);
	struct rq *rq;

	if (wq) {
		spin_lock(&wq->lock);
		if (t->wq != wq) {		/* woken meanwhile: nothing to move */
			spin_unlock(&wq->lock);
			wq = NULL;
		}
	}
	rq = task_rq_lock(t);
	if (t->prio != prio) {
		int old = t->prio;

#ifndef CONFIG_SMP
		unstash_all(rq);
#endif
		if (on_list(rq, t)) {
			dequeue(rq, t);
			t->prio = prio;
			enqueue(rq, t, false);
			check_preempt(rq, t);
		} else {
			t->prio = prio;
			/* Running, and lowered below a queued one: let it run. */
			if (rq_curr(rq) == t && prio < old && highest_ready(rq) > prio)
				resched(rq);
		}
		if (wq) {
			/* Wait queues are in priority order: move it. */
			wq_remove(t);
			wq_insert(wq, t);
		}
	}
	task_rq_unlock(t, rq);
	if (wq)
		spin_unlock(&wq->lock);
	arch_irq_restore(flags);
}

int
thread_set_affinity(struct thread *t, cpumask_t mask)
{
	unsigned long flags;
	struct rq *rq;
	bool move = false;

	mask &= CPUMASK_ALL;
	if (!(mask & cpus_online()))
		return -EINVAL;
	flags = arch_irq_save();
	rq = task_rq_lock(t);
#ifdef CONFIG_SMP
	t->affinity = mask;
#endif
	if (t->on_rq && !allowed_here(t, thread_cpu(t))) {
		if (on_list(rq, t)) {
			/* Waiting on a CPU it may not use: requeue it elsewhere. */
			dequeue(rq, t);
			t->state = THREAD_READY;
			move = true;
		} else if (rq_curr(rq) == t) {
			resched(rq);		/* its switch-out pushes it */
		}
	}
	raw_spin_unlock(&rq->lock);
	if (move)
		activate(t);
	wake_unlock(t);
	arch_irq_restore(flags);
	preempt_point();		/* t == the caller: move now */
	return 0;
}

unsigned int
thread_pin(void)
{
	unsigned long flags = arch_irq_save();
	unsigned int cpu = cpu_id();

	arch_irq_restore(flags);
	/* Had it moved meanwhile, this moves it back: cpu is where it runs. */
	thread_set_affinity(thread_current(), cpumask_of(cpu));
	return cpu;
}

void
thread_unpin(void)
{
	thread_set_affinity(thread_current(), CPUMASK_ALL);
}

/* ---------------------------------------------------------- balancing */

#ifdef CONFIG_SMP
/*
 * Take the best queued thread of src that may run on dst (and is not
 * still being switched out) over to dst.  Returns whether one moved.
 * Opportunistic: when src is busy, nothing moves this time.  Idle CPUs
 * balance after every interrupt, with interrupts masked; waiting for the
 * lock of a queue every idle CPU looks at made a convoy of them when the
 * holder's vCPU was off the host CPU (seconds, with -smp 4 on two cores).
 */
static bool
pull_one(struct rq *dst, struct rq *src)
{
	struct thread *t = NULL;

	raw_spin_lock(&dst->lock);
	if (!raw_spin_trylock(&src->lock)) {	/* held: no order needed */
		raw_spin_unlock(&dst->lock);
		return false;
	}
	for (int p = highest_ready(src); p >= 0 && !t; p--) {
		struct list_head *pos;

		if (!(src->ready & (1u << p)))
			continue;
		list_for_each(pos, &src->q[p]) {
			struct thread *c = list_entry(pos, struct thread, run_node);

			if (allowed_here(c, dst->cpu) && !c->on_cpu) {
				t = c;
				break;
			}
		}
	}
	if (t) {
		dequeue(src, t);
		enqueue(dst, t, false);
		check_preempt(dst, t);
	}
	raw_spin_unlock(&src->lock);
	raw_spin_unlock(&dst->lock);
	return t != NULL;
}

/* Pull work to this CPU if another has too much; interrupts masked. */
static bool
balance(void)
{
	struct sched_load load[NR_CPUS];
	unsigned int me = cpu_id(), n = load_snapshot(load);
	int busiest;

	if (n < 2)
		return false;
	busiest = sched_pick_busiest(load, n, me);
	return busiest >= 0 && pull_one(rq_of(me), rq_of((unsigned int)busiest));
}
#endif

/* ------------------------------------------------------- ticks, interrupts */

void
sched_tick(void)
{
	struct rq *rq;
	struct thread *cur;

	if (!sched_started)
		return;
	rq = this_rq();
	if (NR_CPUS > 1 && !rq->started)
		return;			/* a secondary CPU's (one CPU: sched_started says it) */
	raw_spin_lock(&rq->lock);
	cur = rq_curr(rq);
	if (cur != rq->idle && cur->slice && !thread_no_slices(cur) && --cur->slice == 0) {
		/* Its turn is over if an equal is waiting. */
		if (rq->ready & (1u << cur->prio))
			set_need_resched(cur);
		else
			new_slice(cur);
	}
	raw_spin_unlock(&rq->lock);
#ifdef CONFIG_SMP
	if (++rq->balance_countdown >= BALANCE_TICKS) {
		rq->balance_countdown = 0;
		balance();
	}
#endif
}

/*
 * The outermost interrupt handler made a better thread ready
 * (sched_irq_exit()): switch to it unless the thread it interrupted
 * holds preemption off, which then switches when it lets go.
 */
#ifndef ARCH_CONTEXT_SWITCH_DEFERRED
void
sched_irq_preempt(struct thread *cur)
{
	/* One CPU: its run queue starts with the scheduler. */
	if (sched_started && cur->preempt.count == 0 && (NR_CPUS == 1 || this_rq()->started))
		reschedule();		/* interrupts are masked in the handler */
}
#endif

/* ------------------------------------------------------------------ boot */

#ifdef CONFIG_SMP
void
sched_thread_init(struct thread *t)
{
	spin_init(&t->wake_lock, "thread-wake");
	t->affinity = CPUMASK_ALL;
	t->cpu = 0;
}
#endif

void
sched_set_idle(unsigned int cpu, struct thread *idle)
{
	struct rq *rq = rq_of(cpu);

#ifdef CONFIG_SMP
	idle->cpu = cpu;
	idle->affinity = cpumask_of(cpu);
#endif
	idle->state = THREAD_RUNNING;	/* never queued; "runnable" whenever picked */
	idle->on_rq = true;
	rq->idle = idle;
}

static void
rq_init(unsigned int cpu)
{
	struct rq *rq = rq_of(cpu);

	spin_init(&rq->lock, "runqueue");
#ifdef CONFIG_SMP
	rq->cpu = cpu;
#endif
	for (int p = 0; p < CONFIG_NR_PRIORITIES; p++)
		list_init(&rq->q[p]);
}

void
sched_init(void)
{
	for (unsigned int c = 0; c < NR_CPUS; c++)
		rq_init(c);
#ifdef CONFIG_THREAD_NAMES
	strlcpy(boot_thread.name, "main", sizeof(boot_thread.name));
#endif
	sched_thread_init(&boot_thread);
	boot_thread.state = THREAD_RUNNING;
	boot_thread.prio = boot_thread.base_prio = THREAD_PRIO_DEFAULT;
	boot_thread.slice = SLICE_TICKS;
	boot_thread.on_rq = true;
#ifdef CONFIG_SMP
	boot_thread.on_cpu = 1;
#endif
	boot_thread.preempt.count = 1;	/* until sched_start() */
	clear_need_resched(&boot_thread);
	boot_thread.pi_mutexes = NULL;
	cpus[0].current = &boot_thread;
}

/* Each CPU's idle thread: wait for interrupts, take work from busy CPUs. */
void
sched_idle_loop(void)
{
	for (;;) {
#ifdef CONFIG_SMP
		unsigned long flags = arch_irq_save();
		bool pulled = balance();

		arch_irq_restore(flags);
		if (pulled) {
			preempt_point();
			continue;
		}
#endif
#ifdef CONFIG_TICKLESS_IDLE
		{
			unsigned long flags = arch_irq_save();

			/*
			 * Masked from the tick's stop to its restart: the
			 * interrupt that ends the wait is taken after, with
			 * the time and jiffies right.
			 */
			if (!need_resched(thread_current()) && tick_idle_enter()) {
				arch_wait_for_irq_masked();
				tick_idle_restart();
				arch_irq_restore(flags);
				continue;
			}
			arch_irq_restore(flags);
		}
#endif
		arch_wait_for_irq();
	}
}

void
sched_start(void)
{
	struct thread *idle;

	thread_register_boot(&boot_thread);
	idle = thread_create_idle(0);
	if (!idle)
		panic("cannot create the idle thread");
	sched_set_idle(0, idle);
	rq_of(0)->started = true;
	sched_started = true;
	pr_info("%d priorities, %d ms time slice (%d tick%s), idle thread ready\n",
		CONFIG_NR_PRIORITIES, CONFIG_TIMESLICE_MS, SLICE_TICKS,
		SLICE_TICKS == 1 ? "" : "s");
	preempt_enable();
}

#ifdef CONFIG_SMP
/* A secondary CPU, on its idle thread's stack (smp.c): start scheduling. */
void
sched_cpu_run(void)
{
	struct rq *rq = this_rq();

	raw_spin_lock(&rq->lock);
#ifdef CONFIG_SCHED_STATS
	rq->idle_since = time_ns();
#endif
	cpus[rq->cpu].current = rq->idle;
	raw_spin_unlock(&rq->lock);
	rq->idle->on_cpu = 1;
	store_release(&rq->started, true);
	arch_irq_enable();
	sched_idle_loop();
	panic("idle loop returned");
}
#endif

/* -------------------------------------------------------------- counts */

#ifdef CONFIG_SCHED_STATS
uint64_t
sched_cpu_idle_ns(unsigned int cpu)
{
	struct rq *rq;
	unsigned long flags;
	uint64_t ns;

	if (cpu >= NR_CPUS)
		return 0;
	rq = rq_of(cpu);
	flags = raw_spin_lock_irqsave(&rq->lock);
	ns = rq->idle_ns;
	if (rq->idle && rq_curr(rq) == rq->idle)
		ns += time_ns() - rq->idle_since;
	raw_spin_unlock_irqrestore(&rq->lock, flags);
	return ns;
}

uint64_t
thread_cputime_ns(void)
{
	struct thread *me = thread_current();
	unsigned long flags = arch_irq_save();	/* no switch moves run_since meanwhile */
	uint64_t count = me->run_count + (time_count() - me->run_since);

	arch_irq_restore(flags);
	return time_count_to_ns(count);
}

uint64_t
thread_cputime_ns_of(struct thread *t)
{
	unsigned long flags;
	uint64_t count;
	struct rq *rq;

	if (t == thread_current())
		return thread_cputime_ns();
	/* Its run queue's lock: the one a switch of t updates its counts under. */
	flags = arch_irq_save();
	for (;;) {
		unsigned int cpu = thread_cpu(t);

		rq = rq_of(cpu);
		raw_spin_lock(&rq->lock);
		if (thread_cpu(t) == cpu)
			break;
		raw_spin_unlock(&rq->lock);
	}
	count = t->run_count;
	if (rq_curr(rq) == t)
		count += time_count() - t->run_since;
	raw_spin_unlock(&rq->lock);
	arch_irq_restore(flags);
	return time_count_to_ns(count);
}
#endif

unsigned int
sched_nr_running(void)
{
	unsigned int n = 0;

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct rq *rq = rq_of(cpu);
		unsigned long flags;
		struct thread *cur;

		if (!load_acquire(&rq->started))
			continue;
		flags = raw_spin_lock_irqsave(&rq->lock);
		cur = rq_curr(rq);
		if (cur && cur != rq->idle)
			n++;
#ifndef CONFIG_SMP
		n += !!rq->next_up + !!rq->preempted;
#endif
		for (int p = 0; p < CONFIG_NR_PRIORITIES; p++) {
			struct list_head *pos;

			list_for_each(pos, &rq->q[p])
				n++;
		}
		raw_spin_unlock_irqrestore(&rq->lock, flags);
	}
	return n;
}

#ifdef CONFIG_SCHED_SWITCH_COUNT
unsigned long
sched_cpu_switches(unsigned int cpu)
{
	return cpu < NR_CPUS ? READ_ONCE(cpus[cpu].switches) : 0;
}

unsigned long
sched_context_switches(void)
{
	unsigned long n = 0;

	for (unsigned int c = 0; c < NR_CPUS; c++)
		n += sched_cpu_switches(c);
	return n;
}
#endif
