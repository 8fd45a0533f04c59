/*
 * Event flags (<kernel/sync.h>): any and all, consuming waits, timeouts,
 * bad arguments, a set from interrupt context, and one set per bit
 * waking one consuming waiter.  Waiters outrank the test thread, so they
 * run (and block) as soon as they are created or woken; nothing here
 * depends on how fast the host is.
 */
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <kernel/sync.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <kernel/timer.h>

#define TICK_NS		(NSEC_PER_SEC / CONFIG_HZ)
#define PRIO		THREAD_PRIO_DEFAULT

static struct event_flags ef;

struct waiter {
	uint32_t mask;
	unsigned int flags;
	volatile int32_t result;
	volatile bool done;
};

static void
wait_thread(void *arg)
{
	struct waiter *w = arg;

	w->result = event_flags_wait(&ef, w->mask, w->flags, WAIT_FOREVER);
	w->done = true;
}

KTEST(event_flags, immediate_timeout_and_errors)
{
	event_flags_init(&ef);
	KEXPECT_EQ(event_flags_wait(&ef, 0x1, EVENT_ANY, 0), -EAGAIN);
	KEXPECT_EQ(event_flags_wait(&ef, 0x1, EVENT_ANY, 2 * TICK_NS), -ETIMEDOUT);
	KEXPECT_EQ(event_flags_wait(&ef, 0, EVENT_ANY, 0), -EINVAL);
	KEXPECT_EQ(event_flags_wait(&ef, 1u << 31, EVENT_ANY, 0), -EINVAL);
	KEXPECT_EQ(event_flags_wait(&ef, 0x1, 0x80, 0), -EINVAL);

	KEXPECT_EQ(event_flags_set(&ef, 0x5), 0u);
	KEXPECT_EQ(event_flags_get(&ef), 0x5u);
	/* Any: the mask's bits that are set; without EVENT_CLEAR they stay. */
	KEXPECT_EQ(event_flags_wait(&ef, 0x6, EVENT_ANY, 0), 0x4);
	KEXPECT_EQ(event_flags_get(&ef), 0x5u);
	/* All: not until every bit is there. */
	KEXPECT_EQ(event_flags_wait(&ef, 0x3, EVENT_ALL, 0), -EAGAIN);
	KEXPECT_EQ(event_flags_wait(&ef, 0x5, EVENT_ALL | EVENT_CLEAR, 0), 0x5);
	KEXPECT_EQ(event_flags_get(&ef), 0u);
	KEXPECT_EQ(event_flags_set(&ef, 0x30), 0u);
	KEXPECT_EQ(event_flags_clear(&ef, 0x10), 0x30u);
	KEXPECT_EQ(event_flags_get(&ef), 0x20u);
}

KTEST(event_flags, all_waits_for_every_bit)
{
	struct waiter w = { .mask = 0x3, .flags = EVENT_ALL | EVENT_CLEAR };
	struct thread *t;

	event_flags_init(&ef);
	t = thread_create("ef-all", wait_thread, &w, PRIO + 1, 0);
	KASSERT(t != NULL);
	event_flags_set(&ef, 0x1);
	thread_sleep_ns(3 * TICK_NS);
	KEXPECT(!w.done);		/* one bit of two: still waiting */
	event_flags_set(&ef, 0x6);
	thread_join(t);
	KEXPECT(w.done);
	KEXPECT_EQ(w.result, 0x3);
	KEXPECT_EQ(event_flags_get(&ef), 0x4u);	/* only its own bits consumed */
}

static void
set_from_timer(struct timer *t)
{
	event_flags_set(&ef, 0x100);	/* interrupt context */
}

KTEST(event_flags, set_from_interrupt)
{
	static struct timer tm;
	struct waiter w = { .mask = 0x300, .flags = EVENT_ANY };
	struct thread *t;

	event_flags_init(&ef);
	t = thread_create("ef-irq", wait_thread, &w, PRIO + 1, 0);
	KASSERT(t != NULL);
	timer_init(&tm, set_from_timer);
	timer_arm(&tm, time_ns() + 2 * TICK_NS);
	thread_join(t);
	KEXPECT_EQ(w.result, 0x100);
}

/* Two consuming waiters on one bit: each set wakes exactly one of them. */
KTEST(event_flags, clear_hands_each_set_to_one_waiter)
{
	struct waiter w[2] = {
		{ .mask = 0x1, .flags = EVENT_CLEAR },
		{ .mask = 0x1, .flags = EVENT_CLEAR },
	};
	struct thread *t[2];

	event_flags_init(&ef);
	for (int i = 0; i < 2; i++) {
		t[i] = thread_create("ef-clear", wait_thread, &w[i], PRIO + 1, 0);
		KASSERT(t[i] != NULL);
	}
	event_flags_set(&ef, 0x1);
	thread_sleep_ns(3 * TICK_NS);
	KEXPECT_EQ((int)w[0].done + (int)w[1].done, 1);
	KEXPECT_EQ(event_flags_get(&ef), 0u);
	event_flags_set(&ef, 0x1);
	for (int i = 0; i < 2; i++) {
		thread_join(t[i]);
		KEXPECT_EQ(w[i].result, 0x1);
	}
	KEXPECT_EQ(event_flags_get(&ef), 0u);
}
