/*
 * The RTOS profile demo: two threads, two message queues, one interrupt.
 *
 *	timer interrupt --irq_q--> "sensor" (high) --log_q--> "logger" (low)
 *
 * Every period the tick's timer callback (interrupt context) stamps a
 * sample and posts it with msgq_send_nowait(); the sensor thread, woken
 * by the post, runs before the interrupt returns to whatever it
 * interrupted, measures how long that took and sends a report on; the
 * logger prints it.  Both queues live in static buffers: the heap holds
 * only the two threads.  CONFIG_RTOS_DEMO runs it after boot (and powers
 * off); the test build runs it as a KTEST.
 */
#define pr_fmt(fmt) "rtos-demo: " fmt

#include <arch/cpu.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/slab.h>
#include <kernel/sync.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <kernel/timer.h>
#include "armv6m.h"

#define PERIOD_NS	(20 * NSEC_PER_MSEC)
#define QUEUE_LEN	4
#define SENSOR_STACK	384		/* no printk: it uses about 230 */
#define LOGGER_STACK	CONFIG_THREAD_STACK_SIZE

struct sample {
	uint32_t seq;
	uint64_t irq_cycles;		/* when the interrupt posted it */
};

struct report {
	uint32_t seq;
	uint32_t latency_cycles;	/* interrupt -> sensor running */
};

static struct {
	struct msgq irq_q, log_q;
	struct sample irq_buf[QUEUE_LEN];
	struct report log_buf[QUEUE_LEN];
	struct timer tick;
	struct completion logged;	/* the logger has seen the last report */
	unsigned int samples;
	uint32_t seq;			/* next sample the interrupt makes */
	struct rtos_demo_stats *st;
} demo;

/* Interrupt context: one sample per period, dropped if the queue is full. */
static void
demo_tick(struct timer *t)
{
	struct sample s = { .seq = demo.seq, .irq_cycles = arch_cycles() };

	if (msgq_send_nowait(&demo.irq_q, &s) == 0)
		demo.st->sent++;
	else
		demo.st->dropped++;
	if (++demo.seq < demo.samples)
		timer_arm(t, t->deadline_ns + PERIOD_NS);
}

static void
sensor(void *arg)
{
	for (unsigned int i = 0; i < demo.samples; i++) {
		struct sample s;
		struct report r;

		if (msgq_recv(&demo.irq_q, &s, 10 * PERIOD_NS))
			break;			/* the logger notices the gap */
		/* The cycle counter: time_ns() divides, slowly, on a Cortex-M0. */
		r.latency_cycles = (uint32_t)(arch_cycles() - s.irq_cycles);
		r.seq = s.seq;
		if (msgq_send(&demo.log_q, &r, 10 * PERIOD_NS))
			break;
	}
}

static void
logger(void *arg)
{
	struct rtos_demo_stats *st = demo.st;

	for (unsigned int i = 0; i < demo.samples; i++) {
		struct report r;

		if (msgq_recv(&demo.log_q, &r, 10 * PERIOD_NS)) {
			pr_err("logger: no report %u\n", i);
			break;
		}
		st->received++;
		st->out_of_order += r.seq != i;
		if (r.latency_cycles > st->max_latency_cycles)
			st->max_latency_cycles = r.latency_cycles;
		pr_notice("logger: sample %lu: the sensor ran %lu cycles after its interrupt\n",
			(unsigned long)r.seq, (unsigned long)r.latency_cycles);
	}
	complete(&demo.logged);
}

static size_t
heap_free(void)
{
	struct heap_stats hs;

	kmalloc_stats(&hs);
	return hs.free;
}

int
rtos_demo_run(unsigned int samples, struct rtos_demo_stats *st)
{
	struct thread *me = thread_current(), *t[2];
	int prio = me->base_prio;

	*st = (struct rtos_demo_stats){ .heap_free_before = heap_free() };
	demo.st = st;
	demo.samples = samples;
	demo.seq = 0;
	msgq_init(&demo.irq_q, demo.irq_buf, sizeof(demo.irq_buf[0]), QUEUE_LEN);
	msgq_init(&demo.log_q, demo.log_buf, sizeof(demo.log_buf[0]), QUEUE_LEN);
	completion_init(&demo.logged);

	/* Above both while creating them: neither runs before both exist. */
	thread_set_priority(me, THREAD_PRIO_MAX);
	t[0] = thread_create("sensor", sensor, NULL, THREAD_PRIO_MAX - 1, SENSOR_STACK);
	t[1] = thread_create("logger", logger, NULL, THREAD_PRIO_DEFAULT - 1, LOGGER_STACK);
	if (!t[0] || !t[1]) {
		thread_set_priority(me, prio);
		pr_err("cannot create the demo threads\n");
		for (int i = 0; i < 2; i++)
			if (t[i])
				thread_join(t[i]);	/* no samples come: it times out */
		return -ENOMEM;
	}
	st->heap_free_running = heap_free();
	pr_notice("2 threads, 2 message queues, a sample every %llu ms from the timer interrupt; "
		"%lu bytes of heap free with both running\n",
		(unsigned long long)(PERIOD_NS / NSEC_PER_MSEC),
		(unsigned long)st->heap_free_running);
	timer_init(&demo.tick, demo_tick);
	timer_arm(&demo.tick, time_ns() + PERIOD_NS);
	thread_set_priority(me, prio);

	/*
	 * Sleeps: the sensor waits for interrupts, the logger for reports.
	 * Once the logger is through, both stacks have seen their deepest
	 * frames; measure them before the joins free them.
	 */
	wait_for_completion(&demo.logged, WAIT_FOREVER);
#ifdef CONFIG_THREAD_STACK_CHECK
	st->stack_used[0] = thread_stack_used(t[0]);
	st->stack_used[1] = thread_stack_used(t[1]);
#endif
	st->stack_size[0] = SENSOR_STACK;
	st->stack_size[1] = LOGGER_STACK;
	thread_join(t[0]);
	thread_join(t[1]);
	timer_cancel(&demo.tick);
	st->heap_free_after = heap_free();
	return st->received == samples && !st->out_of_order ? 0 : -EIO;
}

#ifdef CONFIG_RTOS_DEMO
int
rtos_demo(void)
{
	struct rtos_demo_stats st;
	int err = rtos_demo_run(CONFIG_RTOS_DEMO_SAMPLES, &st);

	pr_notice("%u of %u samples through both queues%s, %u dropped; "
		"interrupt -> sensor %lu cycles at most\n",
		st.received, st.sent, st.out_of_order ? " OUT OF ORDER" : " in order",
		st.dropped, (unsigned long)st.max_latency_cycles);
#ifdef CONFIG_THREAD_STACK_CHECK
	pr_notice("stacks: sensor %lu of %lu bytes, logger %lu of %lu\n",
		(unsigned long)st.stack_used[0], (unsigned long)st.stack_size[0],
		(unsigned long)st.stack_used[1], (unsigned long)st.stack_size[1]);
#endif
	pr_notice("heap: %lu bytes free before, %lu while running, %lu after\n",
		(unsigned long)st.heap_free_before, (unsigned long)st.heap_free_running,
		(unsigned long)st.heap_free_after);
	pr_notice("%s; powering off\n", err ? "FAILED" : "done");
	return err;
}
#endif
