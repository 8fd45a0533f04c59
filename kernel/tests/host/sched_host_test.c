/*
 * The scheduler and its synchronisation (sched, thread, wait, mutex,
 * semaphore, completion, msgq, spinlock, timer) on the host, over the
 * port of tests/host/host_thread.c: kernel threads are ucontexts and time
 * moves one tick per simulated timer interrupt, so every interleaving
 * below is exact.  Threads record what they do in a trace string; the
 * expected strings follow from the scheduling rules, worked out in the
 * comments.
 *
 * The test body is the boot thread "main", at THREAD_PRIO_DEFAULT (4 of
 * 0..7).  To line waiters up in a known order, main raises itself to the
 * top priority and lets each new thread run alone until it blocks
 * (let_run(): main sleeps one tick).  Every test joins what it created and
 * leaves main as it found it, which teardown() checks.
 */
#include <stdint.h>
#include <string.h>
#include "host_test.h"
#include "host_sched.h"

#include <arch/cpu.h>
#include <kernel/errno.h>
#include <kernel/sync.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <kernel/timer.h>

#define PRIO	THREAD_PRIO_DEFAULT
#define MS	NSEC_PER_MSEC

static char trace[128];
static size_t ntrace;
static struct thread *main_thread;

static void
mark(char c)
{
	if (ntrace + 1 < sizeof(trace)) {
		trace[ntrace++] = c;
		trace[ntrace] = '\0';
	}
}

static void
setup(void)
{
	host_sched_boot();
	main_thread = thread_current();
	ntrace = 0;
	trace[0] = '\0';
}

/* What every test must leave behind: main alone with idle, unchanged. */
static void
teardown(void)
{
	CHECK(thread_current() == main_thread);
	CHECK(thread_count() == 2);
	CHECK(main_thread->prio == PRIO && main_thread->base_prio == PRIO);
	CHECK(main_thread->mutexes_held == 0 && main_thread->pi_mutexes == NULL);
	CHECK(main_thread->locks_held == 0);
	CHECK(timers_next_deadline() == UINT64_MAX);	/* no wait left its timer armed */
	CHECK(arch_irqs_enabled());
}

static struct thread *
spawn(void (*fn)(void *), uintptr_t arg, int prio)
{
	struct thread *t = thread_create("t", fn, (void *)arg, prio, 0);

	CHECK(t != NULL);
	return t;
}

/* Main steps aside for one tick: lower threads run until they block. */
static void
let_run(void)
{
	thread_sleep_ns(HOST_TICK_NS);
}

static void
record(void *arg)
{
	mark((char)(uintptr_t)arg);
}

/* ---- scheduling order ---- */

HOST_TEST(sched_strict_priority_order)
{
	static const int prio[5] = { 1, 3, 2, 6, 5 };
	struct thread *t[5];

	setup();
	thread_set_priority(main_thread, THREAD_PRIO_MAX);
	for (int i = 0; i < 5; i++)
		t[i] = spawn(record, 'a' + i, prio[i]);
	CHECK_STREQ(trace, "");			/* all below main */
	/* Dropping to 4 lets the two above (6, 5) run at once, in order. */
	thread_set_priority(main_thread, PRIO);
	CHECK_STREQ(trace, "de");
	/* Blocking on the lowest lets the rest run first: 3, 2, then 1. */
	thread_join(t[0]);
	CHECK_STREQ(trace, "debca");
	for (int i = 1; i < 5; i++)
		thread_join(t[i]);
	teardown();
}

static void
yielder(void *arg)
{
	for (int i = 0; i < 3; i++) {
		mark((char)(uintptr_t)arg);
		thread_yield();
	}
}

HOST_TEST(sched_round_robin_on_yield)
{
	struct thread *t[3];

	setup();
	for (int i = 0; i < 3; i++)
		t[i] = spawn(yielder, 'a' + i, PRIO);
	CHECK_STREQ(trace, "");			/* equals do not preempt */
	/* Main goes behind a, b, c; each goes behind the others in turn. */
	thread_yield();
	CHECK_STREQ(trace, "abc");
	for (int i = 0; i < 3; i++)
		thread_join(t[i]);
	CHECK_STREQ(trace, "abcabcabc");
	teardown();
}

static void
spinner(void *arg)
{
	for (int i = 0; i < 4; i++) {
		mark((char)(uintptr_t)arg);
		host_irq_tick();		/* busy: only interrupts preempt it */
	}
}

