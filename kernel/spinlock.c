/*
 * Spinlocks with the debug checks (CONFIG_DEBUG_KERNEL; without them the
 * inline fast paths of <kernel/spinlock.h> are all there is).  The lock
 * itself is the ticket lock of the header: a CPU takes the next ticket
 * with one atomic add and waits until the lock serves it.  The checks
 * catch recursion, unlocking by another thread, sleeping with a spinlock
 * held (locks_held, which sched.c checks) and, with
 * CONFIG_DEBUG_LOCK_ORDER, inverted lock orders.
 */
#include <arch/cpu.h>
#include <kernel/panic.h>
#include <kernel/spinlock.h>
#include <kernel/thread.h>
#include "lock_order.h"

static inline const char *
lock_name(const struct spinlock *l)
{
	return l->name ? l->name : "?";
}

static void
check_acquire(struct spinlock *l, struct thread *me)
{
	if (me && l->owner == me && spin_is_locked(l))
		panic("spinlock %s: recursive lock by thread " THREAD_FMT, lock_name(l), THREAD_ARG(me));
}

static void
acquired(struct spinlock *l, struct thread *me, unsigned int how)
{
	l->owner = me;
	if (me) {
		lock_order_acquire(&l->order_class, lock_name(l), l, how);
		me->locks_held++;
	}
}

static void
release(struct spinlock *l)
{
	struct thread *me = thread_current();

	if (!spin_is_locked(l) || l->owner != me)
		panic("spinlock %s: unlocked by thread " THREAD_FMT ", %s", lock_name(l), THREAD_ARG(me),
		      spin_is_locked(l) ? "which does not hold it" : "but it is not locked");
	if (me) {
		lock_order_release(l);
		me->locks_held--;
	}
	l->owner = NULL;
	raw_spin_unlock(l);
}

static void
lock_common(struct spinlock *l, unsigned int how)
{
	struct thread *me = thread_current();

	check_acquire(l, me);
	raw_spin_lock(l);
	acquired(l, me, how);
}

void
spin_lock(struct spinlock *l)
{
	preempt_disable();
	lock_common(l, LOCK_ORDER_CHECK);
}

void
spin_lock_nested(struct spinlock *l)
{
	preempt_disable();
	lock_common(l, LOCK_ORDER_NESTED);
}

bool
spin_trylock(struct spinlock *l)
{
	preempt_disable();
	if (!raw_spin_trylock(l)) {
		preempt_enable();
		return false;
	}
	acquired(l, thread_current(), LOCK_ORDER_TRY);
	return true;
}

void
spin_unlock(struct spinlock *l)
{
	release(l);
	preempt_enable();
}

unsigned long
spin_lock_irqsave(struct spinlock *l)
{
	unsigned long flags = arch_irq_save();

	preempt_disable();
	lock_common(l, LOCK_ORDER_CHECK);
	return flags;
}

void
spin_unlock_irqrestore(struct spinlock *l, unsigned long flags)
{
	release(l);
	arch_irq_restore(flags);
	preempt_enable();
}

bool
spin_is_held(const struct spinlock *l)
{
	return spin_is_locked(l) && l->owner == thread_current();
}
