/*
 * Timers of a process: setitimer/getitimer (ITIMER_REAL, VIRTUAL, PROF)
 * and alarm; the POSIX timers (timer_create, timer_settime,
 * timer_gettime, timer_getoverrun, timer_delete) on the real, monotonic
 * and CPU clocks, with SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD_ID and
 * glibc's SIGEV_THREAD; their ids, siginfo, overruns, TIMER_ABSTIME,
 * what fork, execve and exit do to them, and the errors.
 *
 * Verdicts never depend on speed: a test waits for a signal (or spins
 * until CPU time has passed) and checks what came and in which order;
 * bounds are only the ones a slower machine cannot break (a sleep lasts
 * at least what was asked).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include "kt.h"

#ifndef SIGEV_THREAD_ID
#define SIGEV_THREAD_ID 4
#endif

/* The kernel's struct sigevent, for raw timer_create (glibc's hides _tid). */
struct ksigevent {
	union sigval value;
	int signo;
	int notify;
	union {
		int tid;
		int pad[(64 - sizeof(union sigval) - 2 * sizeof(int)) / sizeof(int)];
	};
};

static long
sys_timer_create(clockid_t clock, struct ksigevent *ev, int *id)
{
	return syscall(SYS_timer_create, clock, ev, id);
}

static long
sys_timer_settime(int id, int flags, const struct itimerspec *new, struct itimerspec *old)
{
	return syscall(SYS_timer_settime, id, flags, new, old);
}

static long
sys_timer_gettime(int id, struct itimerspec *cur)
{
	return syscall(SYS_timer_gettime, id, cur);
}

static int64_t
ts_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

static int64_t
tv_ns(const struct timeval *tv)
{
	return (int64_t)tv->tv_sec * 1000000000 + tv->tv_usec * 1000;
}

static int64_t
clock_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts_ns(&ts);
}

static struct itimerspec
its(int64_t value_ns, int64_t interval_ns)
{
	struct itimerspec v = {
		.it_value = { value_ns / 1000000000, value_ns % 1000000000 },
		.it_interval = { interval_ns / 1000000000, interval_ns % 1000000000 },
	};
	return v;
}

static struct itimerval
itv(int64_t value_us, int64_t interval_us)
{
	struct itimerval v = {
		.it_value = { value_us / 1000000, value_us % 1000000 },
		.it_interval = { interval_us / 1000000, interval_us % 1000000 },
	};
	return v;
}

static void
sleep_ns(int64_t ns)
{
	struct timespec ts = { ns / 1000000000, ns % 1000000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Spin in user mode until the process has used ns more CPU time. */
static volatile unsigned long burn_sink;	/* the spinning loop's work, kept */

static void
burn_cpu(int64_t ns)
{
	int64_t end = clock_ns(CLOCK_PROCESS_CPUTIME_ID) + ns;
	while (clock_ns(CLOCK_PROCESS_CPUTIME_ID) < end)
		for (int i = 0; i < 100000; i++)
			burn_sink += i;
}

static atomic_int stop_burning;

static void *
burn_cpu_thread(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop_burning))
		burn_cpu(1000000);
	return NULL;
}

static volatile sig_atomic_t got[65];
static siginfo_t last_info[65];

static void
count_sig(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	last_info[sig] = *si;
	got[sig]++;
}

/* Wait in sigsuspend (sig unblocked there) until n of sig have come. */
static void
wait_for(int sig, int n)
{
	sigset_t mask;

	sigprocmask(SIG_BLOCK, NULL, &mask);
	sigdelset(&mask, sig);
	while (got[sig] < n)
		sigsuspend(&mask);
}

static int
wait_info(int sig, siginfo_t *si)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	return sigwaitinfo(&set, si);
}

/* Take a pending sig, if any, without waiting. */
static void drain(int sig)
{
	sigset_t set;
	siginfo_t si;
	struct timespec zero = { 0, 0 };

	sigemptyset(&set);
	sigaddset(&set, sig);
	while (sigtimedwait(&set, &si, &zero) == sig)
		;
}

/* ---- setitimer, getitimer, alarm ---- */

