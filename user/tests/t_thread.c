/*
 * Threads: clone(CLONE_THREAD) and clone3 through glibc's pthreads and
 * raw, thread groups (gettid, tgkill, exit vs exit_group, a signal to the
 * process taken by a thread that does not block it, a fatal signal or an
 * execve ending every thread, group stop and continue), glibc's mutexes,
 * condition variables, barriers, rwlocks, thread-local storage,
 * cancellation and robust mutexes.
 */
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include "kt.h"

#define NTHREADS 4

static pid_t
my_tid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

/* The "Threads:" line of /proc/<pid>/status, or -1. */
static int
proc_threads(pid_t pid)
{
	char path[64], buf[4096], *s;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (kt_read_file(path, buf, sizeof(buf)) < 0)
		return -1;
	s = strstr(buf, "\nThreads:");
	return s ? atoi(s + 9) : -1;
}

/* Helper for exec tests: the exit code is the number of threads after execve. */
int
kt_thread_count_helper(void)
{
	return proc_threads(getpid());
}

/* ---- creation, ids, join ---- */

static atomic_int started;

struct ids {
	pid_t tid, pid;
	int slot;
};

static void *
record_ids(void *arg)
{
	struct ids *id = arg;

	id->tid = my_tid();
	id->pid = getpid();
	atomic_fetch_add(&started, 1);
	return (void *)(intptr_t)(id->slot + 100);
}

static void
create_join(void)
{
	pthread_t th[NTHREADS];
	struct ids id[NTHREADS];

	for (int i = 0; i < NTHREADS; i++) {
		id[i].slot = i;
		REQUIRE(pthread_create(&th[i], NULL, record_ids, &id[i]) == 0);
	}
	for (int i = 0; i < NTHREADS; i++) {
		void *ret;

		CHECK_EQ(pthread_join(th[i], &ret), 0);
		CHECK_EQ((intptr_t)ret, i + 100);
		CHECK_EQ(id[i].pid, getpid());
		CHECK(id[i].tid != getpid());
		CHECK(id[i].tid > 0);
		for (int j = 0; j < i; j++)
			CHECK(id[i].tid != id[j].tid);
	}
	CHECK_EQ(atomic_load(&started), NTHREADS);
	CHECK_EQ(my_tid(), getpid());
	/*
	 * The joined threads go: their tids soon name nothing.  (join returns
	 * when the tid word is cleared, a moment before the thread is gone,
	 * on Linux too.)
	 */
	for (int i = 0; i < NTHREADS; i++) {
		while (syscall(SYS_tgkill, getpid(), id[i].tid, 0) == 0)
			usleep(1000);
		CHECK_EQ(errno, ESRCH);
	}
}

static void *
count_threads_then_wait(void *arg)
{
	pthread_barrier_t *b = arg;

	pthread_barrier_wait(b);	/* everyone exists */
	pthread_barrier_wait(b);	/* main has looked */
	return NULL;
}

static void
proc_status_counts_threads(void)
{
	pthread_t th[3];
	pthread_barrier_t b;

	CHECK_EQ(proc_threads(getpid()), 1);
	pthread_barrier_init(&b, NULL, 4);
	for (int i = 0; i < 3; i++)
		REQUIRE(pthread_create(&th[i], NULL, count_threads_then_wait, &b) == 0);
	pthread_barrier_wait(&b);
	CHECK_EQ(proc_threads(getpid()), 4);
	pthread_barrier_wait(&b);
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	while (proc_threads(getpid()) > 1)	/* joined threads leave a moment later */
		usleep(1000);
	CHECK_EQ(proc_threads(getpid()), 1);
	pthread_barrier_destroy(&b);
}

/* ---- synchronisation through glibc (futexes underneath) ---- */

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *
add_many(void *arg)
{
	long n = (long)(intptr_t)arg;

	for (long i = 0; i < n; i++) {
		pthread_mutex_lock(&counter_lock);
		long v = counter;
		/* A window for another thread to break a lock that does not exclude. */
		if ((i & 63) == 0)
			sched_yield();
		counter = v + 1;
		pthread_mutex_unlock(&counter_lock);
	}
	return NULL;
}

static void
mutex_excludes(void)
{
	pthread_t th[NTHREADS];

	counter = 0;
	for (int i = 0; i < NTHREADS; i++)
		REQUIRE(pthread_create(&th[i], NULL, add_many, (void *)(intptr_t)20000) == 0);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	CHECK_EQ(counter, NTHREADS * 20000L);
}

/* A bounded queue with two condition variables. */
#define QCAP 4
static struct {
	pthread_mutex_t lock;
	pthread_cond_t not_empty, not_full;
	int buf[QCAP], head, count;
} q = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER };

static void *
producer(void *arg)
{
	int n = (int)(intptr_t)arg;

	for (int i = 1; i <= n; i++) {
		pthread_mutex_lock(&q.lock);
		while (q.count == QCAP)
			pthread_cond_wait(&q.not_full, &q.lock);
		q.buf[(q.head + q.count) % QCAP] = i;
		q.count++;
		pthread_cond_signal(&q.not_empty);
		pthread_mutex_unlock(&q.lock);
	}
	return NULL;
}

static void
condvar_queue(void)
{
	pthread_t th[2];
	long sum = 0;
	const int n = 3000;

	for (int i = 0; i < 2; i++)
		REQUIRE(pthread_create(&th[i], NULL, producer, (void *)(intptr_t)n) == 0);
	for (int got = 0; got < 2 * n; got++) {
		pthread_mutex_lock(&q.lock);
		while (q.count == 0)
			pthread_cond_wait(&q.not_empty, &q.lock);
		sum += q.buf[q.head];
		q.head = (q.head + 1) % QCAP;
		q.count--;
		pthread_cond_broadcast(&q.not_full);
		pthread_mutex_unlock(&q.lock);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	CHECK_EQ(sum, 2L * n * (n + 1) / 2);
}

static void
condvar_timedwait_times_out(void)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t c = PTHREAD_COND_INITIALIZER;
	pthread_condattr_t a;
	struct timespec ts, now;

	/* Absolute deadlines on CLOCK_REALTIME (glibc's default) and CLOCK_MONOTONIC. */
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 20 * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&m);
	CHECK_EQ(pthread_cond_timedwait(&c, &m, &ts), ETIMEDOUT);
	clock_gettime(CLOCK_REALTIME, &now);
	CHECK(now.tv_sec > ts.tv_sec || (now.tv_sec == ts.tv_sec && now.tv_nsec >= ts.tv_nsec));
	pthread_mutex_unlock(&m);

	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(&c, &a);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += 20 * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&m);
	CHECK_EQ(pthread_cond_timedwait(&c, &m, &ts), ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &now);
	CHECK(now.tv_sec > ts.tv_sec || (now.tv_sec == ts.tv_sec && now.tv_nsec >= ts.tv_nsec));
	pthread_mutex_unlock(&m);
}

static pthread_barrier_t round_barrier;
static atomic_int round_arrivals[8];

static void *
barrier_rounds(void *arg)
{
	(void)arg;
	for (int r = 0; r < 8; r++) {
		atomic_fetch_add(&round_arrivals[r], 1);
		pthread_barrier_wait(&round_barrier);
		/* Nobody passes round r before all arrived at it. */
		if (atomic_load(&round_arrivals[r]) != NTHREADS)
			return (void *)1;
		pthread_barrier_wait(&round_barrier);
	}
	return NULL;
}

static void
barrier_holds_everyone(void)
{
	pthread_t th[NTHREADS];

	pthread_barrier_init(&round_barrier, NULL, NTHREADS);
	for (int i = 0; i < NTHREADS; i++)
		REQUIRE(pthread_create(&th[i], NULL, barrier_rounds, NULL) == 0);
	for (int i = 0; i < NTHREADS; i++) {
		void *ret;

		pthread_join(th[i], &ret);
		CHECK(ret == NULL);
	}
	pthread_barrier_destroy(&round_barrier);
}

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static atomic_int readers_in, writers_in, rw_violations;

static void *
rw_worker(void *arg)
{
	int writer = (int)(intptr_t)arg;

	for (int i = 0; i < 2000; i++) {
		if (writer) {
			pthread_rwlock_wrlock(&rw);
			if (atomic_fetch_add(&writers_in, 1) != 0 || atomic_load(&readers_in))
				atomic_fetch_add(&rw_violations, 1);
			if ((i & 31) == 0)
				sched_yield();
			atomic_fetch_sub(&writers_in, 1);
		} else {
			pthread_rwlock_rdlock(&rw);
			atomic_fetch_add(&readers_in, 1);
			if (atomic_load(&writers_in))
				atomic_fetch_add(&rw_violations, 1);
			if ((i & 31) == 0)
				sched_yield();
			atomic_fetch_sub(&readers_in, 1);
		}
		pthread_rwlock_unlock(&rw);
	}
	return NULL;
}

static void
rwlock_excludes_writers(void)
{
	pthread_t th[NTHREADS];

	for (int i = 0; i < NTHREADS; i++)
		REQUIRE(pthread_create(&th[i], NULL, rw_worker, (void *)(intptr_t)(i < 2)) == 0);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	CHECK_EQ(atomic_load(&rw_violations), 0);
}

