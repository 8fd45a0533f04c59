/*
 * Kernel timers: run a function at a point of the monotonic clock.  The
 * queue is ordered by deadline and checked on every tick (CONFIG_HZ), so a
 * timer fires within one tick after its deadline.  Callbacks run in
 * interrupt context and must not sleep.
 */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include <kernel/list.h>
#include <kernel/types.h>

struct timer {
	uint64_t deadline_ns;		/* on time_ns()'s clock */
	void (*fn)(struct timer *t);
	struct list_head node;
	bool armed;
};

void timer_init(struct timer *t, void (*fn)(struct timer *t));
void timer_arm(struct timer *t, uint64_t deadline_ns);	/* re-arming moves it */
bool timer_cancel(struct timer *t);	/* true if it had not fired yet */

/* Called by the tick: runs every timer whose deadline has passed. */
void timers_run(uint64_t now_ns);

#endif