static void itimer_real(void)
{
	struct itimerval v, old;

	CHECK_OK(getitimer(ITIMER_REAL, &v));
	CHECK_EQ(tv_ns(&v.it_value), 0);
	CHECK_EQ(tv_ns(&v.it_interval), 0);

	/* One shot: SIGALRM (SI_KERNEL), then disarmed. */
	kt_block(SIGALRM);
	kt_handle_info(SIGALRM, count_sig, 0);
	v = itv(20000, 0);
	CHECK_OK(setitimer(ITIMER_REAL, &v, &old));
	CHECK_EQ(tv_ns(&old.it_value), 0);
	wait_for(SIGALRM, 1);
	CHECK_EQ(last_info[SIGALRM].si_code, SI_KERNEL);
	CHECK_OK(getitimer(ITIMER_REAL, &v));
	CHECK_EQ(tv_ns(&v.it_value), 0);

	/* The old value is what was left, the interval what was set. */
	v = itv(100000000, 3000000);
	CHECK_OK(setitimer(ITIMER_REAL, &v, NULL));
	CHECK_OK(getitimer(ITIMER_REAL, &old));
	CHECK(tv_ns(&old.it_value) > 0 && tv_ns(&old.it_value) <= 100000000000LL);
	CHECK_EQ(tv_ns(&old.it_interval), 3000000000LL);
	v = itv(0, 0);
	CHECK_OK(setitimer(ITIMER_REAL, &v, &old));
	CHECK(tv_ns(&old.it_value) > 0 && tv_ns(&old.it_value) <= 100000000000LL);
	CHECK_EQ(tv_ns(&old.it_interval), 3000000000LL);
	CHECK_OK(getitimer(ITIMER_REAL, &v));
	CHECK_EQ(tv_ns(&v.it_value), 0);
	CHECK_EQ(tv_ns(&v.it_interval), 0);	/* disarming clears the interval */

	/* Periodic: it goes on, one SIGALRM after the other. */
	got[SIGALRM] = 0;
	v = itv(5000, 5000);
	CHECK_OK(setitimer(ITIMER_REAL, &v, NULL));
	wait_for(SIGALRM, 3);
	CHECK_OK(getitimer(ITIMER_REAL, &v));
	CHECK_EQ(tv_ns(&v.it_interval), 5000000);
	v = itv(0, 0);
	CHECK_OK(setitimer(ITIMER_REAL, &v, NULL));

	/* While its SIGALRM is blocked and pending, a periodic timer waits (Linux reloads it when taken). */
	v = itv(1000, 1000);
	CHECK_OK(setitimer(ITIMER_REAL, &v, NULL));
	siginfo_t si;
	CHECK_EQ(wait_info(SIGALRM, &si), SIGALRM);
	CHECK_EQ(wait_info(SIGALRM, &si), SIGALRM);	/* reloaded when taken: it comes again */
	v = itv(0, 0);
	CHECK_OK(setitimer(ITIMER_REAL, &v, NULL));

	/* Errors: the value is read (EFAULT, EINVAL) before which is looked at. */
	v = itv(0, 0);
	v.it_value.tv_usec = 1000000;
	CHECK_ERR(setitimer(ITIMER_REAL, &v, NULL), EINVAL);
	v = itv(0, 0);
	v.it_interval.tv_sec = -1;
	CHECK_ERR(setitimer(ITIMER_REAL, &v, NULL), EINVAL);
	v = itv(0, 0);
	v.it_value.tv_usec = -1;
	CHECK_ERR(syscall(SYS_setitimer, ITIMER_REAL, &v, NULL), EINVAL);
	v = itv(1000000, 0);
	CHECK_ERR(syscall(SYS_setitimer, 3, &v, NULL), EINVAL);
	CHECK_ERR(syscall(SYS_getitimer, 3, &v), EINVAL);
	CHECK_ERR(syscall(SYS_getitimer, -1, &v), EINVAL);
	FOR_BAD(kt_bad_in, b) {
		CHECK_ERR(syscall(SYS_setitimer, ITIMER_REAL, b->p, NULL), EFAULT);
		CHECK_ERR(syscall(SYS_setitimer, 3, b->p, NULL), EFAULT);
	}
	FOR_BAD(kt_bad_out, b) {
		CHECK_ERR(syscall(SYS_getitimer, ITIMER_REAL, b->p), EFAULT);
		CHECK_ERR(syscall(SYS_getitimer, 3, b->p), EINVAL);
		v = itv(50000000, 0);
		/* The timer is set; only the old value cannot be written. */
		CHECK_ERR(syscall(SYS_setitimer, ITIMER_REAL, &v, b->p), EFAULT);
		CHECK_OK(getitimer(ITIMER_REAL, &old));
		CHECK(tv_ns(&old.it_value) > 0);
	}
	END_BAD;
	v = itv(0, 0);
	CHECK_OK(setitimer(ITIMER_REAL, &v, NULL));
}