HOST_TEST(sched_time_slice_among_equals)
{
	struct thread *a, *b;
	uint64_t t0;

	setup();
	t0 = time_ns();
	a = spawn(spinner, 'a', PRIO);
	b = spawn(spinner, 'b', PRIO);
	/*
	 * A slice is 20 ms, two ticks: each runs two rounds, then the tick
	 * that ends its slice switches to the other at interrupt exit.
	 */
	thread_join(a);
	thread_join(b);
	CHECK_STREQ(trace, "aabbaabb");
	CHECK(time_ns() - t0 == 8 * HOST_TICK_NS);
	teardown();
}

static void
half_slice_then_yield(void *arg)
{
	mark((char)(uintptr_t)arg);
	host_irq_tick();			/* one of its two ticks used */
	thread_yield();
	for (int i = 0; i < 2; i++) {
		mark((char)(uintptr_t)arg);
		host_irq_tick();
	}
}

HOST_TEST(sched_yield_starts_a_fresh_slice)
{
	struct thread *a, *b;

	setup();
	a = spawn(half_slice_then_yield, 'a', PRIO);
	b = spawn(half_slice_then_yield, 'b', PRIO);
	/*
	 * Both yield with half a slice left; back on the CPU, a gets a whole
	 * one (two ticks), not the leftover, before b's turn comes.
	 */
	thread_join(a);
	thread_join(b);
	CHECK_STREQ(trace, "abaabb");
	teardown();
}

HOST_TEST(sched_higher_created_runs_before_create_returns)
{
	struct thread *lo, *hi, *hi2;

	setup();
	lo = spawn(record, 'l', PRIO - 1);
	CHECK_STREQ(trace, "");
	hi = spawn(record, 'h', PRIO + 1);
	CHECK_STREQ(trace, "h");
	mark('m');
	/* With preemption off it waits for preempt_enable(). */
	preempt_disable();
	hi2 = spawn(record, 'H', PRIO + 1);
	CHECK_STREQ(trace, "hm");
	preempt_enable();
	CHECK_STREQ(trace, "hmH");
	thread_join(hi);
	thread_join(hi2);
	thread_join(lo);
	CHECK_STREQ(trace, "hmHl");
	teardown();
}

HOST_TEST(sched_raised_thread_runs_by_next_tick)
{
	struct thread *t;

	setup();
	t = spawn(record, 'r', PRIO - 1);
	thread_set_priority(t, PRIO + 1);
	CHECK(t->prio == PRIO + 1 && t->base_prio == PRIO + 1);
	/* At the latest, the next interrupt's exit switches to it. */
	host_irq_tick();
	CHECK_STREQ(trace, "r");
	thread_join(t);
	teardown();
}

/* ---- wait queues and timeouts ---- */

static struct spinlock wq_lock = SPINLOCK_INIT("wq-test");
static struct wait_queue wq;

static void
wq_waiter(void *arg)
{
	unsigned long flags = spin_lock_irqsave(&wq_lock);
	int r = wq_wait(&wq, &wq_lock, WAIT_FOREVER);

	spin_unlock_irqrestore(&wq_lock, flags);
	CHECK(r == 0);
	mark((char)(uintptr_t)arg);
}

HOST_TEST(wait_queue_wakes_by_priority_then_fifo)
{
	static const int prio[5] = { 2, 5, 5, 3, 5 };
	struct thread *t[5];

	setup();
	wq_init(&wq);
	thread_set_priority(main_thread, THREAD_PRIO_MAX);
	for (int i = 0; i < 5; i++) {
		t[i] = spawn(wq_waiter, 'a' + i, prio[i]);
		let_run();			/* queues in this order */
	}
	CHECK_STREQ(trace, "");
	/* One at a time, each running before the next is woken. */
	for (int i = 0; i < 5; i++) {
		CHECK(wq_wake_one(&wq));
		let_run();
	}
	CHECK(!wq_wake_one(&wq));
	CHECK_STREQ(trace, "bceda");		/* the 5s in arrival order, 3, 2 */
	for (int i = 0; i < 5; i++)
		thread_join(t[i]);
	thread_set_priority(main_thread, PRIO);
	teardown();
}

static int
wait_on(struct wait_queue *q, uint64_t timeout_ns)
{
	struct spinlock l = SPINLOCK_INIT("timeout-test");
	unsigned long flags = spin_lock_irqsave(&l);
	int r = wq_wait(q, &l, timeout_ns);

	spin_unlock_irqrestore(&l, flags);
	return r;
}

