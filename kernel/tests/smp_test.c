/*
 * SMP in the core, on every CPU QEMU gives (the -smp variants pass
 * ktest.cpus=N): bring-up, threads on every CPU, placement and balancing,
 * affinity and migration, IPIs and cross calls, remote wake-up, and
 * stress of the allocators, wait queues, mutexes, semaphores and timers
 * from all CPUs at once with exact counts afterwards.  On one CPU the
 * tests that need two skip.
 */
#include <string.h>
#include <arch/cpu.h>
#include <kernel/atomic.h>
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/irq.h>
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/slab.h>
#include <kernel/smp.h>
#include <kernel/sync.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <kernel/trap.h>
#include <kernel/vm.h>

#define PRIO		THREAD_PRIO_DEFAULT
#define TICK_NS		(NSEC_PER_SEC / CONFIG_HZ)

#define NEED_CPUS(n) do {						\
	if (nr_cpus_online() < (n))					\
		KTEST_SKIP("needs " #n " CPUs");			\
} while (0)

/* The CPU the caller runs on now (it may move right after). */
static unsigned int
where(void)
{
	unsigned long flags = arch_irq_save();
	unsigned int cpu = cpu_id();

	arch_irq_restore(flags);
	return cpu;
}

/* Start n threads running fn(&arg[i]) pinned to CPU i % cpus: join them all. */
static void
run_on_each(unsigned int n, void (*fn)(void *), void *args, size_t arg_size, int prio)
{
	struct thread *t[2 * NR_CPUS];
	unsigned int ncpus = nr_cpus_online();

	for (unsigned int i = 0; i < n && i < ARRAY_SIZE(t); i++) {
		t[i] = thread_create_on("smp-test", fn, (char *)args + i * arg_size, prio, 0,
					cpumask_of(i % ncpus));
		if (!t[i]) {
			ktest_fail(__FILE__, __LINE__, "cannot create thread %u", i);
			n = i;
			break;
		}
	}
	for (unsigned int i = 0; i < n && i < ARRAY_SIZE(t); i++)
		thread_join(t[i]);
}

/* ------------------------------------------------------------ bring-up */

KTEST(smp, all_cpus_online)
{
	uint64_t want;

	if (cmdline_u64("ktest.cpus", &want) < 0)
		KTEST_SKIP("no ktest.cpus= on the command line");
	KEXPECT_EQ(nr_cpus_online(), want);
	KEXPECT_EQ(nr_cpus_described, want);
	for (unsigned int c = 0; c < nr_cpus_online(); c++) {
		KEXPECT(cpus[c].online);
		KEXPECT(cpus[c].self == &cpus[c]);
		KEXPECT_EQ(cpus[c].id, c);
		for (unsigned int d = 0; d < c; d++)
			KEXPECT(cpus[c].hwid != cpus[d].hwid);
	}
}

struct ran_on {
	unsigned int cpu;		/* where it was pinned */
	unsigned int seen;		/* where it found itself */
	uint64_t slept;
};

static void
note_cpu(void *arg)
{
	struct ran_on *r = arg;
	uint64_t t0 = time_ns();

	r->seen = where();
	/* A sleep ends by this CPU's own tick running its timer queue. */
	thread_sleep_ns(2 * TICK_NS);
	r->slept = time_ns() - t0;
}

KTEST(smp, every_cpu_runs_threads)
{
	struct ran_on r[NR_CPUS];
	unsigned int n = nr_cpus_online();

	for (unsigned int c = 0; c < n; c++)
		r[c] = (struct ran_on){ .cpu = c, .seen = ~0u };
	run_on_each(n, note_cpu, r, sizeof(r[0]), PRIO);
	for (unsigned int c = 0; c < n; c++) {
		KEXPECT_EQ(r[c].seen, c);
		KEXPECT_OP(r[c].slept, >=, 2 * TICK_NS);	/* woke, and not early */
	}
}

/* ----------------------------------------------------- placement, balance */

static volatile bool spin_stop;

static void
spin_on(void *arg)
{
	volatile unsigned int *cpu = arg;

	while (!spin_stop)
		*cpu = where();
}

/*
 * N busy threads on N CPUs, created from one CPU without affinity, end up
 * one per CPU: placement sends each to an idle CPU.  Then they are all
 * pinned to CPU 0 and set free again: balancing spreads them back.
 */