static void alarm_call(void)
{
	/* The seconds left of the previous alarm, rounded (never 0 while one was set). */
	CHECK_EQ(alarm(100), 0);
	CHECK_EQ(alarm(5), 100);
	unsigned int left = alarm(0);
	CHECK(left >= 1 && left <= 5);
	CHECK_EQ(alarm(0), 0);
	struct itimerval v;
	CHECK_OK(getitimer(ITIMER_REAL, &v));
	CHECK_EQ(tv_ns(&v.it_value), 0);

	/* alarm is ITIMER_REAL. */
	v = itv(30000000, 0);
	CHECK_OK(setitimer(ITIMER_REAL, &v, NULL));
	left = alarm(0);
	CHECK(left >= 1 && left <= 30);

	/* Its SIGALRM interrupts pause() and runs the handler. */
	kt_handle_info(SIGALRM, count_sig, 0);
	got[SIGALRM] = 0;
	alarm(1);
	while (!got[SIGALRM])
		pause();
	CHECK_EQ(got[SIGALRM], 1);
	CHECK_EQ(alarm(0), 0);

	/* Unhandled, it kills. */
	pid_t pid = kt_fork();
	if (pid == 0) {
		kt_default(SIGALRM);
		alarm(1);
		for (;;)
			pause();
	}
	int st = kt_wait(pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM);
}

static void itimer_cpu(void)
{
	struct itimerval v, old;

	kt_handle_info(SIGVTALRM, count_sig, 0);
	kt_handle_info(SIGPROF, count_sig, 0);
	CHECK_OK(getitimer(ITIMER_VIRTUAL, &v));
	CHECK_EQ(tv_ns(&v.it_value), 0);
	CHECK_OK(getitimer(ITIMER_PROF, &v));
	CHECK_EQ(tv_ns(&v.it_value), 0);

	/* Linux rounds a new CPU timer up by a tick: what is left is at most that more. */
	v = itv(10000000, 20000);
	CHECK_OK(setitimer(ITIMER_VIRTUAL, &v, NULL));
	CHECK_OK(getitimer(ITIMER_VIRTUAL, &old));
	CHECK(tv_ns(&old.it_value) > 0 && tv_ns(&old.it_value) <= 10010000000LL);
	CHECK_EQ(tv_ns(&old.it_interval), 20000000);
	v = itv(0, 0);
	CHECK_OK(setitimer(ITIMER_VIRTUAL, &v, &old));
	CHECK(tv_ns(&old.it_value) > 0 && tv_ns(&old.it_value) <= 10010000000LL);

	/* ITIMER_VIRTUAL counts user time: spinning makes it go off. */
	got[SIGVTALRM] = 0;
	v = itv(30000, 0);
	CHECK_OK(setitimer(ITIMER_VIRTUAL, &v, NULL));
	while (!got[SIGVTALRM])
		burn_cpu(1000000);
	CHECK_EQ(last_info[SIGVTALRM].si_code, SI_KERNEL);
	CHECK_OK(getitimer(ITIMER_VIRTUAL, &v));
	CHECK_EQ(tv_ns(&v.it_value), 0);

	/* ITIMER_PROF, periodic: several SIGPROFs while the process runs. */
	got[SIGPROF] = 0;
	v = itv(10000, 10000);
	CHECK_OK(setitimer(ITIMER_PROF, &v, NULL));
	while (got[SIGPROF] < 3)
		burn_cpu(1000000);
	v = itv(0, 0);
	CHECK_OK(setitimer(ITIMER_PROF, &v, NULL));
	CHECK_EQ(got[SIGVTALRM], 1);		/* the one-shot did not come back */

	/* All threads' time counts for the process's timer. */
	got[SIGPROF] = 0;
	v = itv(30000, 0);
	CHECK_OK(setitimer(ITIMER_PROF, &v, NULL));
	kt_block(SIGPROF);			/* the thread spins, this one sleeps */
	pthread_t th;
	atomic_store(&stop_burning, 0);
	REQUIRE(pthread_create(&th, NULL, burn_cpu_thread, NULL) == 0);
	siginfo_t si;
	CHECK_EQ(wait_info(SIGPROF, &si), SIGPROF);
	atomic_store(&stop_burning, 1);
	pthread_join(th, NULL);
}

/* ---- POSIX timers ---- */

