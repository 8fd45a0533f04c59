/*
 * Lock-order checking (CONFIG_DEBUG_LOCK_ORDER), for spinlock.c and
 * mutex.c.  Each lock class (the name a lock was initialised with) learns
 * which classes were taken while it was held; taking two classes in both
 * orders is reported by name (kernel/lock_order.c).
 */
#ifndef KERNEL_LOCK_ORDER_H
#define KERNEL_LOCK_ORDER_H

#include <kernel/types.h>

#define LOCK_ORDER_CHECK	0	/* an ordinary acquisition */
#define LOCK_ORDER_NESTED	1	/* same class as a held lock, ordered by the caller */
#define LOCK_ORDER_TRY		2	/* a trylock: cannot wait, so adds no order */

#ifdef CONFIG_DEBUG_LOCK_ORDER
/*
 * The current thread took lock (class cached in *class, found by name the
 * first time).  Panics if the new order inverts one seen before.
 */
void lock_order_acquire(uint16_t *class, const char *name, const void *lock,
			unsigned int how);
void lock_order_release(const void *lock);
#else
static inline void
lock_order_acquire(uint16_t *class, const char *name, const void *lock, unsigned int how)
{
}
static inline void lock_order_release(const void *lock) { }
#endif

#endif
