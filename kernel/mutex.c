/*
 * Mutexes with priority inheritance.  A thread that blocks on a mutex
 * lends its priority to the owner, and through the owner to whatever the
 * owner itself waits for; an unlock hands the mutex straight to the
 * highest-priority waiter and drops the old owner back to what it still
 * inherits.  Misuse (unlock by another thread, recursive locking, exit
 * while holding one) panics with the mutex and thread named.
 *
 * Locking.  m->owner is one word, the owning thread with MUTEX_CONTENDED
 * set while anyone waits (or inheritance is to be undone): taking a free
 * mutex is one compare-and-swap from 0 to us, and releasing an
 * uncontended one a swap back to 0, with no lock.  Every other change of
 * the word, and the waiters, is under m->waiters.lock; a waiter sets the
 * bit before it sleeps, so the owner's swap fails and its unlock takes the
 * slow path, which hands the mutex over.  Everything
 * about inheritance (waits_mutex, a thread's pi_mutexes, base and effective
 * priorities, and which mutexes are on whose pi_mutexes) is changed under
 * the one mutex_pi_lock, taken first: a chain of owners can cross any
 * number of mutexes, and one lock makes the walk along it consistent.
 * Order: mutex_pi_lock, a wait queue's lock, a thread's wake_lock, a run
 * queue's lock.
 */
#include <kernel/atomic.h>
#include <kernel/errno.h>
#include <kernel/panic.h>
#include <kernel/sync.h>
#include <kernel/thread.h>
#include "lock_order.h"
#include "sched_internal.h"

static struct spinlock mutex_pi_lock = SPINLOCK_INIT("mutex-pi");

#define MUTEX_CONTENDED	((uintptr_t)1)	/* in m->owner: unlock must take the slow path */

static inline struct thread *
owner_of(uintptr_t word)
{
	return (struct thread *)(word & ~MUTEX_CONTENDED);
}

struct thread *
mutex_owner(const struct mutex *m)
{
	return owner_of(READ_ONCE(m->owner));
}

void
mutex_init(struct mutex *m, const char *name)
{
	m->owner = 0;
	wq_init(&m->waiters);
	m->pi_next = NULL;
	m->pi_linked = false;
	m->name = name;
	m->order_class = 0;
}

/* Onto owner's pi_mutexes, unless there already (mutex_pi_lock). */
static void
pi_link(struct mutex *m, struct thread *owner)
{
	if (m->pi_linked)
		return;
	m->pi_next = owner->pi_mutexes;
	owner->pi_mutexes = m;
	m->pi_linked = true;
}

/* Off owner's pi_mutexes, if there (mutex_pi_lock). */
static void
pi_unlink(struct mutex *m, struct thread *owner)
{
	struct mutex **p;

	if (!m->pi_linked)
		return;
	p = &owner->pi_mutexes;
	while (*p != m) {
		if (!*p)
			panic("mutex %s: not on the inheritance list of its owner " THREAD_FMT,
			      m->name, THREAD_ARG(owner));
		p = &(*p)->pi_next;
	}
	*p = m->pi_next;
	m->pi_linked = false;
}

struct mutex *
thread_blocked_on(const struct thread *t)
{
	struct wait_queue *wq = READ_ONCE(t->wq);

	return READ_ONCE(t->waits_mutex) && wq ? container_of(wq, struct mutex, waiters) : NULL;
}

bool
mutex_is_held(const struct mutex *m)
{
	return mutex_owner(m) == thread_current();
}

/* The best priority waiting on a mutex t owns, or -1 (mutex_pi_lock). */
static int
inherited(struct thread *t)
{
	int best = -1;

	for (struct mutex *m = t->pi_mutexes; m; m = m->pi_next) {
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
		struct mutex *m;

		if (prio == t->prio)
			break;
		sched_set_effective_prio(t, prio);
		m = thread_blocked_on(t);
		t = m ? mutex_owner(m) : NULL;
	}
}

/* A byte counts them: 255 at once is far beyond any path's need, checked when debugging. */
static __always_inline void
held_one_more(const struct mutex *m, struct thread *t)
{
	if (IS_ENABLED(CONFIG_DEBUG_KERNEL) && t->mutexes_held == UINT8_MAX)
		panic("mutex %s: thread " THREAD_FMT " would hold more than %u mutexes", m->name,
		      THREAD_ARG(t), UINT8_MAX);
	t->mutexes_held++;
}