static void posix_signal(void)
{
	int id = -1, id2 = -1;
	siginfo_t si;
	struct itimerspec v, old;

	/* Ids count from 0 in a new process; the default event is SIGALRM with the id as value. */
	kt_block(SIGALRM);
	CHECK_OK(sys_timer_create(CLOCK_MONOTONIC, NULL, &id));
	CHECK_EQ(id, 0);
	v = its(1000000, 0);
	CHECK_OK(sys_timer_settime(id, 0, &v, NULL));
	CHECK_EQ(wait_info(SIGALRM, &si), SIGALRM);
	CHECK_EQ(si.si_code, SI_TIMER);
	CHECK_EQ(si.si_timerid, id);
	CHECK_EQ(si.si_value.sival_int, id);
	CHECK_EQ(si.si_overrun, 0);
	CHECK_OK(sys_timer_gettime(id, &v));
	CHECK_EQ(ts_ns(&v.it_value), 0);	/* a one-shot that went off */

	/* A real-time signal with a pointer value. */
	struct ksigevent ev = { .notify = SIGEV_SIGNAL, .signo = SIGRTMIN + 1 };
	ev.value.sival_ptr = (void *)0x12345;
	kt_block(SIGRTMIN + 1);
	CHECK_OK(sys_timer_create(CLOCK_REALTIME, &ev, &id2));
	CHECK_EQ(id2, 1);
	v = its(2000000, 0);
	CHECK_OK(sys_timer_settime(id2, 0, &v, NULL));
	CHECK_EQ(wait_info(SIGRTMIN + 1, &si), SIGRTMIN + 1);
	CHECK_EQ(si.si_code, SI_TIMER);
	CHECK_EQ(si.si_timerid, id2);
	CHECK(si.si_value.sival_ptr == (void *)0x12345);

	/* timer_gettime and the old setting. */
	v = its(100000000000LL, 0);
	CHECK_OK(sys_timer_settime(id, 0, &v, NULL));
	CHECK_OK(sys_timer_gettime(id, &old));
	CHECK(ts_ns(&old.it_value) > 0 && ts_ns(&old.it_value) <= 100000000000LL);
	CHECK_EQ(ts_ns(&old.it_interval), 0);
	v = its(0, 0);
	CHECK_OK(sys_timer_settime(id, 0, &v, &old));
	CHECK(ts_ns(&old.it_value) > 0 && ts_ns(&old.it_value) <= 100000000000LL);
	CHECK_OK(sys_timer_gettime(id, &v));
	CHECK_EQ(ts_ns(&v.it_value), 0);

	/* Periodic, the signal blocked: one signal, the rest are overruns. */
	CHECK_EQ(syscall(SYS_timer_getoverrun, id), 0);
	v = its(1000000, 1000000);
	CHECK_OK(sys_timer_settime(id, 0, &v, NULL));
	CHECK_OK(sys_timer_gettime(id, &old));
	CHECK_EQ(ts_ns(&old.it_interval), 1000000);
	sleep_ns(50000000);			/* 50 periods at least */
	CHECK_EQ(wait_info(SIGALRM, &si), SIGALRM);
	CHECK(si.si_overrun >= 1);
	CHECK_EQ(syscall(SYS_timer_getoverrun, id), si.si_overrun);
	CHECK_OK(sys_timer_gettime(id, &old));
	CHECK(ts_ns(&old.it_value) > 0 && ts_ns(&old.it_value) <= 1000000);
	CHECK_EQ(wait_info(SIGALRM, &si), SIGALRM);	/* and it goes on */
	v = its(0, 0);
	CHECK_OK(sys_timer_settime(id, 0, &v, NULL));
	CHECK_EQ(syscall(SYS_timer_getoverrun, id), 0);	/* settime forgets it */
	/*
	 * A period that ended between the wait and the disarm left a signal
	 * queued: Linux before 6.13 (and Kite) deliver it after the disarm,
	 * later ones drop it.  Not the one the next timer is to send.
	 */
	drain(SIGALRM);

	/* TIMER_ABSTIME on the monotonic and the real-time clock; a time past goes off at once. */
	v = its(clock_ns(CLOCK_MONOTONIC) + 5000000, 0);
	CHECK_OK(sys_timer_settime(id, TIMER_ABSTIME, &v, NULL));
	CHECK_EQ(wait_info(SIGALRM, &si), SIGALRM);
	CHECK(clock_ns(CLOCK_MONOTONIC) >= ts_ns(&v.it_value));
	v = its(1, 0);
	CHECK_OK(sys_timer_settime(id, TIMER_ABSTIME, &v, NULL));
	CHECK_EQ(wait_info(SIGALRM, &si), SIGALRM);
	v = its(clock_ns(CLOCK_REALTIME) + 5000000, 0);
	CHECK_OK(sys_timer_settime(id2, TIMER_ABSTIME, &v, NULL));
	CHECK_OK(sys_timer_gettime(id2, &old));
	/* 0 only once it went off: a host may stall us that long in between. */
	CHECK(ts_ns(&old.it_value) <= 5000000);
	CHECK(ts_ns(&old.it_value) > 0 || clock_ns(CLOCK_REALTIME) >= ts_ns(&v.it_value));
	CHECK_EQ(wait_info(SIGRTMIN + 1, &si), SIGRTMIN + 1);
	CHECK(clock_ns(CLOCK_REALTIME) >= ts_ns(&v.it_value));
	/* An absolute periodic timer keeps its phase. */
	v = its(clock_ns(CLOCK_REALTIME) + 2000000, 2000000);
	CHECK_OK(sys_timer_settime(id2, TIMER_ABSTIME, &v, NULL));
	CHECK_EQ(wait_info(SIGRTMIN + 1, &si), SIGRTMIN + 1);
	CHECK_EQ(wait_info(SIGRTMIN + 1, &si), SIGRTMIN + 1);
	CHECK_OK(syscall(SYS_timer_delete, id2));

	/*
	 * A signal still pending when its timer is deleted: Linux 6.1 (and
	 * Kite) still deliver it, Linux 6.13 and later drop it.
	 */
	v = its(1000000, 0);
	CHECK_OK(sys_timer_settime(id, 0, &v, NULL));
	sigset_t pend;
	do {
		sleep_ns(1000000);
		sigpending(&pend);
	} while (!sigismember(&pend, SIGALRM));
	CHECK_OK(syscall(SYS_timer_delete, id));
	{
		sigset_t set;
		struct timespec zero = { 0, 0 };
		sigemptyset(&set);
		sigaddset(&set, SIGALRM);
		int r = sigtimedwait(&set, &si, &zero);
		if (kt_on_kite())
			CHECK_EQ(r, SIGALRM);
		if (r == SIGALRM) {
			CHECK_EQ(si.si_code, SI_TIMER);
			CHECK_EQ(si.si_timerid, id);
		}
	}

	/* Deleted ids are gone, and not handed out again at once. */
	CHECK_ERR(sys_timer_gettime(id, &v), EINVAL);
	CHECK_ERR(syscall(SYS_timer_delete, id), EINVAL);
	CHECK_ERR(syscall(SYS_timer_getoverrun, id), EINVAL);
	int id3 = -1;
	CHECK_OK(sys_timer_create(CLOCK_MONOTONIC, NULL, &id3));
	CHECK_EQ(id3, 2);
	CHECK_OK(syscall(SYS_timer_delete, id3));
}

