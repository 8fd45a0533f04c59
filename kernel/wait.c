/*
 * Wait queues, in priority order (FIFO among equal priorities), so the
 * most important waiter is always the one woken.
 *
 * A waiter links itself in and marks itself BLOCKED under the queue's
 * lock, before it lets go of the caller's lock; a waker unlinks it under
 * the queue's lock before waking it.  So a wake-up can come at any point
 * after the waiter dropped its locks (even before it reached schedule(),
 * which then simply returns) and is never lost.  Callbacks (poll) run
 * under the queue's lock on every wake-up, so removing one under that
 * lock waits out a call in progress.  A timeout is the same
 * kind of waker: it unlinks under the queue's lock too.  Lock order:
 * caller's lock, then the queue's, then the thread's wake_lock.
 */
#include <arch/cpu.h>
#include <kernel/errno.h>
#include <kernel/panic.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <kernel/wait.h>
#include "sched_internal.h"

void
wq_init(struct wait_queue *wq)
{
	spin_init(&wq->lock, "waitqueue");
	list_init(&wq->waiters);
#ifdef CONFIG_VFS
	list_init(&wq->callbacks);
	wq->wake_key = 0;
#endif
}

bool
wq_empty(struct wait_queue *wq)
{
#ifdef CONFIG_VFS
	if (!list_empty(&wq->callbacks))
		return false;
#endif
	return list_empty(&wq->waiters);
}

