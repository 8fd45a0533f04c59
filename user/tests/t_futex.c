/*
 * futex(2) called directly: WAIT's value check and timeouts, WAKE counts,
 * bitsets, REQUEUE and CMP_REQUEUE, WAKE_OP, and the errors (alignment,
 * bad pointers, unknown operations, FUTEX_CLOCK_REALTIME where it is not
 * allowed); CLONE_CHILD_CLEARTID's wake-up.
 */
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include "kt.h"

#ifndef SYS_futex
#define SYS_futex SYS_futex_time64
#endif

static long
futex(void *uaddr, int op, uint32_t val, const void *timeout_or_val2, void *uaddr2, uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op, val, timeout_or_val2, uaddr2, val3);
}

static void
wait_checks_value(void)
{
	uint32_t word = 5;
	struct timespec zero = { 0, 0 };

	CHECK_ERR(futex(&word, FUTEX_WAIT_PRIVATE, 6, NULL, NULL, 0), EAGAIN);
	CHECK_ERR(futex(&word, FUTEX_WAIT, 6, NULL, NULL, 0), EAGAIN);
	CHECK_ERR(futex(&word, FUTEX_WAIT_PRIVATE, 5, &zero, NULL, 0), ETIMEDOUT);
	CHECK_EQ(futex(&word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), 0);
}

static void
wait_relative_timeout(void)
{
	uint32_t word = 0;
	struct timespec t = { 0, 30 * 1000000 }, a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	CHECK_ERR(futex(&word, FUTEX_WAIT_PRIVATE, 0, &t, NULL, 0), ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &b);
	long ns = (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec);

	CHECK(ns >= 30 * 1000000L);	/* never early */
}

static void
wait_bitset_absolute_timeout(void)
{
	uint32_t word = 0;
	struct timespec t, now;

	/* A deadline already past: at once. */
	clock_gettime(CLOCK_MONOTONIC, &t);
	CHECK_ERR(futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &t, NULL, FUTEX_BITSET_MATCH_ANY),
		  ETIMEDOUT);
	/* 20 ms ahead on CLOCK_MONOTONIC, then on CLOCK_REALTIME. */
	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_nsec += 20000000;
	if (t.tv_nsec >= 1000000000) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000;
	}
	CHECK_ERR(futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &t, NULL, FUTEX_BITSET_MATCH_ANY),
		  ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &now);
	CHECK(now.tv_sec > t.tv_sec || (now.tv_sec == t.tv_sec && now.tv_nsec >= t.tv_nsec));
	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_nsec += 20000000;
	if (t.tv_nsec >= 1000000000) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000;
	}
	CHECK_ERR(futex(&word, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &t, NULL,
			FUTEX_BITSET_MATCH_ANY), ETIMEDOUT);
	clock_gettime(CLOCK_REALTIME, &now);
	CHECK(now.tv_sec > t.tv_sec || (now.tv_sec == t.tv_sec && now.tv_nsec >= t.tv_nsec));
}

static void
argument_errors(void)
{
	uint32_t words[2] = { 0, 0 };
	struct timespec bad = { 0, 1000000000 };

	CHECK_ERR(futex((char *)words + 1, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0), EINVAL);
	CHECK_ERR(futex((char *)words + 2, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), EINVAL);
	CHECK_ERR(futex(words, FUTEX_WAIT_PRIVATE, 0, &bad, NULL, 0), EINVAL);
	CHECK_ERR(futex(words, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, NULL, 0), EINVAL);
	CHECK_ERR(futex(words, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 0), EINVAL);
	CHECK_ERR(futex(words, 99, 0, NULL, NULL, 0), ENOSYS);
	CHECK_ERR(futex(words, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0), ENOSYS);
	CHECK_ERR(futex(words, FUTEX_CMP_REQUEUE_PRIVATE, (uint32_t)-1, (void *)1, words + 1, 0),
		  EINVAL);
	CHECK_ERR(futex(words, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, words + 1, 0xf0000000u),
		  ENOSYS);	/* operation 7 */
	kt_bad_init();
	FOR_BAD(kt_bad_in, b) {
		if ((uintptr_t)b->p & 3)
			continue;
		CHECK_ERR(futex(b->p, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0), EFAULT);
	}
	END_BAD;
	CHECK_ERR(futex(words, FUTEX_WAIT_PRIVATE, 0, (void *)8, NULL, 0), EFAULT);
}