KTEST(smp, busy_threads_spread)
{
	static volatile unsigned int on[NR_CPUS];
	struct thread *t[NR_CPUS];
	unsigned int n = nr_cpus_online();
	uint64_t end;
	cpumask_t seen;

	NEED_CPUS(2);
	spin_stop = false;
	for (unsigned int i = 0; i < n; i++) {
		on[i] = ~0u;
		t[i] = thread_create("spinner", spin_on, (void *)&on[i], PRIO - 1, 0);
		KASSERT(t[i] != NULL);
	}
	end = ktest_deadline(50 * TICK_NS);
	do {
		thread_sleep_ns(TICK_NS);
		seen = 0;
		for (unsigned int i = 0; i < n; i++)
			if (on[i] < NR_CPUS)
				seen |= cpumask_of(on[i]);
	} while (cpumask_weight(seen) < n && time_ns() < end);
	KEXPECT_EQ(cpumask_weight(seen), n);

	for (unsigned int i = 0; i < n; i++)
		KEXPECT_EQ(thread_set_affinity(t[i], cpumask_of(0)), 0);
	thread_sleep_ns(2 * TICK_NS);
	for (unsigned int i = 0; i < n; i++)
		KEXPECT_EQ(thread_set_affinity(t[i], CPUMASK_ALL), 0);
	end = ktest_deadline(100 * TICK_NS);
	do {
		thread_sleep_ns(TICK_NS);
		seen = 0;
		for (unsigned int i = 0; i < n; i++)
			seen |= cpumask_of(on[i]);
	} while (cpumask_weight(seen) < n && time_ns() < end);
	KEXPECT_EQ(cpumask_weight(seen), n);
	spin_stop = true;
	for (unsigned int i = 0; i < n; i++)
		thread_join(t[i]);
}

/* ---------------------------------------------------- affinity, migration */

KTEST(smp, affinity_moves_the_caller)
{
	unsigned int n = nr_cpus_online();

	NEED_CPUS(2);
	for (unsigned int round = 0; round < 3; round++)
		for (unsigned int c = n; c-- > 0;) {
			KEXPECT_EQ(thread_set_affinity(thread_current(), cpumask_of(c)), 0);
			KEXPECT_EQ(where(), c);
			thread_yield();			/* and it stays there */
			KEXPECT_EQ(where(), c);
		}
	KEXPECT_EQ(thread_set_affinity(thread_current(), 0), -EINVAL);
	KEXPECT_EQ(thread_set_affinity(thread_current(), CPUMASK_ALL), 0);
}

static struct semaphore mig_sem;
static volatile unsigned int mig_woke_on;

static void
mig_sleeper(void *arg)
{
	sem_wait(&mig_sem, WAIT_FOREVER);
	mig_woke_on = where();
}

/* A blocked thread whose affinity changes wakes up on its new CPU. */
KTEST(smp, affinity_of_a_sleeping_thread)
{
	unsigned int last = nr_cpus_online() - 1;
	struct thread *t;

	NEED_CPUS(2);
	sem_init(&mig_sem, 0);
	mig_woke_on = ~0u;
	t = thread_create_on("sleeper", mig_sleeper, NULL, PRIO + 1, 0, cpumask_of(0));
	KASSERT(t != NULL);
	thread_sleep_ns(TICK_NS);		/* it blocks on CPU 0 */
	KEXPECT_EQ(thread_set_affinity(t, cpumask_of(last)), 0);
	sem_post(&mig_sem);
	thread_join(t);
	KEXPECT_EQ(mig_woke_on, last);
}

struct hopper {
	unsigned int hops;
	unsigned int misplaced;		/* ran where its affinity forbids */
};

static void
hop_around(void *arg)
{
	struct hopper *h = arg;
	unsigned int n = nr_cpus_online();

	for (unsigned int i = 0; i < 200; i++) {
		unsigned int want = (i * 7 + h->hops) % n;

		thread_set_affinity(thread_current(), cpumask_of(want));
		if (where() != want)
			h->misplaced++;
		h->hops++;
		if (i % 3 == 0)
			thread_yield();
	}
}

/*
 * Threads migrating themselves around while others do the same: each
 * always finds itself where it asked to be, and none is ever picked by
 * two CPUs at once (the scheduler panics if a picked thread is still
 * running elsewhere).
 */
KTEST(smp, migration_stress)
{
	struct hopper h[2 * NR_CPUS];
	unsigned int n = 2 * nr_cpus_online();

	NEED_CPUS(2);
	memset(h, 0, sizeof(h));
	run_on_each(n, hop_around, h, sizeof(h[0]), PRIO - 1);
	for (unsigned int i = 0; i < n; i++) {
		KEXPECT_EQ(h[i].hops, 200);
		KEXPECT_EQ(h[i].misplaced, 0);
	}
}

/* ------------------------------------------------------ IPIs, cross calls */

static volatile unsigned int call_hits[NR_CPUS];
static volatile unsigned int call_where[NR_CPUS];

static void
count_call(void *arg)
{
	unsigned int me = cpu_id();	/* interrupt context: it stays */

	atomic_fetch_add(&call_hits[me], 1);
	call_where[(uintptr_t)arg] = me;
}

