/*
 * Mutexes with priority inheritance.  A thread that blocks on a mutex
 * lends its priority to the owner, and through the owner to whatever the
 * owner itself waits for; an unlock hands the mutex straight to the
 * highest-priority waiter and drops the old owner back to what it still
 * inherits.  Misuse (unlock by another thread, recursive locking, exit
 * while holding one) panics with the mutex and thread named.
 *
 * Locking.  m->waiters.lock guards m->owner and the waiters; taking a free
 * mutex or releasing one nobody waits for needs nothing else.  Everything
 * about inheritance (blocked_on, a thread's pi_mutexes, base and effective
 * priorities, and which mutexes are on whose pi_mutexes) is changed under
 * the one mutex_pi_lock, taken first: a chain of owners can cross any
 * number of mutexes, and one lock makes the walk along it consistent.
 * Order: mutex_pi_lock, a wait queue's lock, a thread's wake_lock, a run
 * queue's lock.
 */
#include <kernel/errno.h>
#include <kernel/panic.h>
#include <kernel/sync.h>
#include <kernel/thread.h>
#include "lock_order.h"
#include "sched_internal.h"

static struct spinlock mutex_pi_lock = SPINLOCK_INIT("mutex-pi");

void
mutex_init(struct mutex *m, const char *name)
{
	m->owner = NULL;
	wq_init(&m->waiters);
	list_init(&m->pi_node);
	m->name = name;
	m->order_class = 0;
}

bool
mutex_is_held(const struct mutex *m)
{
	return READ_ONCE(m->owner) == thread_current();
}

/* The best priority waiting on a mutex t owns, or -1 (mutex_pi_lock). */
static int
inherited(struct thread *t)
{
	int best = -1;
	struct list_head *pos;

	list_for_each(pos, &t->pi_mutexes) {
		struct mutex *m = list_entry(pos, struct mutex, pi_node);

		spin_lock(&m->waiters.lock);
		if (!list_empty(&m->waiters.waiters)) {
			struct thread *w = list_first_entry(&m->waiters.waiters, struct thread,
							    run_node);

			if (w->prio > best)
				best = w->prio;
		}
		spin_unlock(&m->waiters.lock);
	}
	return best;
}

int
mutex_effective_prio(struct thread *t)
{
	int i = inherited(t);

	return i > t->base_prio ? i : t->base_prio;
}

/*
 * t's effective priority may be stale (a waiter came or went, its base
 * changed): fix it, and along the chain of owners t waits for, as far as
 * anything changes.  A deadlock cycle ends the walk too, once each thread
 * in it has the cycle's best priority.
 */
static void
pi_propagate(struct thread *t)
{
	while (t) {
		int prio = mutex_effective_prio(t);

		if (prio == t->prio)
			break;
		sched_set_effective_prio(t, prio);
		t = t->blocked_on ? t->blocked_on->owner : NULL;
	}
}

static void
take(struct mutex *m, struct thread *t)
{
	m->owner = t;
	t->mutexes_held++;
}

/* Contended: wait in priority order, lending our priority to the owner. */
static int
lock_slow(struct mutex *m, struct thread *me, uint64_t deadline)
{
	unsigned long flags = spin_lock_irqsave(&mutex_pi_lock);
	int result = 0;

	spin_lock(&m->waiters.lock);
	for (;;) {
		struct thread *owner = m->owner;

		if (!owner) {
			take(m, me);
			break;
		}
		if (owner == me)
			break;			/* handed over by the unlock */
		me->blocked_on = m;
		wq_insert(&m->waiters, me);
		me->wake_result = 0;
		me->state = THREAD_BLOCKED;
		if (list_empty(&m->pi_node))
			list_add(&m->pi_node, &owner->pi_mutexes);
		spin_unlock(&m->waiters.lock);
		pi_propagate(owner);
		if (deadline != WAIT_FOREVER)
			timer_arm(&me->timeout, deadline);
		spin_unlock(&mutex_pi_lock);
		schedule();
		if (deadline != WAIT_FOREVER)
			timer_cancel_sync(&me->timeout);
		spin_lock(&mutex_pi_lock);
		spin_lock(&m->waiters.lock);
		me->blocked_on = NULL;
		result = me->wake_result;
		if (m->owner != me && result == -ETIMEDOUT) {
			/* We left (the timeout unlinked us): the owner may inherit less. */
			owner = m->owner;
			if (list_empty(&m->waiters.waiters) && !list_empty(&m->pi_node))
				list_del(&m->pi_node);
			spin_unlock(&m->waiters.lock);
			pi_propagate(owner);
			spin_unlock_irqrestore(&mutex_pi_lock, flags);
			return -ETIMEDOUT;
		}
	}
	spin_unlock(&m->waiters.lock);
	pi_propagate(me);		/* what our new mutex's waiters lend us */
	spin_unlock_irqrestore(&mutex_pi_lock, flags);
	return 0;
}

