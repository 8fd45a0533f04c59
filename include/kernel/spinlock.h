/*
 * Spinlocks: mutual exclusion for short sections that must not sleep.
 *
 * On SMP they are ticket locks: CPUs are served in the order they asked,
 * so none starves.  Without CONFIG_SMP there is no lock word to spin on:
 * holding a spinlock disables preemption (and the _irqsave forms mask
 * interrupts), which is all the exclusion one CPU needs.  ARMv6-M, with
 * no atomics at all, is always the latter.
 *
 * Holding one disables preemption; sleeping while holding one is a bug
 * that CONFIG_DEBUG_KERNEL reports, as it reports recursion and unlocks
 * by a thread that does not hold the lock.  CONFIG_DEBUG_LOCK_ORDER also
 * checks the order locks are taken in (kernel/lock_order.c).
 *
 * Raw spinlocks (raw_spin_lock) are the same ticket locks without the
 * preemption count and the checks, for the scheduler's run queues and the
 * few places that must work before there are threads or while switching
 * between them.  Interrupts are the caller's business.
 */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include <kernel/compiler.h>
#include <kernel/cpu.h>
#include <kernel/types.h>
#include <arch/cpu.h>

struct thread;

/*
 * A uniprocessor kernel without debug checks needs no state at all: the
 * lock is the preemption count (and the interrupt mask).
 */
struct spinlock {
#ifdef CONFIG_SMP
	uint32_t next;			/* the next ticket to hand out */
	uint32_t serving;		/* the ticket that holds the lock */
#elif defined(CONFIG_DEBUG_KERNEL)
	uint32_t locked;		/* only for the debug checks */
#endif
#ifdef CONFIG_DEBUG_KERNEL
	const char *name;		/* also its class for lock-order checks */
	struct thread *owner;
	uint16_t order_class;		/* kernel/lock_order.c; 0: not yet known */
#endif
};

#ifdef CONFIG_DEBUG_KERNEL
#define SPINLOCK_INIT(n)	{ .name = (n) }
#else
#define SPINLOCK_INIT(n)	{ }
#endif

static inline void
spin_init(struct spinlock *l, const char *name)
{
	*l = (struct spinlock)SPINLOCK_INIT(name);
}


/* By anyone (a uniprocessor without debug checks cannot tell: false). */
static inline bool
spin_is_locked(const struct spinlock *l)
{
#ifdef CONFIG_SMP
	return __atomic_load_n(&l->next, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&l->serving, __ATOMIC_RELAXED);
#elif defined(CONFIG_DEBUG_KERNEL)
	return READ_ONCE(l->locked);
#else
	return false;
#endif
}


static __always_inline void
raw_spin_lock(struct spinlock *l)
{
#ifdef CONFIG_SMP
	uint32_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->serving, __ATOMIC_ACQUIRE) != ticket)
		arch_cpu_relax();
#else
#ifdef CONFIG_DEBUG_KERNEL
	l->locked = 1;
#endif
	barrier();
#endif
}

static __always_inline bool
raw_spin_trylock(struct spinlock *l)
{
#ifdef CONFIG_SMP
	uint32_t serving = __atomic_load_n(&l->serving, __ATOMIC_RELAXED);
	uint32_t expect = serving;

	/* Free when nobody holds a ticket beyond the one being served. */
	return __atomic_compare_exchange_n(&l->next, &expect, serving + 1, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
#else
#ifdef CONFIG_DEBUG_KERNEL
	if (l->locked)
		return false;
	l->locked = 1;
#endif
	barrier();
	return true;
#endif
}

static __always_inline void
raw_spin_unlock(struct spinlock *l)
{
#ifdef CONFIG_SMP
	/* Only the holder writes serving: a plain increment, published. */
	__atomic_store_n(&l->serving, l->serving + 1, __ATOMIC_RELEASE);
#else
	barrier();
#ifdef CONFIG_DEBUG_KERNEL
	l->locked = 0;
#endif
#endif
}


/* A raw lock with this CPU's interrupts masked. */
static __always_inline unsigned long
raw_spin_lock_irqsave(struct spinlock *l)
{
	unsigned long flags = arch_irq_save();

	raw_spin_lock(l);
	return flags;
}

static __always_inline void
raw_spin_unlock_irqrestore(struct spinlock *l, unsigned long flags)
{
	raw_spin_unlock(l);
	arch_irq_restore(flags);
}

/*
 * spin_lock_nested(): a second lock of the same class, taken in an order
 * the caller guarantees (say, by address): not reported as recursion or
 * as an order inversion within the class.  spin_is_held(): by the current
 * thread (known only with the checks; false without).
 */
#ifdef CONFIG_DEBUG_KERNEL
/* With the checks: kernel/spinlock.c. */
void spin_lock_nested(struct spinlock *l);
bool spin_is_held(const struct spinlock *l);
void spin_lock(struct spinlock *l);
void spin_unlock(struct spinlock *l);
bool spin_trylock(struct spinlock *l);
unsigned long spin_lock_irqsave(struct spinlock *l);
void spin_unlock_irqrestore(struct spinlock *l, unsigned long flags);
#else
/* Without: inline, a preemption count and the ticket lock (if any). */
#define spin_lock_nested(l)	spin_lock(l)
#define spin_is_held(l)		((void)(l), false)

static __always_inline void
spin_lock(struct spinlock *l)
{
	preempt_disable();
	raw_spin_lock(l);
}

static __always_inline void
spin_unlock(struct spinlock *l)
{
	raw_spin_unlock(l);
	preempt_enable();
}

static __always_inline bool
spin_trylock(struct spinlock *l)
{
	preempt_disable();
	if (raw_spin_trylock(l))
		return true;
	preempt_enable();
	return false;
}

static __always_inline unsigned long
spin_lock_irqsave(struct spinlock *l)
{
	unsigned long flags = arch_irq_save();

	preempt_disable();
	raw_spin_lock(l);
	return flags;
}

static __always_inline void
spin_unlock_irqrestore(struct spinlock *l, unsigned long flags)
{
	raw_spin_unlock(l);
	arch_irq_restore(flags);
	preempt_enable();
}
#endif

/*
 * spin_lock_irqsave() for a section that only wakes threads (a post, a
 * send, a set of flags, from a thread or a handler): no preemption count.
 * Masked interrupts keep this CPU's thread from being switched out
 * already; the count matters only to a lock handed to a wait
 * (wq_wait_until() drops and retakes it with spin_unlock()/spin_lock()),
 * which this one must never be.  The release is the preemption point,
 * as spin_unlock_irqrestore()'s: preempt_point() checks what
 * preempt_enable() would.  With the checks, the checked lock.
 */
#ifdef CONFIG_DEBUG_KERNEL
#define spin_lock_irqsave_nocount(l)		spin_lock_irqsave(l)
#define spin_unlock_irqrestore_nocount(l, f)	spin_unlock_irqrestore(l, f)
#else
static __always_inline unsigned long
spin_lock_irqsave_nocount(struct spinlock *l)
{
	return raw_spin_lock_irqsave(l);
}

static __always_inline void
spin_unlock_irqrestore_nocount(struct spinlock *l, unsigned long flags)
{
	raw_spin_unlock_irqrestore(l, flags);
	preempt_point();
}
#endif

#endif