static __thread int tls_value = 7;
static __thread char tls_array[64];

static void *
tls_worker(void *arg)
{
	int v = (int)(intptr_t)arg;

	if (tls_value != 7)	/* the initial image, not another thread's copy */
		return (void *)1;
	tls_value = v;
	memset(tls_array, v, sizeof(tls_array));
	for (int i = 0; i < 1000; i++) {
		sched_yield();
		if (tls_value != v || tls_array[63] != (char)v)
			return (void *)2;
	}
	return NULL;
}

static void
tls_per_thread(void)
{
	pthread_t th[NTHREADS];

	tls_value = 99;
	for (int i = 0; i < NTHREADS; i++)
		REQUIRE(pthread_create(&th[i], NULL, tls_worker, (void *)(intptr_t)(i + 1)) == 0);
	for (int i = 0; i < NTHREADS; i++) {
		void *ret;

		pthread_join(th[i], &ret);
		CHECK(ret == NULL);
	}
	CHECK_EQ(tls_value, 99);
}

/* ---- cancellation (SIGCANCEL through tgkill) ---- */

static void *
sleep_forever(void *arg)
{
	int *fds = arg;
	char c;

	for (;;)
		if (read(fds[0], &c, 1) <= 0)	/* a cancellation point that blocks */
			return (void *)3;
}

static pthread_mutex_t cancel_m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cancel_c = PTHREAD_COND_INITIALIZER;
static atomic_int cleanup_ran;

static void
unlock_cleanup(void *m)
{
	atomic_store(&cleanup_ran, 1);
	pthread_mutex_unlock(m);
}

static void *
wait_cond_forever(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&cancel_m);
	pthread_cleanup_push(unlock_cleanup, &cancel_m);
	for (;;)
		pthread_cond_wait(&cancel_c, &cancel_m);
	pthread_cleanup_pop(1);
	return NULL;
}

static void
cancel_blocked_threads(void)
{
	pthread_t a, b;
	int fds[2];
	void *ret;

	REQUIRE_OK(pipe(fds));
	REQUIRE(pthread_create(&a, NULL, sleep_forever, fds) == 0);
	REQUIRE(pthread_create(&b, NULL, wait_cond_forever, NULL) == 0);
	usleep(20000);
	CHECK_EQ(pthread_cancel(a), 0);
	CHECK_EQ(pthread_join(a, &ret), 0);
	CHECK(ret == PTHREAD_CANCELED);
	CHECK_EQ(pthread_cancel(b), 0);
	CHECK_EQ(pthread_join(b, &ret), 0);
	CHECK(ret == PTHREAD_CANCELED);
	CHECK_EQ(atomic_load(&cleanup_ran), 1);
	/* The cleanup handler released the mutex. */
	CHECK_EQ(pthread_mutex_trylock(&cancel_m), 0);
	pthread_mutex_unlock(&cancel_m);
}

/* ---- robust mutexes (the robust list at thread exit) ---- */

static pthread_mutex_t robust_m;

static void *
lock_and_die(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&robust_m);
	return NULL;			/* exits holding it */
}

static void
robust_mutex_owner_dies(void)
{
	pthread_mutexattr_t a;
	pthread_t th;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	REQUIRE(pthread_mutex_init(&robust_m, &a) == 0);
	REQUIRE(pthread_create(&th, NULL, lock_and_die, NULL) == 0);
	pthread_join(th, NULL);
	CHECK_EQ(pthread_mutex_lock(&robust_m), EOWNERDEAD);
	CHECK_EQ(pthread_mutex_consistent(&robust_m), 0);
	CHECK_EQ(pthread_mutex_unlock(&robust_m), 0);
	CHECK_EQ(pthread_mutex_lock(&robust_m), 0);
	CHECK_EQ(pthread_mutex_unlock(&robust_m), 0);
}

/* fds: [0] a pipe to say "locked" on (its write end), [1] one to block reading. */
static void *
lock_robust_then_block(void *arg)
{
	int *fds = arg;
	char c;

	pthread_mutex_lock(&robust_m);
	if (write(fds[0], "l", 1) != 1)
		return NULL;
	(void)!read(fds[1], &c, 1);	/* until cancelled */
	return NULL;
}

/* A waiter blocked on the dead owner's mutex is woken with EOWNERDEAD. */
static void *
robust_waiter(void *arg)
{
	(void)arg;
	return (void *)(intptr_t)pthread_mutex_lock(&robust_m);
}

