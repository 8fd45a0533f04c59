/*
 * Scheduling and resource use: sched_setscheduler/getscheduler/setparam/
 * getparam/setattr/getattr, the priority ranges and sched_rr_get_interval,
 * getpriority/setpriority/nice with their permission rules, getrusage
 * and times against the CPU clocks, wait4's rusage, RLIMIT_NPROC (a fork
 * bomb stopped with EAGAIN), RLIMIT_CPU (SIGXCPU then SIGKILL), the load
 * average, and prctl (PDEATHSIG, subreapers, no_new_privs, timer slack,
 * keepcaps, the capability bounding set).
 *
 * Privileged parts run as root and drop to an unused uid in a child;
 * as a normal user they skip.  No verdict depends on speed.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include "kt.h"

#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK 0x40000000
#endif
#ifndef SCHED_IDLE
#define SCHED_IDLE 5
#endif
#define SCHED_DEADLINE_ 6
#define SCHED_FLAG_RESET_ON_FORK 0x01
#define SCHED_FLAG_KEEP_POLICY 0x08
#define SCHED_FLAG_KEEP_PARAMS 0x10

/* struct sched_attr (glibc 2.36 has no definition). */
struct kattr {
	uint32_t size;
	uint32_t policy;
	uint64_t flags;
	int32_t nice;
	uint32_t priority;
	uint64_t runtime, deadline, period;
	uint32_t util_min, util_max;
};

static long
sys_setattr(pid_t pid, void *a, unsigned int flags)
{
	return syscall(SYS_sched_setattr, pid, a, flags);
}

static long
sys_getattr(pid_t pid, void *a, unsigned int size, unsigned int flags)
{
	return syscall(SYS_sched_getattr, pid, a, size, flags);
}

