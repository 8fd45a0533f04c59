/*
 * POSIX clocks (kernel/posix_clock.c) and the real-time clock under them
 * (kernel/time.c), through the kernel functions the system calls use:
 * every clock id's answer, resolutions, the real time moving with the
 * monotonic one and being set and shifted (then put back exactly), Linux's
 * checks and their order, sleeps relative and absolute, absolute sleeps
 * following a change of the clock, interrupted sleeps and the time left.
 */
#include <kernel/clock.h>
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <kernel/sync.h>
#include <kernel/thread.h>
#include <kernel/wait.h>
#include <kernel/time.h>

#define TICK_NS		(NSEC_PER_SEC / CONFIG_HZ)
#define MSEC(n)		((uint64_t)(n) * NSEC_PER_MSEC)

static int64_t
ts_ns(const struct timespec64 *ts)
{
	return ts->tv_sec * (int64_t)NSEC_PER_SEC + ts->tv_nsec;
}

static struct timespec64
ns_ts(int64_t ns)
{
	struct timespec64 ts;

	ns_to_timespec64(ns, &ts);
	return ts;
}

/*
 * Slack for two clock reads in a row: a host stall may fall between them.
 * Under icount there are no stalls, but a debug build's lock checks in
 * clock_settime (which re-arms real-time timerfds and POSIX timers) take
 * about 150 us of virtual time there; a tick is 10 ms.
 */
static uint64_t
read_slack(void)
{
	return ktest_strict_timing() ? MSEC(1) : MSEC(50);
}

/* Put the real time back to offset off (boottime_real_ns()) exactly. */
static void
restore_realtime(int64_t off)
{
	KEXPECT_EQ(realtime_shift(off - boottime_real_ns()), 0);
	KEXPECT_EQ(boottime_real_ns(), off);
}

KTEST(clock, timespec_checks)
{
	struct timespec64 ts;

	KEXPECT(timespec64_valid(&(struct timespec64){ 0, 0 }));
	KEXPECT(timespec64_valid(&(struct timespec64){ 1, 999999999 }));
	KEXPECT(!timespec64_valid(&(struct timespec64){ -1, 0 }));
	KEXPECT(!timespec64_valid(&(struct timespec64){ 0, -1 }));
	KEXPECT(!timespec64_valid(&(struct timespec64){ 0, 1000000000 }));
	KEXPECT(timespec64_valid_settod(&(struct timespec64){ TIME_SETTOD_SEC_MAX - 1, 0 }));
	KEXPECT(!timespec64_valid_settod(&(struct timespec64){ TIME_SETTOD_SEC_MAX, 0 }));
	KEXPECT(!timespec64_valid_settod(&(struct timespec64){ INT64_MAX, 0 }));
	ns_to_timespec64(-1, &ts);
	KEXPECT(ts.tv_sec == -1 && ts.tv_nsec == 999999999);
	ns_to_timespec64(1500000000, &ts);
	KEXPECT(ts.tv_sec == 1 && ts.tv_nsec == 500000000);
}

KTEST(clock, every_clock_id)
{
	static const struct {
		clockid_t id;
		int err;
	} ids[] = {
		{ CLOCK_REALTIME, 0 }, { CLOCK_MONOTONIC, 0 },
		{ CLOCK_PROCESS_CPUTIME_ID, 0 }, { CLOCK_THREAD_CPUTIME_ID, 0 },
		{ CLOCK_MONOTONIC_RAW, 0 }, { CLOCK_REALTIME_COARSE, 0 },
		{ CLOCK_MONOTONIC_COARSE, 0 }, { CLOCK_BOOTTIME, 0 },
		{ CLOCK_REALTIME_ALARM, -EINVAL }, { CLOCK_BOOTTIME_ALARM, -EINVAL },
		{ CLOCK_SGI_CYCLE, -EINVAL }, { CLOCK_TAI, 0 }, { 12, -EINVAL }, { 16, -EINVAL },
		{ 0x7fffffff, -EINVAL },
		/* Negative: the caller's CPU clocks, another pid's, bad ones, a file's. */
		{ MAKE_PROCESS_CPUCLOCK(0, CPUCLOCK_SCHED), 0 },
		{ MAKE_THREAD_CPUCLOCK(0, CPUCLOCK_SCHED), 0 },
		{ MAKE_PROCESS_CPUCLOCK(0, CPUCLOCK_PROF), 0 },
		{ MAKE_THREAD_CPUCLOCK(0, CPUCLOCK_VIRT), 0 },
		{ MAKE_THREAD_CPUCLOCK(0, 3), -EINVAL },
		{ MAKE_PROCESS_CPUCLOCK(4242, CPUCLOCK_SCHED), -EINVAL },
		{ MAKE_PROCESS_CPUCLOCK(3, CLOCKFD), -EINVAL },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(ids); i++) {
		struct timespec64 ts = { -5, -5 };
		int err = posix_clock_gettime(ids[i].id, &ts);

#ifndef CONFIG_SCHED_STATS
		if (ids[i].id == CLOCK_PROCESS_CPUTIME_ID || ids[i].id == CLOCK_THREAD_CPUTIME_ID ||
		    ids[i].id < 0)
			continue;
#endif
		if (err != ids[i].err)
			ktest_fail(__FILE__, __LINE__, "clock %d: %d, not %d", ids[i].id, err,
				   ids[i].err);
		if (!err && (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000))
			ktest_fail(__FILE__, __LINE__, "clock %d: %lld.%09ld", ids[i].id,
				   (long long)ts.tv_sec, ts.tv_nsec);
		KEXPECT_EQ(posix_clock_getres(ids[i].id, &ts), ids[i].err);
	}
}

