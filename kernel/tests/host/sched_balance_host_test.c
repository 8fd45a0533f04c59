/*
 * kernel/sched_balance.c on the host: where a woken thread goes and which
 * CPU an idle or lightly loaded CPU pulls from, over hand-made load
 * snapshots, and a small model of a machine whose CPUs keep pulling until
 * the load is spread.
 */
#include <string.h>
#include "host_test.h"

#include "../../sched_internal.h"

#define NCPU	4
#define IDLE	{ true, -1, -1, 0 }

/* A CPU running prio with the given queue. */
static struct sched_load
busy(int prio, int top_queued, unsigned int queued)
{
	return (struct sched_load){ true, prio, top_queued, queued };
}

HOST_TEST(pick_prefers_an_idle_cpu_and_prev_first)
{
	struct sched_load l[NCPU] = { IDLE, IDLE, IDLE, IDLE };

	CHECK(sched_pick_cpu(l, NCPU, 0xf, 5, 2, 0) == 2);	/* all idle: prev */
	l[2] = busy(9, -1, 0);
	CHECK(sched_pick_cpu(l, NCPU, 0xf, 5, 2, 3) == 3);	/* then the waker */
	l[3] = busy(9, -1, 0);
	CHECK(sched_pick_cpu(l, NCPU, 0xf, 5, 2, 3) == 0);	/* then the lowest */
}

HOST_TEST(pick_preempts_the_least_important)
{
	struct sched_load l[NCPU] = {
		busy(5, -1, 0), busy(3, -1, 0), busy(7, -1, 0), busy(4, 6, 1),
	};

	/* Prio 6 would preempt CPU0 (5) or CPU1 (3): the least important loses. */
	CHECK(sched_pick_cpu(l, NCPU, 0xf, 6, 0, 0) == 1);
	/* Not CPU3: it runs 4 but has a 6 waiting, which would still go first. */
	l[1] = busy(8, -1, 0);
	CHECK(sched_pick_cpu(l, NCPU, 0xf, 6, 3, 3) == 0);
}

HOST_TEST(pick_queues_where_the_queue_is_shortest)
{
	struct sched_load l[NCPU] = {
		busy(9, 9, 3), busy(9, 9, 1), busy(9, 9, 2), busy(9, 9, 1),
	};

	CHECK(sched_pick_cpu(l, NCPU, 0xf, 2, 0, 0) == 1);	/* 1 and 3: the lower */
	CHECK(sched_pick_cpu(l, NCPU, 0xf, 2, 3, 0) == 3);	/* unless 3 is prev */
}

HOST_TEST(pick_honours_affinity_and_online)
{
	struct sched_load l[NCPU] = { IDLE, IDLE, busy(9, -1, 0), busy(9, 9, 4) };

	CHECK(sched_pick_cpu(l, NCPU, 0x8, 5, 0, 0) == 3);	/* only CPU3 allowed */
	l[0].online = false;
	CHECK(sched_pick_cpu(l, NCPU, 0x1 | 0x4, 5, 0, 0) == 2);	/* 0 is offline */
	/* Nothing allowed is online: stays on prev (sched.c checks again). */
	CHECK(sched_pick_cpu(l, NCPU, 0x1, 5, 0, 0) == 0);
}

HOST_TEST(busiest_strict_priority_first)
{
	struct sched_load l[NCPU] = {
		busy(5, -1, 0), busy(9, 8, 1), busy(9, 6, 5), IDLE,
	};

	/* CPU0 runs 5: CPU1's queued 8 outranks it (before CPU2's long queue). */
	CHECK(sched_pick_busiest(l, NCPU, 0) == 1);
	/* Idle CPU3 takes the best queued thread there is, too. */
	CHECK(sched_pick_busiest(l, NCPU, 3) == 1);
	/* CPU1: nothing elsewhere outranks its 9 or 8, but CPU2's queue is long. */
	CHECK(sched_pick_busiest(l, NCPU, 1) == 2);
	l[2].queued = 2;
	CHECK(sched_pick_busiest(l, NCPU, 1) == -1);	/* 2 < 1 + 2 */
}

HOST_TEST(busiest_balances_equal_work)
{
	struct sched_load l[NCPU] = {
		busy(5, 5, 1), busy(5, 5, 2), busy(5, 5, 3), busy(5, -1, 0),
	};

	CHECK(sched_pick_busiest(l, NCPU, 3) == 2);	/* 3 >= 0 + 2: worth a move */
	CHECK(sched_pick_busiest(l, NCPU, 0) == 2);	/* 3 >= 1 + 2 */
	CHECK(sched_pick_busiest(l, NCPU, 1) == -1);	/* 3 < 2 + 2: not worth it */
	l[2].online = false;
	CHECK(sched_pick_busiest(l, NCPU, 3) == 1);
}

/*
 * The model: each CPU runs one thread and queues the rest; equal
 * priorities.  New threads are placed one by one, then every CPU pulls
 * until nobody wants to: N threads on N CPUs end one per CPU, and 2N two
 * per CPU, whatever the start.
 */
static void
place(struct sched_load *l, unsigned int cpu, int prio)
{
	if (l[cpu].running < 0) {
		l[cpu].running = prio;
	} else {
		l[cpu].queued++;
		l[cpu].top_queued = prio;
	}
}

static void
take(struct sched_load *l, unsigned int cpu)
{
	if (--l[cpu].queued == 0)
		l[cpu].top_queued = -1;
}

static void
settle(struct sched_load *l, unsigned int ncpus)
{
	for (int round = 0; round < 100; round++) {
		bool moved = false;

		for (unsigned int c = 0; c < ncpus; c++) {
			int from = sched_pick_busiest(l, ncpus, c);

			if (from >= 0) {
				take(l, (unsigned int)from);
				place(l, c, 5);
				moved = true;
			}
		}
		if (!moved)
			return;
	}
	CHECK(!"balancing did not settle");
}

HOST_TEST(model_spreads_busy_threads)
{
	for (unsigned int n = 1; n <= 2 * NCPU; n++) {
		struct sched_load l[NCPU] = { IDLE, IDLE, IDLE, IDLE };
		unsigned int per_cpu_max = (n + NCPU - 1) / NCPU;

		/* Placement alone: creator on CPU0 every time. */
		for (unsigned int i = 0; i < n; i++)
			place(l, sched_pick_cpu(l, NCPU, 0xf, 5, 0, 0), 5);
		for (unsigned int c = 0; c < NCPU; c++)
			CHECK(l[c].queued + (l[c].running >= 0) <= per_cpu_max);

		/* All piled on CPU0 (say, pinned and then set free): pulls spread them. */
		memset(l, 0, sizeof(l));
		for (unsigned int c = 0; c < NCPU; c++)
			l[c] = (struct sched_load)IDLE;
		for (unsigned int i = 0; i < n; i++)
			place(l, 0, 5);
		settle(l, NCPU);
		for (unsigned int c = 0; c < NCPU; c++) {
			unsigned int load = l[c].queued + (l[c].running >= 0);

			CHECK(load <= per_cpu_max);
			CHECK(load + 1 >= n / NCPU);	/* nobody starved of work */
		}
	}
}