static int
lock_timeout(struct mutex *m, uint64_t timeout_ns, unsigned int how)
{
	struct thread *me = thread_current();
	uint64_t deadline = wait_deadline(timeout_ns);
	unsigned long flags;
	int err;

	/* Before waiting: an order that could deadlock is reported even if it does. */
	lock_order_acquire(&m->order_class, m->name, m, how);
	flags = spin_lock_irqsave(&m->waiters.lock);
	if (!m->owner) {
		take(m, me);
		spin_unlock_irqrestore(&m->waiters.lock, flags);
		return 0;
	}
	if (m->owner == me)
		panic("mutex %s: recursive lock by thread %s", m->name, me->name);
	spin_unlock_irqrestore(&m->waiters.lock, flags);
	err = lock_slow(m, me, deadline);
	if (err)
		lock_order_release(m);
	return err;
}

int
mutex_lock_timeout(struct mutex *m, uint64_t timeout_ns)
{
	return lock_timeout(m, timeout_ns, LOCK_ORDER_CHECK);
}

void
mutex_lock_nested(struct mutex *m)
{
	lock_timeout(m, WAIT_FOREVER, LOCK_ORDER_NESTED);
}

void
mutex_lock(struct mutex *m)
{
	mutex_lock_timeout(m, WAIT_FOREVER);
}

bool
mutex_trylock(struct mutex *m)
{
	unsigned long flags = spin_lock_irqsave(&m->waiters.lock);
	bool got = m->owner == NULL;

	if (got)
		take(m, thread_current());
	spin_unlock_irqrestore(&m->waiters.lock, flags);
	if (got)
		lock_order_acquire(&m->order_class, m->name, m, LOCK_ORDER_TRY);
	return got;
}

/* Waiters (or inheritance to undo): hand over to the best waiter. */
static void
unlock_slow(struct mutex *m, struct thread *me)
{
	unsigned long flags = spin_lock_irqsave(&mutex_pi_lock);
	struct thread *next = NULL;

	spin_lock(&m->waiters.lock);
	if (!list_empty(&m->pi_node))
		list_del(&m->pi_node);
	me->mutexes_held--;
	if (!list_empty(&m->waiters.waiters)) {
		/* The best waiter owns it before it even runs. */
		next = list_first_entry(&m->waiters.waiters, struct thread, run_node);
		wq_remove(next);
		take(m, next);
		next->blocked_on = NULL;
		if (!list_empty(&m->waiters.waiters))
			list_add(&m->pi_node, &next->pi_mutexes);
		thread_wake(next, 0);
	} else {
		m->owner = NULL;
	}
	spin_unlock(&m->waiters.lock);
	pi_propagate(me);		/* back to what it still inherits */
	if (next)
		pi_propagate(next);	/* what the remaining waiters lend it */
	spin_unlock_irqrestore(&mutex_pi_lock, flags);	/* a preemption point */
}

void
mutex_unlock(struct mutex *m)
{
	struct thread *me = thread_current();
	unsigned long flags = spin_lock_irqsave(&m->waiters.lock);

	if (m->owner != me)
		panic("mutex %s: unlocked by thread %s, but %s", m->name, me->name,
		      m->owner ? "another thread owns it" : "nobody holds it");
	lock_order_release(m);
	if (list_empty(&m->waiters.waiters) && list_empty(&m->pi_node)) {
		m->owner = NULL;
		me->mutexes_held--;
		spin_unlock_irqrestore(&m->waiters.lock, flags);
		return;
	}
	spin_unlock_irqrestore(&m->waiters.lock, flags);
	unlock_slow(m, me);
}

void
thread_set_priority(struct thread *t, int prio)
{
	unsigned long flags;

	if (prio < THREAD_PRIO_IDLE || prio > THREAD_PRIO_MAX)
		return;
	flags = spin_lock_irqsave(&mutex_pi_lock);
	t->base_prio = prio;
	pi_propagate(t);
	spin_unlock_irqrestore(&mutex_pi_lock, flags);
	preempt_point();		/* t may now outrank us, or we fell below */
}