static void
robust_waiter_woken(void)
{
	pthread_mutexattr_t a;
	pthread_t owner, waiter;
	int said[2], block[2], ends[2];
	char c;
	void *ret;

	REQUIRE_OK(pipe(said));
	REQUIRE_OK(pipe(block));
	ends[0] = said[1];
	ends[1] = block[0];
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	REQUIRE(pthread_mutex_init(&robust_m, &a) == 0);
	REQUIRE(pthread_create(&owner, NULL, lock_robust_then_block, ends) == 0);
	REQUIRE(read(said[0], &c, 1) == 1);
	REQUIRE(pthread_create(&waiter, NULL, robust_waiter, NULL) == 0);
	usleep(20000);			/* let it block in FUTEX_WAIT (it passes either way) */
	/* The owner dies without unlocking: cancel it in its read. */
	pthread_cancel(owner);
	pthread_join(owner, NULL);
	pthread_join(waiter, &ret);
	CHECK_EQ((intptr_t)ret, EOWNERDEAD);
	pthread_mutex_consistent(&robust_m);
	pthread_mutex_unlock(&robust_m);
}

/* ---- exits ---- */

static void *
exit_group_from_thread(void *arg)
{
	(void)arg;
	usleep(10000);
	exit(42);			/* exit_group: the whole process */
}

static void *
spin_forever(void *arg)
{
	(void)arg;
	for (;;)
		sched_yield();
	return NULL;
}

static void
exit_group_ends_all(void)
{
	pid_t pid = kt_fork();

	if (pid == 0) {
		pthread_t th;

		for (int i = 0; i < 3; i++)
			pthread_create(&th, NULL, spin_forever, NULL);
		pthread_create(&th, NULL, exit_group_from_thread, NULL);
		for (;;)
			pause();
	}
	CHECK_EQ(kt_wait_exit(pid), 42);
}

/*
 * A thread inside sigtimedwait when another calls exit_group: the SIGKILL
 * the group exit gives it ends it; it is never handed to the waiter as a
 * signal it took (glibc's SIGEV_THREAD helper would then wait on for
 * ever, its process a zombie).  The window is the few instructions
 * between the call's entry and its look at the pending set, so the race
 * is run many times; a kernel that gets it wrong fails it most runs, one
 * that gets it right never does.
 */
static atomic_int *took_sigkill;

static void *
sigtimedwait_forever(void *arg)
{
	sigset_t usr1;
	siginfo_t si;
	const struct timespec zero = {0, 0};

	(void)arg;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	for (;;)
		if (sigtimedwait(&usr1, &si, &zero) == SIGKILL) {
			atomic_store(took_sigkill, 1);
			syscall(SYS_exit_group, 0);
		}
	return NULL;
}

static void
exit_group_ends_sigwaiters(void)
{
	took_sigkill = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	REQUIRE(took_sigkill != MAP_FAILED);
	kt_block(SIGUSR1);
	for (int round = 0; round < 300 && !atomic_load(took_sigkill); round++) {
		pid_t pid = kt_fork();

		if (pid == 0) {
			pthread_t th;

			if (pthread_create(&th, NULL, sigtimedwait_forever, NULL))
				_exit(2);
			for (int i = 0; i < round % 8; i++)
				sched_yield();
			syscall(SYS_exit_group, 0);
		}
		CHECK_EQ(kt_wait_exit(pid), 0);
	}
	CHECK_EQ(atomic_load(took_sigkill), 0);
}

/*
 * exit_group while the other threads sleep in every kind of wait: each
 * wait ends for the group's SIGKILL and the process exits with the
 * caller's status (a wait that ignored the kill, or returned to user
 * space as if it had been interrupted by a signal that was handled,
 * would leave the process hanging: the hang guard reports it).
 */
enum blocker {
	B_PIPE_READ, B_PIPE_WRITE, B_FUTEX, B_NANOSLEEP, B_CLOCK_ABS, B_POLL, B_SELECT,
	B_EPOLL, B_PAUSE, B_SIGSUSPEND, B_SIGWAIT, B_WAITPID, B_CONDVAR, B_EVENTFD,
	B_TIMERFD, B_SIGNALFD, B_COUNT
};

static int blk_empty[2], blk_full[2], blk_epfd, blk_efd, blk_tfd, blk_sfd;
static uint32_t blk_futex;
static pthread_mutex_t blk_m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t blk_c = PTHREAD_COND_INITIALIZER;
static atomic_int blk_tids[B_COUNT];