static void posix_none_and_errors(void)
{
	int id = -1;
	struct itimerspec v, cur;
	struct ksigevent ev = { .notify = SIGEV_NONE };

	/* SIGEV_NONE: nothing is sent, but the time is kept. */
	CHECK_OK(sys_timer_create(CLOCK_MONOTONIC, &ev, &id));
	v = its(100000000000LL, 0);
	CHECK_OK(sys_timer_settime(id, 0, &v, NULL));
	CHECK_OK(sys_timer_gettime(id, &cur));
	CHECK(ts_ns(&cur.it_value) > 0 && ts_ns(&cur.it_value) <= 100000000000LL);
	v = its(1000, 0);
	CHECK_OK(sys_timer_settime(id, 0, &v, NULL));
	sleep_ns(2000000);
	CHECK_OK(sys_timer_gettime(id, &cur));
	CHECK_EQ(ts_ns(&cur.it_value), 0);	/* expired: 0, as Linux says of SIGEV_NONE */
	v = its(1000000, 3000000);
	CHECK_OK(sys_timer_settime(id, 0, &v, NULL));
	sleep_ns(5000000);
	CHECK_OK(sys_timer_gettime(id, &cur));	/* periodic: the next expiry */
	CHECK(ts_ns(&cur.it_value) > 0 && ts_ns(&cur.it_value) <= 3000000);
	CHECK_EQ(ts_ns(&cur.it_interval), 3000000);
	CHECK_OK(syscall(SYS_timer_delete, id));

	/* Clocks. */
	CHECK_ERR(sys_timer_create(CLOCK_MONOTONIC_RAW, NULL, &id), EOPNOTSUPP);
	CHECK_ERR(sys_timer_create(CLOCK_REALTIME_COARSE, NULL, &id), EOPNOTSUPP);
	CHECK_ERR(sys_timer_create(CLOCK_MONOTONIC_COARSE, NULL, &id), EOPNOTSUPP);
	CHECK_ERR(sys_timer_create(10, NULL, &id), EINVAL);
	CHECK_ERR(sys_timer_create(12, NULL, &id), EINVAL);
	CHECK_ERR(sys_timer_create(1000, NULL, &id), EINVAL);
	CHECK_ERR(sys_timer_create((clockid_t)((~0u << 3) | 3), NULL, &id), EOPNOTSUPP);	/* fd 0's clock */
	/* Events. */
	ev = (struct ksigevent){ .notify = 99, .signo = SIGALRM };
	CHECK_ERR(sys_timer_create(CLOCK_MONOTONIC, &ev, &id), EINVAL);
	ev = (struct ksigevent){ .notify = SIGEV_SIGNAL, .signo = 0 };
	CHECK_ERR(sys_timer_create(CLOCK_MONOTONIC, &ev, &id), EINVAL);
	ev = (struct ksigevent){ .notify = SIGEV_SIGNAL, .signo = 65 };
	CHECK_ERR(sys_timer_create(CLOCK_MONOTONIC, &ev, &id), EINVAL);
	ev = (struct ksigevent){ .notify = SIGEV_THREAD_ID, .signo = SIGALRM, .tid = getppid() };
	CHECK_ERR(sys_timer_create(CLOCK_MONOTONIC, &ev, &id), EINVAL);
	ev = (struct ksigevent){ .notify = SIGEV_THREAD_ID, .signo = SIGALRM, .tid = -1 };
	CHECK_ERR(sys_timer_create(CLOCK_MONOTONIC, &ev, &id), EINVAL);
	ev = (struct ksigevent){ .notify = SIGEV_NONE, .signo = 0 };	/* no signal: any number */
	CHECK_OK(sys_timer_create(CLOCK_MONOTONIC, &ev, &id));
	/* Settings. */
	CHECK_ERR(sys_timer_settime(id, 0, NULL, NULL), EINVAL);
	v = its(0, 0);
	v.it_value.tv_nsec = 1000000000;
	CHECK_ERR(sys_timer_settime(id, 0, &v, NULL), EINVAL);
	v = its(0, 0);
	v.it_interval.tv_sec = -1;
	CHECK_ERR(sys_timer_settime(id, 0, &v, NULL), EINVAL);
	v = its(1000, 0);
	CHECK_ERR(sys_timer_settime(id + 100, 0, &v, NULL), EINVAL);
	CHECK_ERR(sys_timer_settime(-1, 0, &v, NULL), EINVAL);
	CHECK_ERR(sys_timer_gettime(id + 100, &v), EINVAL);
	CHECK_ERR(syscall(SYS_timer_getoverrun, id + 100), EINVAL);
	CHECK_ERR(syscall(SYS_timer_delete, -1), EINVAL);
	FOR_BAD(kt_bad_in, b) {
		CHECK_ERR(sys_timer_create(CLOCK_MONOTONIC, b->p, &id), EFAULT);
		CHECK_ERR(sys_timer_settime(id, 0, b->p, NULL), EFAULT);
		CHECK_ERR(sys_timer_settime(id + 100, 0, b->p, NULL), EFAULT);	/* before the id */
	}
	FOR_BAD(kt_bad_out, b) {
		CHECK_ERR(sys_timer_create(CLOCK_MONOTONIC, NULL, b->p), EFAULT);
		CHECK_ERR(sys_timer_gettime(id, b->p), EFAULT);
		CHECK_ERR(sys_timer_gettime(id + 100, b->p), EINVAL);
		v = its(1000000000, 0);
		CHECK_ERR(sys_timer_settime(id, 0, &v, b->p), EFAULT);
	}
	END_BAD;
	CHECK_OK(syscall(SYS_timer_delete, id));
}

