/*
 * Between the files of the thread core (sched.c, sched_balance.c,
 * thread.c, wait.c, mutex.c, smp.c), not for the rest of the kernel.
 */
#ifndef KERNEL_SCHED_INTERNAL_H
#define KERNEL_SCHED_INTERNAL_H

#include <kernel/cpu.h>
#include <kernel/thread.h>
#include <kernel/types.h>

struct thread;
struct timer;
struct wait_queue;

/* sched.c */
void sched_add(struct thread *t);		/* ready a new thread */
/* Effective priority change; moves t in its run or wait queue (mutex_pi_lock). */
void sched_set_effective_prio(struct thread *t, int prio);
/* Fields a new thread needs before its first switch (SMP's only). */
#ifdef CONFIG_SMP
void sched_thread_init(struct thread *t);
#else
static inline void sched_thread_init(struct thread *t) { }
#endif
/* The first thing a new thread does: complete the switch that started it. */
void sched_finish_switch(void);
/* The idle thread of cpu (not queued; it runs when nothing else can). */
void sched_set_idle(unsigned int cpu, struct thread *idle);
/* A secondary CPU's scheduler comes alive (smp.c), then its idle loop. */
__noreturn void sched_cpu_run(void);
void sched_idle_loop(void);

/* cpu.c: the boot CPU's first thread, current from the start. */
extern struct thread boot_thread;

/* thread.c */
void thread_register_boot(struct thread *boot);
/* An idle thread for cpu, not queued anywhere (NULL without memory). */
struct thread *thread_create_idle(unsigned int cpu);

/*
 * thread_wake() for callers that mask interrupts and reach a preemption
 * point (sched.c): the state t was in, THREAD_BLOCKED if it was woken.
 */
enum thread_state sched_wake_masked(struct thread *t, int result);

/* wait.c: wait-queue links (wq->lock held) and timed waits' timers. */
void wq_insert(struct wait_queue *wq, struct thread *t);

/* Out of the queue it waits on; wq->lock held.  Inline: every wake-up's. */
static __always_inline void
wq_remove(struct thread *t)
{
	list_unlink(&t->run_node);	/* t->wq says whether it is linked */
	t->wq = NULL;
}

/* wq_remove() of wq's first waiter, whose prev is the queue's head: one load fewer. */
static __always_inline void
wq_remove_first(struct wait_queue *wq, struct thread *t)
{
	list_unlink_first(&t->run_node, &wq->waiters);
	t->wq = NULL;
}

/*
 * A timed wait's timer, on the waiting thread's stack for as long as it
 * waits: only a blocked thread needs one, so struct thread does not carry
 * it.  wait_timeout_cancel() (synchronous) before the frame goes.
 */
struct wait_timeout {
	struct timer timer;
	struct thread *thread;
};
/* Wake the current thread with -ETIMEDOUT at deadline_ns; it is about to block. */
void wait_timeout_arm(struct wait_timeout *to, uint64_t deadline_ns);
void wait_timeout_cancel(struct wait_timeout *to);

/* mutex.c: effective priority from base and inheritance (mutex_pi_lock). */
int mutex_effective_prio(struct thread *t);

/*
 * sched_balance.c: the portable decisions of SMP placement and balancing,
 * over a snapshot of every CPU's load (host-tested).
 */
struct sched_load {
	bool online;
	int running;		/* priority of the running thread; -1: idle */
	int top_queued;		/* best queued priority; -1: none */
	unsigned int queued;	/* threads waiting in its run queue */
};

/*
 * Where a thread of priority prio, allowed on the CPUs in allowed, last
 * run on prev, made ready by waker, should go: an idle CPU (prev first),
 * else the CPU running the least important thread below prio, else the
 * shortest queue.  Ties go to prev, then waker, then the lowest number.
 */
unsigned int sched_pick_cpu(const struct sched_load *load, unsigned int ncpus,
			    cpumask_t allowed, int prio, unsigned int prev,
			    unsigned int waker);

/*
 * Which CPU should cpu pull a queued thread from, or -1: one whose best
 * queued thread outranks everything cpu has (strict priority across
 * CPUs), else the busiest queue if it is at least two longer than cpu's
 * (an idle CPU takes from any queue).
 */
int sched_pick_busiest(const struct sched_load *load, unsigned int ncpus, unsigned int cpu);

#endif
