/*
 * Spinlocks.  With atomics the lock word is taken with an atomic exchange
 * (ready for SMP); without (ARMv6-M, one CPU) masking interrupts and
 * disabling preemption is all the exclusion there is.  The debug checks
 * catch recursion and unlocking by another thread.
 */
#include <arch/cpu.h>
#include <kernel/panic.h>
#include <kernel/spinlock.h>
#include <kernel/thread.h>

static void
acquire(struct spinlock *l)
{
	struct thread *me = thread_current();

	if (IS_ENABLED(CONFIG_DEBUG_KERNEL) && me && l->owner == me && l->locked)
		panic("spinlock %s: recursive lock by thread %s", l->name ? l->name : "?",
		      me->name);
#ifdef CONFIG_ARCH_HAS_ATOMICS
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			;
#else
	l->locked = 1;
#endif
	l->owner = me;
	if (me)
		me->locks_held++;
}

static void
release(struct spinlock *l)
{
	struct thread *me = thread_current();

	if (IS_ENABLED(CONFIG_DEBUG_KERNEL) && (!l->locked || l->owner != me))
		panic("spinlock %s: unlocked by thread %s, %s", l->name ? l->name : "?",
		      me ? me->name : "(boot)",
		      l->locked ? "which does not hold it" : "but it is not locked");
	if (me)
		me->locks_held--;
	l->owner = NULL;
#ifdef CONFIG_ARCH_HAS_ATOMICS
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
#else
	l->locked = 0;
#endif
}

void
spin_lock(struct spinlock *l)
{
	preempt_disable();
	acquire(l);
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
	acquire(l);
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
	return l->locked && l->owner == thread_current();
}