static void
wake_after_20ms(void *arg)
{
	thread_sleep_ns(20 * MS);
	CHECK(wq_wake_one(arg));
}

HOST_TEST(wait_timeout_fires_on_the_deadline_tick)
{
	struct wait_queue q;
	struct thread *w;
	uint64_t t0, j0;

	setup();
	wq_init(&q);
	t0 = time_ns();
	j0 = jiffies_read();
	CHECK(wait_on(&q, 30 * MS) == -ETIMEDOUT);
	CHECK(time_ns() - t0 == 30 * MS);	/* not a tick early or late */
	CHECK(jiffies_read() - j0 == 3);
	CHECK(wq_empty(&q));			/* the timeout dequeued it */

	/* Between ticks: the first tick at or after the deadline. */
	t0 = time_ns();
	CHECK(wait_on(&q, 25 * MS) == -ETIMEDOUT);
	CHECK(time_ns() - t0 == 30 * MS);

	/* Woken first: 0, then, and the timer no longer armed. */
	t0 = time_ns();
	w = spawn(wake_after_20ms, (uintptr_t)&q, PRIO - 1);
	CHECK(wait_on(&q, 50 * MS) == 0);
	CHECK(time_ns() - t0 == 20 * MS);
	CHECK(timers_next_deadline() == UINT64_MAX);	/* no wait left its timer armed */
	thread_join(w);

	t0 = time_ns();
	thread_sleep_ms(50);
	CHECK(time_ns() - t0 == 50 * MS);
	teardown();
}

/* ---- mutexes and priority inheritance ---- */

static struct mutex mx;

static void
locker(void *arg)
{
	mutex_lock(&mx);
	mark((char)(uintptr_t)arg);
	mutex_unlock(&mx);
}

HOST_TEST(mutex_hands_off_to_the_highest_waiter)
{
	static const int prio[4] = { 2, 5, 3, 5 };
	struct thread *t[4];

	setup();
	mutex_init(&mx, "handoff");
	thread_set_priority(main_thread, THREAD_PRIO_MAX);
	mutex_lock(&mx);
	for (int i = 0; i < 4; i++) {
		t[i] = spawn(locker, 'a' + i, prio[i]);
		let_run();
	}
	mutex_unlock(&mx);
	/* b owns it before it even runs; nobody can barge in. */
	CHECK(mutex_owner(&mx) == t[1]);
	CHECK(!mutex_trylock(&mx));
	CHECK_STREQ(trace, "");
	/* At 4, the 5s run (b hands to d); 3 then 2 run when main blocks. */
	thread_set_priority(main_thread, PRIO);
	CHECK_STREQ(trace, "bd");
	for (int i = 0; i < 4; i++)
		thread_join(t[i]);
	CHECK_STREQ(trace, "bdca");
	CHECK(mutex_owner(&mx) == NULL);
	CHECK(mutex_trylock(&mx));
	mutex_unlock(&mx);
	teardown();
}

/*
 * The chain: C (1) holds m2; B (2) holds m1 and waits for m2; A (6)
 * waits for m1.  C must run at A's priority, through B.
 */
static struct mutex m1, m2;
static struct semaphore release_c;
static struct thread *ta, *tb, *tc;
static int c_prio_after_unlock, b_prio_after_unlock;
static int a_result, b_prio_after_timeout, c_prio_after_timeout;
static uint64_t a_waited;

static void
chain_c(void *arg)
{
	mutex_lock(&m2);
	mark('C');
	sem_wait(&release_c, WAIT_FOREVER);
	mutex_unlock(&m2);
	c_prio_after_unlock = thread_current()->prio;
	mark('c');
}

static void
chain_b(void *arg)
{
	mutex_lock(&m1);
	mark('B');
	mutex_lock(&m2);
	mark('m');
	mutex_unlock(&m2);
	mutex_unlock(&m1);
	b_prio_after_unlock = thread_current()->prio;
	mark('b');
}

static void
chain_a(void *arg)
{
	uint64_t timeout = (uintptr_t)arg;
	uint64_t t0 = time_ns();

	mark('A');
	a_result = timeout ? mutex_lock_timeout(&m1, timeout) : (mutex_lock(&m1), 0);
	a_waited = time_ns() - t0;
	if (a_result == 0) {
		mark('a');
		mutex_unlock(&m1);
	} else {
		b_prio_after_timeout = tb->prio;
		c_prio_after_timeout = tc->prio;
		mark('t');
	}
}