KTEST(clock, clocks_agree)
{
	struct timespec64 mono, boot, raw, real, tai, cmono, creal;
	uint64_t m, m0 = time_ns();
	int64_t r, r0 = realtime_ns();

	KASSERT(posix_clock_gettime(CLOCK_MONOTONIC_COARSE, &cmono) == 0);
	KASSERT(posix_clock_gettime(CLOCK_REALTIME_COARSE, &creal) == 0);
	KASSERT(posix_clock_gettime(CLOCK_MONOTONIC, &mono) == 0);
	KASSERT(posix_clock_gettime(CLOCK_BOOTTIME, &boot) == 0);
	KASSERT(posix_clock_gettime(CLOCK_MONOTONIC_RAW, &raw) == 0);
	KASSERT(posix_clock_gettime(CLOCK_REALTIME, &real) == 0);
	KASSERT(posix_clock_gettime(CLOCK_TAI, &tai) == 0);
	m = time_ns();
	r = realtime_ns();
	/*
	 * In the order read, each later than the one before, all between
	 * the readings taken before and after (exact: a host that stalls the
	 * guest between two readings moves both ends).
	 */
	KEXPECT_OP((uint64_t)ts_ns(&mono), >=, m0);
	KEXPECT_OP(ts_ns(&boot), >=, ts_ns(&mono));
	KEXPECT_OP(ts_ns(&raw), >=, ts_ns(&boot));
	KEXPECT_OP(m, >=, (uint64_t)ts_ns(&raw));
	KEXPECT_OP(ts_ns(&real), >=, r0);
	KEXPECT_OP(ts_ns(&tai), >=, ts_ns(&real));
	KEXPECT_OP(r, >=, ts_ns(&real));
	/* Real time = boot time + monotonic time, read later. */
	KEXPECT_OP(ts_ns(&real) - boottime_real_ns(), >=, ts_ns(&mono));
	KEXPECT_OP(ts_ns(&real) - boottime_real_ns(), <=, (int64_t)m);
	/* Coarse: at the last tick, so earlier, by about a tick. */
	KEXPECT_OP(ts_ns(&cmono), <=, ts_ns(&mono));
	KEXPECT_OP(ts_ns(&creal), <=, ts_ns(&real));
	if (ktest_strict_timing())
		KEXPECT_OP(ts_ns(&mono) - ts_ns(&cmono), <=, 2 * TICK_NS);
}

KTEST(clock, resolution)
{
	struct timespec64 ts;
	uint64_t res = time_resolution_ns();

	KEXPECT_OP(res, >=, 1);
	KEXPECT_OP(res, <=, 1000);		/* every clock source here runs at MHz */
	KASSERT(posix_clock_getres(CLOCK_REALTIME, &ts) == 0);
	KEXPECT(ts.tv_sec == 0 && (uint64_t)ts.tv_nsec == res);
	KASSERT(posix_clock_getres(CLOCK_MONOTONIC, &ts) == 0);
	KEXPECT(ts.tv_sec == 0 && (uint64_t)ts.tv_nsec == res);
	KASSERT(posix_clock_getres(CLOCK_MONOTONIC_COARSE, &ts) == 0);
	KEXPECT(ts.tv_sec == 0 && ts.tv_nsec == (long)((NSEC_PER_SEC + CONFIG_HZ / 2) / CONFIG_HZ));
	KASSERT(posix_clock_getres(CLOCK_REALTIME_COARSE, &ts) == 0);
	KEXPECT_EQ(ts.tv_nsec, (NSEC_PER_SEC + CONFIG_HZ / 2) / CONFIG_HZ);
}

