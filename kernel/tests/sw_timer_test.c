/*
 * Software timers (<kernel/sw_timer.h>): a one-shot call in thread
 * "timers" (not in an interrupt, so it may sleep), periodic calls on
 * their grid stopped from the callback, a stop that prevents the call,
 * and overruns counted while a callback sleeps.  Lower bounds on time
 * only, and waits with ktest_deadline(): a loaded host cannot fail them.
 */
#include <string.h>
#include <kernel/errno.h>
#include <kernel/cpu.h>
#include <kernel/ktest.h>
#include <kernel/sw_timer.h>
#include <kernel/sync.h>
#include <kernel/thread.h>
#include <kernel/time.h>

#define TICK_NS		(NSEC_PER_SEC / CONFIG_HZ)
#define MAX_CALLS	8

static struct sw_timer swt;
static struct completion done;
static volatile unsigned int calls;
static uint64_t called_at[MAX_CALLS];
static volatile bool in_timer_thread;
static unsigned int stop_after;
static uint64_t sleep_in_call;

static void
callback(struct sw_timer *t)
{
	in_timer_thread = !in_irq() && thread_current() == sw_timer_thread();
	if (calls < MAX_CALLS)
		called_at[calls] = time_ns();
	calls++;
	if (sleep_in_call)
		thread_sleep_ns(sleep_in_call);	/* a thread may sleep */
	if (calls == stop_after) {
		sw_timer_stop(t);
		complete(&done);
	}
}

static void
reset(unsigned int stop, uint64_t sleep)
{
	sw_timer_init(&swt, callback);
	completion_init(&done);
	calls = 0;
	in_timer_thread = false;
	stop_after = stop;
	sleep_in_call = sleep;
}

static uint64_t
wait_budget(void)
{
	uint64_t end = ktest_deadline(50 * TICK_NS), now = time_ns();

	return end > now ? end - now : 0;
}

KTEST(sw_timer, one_shot_in_the_timer_thread)
{
	uint64_t start;

	reset(1, TICK_NS);
	start = time_ns();
	KASSERT(sw_timer_start(&swt, 3 * TICK_NS, 0) == 0);
	KEXPECT(sw_timer_armed(&swt));
	KEXPECT_EQ(wait_for_completion(&done, wait_budget()), 0);
	KEXPECT_EQ(calls, 1u);
	KEXPECT(in_timer_thread);
	KEXPECT_OP(called_at[0], >=, start + 3 * TICK_NS);
	KEXPECT(!sw_timer_armed(&swt));
	thread_sleep_ns(5 * TICK_NS);
	KEXPECT_EQ(calls, 1u);		/* once */
}

KTEST(sw_timer, periodic_on_its_grid_until_stopped)
{
	const uint64_t period = 2 * TICK_NS;
	uint64_t start;

	reset(5, 0);
	start = time_ns();
	KASSERT(sw_timer_start(&swt, period, period) == 0);
	KEXPECT_EQ(wait_for_completion(&done, wait_budget()), 0);
	for (unsigned int i = 0; i < 5; i++)
		KEXPECT_OP(called_at[i], >=, start + (i + 1) * period);
	thread_sleep_ns(4 * period);
	KEXPECT_EQ(calls, 5u);		/* stopped from its own callback */
	KEXPECT(!sw_timer_armed(&swt));
}

KTEST(sw_timer, stop_prevents_the_call)
{
	reset(1, 0);
	KASSERT(sw_timer_start(&swt, 10ull * NSEC_PER_SEC, 0) == 0);
	KEXPECT(sw_timer_stop(&swt));
	KEXPECT(!sw_timer_stop(&swt));	/* nothing left to prevent */
	/* Restarting moves it: the first deadline is gone. */
	KASSERT(sw_timer_start(&swt, 10ull * NSEC_PER_SEC, 0) == 0);
	KASSERT(sw_timer_start(&swt, 2 * TICK_NS, 0) == 0);
	KEXPECT_EQ(wait_for_completion(&done, wait_budget()), 0);
	KEXPECT_EQ(calls, 1u);
}

/* Periods that end while the callback sleeps are counted, not queued. */
KTEST(sw_timer, overruns_counted)
{
	reset(2, 10 * TICK_NS);
	KASSERT(sw_timer_start(&swt, TICK_NS, TICK_NS) == 0);
	KEXPECT_EQ(wait_for_completion(&done, wait_budget() + 20 * TICK_NS), 0);
	KEXPECT_EQ(calls, 2u);
	KEXPECT_OP(swt.overruns, >=, 1u);
	KEXPECT_OP(called_at[1], >=, called_at[0] + 10 * TICK_NS);
}
