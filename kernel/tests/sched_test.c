/*
 * The scheduler and its synchronisation on the real machine: round-robin
 * fairness, strict priority preemption, sleep accuracy, priority
 * inheritance, producer/consumer, and create/exit stress with memory
 * returned.  The test runner itself is thread "main" at the default
 * priority.
 */
#include <string.h>
#include <arch/cpu.h>
#include <kernel/atomic.h>
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <kernel/printk.h>
#include <kernel/slab.h>
#include <kernel/sync.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#ifdef CONFIG_PAGING
#include <kernel/vm.h>		/* kstack_shrink */
#endif

#define TICK_NS		(NSEC_PER_SEC / CONFIG_HZ)
#define PRIO		THREAD_PRIO_DEFAULT

/* ---- round robin ---- */

static volatile bool rr_stop;
static volatile unsigned long rr_count[3];

static void
rr_worker(void *arg)
{
	volatile unsigned long *c = arg;

	while (!rr_stop)
		(*c)++;
}

/*
 * Three equal threads share one CPU for at least ten slices each.  The
 * verdict counts slices granted, which no host stall can skew (a late
 * tick makes a slice longer, not one thread's share bigger); the work
 * done per thread is compared only in virtual time.  (A host-time bound
 * on the work, max <= 2 * min, once failed under load.)
 */
KTEST(sched, round_robin_is_fair)
{
	struct thread *t[3];
	unsigned long min = ~0UL, max = 0, smin = ~0UL, smax = 0;
	unsigned int cpu = thread_pin();
	uint64_t end = ktest_deadline(200 * TICK_NS);

	rr_stop = false;
	for (int i = 0; i < 3; i++) {
		rr_count[i] = 0;
		t[i] = thread_create_on("rr", rr_worker, (void *)&rr_count[i], PRIO - 1, 0,
					cpumask_of(cpu));
		KASSERT(t[i] != NULL);
	}
	/* Sleeping lets the three (below us) share the CPU. */
	do {
		thread_sleep_ms(CONFIG_TIMESLICE_MS);
		smin = ~0UL;
		for (int i = 0; i < 3; i++)
			smin = MIN(smin, READ_ONCE(t[i]->nr_slices));
	} while (smin < 10 && time_ns() < end);
	rr_stop = true;
	for (int i = 0; i < 3; i++) {
		smin = MIN(smin, t[i]->nr_slices);
		smax = MAX(smax, t[i]->nr_slices);
	}
	for (int i = 0; i < 3; i++) {
		min = MIN(min, rr_count[i]);
		max = MAX(max, rr_count[i]);
		thread_join(t[i]);
	}
	thread_unpin();
	KEXPECT_OP(smin, >=, 10);
	/* Turns in order: nobody is more than one slice ahead. */
	KEXPECT_OP(smax, <=, smin + 1);
	KEXPECT(min > 0);
	if (ktest_strict_timing())
		KEXPECT_OP(max, <=, min + min / 4);	/* equal slices, equal work */
}

/* ---- strict preemption ---- */

static volatile int order[4];
static volatile int order_n;

static void
record(void *arg)
{
	order[order_n++] = (int)(uintptr_t)arg;
}

/* On one CPU (others would run the lower thread at once): pinned. */
KTEST(sched, higher_priority_runs_at_once)
{
	cpumask_t here = cpumask_of(thread_pin());
	struct thread *hi, *lo;

	order_n = 0;
	lo = thread_create_on("lo", record, (void *)1, PRIO - 1, 0, here);
	KASSERT(lo != NULL);
	KEXPECT_EQ(order_n, 0);		/* lower: waits for us to block */
	hi = thread_create_on("hi", record, (void *)2, PRIO + 1, 0, here);
	KASSERT(hi != NULL);
	KEXPECT_EQ(order_n, 1);		/* higher: ran before create returned */
	KEXPECT_EQ(order[0], 2);
	thread_join(hi);
	thread_join(lo);		/* blocks us: now lo runs */
	KEXPECT_EQ(order_n, 2);
	KEXPECT_EQ(order[1], 1);
	thread_unpin();
}