/* Main at the top builds the chain one link at a time. */
static void
build_chain(uint64_t a_timeout)
{
	mutex_init(&m1, "m1");
	mutex_init(&m2, "m2");
	sem_init(&release_c, 0);
	thread_set_priority(main_thread, THREAD_PRIO_MAX);
	tc = spawn(chain_c, 0, 1);
	let_run();
	tb = spawn(chain_b, 0, 2);
	let_run();
	CHECK(tc->prio == 2);			/* B waits for C's m2 */
	ta = spawn(chain_a, a_timeout, 6);
	let_run();
	CHECK_STREQ(trace, "CBA");
	CHECK(tb->prio == 6 && tb->base_prio == 2);
	CHECK(tc->prio == 6 && tc->base_prio == 1);
	CHECK(mutex_owner(&m1) == tb && mutex_owner(&m2) == tc);
	CHECK(thread_blocked_on(tb) == &m2 && thread_blocked_on(ta) == &m1);
}

HOST_TEST(mutex_priority_inheritance_through_a_chain)
{
	setup();
	build_chain(0);
	/*
	 * Released, C (6) runs ahead of main (4): its unlock hands m2 to B
	 * and drops it to 1, so B runs, hands m1 to A and drops to 2, and A
	 * runs; main next, then B and C when main blocks.
	 */
	sem_post(&release_c);
	thread_set_priority(main_thread, PRIO);
	CHECK_STREQ(trace, "CBAma");
	CHECK(tb->prio == 2 && tc->prio == 1);
	thread_join(tc);
	thread_join(tb);
	thread_join(ta);
	CHECK_STREQ(trace, "CBAmabc");
	CHECK(c_prio_after_unlock == 1);
	CHECK(b_prio_after_unlock == 2);
	CHECK(a_result == 0);
	teardown();
}

HOST_TEST(mutex_priority_inheritance_undone_by_timeout)
{
	setup();
	build_chain(30 * MS);
	/* A new base for C while boosted: the boost still wins. */
	thread_set_priority(tc, 3);
	CHECK(tc->prio == 6 && tc->base_prio == 3);
	/* A gives up after exactly 30 ms: B back to 2, C to its new base 3. */
	thread_sleep_ms(40);
	CHECK(a_result == -ETIMEDOUT);
	CHECK(a_waited == 30 * MS);
	CHECK(b_prio_after_timeout == 2);
	CHECK(c_prio_after_timeout == 3);
	CHECK(tb->prio == 2 && tc->prio == 3);
	CHECK(thread_blocked_on(ta) == NULL);
	/* C (3) finishes before B (2) gets m2. */
	sem_post(&release_c);
	thread_set_priority(main_thread, PRIO);
	thread_join(tc);
	thread_join(tb);
	thread_join(ta);
	CHECK_STREQ(trace, "CBAtcmb");
	CHECK(c_prio_after_unlock == 3);
	teardown();
}

/* ---- semaphores and completions ---- */

static struct semaphore sem;

static void
sem_waiter(void *arg)
{
	CHECK(sem_wait(&sem, WAIT_FOREVER) == 0);
	mark((char)(uintptr_t)arg);
}

HOST_TEST(semaphore_counts_and_wakes_by_priority)
{
	static const int prio[3] = { 2, 5, 3 };
	struct thread *t[3];
	uint64_t t0;

	setup();
	sem_init(&sem, 2);
	CHECK(sem_trywait(&sem));
	CHECK(sem_trywait(&sem));
	CHECK(!sem_trywait(&sem));
	t0 = time_ns();
	CHECK(sem_wait(&sem, 20 * MS) == -ETIMEDOUT);
	CHECK(time_ns() - t0 == 20 * MS);
	sem_post(&sem);				/* counted with nobody waiting */
	CHECK(sem_wait(&sem, 0) == 0);
	CHECK(time_ns() - t0 == 20 * MS);

	thread_set_priority(main_thread, THREAD_PRIO_MAX);
	for (int i = 0; i < 3; i++) {
		t[i] = spawn(sem_waiter, 'a' + i, prio[i]);
		let_run();
	}
	for (int i = 0; i < 3; i++) {
		sem_post(&sem);
		let_run();
	}
	CHECK_STREQ(trace, "bca");
	CHECK(sem.count == 0);
	for (int i = 0; i < 3; i++)
		thread_join(t[i]);
	thread_set_priority(main_thread, PRIO);
	teardown();
}

static struct semaphore irq_sem;

static void
post_from_irq(struct timer *tm)
{
	CHECK(in_irq());
	sem_post(&irq_sem);
}

