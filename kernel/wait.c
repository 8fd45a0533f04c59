/*
 * Wait queues, in priority order (FIFO among equal priorities), so the
 * most important waiter is always the one woken.
 */
#include <arch/cpu.h>
#include <kernel/errno.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <kernel/wait.h>
#include "sched_internal.h"

void
wq_init(struct wait_queue *wq)
{
	list_init(&wq->waiters);
}

bool
wq_empty(const struct wait_queue *wq)
{
	return list_empty(&wq->waiters);
}

int
wq_wait(struct wait_queue *wq, struct spinlock *lock, uint64_t timeout_ns)
{
	struct thread *me = thread_current();
	struct list_head *pos;

	/* Interrupts stay masked from here to the switch: no lost wakeup. */
	list_for_each(pos, &wq->waiters)
		if (list_entry(pos, struct thread, run_node)->prio < me->prio)
			break;
	list_add_tail(&me->run_node, pos);
	me->wq = wq;
	me->wake_result = 0;
	if (timeout_ns != WAIT_FOREVER)
		timer_arm(&me->timeout, time_ns() + timeout_ns);
	/*
	 * Drop the lock but not the interrupt mask (the caller restores that
	 * at its final unlock), sleep, take the lock back.
	 */
	spin_unlock(lock);
	sched_block();
	spin_lock(lock);
	return me->wake_result;
}

bool
wq_wake_one(struct wait_queue *wq)
{
	unsigned long flags = arch_irq_save();
	bool woke = false;

	if (!list_empty(&wq->waiters)) {
		thread_wake(list_first_entry(&wq->waiters, struct thread, run_node), 0);
		woke = true;
	}
	arch_irq_restore(flags);
	return woke;
}

unsigned int
wq_wake_all(struct wait_queue *wq)
{
	unsigned long flags = arch_irq_save();
	unsigned int n = 0;

	while (!list_empty(&wq->waiters)) {
		thread_wake(list_first_entry(&wq->waiters, struct thread, run_node), 0);
		n++;
	}
	arch_irq_restore(flags);
	return n;
}