static void posix_cpu(void)
{
	int id = -1;
	siginfo_t si;
	struct itimerspec v, cur;
	struct ksigevent ev = { .notify = SIGEV_SIGNAL, .signo = SIGUSR1 };

	kt_handle_info(SIGUSR1, count_sig, 0);
	/* The process's CPU clock: spinning makes it go off. */
	CHECK_OK(sys_timer_create(CLOCK_PROCESS_CPUTIME_ID, &ev, &id));
	v = its(20000000, 0);
	got[SIGUSR1] = 0;
	CHECK_OK(sys_timer_settime(id, 0, &v, NULL));
	CHECK_OK(sys_timer_gettime(id, &cur));
	/*
	 * 0 only once it went off (its signal then arrives as the call
	 * returns): a host that stalls the guest adds to the CPU time too.
	 */
	CHECK(ts_ns(&cur.it_value) <= 20000000);
	CHECK(ts_ns(&cur.it_value) > 0 || got[SIGUSR1]);
	while (!got[SIGUSR1])
		burn_cpu(1000000);
	CHECK_EQ(last_info[SIGUSR1].si_code, SI_TIMER);
	CHECK_EQ(last_info[SIGUSR1].si_timerid, id);
	CHECK_OK(sys_timer_gettime(id, &cur));
	CHECK_EQ(ts_ns(&cur.it_value), 0);

	/* A CPU time already past: it goes off within timer_settime, as Linux's. */
	kt_block(SIGUSR1);
	v = its(1, 0);
	CHECK_OK(sys_timer_settime(id, TIMER_ABSTIME, &v, NULL));
	sigset_t pend;
	sigpending(&pend);
	CHECK(sigismember(&pend, SIGUSR1));
	CHECK_EQ(wait_info(SIGUSR1, &si), SIGUSR1);
	CHECK_EQ(si.si_code, SI_TIMER);
	/* Periodic on the CPU clock: it goes on while the process runs. */
	v = its(2000000, 2000000);
	CHECK_OK(sys_timer_settime(id, 0, &v, NULL));
	for (int n = 0; n < 2; n++) {
		do
			burn_cpu(1000000);
		while (sigpending(&pend) == 0 && !sigismember(&pend, SIGUSR1));
		CHECK_EQ(wait_info(SIGUSR1, &si), SIGUSR1);
	}
	CHECK_OK(syscall(SYS_timer_delete, id));

	/* The thread's own CPU clock, and one of another thread of the process. */
	CHECK_OK(sys_timer_create(CLOCK_THREAD_CPUTIME_ID, &ev, &id));
	v = its(5000000, 0);
	CHECK_OK(sys_timer_settime(id, 0, &v, NULL));
	do
		burn_cpu(1000000);
	while (sigpending(&pend) == 0 && !sigismember(&pend, SIGUSR1));
	CHECK_EQ(wait_info(SIGUSR1, &si), SIGUSR1);
	CHECK_OK(syscall(SYS_timer_delete, id));
	pthread_t th;
	clockid_t tclock;
	atomic_store(&stop_burning, 0);
	REQUIRE(pthread_create(&th, NULL, burn_cpu_thread, NULL) == 0);
	CHECK_OK(pthread_getcpuclockid(th, &tclock) == 0 ? 0 : -1);
	CHECK_OK(sys_timer_create(tclock, &ev, &id));
	v = its(10000000, 0);
	CHECK_OK(sys_timer_settime(id, 0, &v, NULL));
	CHECK_EQ(wait_info(SIGUSR1, &si), SIGUSR1);	/* while this thread sleeps in here */
	CHECK_EQ(si.si_timerid, id);
	atomic_store(&stop_burning, 1);
	pthread_join(th, NULL);
	CHECK_OK(syscall(SYS_timer_delete, id));

	/*
	 * Errors: a clock of nobody, or a bad measure.  A CPU clock's owner is
	 * checked last, once the id is written out: that id is used up.
	 */
	int bad = -1, id2 = -1;
	CHECK_ERR(sys_timer_create((clockid_t)((~0x0fffffffu << 3) | 2), &ev, &bad), EINVAL);
	CHECK_EQ(bad, id + 1);
	CHECK_ERR(sys_timer_create((clockid_t)((~0u << 3) | 7), &ev, &bad), EINVAL);
	CHECK_OK(sys_timer_create(CLOCK_MONOTONIC, NULL, &id2));
	CHECK(id2 > id + 1);
	CHECK_OK(syscall(SYS_timer_delete, id2));
}