/*
 * Wake-ups while main holds preemption off: when it lets go the best
 * runs first, equals in the order they woke, all before main goes on;
 * and a woken thread lowered below main meanwhile waits until main
 * blocks.  (On one CPU the first wake-up above everything waits beside
 * the queues, in rq->next_up; a better one displaces it to its list, and
 * the switch checks that the one waiting there is still the best.)
 */
static struct semaphore order_sem[3];

static void
record_when_posted(void *arg)
{
	uintptr_t id = (uintptr_t)arg;

	sem_wait(&order_sem[id - 1], WAIT_FOREVER);
	order[order_n++] = (int)id;
}

KTEST(sched, wakeups_held_off_run_best_first)
{
	cpumask_t here = cpumask_of(thread_pin());
	static const int prio[3] = { PRIO + 1, PRIO + 2, PRIO + 2 };
	struct thread *t[3];

	order_n = 0;
	for (uintptr_t i = 0; i < 3; i++) {
		sem_init(&order_sem[i], 0);
		t[i] = thread_create_on("wake-order", record_when_posted, (void *)(i + 1),
					prio[i], 0, here);
		KASSERT(t[i] != NULL);	/* above main: ran, blocked */
	}
	unsigned long slices2 = t[1]->nr_slices;

	preempt_disable();
	for (int i = 0; i < 3; i++)
		sem_post(&order_sem[i]);	/* 1 above main, 2 above 1, 3 equal to 2 */
	KEXPECT_EQ(order_n, 0);
	preempt_enable();
	KEXPECT_EQ(order_n, 3);			/* all ran before main went on */
	/*
	 * A tick in 2's few instructions (one is a whole slice here; a host
	 * stall makes it likely) may end its turn while its equal 3 waits:
	 * 3 then rightly runs next, and 2 is granted a new slice later.
	 */
	if (t[1]->nr_slices == slices2) {
		KEXPECT_EQ(order[0], 2);
		KEXPECT_EQ(order[1], 3);
	} else {
		KEXPECT_EQ(order[0] + order[1], 2 + 3);
		KEXPECT_OP(order[0], !=, order[1]);
	}
	KEXPECT_EQ(order[2], 1);
	for (int i = 0; i < 3; i++)
		thread_join(t[i]);

	order_n = 0;
	sem_init(&order_sem[0], 0);
	t[0] = thread_create_on("wake-lowered", record_when_posted, (void *)1, PRIO + 1, 0, here);
	KASSERT(t[0] != NULL);
	preempt_disable();
	sem_post(&order_sem[0]);
	thread_set_priority(t[0], PRIO - 1);	/* below main before it could run */
	preempt_enable();
	KEXPECT_EQ(order_n, 0);
	thread_join(t[0]);			/* main blocks: now it runs */
	KEXPECT_EQ(order_n, 1);
	thread_unpin();
}

static volatile bool woke_flag;
static volatile uint64_t woke_at;
static struct semaphore irq_sem;

static void
waiter(void *arg)
{
	sem_wait(&irq_sem, WAIT_FOREVER);
	woke_at = time_ns();
	woke_flag = true;
}

static void
post_from_timer(struct timer *t)
{
	sem_post(&irq_sem);		/* interrupt context */
}