/* Over a sleep, the real time advances exactly as the monotonic time does. */
KTEST(clock, realtime_follows_monotonic)
{
	int64_t off0 = boottime_real_ns(), r0, r1;
	uint64_t a0, b0, a1, b1;

	a0 = time_ns();
	r0 = realtime_ns();
	b0 = time_ns();
	thread_sleep_ms(30);
	a1 = time_ns();
	r1 = realtime_ns();
	b1 = time_ns();
	KEXPECT_OP(a1 - b0, >=, MSEC(30));
	KEXPECT_EQ(boottime_real_ns(), off0);
	/*
	 * Each real-time reading is the monotonic time then plus the same
	 * offset, so it lies between the monotonic readings around it
	 * (exact, however long the host stalls the guest in between).
	 */
	KEXPECT_OP(r0 - off0, >=, (int64_t)a0);
	KEXPECT_OP(r0 - off0, <=, (int64_t)b0);
	KEXPECT_OP(r1 - off0, >=, (int64_t)a1);
	KEXPECT_OP(r1 - off0, <=, (int64_t)b1);
}

KTEST(clock, settime_moves_realtime_only)
{
	const struct timespec64 y2030 = { 1893456000, 500000000 };	/* 2030-01-01T00:00:00.5Z */
	int64_t off0 = boottime_real_ns(), before;
	uint64_t m0 = time_ns(), m1;
	struct timespec64 ts;

	KASSERT(posix_clock_settable(CLOCK_REALTIME) == 0);
	KASSERT(posix_clock_settime(CLOCK_REALTIME, &y2030) == 0);
	KASSERT(posix_clock_gettime(CLOCK_REALTIME, &ts) == 0);
	m1 = time_ns();
	KEXPECT_OP(ts_ns(&ts), >=, ts_ns(&y2030));
	KEXPECT_OP((uint64_t)(ts_ns(&ts) - ts_ns(&y2030)), <=, m1 - m0);	/* no more than passed */
	/* The monotonic clock did not jump: by years, had it followed. */
	KEXPECT_OP(m1, >=, m0);
	KEXPECT_OP(m1 - m0, <, 60 * NSEC_PER_SEC);
	/* A shift moves it by exactly that much. */
	before = boottime_real_ns();
	KEXPECT_EQ(realtime_shift(-(int64_t)NSEC_PER_SEC), 0);
	KEXPECT_EQ(boottime_real_ns(), before - (int64_t)NSEC_PER_SEC);
	/* Not below the boot (a negative offset). */
	KEXPECT_EQ(realtime_shift(-boottime_real_ns() - 1), -EINVAL);
	restore_realtime(off0);
}