KTEST(smp, call_on_each_cpu)
{
	unsigned int n = nr_cpus_online();
	/*
	 * Pinned: a move between reading where it runs and the call would
	 * make a remote call local (no IPI), as balancing may on a loaded host.
	 */
	unsigned int here = thread_pin();

	memset((void *)call_hits, 0, sizeof(call_hits));
	for (unsigned int c = 0; c < n; c++) {
		unsigned long before = smp_ipi_count(c, IPI_CALL);
		bool self = c == here;

		call_where[c] = ~0u;
		KEXPECT_EQ(smp_call_on(c, count_call, (void *)(uintptr_t)c, true), 0);
		KEXPECT_EQ(call_where[c], c);
		/*
		 * Another CPU is reached by an IPI (this one runs it directly).
		 * The IPI is always raised, but a CPU waiting on a call of its
		 * own serves the queue first, so it may be counted after the
		 * call returns: wait for it, to a deadline.
		 */
		if (!self) {
			uint64_t end = ktest_deadline(20 * TICK_NS);

			while (smp_ipi_count(c, IPI_CALL) == before && time_ns() < end)
				arch_cpu_relax();
			KEXPECT_OP(smp_ipi_count(c, IPI_CALL), >, before);
		}
	}
	KEXPECT_EQ(smp_call_on(NR_CPUS, count_call, NULL, true), -EINVAL);
	/* Every CPU at once, this one included: once each. */
	memset((void *)call_hits, 0, sizeof(call_hits));
	smp_call_mask(cpus_online(), count_call, (void *)0, true);
	for (unsigned int c = 0; c < n; c++)
		KEXPECT_EQ(call_hits[c], 1);
	thread_unpin();
}

static volatile unsigned int async_hits;

static void
count_async(void *arg)
{
	atomic_fetch_add(&async_hits, 1);
}

/* Without wait the caller goes on; the calls still happen, once each. */
KTEST(smp, call_without_waiting)
{
	unsigned int n = nr_cpus_online();
	uint64_t end;

	NEED_CPUS(2);
	async_hits = 0;
	for (int i = 0; i < 50; i++)
		smp_call_mask(cpus_others(), count_async, NULL, false);
	end = ktest_deadline(20 * TICK_NS);
	while (load_acquire(&async_hits) < 50 * (n - 1) && time_ns() < end)
		arch_cpu_relax();
	KEXPECT_EQ(async_hits, 50 * (n - 1));
}

#define CROSS_CALLS	40

struct caller {
	unsigned int calls;
};

static void
call_everyone(void *arg)
{
	struct caller *c = arg;

	for (int i = 0; i < CROSS_CALLS; i++) {
		/* Masked, as a TLB shootdown may be: the wait serves our queue. */
		unsigned long flags = arch_irq_save();

		smp_call_mask(cpus_online(), count_async, NULL, true);
		arch_irq_restore(flags);
		c->calls++;
	}
}

/* Every CPU calling every other at once, interrupts masked: no deadlock. */
KTEST(smp, cross_calls_from_all_cpus)
{
	struct caller c[NR_CPUS];
	unsigned int n = nr_cpus_online();

	NEED_CPUS(2);
	memset(c, 0, sizeof(c));
	async_hits = 0;
	run_on_each(n, call_everyone, c, sizeof(c[0]), PRIO + 1);
	for (unsigned int i = 0; i < n; i++)
		KEXPECT_EQ(c[i].calls, CROSS_CALLS);
	KEXPECT_EQ(async_hits, CROSS_CALLS * n * n);
}

/* ----------------------------------------------------------- wake-ups */

static struct semaphore remote_sem;
static volatile unsigned int remote_woke_on;
static volatile uint64_t remote_woke_at;

static volatile bool remote_waiting;

static void
remote_sleeper(void *arg)
{
	remote_waiting = true;
	sem_wait(&remote_sem, WAIT_FOREVER);
	remote_woke_at = time_ns();
	remote_woke_on = where();
}

/*
 * A thread blocked on CPU 1 woken from CPU 0 runs there at once: the
 * reschedule IPI preempts CPU 1's idle thread, no tick needed.
 */
KTEST(smp, remote_wakeup_by_ipi)
{
	struct thread *t;
	unsigned long ipis;
	uint64_t posted, end;

	NEED_CPUS(2);
	KASSERT(thread_set_affinity(thread_current(), cpumask_of(0)) == 0);
	sem_init(&remote_sem, 0);
	remote_woke_on = ~0u;
	remote_waiting = false;
	t = thread_create_on("remote", remote_sleeper, NULL, PRIO + 1, 0, cpumask_of(1));
	KASSERT(t != NULL);
	/* Until it is blocked and switched out on CPU 1 (however slow CPU 1 is). */
	end = ktest_deadline(20 * TICK_NS);
	while (!(remote_waiting && t->state == THREAD_BLOCKED && !load_acquire(&t->on_cpu)) &&
	       time_ns() < end)
		thread_sleep_ns(TICK_NS);
	KEXPECT(t->state == THREAD_BLOCKED);
	ipis = smp_ipi_count(1, IPI_RESCHEDULE);
	posted = time_ns();
	sem_post(&remote_sem);
	thread_join(t);
	KEXPECT_EQ(remote_woke_on, 1);
	KEXPECT_OP(smp_ipi_count(1, IPI_RESCHEDULE), >, ipis);
	if (ktest_strict_timing())
		KEXPECT_OP(remote_woke_at - posted, <, TICK_NS / 2);	/* not a tick */
	KEXPECT_EQ(thread_set_affinity(thread_current(), CPUMASK_ALL), 0);
}