KTEST(sched, wakeup_from_interrupt_preempts)
{
	static struct timer tm;
	cpumask_t here = cpumask_of(thread_pin());
	struct thread *t;
	uint64_t due, end;

	sem_init(&irq_sem, 0);
	woke_flag = false;
	t = thread_create_on("waiter", waiter, NULL, PRIO + 2, 0, here);
	KASSERT(t != NULL);		/* it ran and blocked on the semaphore */
	timer_init(&tm, post_from_timer);
	due = time_ns() + 3 * TICK_NS;
	timer_arm(&tm, due);		/* on this CPU, like the waiter */
	/* Busy, never yielding: only preemption at interrupt return helps. */
	end = ktest_deadline(20 * TICK_NS) + 3 * TICK_NS;
	while (!woke_flag && time_ns() < end)
		;
	KEXPECT(woke_flag);		/* before we stopped spinning: preempted */
	KEXPECT_OP(woke_at, >=, due);
	if (ktest_strict_timing())
		KEXPECT_OP(woke_at, <, due + 2 * TICK_NS);
	thread_join(t);
	thread_unpin();
}

/* ---- sleeping ---- */

KTEST(sched, sleep_accuracy)
{
	for (unsigned int ms = 1; ms <= 50; ms *= 7) {
		uint64_t t0 = time_ns(), slept;

		thread_sleep_ms(ms);
		slept = time_ns() - t0;
		/*
		 * Never early; in virtual time late by at most a tick (plus a
		 * little slack).  On host time any lateness is the host's.
		 */
		KEXPECT_OP(slept, >=, ms * NSEC_PER_MSEC);
		if (ktest_strict_timing())
			KEXPECT_OP(slept, <=, ms * NSEC_PER_MSEC + TICK_NS + TICK_NS / 4);
	}
}

/*
 * ---- priority inheritance: the classic three-thread inversion ----
 * low takes the lock and waits for a signal from a timer; high blocks on
 * the lock; medium hogs the CPU.  With inheritance low runs at high's
 * priority as soon as it is signalled, so medium cannot keep it (and with
 * it high) off the CPU.  Without, medium spins until its deadline.
 */
static struct mutex pi_lock;
static struct semaphore pi_go;
static volatile bool pi_done, pi_medium_timed_out;
static volatile int pi_low_prio_inside;

static void
pi_low(void *arg)
{
	mutex_lock(&pi_lock);
	sem_wait(&pi_go, WAIT_FOREVER);	/* sleeps holding the mutex */
	pi_low_prio_inside = thread_current()->prio;
	mutex_unlock(&pi_lock);
}

static void
pi_medium(void *arg)
{
	uint64_t deadline = ktest_deadline(50 * TICK_NS);

	while (!pi_done)
		if (time_ns() > deadline) {
			pi_medium_timed_out = true;
			break;
		}
}

static void
pi_high(void *arg)
{
	mutex_lock(&pi_lock);
	pi_done = true;
	mutex_unlock(&pi_lock);
}

static void
pi_signal(struct timer *t)
{
	sem_post(&pi_go);
}

/* On one CPU: medium must be able to starve low, as it would there. */
KTEST(sync, priority_inheritance)
{
	static struct timer tm;
	cpumask_t here = cpumask_of(thread_pin());
	struct thread *low, *med, *high;

	mutex_init(&pi_lock, "ktest-pi");
	sem_init(&pi_go, 0);
	pi_done = pi_medium_timed_out = false;
	pi_low_prio_inside = -1;
	low = thread_create_on("pi-low", pi_low, NULL, PRIO + 1, 0, here);
	KASSERT(low != NULL);
	KEXPECT(mutex_owner(&pi_lock) == low);	/* it outranked us and took the lock */
	thread_set_priority(thread_current(), THREAD_PRIO_MAX);	/* PRIO + 3 may be the top */
	med = thread_create_on("pi-med", pi_medium, NULL, PRIO + 2, 0, here);
	high = thread_create_on("pi-high", pi_high, NULL, PRIO + 3, 0, here);
	KASSERT(med && high);
	timer_init(&tm, pi_signal);
	timer_arm(&tm, time_ns() + 2 * TICK_NS);
	thread_set_priority(thread_current(), PRIO);	/* let them go */
	thread_join(high);
	thread_join(med);
	thread_join(low);
	thread_unpin();
	KEXPECT(pi_done);
	KEXPECT(!pi_medium_timed_out);
	KEXPECT_EQ(pi_low_prio_inside, PRIO + 3);	/* low ran at high's priority */
	KEXPECT(mutex_owner(&pi_lock) == NULL);
}