/* Threads that wait on a word until it changes, counting their returns. */
struct waiters {
	uint32_t word, word2;
	atomic_int queued, done;
	int op;
	uint32_t bitset;
};

static void *
waiter(void *arg)
{
	struct waiters *w = arg;

	atomic_fetch_add(&w->queued, 1);
	while (atomic_load((_Atomic uint32_t *)&w->word) == 0)
		futex(&w->word, w->op, 0, NULL, NULL, w->bitset);
	atomic_fetch_add(&w->done, 1);
	return NULL;
}

/* Wait until n threads sleep in the kernel (best effort), then a short pause. */
static void
let_them_sleep(struct waiters *w, int n)
{
	while (atomic_load(&w->queued) < n)
		usleep(1000);
	usleep(30000);
}

static void
wake_counts(void)
{
	struct waiters w = { .op = FUTEX_WAIT_PRIVATE };
	pthread_t th[3];
	int woken = 0;

	for (int i = 0; i < 3; i++)
		REQUIRE(pthread_create(&th[i], NULL, waiter, &w) == 0);
	let_them_sleep(&w, 3);
	/*
	 * The word is still 0: a WAKE of 1 wakes at most one (which sleeps
	 * again), and a WAKE of 0 wakes at most one too, as on Linux.
	 */
	woken = (int)futex(&w.word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	CHECK(woken >= 0 && woken <= 1);
	woken = (int)futex(&w.word, FUTEX_WAKE_PRIVATE, 0, NULL, NULL, 0);
	CHECK(woken >= 0 && woken <= 1);
	atomic_store((_Atomic uint32_t *)&w.word, 1);
	woken = (int)futex(&w.word, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL, NULL, 0);
	CHECK(woken >= 0 && woken <= 3);
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	CHECK_EQ(atomic_load(&w.done), 3);
}

static void
bitset_selects_waiters(void)
{
	struct waiters w = { .op = FUTEX_WAIT_BITSET_PRIVATE, .bitset = 0x1 };
	pthread_t th;

	REQUIRE(pthread_create(&th, NULL, waiter, &w) == 0);
	let_them_sleep(&w, 1);
	/* A wake for other bits leaves it asleep. */
	CHECK_EQ(futex(&w.word, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 0x2), 0);
	atomic_store((_Atomic uint32_t *)&w.word, 1);
	while (futex(&w.word, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 0x3) == 0 &&
	       atomic_load(&w.done) == 0)
		usleep(1000);
	pthread_join(th, NULL);
	CHECK_EQ(atomic_load(&w.done), 1);
}

static void
cmp_requeue_moves_waiters(void)
{
	struct waiters w = { .op = FUTEX_WAIT_PRIVATE };
	pthread_t th[3];
	long r;

	for (int i = 0; i < 3; i++)
		REQUIRE(pthread_create(&th[i], NULL, waiter, &w) == 0);
	let_them_sleep(&w, 3);
	/* The word does not hold val3: nothing happens. */
	CHECK_ERR(futex(&w.word, FUTEX_CMP_REQUEUE_PRIVATE, 0, (void *)(uintptr_t)3, &w.word2, 1),
		  EAGAIN);
	/* Wake none, move all three to word2: they sleep there now. */
	r = futex(&w.word, FUTEX_CMP_REQUEUE_PRIVATE, 0, (void *)(uintptr_t)3, &w.word2, 0);
	CHECK(r >= 0 && r <= 3);
	CHECK_EQ(futex(&w.word, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL, NULL, 0), 0);
	atomic_store((_Atomic uint32_t *)&w.word, 1);
	/* The requeued ones are woken through word2, the others through word. */
	long n = futex(&w.word2, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL, NULL, 0);

	CHECK_EQ(n, r);
	futex(&w.word, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL, NULL, 0);
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	CHECK_EQ(atomic_load(&w.done), 3);
}

static void
wake_op_changes_and_wakes(void)
{
	uint32_t a = 0, b = 10;

	/* b += 5; wake on a (none), and on b if the old b > 9. */
	uint32_t op = FUTEX_OP(FUTEX_OP_ADD, 5, FUTEX_OP_CMP_GT, 9);

	CHECK_EQ(futex(&a, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &b, op), 0);
	CHECK_EQ(b, 15);
	/* b = 1 << 4 with FUTEX_OP_OPARG_SHIFT. */
	op = FUTEX_OP((FUTEX_OP_SET | FUTEX_OP_OPARG_SHIFT), 4, FUTEX_OP_CMP_EQ, 15);
	CHECK_EQ(futex(&a, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &b, op), 0);
	CHECK_EQ(b, 16);
	op = FUTEX_OP(FUTEX_OP_ANDN, 16, FUTEX_OP_CMP_NE, 0);
	CHECK_EQ(futex(&a, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &b, op), 0);
	CHECK_EQ(b, 0);
	op = FUTEX_OP(FUTEX_OP_XOR, 3, FUTEX_OP_CMP_LT, 1);
	CHECK_EQ(futex(&a, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &b, op), 0);
	CHECK_EQ(b, 3);
	op = FUTEX_OP(FUTEX_OP_OR, 4, FUTEX_OP_CMP_GE, 0);
	CHECK_EQ(futex(&a, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &b, op), 0);
	CHECK_EQ(b, 7);
	/* A read-only word2: EFAULT, and nothing changed. */
	void *ro = mmap(NULL, KT_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	REQUIRE(ro != MAP_FAILED);
	CHECK_ERR(futex(&a, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, ro, op), EFAULT);
	CHECK_EQ(*(uint32_t *)ro, 0);
	munmap(ro, KT_PAGE);
}

/* A woken WAKE_OP waiter on word2. */
static void
wake_op_wakes_second_word(void)
{
	struct waiters w = { .op = FUTEX_WAIT_PRIVATE };
	pthread_t th;

	/* The waiter sleeps on word (w.word); WAKE_OP sets it through uaddr2 and wakes it. */
	REQUIRE(pthread_create(&th, NULL, waiter, &w) == 0);
	let_them_sleep(&w, 1);
	uint32_t other = 0;
	long n = futex(&other, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &w.word,
		       FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_EQ, 0));

	CHECK(n == 0 || n == 1);
	while (!atomic_load(&w.done))
		futex(&w.word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	pthread_join(th, NULL);
	CHECK_EQ(w.word, 1);
}

/* A wait interrupted by a handler: EINTR (no SA_RESTART restarts a futex wait with a timeout). */
static void
on_usr1(int sig)
{
	(void)sig;
}

static void
wait_interrupted_by_handler(void)
{
	uint32_t word = 0;
	struct timespec t = { 30, 0 };
	pid_t me = getpid();

	kt_handle(SIGUSR1, on_usr1, 0);
	pid_t pid = kt_fork();

	if (pid == 0) {
		/*
		 * Again and again: a parent slower to reach its wait than the
		 * first signal (a loaded host) handles that one before it and
		 * would then sleep the whole 30 s.  One comes during the wait.
		 */
		for (;;) {
			usleep(30000);
			kill(me, SIGUSR1);
		}
	}
	CHECK_ERR(futex(&word, FUTEX_WAIT_PRIVATE, 0, &t, NULL, 0), EINTR);
	kill(pid, SIGKILL);
	kt_wait(pid);
}

/* CLONE_CHILD_CLEARTID: the tid word is cleared and woken when the thread exits (pthread_join). */
static void *
quick(void *arg)
{
	return arg;
}

static void
join_many_short_threads(void)
{
	for (int i = 0; i < 200; i++) {
		pthread_t th;
		void *ret;

		REQUIRE(pthread_create(&th, NULL, quick, (void *)(intptr_t)i) == 0);
		CHECK_EQ(pthread_join(th, &ret), 0);
		CHECK_EQ((intptr_t)ret, i);
	}
}

/* A word in MAP_SHARED memory: a waiter in one process, the waker in another. */
static void
shared_word_across_fork(void)
{
	uint32_t *w = mmap(NULL, KT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	REQUIRE(w != MAP_FAILED);
	pid_t pid = kt_fork();

	if (pid == 0) {
		w[1] = 1;	/* about to wait */
		while (atomic_load((_Atomic uint32_t *)w) == 0)
			futex(w, FUTEX_WAIT, 0, NULL, NULL, 0);
		_exit(KT_PASS);
	}
	while (atomic_load((_Atomic uint32_t *)&w[1]) == 0)
		usleep(1000);
	usleep(20000);
	atomic_store((_Atomic uint32_t *)w, 1);
	long n = futex(w, FUTEX_WAKE, 1, NULL, NULL, 0);

	CHECK(n == 0 || n == 1);
	CHECK_EQ(kt_wait_exit(pid), KT_PASS);
	munmap(w, KT_PAGE);
}

/* A process-shared mutex and semaphore (glibc: shared futex calls) between two processes. */
struct shared_sync {
	pthread_mutex_t m;
	long counter;
};

static void
pshared_mutex_across_fork(void)
{
	struct shared_sync *s = mmap(NULL, KT_PAGE, PROT_READ | PROT_WRITE,
				     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pthread_mutexattr_t a;

	REQUIRE(s != MAP_FAILED);
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	REQUIRE(pthread_mutex_init(&s->m, &a) == 0);
	pid_t pid = kt_fork();

	for (int i = 0; i < 20000; i++) {
		pthread_mutex_lock(&s->m);
		long v = s->counter;

		if ((i & 127) == 0)
			sched_yield();
		s->counter = v + 1;
		pthread_mutex_unlock(&s->m);
	}
	if (pid == 0)
		_exit(KT_PASS);
	CHECK_EQ(kt_wait_exit(pid), KT_PASS);
	CHECK_EQ(s->counter, 40000);
	munmap(s, KT_PAGE);
}

/* A SCHED_FIFO waiter of priority prio: records its order of waking in w[1]. */
static void fifo_waiter(_Atomic uint32_t *w, int prio)
{
	struct sched_param sp = { .sched_priority = prio };

	if (sched_setscheduler(0, SCHED_FIFO, &sp))
		_exit(2);
	while (atomic_load(&w[0]) == 0)
		syscall(SYS_futex, &w[0], FUTEX_WAIT, 0, NULL, NULL, 0);
	_exit((int)atomic_fetch_add(&w[1], 1));
}

/* FUTEX_WAKE wakes the highest real-time priority first (Linux's plist). */
static void wake_by_priority(void)
{
	_Atomic uint32_t *w = mmap(NULL, KT_PAGE, PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct sched_param sp = { .sched_priority = 1 };
	pid_t low, high;
	int st;

	REQUIRE(w != MAP_FAILED);
	if (sched_setscheduler(0, SCHED_FIFO, &sp))
		kt_skip("no SCHED_FIFO here: %s", kt_errname(errno));
	sp.sched_priority = 0;
	REQUIRE_OK(sched_setscheduler(0, SCHED_OTHER, &sp));
	low = kt_fork();
	if (low == 0)
		fifo_waiter(w, 2);
	REQUIRE(kt_wait_sleeping(low) == 0);
	high = kt_fork();
	if (high == 0)
		fifo_waiter(w, 3);
	REQUIRE(kt_wait_sleeping(high) == 0);
	atomic_store(&w[0], 1);
	/* One at a time: the first woken must be the higher priority. */
	CHECK_EQ(syscall(SYS_futex, &w[0], FUTEX_WAKE, 1, NULL, NULL, 0), 1);
	CHECK_EQ(waitpid(-1, &st, 0), high);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK_EQ(syscall(SYS_futex, &w[0], FUTEX_WAKE, 1, NULL, NULL, 0), 1);
	CHECK_EQ(waitpid(-1, &st, 0), low);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	munmap((void *)w, KT_PAGE);
}

KT_TABLE(futex) = {
	{ "futex.wake_by_priority", wake_by_priority },
	{ "futex.shared_word_across_fork", shared_word_across_fork },
	{ "futex.pshared_mutex_across_fork", pshared_mutex_across_fork },
	{ "futex.wait_checks_value", wait_checks_value },
	{ "futex.wait_relative_timeout", wait_relative_timeout },
	{ "futex.wait_bitset_absolute_timeout", wait_bitset_absolute_timeout },
	{ "futex.argument_errors", argument_errors },
	{ "futex.wake_counts", wake_counts },
	{ "futex.bitset_selects_waiters", bitset_selects_waiters },
	{ "futex.cmp_requeue_moves_waiters", cmp_requeue_moves_waiters },
	{ "futex.wake_op_changes_and_wakes", wake_op_changes_and_wakes },
	{ "futex.wake_op_wakes_second_word", wake_op_wakes_second_word },
	{ "futex.wait_interrupted_by_handler", wait_interrupted_by_handler },
	{ "futex.join_many_short_threads", join_many_short_threads },
	{ NULL, NULL },
};
