/*
 * The load average, kept as Linux keeps it: every 5 seconds (and a tick,
 * LOAD_FREQ) the boot CPU's tick counts the active threads (running or
 * ready, and user threads in an uninterruptible sleep, Linux's "D") and
 * folds the count into three exponentially damped averages with Linux's
 * constants, in fixed point with FSHIFT fraction bits.
 *
 * avenrun[] is written only by the boot CPU's tick and read anywhere
 * (a word each: a reader sees an old or a new value).
 */
#include <kernel/compiler.h>
#include <kernel/cputime.h>
#include <kernel/loadavg.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#ifdef CONFIG_PROCESSES
#include <kernel/process.h>
#include "process_internal.h"
#endif

#define LOAD_FREQ_NS	(5 * NSEC_PER_SEC + TICK_NSEC)
/* 2^FSHIFT / e^(5 s / 1, 5, 15 minutes) */
#define EXP_1		1884
#define EXP_5		2014
#define EXP_15		2037

static unsigned long avenrun[3];
static uint64_t next_sample_ns;		/* the boot CPU's tick only */

#ifdef CONFIG_PROCESSES
static void
count_uninterruptible(struct process *p, void *arg)
{
	unsigned long *n = arg;
	struct thread *t;

	if (p->state != PROCESS_RUNNING || READ_ONCE(p->stopped))
		return;
	for_each_thread(p, t)
		if (READ_ONCE(t->state) == THREAD_BLOCKED && !READ_ONCE(t->interruptible))
			(*n)++;
}
#endif

/* Threads running, ready, or asleep uninterruptibly. */
static unsigned long
nr_active(void)
{
	unsigned long n = sched_nr_running();
#ifdef CONFIG_PROCESSES
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);

	for_each_process_locked(count_uninterruptible, &n);
	spin_unlock_irqrestore(&tasklist_lock, flags);
#endif
	return n;
}

/* One step of the average: load decays by exp/FIXED_1 towards active (rounding up while rising). */
static unsigned long
calc_load(unsigned long load, unsigned long exp, unsigned long active)
{
	unsigned long next = load * exp + active * (FIXED_1 - exp);

	if (active >= load)
		next += FIXED_1 - 1;
	return next / FIXED_1;
}

void
loadavg_tick(void)
{
	uint64_t now = time_ns();
	unsigned long active;

	if (!next_sample_ns) {
		next_sample_ns = now + LOAD_FREQ_NS;
		return;
	}
	if (now < next_sample_ns)
		return;
	next_sample_ns += LOAD_FREQ_NS;
	if (next_sample_ns <= now)
		next_sample_ns = now + LOAD_FREQ_NS;	/* ticks were missed: no catching up */
	active = nr_active() * FIXED_1;
	WRITE_ONCE(avenrun[0], calc_load(avenrun[0], EXP_1, active));
	WRITE_ONCE(avenrun[1], calc_load(avenrun[1], EXP_5, active));
	WRITE_ONCE(avenrun[2], calc_load(avenrun[2], EXP_15, active));
}

void
loadavg_get(unsigned long loads[3], unsigned long offset, int shift)
{
	for (int i = 0; i < 3; i++)
		loads[i] = (READ_ONCE(avenrun[i]) + offset) << shift;
}