KTEST(sync, mutex_timeout_and_trylock)
{
	struct mutex m;

	mutex_init(&m, "ktest-m");
	KEXPECT(mutex_trylock(&m));
	mutex_unlock(&m);
	mutex_lock(&m);
	KEXPECT(mutex_owner(&m) == thread_current());
	mutex_unlock(&m);
	KEXPECT(mutex_owner(&m) == NULL);
}

/* ---- producer / consumer ---- */

#define PC_ITEMS	200
#define PC_SLOTS	4

static struct semaphore pc_free, pc_full;
static struct mutex pc_lock;
static int pc_ring[PC_SLOTS];
static unsigned int pc_in, pc_out;
static unsigned long pc_sum;		/* pc_lock */

static void
producer(void *arg)
{
	for (int i = 1; i <= PC_ITEMS; i++) {
		sem_wait(&pc_free, WAIT_FOREVER);
		mutex_lock(&pc_lock);
		pc_ring[pc_in++ % PC_SLOTS] = i;
		mutex_unlock(&pc_lock);
		sem_post(&pc_full);
	}
}

static void
consumer(void *arg)
{
	for (int i = 0; i < PC_ITEMS; i++) {
		int v;

		sem_wait(&pc_full, WAIT_FOREVER);
		mutex_lock(&pc_lock);
		v = pc_ring[pc_out++ % PC_SLOTS];
		pc_sum += (unsigned long)v;	/* two consumers: under the lock */
		mutex_unlock(&pc_lock);
		sem_post(&pc_free);
	}
}

KTEST(sync, producer_consumer)
{
	struct thread *p[2], *c[2];

	sem_init(&pc_free, PC_SLOTS);
	sem_init(&pc_full, 0);
	mutex_init(&pc_lock, "ktest-pc");
	pc_in = pc_out = 0;
	pc_sum = 0;
	for (int i = 0; i < 2; i++) {
		c[i] = thread_create("consumer", consumer, NULL, PRIO - 1 - i, 0);
		p[i] = thread_create("producer", producer, NULL, PRIO - 1 + i, 0);
		KASSERT(c[i] && p[i]);
	}
	for (int i = 0; i < 2; i++) {
		thread_join(p[i]);
		thread_join(c[i]);
	}
	KEXPECT_EQ(pc_sum, 2UL * PC_ITEMS * (PC_ITEMS + 1) / 2);
	KEXPECT_EQ(pc_in, 2 * PC_ITEMS);
	KEXPECT(!sem_trywait(&pc_full));
}

KTEST(sync, semaphore_timeout)
{
	struct semaphore s;
	uint64_t t0 = time_ns();

	sem_init(&s, 0);
	KEXPECT_EQ(sem_wait(&s, 3 * TICK_NS), -ETIMEDOUT);
	KEXPECT_OP(time_ns() - t0, >=, 3 * TICK_NS);
	sem_post(&s);
	KEXPECT_EQ(sem_wait(&s, 0), 0);
}

KTEST(sync, message_queue)
{
	static uint32_t buf[3];
	struct msgq q;
	uint32_t v;

	KASSERT(msgq_init(&q, buf, sizeof(uint32_t), 3) == 0);
	for (uint32_t i = 0; i < 3; i++)
		KEXPECT_EQ(msgq_send_nowait(&q, &i), 0);
	v = 9;
	KEXPECT_EQ(msgq_send_nowait(&q, &v), -EAGAIN);
	for (uint32_t i = 0; i < 3; i++) {
		KEXPECT_EQ(msgq_recv(&q, &v, 0), 0);
		KEXPECT_EQ(v, i);
	}
	KEXPECT_EQ(msgq_recv(&q, &v, TICK_NS), -ETIMEDOUT);
}

/* ---- many threads ---- */

static volatile unsigned int stress_ran;

