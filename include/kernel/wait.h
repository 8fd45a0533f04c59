/*
 * Wait queues: threads sleep on a queue until woken, in priority order
 * (the highest-priority waiter is woken first, FIFO among equals).
 *
 * Two locks are involved.  The caller's spinlock protects the condition
 * it waits for: wq_wait() is called holding it (taken with
 * spin_lock_irqsave()), drops it while asleep and holds it again on
 * return, so a waker that changes the condition under the same lock
 * cannot slip between the test and the sleep.  The queue's own lock
 * protects the list of waiters (wakers and timeouts take it; callers never
 * need to).
 *
 * With the VFS a queue also carries callbacks (struct wait_callback):
 * poll(2) and select(2) hang one on each queue of each file they watch,
 * and every wake-up of the queue, one or all, runs all of its callbacks
 * (under the queue's lock, interrupts masked) before it wakes threads.
 */
#ifndef KERNEL_WAIT_H
#define KERNEL_WAIT_H

#include <kernel/list.h>
#include <kernel/spinlock.h>
#include <kernel/types.h>

#define WAIT_FOREVER	(~0ULL)

struct wait_queue {
	struct spinlock lock;		/* guards waiters and each waiter's wq */
	struct list_head waiters;
#ifdef CONFIG_VFS
	struct list_head callbacks;	/* lock: struct wait_callback.node */
	/* lock: while callbacks run, the POLL* events the wake-up is for (0: any). */
	unsigned int wake_key;
#endif
};

#ifdef CONFIG_VFS
#define WAIT_QUEUE_INIT(name)	{ SPINLOCK_INIT("waitqueue"), LIST_HEAD_INIT((name).waiters), \
				  LIST_HEAD_INIT((name).callbacks), 0 }
#else
#define WAIT_QUEUE_INIT(name)	{ SPINLOCK_INIT("waitqueue"), LIST_HEAD_INIT((name).waiters) }
#endif

void wq_init(struct wait_queue *wq);
/*
 * Sleep on wq, lock held as above.  Returns 0 when woken, -ETIMEDOUT
 * after timeout_ns (WAIT_FOREVER: no timeout).
 */
int wq_wait(struct wait_queue *wq, struct spinlock *lock, uint64_t timeout_ns);
/*
 * The same with an absolute deadline on time_ns()'s clock, for loops that
 * wait again after a wake-up someone else consumed: the deadline stays.
 */
int wq_wait_until(struct wait_queue *wq, struct spinlock *lock, uint64_t deadline_ns);
/*
 * The same, but a signal for the caller ends the wait with -EINTR (also
 * when one is pending already: the caller then does not sleep).  Waits
 * on behalf of a system call use these; the call returns -EINTR or is
 * restarted, as the signal's SA_RESTART says.
 */
int wq_wait_interruptible(struct wait_queue *wq, struct spinlock *lock, uint64_t timeout_ns);
int wq_wait_interruptible_until(struct wait_queue *wq, struct spinlock *lock,
				uint64_t deadline_ns);
bool wq_wake_one(struct wait_queue *wq);	/* true if it woke someone */
unsigned int wq_wake_all(struct wait_queue *wq);
/*
 * The same from a caller that has interrupts masked already (it holds the
 * object's own lock, taken with spin_lock_irqsave(): semaphores, message
 * queues, completions, event flags): no second masking, and the caller's
 * unlock is the preemption point.  Nothing returned: the caller's own
 * state (a count, a flag) says what the waiters will find, and an
 * interrupt's wake-up has no instruction to spare.
 */
void wq_wake_one_masked(struct wait_queue *wq);
void wq_wake_all_masked(struct wait_queue *wq);
bool wq_empty(struct wait_queue *wq);	/* no thread and no callback */

#ifdef CONFIG_VFS
/*
 * A function run by every wake-up of a queue, besides the threads it
 * wakes (poll(2): each watched queue wakes the poller through one).  It
 * runs with the queue's lock held and interrupts masked, possibly in an
 * interrupt handler: it must not sleep, and takes only locks ordered
 * after every wait queue's.
 */
struct wait_callback {
	struct list_head node;		/* wq->lock */
	struct wait_queue *wq;
	void (*func)(struct wait_callback *cb);
};

void wq_add_callback(struct wait_queue *wq, struct wait_callback *cb,
		     void (*func)(struct wait_callback *cb));
/*
 * wq_wake_all() for a change that concerns the events in key (POLLIN
 * when data came, POLLOUT when room did): callbacks find key in
 * cb->wq->wake_key and may ignore a wake-up that is not theirs (an epoll
 * item watching only the other direction, as Linux's keyed wake-ups).
 */
unsigned int wq_wake_all_key(struct wait_queue *wq, unsigned int key);
/* After this returns, cb's function is not running and will not run. */
void wq_remove_callback(struct wait_callback *cb);
#endif

/* A deadline timeout_ns from now (WAIT_FOREVER stays). */
uint64_t wait_deadline(uint64_t timeout_ns);

#endif
