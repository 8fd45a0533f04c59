/*
 * Scheduler benchmarks (not tests), on every port with threads: what a
 * context switch costs (two threads of one priority yielding to each
 * other), a semaphore round trip between two threads, and the latency
 * from a timer interrupt to the thread it wakes.  Under QEMU
 * -icount shift=0 a nanosecond is one instruction.  Each runs on one CPU
 * (its threads pinned there) whatever the machine has: the cross-CPU
 * figures are smp_bench.c's.
 */
#include <arch/cpu.h>
#include <kernel/bench.h>
#include <kernel/printk.h>
#include <kernel/sync.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <kernel/timer.h>

static volatile bool stop;

/* ---- yield: one switch per call ---- */

static void
yielder(void *arg)
{
	while (!stop)
		thread_yield();
}

/*
 * The figure is per switch: main and the yielder alternate, each
 * thread_yield() one switch (its own cost included).  Creating and joining
 * the yielder is timed too, spread over the n calls.
 */
BENCH(sched, yield_switch)
{
	struct thread *t;
	unsigned long switches;

	cpumask_t here = cpumask_of(thread_pin());

	stop = false;
	t = thread_create_on("bench-yield", yielder, NULL, thread_current()->prio, 0, here);
	if (!t) {
		thread_unpin();
		return 0;
	}
#ifdef CONFIG_SCHED_SWITCH_COUNT
	unsigned long s0 = sched_context_switches();
#endif
	for (size_t i = 0; i < n; i++)
		thread_yield();
#ifdef CONFIG_SCHED_SWITCH_COUNT
	switches = sched_context_switches() - s0;
#else
	/*
	 * Not counted (a Cortex-M kernel): the two alternate, two switches
	 * a call.  Another thread of the priority would only raise the
	 * figure: an upper bound.
	 */
	switches = 2 * n;
#endif
	stop = true;
	thread_join(t);
	thread_unpin();
	return switches;
}

/* ---- semaphores: post wakes a higher thread, which blocks again ---- */

static struct semaphore ping, pong;

static void
ponger(void *arg)
{
	for (;;) {
		sem_wait(&ping, WAIT_FOREVER);
		if (stop)
			break;
		sem_post(&pong);
	}
}

/* Per round trip: two posts, two waits, two switches. */
BENCH(sched, sem_round_trip)
{
	struct thread *t;
	int prio = thread_current()->prio;
	cpumask_t here;

	if (prio >= THREAD_PRIO_MAX)
		return 0;
	sem_init(&ping, 0);
	sem_init(&pong, 0);
	stop = false;
	here = cpumask_of(thread_pin());
	t = thread_create_on("bench-pong", ponger, NULL, prio + 1, 0, here);
	if (!t) {
		thread_unpin();
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		sem_post(&ping);		/* ponger runs, posts, blocks */
		sem_wait(&pong, WAIT_FOREVER);	/* already posted: no switch */
	}
	stop = true;
	sem_post(&ping);
	thread_join(t);
	thread_unpin();
	return n;
}

/* ---- timer interrupt -> woken thread ---- */

#define WAKE_SAMPLES	200		/* one tick each */

static struct {
	struct semaphore sem;
	struct timer tm;
	volatile uint64_t irq_count, irq_ticks;
	uint64_t count, ticks;		/* sums: clock source counts, cycles */
	size_t samples, dither;
} wk;

/*
 * Interrupt context: stamp, then post; the stamps frame the wake-up.  The
 * tick is what runs this, so without the dither every stamp would fall at
 * the same phase of a coarse counter and round the same way.  The stamps
 * are raw counts, converted once at the end: time_ns()'s division after
 * its read would fall inside the window, at a cost its operands set.
 */
static void
wake_tick(struct timer *tm)
{
	bench_dither(wk.dither++);
	wk.irq_count = time_count();
	wk.irq_ticks = arch_cycles();
	sem_post(&wk.sem);
}

static void
wake_waiter(void *arg)
{
	for (size_t i = 0; i < wk.samples; i++) {
		uint64_t c, t;

		timer_arm(&wk.tm, time_ns());		/* due at the next tick */
		sem_wait(&wk.sem, WAIT_FOREVER);
		c = arch_cycles();
		t = time_count();
		wk.ticks += c - wk.irq_ticks;
		wk.count += t - wk.irq_count;
	}
}

/*
 * From the timer callback (interrupt context, inside the tick handler)
 * to the woken thread running: the rest of the tick, the interrupt's
 * return with its preemption, and the way out of sem_wait().  The cost of
 * the stamps themselves (measured back to back) is taken off.  One
 * sample per tick, so at most WAKE_SAMPLES of them.
 */
BENCH(sched, timer_irq_wakeup)
{
	uint64_t t0, c0, c1, t1, cal_ticks = 0, cal_count = 0;
	struct thread *t;

	wk.samples = n < WAKE_SAMPLES ? n : WAKE_SAMPLES;
	wk.count = wk.ticks = 0;
	wk.dither = 0;
	sem_init(&wk.sem, 0);
	timer_init(&wk.tm, wake_tick);
	/* On this CPU: the timer is armed on the waiter's, the tick is ours. */
	t = thread_create_on("bench-wake", wake_waiter, NULL, THREAD_PRIO_MAX, 0,
			     cpumask_of(thread_pin()));
	thread_unpin();
	if (!t)
		return 0;
	thread_join(t);
	/* As many back-to-back stamps, dithered alike: their mean is exact too. */
	for (size_t i = 0; i < wk.samples; i++) {
		bench_dither(i);
		t0 = time_count();
		c0 = arch_cycles();
		c1 = arch_cycles();
		t1 = time_count();
		cal_ticks += c1 - c0;
		cal_count += t1 - t0;
	}
	wk.ticks -= MIN(wk.ticks, cal_ticks);
	wk.count -= MIN(wk.count, cal_count);
	bench_report_total(wk.ticks, time_count_to_ns(wk.count));
	return wk.samples;
}