#ifdef CONFIG_VFS
void
wq_add_callback(struct wait_queue *wq, struct wait_callback *cb,
		void (*func)(struct wait_callback *cb))
{
	unsigned long flags;

	cb->wq = wq;
	cb->func = func;
	flags = spin_lock_irqsave(&wq->lock);
	list_add_tail(&cb->node, &wq->callbacks);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void
wq_remove_callback(struct wait_callback *cb)
{
	/* Callbacks run under this lock: once we hold it, cb's is not running. */
	unsigned long flags = spin_lock_irqsave(&cb->wq->lock);

	list_del(&cb->node);
	spin_unlock_irqrestore(&cb->wq->lock, flags);
}

/* Every callback, for every wake-up (wq->lock held); key: its events, 0 any. */
static void
run_callbacks(struct wait_queue *wq, unsigned int key)
{
	struct list_head *pos;

	wq->wake_key = key;
	list_for_each(pos, &wq->callbacks) {
		struct wait_callback *cb = list_entry(pos, struct wait_callback, node);

		cb->func(cb);
	}
	wq->wake_key = 0;
}
#else
static inline void run_callbacks(struct wait_queue *wq, unsigned int key) { (void)wq; (void)key; }
#endif

uint64_t
wait_deadline(uint64_t timeout_ns)
{
	uint64_t now;

	if (timeout_ns == WAIT_FOREVER)
		return WAIT_FOREVER;	/* not even the clock: it is dear on Cortex-M0 */
	now = time_ns();
	return now + timeout_ns < now ? WAIT_FOREVER : now + timeout_ns;
}

/* Into the queue in priority order; wq->lock held. */
void
wq_insert(struct wait_queue *wq, struct thread *t)
{
	struct list_head *pos;

	list_for_each(pos, &wq->waiters)
		if (list_entry(pos, struct thread, run_node)->prio < t->prio)
			break;
	list_add_tail(&t->run_node, pos);
	t->wq = wq;
}

/*
 * The wait queue's lock where the caller masks interrupts already (it
 * holds its object's lock with spin_lock_irqsave(): waits, and the
 * *_masked() wake-ups), so nothing can preempt it here: no second masking
 * and no preemption count, and the caller's unlock is the preemption
 * point.  With the checks, the lock is taken the checked way, so lock
 * order and recursion are still watched.
 */
#ifdef CONFIG_DEBUG_KERNEL
static void
lock_masked(struct wait_queue *wq, const char *fn)
{
	if (arch_irqs_enabled())
		panic("%s() with interrupts enabled", fn);
	spin_lock(&wq->lock);
}
#define unlock_masked(wq)	spin_unlock(&(wq)->lock)
#else
#define lock_masked(wq, fn)	raw_spin_lock(&(wq)->lock)
#define unlock_masked(wq)	raw_spin_unlock(&(wq)->lock)
#endif

/*
 * A thread's timeout: unlink it from whatever it waits on, under that
 * queue's lock, and wake it.  The thread is still blocked in that wait
 * (it cancels this timer synchronously before it returns), so the queue
 * is still there.
 */
static void
wait_timeout_expired(struct timer *tm)
{
	struct thread *t = container_of(tm, struct wait_timeout, timer)->thread;
	struct wait_queue *wq = READ_ONCE(t->wq);

	if (wq) {
		spin_lock(&wq->lock);
		if (t->wq == wq) {
			wq_remove(t);
			thread_wake(t, -ETIMEDOUT);
		}
		spin_unlock(&wq->lock);
	} else {
		thread_wake(t, -ETIMEDOUT);	/* a sleep; false if woken already */
	}
}

void
wait_timeout_arm(struct wait_timeout *to, uint64_t deadline_ns)
{
	to->thread = thread_current();
	timer_init(&to->timer, wait_timeout_expired);
	timer_arm(&to->timer, deadline_ns);
}

void
wait_timeout_cancel(struct wait_timeout *to)
{
	timer_cancel_sync(&to->timer);
}

static int
wait_until(struct wait_queue *wq, struct spinlock *lock, uint64_t deadline_ns,
	   bool interruptible)
{
	struct thread *me = thread_current();
	struct wait_timeout to;

	/* Interrupts are masked (the caller's irqsave) until we sleep. */
	lock_masked(wq, __func__);
	/*
	 * A sender marks sigpending before it looks for us under wq->lock:
	 * either it finds us queued, or we see its mark here.
	 */
	if (interruptible && thread_signal_pending(me)) {
		unlock_masked(wq);
		return -EINTR;
	}
	wq_insert(wq, me);
#ifdef CONFIG_PROCESSES
	me->interruptible = interruptible;
#endif
	me->wake_result = 0;
	me->state = THREAD_BLOCKED;
	unlock_masked(wq);
	if (deadline_ns != WAIT_FOREVER)
		wait_timeout_arm(&to, deadline_ns);
	spin_unlock(lock);
	schedule();
	if (deadline_ns != WAIT_FOREVER)
		wait_timeout_cancel(&to);
	spin_lock(lock);
#ifdef CONFIG_PROCESSES
	me->interruptible = false;
#endif
	return me->wake_result;
}

int
wq_wait_until(struct wait_queue *wq, struct spinlock *lock, uint64_t deadline_ns)
{
	return wait_until(wq, lock, deadline_ns, false);
}

int
wq_wait_interruptible_until(struct wait_queue *wq, struct spinlock *lock, uint64_t deadline_ns)
{
	return wait_until(wq, lock, deadline_ns, true);
}

int
wq_wait_interruptible(struct wait_queue *wq, struct spinlock *lock, uint64_t timeout_ns)
{
	return wait_until(wq, lock, wait_deadline(timeout_ns), true);
}

#ifdef CONFIG_PROCESSES
/*
 * A signal for t: unlink it from the queue it waits on interruptibly and
 * wake it with -EINTR; or end an interruptible sleep.  Like a timeout, it
 * runs under the queue's lock, so the queue cannot go away meanwhile.
 */
void
thread_interrupt(struct thread *t)
{
	struct wait_queue *wq;
	unsigned long flags;

	smp_mb();			/* sigpending before t->wq, t->interruptible */
	wq = READ_ONCE(t->wq);
	if (wq) {
		flags = spin_lock_irqsave(&wq->lock);
		if (t->wq == wq && t->interruptible) {
			wq_remove(t);
			sched_wake_masked(t, -EINTR);
		}
		spin_unlock_irqrestore(&wq->lock, flags);
	} else if (READ_ONCE(t->interruptible)) {
		thread_wake(t, -EINTR);	/* a sleep; false if woken already */
	}
}
#endif

int
wq_wait(struct wait_queue *wq, struct spinlock *lock, uint64_t timeout_ns)
{
	return wq_wait_until(wq, lock, wait_deadline(timeout_ns));
}

/* The first waiter made ready.  wq->lock held, interrupts masked. */
static __always_inline bool
wake_one_locked(struct wait_queue *wq)
{
	struct thread *t;

	run_callbacks(wq, 0);
	if (list_empty(&wq->waiters))
		return false;
	t = list_first_entry(&wq->waiters, struct thread, run_node);
	wq_remove_first(wq, t);
	return sched_wake_masked(t, 0) == THREAD_BLOCKED;
}

/* Every waiter made ready.  wq->lock held, interrupts masked. */
static __always_inline unsigned int
wake_all_locked(struct wait_queue *wq, unsigned int key)
{
	unsigned int n = 0;

	run_callbacks(wq, key);
	while (!list_empty(&wq->waiters)) {
		struct thread *t = list_first_entry(&wq->waiters, struct thread, run_node);

		wq_remove_first(wq, t);
		n += sched_wake_masked(t, 0) == THREAD_BLOCKED;
	}
	return n;
}

bool
wq_wake_one(struct wait_queue *wq)
{
	unsigned long flags = spin_lock_irqsave(&wq->lock);
	bool woke = wake_one_locked(wq);

	spin_unlock_irqrestore(&wq->lock, flags);
	return woke;
}

static unsigned int
wake_all(struct wait_queue *wq, unsigned int key)
{
	unsigned long flags = spin_lock_irqsave(&wq->lock);
	unsigned int n = wake_all_locked(wq, key);

	spin_unlock_irqrestore(&wq->lock, flags);
	return n;
}

unsigned int
wq_wake_all(struct wait_queue *wq)
{
	return wake_all(wq, 0);
}

void
wq_wake_one_masked(struct wait_queue *wq)
{
	lock_masked(wq, __func__);
	wake_one_locked(wq);
	unlock_masked(wq);
}

void
wq_wake_all_masked(struct wait_queue *wq)
{
	lock_masked(wq, __func__);
	wake_all_locked(wq, 0);
	unlock_masked(wq);
}

#ifdef CONFIG_VFS
unsigned int
wq_wake_all_key(struct wait_queue *wq, unsigned int key)
{
	return wake_all(wq, key);
}
#endif