static void
irq_waiter(void *arg)
{
	CHECK(sem_wait(&irq_sem, WAIT_FOREVER) == 0);
	CHECK(!in_irq());
	mark('H');
}

HOST_TEST(semaphore_posted_from_irq_preempts_at_irq_exit)
{
	struct thread *h;
	struct timer tm;

	setup();
	sem_init(&irq_sem, 0);
	h = spawn(irq_waiter, 0, PRIO + 2);	/* runs, blocks */
	timer_init(&tm, post_from_irq);
	timer_arm(&tm, time_ns() + 20 * MS);
	/* Main busy: the second tick's handler wakes H, which runs on its exit. */
	for (int i = 0; i < 4; i++) {
		mark('m');
		host_irq_tick();
	}
	CHECK_STREQ(trace, "mmHmm");
	thread_join(h);
	teardown();
}

static struct completion done;

static void
completion_waiter(void *arg)
{
	CHECK(wait_for_completion(&done, WAIT_FOREVER) == 0);
	mark((char)(uintptr_t)arg);
}

HOST_TEST(completion_wakes_all_and_stays_done)
{
	struct thread *lo, *hi, *lower;
	uint64_t t0;

	setup();
	completion_init(&done);
	t0 = time_ns();
	CHECK(wait_for_completion(&done, 20 * MS) == -ETIMEDOUT);
	CHECK(time_ns() - t0 == 20 * MS);
	hi = spawn(completion_waiter, 'h', PRIO + 1);
	lo = spawn(completion_waiter, 'l', PRIO - 1);
	lower = spawn(completion_waiter, 'w', PRIO - 2);
	let_run();
	CHECK_STREQ(trace, "");
	complete(&done);			/* h preempts main at once */
	CHECK_STREQ(trace, "h");
	thread_join(lower);
	CHECK_STREQ(trace, "hlw");
	thread_join(lo);
	thread_join(hi);
	t0 = time_ns();
	CHECK(wait_for_completion(&done, 20 * MS) == 0);	/* stays done */
	CHECK(time_ns() == t0);
	teardown();
}

/* ---- message queues ---- */

static struct msgq q;
static int qbuf[2];

static void
producer(void *arg)
{
	for (int i = 1; i <= 5; i++) {
		CHECK(msgq_send(&q, &i, WAIT_FOREVER) == 0);
		mark((char)('0' + i));
	}
}

static void
consumer(void *arg)
{
	int v = 0;

	CHECK(msgq_recv(&q, &v, WAIT_FOREVER) == 0);
	mark((char)v);
	mark((char)(uintptr_t)arg);
}

HOST_TEST(msgq_blocking_send_and_recv_in_order)
{
	struct thread *p, *c1, *c2;
	int v = 0, m;
	uint64_t t0;

	setup();
	CHECK(msgq_init(&q, qbuf, sizeof(int), 0) == -EINVAL);
	CHECK(msgq_init(&q, NULL, sizeof(int), 2) == -EINVAL);
	CHECK(msgq_init(&q, qbuf, sizeof(int), 2) == 0);

	/*
	 * The producer (5) fills both slots and blocks on the third; every
	 * receive by main (4) frees a slot it fills before main goes on.
	 */
	p = spawn(producer, 0, PRIO + 1);
	CHECK_STREQ(trace, "12");
	CHECK(q.count == 2);
	for (int i = 1; i <= 5; i++) {
		CHECK(msgq_recv(&q, &v, WAIT_FOREVER) == 0);
		CHECK(v == i);
		mark((char)('a' + i - 1));
	}
	CHECK_STREQ(trace, "123a4b5cde");
	thread_join(p);

	/* Empty: a timed receive gives up on the deadline tick. */
	t0 = time_ns();
	CHECK(msgq_recv(&q, &v, 20 * MS) == -ETIMEDOUT);
	CHECK(time_ns() - t0 == 20 * MS);
	/* Full: nowait refuses, a timed send gives up. */
	m = 7;
	CHECK(msgq_send_nowait(&q, &m) == 0);
	CHECK(msgq_send_nowait(&q, &m) == 0);
	CHECK(msgq_send_nowait(&q, &m) == -EAGAIN);
	t0 = time_ns();
	CHECK(msgq_send(&q, &m, 30 * MS) == -ETIMEDOUT);
	CHECK(time_ns() - t0 == 30 * MS);
	CHECK(msgq_recv(&q, &v, 0) == 0 && v == 7);
	CHECK(msgq_recv(&q, &v, 0) == 0 && v == 7);

	/* Blocked receivers: the higher gets the first message, at once. */
	ntrace = 0;
	trace[0] = '\0';
	c1 = spawn(consumer, '1', PRIO + 1);
	c2 = spawn(consumer, '2', PRIO + 2);
	CHECK_STREQ(trace, "");
	m = 'x';
	CHECK(msgq_send_nowait(&q, &m) == 0);
	CHECK_STREQ(trace, "x2");
	m = 'y';
	CHECK(msgq_send(&q, &m, WAIT_FOREVER) == 0);
	CHECK_STREQ(trace, "x2y1");
	CHECK(q.count == 0);
	thread_join(c1);
	thread_join(c2);
	teardown();
}