KTEST(clock, settime_rules)
{
	int64_t off0 = boottime_real_ns();
	const struct cred *old;
	struct timespec64 ts;

	/* Linux's validity checks, all -EINVAL. */
	KEXPECT_EQ(posix_clock_settime(CLOCK_REALTIME, &(struct timespec64){ -1, 0 }), -EINVAL);
	KEXPECT_EQ(posix_clock_settime(CLOCK_REALTIME, &(struct timespec64){ 1, -1 }), -EINVAL);
	KEXPECT_EQ(posix_clock_settime(CLOCK_REALTIME, &(struct timespec64){ 1, 1000000000 }),
		   -EINVAL);
	KEXPECT_EQ(posix_clock_settime(CLOCK_REALTIME, &(struct timespec64){ TIME_SETTOD_SEC_MAX, 0 }),
		   -EINVAL);
	/* Before the boot: the monotonic clock already counts further. */
	KEXPECT_EQ(posix_clock_settime(CLOCK_REALTIME, &(struct timespec64){ 0, 0 }), -EINVAL);
	KEXPECT_EQ(boottime_real_ns(), off0);
	/* The farthest time that may be set. */
	KEXPECT_EQ(posix_clock_settime(CLOCK_REALTIME,
				       &(struct timespec64){ TIME_SETTOD_SEC_MAX - 1, 0 }), 0);
	KASSERT(posix_clock_gettime(CLOCK_REALTIME, &ts) == 0);
	KEXPECT_OP(ts.tv_sec, >=, TIME_SETTOD_SEC_MAX - 1);
	restore_realtime(off0);

	/* Only the real-time clock can be set; CPU clocks refuse with -EPERM. */
	KEXPECT_EQ(posix_clock_settable(CLOCK_MONOTONIC), -EINVAL);
	KEXPECT_EQ(posix_clock_settable(CLOCK_TAI), -EINVAL);
	KEXPECT_EQ(posix_clock_settable(CLOCK_PROCESS_CPUTIME_ID), -EINVAL);
	KEXPECT_EQ(posix_clock_settable(CLOCK_SGI_CYCLE), -EINVAL);
	KEXPECT_EQ(posix_clock_settable(-1), 0);
	KEXPECT_EQ(posix_clock_settime(CLOCK_MONOTONIC, &(struct timespec64){ 5, 0 }), -EINVAL);
#ifdef CONFIG_SCHED_STATS
	KEXPECT_EQ(posix_clock_settime(MAKE_PROCESS_CPUCLOCK(0, CPUCLOCK_SCHED),
				       &(struct timespec64){ 5, 0 }), -EPERM);
#endif
	KEXPECT_EQ(posix_clock_settime(MAKE_PROCESS_CPUCLOCK(4242, CPUCLOCK_SCHED),
				       &(struct timespec64){ 5, 0 }), -EINVAL);

	/* Not root: -EPERM, but a bad time is -EINVAL first. */
	old = ktest_become_user();
	KASSERT(old != NULL);
	KEXPECT_EQ(current_cred()->euid, 1000);
	KEXPECT_EQ(posix_clock_settime(CLOCK_REALTIME, &(struct timespec64){ 1893456000, 0 }),
		   -EPERM);
	KEXPECT_EQ(posix_clock_settime(CLOCK_REALTIME, &(struct timespec64){ -1, 0 }), -EINVAL);
	KEXPECT(!capable_sys_time());
	ktest_restore_cred(old);
	KEXPECT(capable_sys_time());
	KEXPECT_EQ(boottime_real_ns(), off0);
}

KTEST(clock, settimeofday_timezone)
{
	int64_t off0 = boottime_real_ns();
	struct linux_timezone tz;
	const struct cred *old;

	KEXPECT_EQ(do_sys_settimeofday64(NULL, &(struct linux_timezone){ 15 * 60 + 1, 0 }),
		   -EINVAL);
	KEXPECT_EQ(do_sys_settimeofday64(NULL, &(struct linux_timezone){ -15 * 60 - 1, 0 }),
		   -EINVAL);
	old = ktest_become_user();
	KASSERT(old != NULL);
	KEXPECT_EQ(do_sys_settimeofday64(NULL, &(struct linux_timezone){ 60, 0 }), -EPERM);
	/* Permission is checked before the zone's range. */
	KEXPECT_EQ(do_sys_settimeofday64(NULL, &(struct linux_timezone){ 24 * 60, 0 }), -EPERM);
	ktest_restore_cred(old);
	timezone_get(&tz);
	KEXPECT(tz.tz_minuteswest == 0 && tz.tz_dsttime == 0);

	/* The first zone without a time: the RTC kept local time, one hour west. */
	KEXPECT_EQ(do_sys_settimeofday64(NULL, &(struct linux_timezone){ 60, 1 }), 0);
	KEXPECT_EQ(boottime_real_ns() - off0, 3600 * (int64_t)NSEC_PER_SEC);
	timezone_get(&tz);
	KEXPECT(tz.tz_minuteswest == 60 && tz.tz_dsttime == 1);
	/* Only the first. */
	KEXPECT_EQ(do_sys_settimeofday64(NULL, &(struct linux_timezone){ -120, 0 }), 0);
	KEXPECT_EQ(boottime_real_ns() - off0, 3600 * (int64_t)NSEC_PER_SEC);
	KEXPECT_EQ(do_sys_settimeofday64(NULL, &(struct linux_timezone){ 0, 0 }), 0);
	restore_realtime(off0);
}