static void *
block_in(void *arg)
{
	enum blocker b = (enum blocker)(intptr_t)arg;
	struct timespec far = {100000, 0};
	sigset_t usr1;
	uint64_t v;
	char buf[128];		/* a signalfd read takes a whole siginfo */

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	atomic_store(&blk_tids[b], my_tid());
	switch (b) {
	case B_PIPE_READ:
		return (void *)(intptr_t)read(blk_empty[0], buf, 1);
	case B_PIPE_WRITE:
		return (void *)(intptr_t)write(blk_full[1], buf, sizeof(buf));
	case B_FUTEX:
		return (void *)syscall(SYS_futex, &blk_futex, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	case B_NANOSLEEP:
		return (void *)(intptr_t)nanosleep(&far, NULL);
	case B_CLOCK_ABS:
		return (void *)(intptr_t)clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &far, NULL);
	case B_POLL: {
		struct pollfd pfd = {blk_empty[0], POLLIN, 0};
		return (void *)(intptr_t)poll(&pfd, 1, -1);
	}
	case B_SELECT: {
		fd_set rd;
		FD_ZERO(&rd);
		FD_SET(blk_empty[0], &rd);
		return (void *)(intptr_t)select(blk_empty[0] + 1, &rd, NULL, NULL, NULL);
	}
	case B_EPOLL: {
		struct epoll_event ev;
		return (void *)(intptr_t)epoll_wait(blk_epfd, &ev, 1, -1);
	}
	case B_PAUSE:
		return (void *)(intptr_t)pause();
	case B_SIGSUSPEND: {
		sigset_t all;
		sigfillset(&all);
		return (void *)(intptr_t)sigsuspend(&all);
	}
	case B_SIGWAIT:
		return (void *)(intptr_t)sigwaitinfo(&usr1, NULL);
	case B_WAITPID: {
		pid_t pid = fork();
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			for (;;)
				pause();
		}
		return (void *)(intptr_t)waitpid(pid, NULL, 0);
	}
	case B_CONDVAR:
		pthread_mutex_lock(&blk_m);
		for (;;)
			pthread_cond_wait(&blk_c, &blk_m);
	case B_EVENTFD:
		return (void *)(intptr_t)read(blk_efd, &v, sizeof(v));
	case B_TIMERFD:
		return (void *)(intptr_t)read(blk_tfd, &v, sizeof(v));
	case B_SIGNALFD:
		return (void *)(intptr_t)read(blk_sfd, buf, sizeof(buf));
	case B_COUNT:
		break;
	}
	return NULL;
}

static void
exit_group_ends_blocked(void)
{
	pid_t pid = kt_fork();

	if (pid == 0) {
		struct epoll_event ev = {.events = EPOLLIN};
		struct itimerspec later = {.it_value = {100000, 0}};
		sigset_t usr1;
		pthread_t th;

		sigemptyset(&usr1);
		sigaddset(&usr1, SIGUSR1);
		sigprocmask(SIG_BLOCK, &usr1, NULL);	/* the threads inherit it */
		if (pipe(blk_empty) || pipe(blk_full))
			_exit(2);
		fcntl(blk_full[1], F_SETFL, O_NONBLOCK);
		while (write(blk_full[1], "x", 1) == 1)
			;
		fcntl(blk_full[1], F_SETFL, 0);
		blk_epfd = epoll_create1(0);
		ev.data.fd = blk_empty[0];
		blk_efd = eventfd(0, 0);
		blk_tfd = timerfd_create(CLOCK_MONOTONIC, 0);
		blk_sfd = signalfd(-1, &usr1, 0);
		if (blk_epfd < 0 || epoll_ctl(blk_epfd, EPOLL_CTL_ADD, blk_empty[0], &ev) ||
		    blk_efd < 0 || blk_tfd < 0 || timerfd_settime(blk_tfd, 0, &later, NULL) ||
		    blk_sfd < 0)
			_exit(3);
		for (int b = 0; b < B_COUNT; b++)
			if (pthread_create(&th, NULL, block_in, (void *)(intptr_t)b))
				_exit(4);
		/* Every one of them asleep in its call. */
		for (int b = 0; b < B_COUNT; b++) {
			while (!atomic_load(&blk_tids[b]))
				sched_yield();
			if (kt_wait_sleeping(atomic_load(&blk_tids[b])))
				_exit(5);
		}
		syscall(SYS_exit_group, 42);
	}
	CHECK_EQ(kt_wait_exit(pid), 42);
}

static atomic_int late_ran;

static void *
outlive_main(void *arg)
{
	(void)arg;
	usleep(30000);
	atomic_store(&late_ran, 1);
	/* Still alive after main's pthread_exit, in the same process. */
	if (syscall(SYS_gettid) == getpid())
		_exit(3);
	return NULL;
}