/* ---- notification to a thread, glibc's SIGEV_THREAD ---- */

static atomic_int thread_got;
static atomic_int waiter_tid;

static void *
sigwait_thread(void *arg)
{
	siginfo_t si;

	(void)arg;
	atomic_store(&waiter_tid, (int)syscall(SYS_gettid));
	if (wait_info(SIGUSR2, &si) == SIGUSR2 && si.si_code == SI_TIMER)
		atomic_store(&thread_got, 1);
	return NULL;
}

static int notify_pipe[2];
static atomic_int notifications;

static void
notify_fn(union sigval v)
{
	char c = (char)v.sival_int;

	atomic_fetch_add(&notifications, 1);
	if (write(notify_pipe[1], &c, 1) != 1)
		_exit(5);
}

static void posix_threads(void)
{
	/* SIGEV_THREAD_ID: the signal goes to that thread, not to whoever does not block it. */
	kt_block(SIGUSR2);			/* inherited by the thread */
	pthread_t th;
	REQUIRE(pthread_create(&th, NULL, sigwait_thread, NULL) == 0);
	/* It need not be waiting yet: a signal for it stays pending on it. */
	while (!atomic_load(&waiter_tid))
		sleep_ns(1000000);
	kt_handle_info(SIGUSR2, count_sig, 0);
	got[SIGUSR2] = 0;
	kt_unblock(SIGUSR2);			/* this thread would take a process signal */
	struct ksigevent ev = { .notify = SIGEV_THREAD_ID, .signo = SIGUSR2, .tid = atomic_load(&waiter_tid) };
	int id = -1;
	CHECK_OK(sys_timer_create(CLOCK_MONOTONIC, &ev, &id));
	struct itimerspec v = its(2000000, 0);
	CHECK_OK(sys_timer_settime(id, 0, &v, NULL));
	pthread_join(th, NULL);
	CHECK_EQ(atomic_load(&thread_got), 1);
	CHECK_EQ(got[SIGUSR2], 0);
	/* Its thread gone, the timer stops (Linux: the signal has nobody to go to). */
	v = its(1000000, 1000000);
	CHECK_OK(sys_timer_settime(id, 0, &v, NULL));
	sleep_ns(10000000);
	CHECK_EQ(got[SIGUSR2], 0);
	CHECK_OK(syscall(SYS_timer_delete, id));

	/* glibc's SIGEV_THREAD: a new thread runs the function at each expiry. */
	REQUIRE_OK(pipe(notify_pipe));
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD };
	sev.sigev_notify_function = notify_fn;
	sev.sigev_value.sival_int = 'n';
	timer_t t;
	REQUIRE_OK(timer_create(CLOCK_MONOTONIC, &sev, &t));
	v = its(2000000, 2000000);
	CHECK_OK(timer_settime(t, 0, &v, NULL));
	for (int i = 0; i < 3; i++) {
		char c = 0;
		CHECK_EQ(read(notify_pipe[0], &c, 1), 1);
		CHECK_EQ(c, 'n');
	}
	CHECK_OK(timer_gettime(t, &v));
	CHECK_EQ(ts_ns(&v.it_interval), 2000000);
	CHECK_OK(timer_delete(t));
	CHECK(atomic_load(&notifications) >= 3);
}