KTEST(clock, old_timeval)
{
	struct timespec64 ts;

	KEXPECT_EQ(old_timeval_to_ts64(&(struct linux_old_timeval){ 5, 250000 }, &ts), 0);
	KEXPECT(ts.tv_sec == 5 && ts.tv_nsec == 250000000);
	KEXPECT_EQ(old_timeval_to_ts64(&(struct linux_old_timeval){ 5, -1 }, &ts), -EINVAL);
	KEXPECT_EQ(old_timeval_to_ts64(&(struct linux_old_timeval){ 5, 1000001 }, &ts), -EINVAL);
	/* 10^6 microseconds pass here and fail as a time. */
	KEXPECT_EQ(old_timeval_to_ts64(&(struct linux_old_timeval){ 1893456000, 1000000 }, &ts), 0);
	KEXPECT_EQ(do_sys_settimeofday64(&ts, NULL), -EINVAL);
}

#ifdef CONFIG_SCHED_STATS
static struct semaphore cpu_time_go;

static void
block_until_posted(void *arg)
{
	sem_wait(&cpu_time_go, WAIT_FOREVER);
}

/*
 * A blocked thread's CPU clock stands still.  Read from another thread
 * while it is surely asleep (blocked and switched out, so its count is
 * final), the reading is exact: a host that stalls the guest's CPUs can
 * add no running time to it, as it can to a thread timing its own sleep
 * (the stall may fall before the sleep begins).
 */
static void
check_blocked_clock_stands_still(void)
{
	struct thread *t;
	uint64_t c0, c1;

	sem_init(&cpu_time_go, 0);
	t = thread_create("cpu-time", block_until_posted, NULL, thread_current()->prio, 0);
	KASSERT(t != NULL);
	while (READ_ONCE(t->state) != THREAD_BLOCKED || READ_ONCE(t->on_rq))
		thread_sleep_ms(1);
	c0 = thread_cputime_ns_of(t);
	thread_sleep_ms(50);
	c1 = thread_cputime_ns_of(t);
	KEXPECT_EQ(c1, c0);
	KEXPECT_OP(c0, >, 0);			/* it ran to get there */
	sem_post(&cpu_time_go);
	thread_join(t);
}

KTEST(clock, cpu_time)
{
	struct timespec64 t0, t1, p0, p1;
	uint64_t end, w0, w1;

	KASSERT(posix_clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0) == 0);
	KASSERT(posix_clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &p0) == 0);
	/* Running: it grows (by the whole time, unless someone preempted us). */
	end = time_ns() + MSEC(20);
	while (time_ns() < end)
		;
	KASSERT(posix_clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1) == 0);
	KEXPECT_OP(ts_ns(&t1) - ts_ns(&t0), >=, (int64_t)MSEC(ktest_strict_timing() ? 20 : 1));
	/* Sleeping: it does not (under -icount, where nothing stalls, its own clock says so). */
	thread_sleep_ms(50);
	KASSERT(posix_clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0) == 0);
	if (ktest_strict_timing())
		KEXPECT_OP(ts_ns(&t0) - ts_ns(&t1), <, (int64_t)MSEC(1));
	check_blocked_clock_stands_still();
	/*
	 * Until processes own threads, the process is this thread: between
	 * two readings its clock grows by at most the time between them.
	 */
	w0 = time_ns();
	KASSERT(posix_clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0) == 0);
	KASSERT(posix_clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &p1) == 0);
	w1 = time_ns();
	KEXPECT_OP(ts_ns(&p1), >=, ts_ns(&t0));
	KEXPECT_OP(ts_ns(&p1) - ts_ns(&t0), <=, (int64_t)(w1 - w0) + 1000);
	KEXPECT_OP(ts_ns(&p1), >, ts_ns(&p0));
#ifdef CONFIG_PROCESSES
	/*
	 * The three measures stay apart: a kernel thread never runs in user
	 * mode, nor does the tick sample it, so its VIRT and PROF clocks
	 * read 0 while its SCHED clock ran 20 ms.
	 */
	KASSERT(posix_clock_gettime(MAKE_THREAD_CPUCLOCK(0, CPUCLOCK_VIRT), &p0) == 0);
	KEXPECT_EQ(ts_ns(&p0), 0);
	KASSERT(posix_clock_gettime(MAKE_THREAD_CPUCLOCK(0, CPUCLOCK_PROF), &p0) == 0);
	KEXPECT_EQ(ts_ns(&p0), 0);
	KASSERT(posix_clock_gettime(MAKE_THREAD_CPUCLOCK(0, CPUCLOCK_SCHED), &p0) == 0);
	KEXPECT_OP(ts_ns(&p0), >=, ts_ns(&t0));
#endif
}
#endif