static void
main_thread_exits_first(void)
{
	pid_t pid = kt_fork();

	if (pid == 0) {
		pthread_t th;

		pthread_create(&th, NULL, outlive_main, NULL);
		pthread_exit(NULL);	/* glibc: the last thread's exit ends the process with 0 */
	}
	int st = kt_wait(pid);

	CHECK(WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), 0);
}

static void
raw_exit_of_one_thread(void)
{
	pid_t pid = kt_fork();

	if (pid == 0) {
		pthread_t th;
		void *ret;

		/* pthread_exit in a thread is SYS_exit: the others go on. */
		pthread_create(&th, NULL, record_ids, &(struct ids){ 0 });
		pthread_join(th, &ret);
		/* The joined thread leaves a moment after join returns (Linux too). */
		while (proc_threads(getpid()) > 1)
			usleep(1000);
		_exit(ret == (void *)100 && proc_threads(getpid()) == 1 ? 7 : 1);
	}
	CHECK_EQ(kt_wait_exit(pid), 7);
}

static void
fatal_signal_ends_all(void)
{
	pid_t pid = kt_fork();

	if (pid == 0) {
		pthread_t th;
		int fds[2];

		if (pipe(fds))
			_exit(1);
		for (int i = 0; i < 3; i++)
			pthread_create(&th, NULL, sleep_forever, fds);
		for (;;)
			pause();
	}
	usleep(20000);
	CHECK_OK(kill(pid, SIGTERM));
	int st = kt_wait(pid);

	CHECK(WIFSIGNALED(st));
	CHECK_EQ(WTERMSIG(st), SIGTERM);
}

static void *
fault_in_thread(void *arg)
{
	volatile int *volatile bad = (volatile int *)8;

	(void)arg;
	*bad = 1;			/* SIGSEGV for this thread, which kills the group */
	return NULL;
}

static void
fault_in_thread_kills_process(void)
{
	pid_t pid = kt_fork();

	if (pid == 0) {
		pthread_t th;

		pthread_create(&th, NULL, fault_in_thread, NULL);
		for (;;)
			pause();
	}
	int st = kt_wait(pid);

	CHECK(WIFSIGNALED(st));
	CHECK_EQ(WTERMSIG(st), SIGSEGV);
}

static void *
exec_from_thread(void *arg)
{
	(void)arg;
	usleep(10000);
	execl(kt_self, kt_self, "--helper=threads", (char *)NULL);
	return (void *)1;
}

static void
execve_from_thread_ends_others(void)
{
	pid_t pid = kt_fork();

	if (pid == 0) {
		pthread_t th;

		for (int i = 0; i < 2; i++)
			pthread_create(&th, NULL, spin_forever, NULL);
		pthread_create(&th, NULL, exec_from_thread, NULL);
		for (;;)
			pause();
	}
	/* The new image runs alone, in the same process (the same pid). */
	CHECK_EQ(kt_wait_exit(pid), 1);
}

/* ---- signals and thread groups ---- */

static atomic_int handled_by;

static void
note_tid(int sig)
{
	(void)sig;
	atomic_store(&handled_by, (int)syscall(SYS_gettid));
}

struct sig_thread {
	pthread_barrier_t *b;
	pid_t tid;
};

static void *
unblocked_waiter(void *arg)
{
	struct sig_thread *st = arg;
	sigset_t none;

	sigemptyset(&none);
	pthread_sigmask(SIG_SETMASK, &none, NULL);
	st->tid = my_tid();
	pthread_barrier_wait(st->b);
	while (!atomic_load(&handled_by))
		usleep(1000);
	return NULL;
}

static void
process_signal_goes_to_unblocked_thread(void)
{
	pthread_barrier_t b;
	struct sig_thread st = { &b, 0 };
	pthread_t th;

	kt_handle(SIGUSR1, note_tid, 0);
	kt_block(SIGUSR1);		/* main blocks it; the new thread unblocks it */
	pthread_barrier_init(&b, NULL, 2);
	REQUIRE(pthread_create(&th, NULL, unblocked_waiter, &st) == 0);
	pthread_barrier_wait(&b);
	CHECK_OK(kill(getpid(), SIGUSR1));
	pthread_join(th, NULL);
	CHECK_EQ(atomic_load(&handled_by), st.tid);
	/* Nothing is left pending for main. */
	sigset_t pend;

	sigpending(&pend);
	CHECK(!sigismember(&pend, SIGUSR1));
}

static void *
wait_for_handler(void *arg)
{
	struct sig_thread *st = arg;

	st->tid = my_tid();
	pthread_barrier_wait(st->b);
	while (!atomic_load(&handled_by))
		usleep(1000);
	return NULL;
}