/* ------------------------------------------------------ stress, exact */

/*
 * Enough rounds that CPUs overlap many times over, few enough that four
 * emulated CPUs on a two-core host finish in seconds.
 */
#define STRESS_ROUNDS	120

static struct mutex stress_mutex;
static unsigned long mutex_counter;		/* stress_mutex */
static struct spinlock stress_spin = SPINLOCK_INIT("ktest-stress-spin");
static unsigned long spin_counter;		/* stress_spin */

struct stresser {
	unsigned int id;
	unsigned long pages, objects;
	bool corrupt;
};

/* Pages and objects filled with our id, checked before they go back. */
static void
alloc_stress(void *arg)
{
	struct stresser *s = arg;
	void *page[8];
	void *obj[16];

	for (int r = 0; r < STRESS_ROUNDS / 3; r++) {
		for (int i = 0; i < 8; i++) {
			page[i] = page_alloc_addr(GFP_KERNEL, (unsigned int)(i % 3));
			if (page[i]) {
				memset(page[i], (int)s->id, PAGE_SIZE << (i % 3));
				s->pages++;
			}
		}
		for (int i = 0; i < 16; i++) {
			obj[i] = kmalloc(16u << (i % 8));
			if (obj[i]) {
				memset(obj[i], (int)s->id, 16u << (i % 8));
				s->objects++;
			}
		}
		for (int i = 0; i < 16; i++) {
			const unsigned char *b = obj[i];

			if (b && (b[0] != s->id || b[(16u << (i % 8)) - 1] != s->id))
				s->corrupt = true;
			kfree(obj[i]);
		}
		for (int i = 0; i < 8; i++) {
			const unsigned char *b = page[i];

			if (!b)
				continue;
			if (b[0] != s->id || b[(PAGE_SIZE << (i % 3)) - 1] != s->id)
				s->corrupt = true;
			page_free_addr(page[i], (unsigned int)(i % 3));
		}
	}
}

KTEST(smp, allocators_from_all_cpus)
{
	struct stresser s[2 * NR_CPUS];
	unsigned int n = 2 * nr_cpus_online();
	struct heap_stats h0, h1;
	struct mm_stats m0, m1;

	kmalloc_shrink();
	kstack_shrink();
	kmalloc_stats(&h0);
	mm_stats(&m0);
	memset(s, 0, sizeof(s));
	for (unsigned int i = 0; i < n; i++)
		s[i].id = 0x40 + i;
	run_on_each(n, alloc_stress, s, sizeof(s[0]), PRIO - 1);
	for (unsigned int i = 0; i < n; i++) {
		KEXPECT(!s[i].corrupt);
		KEXPECT_EQ(s[i].pages, 8UL * (STRESS_ROUNDS / 3));
		KEXPECT_EQ(s[i].objects, 16UL * (STRESS_ROUNDS / 3));
	}
	kmalloc_shrink();
	kstack_shrink();
	kmalloc_stats(&h1);
	mm_stats(&m1);
	KEXPECT_EQ(h1.allocations, h0.allocations);
	KEXPECT_EQ(h1.used, h0.used);
	KEXPECT_EQ(m1.free_pages, m0.free_pages);
}

static void
lock_stress(void *arg)
{
	for (int i = 0; i < STRESS_ROUNDS; i++) {
		unsigned long flags;

		mutex_lock(&stress_mutex);
		mutex_counter++;
		if (i % 16 == 0)
			thread_yield();		/* holding it: others block on it */
		mutex_unlock(&stress_mutex);
		flags = spin_lock_irqsave(&stress_spin);
		spin_counter++;
		spin_unlock_irqrestore(&stress_spin, flags);
	}
}

KTEST(smp, mutexes_and_spinlocks_count_exactly)
{
	unsigned int n = 2 * nr_cpus_online();
	char unused[2 * NR_CPUS];

	mutex_init(&stress_mutex, "ktest-stress-mutex");
	mutex_counter = spin_counter = 0;
	run_on_each(n, lock_stress, unused, 1, PRIO - 1);
	KEXPECT_EQ(mutex_counter, (unsigned long)n * STRESS_ROUNDS);
	KEXPECT_EQ(spin_counter, (unsigned long)n * STRESS_ROUNDS);
	KEXPECT(mutex_owner(&stress_mutex) == NULL);
}

/* A ring of semaphores: each thread waits on its own, posts the next. */
#define RING_MAX	(2 * NR_CPUS)

static struct semaphore ring[RING_MAX];
static unsigned int ring_size;
static volatile unsigned long ring_passes;