/* ---- fork, execve, exit ---- */

/* Exec helper: what survives execve.  0 when ITIMER_REAL is still set and timer 0 is gone. */
int
kt_timer_exec_helper(void)
{
	struct itimerval v;
	struct itimerspec cur;

	if (getitimer(ITIMER_REAL, &v) || tv_ns(&v.it_value) == 0)
		return 1;
	if (sys_timer_gettime(0, &cur) != -1 || errno != EINVAL)
		return 2;
	if (prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0) != 0)
		return 3;
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		return 4;
	return 0;
}

static void lifetime(void)
{
	int id = -1;
	struct itimerspec v = its(100000000000LL, 0), cur;
	struct itimerval iv = itv(100000000, 0);

	CHECK_OK(sys_timer_create(CLOCK_MONOTONIC, NULL, &id));
	CHECK_OK(sys_timer_settime(id, 0, &v, NULL));
	CHECK_OK(setitimer(ITIMER_REAL, &iv, NULL));

	/* A child has none of them. */
	pid_t pid = kt_fork();
	if (pid == 0) {
		struct itimerval c;
		if (getitimer(ITIMER_REAL, &c) || tv_ns(&c.it_value) != 0)
			_exit(1);
		if (sys_timer_gettime(id, &cur) != -1 || errno != EINVAL)
			_exit(2);
		int cid = -1;
		if (sys_timer_create(CLOCK_MONOTONIC, NULL, &cid) || cid != 0)
			_exit(3);		/* its ids start again */
		_exit(0);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);

	/* execve ends the POSIX timers and keeps the interval timers. */
	pid = kt_fork();
	if (pid == 0) {
		int cid;
		sys_timer_create(CLOCK_MONOTONIC, NULL, &cid);
		sys_timer_settime(cid, 0, &v, NULL);
		setitimer(ITIMER_REAL, &iv, NULL);
		prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		char *argv[] = { kt_self, "--helper=timers", NULL };
		execv(kt_self, argv);
		_exit(99);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);

	/* A process exiting with timers armed (periodic, CPU, to a thread): they just end. */
	pid = kt_fork();
	if (pid == 0) {
		struct ksigevent ev = { .notify = SIGEV_SIGNAL, .signo = SIGUSR1 };
		struct itimerspec p = its(1000000, 1000000);
		int a, b, c;
		signal(SIGUSR1, SIG_IGN);
		sys_timer_create(CLOCK_MONOTONIC, &ev, &a);
		sys_timer_create(CLOCK_PROCESS_CPUTIME_ID, &ev, &b);
		ev.notify = SIGEV_THREAD_ID;
		ev.tid = getpid();
		sys_timer_create(CLOCK_REALTIME, &ev, &c);
		sys_timer_settime(a, 0, &p, NULL);
		sys_timer_settime(b, 0, &p, NULL);
		sys_timer_settime(c, 0, &p, NULL);
		struct itimerval i = itv(1000, 1000);
		signal(SIGPROF, SIG_IGN);
		setitimer(ITIMER_PROF, &i, NULL);
		burn_cpu(5000000);
		_exit(7);
	}
	CHECK_EQ(kt_wait_exit(pid), 7);
	CHECK_OK(syscall(SYS_timer_delete, id));
	iv = itv(0, 0);
	CHECK_OK(setitimer(ITIMER_REAL, &iv, NULL));
}

KT_TABLE(timer) = {
	{"timer.itimer_real", itimer_real},
	{"timer.alarm", alarm_call},
	{"timer.itimer_cpu", itimer_cpu},
	{"timer.posix_signal", posix_signal},
	{"timer.posix_none_errors", posix_none_and_errors},
	{"timer.posix_cpu", posix_cpu},
	{"timer.posix_threads", posix_threads},
	{"timer.lifetime", lifetime},
	{NULL, NULL},
};