/* ---- life cycle ---- */

static void
worker(void *arg)
{
	uintptr_t n = (uintptr_t)arg;

	for (uintptr_t i = 0; i < n % 3; i++)
		thread_yield();
	if (n % 4 == 0)
		thread_sleep_ns(HOST_TICK_NS * (n % 5));
	if (n % 2 == 0)
		thread_exit((int)n);
	/* Odd ones return: exit code 0. */
}

HOST_TEST(thread_create_join_many_returns_memory)
{
	enum { N = 64 };
	struct thread *t[N];
	unsigned long live0, bytes0;

	setup();
	live0 = host_kmalloc_live();
	bytes0 = host_kmalloc_live_bytes();
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < N; i++)
			t[i] = spawn(worker, (uintptr_t)i, 1 + (i + round) % THREAD_PRIO_MAX);
		CHECK(thread_count() == 2 + N);
		for (int i = 0; i < N; i++)
			CHECK(thread_join(t[i]) == (i % 2 == 0 ? i : 0));
		CHECK(thread_count() == 2);
	}
	CHECK(host_kmalloc_live() == live0);
	CHECK(host_kmalloc_live_bytes() == bytes0);

	CHECK(thread_create("bad", worker, NULL, THREAD_PRIO_MAX + 1, 0) == NULL);
	CHECK(thread_create("bad", worker, NULL, -1, 0) == NULL);
	CHECK(thread_create("bad", NULL, NULL, PRIO, 0) == NULL);
	/*
	 * Without an MMU a thread is one heap block, its structure at the top
	 * of its stack; out of memory for it, nothing is left over.
	 */
	t[0] = spawn(worker, 0, PRIO);
	CHECK(host_kmalloc_live() == live0 + 1);
	CHECK((char *)thread_stack_top(t[0]) == (char *)t[0]);
	CHECK(thread_stack_size(t[0]) >= CONFIG_THREAD_STACK_SIZE);
	CHECK(thread_join(t[0]) == 0);
	host_kmalloc_fail_nth(1);
	CHECK(thread_create("oom", worker, NULL, PRIO, 0) == NULL);
	host_kmalloc_fail_nth(0);
	CHECK(thread_count() == 2);
	CHECK(host_kmalloc_live() == live0);
	CHECK(host_kmalloc_live_bytes() == bytes0);
	teardown();
}

/* ---- misuse ---- */

/*
 * panic() stopped the kernel where it was: a real machine stays stopped,
 * here the test goes on, so it lets go of the spinlock the panicking code
 * held (if any) and of the interrupt mask.
 */
static void
after_panic(struct spinlock *held)
{
	if (held)
		spin_unlock(held);
	arch_irq_enable();
}

static struct mutex mm;
static struct semaphore hold;
static bool exit_panicked;

static void
holder(void *arg)
{
	mutex_lock(&mm);
	sem_wait(&hold, WAIT_FOREVER);
	mutex_unlock(&mm);
}

static void
exits_holding(void *arg)
{
	mutex_lock(&mm);
	exit_panicked = HOST_EXPECT_PANIC(thread_exit(1));
	after_panic(NULL);
	mutex_unlock(&mm);
}