static void
ring_member(void *arg)
{
	unsigned int me = *(unsigned int *)arg;

	for (int i = 0; i < STRESS_ROUNDS / 3; i++) {
		KEXPECT_EQ(sem_wait(&ring[me], ktest_deadline(NSEC_PER_SEC) - time_ns()), 0);
		atomic_fetch_add(&ring_passes, 1);
		sem_post(&ring[(me + 1) % ring_size]);
	}
}

KTEST(smp, semaphore_ring_across_cpus)
{
	unsigned int ids[RING_MAX];

	ring_size = 2 * nr_cpus_online();
	ring_passes = 0;
	for (unsigned int i = 0; i < ring_size; i++) {
		ids[i] = i;
		sem_init(&ring[i], 0);
	}
	sem_post(&ring[0]);			/* the token */
	run_on_each(ring_size, ring_member, ids, sizeof(ids[0]), PRIO - 1);
	KEXPECT_EQ(ring_passes, (unsigned long)ring_size * (STRESS_ROUNDS / 3));
	KEXPECT(sem_trywait(&ring[0]));		/* the token came home */
}

/* Producers and consumers on all CPUs through a wait queue and a mutex. */
#define WQ_SLOTS	4

static struct spinlock wq_lock = SPINLOCK_INIT("ktest-wq");
static struct wait_queue wq_not_empty, wq_not_full;
static unsigned long wq_items[WQ_SLOTS];	/* wq_lock */
static unsigned int wq_in, wq_out;		/* wq_lock */
static volatile unsigned long wq_sum;

static void
wq_producer(void *arg)
{
	for (unsigned long v = 1; v <= STRESS_ROUNDS; v++) {
		unsigned long flags = spin_lock_irqsave(&wq_lock);

		while (wq_in - wq_out == WQ_SLOTS)
			wq_wait(&wq_not_full, &wq_lock, WAIT_FOREVER);
		wq_items[wq_in++ % WQ_SLOTS] = v;
		wq_wake_one(&wq_not_empty);
		spin_unlock_irqrestore(&wq_lock, flags);
	}
}

static void
wq_consumer(void *arg)
{
	for (int i = 0; i < STRESS_ROUNDS; i++) {
		unsigned long flags = spin_lock_irqsave(&wq_lock), v;

		while (wq_in == wq_out)
			wq_wait(&wq_not_empty, &wq_lock, WAIT_FOREVER);
		v = wq_items[wq_out++ % WQ_SLOTS];
		wq_wake_one(&wq_not_full);
		spin_unlock_irqrestore(&wq_lock, flags);
		atomic_fetch_add(&wq_sum, v);
	}
}

KTEST(smp, wait_queues_across_cpus)
{
	unsigned int n = nr_cpus_online() < 2 ? 2 : nr_cpus_online();
	struct thread *t[NR_CPUS < 2 ? 2 : NR_CPUS];

	wq_init(&wq_not_empty);
	wq_init(&wq_not_full);
	wq_in = wq_out = 0;
	wq_sum = 0;
	/* Half produce, half consume, on different CPUs. */
	for (unsigned int i = 0; i < n; i++) {
		t[i] = thread_create_on(i % 2 ? "consumer" : "producer",
					i % 2 ? wq_consumer : wq_producer, NULL, PRIO - 1, 0,
					cpumask_of(i % nr_cpus_online()));
		KASSERT(t[i] != NULL);
	}
	for (unsigned int i = 0; i < n; i++)
		thread_join(t[i]);
	KEXPECT_EQ(wq_sum, (unsigned long)(n / 2) * STRESS_ROUNDS * (STRESS_ROUNDS + 1) / 2);
	KEXPECT_EQ(wq_in, wq_out);
	KEXPECT(wq_empty(&wq_not_empty) && wq_empty(&wq_not_full));
}

/* Timers armed on every CPU, each firing exactly as often as armed, there. */
#define TIMERS_PER_THREAD	20

struct timer_user;

struct timer_slot {
	struct timer t;
	struct timer_user *u;
	volatile unsigned int fires;
	unsigned int want;
};

struct timer_user {
	struct timer_slot s[TIMERS_PER_THREAD];
	unsigned int cpu;
	volatile unsigned int elsewhere;
};

static void
timer_fired(struct timer *tm)
{
	struct timer_slot *slot = container_of(tm, struct timer_slot, t);

	if (cpu_id() != slot->u->cpu)
		atomic_fetch_add(&slot->u->elsewhere, 1);
	atomic_fetch_add(&slot->fires, 1);
}

static bool
all_fired(struct timer_user *u)
{
	for (unsigned int i = 0; i < TIMERS_PER_THREAD; i++)
		if (load_acquire(&u->s[i].fires) < u->s[i].want)
			return false;
	return true;
}

