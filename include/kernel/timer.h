/*
 * Kernel timers: run a function at a point of the monotonic clock.  Each
 * CPU has its own queue, ordered by deadline and checked on each of its
 * ticks (CONFIG_HZ), so a timer fires within one tick after its deadline,
 * on the CPU that armed it.  Callbacks run in interrupt context and must
 * not sleep; they may re-arm their own timer.
 *
 * One context at a time arms or cancels a given timer (its owner); the
 * callback may run concurrently on another CPU, which timer_cancel_sync()
 * waits out.
 */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include <kernel/list.h>
#include <kernel/types.h>

struct timer_base;

struct timer {
	uint64_t deadline_ns;		/* on time_ns()'s clock */
	void (*fn)(struct timer *t);
	struct list_head node;		/* in base's queue (base->lock) */
	struct timer_base *base;	/* the queue it was last armed on */
};

void timer_init(struct timer *t, void (*fn)(struct timer *t));
/* Arm on this CPU's queue (re-arming moves it). */
void timer_arm(struct timer *t, uint64_t deadline_ns);
/*
 * Armed and not fired yet: on its queue (a timer off every queue links
 * to itself).  A hint unless the caller excludes timer_arm() and the tick.
 */
static inline bool
timer_armed(const struct timer *t)
{
	return READ_ONCE(t->node.next) != &t->node;
}
/* True if it was armed and had not fired yet; the callback may be running. */
bool timer_cancel(struct timer *t);
/* Cancel, and wait until no callback of t runs anywhere (not from t's own). */
bool timer_cancel_sync(struct timer *t);

/* This CPU's earliest deadline, UINT64_MAX when nothing is armed (tickless idle). */
uint64_t timers_next_deadline(void);

/* Called by each CPU's tick: runs that CPU's timers whose deadline passed. */
void timers_run(uint64_t now_ns);

#endif