KTEST(clock, nanosleep_checks)
{
	struct timespec64 ok = { 0, 1000 }, rem;

	KEXPECT_EQ(posix_clock_sleepable(CLOCK_REALTIME), 0);
	KEXPECT_EQ(posix_clock_sleepable(CLOCK_MONOTONIC), 0);
	KEXPECT_EQ(posix_clock_sleepable(CLOCK_BOOTTIME), 0);
	KEXPECT_EQ(posix_clock_sleepable(CLOCK_TAI), 0);
	KEXPECT_EQ(posix_clock_sleepable(CLOCK_PROCESS_CPUTIME_ID), 0);
	KEXPECT_EQ(posix_clock_sleepable(CLOCK_MONOTONIC_RAW), -EOPNOTSUPP);
	KEXPECT_EQ(posix_clock_sleepable(CLOCK_REALTIME_COARSE), -EOPNOTSUPP);
	KEXPECT_EQ(posix_clock_sleepable(CLOCK_MONOTONIC_COARSE), -EOPNOTSUPP);
	KEXPECT_EQ(posix_clock_sleepable(CLOCK_THREAD_CPUTIME_ID), -EOPNOTSUPP);
	KEXPECT_EQ(posix_clock_sleepable(CLOCK_SGI_CYCLE), -EINVAL);
	KEXPECT_EQ(posix_clock_sleepable(100), -EINVAL);
	KEXPECT_EQ(posix_clock_sleepable(MAKE_PROCESS_CPUCLOCK(3, CLOCKFD)), -EOPNOTSUPP);
	/* The clock first, then the time. */
	KEXPECT_EQ(posix_clock_nanosleep(100, 0, &(struct timespec64){ -1, 0 }, &rem), -EINVAL);
	KEXPECT_EQ(posix_clock_nanosleep(CLOCK_MONOTONIC_RAW, 0, &(struct timespec64){ -1, 0 },
					 &rem), -EOPNOTSUPP);
	KEXPECT_EQ(posix_clock_nanosleep(CLOCK_MONOTONIC, 0, &(struct timespec64){ -1, 0 }, &rem),
		   -EINVAL);
	KEXPECT_EQ(posix_clock_nanosleep(CLOCK_MONOTONIC, 0, &(struct timespec64){ 0, -1 }, &rem),
		   -EINVAL);
	KEXPECT_EQ(posix_clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME,
					 &(struct timespec64){ 0, 1000000000 }, &rem), -EINVAL);
	/* No alarm-capable RTC: Linux says -EOPNOTSUPP once the time is read. */
	KEXPECT_EQ(posix_clock_nanosleep(CLOCK_REALTIME_ALARM, 0, &ok, &rem), -EOPNOTSUPP);
	/* A thread's CPU clock cannot be slept on (the caller's own: never reached). */
	KEXPECT_EQ(posix_clock_nanosleep(MAKE_THREAD_CPUCLOCK(0, CPUCLOCK_SCHED), 0, &ok, &rem),
		   -EINVAL);
}

static void
check_sleep(clockid_t id, int flags, int64_t req_ns, uint64_t want_ns)
{
	struct timespec64 req = ns_ts(req_ns), rem = { 77, 77 };
	uint64_t t0 = time_ns(), slept;
	int err = posix_clock_nanosleep(id, flags, &req, &rem);

	slept = time_ns() - t0;
	if (err)
		ktest_fail(__FILE__, __LINE__, "clock %d flags %d: %d", id, flags, err);
	if (slept < want_ns)
		ktest_fail(__FILE__, __LINE__, "clock %d flags %d: slept %llu ns of %llu", id,
			   flags, (unsigned long long)slept, (unsigned long long)want_ns);
	if (slept > want_ns + (ktest_strict_timing() ? 3 * TICK_NS : NSEC_PER_SEC))
		ktest_fail(__FILE__, __LINE__, "clock %d flags %d: slept %llu ns for %llu", id,
			   flags, (unsigned long long)slept, (unsigned long long)want_ns);
	/* Not interrupted: the time left is not written. */
	KEXPECT(rem.tv_sec == 77 && rem.tv_nsec == 77);
}

KTEST(clock, nanosleep_relative)
{
	check_sleep(CLOCK_MONOTONIC, 0, (int64_t)MSEC(30), MSEC(30));
	check_sleep(CLOCK_REALTIME, 0, (int64_t)MSEC(30), MSEC(30));
	check_sleep(CLOCK_BOOTTIME, 0, (int64_t)MSEC(20), MSEC(20));
	check_sleep(CLOCK_TAI, 0, (int64_t)MSEC(20), MSEC(20));
	check_sleep(CLOCK_MONOTONIC, 0, 0, 0);
}