static void
tgkill_targets_one_thread(void)
{
	pthread_barrier_t b;
	struct sig_thread st = { &b, 0 };
	pthread_t th;

	kt_handle(SIGUSR2, note_tid, 0);
	pthread_barrier_init(&b, NULL, 2);
	REQUIRE(pthread_create(&th, NULL, wait_for_handler, &st) == 0);
	pthread_barrier_wait(&b);
	CHECK_OK(syscall(SYS_tgkill, getpid(), st.tid, SIGUSR2));
	pthread_join(th, NULL);
	CHECK_EQ(atomic_load(&handled_by), st.tid);
	/* Errors: a tid of another process, a bad tgid, a bad signal. */
	while (syscall(SYS_tgkill, getpid(), st.tid, 0) == 0)	/* joined: gone soon */
		usleep(1000);
	CHECK_ERR(syscall(SYS_tgkill, getpid(), st.tid, SIGUSR2), ESRCH);
	CHECK_ERR(syscall(SYS_tgkill, getppid(), getpid(), 0), ESRCH);
	CHECK_ERR(syscall(SYS_tgkill, 0, getpid(), 0), EINVAL);
	CHECK_ERR(syscall(SYS_tgkill, getpid(), getpid(), 65), EINVAL);
	CHECK_OK(syscall(SYS_tgkill, getpid(), getpid(), 0));
	CHECK_OK(syscall(SYS_tkill, getpid(), 0));
}

static atomic_long progress;

static void *
make_progress(void *arg)
{
	(void)arg;
	for (;;) {
		atomic_fetch_add(&progress, 1);
		sched_yield();
	}
	return NULL;
}

static void
group_stop_and_continue(void)
{
	/* The counter lives in shared memory so the parent can watch the child's threads. */
	atomic_long *shared = mmap(NULL, KT_PAGE, PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (shared == MAP_FAILED)
		kt_skip("no MAP_SHARED|MAP_ANONYMOUS: %s", kt_errname(errno));
	pid_t pid = kt_fork();

	if (pid == 0) {
		pthread_t th;

		for (int i = 0; i < 2; i++)
			pthread_create(&th, NULL, make_progress, NULL);
		for (;;) {
			atomic_store(shared, atomic_load(&progress));
			sched_yield();
		}
	}
	while (atomic_load(shared) < 100)
		usleep(1000);
	CHECK_OK(kill(pid, SIGSTOP));
	int st;

	REQUIRE(waitpid(pid, &st, WUNTRACED) == pid);
	CHECK(WIFSTOPPED(st));
	CHECK_EQ(WSTOPSIG(st), SIGSTOP);
	/* Every thread has stopped: nothing moves any more. */
	long a = atomic_load(shared);

	usleep(50000);
	CHECK_EQ(atomic_load(shared), a);
	CHECK_OK(kill(pid, SIGCONT));
	REQUIRE(waitpid(pid, &st, WCONTINUED) == pid);
	CHECK(WIFCONTINUED(st));
	while (atomic_load(shared) <= a)
		usleep(1000);
	kill(pid, SIGKILL);
	kt_wait(pid);
	munmap(shared, KT_PAGE);
}

/* ---- raw clone and clone3 ---- */

static void
clone_flag_rules(void)
{
	/* CLONE_THREAD needs CLONE_SIGHAND, which needs CLONE_VM. */
	CHECK_ERR(syscall(SYS_clone, CLONE_THREAD | CLONE_VM, 0, 0, 0, 0), EINVAL);
	CHECK_ERR(syscall(SYS_clone, CLONE_SIGHAND, 0, 0, 0, 0), EINVAL);
	CHECK_ERR(syscall(SYS_clone, CLONE_THREAD | CLONE_SIGHAND, 0, 0, 0, 0), EINVAL);
}

#ifndef SYS_clone3
#define SYS_clone3 435
#endif

struct clone_args_v0 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

static void
clone3_argument_rules(void)
{
	struct {
		struct clone_args_v0 a;
		uint64_t extra[4];
	} big;

	memset(&big, 0, sizeof(big));
	CHECK_ERR(syscall(SYS_clone3, &big, 63), EINVAL);
	CHECK_ERR(syscall(SYS_clone3, (void *)8, sizeof(big.a)), EFAULT);
	big.extra[3] = 1;			/* an unknown non-zero field */
	CHECK_ERR(syscall(SYS_clone3, &big, sizeof(big)), E2BIG);
	big.extra[3] = 0;
	big.a.flags = SIGCHLD;			/* the signal goes in exit_signal */
	CHECK_ERR(syscall(SYS_clone3, &big, sizeof(big.a)), EINVAL);
	big.a.flags = CLONE_THREAD | CLONE_SIGHAND | CLONE_VM;
	big.a.exit_signal = SIGCHLD;		/* threads send no exit signal */
	CHECK_ERR(syscall(SYS_clone3, &big, sizeof(big.a)), EINVAL);
	big.a.flags = 0;
	big.a.exit_signal = SIGCHLD;
	big.a.stack = 0x1000;			/* a stack without a size */
	CHECK_ERR(syscall(SYS_clone3, &big, sizeof(big.a)), EINVAL);

	/* A plain fork through clone3, with a longer zero-padded structure. */
	big.a.stack = 0;
	long pid = syscall(SYS_clone3, &big, sizeof(big));

	if (pid == 0)
		_exit(5);
	REQUIRE(pid > 0);
	CHECK_EQ(kt_wait_exit((pid_t)pid), 5);
}

static void
set_tid_address_returns_tid(void)
{
	CHECK_EQ(syscall(SYS_set_tid_address, NULL), my_tid());
}

/* ---- threads on several CPUs ---- */

struct pinned {
	int cpu;		/* the CPU it is pinned to */
	int seen;		/* sched_getcpu() there, or -1 */
};

static void *
run_pinned(void *arg)
{
	struct pinned *p = arg;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(p->cpu, &set);
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set) != 0)
		return (void *)1;
	p->seen = sched_getcpu();
	return NULL;
}

