/*
 * Spinlocks: mutual exclusion for short sections that must not sleep.
 * The _irqsave forms also mask interrupts on this CPU (data shared with
 * interrupt handlers).  Holding one disables preemption; sleeping while
 * holding one is a bug that CONFIG_DEBUG_KERNEL reports.  On ports
 * without atomics (ARMv6-M, single CPU) masking interrupts is the lock.
 */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include <kernel/types.h>

struct thread;

struct spinlock {
	volatile uint32_t locked;
	const char *name;
	struct thread *owner;		/* for the debug checks */
};

#define SPINLOCK_INIT(n)	{ 0, n, NULL }

void spin_lock(struct spinlock *l);
void spin_unlock(struct spinlock *l);
unsigned long spin_lock_irqsave(struct spinlock *l);
void spin_unlock_irqrestore(struct spinlock *l, unsigned long flags);
bool spin_is_held(const struct spinlock *l);	/* by the current thread */

#endif
