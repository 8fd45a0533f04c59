/*
 * Mutexes with priority inheritance.  A thread that blocks on a mutex
 * lends its priority to the owner, and through the owner to whatever the
 * owner itself waits for; an unlock hands the mutex straight to the
 * highest-priority waiter and drops the old owner back to what it still
 * inherits.  Misuse (unlock by another thread, recursive locking, exit
 * while holding one) panics with the mutex and thread named.
 */
#include <kernel/errno.h>
#include <kernel/panic.h>
#include <kernel/sync.h>
#include <kernel/thread.h>
#include "sched_internal.h"

void
mutex_init(struct mutex *m, const char *name)
{
	m->lock = (struct spinlock)SPINLOCK_INIT("mutex");
	m->owner = NULL;
	wq_init(&m->waiters);
	list_init(&m->held_node);
	m->name = name;
}

int
mutex_inherited_prio(struct thread *t)
{
	int best = -1;
	struct list_head *pos;

	list_for_each(pos, &t->held) {
		struct mutex *m = list_entry(pos, struct mutex, held_node);

		if (!wq_empty(&m->waiters)) {
			struct thread *w = list_first_entry(&m->waiters.waiters, struct thread,
							    run_node);

			if (w->prio > best)
				best = w->prio;
		}
	}
	return best;
}

/* Re-derive priorities along a chain of owners after a waiter left. */
static void
pi_recompute(struct thread *t)
{
	while (t) {
		int inherited = mutex_inherited_prio(t);
		int prio = inherited > t->base_prio ? inherited : t->base_prio;

		if (prio == t->prio)
			break;
		sched_set_effective_prio(t, prio);
		t = t->blocked_on ? t->blocked_on->owner : NULL;
	}
}

/* Lend prio to the owner, and to the owner's owner, and so on. */
static void
pi_boost(struct thread *owner, int prio)
{
	while (owner && owner->prio < prio) {
		sched_set_effective_prio(owner, prio);
		owner = owner->blocked_on ? owner->blocked_on->owner : NULL;
	}
}

static void
take(struct mutex *m, struct thread *t)
{
	m->owner = t;
	list_add(&m->held_node, &t->held);
}

int
mutex_lock_timeout(struct mutex *m, uint64_t timeout_ns)
{
	struct thread *me = thread_current();
	unsigned long flags = spin_lock_irqsave(&m->lock);

	if (!m->owner) {
		take(m, me);
		spin_unlock_irqrestore(&m->lock, flags);
		return 0;
	}
	if (m->owner == me)
		panic("mutex %s: recursive lock by thread %s", m->name, me->name);
	me->blocked_on = m;
	pi_boost(m->owner, me->prio);
	while (m->owner != me) {
		if (wq_wait(&m->waiters, &m->lock, timeout_ns) == -ETIMEDOUT &&
		    m->owner != me) {
			me->blocked_on = NULL;
			pi_recompute(m->owner);		/* it may have been boosted by us */
			spin_unlock_irqrestore(&m->lock, flags);
			return -ETIMEDOUT;
		}
	}
	me->blocked_on = NULL;
	spin_unlock_irqrestore(&m->lock, flags);
	return 0;
}

void
mutex_lock(struct mutex *m)
{
	mutex_lock_timeout(m, WAIT_FOREVER);
}

bool
mutex_trylock(struct mutex *m)
{
	unsigned long flags = spin_lock_irqsave(&m->lock);
	bool got = m->owner == NULL;

	if (got)
		take(m, thread_current());
	spin_unlock_irqrestore(&m->lock, flags);
	return got;
}

void
mutex_unlock(struct mutex *m)
{
	struct thread *me = thread_current();
	unsigned long flags = spin_lock_irqsave(&m->lock);

	if (m->owner != me)
		panic("mutex %s: unlocked by thread %s, but %s", m->name, me->name,
		      m->owner ? "another thread owns it" : "nobody holds it");
	list_del(&m->held_node);
	m->owner = NULL;
	if (!wq_empty(&m->waiters)) {
		/* Hand over: the best waiter owns it before it even runs. */
		struct thread *next = list_first_entry(&m->waiters.waiters, struct thread,
						       run_node);

		take(m, next);
		thread_wake(next, 0);
	}
	pi_recompute(me);
	spin_unlock_irqrestore(&m->lock, flags);	/* a preemption point */
}