/*
 * An absolute sleep: back no earlier than its deadline on its own clock
 * (read after the call: a stall before it cannot shorten what is seen).
 */
static void
check_abs_sleep(clockid_t id, int64_t deadline_ns)
{
	struct timespec64 req = ns_ts(deadline_ns), rem = { 77, 77 }, now;
	int err = posix_clock_nanosleep(id, TIMER_ABSTIME, &req, &rem);

	KASSERT(posix_clock_gettime(id, &now) == 0);
	if (err)
		ktest_fail(__FILE__, __LINE__, "clock %d: %d", id, err);
	if (ts_ns(&now) < deadline_ns)
		ktest_fail(__FILE__, __LINE__, "clock %d: back at %lld, before %lld", id,
			   (long long)ts_ns(&now), (long long)deadline_ns);
	if (ts_ns(&now) - deadline_ns > (int64_t)(ktest_strict_timing() ? 3 * TICK_NS : NSEC_PER_SEC))
		ktest_fail(__FILE__, __LINE__, "clock %d: back at %lld, late for %lld", id,
			   (long long)ts_ns(&now), (long long)deadline_ns);
	KEXPECT(rem.tv_sec == 77 && rem.tv_nsec == 77);
}

KTEST(clock, nanosleep_absolute)
{
	static const clockid_t ids[] = { CLOCK_MONOTONIC, CLOCK_BOOTTIME, CLOCK_REALTIME, CLOCK_TAI };
	struct timespec64 now;

	for (unsigned int i = 0; i < ARRAY_SIZE(ids); i++) {
		KASSERT(posix_clock_gettime(ids[i], &now) == 0);
		check_abs_sleep(ids[i], ts_ns(&now) + (int64_t)MSEC(30));
	}
	/* In the past: back at once. */
	check_sleep(CLOCK_MONOTONIC, TIMER_ABSTIME, 1, 0);
	check_sleep(CLOCK_REALTIME, TIMER_ABSTIME, 1, 0);
}

/* A helper that does something to the test thread after a delay. */
struct later {
	struct thread *target;
	uint64_t delay_ns;
	int64_t shift_ns;		/* move the real time by this ... */
	bool interrupt;			/* ... or interrupt the target's sleep */
	uint64_t done_ns;		/* time_ns() once it did */
	/* interrupt: the target was asleep by asleep_ns and still at acted_ns. */
	uint64_t asleep_ns, acted_ns;
};

static void
later_fn(void *arg)
{
	struct later *l = arg;

	if (l->interrupt) {
		/*
		 * Counted from when the target is seen asleep: however the
		 * host stalls either thread, its sleep began before asleep_ns
		 * and ends after acted_ns.
		 */
		uint64_t end = time_ns() + 10 * NSEC_PER_SEC;	/* a broken sleep: act anyway */

		while (READ_ONCE(l->target->state) != THREAD_BLOCKED && time_ns() < end)
			thread_sleep_ns(MSEC(1));
		l->asleep_ns = time_ns();
		thread_sleep_ns(l->delay_ns);
		l->acted_ns = time_ns();
		l->target->sigpending = 1;
		thread_interrupt(l->target);
	} else {
		struct timespec64 ts;

		thread_sleep_ns(l->delay_ns);
		ts = ns_ts(realtime_ns() + l->shift_ns);
		KEXPECT_EQ(do_sys_settimeofday64(&ts, NULL), 0);
	}
	WRITE_ONCE(l->done_ns, time_ns());
	thread_exit(0);
}

static struct thread *
do_later(struct later *l)
{
	l->target = thread_current();
	return thread_create("clock-later", later_fn, l, THREAD_PRIO_DEFAULT + 1, 0);
}