HOST_TEST(mutex_misuse_panics)
{
	struct thread *t;

	setup();
	mutex_init(&mm, "misuse");
	sem_init(&hold, 0);
	t = spawn(holder, 0, PRIO + 1);		/* owns mm, sleeps */
	CHECK(mutex_owner(&mm) == t);
	CHECK(HOST_EXPECT_PANIC(mutex_unlock(&mm)));	/* not ours */
	after_panic(NULL);		/* mutexes panic with no lock held */
	CHECK(mutex_owner(&mm) == t);
	sem_post(&hold);
	thread_join(t);

	CHECK(HOST_EXPECT_PANIC(mutex_unlock(&mm)));	/* nobody's */
	after_panic(NULL);		/* mutexes panic with no lock held */

	mutex_lock(&mm);
	CHECK(HOST_EXPECT_PANIC(mutex_lock(&mm)));	/* recursive */
	after_panic(NULL);		/* mutexes panic with no lock held */
	CHECK(mutex_owner(&mm) == main_thread);
	mutex_unlock(&mm);

	exit_panicked = false;
	t = spawn(exits_holding, 0, PRIO + 1);
	CHECK(exit_panicked);
	CHECK(thread_join(t) == 0);
	CHECK(mutex_owner(&mm) == NULL);
	teardown();
}

HOST_TEST(spinlock_misuse_panics)
{
	struct spinlock l = SPINLOCK_INIT("misuse-spin");

	setup();
	spin_lock(&l);
	CHECK(spin_is_held(&l));
	CHECK(HOST_EXPECT_PANIC(spin_lock(&l)));	/* recursive */
	preempt_enable();			/* the second spin_lock's */
	after_panic(&l);
	CHECK(!spin_is_held(&l));
	CHECK(HOST_EXPECT_PANIC(spin_unlock(&l)));	/* not locked */
	after_panic(NULL);
	teardown();
}

/* ---- review findings, each failing before its fix ---- */

static void
sleep_ticks_then_exit(void *arg)
{
	thread_sleep_ns(HOST_TICK_NS * (uintptr_t)arg);
	thread_exit(7);
}

static struct thread *join_target;
static int joined_code;

static void
joiner(void *arg)
{
	joined_code = thread_join(join_target);
}

/*
 * Two joiners of one thread: each woke at its exit and freed it (ASan:
 * double free).  Now the second one is refused with a panic, and the
 * first reaps the thread alone.
 */
HOST_TEST(review_second_joiner_is_refused)
{
	struct thread *j;

	setup();
	join_target = spawn(sleep_ticks_then_exit, 3, PRIO + 1);	/* sleeps */
	j = spawn(joiner, 0, PRIO + 1);				/* blocks in join */
	CHECK(HOST_EXPECT_PANIC(thread_join(join_target)));
	after_panic(NULL);
	thread_join(j);				/* the first joiner reaped it */
	CHECK(joined_code == 7);
	teardown();
}

static struct semaphore stolen_sem;
static int stolen_result;
static uint64_t stolen_waited;

static void
timed_waiter(void *arg)
{
	uint64_t t0 = time_ns();

	stolen_result = sem_wait(&stolen_sem, 3 * HOST_TICK_NS);
	stolen_waited = time_ns() - t0;
}

/*
 * A post that another thread takes before the waiter runs again used to
 * re-arm the whole timeout: a 3-tick wait returned after 5.  The deadline
 * stays where it was.
 */
HOST_TEST(review_timeout_kept_after_stolen_wakeups)
{
	struct thread *w;

	setup();
	sem_init(&stolen_sem, 0);
	thread_set_priority(main_thread, THREAD_PRIO_MAX);
	w = spawn(timed_waiter, 0, PRIO + 1);
	let_run();				/* it waits from here: tick 0 */
	for (int i = 0; i < 2; i++) {
		sem_post(&stolen_sem);		/* wakes it, but we outrank it... */
		CHECK(sem_trywait(&stolen_sem));	/* ...and take the count back */
		let_run();			/* one tick: it waits again */
	}
	thread_join(w);
	thread_set_priority(main_thread, PRIO);
	CHECK(stolen_result == -ETIMEDOUT);
	CHECK(stolen_waited <= 3 * HOST_TICK_NS + HOST_TICK_NS);
	teardown();
}

/* Mark c, then take a tick, n times: a thread that uses its slices. */
static void
mark_and_tick(char c, int n)
{
	for (int i = 0; i < n; i++) {
		mark(c);
		host_irq_tick();
	}
}

static void
spin_marks(void *arg)
{
	mark_and_tick((char)(uintptr_t)arg, 3);
}

/* Sleep n ticks, then mark 'H': the higher thread whose wake-up preempts. */
static void
mark_after_ticks(int n)
{
	thread_sleep_ns(n * HOST_TICK_NS);
	mark('H');
}

static void
wake_after_two_ticks(void *arg)
{
	mark_after_ticks(2);
}

/*
 * A thread preempted by a higher priority keeps its place at the head of
 * its queue (and the rest of its slice), as docs/sched.md says: it went to
 * the back, behind an equal that had not run yet.
 */