static void
timer_stress(void *arg)
{
	struct timer_user *u = arg;
	uint64_t base = time_ns() + TICK_NS, end;

	u->cpu = where();
	for (unsigned int i = 0; i < TIMERS_PER_THREAD; i++) {
		u->s[i].u = u;
		u->s[i].want = 1;
		timer_init(&u->s[i].t, timer_fired);
		timer_arm(&u->s[i].t, base + (i % 5) * TICK_NS);
	}
	/*
	 * Cancel every fourth and arm it again: it fires once more unless the
	 * cancel caught it first (a slow host may let it fire before).
	 */
	for (unsigned int i = 0; i < TIMERS_PER_THREAD; i += 4) {
		if (!timer_cancel_sync(&u->s[i].t))
			u->s[i].want++;
		timer_arm(&u->s[i].t, base + 2 * TICK_NS);
	}
	end = ktest_deadline(50 * TICK_NS);
	while (!all_fired(u) && time_ns() < end)
		thread_sleep_ns(TICK_NS);
	for (unsigned int i = 0; i < TIMERS_PER_THREAD; i++)
		timer_cancel_sync(&u->s[i].t);
}

KTEST(smp, timers_on_every_cpu)
{
	static struct timer_user u[NR_CPUS];
	unsigned int n = nr_cpus_online();

	memset(u, 0, sizeof(u));
	run_on_each(n, timer_stress, u, sizeof(u[0]), PRIO + 1);
	for (unsigned int c = 0; c < n; c++) {
		for (unsigned int i = 0; i < TIMERS_PER_THREAD; i++)
			KEXPECT_EQ(u[c].s[i].fires, u[c].s[i].want);
		KEXPECT_EQ(u[c].elsewhere, 0);	/* a timer fires where it was armed */
	}
}

/* --------------------------------------------------- cancel, race, traps */

static volatile bool slow_running, slow_done;

static void
slow_callback(struct timer *tm)
{
	uint64_t end = time_ns() + 5 * TICK_NS;

	slow_running = true;
	while (time_ns() < end)
		;			/* interrupt context, on CPU 1 */
	slow_done = true;
}

static void
arm_slow(void *arg)
{
	timer_arm(arg, time_ns());	/* due at once, on this CPU (1) */
}

/* timer_cancel_sync() on CPU 0 returns only after CPU 1's callback ended. */
KTEST(smp, cancel_waits_for_a_running_callback)
{
	static struct timer tm;
	uint64_t end;

	NEED_CPUS(2);
	KASSERT(thread_set_affinity(thread_current(), cpumask_of(0)) == 0);
	slow_running = slow_done = false;
	timer_init(&tm, slow_callback);
	KASSERT(smp_call_on(1, arm_slow, &tm, true) == 0);
	end = ktest_deadline(20 * TICK_NS);
	while (!slow_running && time_ns() < end)
		arch_cpu_relax();
	KASSERT(slow_running);
	KEXPECT(!timer_cancel_sync(&tm));	/* it had fired: nothing cancelled */
	KEXPECT(slow_done);			/* ...but it had finished */
	KEXPECT_EQ(thread_set_affinity(thread_current(), CPUMASK_ALL), 0);
}

#define IRQ_RACE_ROUNDS	200

static volatile unsigned int irq_winners, irq_racers_ready, irq_racers_done;
static volatile unsigned int irq_round_open, irq_bad_rounds;
static unsigned int race_irq;

static void
never_called(unsigned int irq, void *arg)
{
}

/*
 * Every round, all racers meet at a barrier and request the same line;
 * racer 0 then checks that exactly one won and frees the line for the next
 * round. One round alone rarely lands inside a check-then-set window.
 */
static void
race_request(void *arg)
{
	unsigned int me = *(unsigned int *)arg, n = nr_cpus_online();

	for (unsigned int r = 0; r < IRQ_RACE_ROUNDS; r++) {
		while (load_acquire(&irq_round_open) < r)
			arch_cpu_relax();
		atomic_fetch_add(&irq_racers_ready, 1);
		while (load_acquire(&irq_racers_ready) < n * (r + 1))
			arch_cpu_relax();
		if (irq_request(race_irq, never_called, NULL, "ktest-race") == 0)
			atomic_fetch_add(&irq_winners, 1);
		atomic_fetch_add(&irq_racers_done, 1);
		if (me != 0)
			continue;
		while (load_acquire(&irq_racers_done) < n * (r + 1))
			arch_cpu_relax();
		if (irq_winners != r + 1) {
			irq_bad_rounds++;
			irq_winners = r + 1;
		}
		irq_free(race_irq);
		store_release(&irq_round_open, r + 1);
	}
}

/* Review finding (h): every CPU requests one free line at once; one wins. */
KTEST(smp, irq_request_has_one_winner)
{
	struct irq_chip *root = irq_root_chip();
	unsigned int idx[NR_CPUS];

	NEED_CPUS(2);
	KASSERT(root != NULL && root->nr_irqs > 0);
	race_irq = irq_of(root, root->nr_irqs - 1);	/* nothing uses the last */
	irq_winners = irq_racers_ready = irq_racers_done = 0;
	irq_round_open = irq_bad_rounds = 0;
	for (unsigned int i = 0; i < NR_CPUS; i++)
		idx[i] = i;
	run_on_each(nr_cpus_online(), race_request, idx, sizeof(idx[0]), PRIO + 1);
	KEXPECT_EQ(irq_bad_rounds, 0);
	KEXPECT_EQ(irq_winners, IRQ_RACE_ROUNDS);
}

