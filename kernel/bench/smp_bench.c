/*
 * SMP benchmarks (not tests): an IPI round trip, the latency of waking a
 * thread that sleeps on another CPU, a spinlock taken uncontended and
 * contended, and the page allocator and kmalloc with 1, 2 and 4 CPUs
 * busy at once.  `ninja bench` boots the SMP build with -smp 4 under
 * -icount shift=0.
 *
 * Reading the figures: with -icount QEMU runs the CPUs in turn, and
 * virtual time advances by one nanosecond for every instruction any CPU
 * executes.  So "ns/op" of a benchmark that keeps k CPUs busy is the
 * instructions all of them spent per operation: with no contention at all
 * it equals the one-CPU figure; spinning on a lock another CPU holds, or
 * waiting for its answer, adds to it.  A benchmark that needs more CPUs
 * than the machine has says so and is skipped.
 */
#include <arch/cpu.h>
#include <kernel/atomic.h>
#include <kernel/bench.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/slab.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include <kernel/sync.h>
#include <kernel/thread.h>
#include <kernel/time.h>

static bool
have_cpus(unsigned int n)
{
	if (nr_cpus_online() >= n)
		return true;
	bench_skip("needs more CPUs");
	return false;
}

/* ------------------------------------------------------------ IPI */

static void
nothing(void *arg)
{
}

/*
 * CPU 0 asks CPU 1 to run an empty function and waits until it has: the
 * request, the IPI, CPU 1's interrupt entry and exit, and the answer.
 */
BENCH(smp, ipi_round_trip)
{
	if (!have_cpus(2))
		return 0;
	thread_set_affinity(thread_current(), cpumask_of(0));
	for (size_t i = 0; i < n; i++)
		smp_call_on(1, nothing, NULL, true);
	thread_unpin();
	return n;
}

/* -------------------------------------------------- remote wake-up */

static struct semaphore ping, pong;
static volatile uint64_t posted_ns, posted_ticks;
static uint64_t wake_ns, wake_ticks;
static volatile bool stop;

static void
remote_waiter(void *arg)
{
	for (;;) {
		uint64_t c, t;

		sem_wait(&ping, WAIT_FOREVER);
		c = arch_cycles();
		t = time_ns();
		if (stop)
			break;
		wake_ticks += c - posted_ticks;
		wake_ns += t - posted_ns;
		sem_post(&pong);
	}
}

/*
 * From sem_post() on CPU 0 to the woken thread running on CPU 1, which
 * was idle: the wake-up, the reschedule IPI, CPU 1 leaving its idle
 * thread.  The way back is not counted.
 */
#define REMOTE_SAMPLES	1000

BENCH(smp, remote_wakeup)
{
	struct thread *t;

	if (!have_cpus(2))
		return 0;
	n = MIN(n, REMOTE_SAMPLES);
	thread_set_affinity(thread_current(), cpumask_of(0));
	sem_init(&ping, 0);
	sem_init(&pong, 0);
	stop = false;
	wake_ns = wake_ticks = 0;
	t = thread_create_on("bench-remote", remote_waiter, NULL, THREAD_PRIO_MAX, 0,
			     cpumask_of(1));
	if (!t) {
		thread_unpin();
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		/* Until CPU 1 switched away from it: idle there, not on its way. */
		while (load_acquire(&t->on_cpu))
			arch_cpu_relax();
		posted_ticks = arch_cycles();
		posted_ns = time_ns();
		sem_post(&ping);
		sem_wait(&pong, WAIT_FOREVER);
	}
	stop = true;
	sem_post(&ping);
	thread_join(t);
	thread_unpin();
	bench_report_total(wake_ticks, wake_ns);
	return n;
}

/* ------------------------------------------------------- spinlocks */

static struct spinlock bench_lock = SPINLOCK_INIT("bench-lock");
static unsigned long bench_counter;	/* bench_lock */

BENCH(lock, uncontended)
{
	for (size_t i = 0; i < n; i++) {
		spin_lock(&bench_lock);
		bench_counter++;
		spin_unlock(&bench_lock);
	}
	return n;
}

/* k threads on the first k CPUs doing the work n asks for between them. */
struct share {
	size_t ops;
	size_t (*fn)(size_t n);
	volatile unsigned int *ready;
	unsigned int k;
};

static void
share_body(void *arg)
{
	struct share *s = arg;

	/* Start together, so the CPUs really overlap. */
	atomic_fetch_add(s->ready, 1);
	while (load_acquire(s->ready) < s->k)
		arch_cpu_relax();
	s->ops = s->fn(s->ops);
}

static size_t
on_k_cpus(unsigned int k, size_t n, size_t (*fn)(size_t n))
{
	struct share sh[4];
	struct thread *t[4];
	volatile unsigned int ready = 0;
	size_t done = 0;

	if (!have_cpus(k))
		return 0;
	for (unsigned int i = 0; i < k; i++) {
		sh[i] = (struct share){ .ops = n / k, .fn = fn, .ready = &ready, .k = k };
		t[i] = thread_create_on("bench-share", share_body, &sh[i], THREAD_PRIO_MAX, 0,
					cpumask_of(i));
		if (!t[i])
			k = i;
	}
	for (unsigned int i = 0; i < k; i++) {
		thread_join(t[i]);
		done += sh[i].ops;
	}
	return done;
}

static size_t
lock_ops(size_t n)
{
	for (size_t i = 0; i < n; i++) {
		spin_lock(&bench_lock);
		bench_counter++;
		spin_unlock(&bench_lock);
	}
	return n;
}

BENCH(lock, contended_2cpus)
{
	return on_k_cpus(2, n, lock_ops);
}

BENCH(lock, contended_4cpus)
{
	return on_k_cpus(4, n, lock_ops);
}

/* -------------------------------------------- allocators, 1..4 CPUs */

static size_t
page_ops(size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct page *p = alloc_pages(GFP_KERNEL, 0);

		if (!p)
			return i;
		free_pages(p, 0);
	}
	return n;
}

static size_t
kmalloc_ops(size_t n)
{
	for (size_t i = 0; i < n; i++) {
		void *p = kmalloc(64);

		if (!p)
			return i;
		kfree(p);
	}
	return n;
}

BENCH(smp, page_alloc_1cpu)
{
	return on_k_cpus(1, n, page_ops);
}

BENCH(smp, page_alloc_2cpus)
{
	return on_k_cpus(2, n, page_ops);
}

BENCH(smp, page_alloc_4cpus)
{
	return on_k_cpus(4, n, page_ops);
}

BENCH(smp, kmalloc64_1cpu)
{
	return on_k_cpus(1, n, kmalloc_ops);
}

BENCH(smp, kmalloc64_2cpus)
{
	return on_k_cpus(2, n, kmalloc_ops);
}

BENCH(smp, kmalloc64_4cpus)
{
	return on_k_cpus(4, n, kmalloc_ops);
}
