/*
 * The sample application (configs/app_sample.config, docs/rtos.md): how
 * firmware is written on the RTOS profile.  A periodic software timer
 * samples the clock every PERIOD_MS and posts each reading to a message
 * queue without blocking; thread "filter", above main, takes them and,
 * after NR_SAMPLES, raises an event flag.  main waits for it, stops the
 * timer and returns its verdict from app_main(), which ends thread main;
 * filter joins main for that result, prints the thread list with each
 * stack's use and powers the board off with the verdict as its status
 * (QEMU's exit status through semihosting), so a boot of it is a test.
 * Firmware would run on instead.
 */
#define pr_fmt(fmt) "sample: " fmt

#include <kernel/app.h>
#include <kernel/compiler.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/sw_timer.h>
#include <kernel/sync.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <kernel/wait.h>

#define NR_SAMPLES	5
#define PERIOD_MS	50
#define FILTER_DONE	(1u << 0)

struct reading {
	unsigned int seq;
	uint64_t at_ns;
};

static struct msgq readings;
static struct reading readings_buf[4];
static struct event_flags events;
static struct sw_timer sampler;
static unsigned int next_seq;		/* the timer thread's */
static unsigned int dropped;		/* the timer thread's; read after the stop */

/* Filter's findings, for main once FILTER_DONE is set. */
static unsigned int in_order;
static uint64_t mean_gap_ns;

/* In thread "timers": a callback must not hold up the others, so no blocking send. */
static void
sample(struct sw_timer *t)
{
	struct reading r = { next_seq++, time_ns() };

	(void)t;
	if (msgq_send_nowait(&readings, &r) != 0)
		dropped++;
}

static void
filter(void *arg)
{
	struct thread *main_thread = arg;
	uint64_t first_ns = 0, last_ns = 0;
	int verdict;

	for (unsigned int n = 0; n < NR_SAMPLES; n++) {
		struct reading r;

		msgq_recv(&readings, &r, WAIT_FOREVER);
		if (r.seq == n)
			in_order++;
		if (n == 0)
			first_ns = r.at_ns;
		last_ns = r.at_ns;
		pr_notice("reading %u at %llu ms\n", r.seq,
			  (unsigned long long)(r.at_ns / NSEC_PER_MSEC));
	}
	mean_gap_ns = (last_ns - first_ns) / (NR_SAMPLES - 1);
	event_flags_set(&events, FILTER_DONE);

	/* main's result, once app_main() has returned and main has exited. */
	verdict = thread_join(main_thread);
	pr_notice("main returned %d\n", verdict);
	thread_list_print();
	machine_poweroff(verdict != 0);
}

int
app_main(void)
{
	struct thread *worker;
	int32_t done;
	bool ok;

	msgq_init(&readings, readings_buf, sizeof(readings_buf[0]), ARRAY_SIZE(readings_buf));
	event_flags_init(&events);
	worker = thread_create("filter", filter, thread_current(), THREAD_PRIO_DEFAULT + 1, 0);
	if (!worker) {
		pr_err("cannot create thread filter\n");
		machine_poweroff(true);		/* nobody would join main */
	}
	sw_timer_init(&sampler, sample);
	if (sw_timer_start(&sampler, PERIOD_MS * NSEC_PER_MSEC, PERIOD_MS * NSEC_PER_MSEC) != 0) {
		pr_err("cannot start the sampling timer\n");
		machine_poweroff(true);		/* filter would wait for ever */
	}

	done = event_flags_wait(&events, FILTER_DONE, EVENT_CLEAR, 10 * NSEC_PER_SEC);
	sw_timer_stop(&sampler);
	/* The gap is shown, not judged: under an emulator it is the host's time. */
	ok = done == (int32_t)FILTER_DONE && in_order == NR_SAMPLES && dropped == 0;
	pr_notice("%u readings, %u in order, %u dropped, %llu ms apart: %s\n", NR_SAMPLES,
		  in_order, dropped, (unsigned long long)(mean_gap_ns / NSEC_PER_MSEC),
		  ok ? "done" : "FAILED");
	return ok ? 0 : 1;
}
