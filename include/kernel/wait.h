/*
 * Wait queues: threads sleep on a queue until woken, in priority order
 * (the highest-priority waiter is woken first, FIFO among equals).  The
 * caller's spinlock protects the condition: wq_wait() drops it while
 * asleep and takes it again before returning.
 */
#ifndef KERNEL_WAIT_H
#define KERNEL_WAIT_H

#include <kernel/list.h>
#include <kernel/spinlock.h>
#include <kernel/types.h>

#define WAIT_FOREVER	(~0ULL)

struct wait_queue {
	struct list_head waiters;
};

#define WAIT_QUEUE_INIT(name)	{ LIST_HEAD_INIT((name).waiters) }

void wq_init(struct wait_queue *wq);
/*
 * Sleep on wq.  The caller holds lock, taken with spin_lock_irqsave(); it
 * is released while asleep and held again on return.  Returns 0 when
 * woken, -ETIMEDOUT after timeout_ns (WAIT_FOREVER: no timeout).
 */
int wq_wait(struct wait_queue *wq, struct spinlock *lock, uint64_t timeout_ns);
bool wq_wake_one(struct wait_queue *wq);	/* true if it woke someone */
unsigned int wq_wake_all(struct wait_queue *wq);
bool wq_empty(const struct wait_queue *wq);

#endif