/*
 * Two threads of one process, each pinned to a different CPU of the
 * caller's affinity, run there (the verdict depends on affinity and
 * getcpu, not on how the host schedules).
 */
static void
threads_run_on_several_cpus(void)
{
	struct pinned p[2];
	pthread_t th[2];
	cpu_set_t mine;
	int n = 0;

	REQUIRE(sched_getaffinity(0, sizeof(mine), &mine) == 0);
	for (int c = 0; c < CPU_SETSIZE && n < 2; c++)
		if (CPU_ISSET(c, &mine))
			p[n++].cpu = c;
	if (n < 2)
		kt_skip("fewer than two CPUs in the affinity mask");
	for (int i = 0; i < 2; i++) {
		p[i].seen = -1;
		REQUIRE(pthread_create(&th[i], NULL, run_pinned, &p[i]) == 0);
	}
	for (int i = 0; i < 2; i++) {
		void *ret;

		pthread_join(th[i], &ret);
		CHECK(ret == NULL);
		CHECK_EQ(p[i].seen, p[i].cpu);
	}
}

KT_TABLE(thread) = {
	{ "thread.create_join", create_join },
	{ "thread.proc_status_counts_threads", proc_status_counts_threads },
	{ "thread.mutex_excludes", mutex_excludes },
	{ "thread.condvar_queue", condvar_queue },
	{ "thread.condvar_timedwait_times_out", condvar_timedwait_times_out },
	{ "thread.barrier_holds_everyone", barrier_holds_everyone },
	{ "thread.rwlock_excludes_writers", rwlock_excludes_writers },
	{ "thread.tls_per_thread", tls_per_thread },
	{ "thread.cancel_blocked_threads", cancel_blocked_threads },
	{ "thread.robust_mutex_owner_dies", robust_mutex_owner_dies },
	{ "thread.robust_waiter_woken", robust_waiter_woken },
	{ "thread.exit_group_ends_all", exit_group_ends_all },
	{ "thread.exit_group_ends_sigwaiters", exit_group_ends_sigwaiters },
	{ "thread.exit_group_ends_blocked", exit_group_ends_blocked },
	{ "thread.main_thread_exits_first", main_thread_exits_first },
	{ "thread.raw_exit_of_one_thread", raw_exit_of_one_thread },
	{ "thread.fatal_signal_ends_all", fatal_signal_ends_all },
	{ "thread.fault_in_thread_kills_process", fault_in_thread_kills_process },
	{ "thread.execve_from_thread_ends_others", execve_from_thread_ends_others },
	{ "thread.process_signal_goes_to_unblocked_thread", process_signal_goes_to_unblocked_thread },
	{ "thread.tgkill_targets_one_thread", tgkill_targets_one_thread },
	{ "thread.group_stop_and_continue", group_stop_and_continue },
	{ "thread.clone_flag_rules", clone_flag_rules },
	{ "thread.clone3_argument_rules", clone3_argument_rules },
	{ "thread.set_tid_address_returns_tid", set_tid_address_returns_tid },
	{ "thread.run_on_several_cpus", threads_run_on_several_cpus },
	{ NULL, NULL },
};
