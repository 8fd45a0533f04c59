/*
 * SMP placement and load balancing decisions, kept apart from the run
 * queues so they can be tested on the host: pure functions over a
 * snapshot of every CPU's load.  The snapshot is taken without locks, so
 * a decision may be stale by the time it is acted on; sched.c re-checks
 * under the run-queue locks what matters for correctness (affinity,
 * whether the thread is still there), and a stale choice only costs
 * balance, which the next tick corrects.
 */
#include "sched_internal.h"

static bool
is_idle(const struct sched_load *l)
{
	return l->running < 0 && l->queued == 0;
}

/* Is a better than b as a place to go?  Ties: prev, waker, lower number. */
static bool
prefer(unsigned int a, unsigned int b, unsigned int prev, unsigned int waker)
{
	if (a == prev || b == prev)
		return a == prev;
	if (a == waker || b == waker)
		return a == waker;
	return a < b;
}

unsigned int
sched_pick_cpu(const struct sched_load *load, unsigned int ncpus, cpumask_t allowed,
	       int prio, unsigned int prev, unsigned int waker)
{
	int best = -1;
	enum { IDLE, PREEMPT, QUEUE } best_kind = QUEUE;

	for (unsigned int c = 0; c < ncpus; c++) {
		const struct sched_load *l = &load[c];
		int kind;

		if (!l->online || !cpumask_test(allowed, c))
			continue;
		if (is_idle(l))
			kind = IDLE;
		else if (l->running < prio && l->top_queued < prio)
			kind = PREEMPT;		/* it would run there at once */
		else
			kind = QUEUE;
		if (best < 0 || kind < (int)best_kind) {
			best = (int)c;
			best_kind = kind;
			continue;
		}
		if (kind > (int)best_kind)
			continue;
		/* Same kind: the least important victim, the shortest queue. */
		if (kind == PREEMPT && l->running != load[best].running) {
			if (l->running < load[best].running)
				best = (int)c;
			continue;
		}
		if (kind == QUEUE && l->queued != load[best].queued) {
			if (l->queued < load[best].queued)
				best = (int)c;
			continue;
		}
		if (prefer(c, (unsigned int)best, prev, waker))
			best = (int)c;
	}
	/* Nothing allowed is online: stay where it was (the caller checks). */
	return best < 0 ? prev : (unsigned int)best;
}

int
sched_pick_busiest(const struct sched_load *load, unsigned int ncpus, unsigned int cpu)
{
	const struct sched_load *me = &load[cpu];
	int mine = me->running > me->top_queued ? me->running : me->top_queued;
	int best = -1;

	/* Strict priority: a queued thread better than anything here. */
	for (unsigned int c = 0; c < ncpus; c++) {
		const struct sched_load *l = &load[c];

		if (c == cpu || !l->online || l->queued == 0 || l->top_queued <= mine)
			continue;
		if (best < 0 || l->top_queued > load[best].top_queued ||
		    (l->top_queued == load[best].top_queued && l->queued > load[best].queued))
			best = (int)c;
	}
	if (best >= 0)
		return best;
	/* Balance: the longest queue, if it is worth a move. */
	for (unsigned int c = 0; c < ncpus; c++) {
		const struct sched_load *l = &load[c];

		if (c == cpu || !l->online || l->queued == 0)
			continue;
		if (!is_idle(me) && l->queued < me->queued + 2)
			continue;
		if (best < 0 || l->queued > load[best].queued)
			best = (int)c;
	}
	return best;
}