/* Free to us in one swap, or false. */
static __always_inline bool
lock_fast(struct mutex *m, struct thread *me)
{
	uintptr_t free = 0;

	if (!atomic_cmpxchg(&m->owner, &free, (uintptr_t)me))
		return false;
	held_one_more(m, me);
	return true;
}

/* t owns m now (waiters.lock held, m->owner not changing under us). */
static void
take(struct mutex *m, struct thread *t)
{
	uintptr_t bit = list_empty(&m->waiters.waiters) ? 0 : MUTEX_CONTENDED;

	store_release(&m->owner, (uintptr_t)t | bit);
	held_one_more(m, t);
}

/* Contended: wait in priority order, lending our priority to the owner. */
static __noinline int
lock_slow(struct mutex *m, struct thread *me, uint64_t deadline)
{
	unsigned long flags = spin_lock_irqsave(&mutex_pi_lock);
	struct wait_timeout to;
	int result = 0;

	spin_lock(&m->waiters.lock);
	for (;;) {
		uintptr_t word = READ_ONCE(m->owner);
		struct thread *owner = owner_of(word);

		if (!owner) {
			/* Freed since the fast path: others may race us for it. */
			if (lock_fast(m, me))
				break;
			continue;
		}
		if (owner == me)
			break;			/* handed over by the unlock */
		/* Before sleeping: the owner's lock-free unlock must fail from now on. */
		if (!(word & MUTEX_CONTENDED) &&
		    !atomic_cmpxchg(&m->owner, &word, word | MUTEX_CONTENDED))
			continue;		/* unlocked or retaken meanwhile */
		me->waits_mutex = true;
		wq_insert(&m->waiters, me);
		me->wake_result = 0;
		me->state = THREAD_BLOCKED;
		pi_link(m, owner);
		spin_unlock(&m->waiters.lock);
		pi_propagate(owner);
		if (deadline != WAIT_FOREVER)
			wait_timeout_arm(&to, deadline);
		spin_unlock(&mutex_pi_lock);
		schedule();
		if (deadline != WAIT_FOREVER)
			wait_timeout_cancel(&to);
		spin_lock(&mutex_pi_lock);
		spin_lock(&m->waiters.lock);
		me->waits_mutex = false;
		result = me->wake_result;
		if (mutex_owner(m) != me && result == -ETIMEDOUT) {
			/* We left (the timeout unlinked us): the owner may inherit less. */
			owner = mutex_owner(m);
			if (list_empty(&m->waiters.waiters)) {
				pi_unlink(m, owner);
				/* Nobody waits: the owner may unlock without us. */
				store_release(&m->owner, (uintptr_t)owner);
			}
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
	int err;

	/* Before waiting: an order that could deadlock is reported even if it does. */
	lock_order_acquire(&m->order_class, m->name, m, how);
	if (likely(lock_fast(m, me)))
		return 0;
	if (mutex_owner(m) == me)
		panic("mutex %s: recursive lock by thread " THREAD_FMT, m->name, THREAD_ARG(me));
	err = lock_slow(m, me, wait_deadline(timeout_ns));
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
	bool got = lock_fast(m, thread_current());

	if (got)
		lock_order_acquire(&m->order_class, m->name, m, LOCK_ORDER_TRY);
	return got;
}

/* Waiters (or inheritance to undo): hand over to the best waiter. */
static __noinline void
unlock_slow(struct mutex *m, struct thread *me)
{
	unsigned long flags = spin_lock_irqsave(&mutex_pi_lock);
	struct thread *next = NULL;

	spin_lock(&m->waiters.lock);
	pi_unlink(m, me);
	me->mutexes_held--;
	if (!list_empty(&m->waiters.waiters)) {
		/* The best waiter owns it before it even runs. */
		next = list_first_entry(&m->waiters.waiters, struct thread, run_node);
		wq_remove(next);
		take(m, next);		/* still MUTEX_CONTENDED if others wait */
		next->waits_mutex = false;
		if (!list_empty(&m->waiters.waiters))
			pi_link(m, next);
		sched_wake_masked(next, 0);	/* the unlock below is the preemption point */
	} else {
		store_release(&m->owner, 0);
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
	uintptr_t word = (uintptr_t)me;

	if (likely(atomic_cmpxchg(&m->owner, &word, 0))) {
		me->mutexes_held--;
		lock_order_release(m);
		return;
	}
	if (owner_of(word) != me)
		panic("mutex %s: unlocked by thread " THREAD_FMT ", but %s", m->name, THREAD_ARG(me),
		      word ? "another thread owns it" : "nobody holds it");
	lock_order_release(m);
	unlock_slow(m, me);		/* MUTEX_CONTENDED: waiters to hand over to */
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