static pid_t
gettid_(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static int64_t
clock_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t
tv_ns(const struct timeval *tv)
{
	return (int64_t)tv->tv_sec * 1000000000 + tv->tv_usec * 1000;
}

static volatile unsigned long burn_sink;	/* the spinning loop's work, kept */

static void
burn_cpu(int64_t ns)
{
	int64_t end = clock_ns(CLOCK_PROCESS_CPUTIME_ID) + ns;
	while (clock_ns(CLOCK_PROCESS_CPUTIME_ID) < end)
		for (int i = 0; i < 100000; i++)
			burn_sink += i;
}

static void
sleep_ns(int64_t ns)
{
	struct timespec ts = { ns / 1000000000, ns % 1000000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Root that may use real-time policies (a container may lack CAP_SYS_NICE). */
static int
can_rt(void)
{
	struct sched_param sp = { .sched_priority = 1 };

	if (!kt_is_root())
		return 0;
	if (sched_setscheduler(0, SCHED_FIFO, &sp) != 0)
		return 0;
	sp.sched_priority = 0;
	sched_setscheduler(0, SCHED_OTHER, &sp);
	return 1;
}

/* ---- policies ---- */

static void policies(void)
{
	struct sched_param sp;

	CHECK_EQ(sched_getscheduler(0), SCHED_OTHER);
	CHECK_EQ(sched_getscheduler(getpid()), SCHED_OTHER);
	sp.sched_priority = 7;
	CHECK_OK(sched_getparam(0, &sp));
	CHECK_EQ(sp.sched_priority, 0);

	CHECK_EQ(sched_get_priority_max(SCHED_FIFO), 99);
	CHECK_EQ(sched_get_priority_min(SCHED_FIFO), 1);
	CHECK_EQ(sched_get_priority_max(SCHED_RR), 99);
	CHECK_EQ(sched_get_priority_min(SCHED_RR), 1);
	int fair[] = { SCHED_OTHER, SCHED_BATCH, SCHED_IDLE, SCHED_DEADLINE_ };
	for (unsigned i = 0; i < sizeof(fair) / sizeof(fair[0]); i++) {
		CHECK_EQ(sched_get_priority_max(fair[i]), 0);
		CHECK_EQ(sched_get_priority_min(fair[i]), 0);
	}
	CHECK_ERR(sched_get_priority_max(4), EINVAL);
	CHECK_ERR(sched_get_priority_min(-1), EINVAL);
	CHECK_ERR(sched_get_priority_max(42), EINVAL);	/* 7 is SCHED_EXT since Linux 6.12 */

	/* Errors, in Linux's order. */
	sp.sched_priority = 0;
	CHECK_ERR(syscall(SYS_sched_setscheduler, 0, -1, &sp), EINVAL);
	CHECK_ERR(syscall(SYS_sched_setscheduler, -1, SCHED_OTHER, &sp), EINVAL);
	CHECK_ERR(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, NULL), EINVAL);
	CHECK_ERR(syscall(SYS_sched_setscheduler, 0x3fffffff, SCHED_OTHER, &sp), ESRCH);
	CHECK_ERR(syscall(SYS_sched_setscheduler, 0, 4, &sp), EINVAL);
	sp.sched_priority = 1;
	CHECK_ERR(sched_setscheduler(0, SCHED_OTHER, &sp), EINVAL);
	sp.sched_priority = 0;
	CHECK_ERR(sched_setscheduler(0, SCHED_FIFO, &sp), EINVAL);
	sp.sched_priority = 100;
	CHECK_ERR(sched_setscheduler(0, SCHED_RR, &sp), EINVAL);
	sp.sched_priority = -1;
	CHECK_ERR(sched_setscheduler(0, SCHED_RR, &sp), EINVAL);
	CHECK_ERR(syscall(SYS_sched_getscheduler, -1), EINVAL);
	CHECK_ERR(syscall(SYS_sched_getscheduler, 0x3fffffff), ESRCH);
	CHECK_ERR(syscall(SYS_sched_getparam, 0, NULL), EINVAL);
	CHECK_ERR(syscall(SYS_sched_getparam, -1, &sp), EINVAL);
	CHECK_ERR(syscall(SYS_sched_getparam, 0x3fffffff, &sp), ESRCH);
	CHECK_ERR(syscall(SYS_sched_setparam, 0, NULL), EINVAL);
	struct timespec ts;
	CHECK_ERR(syscall(SYS_sched_rr_get_interval, -1, &ts), EINVAL);
	CHECK_ERR(syscall(SYS_sched_rr_get_interval, 0x3fffffff, &ts), ESRCH);
	FOR_BAD(kt_bad_in, b) {
		CHECK_ERR(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, b->p), EFAULT);
		CHECK_ERR(syscall(SYS_sched_setparam, 0, b->p), EFAULT);
	}
	FOR_BAD(kt_bad_out, b) {
		CHECK_ERR(syscall(SYS_sched_getparam, 0, b->p), EFAULT);
		CHECK_ERR(syscall(SYS_sched_rr_get_interval, 0, b->p), EFAULT);
	}
	END_BAD;

	/* SCHED_BATCH and SCHED_IDLE for anyone; a normal user cannot leave SCHED_IDLE. */
	sp.sched_priority = 0;
	CHECK_OK(sched_setscheduler(0, SCHED_BATCH, &sp));
	CHECK_EQ(sched_getscheduler(0), SCHED_BATCH);
	CHECK_OK(sched_rr_get_interval(0, &ts));
	CHECK(ts.tv_sec >= 0 && ts.tv_nsec >= 0);
	pid_t pid = kt_fork();
	if (pid == 0) {
		kt_drop_privileges();
		struct sched_param z = { 0 };
		if (sched_setscheduler(0, SCHED_IDLE, &z))
			_exit(1);
		if (sched_getscheduler(0) != SCHED_IDLE)
			_exit(2);
		if (!kt_is_root() && (sched_setscheduler(0, SCHED_OTHER, &z) != -1 || errno != EPERM))
			_exit(3);
		_exit(0);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
	CHECK_OK(sched_setscheduler(0, SCHED_OTHER, &sp));

	if (!can_rt())
		return;
	/* Real-time policies as root: kept per thread, inherited by a child. */
	sp.sched_priority = 10;
	CHECK_OK(sched_setscheduler(0, SCHED_FIFO, &sp));
	CHECK_EQ(sched_getscheduler(0), SCHED_FIFO);
	sp.sched_priority = 0;
	CHECK_OK(sched_getparam(0, &sp));
	CHECK_EQ(sp.sched_priority, 10);
	CHECK_OK(sched_rr_get_interval(0, &ts));
	CHECK_EQ(ts.tv_sec, 0);
	CHECK_EQ(ts.tv_nsec, 0);		/* FIFO: no time slice */
	sp.sched_priority = 5;
	CHECK_OK(sched_setscheduler(0, SCHED_RR, &sp));
	CHECK_OK(sched_rr_get_interval(0, &ts));
	CHECK(ts.tv_sec > 0 || ts.tv_nsec > 0);
	sp.sched_priority = 20;
	CHECK_OK(sched_setparam(0, &sp));	/* keeps the policy */
	CHECK_EQ(sched_getscheduler(0), SCHED_RR);
	pid = kt_fork();
	if (pid == 0) {
		struct sched_param c = { 0 };
		sched_getparam(0, &c);
		_exit(sched_getscheduler(0) == SCHED_RR && c.sched_priority == 20 ? 0 : 1);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
	/* SCHED_RESET_ON_FORK: reported with the policy; the child starts SCHED_OTHER. */
	CHECK_OK(sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &sp));
	CHECK_EQ(sched_getscheduler(0), SCHED_FIFO | SCHED_RESET_ON_FORK);
	pid = kt_fork();
	if (pid == 0) {
		struct sched_param c = { 7 };
		sched_getparam(0, &c);
		_exit(sched_getscheduler(0) == SCHED_OTHER && c.sched_priority == 0 ? 0 : 1);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
	/* Per thread: another thread's policy is its own. */
	struct sched_param other = { 0 };
	CHECK_OK(sched_setscheduler(0, SCHED_OTHER, &other));
	CHECK_EQ(sched_getscheduler(0), SCHED_OTHER);

	/* A normal user: RLIMIT_RTPRIO is the ceiling, another's thread is out of reach. */
	pid = kt_fork();
	if (pid == 0) {
		struct rlimit rl = { 0, 0 };
		struct sched_param c = { 5 };
		setrlimit(RLIMIT_RTPRIO, &rl);
		kt_drop_privileges();
		if (sched_setscheduler(0, SCHED_FIFO, &c) != -1 || errno != EPERM)
			_exit(1);
		_exit(0);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
	pid = kt_fork();
	if (pid == 0) {
		struct rlimit rl = { 10, 10 };
		struct sched_param c = { 5 };
		if (setrlimit(RLIMIT_RTPRIO, &rl))
			_exit(77);		/* root without CAP_SYS_RESOURCE (a container) */
		kt_drop_privileges();
		if (sched_setscheduler(0, SCHED_FIFO, &c))
			_exit(1);
		c.sched_priority = 11;
		if (sched_setparam(0, &c) != -1 || errno != EPERM)
			_exit(2);
		c.sched_priority = 3;		/* lowering is fine */
		if (sched_setparam(0, &c))
			_exit(3);
		c.sched_priority = 1;
		if (sched_setscheduler(1, SCHED_FIFO, &c) != -1 || errno != EPERM)
			_exit(4);
		c.sched_priority = 0;
		if (sched_setscheduler(0, SCHED_OTHER, &c))
			_exit(5);
		_exit(0);
	}
	int code = kt_wait_exit(pid);
	if (code == 77)
		kt_note("RLIMIT_RTPRIO cannot be raised here: that part not checked");
	else
		CHECK_EQ(code, 0);
}

static void attrs(void)
{
	struct kattr a;
	unsigned char big[80];

	memset(&a, 0x5a, sizeof(a));
	CHECK_OK(sys_getattr(0, &a, 48, 0));
	CHECK_EQ(a.size, 48);
	CHECK_EQ(a.policy, SCHED_OTHER);
	CHECK_EQ(a.priority, 0);
	CHECK_EQ(a.util_min, 0x5a5a5a5a);	/* beyond the size asked for: untouched */
	memset(big, 0x5a, sizeof(big));
	CHECK_OK(sys_getattr(0, big, sizeof(big), 0));
	memcpy(&a, big, sizeof(a));
	CHECK_EQ(a.size, 56);			/* the kernel's size when the buffer is bigger */
	CHECK_ERR(sys_getattr(0, &a, 47, 0), EINVAL);
	CHECK_ERR(sys_getattr(0, &a, 4097, 0), EINVAL);
	CHECK_ERR(sys_getattr(0, &a, 48, 1), EINVAL);
	CHECK_ERR(sys_getattr(0, NULL, 48, 0), EINVAL);
	CHECK_ERR(sys_getattr(-1, &a, 48, 0), EINVAL);
	CHECK_ERR(sys_getattr(0x3fffffff, &a, 48, 0), ESRCH);

	/* setattr sets nice; size 0 is the first version's 48. */
	int nice0 = getpriority(PRIO_PROCESS, 0);
	memset(&a, 0, sizeof(a));
	a.policy = SCHED_OTHER;
	a.nice = nice0 < 19 ? nice0 + 1 : 19;
	CHECK_OK(sys_setattr(0, &a, 0));
	CHECK_EQ(getpriority(PRIO_PROCESS, 0), a.nice);
	memset(&a, 0, sizeof(a));
	CHECK_OK(sys_getattr(0, &a, sizeof(a), 0));
	CHECK_EQ(a.nice, nice0 < 19 ? nice0 + 1 : 19);
	/* KEEP_POLICY and KEEP_PARAMS: nothing changes. */
	memset(&a, 0, sizeof(a));
	a.size = 48;
	a.policy = SCHED_BATCH;
	a.flags = SCHED_FLAG_KEEP_POLICY | SCHED_FLAG_KEEP_PARAMS;
	CHECK_OK(sys_setattr(0, &a, 0));
	CHECK_EQ(sched_getscheduler(0), SCHED_OTHER);
	CHECK_EQ(getpriority(PRIO_PROCESS, 0), nice0 < 19 ? nice0 + 1 : 19);
	/* Sizes: too small or a bigger one with non-zero extra bytes is E2BIG, and the size is written back. */
	memset(&a, 0, sizeof(a));
	a.size = 47;
	CHECK_ERR(sys_setattr(0, &a, 0), E2BIG);
	CHECK_EQ(a.size, 56);
	memset(big, 0, sizeof(big));
	*(uint32_t *)big = sizeof(big);
	big[70] = 1;
	CHECK_ERR(sys_setattr(0, big, 0), E2BIG);
	CHECK_EQ(*(uint32_t *)big, 56);
	memset(big, 0, sizeof(big));
	*(uint32_t *)big = sizeof(big);
	big[8] = SCHED_FLAG_KEEP_PARAMS;
	CHECK_OK(sys_setattr(0, big, 0));	/* zeros beyond: fine */
	memset(&a, 0, sizeof(a));
	a.size = 48;
	a.policy = 4;
	CHECK_ERR(sys_setattr(0, &a, 0), EINVAL);
	a.policy = (uint32_t)-1;
	CHECK_ERR(sys_setattr(0, &a, 0), EINVAL);
	a.policy = SCHED_OTHER;
	a.flags = 0x80;
	CHECK_ERR(sys_setattr(0, &a, 0), EINVAL);
	a.flags = 0;
	CHECK_ERR(sys_setattr(0, &a, 1), EINVAL);
	CHECK_ERR(sys_setattr(0, NULL, 0), EINVAL);
	CHECK_ERR(sys_setattr(-1, &a, 0), EINVAL);
	CHECK_ERR(sys_setattr(0x3fffffff, &a, 0), ESRCH);
	a.policy = SCHED_DEADLINE_;		/* no runtime, deadline or period */
	CHECK_ERR(sys_setattr(0, &a, 0), EINVAL);
	FOR_BAD(kt_bad_in, b)
		CHECK_ERR(sys_setattr(0, b->p, 0), EFAULT);
	FOR_BAD(kt_bad_out, b)
		CHECK_ERR(sys_getattr(0, b->p, 48, 0), EFAULT);
	END_BAD;
	/*
	 * A normal user may not lower nice below what RLIMIT_NICE allows.
	 * Relative to the nice it inherited: the suite may itself run niced.
	 */
	pid_t pid = kt_fork();
	if (pid == 0) {
		kt_drop_privileges();
		int cur = getpriority(PRIO_PROCESS, 0);
		struct kattr c = { .size = 48, .policy = SCHED_OTHER, .nice = cur < 19 ? cur + 1 : 19 };
		if (sys_setattr(0, &c, 0))
			_exit(1);
		c.nice--;
		if (!kt_is_root() && (sys_setattr(0, &c, 0) != -1 || errno != EPERM))
			_exit(2);
		_exit(0);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
}

/* ---- nice ---- */

static atomic_int thread_nice = 100;

static void *
nice_thread(void *arg)
{
	(void)arg;
	setpriority(PRIO_PROCESS, gettid_(), 13);	/* this thread only */
	atomic_store(&thread_nice, getpriority(PRIO_PROCESS, gettid_()));
	return NULL;
}

static void priorities(void)
{
	int n0 = getpriority(PRIO_PROCESS, 0);

	/* The raw call answers 20 - nice. */
	CHECK_EQ(syscall(SYS_getpriority, PRIO_PROCESS, 0), 20 - n0);
	if (n0 > 2) {
		if (!kt_is_root())
			kt_skip("started at nice %d: a normal user cannot go back to 0", n0);
		CHECK_OK(setpriority(PRIO_PROCESS, 0, 0));
	}
	/* Up only from here, so that a normal user can do it all. */
	CHECK_OK(setpriority(PRIO_PROCESS, 0, 2));
	CHECK_EQ(getpriority(PRIO_PROCESS, 0), 2);
	CHECK_EQ(syscall(SYS_getpriority, PRIO_PROCESS, getpid()), 18);
	/* Per thread. */
	pthread_t th;
	REQUIRE(pthread_create(&th, NULL, nice_thread, NULL) == 0);
	pthread_join(th, NULL);
	CHECK_EQ(atomic_load(&thread_nice), 13);
	CHECK_EQ(getpriority(PRIO_PROCESS, 0), 2);
	/* A process group: every member; getpriority answers the best. */
	int go[2];
	REQUIRE_OK(pipe(go));
	pid_t kid[2];
	for (int i = 0; i < 2; i++) {
		kid[i] = kt_fork();
		if (kid[i] == 0) {
			char c;
			close(go[1]);
			if (read(go[0], &c, 1) < 0)
				_exit(2);
			_exit(getpriority(PRIO_PROCESS, 0));
		}
		CHECK_OK(setpgid(kid[i], kid[0]));
	}
	CHECK_OK(setpriority(PRIO_PGRP, kid[0], 7));
	CHECK_EQ(getpriority(PRIO_PGRP, kid[0]), 7);
	CHECK_OK(setpriority(PRIO_PROCESS, kid[0], 9));
	CHECK_EQ(getpriority(PRIO_PGRP, kid[0]), 7);
	CHECK_EQ(syscall(SYS_getpriority, PRIO_PGRP, kid[0]), 13);
	close(go[0]);
	close(go[1]);
	CHECK_EQ(kt_wait_exit(kid[0]), 9);
	CHECK_EQ(kt_wait_exit(kid[1]), 7);
	/* i386's nice, and the clamp at 19. */
	CHECK_OK(setpriority(PRIO_PROCESS, 0, 10));
#ifdef SYS_nice
	CHECK_OK(syscall(SYS_nice, 2));
	CHECK_EQ(getpriority(PRIO_PROCESS, 0), 12);
	CHECK_OK(syscall(SYS_nice, 100));
	CHECK_EQ(getpriority(PRIO_PROCESS, 0), 19);
#endif
	CHECK_OK(setpriority(PRIO_PROCESS, 0, 100));
	CHECK_EQ(getpriority(PRIO_PROCESS, 0), 19);
	CHECK_EQ(syscall(SYS_getpriority, PRIO_PROCESS, 0), 1);
	errno = 0;
	CHECK_EQ(nice(0), 19);
	CHECK_EQ(errno, 0);
	if (!kt_is_root())
		CHECK_ERR(setpriority(PRIO_PROCESS, 0, 18), EACCES);
	/* Errors. */
	CHECK_ERR(getpriority(3, 0), EINVAL);
	CHECK_ERR(setpriority(-1, 0, 0), EINVAL);
	CHECK_ERR(getpriority(PRIO_PROCESS, 0x3fffffff), ESRCH);
	CHECK_ERR(setpriority(PRIO_PROCESS, 0x3fffffff, 0), ESRCH);
	CHECK_ERR(getpriority(PRIO_PGRP, 0x3fffffff), ESRCH);
	if (!kt_is_root())
		return;
	CHECK_OK(setpriority(PRIO_PROCESS, 0, -100));	/* root may go to -20 */
	CHECK_EQ(getpriority(PRIO_PROCESS, 0), -20);
	CHECK_EQ(syscall(SYS_getpriority, PRIO_PROCESS, 0), 40);
	CHECK_OK(setpriority(PRIO_PROCESS, 0, 0));
	/* A normal user: up freely, down within RLIMIT_NICE (20 - nice), nobody else's. */
	pid_t pid = kt_fork();
	if (pid == 0) {
		struct rlimit rl = { 25, 25 };	/* down to nice -5 */
		if (setrlimit(RLIMIT_NICE, &rl))
			_exit(77);		/* root without CAP_SYS_RESOURCE (a container) */
		kt_drop_privileges();
		if (setpriority(PRIO_PROCESS, 0, 5))
			_exit(1);
		if (setpriority(PRIO_PROCESS, 0, -5))
			_exit(2);
		if (setpriority(PRIO_PROCESS, 0, -6) != -1 || errno != EACCES)
			_exit(3);
		if (setpriority(PRIO_PROCESS, 1, 10) != -1 || errno != EPERM)
			_exit(4);
		/* PRIO_USER 0: every thread of the caller's (unused) uid, so just this one. */
		if (setpriority(PRIO_USER, 0, 3) || getpriority(PRIO_PROCESS, 0) != 3)
			_exit(5);
		if (getpriority(PRIO_USER, 0) != 3)
			_exit(6);
		_exit(0);
	}
	int code = kt_wait_exit(pid);
	if (code == 77)
		kt_note("RLIMIT_NICE cannot be raised here: that part not checked");
	else
		CHECK_EQ(code, 0);
}

/* ---- getrusage, times ---- */

static void rusage_times(void)
{
	struct rusage r0, r1, rt;

	CHECK_OK(getrusage(RUSAGE_SELF, &r0));
	int64_t c0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	burn_cpu(200000000);
	int64_t c1 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	CHECK_OK(getrusage(RUSAGE_SELF, &r1));
	int64_t c2 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	int64_t u1 = tv_ns(&r1.ru_utime), s1 = tv_ns(&r1.ru_stime);
	/* The two add up to the CPU clock (less the microseconds cut off). */
	CHECK(u1 + s1 >= c1 - 2000 && u1 + s1 <= c2);
	CHECK(tv_ns(&r1.ru_utime) >= tv_ns(&r0.ru_utime));
	CHECK(tv_ns(&r1.ru_stime) >= tv_ns(&r0.ru_stime));
	CHECK(u1 > s1);				/* a loop in user mode */
	CHECK(c1 - c0 >= 200000000);
	CHECK_OK(getrusage(RUSAGE_THREAD, &rt));
	CHECK(tv_ns(&rt.ru_utime) + tv_ns(&rt.ru_stime) <= clock_ns(CLOCK_PROCESS_CPUTIME_ID));

	/* Page faults: 100 new pages touched are 100 minor faults at least. */
	CHECK_OK(getrusage(RUSAGE_SELF, &r0));
	char *m = mmap(NULL, 100 * KT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(m != MAP_FAILED);
	for (int i = 0; i < 100; i++)
		m[i * KT_PAGE] = 1;
	CHECK_OK(getrusage(RUSAGE_SELF, &r1));
	CHECK(r1.ru_minflt - r0.ru_minflt >= 100);
	CHECK(r1.ru_maxrss >= 400);		/* KiB */
	munmap(m, 100 * KT_PAGE);
	/*
	 * Sleeping switches away voluntarily.  A sleep whose time is up
	 * before it blocks (a stalled host) switches nowhere, on Linux too:
	 * sleep until five switches are counted, a thousand sleeps at most.
	 */
	CHECK_OK(getrusage(RUSAGE_SELF, &r0));
	r1 = r0;
	for (int i = 0; i < 1000 && r1.ru_nvcsw - r0.ru_nvcsw < 5; i++) {
		sleep_ns(1000000);
		CHECK_OK(getrusage(RUSAGE_SELF, &r1));
	}
	CHECK(r1.ru_nvcsw - r0.ru_nvcsw >= 5);
	CHECK_OK(getrusage(RUSAGE_THREAD, &rt));
	CHECK(rt.ru_nvcsw >= 5);

	/* Children: what a reaped child used, as wait4 reported it. */
	struct rusage c0r, c1r, wr;
	CHECK_OK(getrusage(RUSAGE_CHILDREN, &c0r));
	int p[2];
	REQUIRE_OK(pipe(p));
	pid_t pid = kt_fork();
	if (pid == 0) {
		burn_cpu(100000000);
		char *big = mmap(NULL, 8 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (big == MAP_FAILED)
			_exit(1);
		memset(big, 1, 8 << 20);
		int64_t mine = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
		if (write(p[1], &mine, sizeof(mine)) != sizeof(mine))
			_exit(2);
		_exit(0);
	}
	int64_t child_cpu = 0;
	CHECK_EQ(read(p[0], &child_cpu, sizeof(child_cpu)), sizeof(child_cpu));
	int st;
	CHECK_EQ(wait4(pid, &st, 0, &wr), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK_OK(getrusage(RUSAGE_CHILDREN, &c1r));
	CHECK(tv_ns(&wr.ru_utime) + tv_ns(&wr.ru_stime) >= child_cpu - 2000);
	/* The same amounts (each cut to microseconds on its own). */
	CHECK(llabs(tv_ns(&c1r.ru_utime) - tv_ns(&c0r.ru_utime) - tv_ns(&wr.ru_utime)) <= 1000);
	CHECK(llabs(tv_ns(&c1r.ru_stime) - tv_ns(&c0r.ru_stime) - tv_ns(&wr.ru_stime)) <= 1000);
	CHECK(wr.ru_maxrss >= 8192);
	CHECK(c1r.ru_maxrss >= 8192);
	CHECK(c1r.ru_minflt - c0r.ru_minflt >= wr.ru_minflt);

	/* times(): the same in clock ticks; the return value moves with the time. */
	struct tms t;
	int64_t before = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	clock_t r = times(&t);
	int64_t after = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	long hz = sysconf(_SC_CLK_TCK);
	CHECK_EQ(hz, 100);
	CHECK(t.tms_utime + t.tms_stime >= before / 10000000 - 2);
	CHECK(t.tms_utime + t.tms_stime <= after / 10000000);
	CHECK(t.tms_cutime >= tv_ns(&wr.ru_utime) / 10000000);
	CHECK(t.tms_cstime >= tv_ns(&wr.ru_stime) / 10000000);
	sleep_ns(50000000);
	clock_t r2 = times(NULL);
	CHECK((long)((unsigned long)r2 - (unsigned long)r) >= 3);	/* 50 ms: 5 ticks, less coarse jiffies */
	/* Errors. */
	CHECK_ERR(getrusage(2, &r0), EINVAL);
	CHECK_ERR(getrusage(-2, &r0), EINVAL);		/* RUSAGE_BOTH is wait4's alone */
	FOR_BAD(kt_bad_out, b) {
		CHECK_ERR(syscall(SYS_getrusage, RUSAGE_SELF, b->p), EFAULT);
		CHECK_ERR(syscall(SYS_getrusage, 5, b->p), EINVAL);
		CHECK_EQ(syscall(SYS_times, b->p), -1);
		CHECK_EQ(errno, EFAULT);
	}
	END_BAD;
}

/* ---- limits ---- */

static void *
idle_thread(void *arg)
{
	return arg;
}

static void rlimit_nproc(void)
{
	if (!kt_is_root())
		kt_skip("needs root for a user nobody else uses");
	pid_t pid = kt_fork();
	if (pid == 0) {
		struct rlimit rl = { 5, 5 };
		int hold[2], n = 0;
		pid_t kids[16];

		if (pipe(hold))
			_exit(10);
		setrlimit(RLIMIT_NPROC, &rl);
		kt_drop_privileges();
		/* This process and 4 children make 5: the 5th child is refused. */
		for (;;) {
			pid_t k = fork();
			if (k == 0) {
				char c;
				close(hold[1]);
				while (read(hold[0], &c, 1) > 0)
					;
				_exit(0);
			}
			if (k < 0)
				break;
			kids[n++] = k;
			if (n == 16)
				_exit(11);
		}
		if (errno != EAGAIN)
			_exit(12);
		if (n != 4)
			_exit(20 + n);
		/* Threads count as tasks too. */
		pthread_t th;
		if (pthread_create(&th, NULL, idle_thread, NULL) != EAGAIN)
			_exit(13);
		/* Children that exited still count until they are reaped. */
		close(hold[1]);
		for (int i = 0; i < n; i++)
			while (kt_proc_state(kids[i]) != 'Z')
				sleep_ns(1000000);
		if (fork() != -1 || errno != EAGAIN)
			_exit(14);
		for (int i = 0; i < n; i++)
			waitpid(kids[i], NULL, 0);
		pid_t k = fork();
		if (k == 0)
			_exit(0);
		if (k < 0)
			_exit(15);
		waitpid(k, NULL, 0);
		_exit(0);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);

	/* Root is not held back. */
	pid = kt_fork();
	if (pid == 0) {
		struct rlimit rl = { 1, 1 };
		setrlimit(RLIMIT_NPROC, &rl);
		pid_t k = fork();
		if (k == 0)
			_exit(0);
		_exit(k > 0 && waitpid(k, NULL, 0) == k ? 0 : 1);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
}

static int xcpu_pipe[2];
static volatile sig_atomic_t xcpu_count;

static void
on_xcpu(int sig)
{
	struct rlimit rl;
	char c;

	(void)sig;
	getrlimit(RLIMIT_CPU, &rl);
	c = (char)rl.rlim_cur;			/* the soft limit right after: it grew by a second */
	if (xcpu_count++ == 0 && write(xcpu_pipe[1], &c, 1) != 1)
		_exit(3);
}

static void rlimit_cpu(void)
{
	REQUIRE_OK(pipe(xcpu_pipe));
	pid_t pid = kt_fork();
	if (pid == 0) {
		struct rlimit rl = { 1, 2 };
		close(xcpu_pipe[0]);
		signal(SIGXCPU, on_xcpu);
		setrlimit(RLIMIT_CPU, &rl);
		for (;;)
			burn_cpu(10000000);	/* SIGXCPU at 1 s, SIGKILL at 2 s */
	}
	close(xcpu_pipe[1]);
	int st = kt_wait(pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	char c = 0;
	CHECK_EQ(read(xcpu_pipe[0], &c, 1), 1);
	CHECK_EQ(c, 2);
	close(xcpu_pipe[0]);
}

/* ---- the load average ---- */

static void loadavg(void)
{
	char buf[256];
	int i1, f1, i5, f5, i15, f15, run, threads, last;

	REQUIRE(kt_read_file("/proc/loadavg", buf, sizeof(buf)) > 0);
	CHECK_EQ(sscanf(buf, "%d.%d %d.%d %d.%d %d/%d %d", &i1, &f1, &i5, &f5, &i15, &f15, &run,
			&threads, &last), 9);
	CHECK(run >= 1 && run <= threads);
	/* sysinfo's loads are the same averages with 16 fraction bits. */
	struct sysinfo si;
	for (int tries = 0; tries < 5; tries++) {
		CHECK_OK(sysinfo(&si));
		REQUIRE(kt_read_file("/proc/loadavg", buf, sizeof(buf)) > 0);
		sscanf(buf, "%d.%d", &i1, &f1);
		long shown = i1 * 100 + f1, from_si = (long)((si.loads[0] * 100 + 32768) >> 16);
		if (labs(shown - from_si) <= 1)
			break;
		CHECK(tries < 4);		/* a new sample came in between: try again */
	}
	/* A vfork parent waits uninterruptibly, which counts: after a 5 s sample the load is not 0. */
	int64_t t0 = clock_ns(CLOCK_MONOTONIC);
	pid_t pid = vfork();
	if (pid == 0) {
		struct timespec ts = { 5, 300000000 };
		nanosleep(&ts, NULL);
		_exit(0);
	}
	REQUIRE(pid > 0);
	CHECK(clock_ns(CLOCK_MONOTONIC) - t0 >= 5300000000LL);
	CHECK_EQ(kt_wait_exit(pid), 0);
	CHECK_OK(sysinfo(&si));
	CHECK(si.loads[0] > 0);
}

/* ---- prctl ---- */

static int death_pipe[2];

static void
on_death(int sig, siginfo_t *si, void *uc)
{
	int msg[3] = { sig, si->si_code, si->si_pid };

	(void)uc;
	_exit(write(death_pipe[1], msg, sizeof(msg)) == sizeof(msg) ? 0 : 3);
}

/* The grandchild: ask for sig when the parent (thread) dies, tell fd ready, wait. */
static void
death_watcher(int sig, int ready)
{
	struct sigaction sa = { .sa_sigaction = on_death, .sa_flags = SA_SIGINFO };

	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
	prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0);
	if (write(ready, "r", 1) != 1)
		_exit(2);
	for (;;)
		pause();
}

struct forker {
	int ready[2];
	pid_t child;
};

/* Fork the watcher, and end only once it is ready. */
static void *
forking_thread(void *arg)
{
	struct forker *f = arg;
	pid_t k = fork();
	char c;

	if (k == 0)
		death_watcher(SIGUSR2, f->ready[1]);
	f->child = k;
	if (k < 0 || read(f->ready[0], &c, 1) != 1)
		f->child = -1;
	return NULL;
}

static void pdeathsig(void)
{
	int ready[2], msg[3];

	REQUIRE_OK(pipe(death_pipe));
	REQUIRE_OK(pipe(ready));
	CHECK_OK(prctl(PR_SET_PDEATHSIG, SIGUSR1, 0, 0, 0));
	int s = 0;
	CHECK_OK(prctl(PR_GET_PDEATHSIG, &s, 0, 0, 0));
	CHECK_EQ(s, SIGUSR1);
	CHECK_ERR(prctl(PR_SET_PDEATHSIG, 65, 0, 0, 0), EINVAL);
	pid_t pid = kt_fork();
	if (pid == 0) {
		int c = -1;
		prctl(PR_GET_PDEATHSIG, &c, 0, 0, 0);
		_exit(c);			/* not inherited: 0 */
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
	CHECK_OK(prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0));
	FOR_BAD(kt_bad_out, b)
		CHECK_ERR(prctl(PR_GET_PDEATHSIG, b->p, 0, 0, 0), EFAULT);
	END_BAD;

	/* The parent process exits: SIGUSR1 from it (SI_USER, its pid). */
	pid = kt_fork();
	if (pid == 0) {
		pid_t g = fork();
		if (g == 0)
			death_watcher(SIGUSR1, ready[1]);
		char c;
		if (read(ready[0], &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
	CHECK_EQ(read(death_pipe[0], msg, sizeof(msg)), sizeof(msg));
	CHECK_EQ(msg[0], SIGUSR1);
	CHECK_EQ(msg[1], SI_USER);
	CHECK_EQ(msg[2], pid);

	/* The thread that forked exits while its process lives on: Linux sends it then. */
	pid = kt_fork();
	if (pid == 0) {
		struct forker f = { .ready = { ready[0], ready[1] } };
		pthread_t th;
		int m[3];
		if (pthread_create(&th, NULL, forking_thread, &f))
			_exit(1);
		pthread_join(th, NULL);		/* the forking thread is gone */
		if (f.child < 0)
			_exit(2);
		if (read(death_pipe[0], m, sizeof(m)) != sizeof(m) || m[0] != SIGUSR2)
			_exit(3);
		_exit(waitpid(f.child, NULL, 0) == f.child ? 0 : 4);	/* still our child */
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
	close(death_pipe[0]);
	close(death_pipe[1]);
}

static void subreaper(void)
{
	int s = -1;

	CHECK_OK(prctl(PR_GET_CHILD_SUBREAPER, &s, 0, 0, 0));
	CHECK_EQ(s, 0);
	CHECK_OK(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
	CHECK_OK(prctl(PR_GET_CHILD_SUBREAPER, &s, 0, 0, 0));
	CHECK_EQ(s, 1);
	/* An orphaned grandchild comes to us and is ours to wait for. */
	int p[2];
	REQUIRE_OK(pipe(p));
	pid_t c = kt_fork();
	if (c == 0) {
		pid_t parent = getpid();
		pid_t g = fork();
		if (g == 0) {
			while (getppid() == parent)
				sleep_ns(1000000);
			pid_t now = getppid();
			if (write(p[1], &now, sizeof(now)) != sizeof(now))
				_exit(2);
			_exit(9);
		}
		if (write(p[1], &g, sizeof(g)) != sizeof(g))
			_exit(2);
		_exit(0);
	}
	pid_t g = 0, adopted = 0;
	CHECK_EQ(read(p[0], &g, sizeof(g)), sizeof(g));
	CHECK_EQ(kt_wait_exit(c), 0);
	CHECK_EQ(read(p[0], &adopted, sizeof(adopted)), sizeof(adopted));
	CHECK_EQ(adopted, getpid());
	CHECK_EQ(kt_wait_exit(g), 9);
	CHECK_OK(prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0));
	FOR_BAD(kt_bad_out, b)
		CHECK_ERR(prctl(PR_GET_CHILD_SUBREAPER, b->p, 0, 0, 0), EFAULT);
	END_BAD;
}

static void prctl_misc(void)
{
	/* no_new_privs: once set, for good, and inherited. */
	CHECK_EQ(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 0);
	CHECK_ERR(prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0), EINVAL);
	CHECK_ERR(prctl(PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0), EINVAL);
	CHECK_ERR(prctl(PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0), EINVAL);
	CHECK_OK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	CHECK_EQ(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 1);
	pid_t pid = kt_fork();
	if (pid == 0)
		_exit(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	CHECK_EQ(kt_wait_exit(pid), 1);

	/* Timer slack: set, reset to the default (what it was at fork), inherited. */
	long slack0 = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
	CHECK(slack0 > 0);
	CHECK_OK(prctl(PR_SET_TIMERSLACK, 123456, 0, 0, 0));
	CHECK_EQ(prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0), 123456);
	pid = kt_fork();
	if (pid == 0) {
		if (prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0) != 123456)
			_exit(1);
		prctl(PR_SET_TIMERSLACK, 7, 0, 0, 0);
		prctl(PR_SET_TIMERSLACK, 0, 0, 0, 0);
		_exit(prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0) == 123456 ? 0 : 2);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
	CHECK_OK(prctl(PR_SET_TIMERSLACK, 0, 0, 0, 0));
	CHECK_EQ(prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0), slack0);

	/* keepcaps. */
	CHECK_EQ(prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0), 0);
	CHECK_ERR(prctl(PR_SET_KEEPCAPS, 2, 0, 0, 0), EINVAL);
	CHECK_OK(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
	CHECK_EQ(prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0), 1);
	CHECK_EQ(prctl(PR_GET_SECUREBITS, 0, 0, 0, 0) & 0x10, 0x10);
	CHECK_OK(prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0));
	CHECK_EQ(prctl(PR_GET_SECUREBITS, 0, 0, 0, 0) & 0x10, 0);

	/* The bounding set: 0 or 1 for a capability, EINVAL beyond the last. */
	long r = prctl(PR_CAPBSET_READ, 0, 0, 0, 0);
	CHECK(r == 0 || r == 1);
	if (kt_on_kite())
		CHECK_EQ(r, 1);
	CHECK_ERR(prctl(PR_CAPBSET_READ, 64, 0, 0, 0), EINVAL);
	CHECK_ERR(prctl(PR_CAPBSET_READ, -1L, 0, 0, 0), EINVAL);
	/* Names of threads (the main thread's is the process's). */
	char name[16] = "";
	CHECK_OK(prctl(PR_SET_NAME, "kt-sched", 0, 0, 0));
	CHECK_OK(prctl(PR_GET_NAME, name, 0, 0, 0));
	CHECK_STR(name, "kt-sched");
	/* Options nobody knows. */
	CHECK_ERR(prctl(0x7fff1234, 0, 0, 0, 0), EINVAL);
	CHECK_ERR(prctl(0, 0, 0, 0, 0), EINVAL);
}

KT_TABLE(sched) = {
	{"sched.policies", policies},
	{"sched.attrs", attrs},
	{"sched.priorities", priorities},
	{"sched.rusage_times", rusage_times},
	{"sched.rlimit_nproc", rlimit_nproc},
	{"sched.rlimit_cpu", rlimit_cpu},
	{"sched.loadavg", loadavg},
	{"sched.pdeathsig", pdeathsig},
	{"sched.subreaper", subreaper},
	{"sched.prctl", prctl_misc},
	{NULL, NULL},
};