static struct {
	unsigned int irq;
	volatile bool in_handler, free_started, free_returned, returned_early, done;
	unsigned int arg_seen;
} hsync;

/* Runs on CPU 1: a handler still busy when CPU 0 frees its line. */
static void
busy_handler(unsigned int irq, void *arg)
{
	uint64_t end;

	hsync.arg_seen = *(unsigned int *)arg;
	store_release(&hsync.in_handler, true);
	end = time_ns() + 10 * NSEC_PER_SEC;	/* a failed test does not hang CPU 1 */
	while (!load_acquire(&hsync.free_started) && time_ns() < end)
		arch_cpu_relax();
	/* A window to catch irq_free() returning early (speed only narrows it). */
	end = time_ns() + 20 * NSEC_PER_MSEC;
	while (time_ns() < end)
		if (load_acquire(&hsync.free_returned))
			hsync.returned_early = true;
	store_release(&hsync.done, true);
}

/* In interrupt context on CPU 1 (a cross call): the line's dispatch, as its vector would. */
static void
dispatch_there(void *arg)
{
	struct irq_chip *root = irq_root_chip();

	irq_dispatch(root, hsync.irq - root->base);
}

/* irq_free() returns only after a handler running on another CPU has finished. */
KTEST(smp, irq_free_waits_for_running_handler)
{
	struct irq_chip *root = irq_root_chip();
	static unsigned int cookie = 0x5eed;
	uint64_t end;

	NEED_CPUS(2);
	KASSERT(root != NULL && root->nr_irqs > 0);
	/* On CPU 0: a cross call to this CPU would run the handler right here. */
	KASSERT(thread_set_affinity(thread_current(), cpumask_of(0)) == 0);
	memset((void *)&hsync, 0, sizeof(hsync));
	hsync.irq = irq_of(root, root->nr_irqs - 1);	/* nothing uses the last */
	KASSERT(irq_request(hsync.irq, busy_handler, &cookie, "ktest-sync") == 0);
	irq_mask(hsync.irq);			/* only the cross call dispatches it */
	KASSERT(smp_call_on(1, dispatch_there, NULL, false) == 0);
	end = ktest_deadline(20 * TICK_NS);
	while (!load_acquire(&hsync.in_handler) && time_ns() < end)
		arch_cpu_relax();
	KASSERT(hsync.in_handler);
	store_release(&hsync.free_started, true);
	irq_free(hsync.irq);
	store_release(&hsync.free_returned, true);
	KEXPECT(load_acquire(&hsync.done));	/* the handler had finished */
	KEXPECT(!hsync.returned_early);
	KEXPECT_EQ(hsync.arg_seen, 0x5eed);
	/* The entry is free again: the line can be requested anew. */
	KEXPECT_EQ(irq_request(hsync.irq, busy_handler, &cookie, "ktest-sync"), 0);
	irq_free(hsync.irq);
	KEXPECT_EQ(thread_set_affinity(thread_current(), CPUMASK_ALL), 0);
}

struct trapper {
	bool seen;
	enum trap_kind kind;
};

static void
expect_own_trap(void *arg)
{
	struct trapper *t = arg;
	struct trap_report r;

	for (int i = 0; i < 5; i++) {
		trap_expect(TRAP_UNDEFINED);
		thread_yield();			/* others arm theirs meanwhile */
		arch_trigger_undefined();
		t->seen = trap_expect_end(&r);
		if (!t->seen)
			return;
		t->kind = r.kind;
	}
}

/* Expectations are per thread: threads on all CPUs expect traps at once. */
KTEST(smp, trap_expectations_per_thread)
{
	struct trapper t[NR_CPUS];
	unsigned int n = nr_cpus_online();

	memset(t, 0, sizeof(t));
	run_on_each(n, expect_own_trap, t, sizeof(t[0]), PRIO);
	for (unsigned int i = 0; i < n; i++) {
		KEXPECT(t[i].seen);
		KEXPECT_EQ(t[i].kind, TRAP_UNDEFINED);
	}
}

/* ------------------------------------------- review races, on all CPUs */

#define PI_MUTEXES	3

static struct mutex pi_m[PI_MUTEXES];
static volatile bool pi_stop;
static volatile unsigned long pi_locked;
static struct spinlock victims_lock = SPINLOCK_INIT("ktest-victims");