static void
stress_body(void *arg)
{
	/* Other CPUs, and equals preempting at the tick, count too. */
	atomic_fetch_add(&stress_ran, 1);
	if ((uintptr_t)arg & 1)
		thread_yield();
	thread_exit((int)(uintptr_t)arg);
}

/*
 * 100 threads created and joined per round, three rounds, every byte
 * returned.  The MMU ports hold all 100 at once.  The RTOS profile's heap
 * cannot (a few KiB on the 16 KiB micro:bit, and a thread costs its stack
 * plus struct thread), so there they live in waves of as many as half the
 * free heap holds: still 100 creations and exits per round.
 */
static unsigned int
stress_wave(const struct heap_stats *free_heap, unsigned int n)
{
#ifdef CONFIG_MMU
	return n;
#else
	size_t cost = sizeof(struct thread) + CONFIG_THREAD_STACK_SIZE + 16;
	size_t fit = free_heap->largest_free / 2 / cost;

	return fit < 1 ? 1 : fit > n ? n : (unsigned int)fit;
#endif
}

KTEST(sched, create_exit_stress)
{
	enum { N = 100 };
	static struct thread *t[N];
	struct heap_stats before, after;
	unsigned int threads_before = thread_count(), wave, created = 0;
	bool failed = false;

	kmalloc_shrink();
#ifdef CONFIG_PAGING
	kstack_shrink();
#endif
	kmalloc_stats(&before);
	wave = stress_wave(&before, N);
	printk(KERN_RAW "# %u threads at a time\n", wave);
	stress_ran = 0;
	for (int round = 0; round < 3 && !failed; round++) {
		for (int base = 0; base < N && !failed; base += wave) {
			int end = MIN(base + (int)wave, N), i;

			for (i = base; i < end; i++) {
				t[i] = thread_create("stress", stress_body, (void *)(uintptr_t)i,
						     PRIO - 1 - (i % 3), 0);
				if (!t[i])
					break;
				created++;
			}
			failed = i < end;
			KEXPECT_EQ(thread_count(), threads_before + (unsigned int)(i - base));
			/* Join what exists even on failure: leave the heap as found. */
			while (i-- > base)
				KEXPECT_EQ(thread_join(t[i]), i);
		}
	}
	KEXPECT(!failed);
	KEXPECT_EQ(created, 3 * N);
	KEXPECT_EQ(stress_ran, 3 * N);
	KEXPECT_EQ(thread_count(), threads_before);
	kmalloc_shrink();
#ifdef CONFIG_PAGING
	kstack_shrink();
#endif
	kmalloc_stats(&after);
	KEXPECT_EQ(after.allocations, before.allocations);
	KEXPECT_EQ(after.used, before.used);
}

#ifdef CONFIG_THREAD_STACK_CHECK
/* ---- stack high-water marks (no MMU: no guard pages) ---- */

static volatile size_t used_small, used_big;

static __attribute__((noinline)) void
use_stack(size_t n)
{
	volatile char buf[256];

	for (size_t i = 0; i < sizeof(buf) && i < n; i++)
		buf[i] = (char)i;
}

static void
stack_user(void *arg)
{
	used_small = thread_stack_used(thread_current());
	use_stack(256);
	used_big = thread_stack_used(thread_current());
}

KTEST(sched, stack_high_water_mark)
{
	const size_t size = 1024;
	struct thread *t = thread_create("stack-user", stack_user, NULL, PRIO + 1, size);

	KASSERT(t != NULL);
	thread_join(t);
	KEXPECT_OP(used_small, >, 0u);
	KEXPECT_OP(used_small, <, size / 2);
	KEXPECT_OP(used_big, >=, 256u);	/* the array at least */
	KEXPECT_OP(used_big, >, used_small);
	KEXPECT_OP(used_big, <, size);
	KEXPECT_OP(thread_stack_used(thread_current()), >, 0u);
	thread_list_print();		/* kite_ps: main and idle at least */
}
#endif
