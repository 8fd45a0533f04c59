/*
 * What eager FP/SIMD switching costs: the yield benchmark of
 * kernel/bench/sched_bench.c, with both threads owning FP state (every
 * switch saves and loads 32 vector registers, FPSR, FPCR and TPIDR_EL0).
 * sched.yield_switch is the same between kernel threads, which own none.
 */
#include <arch/thread.h>
#include <kernel/bench.h>
#include <kernel/thread.h>

static volatile bool stop;

static void
fp_yielder(void *arg)
{
	arch_thread_fp_own(&thread_current()->arch);
	while (!stop)
		thread_yield();
}

struct fp_yield_run {
	size_t n;
	unsigned long switches;
};

/* The measuring thread owns FP state too, so every switch carries it. */
static void
fp_measure(void *arg)
{
	struct fp_yield_run *run = arg;
	unsigned long s0;

	arch_thread_fp_own(&thread_current()->arch);
	s0 = sched_context_switches();
	for (size_t i = 0; i < run->n; i++)
		thread_yield();
	run->switches = sched_context_switches() - s0;
	stop = true;			/* the peer outranks the joiner: stop it here */
}

BENCH(aarch64, yield_switch_fp)
{
	struct fp_yield_run run = { .n = n };
	struct thread *me = thread_current(), *peer, *measure;
	cpumask_t one = me->affinity & -me->affinity;	/* both on one CPU */
	int prio = me->prio;

	if (prio + 2 > THREAD_PRIO_MAX)
		return 0;
	stop = false;
	/* Above them while creating them: neither starts before the other exists. */
	thread_set_priority(me, prio + 2);
	peer = thread_create_on("bench-fp-peer", fp_yielder, NULL, prio + 1, 0, one);
	measure = thread_create_on("bench-fp", fp_measure, &run, prio + 1, 0, one);
	thread_set_priority(me, prio);
	if (!peer || !measure) {
		stop = true;
		if (peer)
			thread_join(peer);
		if (measure)
			thread_join(measure);
		return 0;
	}
	thread_join(measure);
	thread_join(peer);
	return run.switches;
}