static void
pi_locker(void *arg)
{
	unsigned int id = *(unsigned int *)arg;

	for (int i = 0; i < STRESS_ROUNDS; i++) {
		/* Nested in one order (no deadlock), chains for inheritance to walk. */
		for (unsigned int m = id % PI_MUTEXES; m < PI_MUTEXES; m++)
			mutex_lock(&pi_m[m]);
		atomic_fetch_add(&pi_locked, 1);
		if (i % 8 == 0)
			thread_yield();
		for (unsigned int m = PI_MUTEXES; m-- > id % PI_MUTEXES;)
			mutex_unlock(&pi_m[m]);
	}
}

/*
 * Below every locker (so it starves none of them), changing their
 * priorities between PRIO - 1 and PRIO + 1 whenever a CPU has time.
 */
static void
pi_changer(void *arg)
{
	struct thread **victims = arg;
	unsigned int n = 0;

	while (!pi_stop) {
		spin_lock(&victims_lock);	/* the joiner does not free it meanwhile */
		if (victims[n % (2 * NR_CPUS)])
			thread_set_priority(victims[n % (2 * NR_CPUS)], PRIO - 1 + (int)(n % 3));
		spin_unlock(&victims_lock);
		n++;
	}
}

/*
 * Review finding (d): priority changes walked the owned-mutex list while
 * its owner could unlock.  Lockers on every CPU take chains of mutexes
 * while another thread keeps changing their priorities: counts exact,
 * every mutex free, every priority back where it was set.
 */
KTEST(smp, priority_changes_race_mutexes)
{
	static struct thread *lockers[2 * NR_CPUS];
	unsigned int ids[2 * NR_CPUS], n = 2 * nr_cpus_online();
	struct thread *changer;

	static const char *const names[PI_MUTEXES] = {
		"ktest-pi-race-0", "ktest-pi-race-1", "ktest-pi-race-2",
	};

	for (unsigned int m = 0; m < PI_MUTEXES; m++)
		mutex_init(&pi_m[m], names[m]);	/* classes of their own: nested */
	memset(lockers, 0, sizeof(lockers));
	pi_stop = false;
	pi_locked = 0;
	changer = thread_create("pi-changer", pi_changer, lockers, PRIO - 2, 0);
	KASSERT(changer != NULL);
	for (unsigned int i = 0; i < n; i++) {
		ids[i] = i;
		lockers[i] = thread_create_on("pi-locker", pi_locker, &ids[i], PRIO - 1, 0,
					      cpumask_of(i % nr_cpus_online()));
		KASSERT(lockers[i] != NULL);
	}
	for (unsigned int i = 0; i < n; i++) {
		struct thread *t = lockers[i];

		spin_lock(&victims_lock);
		lockers[i] = NULL;		/* the changer lets go of it first */
		spin_unlock(&victims_lock);
		thread_join(t);
	}
	pi_stop = true;
	thread_join(changer);
	KEXPECT_EQ(pi_locked, (unsigned long)n * STRESS_ROUNDS);
	for (unsigned int m = 0; m < PI_MUTEXES; m++)
		KEXPECT(mutex_owner(&pi_m[m]) == NULL);
	KEXPECT_EQ(thread_current()->prio, PRIO);
}

static volatile bool shrink_stop;

static void
shrinker(void *arg)
{
	while (!shrink_stop)
		kmalloc_shrink();
}

static void
cache_churn(void *arg)
{
	for (int i = 0; i < STRESS_ROUNDS / 4; i++) {
		struct kmem_cache *c = kmem_cache_create("ktest-churn", 48 + i % 5 * 16, 0);
		void *o;

		if (!c)
			continue;
		o = kmem_cache_alloc(c);
		kmem_cache_free(c, o);
		kmem_cache_destroy(c);
	}
}

/*
 * Review finding (g): kmalloc_shrink() walked the list of caches while
 * others created and destroyed caches.  Shrinkers and churners on all
 * CPUs: the heap is back to its figures afterwards.
 */
KTEST(smp, caches_come_and_go_while_shrinking)
{
	unsigned int cpus_n = nr_cpus_online();
	struct thread *s[NR_CPUS], *c[NR_CPUS];
	struct heap_stats h0, h1;

	kmalloc_shrink();
	kstack_shrink();
	kmalloc_stats(&h0);
	shrink_stop = false;
	for (unsigned int i = 0; i < cpus_n; i++) {
		s[i] = thread_create_on("shrinker", shrinker, NULL, PRIO - 2, 0, cpumask_of(i));
		c[i] = thread_create_on("churner", cache_churn, NULL, PRIO - 1, 0, cpumask_of(i));
		KASSERT(s[i] && c[i]);
	}
	for (unsigned int i = 0; i < cpus_n; i++)
		thread_join(c[i]);
	shrink_stop = true;
	for (unsigned int i = 0; i < cpus_n; i++)
		thread_join(s[i]);
	kmalloc_shrink();
	kstack_shrink();
	kmalloc_stats(&h1);
	KEXPECT_EQ(h1.allocations, h0.allocations);
	KEXPECT_EQ(h1.used, h0.used);
}