/* An absolute real-time sleep ends when the clock is set past its time ... */
KTEST(clock, absolute_sleep_follows_clock_forward)
{
	int64_t off0 = boottime_real_ns();
	struct later l = { .delay_ns = MSEC(30), .shift_ns = 20 * (int64_t)NSEC_PER_SEC };
	struct timespec64 at = ns_ts(realtime_ns() + 10 * (int64_t)NSEC_PER_SEC);
	uint64_t t0 = time_ns();
	struct thread *t = do_later(&l);

	KASSERT(t != NULL);
	KEXPECT_EQ(posix_clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &at, NULL), 0);
	KEXPECT_OP(time_ns() - t0, >=, MSEC(30));
	KEXPECT_OP(time_ns() - t0, <, ktest_strict_timing() ? MSEC(30) + 3 * TICK_NS : 5 * NSEC_PER_SEC);
	KEXPECT_OP(realtime_ns(), >=, ts_ns(&at));
	thread_join(t);
	restore_realtime(off0);
}

/* ... and lasts longer when it is set back. */
KTEST(clock, absolute_sleep_follows_clock_back)
{
	int64_t off0 = boottime_real_ns();
	int attempt;

	/*
	 * Without an RTC the real time began at the epoch with the boot:
	 * 300 ms back would be before the boot, which Linux refuses too.
	 */
	if (off0 < (int64_t)NSEC_PER_SEC)
		KEXPECT_EQ(realtime_shift((int64_t)NSEC_PER_SEC), 0);
	/*
	 * The clock must go back while we sleep: on a loaded host the helper
	 * can run only after our 50 ms passed, which proves nothing either
	 * way, so such a round is run again (virtual time never needs it).
	 */
	for (attempt = 0; attempt < 5; attempt++) {
		struct later l = { .delay_ns = MSEC(10), .shift_ns = -(int64_t)MSEC(300) };
		struct timespec64 at = ns_ts(realtime_ns() + (int64_t)MSEC(50));
		uint64_t t0 = time_ns(), woke;
		struct thread *t = do_later(&l);

		KASSERT(t != NULL);
		KEXPECT_EQ(posix_clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &at, NULL), 0);
		woke = time_ns();
		KEXPECT_OP(realtime_ns(), >=, ts_ns(&at));
		thread_join(t);
		if (l.done_ns < woke) {
			KEXPECT_OP(woke - t0, >=, MSEC(340));
			break;
		}
	}
	KEXPECT_OP(attempt, <, 5);
	restore_realtime(off0);
}

KTEST(clock, nanosleep_interrupted)
{
	struct later l = { .delay_ns = MSEC(30), .interrupt = true };
	struct timespec64 req = { 10, 0 }, rem = { 0, 0 };
	struct thread *me = thread_current(), *t;
	uint64_t t0, slept;

	/* Relative: -EINTR and the time that was left. */
	t = do_later(&l);
	KASSERT(t != NULL);
	t0 = time_ns();
	KEXPECT_EQ(posix_clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem), -EINTR);
	slept = time_ns() - t0;
	me->sigpending = 0;
	thread_join(t);
	KEXPECT_OP(slept, >=, MSEC(30));
	KEXPECT_OP(slept, <, 5 * NSEC_PER_SEC);
	/*
	 * What was left: at most 10 s less the span it surely slept, at
	 * least 10 s less the span around the call (bracketed: no bound a
	 * stalled host can break).  Virtual time also bounds it from above.
	 */
	KEXPECT_OP((uint64_t)ts_ns(&rem), <=, 10 * NSEC_PER_SEC - (l.acted_ns - l.asleep_ns));
	KEXPECT_OP((uint64_t)ts_ns(&rem) + slept, >=, 10 * NSEC_PER_SEC);
	if (ktest_strict_timing())
		KEXPECT_OP((uint64_t)ts_ns(&rem), <=, 10 * NSEC_PER_SEC - slept + read_slack());

	/* A signal pending already: no sleep, all of it left. */
	me->sigpending = 1;
	rem = (struct timespec64){ 0, 0 };
	t0 = time_ns();
	KEXPECT_EQ(posix_clock_nanosleep(CLOCK_REALTIME, 0, &req, &rem), -EINTR);
	slept = time_ns() - t0;
	KEXPECT_OP((uint64_t)ts_ns(&rem), >=, 10 * NSEC_PER_SEC - slept);
	KEXPECT_OP((uint64_t)ts_ns(&rem), <=, 10 * NSEC_PER_SEC);
	/* Absolute: -EINTR, and nothing written. */
	rem = (struct timespec64){ 77, 77 };
	req = ns_ts(realtime_ns() + 10 * (int64_t)NSEC_PER_SEC);
	KEXPECT_EQ(posix_clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &req, &rem), -EINTR);
	KEXPECT(rem.tv_sec == 77 && rem.tv_nsec == 77);
	me->sigpending = 0;
}