HOST_TEST(review_preempted_thread_keeps_its_place)
{
	struct thread *a, *b, *h;

	setup();
	thread_set_priority(main_thread, THREAD_PRIO_MAX);
	h = spawn(wake_after_two_ticks, 0, PRIO + 2);
	let_run();				/* h sleeps from here, to tick 2 */
	a = spawn(spin_marks, 'a', PRIO + 1);
	b = spawn(spin_marks, 'b', PRIO + 1);
	thread_set_priority(main_thread, PRIO);	/* a, b below us, h asleep */
	thread_join(a);
	thread_join(b);
	thread_join(h);
	/*
	 * At tick 1 a runs; h's tick preempts it after one mark (half its
	 * slice used); a resumes, ends that slice with one more mark, then b
	 * has its whole turn, then a, then b.
	 */
	CHECK_STREQ(trace, "aHabbab");
	teardown();
}

/*
 * Preempted twice over: l (PRIO + 1) runs and marks, m's tick preempts it,
 * h's next tick preempts m.  When h ends, m (preempted last, higher) goes
 * on before l; l has the CPU again only when m ends.  On one CPU the
 * preempted thread waits beside the run queue (rq->preempted); the second
 * preemption puts l back on its list.
 */
static void
spin_two(void *arg)
{
	mark_and_tick((char)(uintptr_t)arg, 2);
}

static void
sleep_then_spin_two(void *arg)
{
	thread_sleep_ns(2 * HOST_TICK_NS);
	spin_two(arg);
}

static void
wake_after_three_ticks(void *arg)
{
	mark_after_ticks(3);
}

HOST_TEST(sched_nested_preemption_resumes_the_last_preempted_first)
{
	struct thread *h, *m, *l;

	setup();
	thread_set_priority(main_thread, THREAD_PRIO_MAX);
	h = spawn(wake_after_three_ticks, 0, PRIO + 3);
	m = spawn(sleep_then_spin_two, 'm', PRIO + 2);
	let_run();				/* both asleep, to ticks 3 and 2 */
	l = spawn(spin_marks, 'l', PRIO + 1);
	thread_set_priority(main_thread, PRIO);
	thread_join(h);
	thread_join(m);
	thread_join(l);
	/* l, m's tick; m, h's tick; H; m again, and only then l's last two. */
	CHECK_STREQ(trace, "lmHmll");
	teardown();
}

/*
 * A preempted thread raised above the one that preempted it runs at once:
 * its waiting place promised it was below, so the change puts it back on
 * its list and the switch that follows finds it.
 */
static struct thread *raised;

static void
sleep_then_raise(void *arg)
{
	thread_sleep_ns(2 * HOST_TICK_NS);
	mark('m');
	thread_set_priority(raised, PRIO + 3);	/* above us: l runs now */
	mark('M');
}

HOST_TEST(sched_preempted_thread_raised_above_runs_at_once)
{
	struct thread *m;

	setup();
	thread_set_priority(main_thread, THREAD_PRIO_MAX);
	m = spawn(sleep_then_raise, 0, PRIO + 2);
	let_run();				/* m asleep, to tick 2 */
	raised = spawn(spin_two, 'l', PRIO + 1);
	thread_set_priority(main_thread, PRIO);
	thread_join(m);
	thread_join(raised);
	CHECK_STREQ(trace, "lmlM");
	teardown();
}

/*
 * A thread at the idle priority (0) made ready while the idle thread runs
 * gets the CPU at once: idle gives way to it, though it does not outrank
 * idle.  (It waited for the CPU's next real work before.)
 */
static struct semaphore zero_sem;

static void
zero_waiter(void *arg)
{
	sem_wait(&zero_sem, WAIT_FOREVER);
	mark('z');
}

static void
post_zero(struct timer *tm)
{
	sem_post(&zero_sem);			/* interrupt context, idle running */
}

HOST_TEST(sched_priority_zero_thread_runs_when_idle)
{
	static struct timer tm;
	struct thread *z;

	setup();
	sem_init(&zero_sem, 0);
	z = spawn(zero_waiter, 0, THREAD_PRIO_IDLE);
	let_run();				/* z waits; then idle runs */
	timer_init(&tm, post_zero);
	timer_arm(&tm, time_ns());		/* the next tick, while idle runs */
	thread_sleep_ns(3 * HOST_TICK_NS);
	CHECK_STREQ(trace, "z");		/* it ran before we woke */
	thread_join(z);
	teardown();
}
